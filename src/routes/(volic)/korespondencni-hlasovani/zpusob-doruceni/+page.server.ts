import { correspondenceDeliverySchema } from '$lib/forms/requests';
import { CORRESPONDENCE, governingDeadline } from '$lib/server/flows/correspondence';
import { answerAction, openStep } from '$lib/server/flows/flow';
import type { Actions, PageServerLoad } from './$types';

/** §57a(4): mailed to an address inside the embassy's area, or collected at the embassy. */
export const load: PageServerLoad = async (event) => {
	const { ctx, state, back } = await openStep(event, CORRESPONDENCE, 'delivery');
	return {
		embassy: { name: ctx.locale === 'en' ? state.embassy.name_en : state.embassy.name_cs, address: state.embassy.address },
		value: state.answers.delivery ?? '',
		deadline: governingDeadline(state),
		back
	};
};

export const actions: Actions = {
	default: answerAction(CORRESPONDENCE, 'delivery', {
		schema: correspondenceDeliverySchema,
		fields: ['delivery'],
		answer: ({ delivery }, { state }) => ({ ...state.answers, delivery })
	})
};
