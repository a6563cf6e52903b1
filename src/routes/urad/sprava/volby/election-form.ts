/**
 * The election form of the administration (create and edit): its field names, parsing of the
 * posted values into the service's input, and the values of an existing election for the form.
 * Server side; the page shows what `values` and `errors` carry.
 */
import { ELECTION_TYPE_RULES, type ElectionType } from '$lib/domain';
import type { ElectionDetail, ElectionFormData, ElectionFormErrors } from '$lib/server/services/admin-elections';
import { countryCodes, dateField, dateValues, freeTextValue, text, wholeNumber } from './admin-server';

export { ELECTION_FIELDS, ELECTION_SLUGS, typeFromSlug } from './admin-text';

export interface ParsedElectionForm {
	values: Record<string, string>;
	errors: ElectionFormErrors;
	data: ElectionFormData | null;
}

/** The posted election form of a type: the typed values back for the page, errors by field, or the data. */
export function parseElectionForm(form: FormData, type: ElectionType): ParsedElectionForm {
	const rules = ELECTION_TYPE_RULES[type];
	const values: Record<string, string> = {};
	const errors: ElectionFormErrors = {};

	const titleCs = freeTextValue(form, 'titleCs', 300);
	const titleEn = freeTextValue(form, 'titleEn', 300);
	values.titleCs = titleCs.value;
	values.titleEn = titleEn.value;
	if (titleCs.invalid) errors.titleCs = 'invalid-characters';
	else if (titleCs.value.length > 200) errors.titleCs = 'too-long';
	if (titleEn.invalid) errors.titleEn = 'invalid-characters';
	else if (titleEn.value.length > 200) errors.titleEn = 'too-long';

	const announced = dateField(form, 'announcedOn', values);
	if (!announced.ok) errors.announcedOn = 'date-invalid';
	else if (!announced.value) errors.announcedOn = 'required';

	const firstDays: string[] = [];
	for (let round = 1; round <= rules.rounds; round++) {
		const field = `round${round}` as 'round1' | 'round2';
		const day = dateField(form, field, values);
		if (!day.ok) errors[field] = 'date-invalid';
		else if (!day.value) errors[field] = 'required';
		else firstDays.push(day.value);
	}

	values.correspondence = text(form, 'correspondence', 10);
	let correspondenceAllowed = rules.correspondenceAllowed;
	if (rules.correspondenceConfigurable) {
		if (values.correspondence === 'yes') correspondenceAllowed = true;
		else if (values.correspondence === 'no') correspondenceAllowed = false;
		else errors.correspondence = 'required';
	}

	values.earliestIssueDays = text(form, 'earliestIssueDays', 10);
	const earliest = wholeNumber(values.earliestIssueDays);
	if (earliest === undefined) errors.earliestIssueDays = 'number-invalid';

	values.excludedCountries = text(form, 'excludedCountries', 2000);
	const excluded = rules.votingAbroad ? countryCodes(values.excludedCountries) : [];
	if (excluded.some((c) => !/^[A-Z]{2}$/.test(c))) errors.excludedCountries = 'country-unknown';

	const results = dateField(form, 'resultsDeclaredOn', values);
	if (!results.ok) errors.resultsDeclaredOn = 'date-invalid';

	values.underCourtChallenge = form.get('underCourtChallenge') === 'yes' ? 'yes' : '';

	values.retentionDays = text(form, 'retentionDays', 10);
	const retention = wholeNumber(values.retentionDays);
	if (retention === null) errors.retentionDays = 'required';
	else if (retention === undefined) errors.retentionDays = 'retention-days-invalid';

	if (Object.keys(errors).length > 0) return { values, errors, data: null };
	return {
		values,
		errors,
		data: {
			titleCs: values.titleCs,
			titleEn: values.titleEn,
			announcedOn: (announced as { value: string }).value,
			firstDays,
			correspondenceAllowed,
			earliestVoterCardIssueDays: earliest ?? null,
			excludedCountries: excluded,
			resultsDeclaredOn: (results as { value: string | null }).value,
			underCourtChallenge: values.underCourtChallenge === 'yes',
			retentionDays: retention as number
		}
	};
}

/** The form's values for a new election of a type: the law's defaults (§57(4), §57a(1), §58(3), §22(6)). */
export function newElectionValues(type: ElectionType, defaultExcluded: readonly string[]): Record<string, string> {
	const rules = ELECTION_TYPE_RULES[type];
	return {
		titleCs: '',
		titleEn: '',
		...dateValues('announcedOn', null),
		...dateValues('round1', null),
		...dateValues('round2', null),
		correspondence: rules.correspondenceAllowed ? 'yes' : 'no',
		earliestIssueDays: rules.earliestVoterCardIssueDays === null ? '' : String(rules.earliestVoterCardIssueDays),
		excludedCountries: rules.correspondenceAllowed ? defaultExcluded.join(' ') : '',
		...dateValues('resultsDeclaredOn', null),
		underCourtChallenge: '',
		retentionDays: '90'
	};
}

/** The form's values of an existing election. */
export function electionValues(detail: ElectionDetail): Record<string, string> {
	return {
		titleCs: detail.titleCs,
		titleEn: detail.titleEn,
		...dateValues('announcedOn', detail.announcedOn),
		...dateValues('round1', detail.firstDays[0] ?? null),
		...dateValues('round2', detail.firstDays[1] ?? null),
		correspondence: detail.correspondenceAllowed ? 'yes' : 'no',
		earliestIssueDays: detail.earliestVoterCardIssueDays === null ? '' : String(detail.earliestVoterCardIssueDays),
		excludedCountries: detail.excludedCountries.join(' '),
		...dateValues('resultsDeclaredOn', detail.resultsDeclaredOn),
		underCourtChallenge: detail.underCourtChallenge ? 'yes' : '',
		retentionDays: String(detail.retentionDays)
	};
}
