/**
 * The one way services ask "what time is it" for an election-specific decision: the
 * election's clock (clock.ts clockFor). Routes pass the portal's instant of the request;
 * a service turns it into the election's instant here, once per use-case.
 */
import type { Temporal } from 'temporal-polyfill';
import { electionNow } from '../clock';
import type { DbOrTrx } from '../db/index';
import { findElectionClock } from '../db/queries/elections';

export { electionNow };

/** The election's instant at the portal's instant `now`; `now` itself for an unknown id (nothing to decide then). */
export async function electionNowById(db: DbOrTrx, electionId: string, now: Temporal.Instant): Promise<Temporal.Instant> {
	const settings = await findElectionClock(db, electionId);
	return settings ? electionNow(settings, now) : now;
}
