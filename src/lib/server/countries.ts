/**
 * Country names for the forms, from ISO 3166-1 alpha-2 codes: the names the demo data uses
 * for embassies' areas (COUNTRY_NAMES), otherwise the runtime's CLDR names. Nothing is stored:
 * the countries of an embassy's area come from `office.countries`.
 */
import { COUNTRY_NAMES } from './db/seed-data/embassies';

/** Every officially assigned ISO 3166-1 alpha-2 code, for an address anywhere (a voter card by post, §57(2)). */
export const ISO_COUNTRY_CODES: readonly string[] = (
	'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
	'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR ' +
	'GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP ' +
	'KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT ' +
	'MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW ' +
	'SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG ' +
	'UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
).split(' ');

export type Locale = 'cs' | 'en';

const displayNames = new Map<Locale, Intl.DisplayNames>();

export function countryName(code: string, locale: Locale): string {
	const upper = code.toUpperCase();
	const known = COUNTRY_NAMES[upper];
	if (known) return known[locale];
	let names = displayNames.get(locale);
	if (!names) {
		names = new Intl.DisplayNames([locale], { type: 'region', fallback: 'code' });
		displayNames.set(locale, names);
	}
	return names.of(upper) ?? upper;
}

export interface CountryOption {
	value: string;
	label: string;
	/** Shown but not selectable, the reason in the label (e.g. §58(3)). */
	disabled?: boolean;
}

/** Options for a country select, in the locale's alphabetical order (Czech: Č after C, Ř after R). */
export function countryOptions(codes: readonly string[], locale: Locale): CountryOption[] {
	const collator = new Intl.Collator(locale);
	return [...new Set(codes.map((c) => c.toUpperCase()))]
		.map((value) => ({ value, label: countryName(value, locale) }))
		.sort((a, b) => collator.compare(a.label, b.label));
}
