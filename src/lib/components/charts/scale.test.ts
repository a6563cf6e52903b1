import { describe, expect, it } from 'vitest';
import { labelIndexes, niceAxis, percentOf, polylinePoints } from './scale';

describe('niceAxis', () => {
	it('rounds the top up to 1, 2 or 5 times a power of ten steps', () => {
		expect(niceAxis(0)).toEqual({ top: 1, step: 1, ticks: [0, 1] });
		expect(niceAxis(3)).toEqual({ top: 3, step: 1, ticks: [0, 1, 2, 3] });
		expect(niceAxis(7)).toEqual({ top: 8, step: 2, ticks: [0, 2, 4, 6, 8] });
		expect(niceAxis(23)).toEqual({ top: 25, step: 5, ticks: [0, 5, 10, 15, 20, 25] });
		expect(niceAxis(1234)).toMatchObject({ top: 1500, step: 500 });
		expect(niceAxis(999_999).ticks.length).toBeLessThanOrEqual(6);
	});
});

describe('labelIndexes', () => {
	it('spreads at most max labels evenly, the first always', () => {
		expect(labelIndexes(0, 5)).toEqual([]);
		expect(labelIndexes(3, 10)).toEqual([0, 1, 2]);
		expect(labelIndexes(70, 10)).toEqual([0, 7, 14, 21, 28, 35, 42, 49, 56, 63]);
	});
});

describe('polylinePoints and percentOf', () => {
	it('places the values and rounds to tenths', () => {
		expect(polylinePoints([0, 5, 10], (i) => i * 10.04, (v) => 100 - v * 3.333)).toBe('0,100 10,83.3 20.1,66.7');
		expect(percentOf(1, 3)).toBe(33);
		expect(percentOf(0, 0)).toBeNull();
	});
});
