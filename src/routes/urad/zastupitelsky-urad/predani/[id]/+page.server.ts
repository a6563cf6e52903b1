import { fail, redirect } from '@sveltejs/kit';
import { EMBASSY_GROUP, confirmHandoverSide, loadHandover } from '$lib/server/staff-pages/envelopes';
import type { Actions, PageServerLoad } from './$types';

/** §57c(4): one hand-over record; the head of the embassy confirms it. */
export const load: PageServerLoad = async (event) => {
	const { ctx, record, roundCount, key } = await loadHandover(event, EMBASSY_GROUP);
	return {
		record,
		roundCount,
		key,
		canConfirm: ctx.actor.role === 'embassy-head' && record.head === null,
		isHead: ctx.actor.role === 'embassy-head',
		created: event.url.searchParams.get('vytvoreno'),
		confirmed: event.url.searchParams.has('potvrzeno')
	};
};

export const actions: Actions = {
	potvrdit: async (event) => {
		const result = await confirmHandoverSide(event, EMBASSY_GROUP, 'head');
		if (result.kind !== 'confirmed') return fail(409, { problem: result.kind });
		redirect(303, `/urad/zastupitelsky-urad/predani/${result.handoverId}?potvrzeno`);
	}
};
