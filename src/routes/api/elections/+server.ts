import { db } from '$lib/server/db/runtime';
import { listElectionsJson } from '$lib/server/services/calendar';
import { cachedJson } from './cached-json';
import type { RequestHandler } from './$types';

/** Public: every election as `[{ id, type, title, rounds: [{ round, firstDay }] }]`, title in Czech. */
export const GET: RequestHandler = async ({ request }) => cachedJson(request, await listElectionsJson(db()));
