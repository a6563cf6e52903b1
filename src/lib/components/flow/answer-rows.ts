/** Rows the check-answers pages of the voter's flows share. */
import { m } from '$lib/paraglide/messages';
import type { CheckAnswerRow } from '../CheckAnswers.svelte';
import { formatDay } from '../format';

/** An address as lines: street, postcode and town, country. */
export function addressLines(address: { line: string; postalCode: string; city: string }, country: string): string[] {
	return [address.line, `${address.postalCode} ${address.city}`.trim(), country];
}

/** "Both rounds" or "Round N". */
export function roundsText(rounds: readonly number[]): string {
	return rounds.length === 2 ? m.req_round_both() : m.round_n({ round: rounds[0] ?? 1 });
}

/** The embassy that keeps the special district (§56(4)). */
export function embassyRow(embassy: { name: string; specialDistrictNumber: number | null }): CheckAnswerRow {
	return {
		key: m.req_row_embassy(),
		value: m.req_reg_embassy_with_district({ embassy: embassy.name, number: String(embassy.specialDistrictNumber ?? '') })
	};
}

/** Who is asking: from the voter list, not changeable here. */
export function voterRows(voter: { name: string; birthDate: string } | null, locale: string): CheckAnswerRow[] {
	return voter
		? [
				{ key: m.req_row_name(), value: voter.name },
				{ key: m.req_row_birth_date(), value: formatDay(voter.birthDate, locale) }
			]
		: [];
}
