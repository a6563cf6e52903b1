import { describe, expect, it } from 'vitest';
import { TEST_IDENTITIES } from '../db/seed-data';
import { pageLocale, renderErrorPage, renderLoginPage } from './dev-eid-page';

describe('the development eID speaks the language the portal asks for (ui_locales)', () => {
	it.each([
		[undefined, 'cs'],
		['', 'cs'],
		['en', 'en'],
		['cs', 'cs'],
		['en-GB cs', 'en'],
		['de fr-CA en', 'en'],
		['de', 'cs'],
		['EN', 'en'],
		[['en'], 'cs']
	] as const)('ui_locales %j → %s', (uiLocales, expected) => {
		expect(pageLocale(uiLocales)).toBe(expected);
	});

	it('renders the login page in English, with the identities described in English', () => {
		const html = renderLoginPage({ uid: 'abc', clientName: 'the Election portal', values: {}, errors: { identity: 'Choose a test person' }, locale: 'en' });
		expect(html).toContain('<html lang="en">');
		expect(html).toContain('<legend>Test person</legend>');
		expect(html).toContain('<h2 id="error-summary-title">There is a problem</h2>');
		expect(html).toContain('Log in to the Election portal');
		expect(html).toContain('Substantial');
		const identity = TEST_IDENTITIES[0]!;
		expect(html).toContain(identity.description.en.replaceAll("'", '&#39;'));
		expect(html).not.toContain('Testovací osoba');
		expect(html).not.toContain('Přihlásit se');
	});

	it('renders in Czech by default', () => {
		const html = renderLoginPage({ uid: 'abc', clientName: 'Volební portál', values: {}, errors: {} });
		expect(html).toContain('<html lang="cs">');
		expect(html).toContain('<legend>Testovací osoba</legend>');
		expect(html).toContain('Značná');
		expect(html).not.toContain('Test person');
	});

	it('renders its error page in English', () => {
		const html = renderErrorPage({ error: 'interaction_expired', portalUrl: 'http://localhost/prihlaseni', locale: 'en' });
		expect(html).toContain('<html lang="en">');
		expect(html).toContain('The login did not succeed');
		expect(html).toContain('Back to the Election portal to log in again');
	});
});
