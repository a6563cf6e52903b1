import { error, fail, redirect } from '@sveltejs/kit';
import { defaultMediaRegistrationDeadline } from '$lib/domain/media';
import { fromDate } from '$lib/server/clock';
import { findElectionById } from '$lib/server/db/queries/elections';
import { findMediaElection } from '$lib/server/db/queries/media';
import { isUuid } from '$lib/server/services/calendar';
import { setMediaRegistrationDeadline, type SetMediaDeadlineResult } from '$lib/server/services/media';
import { adminContext, text } from '../../../admin-server';
import type { Actions, PageServerLoad } from './$types';

/** Issue 17: the administrator sets the election's media registration deadline, or returns it to the default. */
export const load: PageServerLoad = async ({ locals, params }) => {
	const ctx = adminContext(locals);
	const election = isUuid(params.id) ? await findElectionById(ctx.db, params.id) : undefined;
	const media = election && (await findMediaElection(ctx.db, election.id));
	if (!election || !media || election.rehearsal) error(404, 'Not found');
	const custom = media.media_registration_deadline ? fromDate(media.media_registration_deadline) : null;
	// The form starts from the deadline in force, as Prague sees it.
	const shown = custom ?? (media.first_day ? defaultMediaRegistrationDeadline(media.first_day) : null);
	const prague = shown?.toZonedDateTimeISO('Europe/Prague');
	return {
		election: { id: election.id, titleCs: election.title_cs, titleEn: election.title_en },
		custom: custom?.toString() ?? null,
		defaultDeadline: media.first_day ? defaultMediaRegistrationDeadline(media.first_day).toString() : null,
		firstDay: media.first_day,
		initial: prague
			? { day: String(prague.day), month: String(prague.month), year: String(prague.year), time: prague.toPlainTime().toString({ smallestUnit: 'minute' }) }
			: { day: '', month: '', year: '', time: '' }
	};
};

function refused(result: Exclude<SetMediaDeadlineResult, { kind: 'set' } | { kind: 'invalid' }>): never {
	if (result.kind === 'forbidden') error(403, 'Forbidden');
	error(404, 'Not found');
}

export const actions: Actions = {
	nastavit: async ({ locals, params, request }) => {
		const ctx = adminContext(locals);
		const form = await request.formData();
		const values = { day: text(form, 'deadlineDay', 4), month: text(form, 'deadlineMonth', 4), year: text(form, 'deadlineYear', 6), time: text(form, 'deadlineTime', 8) };
		const result = await setMediaRegistrationDeadline(ctx.db, { electionId: params.id, deadline: values }, ctx.actor, ctx.now);
		if (result.kind === 'invalid') return fail(400, { values, errors: result.errors, firstDay: result.firstDay });
		if (result.kind !== 'set') refused(result);
		redirect(303, `/urad/sprava/volby/${params.id}/media?uzaverka=1`);
	},
	vychozi: async ({ locals, params }) => {
		const ctx = adminContext(locals);
		const result = await setMediaRegistrationDeadline(ctx.db, { electionId: params.id, deadline: null }, ctx.actor, ctx.now);
		if (result.kind === 'invalid') error(400, 'Bad request');
		if (result.kind !== 'set') refused(result);
		redirect(303, `/urad/sprava/volby/${params.id}/media?uzaverka=1`);
	}
};
