/** Plain data the server hands to the voter's pages (no Temporal, no database rows). */
import type { DeadlineKey, Round } from '../domain';

export interface DeadlineView {
	key: DeadlineKey;
	round: Round;
	/** ISO 8601 with the Prague offset, e.g. '2027-01-05T16:00:00+01:00' (§78(2)). */
	at: string;
	section: string;
	/** Still ahead at the time of the request (§78(1)(c)). */
	open: boolean;
}

export interface ElectionRoundView {
	round: Round;
	/** D, YYYY-MM-DD */
	firstDay: string;
	deadlines: DeadlineView[];
}

export interface ElectionView {
	id: string;
	title: string;
	twoRounds: boolean;
	rounds: ElectionRoundView[];
	/** A rehearsal (issue 14), offered to test identities only; the page shows the band. */
	rehearsal?: boolean;
}
