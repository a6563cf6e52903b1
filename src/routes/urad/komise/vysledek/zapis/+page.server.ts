import { error, fail, redirect } from '@sveltejs/kit';
import { RESULT_CHECK_TEXT, recordFieldKey, recordFields, recordValue, type RecordField, type ResultShape } from '$lib/domain/results';
import { securityInstant } from '$lib/server/auth/staff-routes';
import { closeResult, resultEntryView, saveResultEntry } from '$lib/server/services/district-results';
import { COMMISSION_GROUP, envelopePageContext } from '$lib/server/staff-pages/envelopes';
import type { Actions, PageServerLoad } from './$types';

/** A field of the form with what the page shows for it; labels of totals come from the messages. */
function fieldView(shape: ResultShape, field: RecordField) {
	const list = field.kind === 'total' ? undefined : shape.lists.find((l) => l.number === field.list);
	const candidate = field.kind === 'candidate' ? list?.candidates.find((c) => c.number === field.candidate) : undefined;
	return {
		key: recordFieldKey(field),
		kind: field.kind,
		total: field.kind === 'total' ? field.field : null,
		list: list ? { number: list.number, name: list.name } : null,
		candidate: candidate ? { number: candidate.number, name: candidate.name } : null
	};
}

/** §57d(6) onward: the record of the result, entered twice, checked, closed and signed by the chair. */
export const load: PageServerLoad = async (event) => {
	const ctx = await envelopePageContext(event, COMMISSION_GROUP);
	const selected = ctx.selected;
	if (!selected) error(404, 'Not found');
	const result = await resultEntryView(ctx.db, { electionId: selected.electionId, round: selected.round }, ctx.actor, ctx.now);
	if (result.kind === 'forbidden') error(403, 'Forbidden');
	if (result.kind === 'not-found') error(404, 'Not found');
	const { view } = result;
	const fields = recordFields(view.shape);
	const text = (check: keyof typeof RESULT_CHECK_TEXT) => RESULT_CHECK_TEXT[check][ctx.locale];
	const latest = view.versions.at(-1);
	return {
		selected,
		isChair: ctx.actor.role === 'commission-chair',
		side: view.side,
		ballotBoxOpened: view.ballotBoxOpened,
		hasLists: view.shape.lists.length > 0,
		preferential: view.shape.preferencesAllowed > 0,
		fields: fields.map((f) => fieldView(view.shape, f)),
		ownValues: view.own ? Object.fromEntries(fields.map((f) => [recordFieldKey(f), String(recordValue(view.own!.record, f))])) : null,
		own: view.own ? { enteredAt: view.own.enteredAt.toString() } : null,
		failures: (view.own?.failures ?? []).map((f) => ({ ...f, text: text(f.check) })),
		other: view.other ? { side: view.other.side, enteredByName: view.other.enteredByName, enteredAt: view.other.enteredAt.toString() } : null,
		differences: view.differences ? view.differences.map((f) => fieldView(view.shape, f)) : null,
		versions: view.versions.map((v) => ({ version: v.version, closedAt: v.closedAt.toString(), closedByName: v.closedByName, correctionReason: v.correctionReason })),
		current: latest ? { version: latest.version, values: fields.map((f) => ({ ...fieldView(view.shape, f), value: recordValue(latest.record, f) })) } : null,
		justSaved: event.url.searchParams.has('ulozeno'),
		justClosed: event.url.searchParams.get('uzavreno')
	};
};

function formFields(form: FormData): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [key, value] of form) if (typeof value === 'string' && key.length <= 40) out[key] = value.slice(0, 40);
	return out;
}

export const actions: Actions = {
	/** The actor's side of the double entry. */
	ulozit: async (event) => {
		const ctx = await envelopePageContext(event, COMMISSION_GROUP);
		const selected = ctx.selected;
		if (!selected) error(404, 'Not found');
		const values = formFields(await event.request.formData());
		const result = await saveResultEntry(ctx.db, { electionId: selected.electionId, round: selected.round, fields: values }, ctx.actor, ctx.now);
		switch (result.kind) {
			case 'forbidden':
				error(403, 'Forbidden');
			case 'not-found':
				error(404, 'Not found');
			case 'invalid':
				return fail(400, { values, errors: result.errors, closeErrors: null });
			case 'ballot-box-not-opened':
			case 'no-candidate-lists':
				return fail(409, { values, errors: {}, closeErrors: null });
			case 'saved':
				redirect(303, `/urad/komise/vysledek/zapis?volby=${selected.key}&ulozeno=1`);
		}
	},
	/** The chair closes the identical, checked record and signs it with the second factor. */
	uzavrit: async (event) => {
		const ctx = await envelopePageContext(event, COMMISSION_GROUP);
		const selected = ctx.selected;
		if (!selected) error(404, 'Not found');
		const form = await event.request.formData();
		const code = String(form.get('kod') ?? '').slice(0, 20);
		const reason = String(form.get('duvod') ?? '').slice(0, 1000);
		if (code.replace(/\s/g, '') === '') return fail(400, { values: {}, errors: {}, closeErrors: { kod: 'code-required' }, reason });
		const result = await closeResult(
			ctx.db,
			{ electionId: selected.electionId, round: selected.round, code, reason, securityAt: securityInstant(ctx.now) },
			ctx.actor,
			ctx.now
		);
		switch (result.kind) {
			case 'forbidden':
				error(403, 'Forbidden');
			case 'not-found':
				error(404, 'Not found');
			case 'closed':
				redirect(303, `/urad/komise/vysledek/zapis?volby=${selected.key}&uzavreno=${result.version}`);
			case 'signature-invalid':
			case 'signature-replayed':
			case 'not-enrolled':
				return fail(400, { values: {}, errors: {}, closeErrors: { kod: result.kind }, reason });
			case 'reason-required':
				return fail(400, { values: {}, errors: {}, closeErrors: { duvod: result.kind }, reason });
			default:
				return fail(409, { values: {}, errors: {}, closeErrors: { form: result.kind }, reason });
		}
	}
};
