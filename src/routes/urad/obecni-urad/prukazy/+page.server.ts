import { MUNICIPAL_GROUP } from '$lib/server/staff-pages/context';
import { loadVoterCardEvidence } from '$lib/server/staff-pages/voter-card-evidence';
import type { PageServerLoad } from './$types';

/** §23(3): the office's evidence of voter cards. */
export const load: PageServerLoad = (event) => loadVoterCardEvidence(event, MUNICIPAL_GROUP);
