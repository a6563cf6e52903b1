/**
 * Staff forms of issue 5 (decisions, voter cards, requests entered by a clerk): one zod
 * schema per form, shared by the server (which always validates) and the pages; error
 * messages are codes (DecisionErrorCode), turned into text by the pages. Also the section
 * of the act behind each refusal reason an office may give.
 */
import { z } from 'zod';
import { checkConsignmentNumber, DAY_COUNTED_RULES } from '../domain';
import { freeText } from './free-text';
import type { RequestKindName } from './refusal';

export type RefusalReasonName =
	| 'not-on-voter-list'
	| 'deadline-passed'
	| 'card-already-issued'
	| 'correspondence-package-already-issued'
	| 'wrong-office'
	| 'address-outside-jurisdiction'
	| 'excluded-country'
	| 'proxy-limit'
	| 'other';

/** The reasons an office chooses from (request.refusal_reason), in the order of the form. */
export const REFUSAL_REASON_NAMES: readonly RefusalReasonName[] = [
	'not-on-voter-list',
	'deadline-passed',
	'card-already-issued',
	'correspondence-package-already-issued',
	'wrong-office',
	'address-outside-jurisdiction',
	'excluded-country',
	'proxy-limit',
	'other'
];

/** The reasons that make sense for a kind of request. */
export function refusalReasonsFor(kind: RequestKindName): RefusalReasonName[] {
	switch (kind) {
		case 'voter-card':
			return ['not-on-voter-list', 'deadline-passed', 'card-already-issued', 'correspondence-package-already-issued', 'wrong-office', 'other'];
		case 'special-district-registration':
			return ['deadline-passed', 'address-outside-jurisdiction', 'wrong-office', 'other'];
		case 'correspondence-package':
			return [
				'not-on-voter-list',
				'deadline-passed',
				'correspondence-package-already-issued',
				'wrong-office',
				'address-outside-jurisdiction',
				'excluded-country',
				'proxy-limit',
				'other'
			];
		// §23(5): the office finds the data right as they are, or the voter is not on its list.
		case 'voter-list-correction':
			return ['other', 'not-on-voter-list', 'wrong-office'];
	}
}

/**
 * The section of Act 88/2024 Sb. that a refusal rests on, e.g. '§57(3)'; null for 'other'.
 * For a missed deadline, the section that sets that deadline (§78(3) when it is not known).
 */
export function refusalReasonSection(reason: RefusalReasonName, kind: RequestKindName, deadlineKey: string | null): string | null {
	switch (reason) {
		// §57(1): requests are filed with the office that keeps the voter on its list.
		case 'not-on-voter-list':
		case 'wrong-office':
			if (kind === 'voter-list-correction') return '§23(4)';
			return kind === 'special-district-registration' ? '§57(6)' : kind === 'correspondence-package' ? '§57a(1)' : '§57(1)';
		// §78(3): a missed deadline cannot be excused; the deadline's own section names it.
		case 'deadline-passed':
			return DAY_COUNTED_RULES.find((rule) => rule.key === deadlineKey)?.section ?? '§78(3)';
		// §57(1), §57(5): one voter card per election and round.
		case 'card-already-issued':
			return '§57(1)';
		// §57(1) as amended: no voter card after a package; §57a(1): one package per election.
		case 'correspondence-package-already-issued':
			return kind === 'voter-card' ? '§57(1)' : '§57a(1)';
		// §57(6) for a registration; §57a(4) for a mailed package.
		case 'address-outside-jurisdiction':
			return kind === 'special-district-registration' ? '§57(6)' : '§57a(4)';
		// §58(3): the government's list of excluded countries.
		case 'excluded-country':
			return '§58(3)';
		// §57b(1): at most 7 voters per proxy, embassy and election.
		case 'proxy-limit':
			return '§57b(1)';
		case 'other':
			return null;
	}
}

export type DecisionErrorCode =
	| 'reason_required'
	| 'text_required'
	| 'text_too_long'
	| 'method_required'
	| 'method_post_no_address'
	| 'proxy_name_required'
	| 'proxy_name_too_long'
	| 'proxy_birth_date_invalid'
	| 'note_required'
	| 'note_too_long'
	| 'loss_reason_required'
	| 'family_name_required'
	| 'name_too_long'
	| 'birth_date_invalid'
	| 'kind_required'
	| 'election_required'
	| 'rounds_required'
	| 'channel_required'
	| 'delivery_required'
	| 'filed_by_required'
	/** Control or bidi characters in free text (src/lib/forms/free-text.ts). */
	| 'text_invalid_characters'
	/** The registered letter's consignment number (UPU S10, issue 12). */
	| 'consignment_format'
	| 'consignment_check_digit'
	| 'consignment_used'
	| 'consignment_not_post';

export type DecisionFieldErrors = Partial<Record<string, DecisionErrorCode>>;

export type DecisionParseResult<T> =
	| { ok: true; data: T; values: Record<string, string> }
	| { ok: false; values: Record<string, string>; errors: DecisionFieldErrors };

function text(data: FormData, name: string): string {
	const value = data.get(name);
	return typeof value === 'string' ? value : '';
}

/** Validates the named fields of a form; on failure returns what was typed and the first error per field. */
export function parseStaffForm<S extends z.ZodType>(schema: S, data: FormData, fields: readonly string[]): DecisionParseResult<z.infer<S>> {
	const values: Record<string, string> = Object.fromEntries(fields.map((f) => [f, text(data, f)]));
	const result = schema.safeParse(values);
	if (result.success) return { ok: true, data: result.data, values };
	const errors: DecisionFieldErrors = {};
	for (const issue of result.error.issues) {
		const field = String(issue.path[0] ?? fields[0] ?? 'form');
		errors[field] ??= issue.message as DecisionErrorCode;
	}
	return { ok: false, values, errors };
}

const code = (c: DecisionErrorCode) => c;

/** Free text on one line (names, address), and in a textarea (notes, the refusal's text: line breaks kept as LF). */
const line = () => freeText(code('text_invalid_characters'));
const multiline = () => freeText(code('text_invalid_characters'), { multiline: true });

export const REFUSAL_TEXT_MAX = 1000;
export const NOTE_MAX = 500;
export const NAME_MAX = 200;

export const refusalSchema = z
	.object({
		reason: z.enum(REFUSAL_REASON_NAMES as [RefusalReasonName, ...RefusalReasonName[]], { error: code('reason_required') }),
		text: multiline().max(REFUSAL_TEXT_MAX, code('text_too_long'))
	})
	.superRefine((value, ctx) => {
		if (value.reason === 'other' && value.text === '') ctx.addIssue({ code: 'custom', path: ['text'], message: code('text_required') });
	});
export const REFUSAL_FIELDS = ['reason', 'text'] as const;

/**
 * A calendar date from three boxes (GOV.UK date input): day, month, year → 'YYYY-MM-DD',
 * or null if it is not a real date.
 */
export function dateFromParts(day: string, month: string, year: string): string | null {
	const d = Number(day.trim());
	const mo = Number(month.trim());
	const y = Number(year.trim());
	if (!/^\d{1,2}$/.test(day.trim()) || !/^\d{1,2}$/.test(month.trim()) || !/^\d{4}$/.test(year.trim())) return null;
	const date = new Date(Date.UTC(y, mo - 1, d));
	if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || y < 1900) return null;
	return `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Optional date boxes: all empty → null; otherwise a real date or an error. */
function optionalDate(prefix: string) {
	return (value: Record<string, string>, ctx: z.RefinementCtx) => {
		const parts = [value[`${prefix}Day`] ?? '', value[`${prefix}Month`] ?? '', value[`${prefix}Year`] ?? ''];
		if (parts.every((p) => p.trim() === '')) return;
		if (!dateFromParts(parts[0]!, parts[1]!, parts[2]!)) {
			ctx.addIssue({ code: 'custom', path: [`${prefix}Day`], message: code('proxy_birth_date_invalid') });
		}
	};
}

export const handOverSchema = z
	.object({
		method: z.enum(['post', 'in-person', 'proxy'], { error: code('method_required') }),
		proxyName: line().max(NAME_MAX, code('proxy_name_too_long')),
		proxyBirthDateDay: z.string(),
		proxyBirthDateMonth: z.string(),
		proxyBirthDateYear: z.string(),
		note: multiline().max(NOTE_MAX, code('note_too_long')),
		/** Issue 12: the registered letter's number (UPU S10), optional, only for the post. */
		consignmentNumber: line().max(40, code('consignment_format'))
	})
	.superRefine((value, ctx) => {
		if (value.consignmentNumber !== '') {
			const checked = checkConsignmentNumber(value.consignmentNumber);
			const problem = value.method !== 'post' ? 'consignment_not_post' : !checked.ok ? (checked.code === 'check-digit' ? 'consignment_check_digit' : 'consignment_format') : null;
			if (problem) ctx.addIssue({ code: 'custom', path: ['consignmentNumber'], message: code(problem) });
		}
		if (value.method !== 'proxy') return;
		if (value.proxyName === '') ctx.addIssue({ code: 'custom', path: ['proxyName'], message: code('proxy_name_required') });
		optionalDate('proxyBirthDate')(value, ctx);
		if (value.note === '') ctx.addIssue({ code: 'custom', path: ['note'], message: code('note_required') });
	});
export const HAND_OVER_FIELDS = ['method', 'consignmentNumber', 'proxyName', 'proxyBirthDateDay', 'proxyBirthDateMonth', 'proxyBirthDateYear', 'note'] as const;

export const invalidationSchema = z.object({
	reason: z.enum(['lost', 'destroyed'], { error: code('loss_reason_required') }),
	note: multiline().max(NOTE_MAX, code('note_too_long'))
});
export const INVALIDATION_FIELDS = ['reason', 'note'] as const;

// --- A request entered by a clerk (§57(1)(a),(b)) ---

export const voterSearchSchema = z
	.object({
		familyName: line().min(1, code('family_name_required')).max(NAME_MAX, code('name_too_long')),
		givenName: line().max(NAME_MAX, code('name_too_long')),
		birthDateDay: z.string(),
		birthDateMonth: z.string(),
		birthDateYear: z.string()
	})
	.superRefine((value, ctx) => {
		if (!dateFromParts(value.birthDateDay, value.birthDateMonth, value.birthDateYear)) {
			ctx.addIssue({ code: 'custom', path: ['birthDateDay'], message: code('birth_date_invalid') });
		}
	});
export const VOTER_SEARCH_FIELDS = ['familyName', 'givenName', 'birthDateDay', 'birthDateMonth', 'birthDateYear'] as const;

/** How a request reached the office when a clerk enters it (§57(1)(a),(b)). */
export const ENTRY_CHANNELS = ['in-person', 'data-box', 'verified-letter'] as const;
export type EntryChannel = (typeof ENTRY_CHANNELS)[number];

export const entryRequestSchema = z.object({
	kind: z.enum(['voter-card', 'correspondence-package'], { error: code('kind_required') }),
	electionId: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, code('election_required')),
	rounds: z.enum(['1', '2', 'both'], { error: code('rounds_required') }),
	channel: z.enum(ENTRY_CHANNELS, { error: code('channel_required') }),
	filedBy: z.enum(['voter', 'proxy'], { error: code('filed_by_required') })
});
export const ENTRY_REQUEST_FIELDS = ['kind', 'electionId', 'rounds', 'channel', 'filedBy'] as const;

export const entryDeliverySchema = z
	.object({
		delivery: z.enum(['post', 'in-person', 'proxy'], { error: code('delivery_required') }),
		line: line().max(NAME_MAX, code('name_too_long')),
		city: line().max(NAME_MAX, code('name_too_long')),
		postalCode: line().max(20, code('name_too_long')),
		country: z.string().trim().max(2, code('name_too_long')),
		proxyName: line().max(NAME_MAX, code('proxy_name_too_long')),
		proxyBirthDateDay: z.string(),
		proxyBirthDateMonth: z.string(),
		proxyBirthDateYear: z.string(),
		note: multiline().max(NOTE_MAX, code('note_too_long'))
	});
export const ENTRY_DELIVERY_FIELDS = [
	'delivery',
	'line',
	'city',
	'postalCode',
	'country',
	'proxyName',
	'proxyBirthDateDay',
	'proxyBirthDateMonth',
	'proxyBirthDateYear',
	'note'
] as const;
