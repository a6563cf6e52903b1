import { describe, expect, it } from 'vitest';
import { admissionClass, Admitter, classLimit, isFiling, MAX_RETRY_STRETCH, retryAfterSeconds } from './admission';

describe('admissionClass', () => {
	it('never refuses /health, the static assets and the test-only routes', () => {
		for (const path of ['/health', '/_app/immutable/chunks/x.js', '/_app/version.json', '/favicon.svg', '/robots.txt', '/api/test/admission']) {
			expect(admissionClass('GET', path), path).toBe('exempt');
		}
		expect(admissionClass('POST', '/api/test/admission')).toBe('exempt');
	});

	it('puts what finishes a voter\'s work first: filings, cancellations, staff actions', () => {
		for (const path of ['/volicsky-prukaz/kontrola', '/korespondencni-hlasovani/kontrola', '/zapis-do-zvlastniho-okrsku/kontrola', '/api/voter/requests', '/zadosti/VP-12345678/zrusit', '/urad/obecni-urad/zadosti/abc']) {
			expect(admissionClass('POST', path), path).toBe('finish');
		}
	});

	it('status reads, staff pages and later steps of a flow continue; starts of a flow and public pages come last', () => {
		for (const path of ['/muj-zaznam', '/zadosti', '/zadosti/VP-12345678', '/api/voter/requests/VP-12345678', '/urad/obecni-urad/zadosti', '/volicsky-prukaz/adresa', '/volicsky-prukaz/kontrola']) {
			expect(admissionClass('GET', path), path).toBe('continue');
		}
		expect(admissionClass('POST', '/volicsky-prukaz/adresa')).toBe('continue');
		for (const path of ['/', '/volicsky-prukaz', '/volicsky-prukaz/', '/korespondencni-hlasovani', '/prihlaseni', '/urad/prihlaseni', '/otevrena-data', '/api/elections']) {
			expect(admissionClass('GET', path), path).toBe('start');
		}
		expect(admissionClass('POST', '/urad/prihlaseni')).toBe('start');
		expect(admissionClass('POST', '/odhlaseni')).toBe('start');
	});

	it('a filing is a POST of a check page or of the JSON API, nothing else', () => {
		expect(isFiling('POST', '/volicsky-prukaz/kontrola')).toBe(true);
		expect(isFiling('POST', '/api/voter/requests')).toBe(true);
		expect(isFiling('GET', '/volicsky-prukaz/kontrola')).toBe(false);
		expect(isFiling('POST', '/volicsky-prukaz/adresa')).toBe(false);
		expect(isFiling('POST', '/zadosti/VP-12345678/zrusit')).toBe(false);
	});
});

describe('classLimit', () => {
	it('gives finish the whole bound, continue three quarters, start half', () => {
		expect(classLimit('finish', 48)).toBe(48);
		expect(classLimit('continue', 48)).toBe(36);
		expect(classLimit('start', 48)).toBe(24);
	});
	it('still files one at a time under the smallest bound', () => {
		expect(classLimit('finish', 1)).toBe(1);
		expect(classLimit('start', 1)).toBe(0);
	});
});

describe('Admitter', () => {
	const admitter = (maxInFlight: number, random = () => 0) => new Admitter(() => ({ maxInFlight, retryAfterSeconds: 5 }), random);

	it('admits up to the bound and refuses beyond it at once, with Retry-After', () => {
		const a = admitter(4);
		const held = [1, 2, 3, 4].map(() => a.tryAdmit('finish'));
		expect(held.every((h) => h.admitted)).toBe(true);
		expect(a.inFlight).toBe(4);
		expect(a.tryAdmit('finish')).toEqual({ admitted: false, retryAfterSeconds: 5 });
		expect(a.counts).toEqual({ admitted: 4, refused: 1 });
	});

	it('refuses new page views before status reads, and status reads before filings', () => {
		const a = admitter(4);
		a.tryAdmit('finish');
		a.tryAdmit('finish');
		expect(a.tryAdmit('start').admitted).toBe(false);
		expect(a.tryAdmit('continue').admitted).toBe(true);
		expect(a.tryAdmit('continue').admitted).toBe(false);
		expect(a.tryAdmit('finish').admitted).toBe(true);
		expect(a.tryAdmit('finish').admitted).toBe(false);
	});

	it('frees the place when the request ends, once however often release is called', () => {
		const a = admitter(1);
		const first = a.tryAdmit('finish');
		expect(a.tryAdmit('finish').admitted).toBe(false);
		if (!first.admitted) throw new Error('admitted expected');
		first.release();
		first.release();
		expect(a.inFlight).toBe(0);
		expect(a.tryAdmit('finish').admitted).toBe(true);
		expect(a.inFlight).toBe(1);
	});

	it('never counts exempt requests and never refuses them', () => {
		const a = admitter(1);
		a.tryAdmit('finish');
		expect(a.tryAdmit('exempt').admitted).toBe(true);
		expect(a.inFlight).toBe(1);
	});

	it('a filing limit of 0 (the test-only setting) refuses filings with nothing in flight', () => {
		const a = admitter(48);
		expect(a.tryAdmit('finish', 0).admitted).toBe(false);
		expect(a.tryAdmit('finish').admitted).toBe(true);
	});

	it('spreads Retry-After between the base and twice it', () => {
		expect(admitter(1, () => 0.999).tryAdmit('start')).toEqual({ admitted: false, retryAfterSeconds: 10 });
		expect(admitter(1, () => 0.5).tryAdmit('start')).toEqual({ admitted: false, retryAfterSeconds: 8 });
	});

	it('asks for a longer wait while refusals outnumber admissions, and forgets the pressure after two quiet seconds', () => {
		let now = 10_000;
		const a = new Admitter(() => ({ maxInFlight: 2, retryAfterSeconds: 5 }), () => 0, () => now);
		const held = [a.tryAdmit('finish'), a.tryAdmit('finish')];
		// 1 refusal per admission so far: the next is asked to wait 5 × (1 + 1/2)… then more.
		expect(a.tryAdmit('finish')).toEqual({ admitted: false, retryAfterSeconds: 5 });
		expect(a.tryAdmit('finish')).toEqual({ admitted: false, retryAfterSeconds: 8 });
		for (let i = 0; i < 20; i++) a.tryAdmit('finish');
		expect(a.tryAdmit('finish')).toEqual({ admitted: false, retryAfterSeconds: 5 * MAX_RETRY_STRETCH });
		// The next second still remembers the last one…
		now += 1_000;
		expect(a.retryAfter()).toBe(5 * MAX_RETRY_STRETCH);
		// …two seconds later the pressure is gone.
		now += 2_000;
		expect(a.retryAfter()).toBe(5);
		for (const h of held) if (h.admitted) h.release();
	});
});

describe('retryAfterSeconds', () => {
	it('stretches the base by 1 + refusals per admission, at most MAX_RETRY_STRETCH, plus jitter up to as much again', () => {
		expect(retryAfterSeconds(5, 0, 100, 0)).toBe(5);
		expect(retryAfterSeconds(5, 100, 100, 0)).toBe(10);
		expect(retryAfterSeconds(5, 300, 100, 0)).toBe(20);
		expect(retryAfterSeconds(5, 10_000, 100, 0)).toBe(5 * MAX_RETRY_STRETCH);
		expect(retryAfterSeconds(5, 3, 0, 0)).toBe(5 * 4);
		expect(retryAfterSeconds(5, 100, 100, 0.999)).toBe(20);
	});
});
