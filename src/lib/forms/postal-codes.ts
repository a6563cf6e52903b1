/**
 * The postcode hint of an address form follows its country (issue 15): an example of the
 * country's format where the portal knows it, "leave it empty" where the country has none.
 * Pure: the server renders it for the chosen (or fixed) country.
 */
const EXAMPLES: Readonly<Record<string, string>> = {
	CZ: '120 00',
	SK: '811 01',
	DE: '10117',
	AT: '1070',
	PL: '00-950',
	HU: '1051',
	FR: '75007',
	IT: '00187',
	ES: '28001',
	PT: '1200-195',
	NL: '2514 AB',
	BE: '1000',
	LU: 'L-1150',
	CH: '3001',
	GB: 'SW1A 1AA',
	IE: 'D02 X285',
	DK: '2100',
	SE: '114 56',
	NO: '0244',
	FI: '00100',
	US: '20008',
	CA: 'K1A 0B1',
	AU: '2600',
	NZ: '6011',
	JP: '150-0001',
	KE: '00100',
	ZA: '0083',
	BR: '70200-000',
	IL: '6473924',
	UA: '01001',
	RU: '119034',
	CN: '100600',
	IN: '110021'
};

/** Countries where addresses carry no postcode. */
const NONE: ReadonlySet<string> = new Set(['AE', 'HK', 'QA', 'AO', 'SO', 'YE', 'KP', 'GH', 'ZW', 'BO', 'PA', 'FJ']);

export type PostalCodeHint = { kind: 'example'; example: string } | { kind: 'none' } | { kind: 'generic' };

export function postalCodeHint(country: string | undefined): PostalCodeHint {
	const code = (country ?? '').trim().toUpperCase();
	if (NONE.has(code)) return { kind: 'none' };
	const example = EXAMPLES[code];
	return example ? { kind: 'example', example } : { kind: 'generic' };
}
