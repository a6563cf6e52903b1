import { describe, expect, it } from 'vitest';
import { refusal, refusalBody, refusalShape, type Refusal } from './refusal';

const headers = (h: Record<string, string>) => (name: string) => h[name] ?? null;
const r: Refusal = {
	status: 503,
	code: 'overloaded',
	message: 'Zkuste to znovu za 5 s.',
	title: 'Přetíženo',
	page: { lang: 'cs', site: 'Volební portál', home: 'Úvod' },
	headers: { 'Retry-After': '5' },
	extra: { retryAfterSeconds: 5 }
};

describe('one builder of refusals', () => {
	it('answers each sender in the shape it reads', () => {
		expect(refusalShape('/api/voter/requests', headers({ accept: 'text/html' }), false)).toBe('api');
		expect(refusalShape('/volicsky-prukaz/kontrola', headers({ 'x-sveltekit-action': 'true', accept: 'application/json' }), false)).toBe('action');
		expect(refusalShape('/zadosti/__data.json', headers({ accept: 'text/html' }), true)).toBe('json');
		expect(refusalShape('/volby', headers({ accept: '*/*' }), false)).toBe('json');
		expect(refusalShape('/volby', headers({ accept: 'text/html,application/xhtml+xml' }), false)).toBe('page');
	});

	it('gives scripts the same fields whoever refuses', () => {
		expect(refusalBody('api', r)).toEqual({ error: { code: 'overloaded', message: r.message, retryAfterSeconds: 5 } });
		expect(refusalBody('action', r)).toEqual({ type: 'error', error: { code: 'overloaded', message: r.message } });
		expect(refusalBody('json', r)).toEqual({ code: 'overloaded', message: r.message, retryAfterSeconds: 5 });
	});

	it('makes a page with the longer text for a person, and never lets it be cached', async () => {
		const request = new Request('http://portal.test/volby', { headers: { accept: 'text/html' } });
		const response = refusal({ url: new URL(request.url), request, isDataRequest: false }, { ...r, pageText: 'Mnoho lidí právě podává žádost.' });
		expect(response.status).toBe(503);
		expect(response.headers.get('cache-control')).toBe('no-store');
		expect(response.headers.get('retry-after')).toBe('5');
		const html = await response.text();
		expect(html).toContain('<html lang="cs">');
		expect(html).toContain('Mnoho lidí právě podává žádost.');
	});
});
