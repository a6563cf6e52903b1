/** Formatting shared by server and browser; calendar dates stay plain 'YYYY-MM-DD' strings. */
export function formatDate(isoDate: string, locale: string): string {
	const [y, mo, d] = isoDate.split('-').map(Number);
	const date = new Date(Date.UTC(y ?? 1970, (mo ?? 1) - 1, d ?? 1));
	return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'cs-CZ', {
		weekday: 'long',
		day: 'numeric',
		month: 'long',
		year: 'numeric',
		timeZone: 'UTC'
	}).format(date);
}
