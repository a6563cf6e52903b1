import { describe, expect, it } from 'vitest';
import { classifyOutcome } from './outcome';

describe('classifyOutcome', () => {
	it('counts what the single-item service did as done, with its serial or state', () => {
		expect(classifyOutcome({ kind: 'done', state: 'accepted' })).toEqual({ outcome: 'done', detail: { state: 'accepted' } });
		expect(classifyOutcome({ kind: 'done', serial: 12 })).toEqual({ outcome: 'done', detail: { serial: 12 } });
		expect(classifyOutcome({ kind: 'dispatched' })).toEqual({ outcome: 'done', detail: {} });
	});
	it('names what a colleague did meanwhile', () => {
		expect(classifyOutcome({ kind: 'already-decided', state: 'refused' })).toEqual({
			outcome: 'skipped',
			reason: 'changed-meanwhile',
			detail: { state: 'refused' }
		});
		expect(classifyOutcome({ kind: 'already-decided', state: 'completed', card: 'handed-over' })).toMatchObject({
			reason: 'changed-meanwhile',
			detail: { card: 'handed-over' }
		});
		expect(classifyOutcome({ kind: 'already-dispatched' })).toMatchObject({ outcome: 'skipped', reason: 'changed-meanwhile' });
	});
	it('names the rule that refuses the item now', () => {
		const refusal = { code: 'deadline-passed' as const, section: '§57(3)' };
		expect(classifyOutcome({ kind: 'rule', refusal })).toEqual({ outcome: 'skipped', reason: 'rule', detail: { refusal } });
		expect(classifyOutcome({ kind: 'refused', refusal })).toEqual({ outcome: 'skipped', reason: 'rule', detail: { refusal } });
	});
	it('tells a wrong or used consignment number from other invalid input', () => {
		expect(classifyOutcome({ kind: 'invalid', field: 'consignmentNumber' })).toMatchObject({ reason: 'number-invalid' });
		expect(classifyOutcome({ kind: 'number-used', number: 'RR123456785CZ' })).toMatchObject({ reason: 'number-used', detail: { number: 'RR123456785CZ' } });
		// §57(2): no address to post to means the voter asked for collection.
		expect(classifyOutcome({ kind: 'invalid', field: 'method' })).toMatchObject({ reason: 'wrong-method' });
		expect(classifyOutcome({ kind: 'invalid', field: 'note' })).toMatchObject({ reason: 'invalid', detail: { field: 'note' } });
	});
	it('treats another office\u2019s request as not found', () => {
		expect(classifyOutcome({ kind: 'not-found' })).toEqual({ outcome: 'skipped', reason: 'not-found', detail: {} });
		expect(classifyOutcome({ kind: 'wrong-state', state: 'received' })).toMatchObject({ reason: 'wrong-state', detail: { state: 'received' } });
		expect(classifyOutcome({ kind: 'invalidated' })).toMatchObject({ reason: 'invalidated' });
		expect(classifyOutcome({ kind: 'wrong-method' })).toMatchObject({ reason: 'wrong-method' });
	});
});
