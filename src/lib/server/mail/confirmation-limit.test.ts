import { describe, expect, it } from 'vitest';
import { Temporal } from 'temporal-polyfill';
import { CONFIRMATION_MAIL_POLICY, mailboxHash, mailboxKey, nextConfirmationMailAt, relevantSince } from './confirmation-limit';

const T = Temporal.Instant.from('2026-11-20T08:00:00Z');
const at = (minutes: number) => T.add({ minutes });

describe('confirmation e-mail limits', () => {
	it('are 3 an hour per address, 5 a day per voter, 2 minutes between one voter\'s links', () => {
		expect(CONFIRMATION_MAIL_POLICY.perAddress.max).toBe(3);
		expect(CONFIRMATION_MAIL_POLICY.perAddress.window.total('minutes')).toBe(60);
		expect(CONFIRMATION_MAIL_POLICY.perVoter.max).toBe(5);
		expect(CONFIRMATION_MAIL_POLICY.perVoter.window.total('hours')).toBe(24);
		expect(CONFIRMATION_MAIL_POLICY.cooldown.total('minutes')).toBe(2);
		expect(relevantSince(T).toString()).toBe('2026-11-19T08:00:00Z');
	});

	it('let the first link go at once', () => {
		expect(nextConfirmationMailAt([], [], T)).toBeNull();
	});

	it('make a voter wait the cooldown after their own link, rounded up to the minute', () => {
		const sent = T.add({ seconds: 10 });
		expect(nextConfirmationMailAt([sent], [sent], at(1))?.toString()).toBe('2026-11-20T08:03:00Z');
		expect(nextConfirmationMailAt([sent], [sent], sent.add({ minutes: 1, seconds: 59 }))?.toString()).toBe('2026-11-20T08:03:00Z');
		expect(nextConfirmationMailAt([sent], [sent], sent.add({ minutes: 2 }))).toBeNull();
	});

	it('allow three links to one address an hour, whoever asks, then name when the oldest drops out', () => {
		// Three other voters asked for links to the address at 08:00, 08:10 and 08:20.
		const toAddress = [at(0), at(10), at(20)];
		expect(nextConfirmationMailAt(toAddress.slice(0, 2), [], at(30))).toBeNull();
		expect(nextConfirmationMailAt(toAddress, [], at(30))?.toString()).toBe('2026-11-20T09:00:00Z');
		expect(nextConfirmationMailAt(toAddress, [], at(59))?.toString()).toBe('2026-11-20T09:00:00Z');
		expect(nextConfirmationMailAt(toAddress, [], at(60))).toBeNull();
		// Four in the hour (sent before the limit existed): free when the third latest is an hour old.
		expect(nextConfirmationMailAt([at(0), at(5), at(10), at(20)], [], at(30))?.toString()).toBe('2026-11-20T09:05:00Z');
	});

	it('allow a voter five links a day, to any addresses', () => {
		const byVoter = [at(0), at(100), at(200), at(300), at(400)];
		expect(nextConfirmationMailAt([], byVoter.slice(0, 4), at(500))).toBeNull();
		expect(nextConfirmationMailAt([], byVoter, at(500))?.toString()).toBe('2026-11-21T08:00:00Z');
		expect(nextConfirmationMailAt([], byVoter, T.add({ hours: 24 }))).toBeNull();
	});

	it('name the latest of the instants when several limits hold', () => {
		// The address is free at 09:00; the voter's cooldown ends at 09:30.
		expect(nextConfirmationMailAt([at(0), at(10), at(20)], [at(88)], at(89))?.toString()).toBe('2026-11-20T09:30:00Z');
	});
});

describe('the mailbox an address reaches', () => {
	it('ignores case, spaces and +tags, and keeps only a hash', () => {
		expect(mailboxKey(' Jan.Novak+1@Example.CZ ')).toBe('jan.novak@example.cz');
		expect(mailboxKey('+x@example.cz')).toBe('+x@example.cz');
		expect(Buffer.from(mailboxHash('JAN+abc@example.cz'))).toEqual(Buffer.from(mailboxHash('jan@example.cz')));
		expect(mailboxHash('jan@example.cz')).toHaveLength(32);
	});

	it('folds the dots of a Gmail address, which Gmail ignores, and googlemail.com into gmail.com; no other provider', () => {
		expect(mailboxKey('J.a.N.Novak+volby@Gmail.com')).toBe('jannovak@gmail.com');
		expect(mailboxKey('jan.novak@googlemail.com')).toBe('jannovak@gmail.com');
		expect(Buffer.from(mailboxHash('j.an@gmail.com'))).toEqual(Buffer.from(mailboxHash('JAN@googlemail.com')));
		expect(mailboxKey('jan.novak@seznam.cz')).toBe('jan.novak@seznam.cz');
	});
});
