import { encodeHexLowerCase } from '@oslojs/encoding';
import { describe, expect, it } from 'vitest';
import { entryHash } from './audit-chain';

describe('an audit entry hash', () => {
	it('stays what chains already sealed hold (a known answer: the canonical form and SHA-256 never change)', () => {
		const row = {
			id: '42',
			at: new Date('2026-11-20T08:15:00.000Z'),
			actor_kind: 'staff',
			actor_id: '5b0c8a3e-1f2d-4c6b-9a8e-7d6c5b4a3f21',
			office_id: null,
			action: 'request.accepted',
			entity_type: 'request',
			entity_id: 'e1',
			before_text: '{"state": "submitted"}',
			after_text: '{"state": "accepted"}',
			tx_id: '987',
			prev_hash: null,
			hash: null
		};
		// Computed with the first implementation (@oslojs/crypto's SHA-256) before the switch to node:crypto.
		expect(encodeHexLowerCase(entryHash(new Uint8Array(32).fill(7), row as never))).toBe('cbe1de5ff058a6c25cb0fa180284661fdb33a5c10715a8a0e6158939e48b2b69');
	});
});
