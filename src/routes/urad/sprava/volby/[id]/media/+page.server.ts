import { error, fail } from '@sveltejs/kit';
import { fromDate } from '$lib/server/clock';
import { findElectionById } from '$lib/server/db/queries/elections';
import { findMediaElection, listMediaOrganisations } from '$lib/server/db/queries/media';
import { isUuid } from '$lib/server/services/calendar';
import { registerMediaOrganisation, registrationDeadline, switchRealProcessing } from '$lib/server/services/media';
import { adminContext } from '../../admin-server';
import { mediaFormValues } from './media-form';
import type { Actions, PageServerLoad } from './$types';

/** Issue 17: the media registered for the election's results feed, and the switch of the real processing. */
export const load: PageServerLoad = async ({ locals, params, url }) => {
	const ctx = adminContext(locals);
	const election = isUuid(params.id) ? await findElectionById(ctx.db, params.id) : undefined;
	const media = election && (await findMediaElection(ctx.db, election.id));
	if (!election || !media || election.rehearsal) error(404, 'Not found');
	const organisations = await listMediaOrganisations(ctx.db, election.id);
	return {
		election: { id: election.id, titleCs: election.title_cs, titleEn: election.title_en },
		realProcessingStartedAt: media.real_processing_started_at ? fromDate(media.real_processing_started_at).toString() : null,
		deadline: registrationDeadline(media)?.toString() ?? null,
		deadlineCustom: media.media_registration_deadline !== null,
		deadlineSaved: url.searchParams.has('uzaverka'),
		organisations: organisations.map((o) => ({
			id: o.id,
			name: o.name,
			email: o.email,
			phone: o.phone,
			production_addresses: o.production_addresses,
			test_addresses: o.test_addresses,
			registered_at: o.registered_at.toISOString(),
			revokedAt: o.revoked_at ? fromDate(o.revoked_at).toString() : null
		}))
	};
};

export const actions: Actions = {
	registrovat: async ({ locals, params, request }) => {
		const ctx = adminContext(locals);
		const form = await request.formData();
		const values = mediaFormValues(form);
		const result = await registerMediaOrganisation(ctx.db, { electionId: params.id, ...values }, ctx.actor, ctx.now);
		switch (result.kind) {
			case 'forbidden':
				error(403, 'Forbidden');
			case 'not-found':
				error(404, 'Not found');
			case 'invalid':
				return fail(400, { values, errors: result.errors, problem: null, deadline: null, token: null });
			case 'deadline-passed':
				return fail(409, { values, errors: {}, problem: 'deadline-passed' as const, deadline: result.deadline.toString(), token: null });
			case 'name-taken':
				return fail(409, { values, errors: {}, problem: 'name-taken' as const, deadline: null, token: null });
			case 'registered':
				// The token is shown once, on this answer only (never stored in plain, never redirected with).
				return { values: null, errors: {}, problem: null, deadline: null, token: result.token };
		}
	},
	prepnout: async ({ locals, params, request }) => {
		const ctx = adminContext(locals);
		const form = await request.formData();
		const result = await switchRealProcessing(ctx.db, { electionId: params.id, on: form.get('on') === '1' }, ctx.actor, ctx.now);
		if (result.kind === 'forbidden') error(403, 'Forbidden');
		if (result.kind === 'not-found') error(404, 'Not found');
		return { values: null, errors: {}, problem: null, deadline: null, token: null, switched: result.on };
	}
};
