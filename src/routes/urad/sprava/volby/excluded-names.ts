/** The names of the countries typed in the excluded list (§58(3)), known codes only, in the order typed. */
export function excludedNamesOf(value: string, names: Record<string, string>): { code: string; name: string }[] {
	const codes = [...new Set(value.split(/[\s,;]+/).map((c) => c.trim().toUpperCase()).filter(Boolean))];
	return codes.flatMap((code) => (names[code] ? [{ code, name: names[code] }] : []));
}
