import { fail, redirect } from '@sveltejs/kit';
import { COMMISSION_GROUP, confirmHandoverSide, loadHandover } from '$lib/server/staff-pages/envelopes';
import type { Actions, PageServerLoad } from './$types';

/** §57c(4): the hand-over record as the commission sees it; its chair confirms taking the envelopes over. */
export const load: PageServerLoad = async (event) => {
	const { ctx, record, roundCount, key } = await loadHandover(event, COMMISSION_GROUP);
	const isChair = ctx.actor.role === 'commission-chair';
	return {
		record,
		roundCount,
		key,
		canConfirm: isChair && record.chair === null,
		isChair,
		confirmed: event.url.searchParams.has('potvrzeno')
	};
};

export const actions: Actions = {
	potvrdit: async (event) => {
		const result = await confirmHandoverSide(event, COMMISSION_GROUP, 'chair');
		if (result.kind !== 'confirmed') return fail(409, { problem: result.kind });
		redirect(303, `/urad/komise/predani/${result.handoverId}?potvrzeno`);
	}
};
