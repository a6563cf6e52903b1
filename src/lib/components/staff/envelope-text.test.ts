import { describe, expect, it } from 'vitest';
import { groupCode, receiptText, sectionText } from './envelope-text';

describe('the envelope pages’ words', () => {
	it('prints a code in groups of four', () => {
		expect(groupCode('7K3M9QXD2B4H')).toBe('7K3M-9QXD-2B4H');
	});

	it('cites a section in the Czech style, or as the domain writes it in English', () => {
		expect(sectionText('§57d(2)(e)', 'cs')).toBe('§ 57d odst. 2 písm. e)');
		expect(sectionText('§57c(4)', 'cs')).toBe('§ 57c odst. 4');
		expect(sectionText('§57d', 'cs')).toBe('§ 57d');
		expect(sectionText('§57d(2)(e)', 'en')).toBe('§57d(2)(e)');
	});

	it('gives a receipt time in Prague time (§78(2)) and the embassy’s own only where it differs', () => {
		const berlin = { prague: '2026-10-03T13:30:00+02:00', local: '2026-10-03T13:30:00+02:00', timeZone: 'Europe/Berlin' };
		expect(receiptText(berlin, 'cs')).toBe('3. 10. 2026 v 13:30 (Praha)');
		const washington = { prague: '2026-10-02T20:05:00+02:00', local: '2026-10-02T14:05:00-04:00', timeZone: 'America/New_York' };
		expect(receiptText(washington, 'cs')).toBe('2. 10. 2026 v 20:05 (Praha), místního času 2. 10. 2026 v 14:05 (America/New_York)');
	});
});
