import { afterEach, describe, expect, it } from 'vitest';
import { REFUSAL_REASONS } from '$lib/domain';
import { overwriteGetLocale } from '$lib/paraglide/runtime';
import type { RefusalCode, ServiceRefusalCode } from './refusal';
import { refusalText } from './refusal-messages';

const SERVICE_CODES: ServiceRefusalCode[] = [
	'already-filed',
	'already-registered',
	'registration-pending',
	'voter-not-found',
	'election-not-found',
	'embassy-not-found',
	'request-not-found',
	'not-cancellable',
	'invalid-input'
];
const ALL: RefusalCode[] = [...REFUSAL_REASONS, ...SERVICE_CODES];

afterEach(() => overwriteGetLocale(() => 'cs'));

describe('refusal sentences', () => {
	for (const locale of ['cs', 'en'] as const) {
		it(`exist for every reason in ${locale}, naming the section`, () => {
			overwriteGetLocale(() => locale);
			for (const code of ALL) {
				const text = refusalText({ code, section: '§99(9)', references: ['VP-0000AAAA'] }, 'voter-card', locale);
				expect(text.length, code).toBeGreaterThan(15);
				expect(text, code).not.toMatch(/\{|undefined/);
			}
			for (const code of ['not-on-voter-list', 'wrong-office', 'excluded-country', 'not-registered-at-embassy', 'already-registered'] as const) {
				expect(refusalText({ code, section: '§99(9)' }, 'voter-card', locale), code).toContain('§99(9)');
			}
		});
	}

	it('§78(3): a late filing names the deadline in Prague time', () => {
		const text = refusalText(
			{
				code: 'deadline-passed',
				section: '§57a(3)',
				round: 1,
				deadline: { key: 'correspondence-request-written', round: 1, at: '2025-08-29T16:00:00+02:00', section: '§57a(3)' }
			},
			'correspondence-package',
			'cs'
		);
		expect(text).toBe('Žádost nelze podat: lhůta uplynula 29. 8. 2025 v 16:00 (§57a(3)). Zmeškanou lhůtu nelze prominout (§78(3)).');
	});

	it('names the request already filed', () => {
		expect(refusalText({ code: 'already-filed', section: '§57(5)', references: ['VP-7K3M9QXD'] }, 'voter-card', 'cs')).toBe(
			'Žádost o voličský průkaz pro toto kolo už jste podali: VP-7K3M9QXD.'
		);
	});
});
