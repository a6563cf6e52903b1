/**
 * Staff login throttling (issue 19): guessing a clerk's password is slowed down per (account,
 * client address) with growing delays, and an account is locked for everyone only when many
 * failures came from many addresses. Five wrong passwords from anywhere no longer lock a clerk
 * out on deadline day: someone else's failures throttle their own address only, and the clerk
 * logs in from theirs. Pure: staff.ts reads and writes the state (staff_login_throttle,
 * staff_login_lock) in the login's transaction and passes `now` in.
 */
import { Temporal } from 'temporal-polyfill';

export interface LoginThrottlePolicy {
	/** Failures from one address that cost nothing (typing mistakes). */
	freeFailures: number;
	/** The wait after the first failure past the free ones; it doubles with every further failure… */
	firstDelaySeconds: number;
	/** …up to this. */
	maxDelaySeconds: number;
	/** An address's failures are forgotten this long after its last one. */
	forgetAfterSeconds: number;
	/** The account is locked for everyone when the addresses that failed within `accountWindowSeconds`… */
	accountWindowSeconds: number;
	/** …are at least this many… */
	accountAddresses: number;
	/** …and their failures add up to at least this many… */
	accountFailures: number;
	/** …for this long, or until an administrator unlocks it. */
	accountLockSeconds: number;
}

export const STAFF_LOGIN_THROTTLE: LoginThrottlePolicy = {
	freeFailures: 3,
	firstDelaySeconds: 30,
	maxDelaySeconds: 15 * 60,
	forgetAfterSeconds: 24 * 60 * 60,
	accountWindowSeconds: 60 * 60,
	accountAddresses: 10,
	accountFailures: 100,
	accountLockSeconds: 60 * 60
};

/** The failures of one account from one address. */
export interface AddressFailures {
	address: string;
	failures: number;
	lastFailureAt: Temporal.Instant;
}

export type ThrottleVerdict =
	| { kind: 'allowed' }
	/** This address must wait; other addresses may try. */
	| { kind: 'throttled'; until: Temporal.Instant }
	/** Nobody may try (failures from many addresses). */
	| { kind: 'locked'; until: Temporal.Instant };

const before = (a: Temporal.Instant, b: Temporal.Instant) => Temporal.Instant.compare(a, b) < 0;

/** The wait after `failures` failures in a row from one address: none for the free ones, then doubling to the cap. */
export function delayAfter(failures: number, policy: LoginThrottlePolicy = STAFF_LOGIN_THROTTLE): number {
	if (failures < policy.freeFailures) return 0;
	const doublings = failures - policy.freeFailures;
	// 2^doublings without overflow: past ~30 doublings the cap holds anyway.
	return Math.min(policy.maxDelaySeconds, policy.firstDelaySeconds * 2 ** Math.min(doublings, 30));
}

/** Whether an address's failures still count at `now`. */
export function isRemembered(row: AddressFailures, now: Temporal.Instant, policy: LoginThrottlePolicy = STAFF_LOGIN_THROTTLE): boolean {
	return before(now, row.lastFailureAt.add({ seconds: policy.forgetAfterSeconds }));
}

/** Whether `address` may try now: the account's lock first (if still in force), then the address's own wait. */
export function throttleVerdict(
	rows: readonly AddressFailures[],
	lockedUntil: Temporal.Instant | null,
	address: string,
	now: Temporal.Instant,
	policy: LoginThrottlePolicy = STAFF_LOGIN_THROTTLE
): ThrottleVerdict {
	if (lockedUntil && before(now, lockedUntil)) return { kind: 'locked', until: lockedUntil };
	const own = rows.find((r) => r.address === address);
	if (own && isRemembered(own, now, policy)) {
		const until = own.lastFailureAt.add({ seconds: delayAfter(own.failures, policy) });
		if (before(now, until)) return { kind: 'throttled', until };
	}
	return { kind: 'allowed' };
}

export interface FailureOutcome {
	/** The address's state to store. */
	row: AddressFailures;
	/** When the address may try again (now, if still within the free failures). */
	retryAt: Temporal.Instant;
	/** A lock for everyone that this failure sets off, or null. */
	lock: { until: Temporal.Instant; failures: number; addresses: string[] } | null;
}

/**
 * One more failure from `address`: its count (restarted if forgotten), its wait, and whether
 * the account's failures from many addresses within the window now lock it for everyone.
 * The lock lists the addresses, most failures first (at most 20), for the administrator.
 */
export function afterFailure(
	rows: readonly AddressFailures[],
	address: string,
	now: Temporal.Instant,
	policy: LoginThrottlePolicy = STAFF_LOGIN_THROTTLE
): FailureOutcome {
	const own = rows.find((r) => r.address === address);
	const failures = (own && isRemembered(own, now, policy) ? own.failures : 0) + 1;
	const row: AddressFailures = { address, failures, lastFailureAt: now };
	const windowStart = now.subtract({ seconds: policy.accountWindowSeconds });
	const recent = [...rows.filter((r) => r.address !== address), row].filter((r) => before(windowStart, r.lastFailureAt));
	const total = recent.reduce((sum, r) => sum + r.failures, 0);
	const lock =
		recent.length >= policy.accountAddresses && total >= policy.accountFailures
			? {
					until: now.add({ seconds: policy.accountLockSeconds }),
					failures: total,
					addresses: recent
						.sort((a, b) => b.failures - a.failures || a.address.localeCompare(b.address))
						.slice(0, 20)
						.map((r) => r.address)
				}
			: null;
	return { row, retryAt: now.add({ seconds: delayAfter(failures, policy) }), lock };
}

/**
 * The address a client is throttled by: an IPv4 address as it is (also when written as
 * IPv4-mapped IPv6), an IPv6 address by its /64 — one household or server gets a whole /64,
 * and counting each of its 2^64 addresses apart would make the throttle worthless.
 */
export function clientAddressKey(address: string): string {
	const value = address.trim().toLowerCase().replace(/%.*$/, '');
	const mapped = /^(?:::ffff:|0:0:0:0:0:ffff:)(\d{1,3}(?:\.\d{1,3}){3})$/.exec(value);
	if (mapped) return mapped[1]!;
	if (!value.includes(':')) return value.slice(0, 64);
	const groups = expandIpv6(value);
	return groups ? `${groups.slice(0, 4).join(':')}::/64` : value.slice(0, 64);
}

/** The eight 16-bit groups of an IPv6 address (no embedded IPv4), or null if it is none. */
function expandIpv6(value: string): string[] | null {
	const halves = value.split('::');
	if (halves.length > 2) return null;
	const parse = (s: string) => (s ? s.split(':') : []);
	const head = parse(halves[0]!);
	const tail = halves.length === 2 ? parse(halves[1]!) : [];
	const missing = 8 - head.length - tail.length;
	if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
	const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
	if (!groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return null;
	return groups.map((g) => g.replace(/^0+(?=.)/, ''));
}
