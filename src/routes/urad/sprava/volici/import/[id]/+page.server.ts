import { error } from '@sveltejs/kit';
import { requireStaff } from '$lib/server/auth/guards';
import { clock } from '$lib/server/clock';
import { db } from '$lib/server/db/runtime';
import { staffActorFrom } from '$lib/server/services/staff-actor';
import { getVoterImportStatus, VOTER_LIST_ROLES } from '$lib/server/services/voter-import';
import type { PageServerLoad } from './$types';

/**
 * One import: its progress while it runs (without JavaScript, a link to look again; with
 * JavaScript, a progress bar polling ./stav), then its result or its report of errors.
 */
export const load: PageServerLoad = async ({ locals, params }) => {
	const actor = staffActorFrom(requireStaff(locals, VOTER_LIST_ROLES));
	const result = await getVoterImportStatus(db(), { importId: params.id }, actor, () => clock().now());
	if (result.kind === 'forbidden') error(403, 'Forbidden');
	if (result.kind === 'not-found') error(404, 'Not found');
	return { view: result.view };
};
