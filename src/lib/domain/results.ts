/**
 * The special commission's record of the result of the vote (issue 17; §57d(6) onward): the
 * figures the chair enters after the ballot box is opened and counted on paper, the checks
 * the statistical office's software makes before such a record may be closed, and the
 * comparison of two independent entries. Pure: no clock, no database.
 *
 * The portal never sees a ballot (§57d(4)); these are the commission's totals only.
 */
import type { ElectionType } from './elections';

/** One candidate list (a party or coalition; for the President, one candidate) with its drawn number. */
export interface CandidateListDefinition {
	/** The drawn number (KSTRANA / PORADOVE_CISLO in the statistical office's files). */
	number: number;
	name: string;
	/** The candidates of a list that may receive preferential votes (Chamber, European Parliament). */
	candidates: { number: number; name: string }[];
}

/** What a record of the result must contain for one election. */
export interface ResultShape {
	lists: CandidateListDefinition[];
	/** How many preferential votes a voter may give on the ballot of one list; 0 = none. */
	preferencesAllowed: number;
}

/**
 * Preferential votes a voter may give: four for the Chamber (Act 247/1995 Sb. §39(4)), two
 * for the European Parliament (Act 62/2003 Sb. §37(4)); none where a ballot names one
 * candidate (the President: votes are per candidate, i.e. per "list" of one).
 */
export function preferencesAllowed(type: ElectionType): number {
	if (type === 'chamber') return 4;
	if (type === 'european') return 2;
	return 0;
}

/** Whether the election's ballots carry candidates with preferential votes. */
export function hasPreferentialVotes(shape: Pick<ResultShape, 'preferencesAllowed'>): boolean {
	return shape.preferencesAllowed > 0;
}

export interface ResultRecord {
	/** Voters on the special district's list (ZAPSANI_VOLICI). */
	votersOnList: number;
	/** Official envelopes issued to voters (VYDANE_OBALKY). */
	envelopesIssued: number;
	/** Official envelopes received: put into the ballot box (ODEVZDANE_OBALKY). */
	envelopesReceived: number;
	/** Official envelopes counted from the opened ballot box. */
	envelopesCounted: number;
	/** Valid votes in total (PLATNE_HLASY). */
	validVotes: number;
	/** Invalid or blank ballots (envelopes without a valid vote). */
	invalidVotes: number;
	/** Valid votes per list, by the list's drawn number. */
	listVotes: Record<number, number>;
	/** Preferential votes per candidate: listNumber → candidateNumber → votes. */
	preferentialVotes: Record<number, Record<number, number>>;
}

export const RECORD_TOTAL_FIELDS = [
	'votersOnList',
	'envelopesIssued',
	'envelopesReceived',
	'envelopesCounted',
	'validVotes',
	'invalidVotes'
] as const;
export type RecordTotalField = (typeof RECORD_TOTAL_FIELDS)[number];

/** A field of a record: a total, one list's votes, or one candidate's preferential votes. */
export type RecordField = { kind: 'total'; field: RecordTotalField } | { kind: 'list'; list: number } | { kind: 'candidate'; list: number; candidate: number };

/** The form name of a field: `votersOnList`, `list-3`, `pref-3-12`. */
export function recordFieldKey(field: RecordField): string {
	if (field.kind === 'total') return field.field;
	if (field.kind === 'list') return `list-${field.list}`;
	return `pref-${field.list}-${field.candidate}`;
}

/** Every field of a record of this shape, in the order of the form and the protocol. */
export function recordFields(shape: ResultShape): RecordField[] {
	const fields: RecordField[] = RECORD_TOTAL_FIELDS.map((field) => ({ kind: 'total', field }));
	for (const list of shape.lists) fields.push({ kind: 'list', list: list.number });
	if (hasPreferentialVotes(shape)) {
		for (const list of shape.lists) for (const c of list.candidates) fields.push({ kind: 'candidate', list: list.number, candidate: c.number });
	}
	return fields;
}

export function recordValue(record: ResultRecord, field: RecordField): number {
	if (field.kind === 'total') return record[field.field];
	if (field.kind === 'list') return record.listVotes[field.list] ?? 0;
	return record.preferentialVotes[field.list]?.[field.candidate] ?? 0;
}

/** A copy of the record with one field set (the property tests change one number at a time). */
export function withRecordValue(record: ResultRecord, field: RecordField, value: number): ResultRecord {
	const copy: ResultRecord = {
		...record,
		listVotes: { ...record.listVotes },
		preferentialVotes: Object.fromEntries(Object.entries(record.preferentialVotes).map(([k, v]) => [k, { ...v }]))
	};
	if (field.kind === 'total') copy[field.field] = value;
	else if (field.kind === 'list') copy.listVotes[field.list] = value;
	else (copy.preferentialVotes[field.list] ??= {})[field.candidate] = value;
	return copy;
}

/** The largest number a field may hold; more than any special district's voters. */
export const MAX_RECORD_VALUE = 10_000_000;

export type RecordParseErrors = Record<string, 'required' | 'not-a-number'>;

/**
 * Reads a record from the form's fields (keys of recordFieldKey): every field is required,
 * a whole number from 0 to MAX_RECORD_VALUE; spaces (thousands separators) are forgiven.
 */
export function parseResultRecord(
	shape: ResultShape,
	input: Record<string, string | undefined>
): { ok: true; record: ResultRecord } | { ok: false; errors: RecordParseErrors } {
	const errors: RecordParseErrors = {};
	let record: ResultRecord = {
		votersOnList: 0,
		envelopesIssued: 0,
		envelopesReceived: 0,
		envelopesCounted: 0,
		validVotes: 0,
		invalidVotes: 0,
		listVotes: {},
		preferentialVotes: {}
	};
	for (const field of recordFields(shape)) {
		const key = recordFieldKey(field);
		const raw = (input[key] ?? '').replace(/[\s\u00a0]/g, '');
		if (raw === '') {
			errors[key] = 'required';
			continue;
		}
		if (!/^[0-9]{1,8}$/.test(raw) || Number(raw) > MAX_RECORD_VALUE) {
			errors[key] = 'not-a-number';
			continue;
		}
		record = withRecordValue(record, field, Number(raw));
	}
	return Object.keys(errors).length ? { ok: false, errors } : { ok: true, record };
}

// --- Checks ---

export type ResultCheckName =
	| 'issued-within-voters'
	| 'received-within-issued'
	| 'counted-within-received'
	| 'valid-plus-invalid-equals-counted'
	| 'valid-equals-sum-of-lists'
	| 'candidate-within-list'
	| 'preferences-within-allowed';

export interface ResultCheckFailure {
	check: ResultCheckName;
	/** The list (and candidate) the failure is about, when it is about one. */
	list?: number;
	candidate?: number;
	/** The two sides that do not agree, as numbers, so the message can show them. */
	left: number;
	right: number;
}

/** Each check in words, Czech first; the same words the form and the protocol show. */
export const RESULT_CHECK_TEXT: Readonly<Record<ResultCheckName, { cs: string; en: string }>> = {
	'issued-within-voters': {
		cs: 'Vydaných úředních obálek nesmí být víc než voličů v seznamu.',
		en: 'There cannot be more official envelopes issued than voters on the list.'
	},
	'received-within-issued': {
		cs: 'Odevzdaných úředních obálek nesmí být víc než vydaných.',
		en: 'There cannot be more official envelopes received than issued.'
	},
	'counted-within-received': {
		cs: 'Obálek sečtených z volební schránky nesmí být víc než odevzdaných.',
		en: 'There cannot be more envelopes counted from the ballot box than received.'
	},
	'valid-plus-invalid-equals-counted': {
		cs: 'Platné a neplatné hlasy dohromady se musí rovnat počtu obálek sečtených z volební schránky.',
		en: 'Valid and invalid votes together must equal the envelopes counted from the ballot box.'
	},
	'valid-equals-sum-of-lists': {
		cs: 'Platné hlasy celkem se musí rovnat součtu hlasů pro jednotlivé kandidátní listiny.',
		en: 'Valid votes in total must equal the sum of the votes of the candidate lists.'
	},
	'candidate-within-list': {
		cs: 'Kandidát nemůže mít víc přednostních hlasů, než kolik hlasů získala jeho kandidátní listina.',
		en: 'A candidate cannot have more preferential votes than their candidate list received.'
	},
	'preferences-within-allowed': {
		cs: 'Přednostních hlasů na kandidátní listině nesmí být víc než hlasů listiny krát povolený počet přednostních hlasů.',
		en: 'The preferential votes on a list cannot exceed the list’s votes times the number of preferential votes allowed.'
	}
};

/**
 * The checks the statistical office's software makes before a special district's record may
 * be closed; an empty list means the record is consistent. Each failure names its check.
 */
export function checkResultRecord(shape: ResultShape, r: ResultRecord): ResultCheckFailure[] {
	const failures: ResultCheckFailure[] = [];
	if (r.envelopesIssued > r.votersOnList) failures.push({ check: 'issued-within-voters', left: r.envelopesIssued, right: r.votersOnList });
	if (r.envelopesReceived > r.envelopesIssued) failures.push({ check: 'received-within-issued', left: r.envelopesReceived, right: r.envelopesIssued });
	if (r.envelopesCounted > r.envelopesReceived) failures.push({ check: 'counted-within-received', left: r.envelopesCounted, right: r.envelopesReceived });
	if (r.validVotes + r.invalidVotes !== r.envelopesCounted) {
		failures.push({ check: 'valid-plus-invalid-equals-counted', left: r.validVotes + r.invalidVotes, right: r.envelopesCounted });
	}
	const listSum = shape.lists.reduce((sum, l) => sum + (r.listVotes[l.number] ?? 0), 0);
	if (listSum !== r.validVotes) failures.push({ check: 'valid-equals-sum-of-lists', left: listSum, right: r.validVotes });
	if (hasPreferentialVotes(shape)) {
		for (const list of shape.lists) {
			const listVotes = r.listVotes[list.number] ?? 0;
			let prefSum = 0;
			for (const c of list.candidates) {
				const votes = r.preferentialVotes[list.number]?.[c.number] ?? 0;
				prefSum += votes;
				// A voter gives a candidate at most one preferential vote, and only on that list's ballot.
				if (votes > listVotes) failures.push({ check: 'candidate-within-list', list: list.number, candidate: c.number, left: votes, right: listVotes });
			}
			const allowed = listVotes * shape.preferencesAllowed;
			if (prefSum > allowed) failures.push({ check: 'preferences-within-allowed', list: list.number, left: prefSum, right: allowed });
		}
	}
	return failures;
}

// --- Double entry ---

/**
 * The fields where two independent entries differ, in form order. Only the fields: the
 * portal never says which entry is right — the commission recounts and corrects.
 */
export function differingFields(shape: ResultShape, a: ResultRecord, b: ResultRecord): RecordField[] {
	return recordFields(shape).filter((f) => recordValue(a, f) !== recordValue(b, f));
}

export type CloseRefusal =
	| 'ballot-box-not-opened'
	| 'chair-entry-missing'
	| 'member-entry-missing'
	| 'entries-differ'
	| 'checks-failed'
	| 'reason-required';

/**
 * §57d(6) onward: the record may be closed only after the ballot box is opened, when the
 * chair's and a member's independent entries are identical and pass every check; a
 * correction of a closed record (a new version) must say why.
 */
export function checkResultClosing(
	shape: ResultShape,
	state: { ballotBoxOpened: boolean; chair: ResultRecord | null; member: ResultRecord | null; correction: boolean; reason: string }
): { ok: true } | { ok: false; reason: CloseRefusal } {
	if (!state.ballotBoxOpened) return { ok: false, reason: 'ballot-box-not-opened' };
	if (!state.chair) return { ok: false, reason: 'chair-entry-missing' };
	if (!state.member) return { ok: false, reason: 'member-entry-missing' };
	if (differingFields(shape, state.chair, state.member).length) return { ok: false, reason: 'entries-differ' };
	if (checkResultRecord(shape, state.chair).length) return { ok: false, reason: 'checks-failed' };
	if (state.correction && state.reason.trim() === '') return { ok: false, reason: 'reason-required' };
	return { ok: true };
}

// --- Candidate lists as CSV ---

export type CandidateCsvError = { line: number; problem: 'columns' | 'number' | 'name' | 'duplicate' | 'unknown-list' | 'empty' };

/**
 * The administrator's import: one line per list or candidate, `list,number,name` where a
 * candidate's line gives the list's number and their own (`3,1,Jana Nováková`) and a list's
 * line gives an empty candidate number (`3,,SPOLU`). A header line `list,candidate,name`
 * is skipped. Separators: comma or semicolon (spreadsheets in Czech use the latter).
 */
export function parseCandidateListCsv(text: string): { ok: true; lists: CandidateListDefinition[] } | { ok: false; errors: CandidateCsvError[] } {
	const errors: CandidateCsvError[] = [];
	const lists = new Map<number, CandidateListDefinition>();
	const pending: { line: number; list: number; number: number; name: string }[] = [];
	const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
	lines.forEach((raw, i) => {
		const line = i + 1;
		if (raw.trim() === '') return;
		const cells = raw.split(/[;,]/).map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
		if (i === 0 && /^list$/i.test(cells[0] ?? '')) return;
		if (cells.length < 3) return errors.push({ line, problem: 'columns' });
		const [listRaw, numberRaw, ...nameParts] = cells;
		const name = nameParts.join(', ').trim();
		if (!/^[0-9]{1,3}$/.test(listRaw!) || Number(listRaw) < 1 || (numberRaw !== '' && (!/^[0-9]{1,3}$/.test(numberRaw!) || Number(numberRaw) < 1))) {
			return errors.push({ line, problem: 'number' });
		}
		if (name === '' || name.length > 200) return errors.push({ line, problem: 'name' });
		const list = Number(listRaw);
		if (numberRaw === '') {
			if (lists.has(list)) return errors.push({ line, problem: 'duplicate' });
			lists.set(list, { number: list, name, candidates: [] });
		} else pending.push({ line, list, number: Number(numberRaw), name });
	});
	for (const c of pending) {
		const list = lists.get(c.list);
		if (!list) errors.push({ line: c.line, problem: 'unknown-list' });
		else if (list.candidates.some((x) => x.number === c.number)) errors.push({ line: c.line, problem: 'duplicate' });
		else list.candidates.push({ number: c.number, name: c.name });
	}
	if (!errors.length && lists.size === 0) errors.push({ line: 1, problem: 'empty' });
	if (errors.length) return { ok: false, errors };
	return { ok: true, lists: [...lists.values()].sort((a, b) => a.number - b.number) };
}
