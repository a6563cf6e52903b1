/**
 * How often the portal sends a confirmation link to an address that a voter typed (issue 19).
 * Such an address has not agreed to anything yet, so the portal must not become a way to
 * flood someone's mailbox: confirmation e-mails are limited per recipient address, across
 * voters, and per voter, and a voter waits a short while before asking for a new link.
 * Pure: the sends are read and written by services/voter-email.ts, in the transaction that
 * queues the e-mail. Not law (DOMAIN.md has no rule on it): a safety choice.
 */
import { sha256 } from '@oslojs/crypto/sha2';
import { Temporal } from 'temporal-polyfill';

export interface SendLimit {
	max: number;
	window: Temporal.Duration;
}

export interface ConfirmationMailPolicy {
	/** Links to one address, whoever asked for them. */
	perAddress: SendLimit;
	/** Links one voter asks for, to any addresses. */
	perVoter: SendLimit;
	/** The least time between two links one voter asks for. */
	cooldown: Temporal.Duration;
}

export const CONFIRMATION_MAIL_POLICY: ConfirmationMailPolicy = {
	perAddress: { max: 3, window: Temporal.Duration.from({ hours: 1 }) },
	perVoter: { max: 5, window: Temporal.Duration.from({ hours: 24 }) },
	cooldown: Temporal.Duration.from({ minutes: 2 })
};

/** How far back the sends matter: the longest window. Older rows can be deleted. */
export function relevantSince(now: Temporal.Instant, policy: ConfirmationMailPolicy = CONFIRMATION_MAIL_POLICY): Temporal.Instant {
	const longest = Temporal.Duration.compare(policy.perAddress.window, policy.perVoter.window) >= 0 ? policy.perAddress.window : policy.perVoter.window;
	return now.subtract(longest);
}

const later = (a: Temporal.Instant, b: Temporal.Instant) => (Temporal.Instant.compare(a, b) >= 0 ? a : b);

/** The instant from which fewer than `limit.max` of `sent` lie within the window, or null if that is already so at `now`. */
function freeAt(sent: readonly Temporal.Instant[], limit: SendLimit, now: Temporal.Instant): Temporal.Instant | null {
	const since = now.subtract(limit.window);
	const recent = sent.filter((s) => Temporal.Instant.compare(s, since) > 0).sort((a, b) => Temporal.Instant.compare(b, a));
	const pivot = recent[limit.max - 1];
	return pivot ? pivot.add(limit.window) : null;
}

/**
 * When the next confirmation link may be sent: null for now, else the earliest instant at
 * which every limit allows it. `toAddress`: links sent to the (normalised) address by anyone;
 * `byVoter`: links this voter asked for.
 */
export function nextConfirmationMailAt(
	toAddress: readonly Temporal.Instant[],
	byVoter: readonly Temporal.Instant[],
	now: Temporal.Instant,
	policy: ConfirmationMailPolicy = CONFIRMATION_MAIL_POLICY
): Temporal.Instant | null {
	const candidates = [freeAt(toAddress, policy.perAddress, now), freeAt(byVoter, policy.perVoter, now)];
	const last = byVoter.reduce<Temporal.Instant | null>((a, b) => (a ? later(a, b) : b), null);
	if (last) candidates.push(last.add(policy.cooldown));
	const at = candidates.reduce<Temporal.Instant | null>((a, b) => (b === null ? a : a ? later(a, b) : b), null);
	if (!at || Temporal.Instant.compare(at, now) <= 0) return null;
	// Whole minutes up: the page says "at 14:32", and at 14:32 it works.
	const ms = at.epochMilliseconds;
	return Temporal.Instant.fromEpochMilliseconds(Math.ceil(ms / 60_000) * 60_000);
}

/** Providers that ignore dots in the local part: j.a.n@gmail.com is jan@gmail.com. */
const DOTLESS_DOMAINS = new Set(['gmail.com', 'googlemail.com']);

/**
 * The mailbox an address reaches, for counting: lower case, without a "+tag" in the local part
 * (most providers deliver jan+1@… and jan+2@… to jan@…, so tags must not multiply the limit),
 * and for Gmail without dots (it delivers j.a.n@ and jan@ to the same mailbox; googlemail.com
 * is the same service).
 */
export function mailboxKey(email: string): string {
	const address = email.trim().toLowerCase();
	const at = address.lastIndexOf('@');
	if (at < 0) return address;
	let local = address.slice(0, at);
	let domain = address.slice(at + 1);
	const plus = local.indexOf('+');
	if (plus > 0) local = local.slice(0, plus);
	if (DOTLESS_DOMAINS.has(domain)) {
		local = local.replaceAll('.', '') || local;
		domain = 'gmail.com';
	}
	return `${local}@${domain}`;
}

/** What the database keeps of an address: the SHA-256 of its mailbox key, never the address. */
export function mailboxHash(email: string): Uint8Array {
	return sha256(new TextEncoder().encode(mailboxKey(email)));
}
