import { EMBASSY_GROUP } from '$lib/server/staff-pages/context';
import { loadUndoHandOver, undoHandOverActions } from '$lib/server/staff-pages/batches';
import type { Actions, PageServerLoad } from './$types';

/** Issue 12: a hand-over or dispatch recorded by mistake, undone the same day with the reason. */
export const load: PageServerLoad = (event) => loadUndoHandOver(event, EMBASSY_GROUP);
export const actions: Actions = undoHandOverActions(EMBASSY_GROUP);
