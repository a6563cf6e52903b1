import { fail, redirect } from '@sveltejs/kit';
import { correspondenceDeliverySchema, parseForm } from '$lib/forms/requests';
import { voterContext, writeDraft } from '$lib/server/flows/context';
import {
	CORRESPONDENCE_FLOW,
	CORRESPONDENCE_PATHS,
	CORRESPONDENCE_STEPS,
	enterCorrespondenceStep,
	governingDeadline,
	loadCorrespondenceState
} from '$lib/server/flows/correspondence';
import { backPath, nextStep } from '$lib/server/flows/steps';
import type { Actions, PageServerLoad } from './$types';

/** §57a(4): mailed to an address inside the embassy's area, or collected at the embassy. */
export const load: PageServerLoad = async (event) => {
	const ctx = voterContext(event);
	const state = await loadCorrespondenceState(ctx);
	enterCorrespondenceStep(state, 'delivery');
	return {
		embassy: { name: ctx.locale === 'en' ? state.embassy.name_en : state.embassy.name_cs, address: state.embassy.address },
		value: state.answers.delivery ?? '',
		deadline: governingDeadline(state),
		back: backPath(CORRESPONDENCE_STEPS, state, 'delivery', CORRESPONDENCE_PATHS.start)
	};
};

export const actions: Actions = {
	default: async (event) => {
		const ctx = voterContext(event);
		const state = await loadCorrespondenceState(ctx);
		enterCorrespondenceStep(state, 'delivery');
		const parsed = parseForm(correspondenceDeliverySchema, await event.request.formData(), ['delivery']);
		if (!parsed.ok) return fail(400, { values: parsed.values, errors: parsed.errors });
		const answers = { ...state.answers, delivery: parsed.data.delivery };
		await writeDraft(ctx, CORRESPONDENCE_FLOW, answers);
		redirect(303, nextStep(CORRESPONDENCE_STEPS, { ...state, answers }).path);
	}
};
