import { AsyncLocalStorage } from 'node:async_hooks';
import { Temporal } from 'temporal-polyfill';
import { config } from './config';

/**
 * The one source of time for the server. Domain rules never read it: services
 * call `clock.now()` once per use-case and pass the instant down.
 */
export interface Clock {
	now(): Temporal.Instant;
}

export const systemClock: Clock = { now: () => Temporal.Instant.fromEpochMilliseconds(Date.now()) };

export function fixedClock(at: Temporal.Instant | string): Clock {
	const instant = typeof at === 'string' ? Temporal.Instant.from(at) : at;
	return { now: () => instant };
}

let current: Clock | undefined;
const requestClock = new AsyncLocalStorage<Clock>();

/**
 * The clock in force: a test's per-request clock (APP_ENV=test only, see
 * withRequestClock), else FIXED_NOW outside production, else the system clock.
 */
export function clock(): Clock {
	const scoped = requestClock.getStore();
	if (scoped) return scoped;
	if (!current) {
		const fixed = config().FIXED_NOW;
		current = fixed ? fixedClock(fixed) : systemClock;
	}
	return current;
}

/**
 * Runs `fn` with its own clock. hooks.server.ts uses it for the `x-test-now` header when
 * APP_ENV=test, so that parallel end-to-end tests can each stand at their own instant.
 */
export function withRequestClock<T>(at: Clock, fn: () => T): T {
	return requestClock.run(at, fn);
}

/** Tests replace the clock; production code never calls this. */
export function setClock(next: Clock | undefined): void {
	current = next;
}

export function toDate(instant: Temporal.Instant): Date {
	return new Date(instant.epochMilliseconds);
}

export function fromDate(date: Date): Temporal.Instant {
	return Temporal.Instant.fromEpochMilliseconds(date.getTime());
}

/** What an election's clock depends on: the election row's rehearsal flag and offset (migration 0011). */
export interface ElectionClockSettings {
	rehearsal: boolean;
	clock_offset_seconds: number;
}

/**
 * The instant `now` of the portal's clock, as the election's clock reads it. A real election
 * always runs on the portal's clock; a rehearsal runs on the portal's clock moved by its offset,
 * so it keeps ticking after a "jump to". Services call this once per use-case with the
 * election they act on, and pass the result to the domain's rules.
 */
export function electionNow(election: ElectionClockSettings, now: Temporal.Instant): Temporal.Instant {
	if (!election.rehearsal) return now;
	return now.add({ seconds: election.clock_offset_seconds });
}

/** The clock of one election: the one to ask for any election-specific decision. */
export function clockFor(election: ElectionClockSettings, base: Clock = clock()): Clock {
	return { now: () => electionNow(election, base.now()) };
}

/** The offset that makes a rehearsal's clock read `target` at the portal's instant `now`, in whole seconds. */
export function offsetToReach(target: Temporal.Instant, now: Temporal.Instant): number {
	return Math.round((target.epochMilliseconds - now.epochMilliseconds) / 1000);
}
