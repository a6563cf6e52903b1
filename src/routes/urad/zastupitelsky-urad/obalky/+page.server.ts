import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import { formatEnvelopeCode } from '$lib/domain/envelopes';
import { cleanFreeText } from '$lib/forms/free-text';
import { db } from '$lib/server/db/runtime';
import { clock } from '$lib/server/clock';
import { requireStaff } from '$lib/server/auth/guards';
import { recordEnvelopeScan, summariseArrivals, undoLastScan } from '$lib/server/services/envelopes';
import { decideLateReceipt, listLateReviews, stationCountersToday } from '$lib/server/services/scan-station';
import { EMBASSY_ROLES, staffActorFrom } from '$lib/server/services/staff-actor';
import { EMBASSY_GROUP, envelopePageContext, lateEnvelopes } from '$lib/server/staff-pages/envelopes';
import type { LastScan, ScanAcknowledgement, ScanErrorCode, ScanErrors, UndoProblem } from '$lib/components/staff/envelope-types';
import type { Actions, PageServerLoad } from './$types';

/**
 * §57c(3): the embassy records each return envelope on arrival; §57c(5): a late one is kept
 * apart. The page of the scanning station: a USB scanner types the code and Enter.
 */
export const load: PageServerLoad = async (event) => {
	const ctx = await envelopePageContext(event, EMBASSY_GROUP);
	const selected = ctx.selected;
	// The station's queue and counters in the browser are the clerk's own (issue 13).
	const station = { key: `vp-obalky:${ctx.actor.id}`, today: await stationCountersToday(ctx.db, ctx.actor, ctx.now) };
	const isHead = ctx.actor.role === 'embassy-head';
	if (!selected) return { rounds: ctx.rounds, selected: null, storage: null, late: [], handovers: 0, station, reviews: [], isHead };
	const [summary, late, reviews] = await Promise.all([
		summariseArrivals(ctx.db, { officeId: ctx.officeId, electionId: selected.electionId }, ctx.actor),
		lateEnvelopes(ctx.db, { electionId: selected.electionId, round: selected.round }, ctx.actor, ctx.timeZone),
		listLateReviews(ctx.db, { electionId: selected.electionId, round: selected.round }, ctx.actor, ctx.timeZone)
	]);
	if (summary.kind === 'forbidden' || late.kind === 'forbidden' || reviews.kind === 'forbidden') error(403, 'Forbidden');
	if (summary.kind === 'not-found') error(404, 'Not found');
	const round = summary.rounds.find((r) => r.round === selected.round);
	return {
		rounds: ctx.rounds,
		selected,
		storage: {
			held: round?.held ?? { total: 0, byBatch: [] },
			late: round?.late ?? 0,
			handedOver: round?.handedOver ?? 0
		},
		late: late.envelopes,
		handovers: summary.handovers.filter((h) => h.round === selected.round).length,
		station,
		reviews: reviews.envelopes,
		isHead
	};
};

const lastScanSchema = z.object({ envelopeId: z.uuid(), code: z.string().regex(/^[0-9A-Z]{12}$/) });

function postedLastScan(form: FormData): LastScan | null {
	const parsed = lastScanSchema.safeParse({ envelopeId: form.get('posledni'), code: form.get('posledni_kod') });
	return parsed.success ? parsed.data : null;
}

function text(form: FormData, name: string): string {
	const value = form.get(name);
	return typeof value === 'string' ? value : '';
}

export const actions: Actions = {
	/** One scan (or a typed code): recorded, late, duplicate or unknown, acknowledged at once. */
	prijmout: async ({ locals, request }) => {
		const actor = staffActorFrom(requireStaff(locals, EMBASSY_ROLES));
		const form = await request.formData();
		const code = text(form, 'kod').trim();
		// The storage batch is free text a clerk types (src/lib/forms/free-text.ts).
		const typedBatch = text(form, 'sarze');
		const storageBatch = cleanFreeText(typedBatch) ?? typedBatch.trim();
		let lastScan = postedLastScan(form);
		const invalid = (field: 'kod' | 'sarze', problem: ScanErrorCode) => {
			const errors: ScanErrors = { [field]: problem };
			return fail(400, { values: { sarze: storageBatch, kod: text(form, 'kod') }, errors, scan: null, lastScan });
		};
		if (!code) return invalid('kod', 'required');
		if (cleanFreeText(typedBatch) === null) return invalid('sarze', 'batch-characters');

		const result = await recordEnvelopeScan(db(), { code, storageBatch }, actor, clock().now());
		let scan: ScanAcknowledgement;
		switch (result.kind) {
			case 'forbidden':
				error(403, 'Forbidden');
			case 'invalid-code':
				return invalid('kod', result.reason);
			case 'invalid-storage-batch':
				return invalid('sarze', 'batch-too-long');
			case 'voting-not-configured':
				scan = { kind: 'voting-not-configured', code: null };
				break;
			case 'unknown-code':
			// the plain form names no round: these come from the station only (issue 13)
			case 'other-embassy':
			case 'wrong-election':
				scan = { kind: 'unknown', code: formatEnvelopeCode(result.code) };
				break;
			case 'duplicate':
				scan = { kind: 'duplicate', code: formatEnvelopeCode(result.code), initials: result.initials, firstReceivedAt: result.firstReceivedAt };
				break;
			case 'recorded':
			case 'late':
			case 'received-late':
				scan = {
					kind: result.kind === 'recorded' ? 'recorded' : 'late',
					code: formatEnvelopeCode(result.code),
					initials: result.initials,
					count: result.count,
					receivedAt: result.receivedAt,
					storageBatch: result.storageBatch
				};
				lastScan = { envelopeId: result.envelopeId, code: result.code };
				break;
		}
		return { values: { sarze: storageBatch, kod: '' }, errors: null, scan, lastScan };
	},

	/** Takes back the last acknowledged scan of this clerk (a wrong envelope, a double feed). */
	vratit: async ({ locals, request }) => {
		const actor = staffActorFrom(requireStaff(locals, EMBASSY_ROLES));
		const form = await request.formData();
		const values = { sarze: text(form, 'sarze').trim(), kod: '' };
		const lastScan = postedLastScan(form);
		const problem = (undo: UndoProblem) => {
			const errors: ScanErrors = { undo };
			return fail(409, { values, errors, scan: null, lastScan: null });
		};
		if (!lastScan) return problem('nothing-to-undo');
		const result = await undoLastScan(db(), { envelopeId: lastScan.envelopeId }, actor, clock().now());
		if (result.kind === 'forbidden') error(403, 'Forbidden');
		if (result.kind !== 'undone') return problem(result.kind);
		const scan: ScanAcknowledgement = { kind: 'undone', code: formatEnvelopeCode(lastScan.code) };
		return { values, errors: null, scan, lastScan: null };
	},

	/**
	 * Issue 13: the head of the embassy decides on an envelope scanned before the close of voting
	 * and received after it: received in time, or late (§57c(5)).
	 */
	rozhodnout: async ({ locals, request }) => {
		const actor = staffActorFrom(requireStaff(locals, ['embassy-head']));
		const form = await request.formData();
		const envelopeId = text(form, 'obalka');
		const decision = text(form, 'rozhodnuti');
		const code = text(form, 'obalka_kod').slice(0, 20);
		const result = await decideLateReceipt(db(), { envelopeId, decision }, actor, clock().now());
		switch (result.kind) {
			case 'forbidden':
				error(403, 'Forbidden');
			case 'not-found':
				error(404, 'Not found');
			case 'already-decided':
			case 'too-late':
				return fail(409, { review: { decided: null, code: null, problem: result.kind } });
			case 'decided':
				return { review: { decided: result.decision, code: formatEnvelopeCode(code.replace(/[^0-9A-Z]/gi, '')), problem: null } };
		}
	}
};
