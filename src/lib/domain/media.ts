/**
 * Registered media (issue 17): the addresses a media organisation reads the results feed from,
 * the registration deadline and the cut-off of its test addresses. In the manner of the
 * statistical office's dedicated connection for media: at most five production addresses and
 * five more for testing, which are cut off once the real processing begins. Pure: the caller
 * passes `now` (the election's clock).
 */
import { Temporal } from 'temporal-polyfill';

export const MAX_MEDIA_ADDRESSES = 5;

/** An address block: IPv4 or IPv6, its network address and prefix length. */
export interface Cidr {
	version: 4 | 6;
	base: bigint;
	prefix: number;
}

function parseIpv4(text: string): bigint | null {
	const parts = text.split('.');
	if (parts.length !== 4) return null;
	let value = 0n;
	for (const p of parts) {
		if (!/^(0|[1-9][0-9]{0,2})$/.test(p) || Number(p) > 255) return null;
		value = (value << 8n) | BigInt(p);
	}
	return value;
}

function parseIpv6(text: string): bigint | null {
	let head = text;
	let tailV4: bigint | null = null;
	const lastColon = text.lastIndexOf(':');
	if (text.includes('.')) {
		tailV4 = parseIpv4(text.slice(lastColon + 1));
		if (tailV4 === null) return null;
		head = `${text.slice(0, lastColon + 1)}0:0`;
	}
	const halves = head.split('::');
	if (halves.length > 2) return null;
	const groups = (s: string) => (s === '' ? [] : s.split(':'));
	const left = groups(halves[0]!);
	const right = halves.length === 2 ? groups(halves[1]!) : [];
	const missing = 8 - left.length - right.length;
	if (halves.length === 1 ? left.length !== 8 : missing < 1) return null;
	const all = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...right];
	let value = 0n;
	for (const g of all) {
		if (!/^[0-9a-f]{1,4}$/i.test(g)) return null;
		value = (value << 16n) | BigInt(parseInt(g, 16));
	}
	if (tailV4 !== null) value = (value & ~0xffffffffn) | tailV4;
	return value;
}

const V4_MAPPED = 0xffff00000000n;

/** An IPv4 or IPv6 address; an IPv4-mapped IPv6 address (`::ffff:192.0.2.1`) is read as IPv4. */
export function parseIp(text: string): { version: 4 | 6; value: bigint } | null {
	const t = text.trim();
	const v4 = parseIpv4(t);
	if (v4 !== null) return { version: 4, value: v4 };
	const v6 = t.includes(':') ? parseIpv6(t.replace(/%.*$/, '')) : null;
	if (v6 === null) return null;
	if (v6 >> 32n === V4_MAPPED >> 32n) return { version: 4, value: v6 & 0xffffffffn };
	return { version: 6, value: v6 };
}

const bits = (version: 4 | 6) => (version === 4 ? 32 : 128);

/** `192.0.2.0/24`, `2001:db8::/48`, or a single address (a /32 or /128); host bits must be zero. */
export function parseCidr(text: string): Cidr | null {
	const [addr, prefixText, ...rest] = text.trim().split('/');
	if (rest.length || !addr) return null;
	const ip = parseIp(addr);
	if (!ip || (ip.version === 4 && addr.includes(':'))) return null;
	const width = bits(ip.version);
	if (prefixText !== undefined && !/^(0|[1-9][0-9]{0,2})$/.test(prefixText)) return null;
	const prefix = prefixText === undefined ? width : Number(prefixText);
	if (prefix > width) return null;
	const hostMask = (1n << BigInt(width - prefix)) - 1n;
	if ((ip.value & hostMask) !== 0n) return null;
	return { version: ip.version, base: ip.value, prefix };
}

export function cidrContains(outer: Cidr, inner: Cidr): boolean {
	if (outer.version !== inner.version || outer.prefix > inner.prefix) return false;
	const shift = BigInt(bits(outer.version) - outer.prefix);
	return outer.base >> shift === inner.base >> shift;
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
	return cidrContains(a, b) || cidrContains(b, a);
}

/** Whether an address lies in one of the blocks. */
export function addressInList(address: string, blocks: readonly string[]): boolean {
	const ip = parseIp(address);
	if (!ip) return false;
	const single: Cidr = { version: ip.version, base: ip.value, prefix: bits(ip.version) };
	return blocks.some((b) => {
		const cidr = parseCidr(b);
		return cidr !== null && cidrContains(cidr, single);
	});
}

/** The narrowest block a registration may not go beyond: no organisation reads from a whole /8. */
export const WIDEST_PREFIX = { 4: 16, 6: 32 } as const;

export type AddressProblem = 'invalid' | 'everything' | 'too-wide' | 'overlap' | 'too-many';

export interface MediaAddressErrors {
	production?: { problem: AddressProblem; entry?: string };
	test?: { problem: AddressProblem; entry?: string };
}

/**
 * The production and test addresses of a registration: at most five of each; each a valid
 * address or block, never "everything" (`0.0.0.0/0`, `::/0`) nor wider than a /16 (IPv6 /32);
 * no block overlapping another, whether in the same list or across the two (an address is
 * either production or test, never both). Returns the normalised blocks.
 */
export function validateMediaAddresses(input: { production: readonly string[]; test: readonly string[] }):
	| { ok: true; production: string[]; test: string[] }
	| { ok: false; errors: MediaAddressErrors } {
	const errors: MediaAddressErrors = {};
	const parsed: { list: 'production' | 'test'; entry: string; cidr: Cidr }[] = [];
	for (const list of ['production', 'test'] as const) {
		const entries = input[list].map((e) => e.trim()).filter((e) => e !== '');
		if (entries.length > MAX_MEDIA_ADDRESSES) {
			errors[list] = { problem: 'too-many' };
			continue;
		}
		for (const entry of entries) {
			const cidr = parseCidr(entry);
			if (!cidr) errors[list] ??= { problem: 'invalid', entry };
			else if (cidr.prefix === 0) errors[list] ??= { problem: 'everything', entry };
			else if (cidr.prefix < WIDEST_PREFIX[cidr.version]) errors[list] ??= { problem: 'too-wide', entry };
			else {
				const clash = parsed.find((p) => cidrsOverlap(p.cidr, cidr));
				if (clash) errors[list] ??= { problem: 'overlap', entry };
				parsed.push({ list, entry, cidr });
			}
		}
	}
	if (errors.production || errors.test) return { ok: false, errors };
	const text = (c: Cidr) => `${formatIp(c.version, c.base)}/${c.prefix}`;
	return {
		ok: true,
		production: parsed.filter((p) => p.list === 'production').map((p) => text(p.cidr)),
		test: parsed.filter((p) => p.list === 'test').map((p) => text(p.cidr))
	};
}

function formatIp(version: 4 | 6, value: bigint): string {
	if (version === 4) return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 0xffn)).join('.');
	const groups = Array.from({ length: 8 }, (_, i) => ((value >> BigInt(112 - 16 * i)) & 0xffffn).toString(16));
	// Uncompressed: valid everywhere, and one text per block.
	return groups.join(':');
}

/**
 * Whether every block of `next` lies inside a block of `previous` (normalised or not): a change
 * that takes addresses away or narrows them, never one that reaches a new address. After the
 * registration deadline only such changes are allowed.
 */
export function addressesWithin(next: readonly string[], previous: readonly string[]): boolean {
	const old = previous.map(parseCidr).filter((c): c is Cidr => c !== null);
	return next.every((entry) => {
		const cidr = parseCidr(entry);
		return cidr !== null && old.some((o) => cidrContains(o, cidr));
	});
}

// --- Deadlines ---

/**
 * The registration deadline when the administrator set none (*configurable* per election):
 * 16:00 Prague time ten days before the first day of voting, in the manner of the other
 * day-counted deadlines (§78(1)(c)).
 */
export function defaultMediaRegistrationDeadline(firstDay: string): Temporal.Instant {
	return Temporal.PlainDate.from(firstDay).subtract({ days: 10 }).toZonedDateTime({ timeZone: 'Europe/Prague', plainTime: '16:00' }).toInstant();
}

/** A deadline typed as a Prague date and time (`YYYY-MM-DD`, `HH:MM`), as an instant. */
export function pragueDeadline(date: string, time: string): Temporal.Instant {
	return Temporal.PlainDate.from(date).toZonedDateTime({ timeZone: 'Europe/Prague', plainTime: Temporal.PlainTime.from(time) }).toInstant();
}

/** The administrator's deadline may not fall after the first day of voting (Prague date). */
export function mediaDeadlineAllowed(date: string, firstDay: string): boolean {
	return Temporal.PlainDate.compare(Temporal.PlainDate.from(date), Temporal.PlainDate.from(firstDay)) <= 0;
}

export function checkMediaRegistrationDeadline(now: Temporal.Instant, deadline: Temporal.Instant): { ok: true } | { ok: false; deadline: Temporal.Instant } {
	return Temporal.Instant.compare(now, deadline) < 0 ? { ok: true } : { ok: false, deadline };
}

/**
 * When the real processing of the results begins: the close of voting in Czechia on the
 * second day of the first round, Saturday 14:00 Prague time (§2(2)), or earlier when the
 * administrator switches it on for the election.
 */
export function realProcessingBegins(firstDay: string, switchedOnAt: Temporal.Instant | null): Temporal.Instant {
	const close = Temporal.PlainDate.from(firstDay).add({ days: 1 }).toZonedDateTime({ timeZone: 'Europe/Prague', plainTime: '14:00' }).toInstant();
	return switchedOnAt && Temporal.Instant.compare(switchedOnAt, close) < 0 ? switchedOnAt : close;
}

/** Test addresses reach the test feed only until the real processing begins. */
export function testAddressesCutOff(now: Temporal.Instant, begins: Temporal.Instant): boolean {
	return Temporal.Instant.compare(now, begins) >= 0;
}
