import { describe, expect, it } from 'vitest';
import { allAnswered, backPath, enterStep, nextStep, type StepDef } from './steps';

interface S {
	election?: string;
	twoRounds: boolean;
	rounds?: string;
	delivery?: 'post' | 'in-person';
	address?: string;
}
const STEPS: StepDef<S>[] = [
	{ id: 'election', path: '/e', applies: () => true, complete: (s) => !!s.election },
	{ id: 'rounds', path: '/r', applies: (s) => s.twoRounds, complete: (s) => !!s.rounds },
	{ id: 'delivery', path: '/d', applies: () => true, complete: (s) => !!s.delivery },
	{ id: 'address', path: '/a', applies: (s) => s.delivery === 'post', complete: (s) => !!s.address },
	{ id: 'check', path: '/c', applies: () => true, complete: () => false }
];

function redirectOf(fn: () => void): string | null {
	try {
		fn();
		return null;
	} catch (e) {
		return (e as { location?: string }).location ?? null;
	}
}

describe('one question per page', () => {
	it('goes to the first unanswered question, skipping those that do not apply', () => {
		expect(nextStep(STEPS, { twoRounds: false }).id).toBe('election');
		expect(nextStep(STEPS, { twoRounds: false, election: 'x' }).id).toBe('delivery');
		expect(nextStep(STEPS, { twoRounds: true, election: 'x' }).id).toBe('rounds');
		expect(nextStep(STEPS, { twoRounds: false, election: 'x', delivery: 'in-person' }).id).toBe('check');
		expect(nextStep(STEPS, { twoRounds: false, election: 'x', delivery: 'post' }).id).toBe('address');
	});

	it('sends a page reached too early, or one that does not apply, to the right one', () => {
		expect(redirectOf(() => enterStep(STEPS, { twoRounds: false }, 'check'))).toBe('/e');
		expect(redirectOf(() => enterStep(STEPS, { twoRounds: false, election: 'x', delivery: 'in-person' }, 'address'))).toBe('/c');
		// An answered question can be changed (a Change link).
		expect(redirectOf(() => enterStep(STEPS, { twoRounds: false, election: 'x', delivery: 'in-person' }, 'election'))).toBeNull();
	});

	it('links back to the previous question that applies', () => {
		expect(backPath(STEPS, { twoRounds: false, election: 'x' }, 'delivery', '/start')).toBe('/e');
		expect(backPath(STEPS, { twoRounds: true, election: 'x' }, 'delivery', '/start')).toBe('/r');
		expect(backPath(STEPS, { twoRounds: false }, 'election', '/start')).toBe('/start');
	});

	it('counts the answers only of the questions that apply', () => {
		expect(allAnswered(STEPS, { twoRounds: false, election: 'x' })).toBe(false);
		expect(allAnswered(STEPS, { twoRounds: false, election: 'x', delivery: 'in-person' })).toBe(true);
		expect(allAnswered(STEPS, { twoRounds: false, election: 'x', delivery: 'post' })).toBe(false);
		expect(allAnswered(STEPS, { twoRounds: true, election: 'x', delivery: 'post', address: 'a' })).toBe(false);
		expect(allAnswered(STEPS, { twoRounds: true, election: 'x', rounds: 'both', delivery: 'post', address: 'a' })).toBe(true);
	});
});
