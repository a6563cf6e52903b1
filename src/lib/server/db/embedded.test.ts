import { describe, expect, it } from 'vitest';
import { postgresReason } from './embedded';

describe('postgresReason', () => {
	it('takes the first error of initdb or postgres, without its final stop', () => {
		const initdb = 'Data page checksums are enabled.\n\ninitdb: error: directory "/d" exists but is not empty\ninitdb: hint: If you want…\n';
		expect(postgresReason(initdb)).toBe('directory "/d" exists but is not empty');
		const postgres = '2026-12-06 01:00:00.000 UTC [12] LOG:  starting PostgreSQL 18\n2026-12-06 01:00:00.001 UTC [12] FATAL:  data directory "/d" has wrong ownership\n';
		expect(postgresReason(postgres)).toBe('data directory "/d" has wrong ownership');
	});

	it('falls back to the last line, and says when there was nothing', () => {
		expect(postgresReason('one\ntwo.\n')).toBe('two');
		expect(postgresReason('')).toBe('no output');
	});
});
