import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { requireStaff } from '$lib/server/auth/guards';
import { clock } from '$lib/server/clock';
import { db } from '$lib/server/db/runtime';
import { findRegisteredVoter, isRemovalChannel, removeFromSpecialDistrict, type RemovalChannel } from '$lib/server/services/registrations';
import { EMBASSY_ROLES, staffActorFrom } from '$lib/server/services/staff-actor';
import type { Actions, PageServerLoad } from './$types';

/** §56(4): the clerk records the voter's request to be removed from the special district. */
export const load: PageServerLoad = async ({ locals, params }) => {
	const actor = staffActorFrom(requireStaff(locals, EMBASSY_ROLES));
	const result = await findRegisteredVoter(db(), params.voterId, actor);
	if (result.kind === 'forbidden') error(403);
	if (result.kind === 'not-found') error(404);
	return { voter: { id: result.voter.id, name: `${result.voter.given_name} ${result.voter.family_name}` } };
};

const schema = z.object({ channel: z.custom<RemovalChannel>(isRemovalChannel) });

export const actions: Actions = {
	default: async ({ locals, params, request }) => {
		const actor = staffActorFrom(requireStaff(locals, EMBASSY_ROLES));
		const parsed = schema.safeParse({ channel: (await request.formData()).get('zpusob') });
		if (!parsed.success) return fail(400, { values: { zpusob: '' }, errors: { zpusob: 'required' as const } });
		const result = await removeFromSpecialDistrict(db(), { voterId: params.voterId, channel: parsed.data.channel }, actor, clock().now());
		if (result.kind === 'forbidden') error(403);
		if (result.kind === 'not-found') error(404);
		redirect(303, '/urad/zastupitelsky-urad/registrace?vyrazen');
	}
};
