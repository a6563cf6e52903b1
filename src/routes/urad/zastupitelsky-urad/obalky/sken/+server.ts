import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { cleanFreeText } from '$lib/forms/free-text';
import { m } from '$lib/paraglide/messages';
import { apiError, readJsonBody } from '$lib/server/api/json-api';
import { clock } from '$lib/server/clock';
import { db } from '$lib/server/db/runtime';
import { undoLastScan } from '$lib/server/services/envelopes';
import { recordStationScan, stationCountersToday } from '$lib/server/services/scan-station';
import { EMBASSY_ROLES, staffActorFrom } from '$lib/server/services/staff-actor';
import { parseRoundKey } from '$lib/server/staff-pages/envelopes';
import type { StationScanResponse } from '$lib/components/staff/envelope-types';
import type { RequestHandler } from './$types';

/**
 * POST /urad/zastupitelsky-urad/obalky/sken — one scan of the envelope station (issue 13), sent
 * by the page's script in the background: same session, same origin (hooks.server.ts refuses a
 * cross-site write). Idempotent on `scanId`: a retry answers the first outcome (`repeat: true`).
 *
 *   { "scanId": "<uuid>", "code": "…", "volby": "<electionId>-<round>", "sarze": "A-01",
 *     "scannedAt": <browser ms>, "sentAt": <browser ms> }
 *   { "undo": "<envelopeId>" }      — takes back the clerk's own last scan (as the form's undo)
 *
 * 200 StationScanResponse; 400 invalid body; 401 no staff session; 403 another role; 409 the id
 * belongs to someone else's scan.
 */
const scanBody = z.strictObject({
	scanId: z.uuid(),
	code: z.string().max(200),
	volby: z.string().max(60).nullable().optional(),
	sarze: z.string().max(200).nullable().optional(),
	scannedAt: z.number().finite().nullable().optional(),
	sentAt: z.number().finite().nullable().optional()
});
const undoBody = z.strictObject({ undo: z.uuid() });

export const POST: RequestHandler = async ({ request, locals }) => {
	const now = clock().now();
	if (!locals.staff || !locals.session?.twoFactorVerified) return apiError(401, 'login-required', m.rel_api_login_required());
	if (!EMBASSY_ROLES.includes(locals.staff.role)) return apiError(403, 'forbidden', 'Přístup odepřen. / Forbidden.');
	const actor = staffActorFrom(locals.staff);
	const body = await readJsonBody(request);
	if (!body.ok) return body.response;

	const undo = undoBody.safeParse(body.value);
	if (undo.success) {
		const result = await undoLastScan(db(), { envelopeId: undo.data.undo }, actor, now);
		return json({ undo: result.kind }, { headers: { 'Cache-Control': 'no-store' } });
	}
	const parsed = scanBody.safeParse(body.value);
	if (!parsed.success) return apiError(400, 'invalid-input', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
	const input = parsed.data;
	const expected = input.volby ? parseRoundKey(input.volby) : null;
	const batch = cleanFreeText(input.sarze ?? '');
	const ago = input.scannedAt != null && input.sentAt != null ? input.sentAt - input.scannedAt : null;
	const result =
		batch === null
			? ({ kind: 'scan', outcome: { kind: 'invalid', code: input.code.trim(), reason: 'batch-characters' }, repeat: false } as const)
			: await recordStationScan(db(), { scanId: input.scanId, code: input.code, storageBatch: batch, expected, scannedAgoMs: ago }, actor, now);
	if (result.kind === 'forbidden') return apiError(403, 'forbidden', 'Přístup odepřen. / Forbidden.');
	if (result.kind === 'scan-id-taken') return apiError(409, 'scan-id-taken', 'Toto ID skenu už bylo použito. / This scan id is taken.');
	const response: StationScanResponse = {
		scanId: input.scanId,
		outcome: result.outcome,
		repeat: result.repeat,
		today: await stationCountersToday(db(), actor, now)
	};
	return json(response, { headers: { 'Cache-Control': 'no-store' } });
};
