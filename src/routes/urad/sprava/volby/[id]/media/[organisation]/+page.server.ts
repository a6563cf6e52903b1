import { error, fail } from '@sveltejs/kit';
import { electionNow, fromDate } from '$lib/server/clock';
import { findElectionById } from '$lib/server/db/queries/elections';
import { findMediaElection, findMediaOrganisation } from '$lib/server/db/queries/media';
import { isUuid } from '$lib/server/services/calendar';
import { editMediaOrganisation, MAX_REVOKE_REASON, registrationDeadline, revokeMediaRegistration, rotateMediaToken } from '$lib/server/services/media';
import { adminContext, text } from '../../../admin-server';
import { mediaFormValues } from '../media-form';
import type { Actions, PageServerLoad } from './$types';

/**
 * Issue 17: one registered media organisation of the election: the administrator corrects
 * its name, contact and addresses (after the registration deadline the addresses only
 * shrink), issues a new API token (shown once) or revokes the registration with a reason.
 */
export const load: PageServerLoad = async ({ locals, params }) => {
	const ctx = adminContext(locals);
	const election = isUuid(params.id) ? await findElectionById(ctx.db, params.id) : undefined;
	const media = election && !election.rehearsal ? await findMediaElection(ctx.db, election.id) : undefined;
	const org = media && isUuid(params.organisation) ? await findMediaOrganisation(ctx.db, media.id, params.organisation) : undefined;
	if (!election || !media || !org) error(404, 'Not found');
	const deadline = registrationDeadline(media);
	const closed = deadline !== null && electionNow(media, ctx.now).epochMilliseconds >= deadline.epochMilliseconds;
	return {
		election: { id: election.id, titleCs: election.title_cs, titleEn: election.title_en },
		organisation: {
			id: org.id,
			name: org.name,
			email: org.email,
			phone: org.phone,
			production: org.production_addresses.join('\n'),
			test: org.test_addresses.join('\n'),
			revokedAt: org.revoked_at ? fromDate(org.revoked_at).toString() : null,
			revokeReason: org.revoke_reason,
			tokenRotatedAt: org.token_rotated_at ? fromDate(org.token_rotated_at).toString() : null
		},
		deadline: deadline?.toString() ?? null,
		deadlinePassed: closed
	};
};

type Problem = 'deadline-passed' | 'name-taken' | 'revoked' | null;

export const actions: Actions = {
	upravit: async ({ locals, params, request }) => {
		const ctx = adminContext(locals);
		const form = await request.formData();
		const values = mediaFormValues(form);
		const result = await editMediaOrganisation(ctx.db, { electionId: params.id, organisationId: params.organisation, ...values }, ctx.actor, ctx.now);
		const answer = (problem: Problem, deadline: string | null = null) => ({ action: 'edit' as const, values, errors: {}, problem, deadline });
		switch (result.kind) {
			case 'forbidden':
				error(403, 'Forbidden');
			case 'not-found':
				error(404, 'Not found');
			case 'invalid':
				return fail(400, { ...answer(null), errors: result.errors });
			case 'deadline-passed':
				return fail(409, answer('deadline-passed', result.deadline.toString()));
			case 'name-taken':
				return fail(409, answer('name-taken'));
			case 'revoked':
				return fail(409, answer('revoked'));
			case 'saved':
			case 'unchanged':
				return { action: 'edit' as const, done: result.kind };
		}
	},
	token: async ({ locals, params }) => {
		const ctx = adminContext(locals);
		const result = await rotateMediaToken(ctx.db, { electionId: params.id, organisationId: params.organisation }, ctx.actor, ctx.now);
		switch (result.kind) {
			case 'forbidden':
				error(403, 'Forbidden');
			case 'not-found':
				error(404, 'Not found');
			case 'revoked':
				return fail(409, { action: 'token' as const, problem: 'revoked' as const });
			case 'rotated':
				// Shown once, on this answer only (never stored in plain, never redirected with).
				return { action: 'token' as const, token: result.token };
		}
	},
	odvolat: async ({ locals, params, request }) => {
		const ctx = adminContext(locals);
		const form = await request.formData();
		// One more than allowed, so that a longer reason is refused rather than cut.
		const reason = text(form, 'reason', MAX_REVOKE_REASON + 1);
		const result = await revokeMediaRegistration(ctx.db, { electionId: params.id, organisationId: params.organisation, reason }, ctx.actor, ctx.now);
		switch (result.kind) {
			case 'forbidden':
				error(403, 'Forbidden');
			case 'not-found':
				error(404, 'Not found');
			case 'invalid':
				return fail(400, { action: 'revoke' as const, reason, reasonError: result.errors.reason, problem: null });
			case 'already-revoked':
				return fail(409, { action: 'revoke' as const, reason, reasonError: null, problem: 'revoked' as const });
			case 'revoked':
				return { action: 'revoke' as const, done: 'revoked' as const };
		}
	}
};
