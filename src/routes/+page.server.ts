import { db } from '$lib/server/db/runtime';
import { listElections } from '$lib/server/db/queries/elections';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	const elections = await listElections(db());
	return { elections };
};
