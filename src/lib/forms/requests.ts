/**
 * The voter's request forms: one zod schema per question page, shared by the server (which
 * always validates) and the browser. Error messages are codes (FormErrorCode), turned into
 * Czech or English text by src/lib/forms/messages.ts.
 */
import { z } from 'zod';
import { freeText } from './free-text';

export type FormErrorCode =
	| 'election_required'
	| 'rounds_required'
	| 'delivery_required'
	| 'address_line_required'
	| 'address_line_too_long'
	| 'city_required'
	| 'city_too_long'
	| 'postal_code_required'
	| 'postal_code_cz'
	| 'postal_code_too_long'
	| 'country_required'
	| 'country_not_offered'
	| 'proxy_name_required'
	| 'proxy_name_too_long'
	| 'email_invalid'
	/** A request to correct the voter list (src/lib/forms/corrections.ts). */
	| 'correction_statement_required'
	| 'correction_statement_too_long'
	| 'given_name_required'
	| 'family_name_required'
	| 'name_too_long'
	| 'birth_date_invalid'
	/** Control or bidi characters in free text (src/lib/forms/free-text.ts). */
	| 'text_invalid_characters';

export type FieldErrors = Partial<Record<string, FormErrorCode>>;

/** The text of a form field as submitted; never a File. */
function text(data: FormData, name: string): string {
	const value = data.get(name);
	return typeof value === 'string' ? value : '';
}

export type FormValues = Record<string, string>;

export type ParseResult<T> = { ok: true; data: T } | { ok: false; values: FormValues; errors: FieldErrors };

/** Validates the named fields of a form; on failure returns what was typed and the first error per field. */
export function parseForm<S extends z.ZodType>(schema: S, data: FormData, fields: readonly string[]): ParseResult<z.infer<S>> {
	const values: FormValues = Object.fromEntries(fields.map((f) => [f, text(data, f)]));
	const result = schema.safeParse(values);
	if (result.success) return { ok: true, data: result.data };
	const errors: FieldErrors = {};
	for (const issue of result.error.issues) {
		const field = String(issue.path[0] ?? fields[0] ?? 'form');
		errors[field] ??= issue.message as FormErrorCode;
	}
	return { ok: false, values, errors };
}

const code = (c: FormErrorCode) => c;

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const electionSchema = z.object({
	electionId: z.string().regex(UUID_PATTERN, code('election_required'))
});

/** §57(5), §57b(2): round 1, round 2 or both. */
export const roundsChoice = z.enum(['1', '2', 'both'], { error: code('rounds_required') });
export type RoundsChoice = z.infer<typeof roundsChoice>;
export const roundsSchema = z.object({ rounds: roundsChoice });

export function roundsOf(choice: RoundsChoice): (1 | 2)[] {
	return choice === 'both' ? [1, 2] : [Number(choice) as 1 | 2];
}

/** §57(2): registered mail, collection in person, or collection by a proxy. */
export const voterCardDelivery = z.enum(['post', 'in-person', 'proxy'], { error: code('delivery_required') });
export type VoterCardDeliveryChoice = z.infer<typeof voterCardDelivery>;
export const voterCardDeliverySchema = z.object({ delivery: voterCardDelivery });

/** §57a(4): mailed inside the embassy's area, or collected at the embassy. */
export const correspondenceDelivery = z.enum(['post', 'collect-at-embassy'], { error: code('delivery_required') });
export type CorrespondenceDeliveryChoice = z.infer<typeof correspondenceDelivery>;
export const correspondenceDeliverySchema = z.object({ delivery: correspondenceDelivery });

const CZ_POSTAL_CODE = /^\d{3} ?\d{2}$/;

/** Every field is one line (src/lib/forms/free-text.ts: NFC, no control or bidi characters, trimmed). */
const addressFields = {
	line: freeText(code('text_invalid_characters')).min(1, code('address_line_required')).max(200, code('address_line_too_long')),
	city: freeText(code('text_invalid_characters')).min(1, code('city_required')).max(100, code('city_too_long')),
	// Some countries have no postal codes; Czech ones are five digits.
	postalCode: freeText(code('text_invalid_characters')).max(20, code('postal_code_too_long'))
};

function checkPostalCode(value: { postalCode: string; country: string }, ctx: z.RefinementCtx) {
	if (value.country === 'CZ') {
		if (value.postalCode === '') ctx.addIssue({ code: 'custom', path: ['postalCode'], message: code('postal_code_required') });
		else if (!CZ_POSTAL_CODE.test(value.postalCode)) ctx.addIssue({ code: 'custom', path: ['postalCode'], message: code('postal_code_cz') });
	}
}

/** A postal address with its country (ISO 3166-1 alpha-2), Czech or foreign. */
export const addressSchema = z
	.object({
		...addressFields,
		country: z
			.string()
			.trim()
			.regex(/^[A-Za-z]{2}$/, code('country_required'))
			.transform((c) => c.toUpperCase())
	})
	.superRefine(checkPostalCode);
export type AddressAnswer = z.infer<typeof addressSchema>;
export const ADDRESS_FIELDS = ['line', 'city', 'postalCode', 'country'] as const;

/** An address abroad whose country was chosen on an earlier page. */
export const addressWithoutCountrySchema = z.object(addressFields);
export const ADDRESS_FIELDS_WITHOUT_COUNTRY = ['line', 'city', 'postalCode'] as const;

/** A country chosen from a list of offered ones. */
export function countrySchema(offered: readonly string[]) {
	return z.object({
		country: z
			.string()
			.trim()
			.regex(/^[A-Za-z]{2}$/, code('country_required'))
			.transform((c) => c.toUpperCase())
			.refine((c) => offered.includes(c), code('country_not_offered'))
	});
}

/** §57(2): the person who collects the voter card with a power of attorney with a verified signature. */
export const proxySchema = z.object({
	proxyName: freeText(code('text_invalid_characters')).min(1, code('proxy_name_required')).max(200, code('proxy_name_too_long'))
});

export const emailSchema = z.object({
	email: z.string().trim().max(254, code('email_invalid')).pipe(z.email(code('email_invalid')))
});

/** The check-answers form: the idempotency key drawn when the page was rendered. */
export const submitSchema = z.object({
	idempotencyKey: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/)
});

// --- What a flow remembers between its pages (request_draft.answers) ---

const storedAddress = z.object({ line: z.string(), city: z.string(), postalCode: z.string(), country: z.string() });

export const voterCardAnswers = z.object({
	electionId: z.string().optional(),
	rounds: roundsChoice.optional(),
	delivery: voterCardDelivery.optional(),
	address: storedAddress.optional(),
	proxyName: z.string().optional()
});
export type VoterCardAnswers = z.infer<typeof voterCardAnswers>;

export const registrationAnswers = z.object({
	country: z.string().optional(),
	address: z.object({ line: z.string(), city: z.string(), postalCode: z.string() }).optional()
});
export type RegistrationAnswers = z.infer<typeof registrationAnswers>;

export const correspondenceAnswers = z.object({
	electionId: z.string().optional(),
	rounds: roundsChoice.optional(),
	delivery: correspondenceDelivery.optional(),
	address: storedAddress.optional()
});
export type CorrespondenceAnswers = z.infer<typeof correspondenceAnswers>;
