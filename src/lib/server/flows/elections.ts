/**
 * The elections a voter can still ask for something in, with the deadlines that govern each
 * request (DOMAIN.md "Deadlines"), as plain data for the pages. The rules are the domain's.
 */
import type { Temporal } from 'temporal-polyfill';
import {
	allowsCorrespondence,
	areRequestsOpen,
	deadlineFor,
	formatIsoWithOffset,
	hasVoterCards,
	isOnTime,
	type DeadlineKey,
	type Election,
	type Round
} from '../../domain';
import type { DbOrTrx } from '../db/index';
import { listElections, toDomainElection, type ElectionVisibility } from '../db/queries/elections';
import { electionNow } from '../clock';
import type { DeadlineView, ElectionView } from '../../forms/views';

export type { DeadlineView, ElectionView };

export function deadlineView(election: Election, key: DeadlineKey, round: Round, now: Temporal.Instant): DeadlineView | null {
	const deadline = deadlineFor(election, key, round);
	if (!deadline) return null;
	return { key, round, at: formatIsoWithOffset(deadline.at), section: deadline.section, open: isOnTime(now, deadline) };
}

function view(election: Election, title: string, keys: readonly DeadlineKey[], now: Temporal.Instant): ElectionView {
	return {
		id: election.id,
		title,
		twoRounds: election.rounds.length > 1,
		rounds: election.rounds.map(({ round, firstDay }) => ({
			round,
			firstDay,
			deadlines: keys.map((key) => deadlineView(election, key, round, now)).filter((d): d is DeadlineView => d !== null)
		}))
	};
}

export interface LoadedElection {
	election: Election;
	view: ElectionView;
}

async function openElections(
	db: DbOrTrx,
	now: Temporal.Instant,
	locale: 'cs' | 'en',
	applies: (election: Election) => boolean,
	keys: readonly DeadlineKey[],
	/** The deadline that must still be ahead in at least one round for the election to be offered. */
	lastKey: DeadlineKey,
	visibility: ElectionVisibility
): Promise<LoadedElection[]> {
	const out: LoadedElection[] = [];
	const portalNow = now;
	for (const row of await listElections(db, visibility)) {
		// Each election on its own clock (a rehearsal runs on its own).
		now = electionNow(row, portalNow);
		const election = toDomainElection(row);
		// §57(1): requests are accepted from the announcement.
		if (!applies(election) || !areRequestsOpen(now, election)) continue;
		const stillOpen = election.rounds.some(({ round }) => deadlineView(election, lastKey, round, now)?.open);
		if (!stillOpen) continue;
		out.push({ election, view: { ...view(election, locale === 'en' ? row.title_en : row.title_cs, keys, now), rehearsal: row.rehearsal } });
	}
	return out;
}

/** §56(2), §57(3): elections with voter cards whose last request deadline (D−2) is still ahead. */
export function listVoterCardElections(db: DbOrTrx, now: Temporal.Instant, locale: 'cs' | 'en', visibility: ElectionVisibility = {}): Promise<LoadedElection[]> {
	return openElections(db, now, locale, hasVoterCards, ['voter-card-mail-request', 'voter-card-pickup-request'], 'voter-card-pickup-request', visibility);
}

/** §57a(1), §57a(3): elections with correspondence voting whose written deadline (D−35) is still ahead. */
export function listCorrespondenceElections(db: DbOrTrx, now: Temporal.Instant, locale: 'cs' | 'en', visibility: ElectionVisibility = {}): Promise<LoadedElection[]> {
	return openElections(db, now, locale, allowsCorrespondence, ['correspondence-request-written'], 'correspondence-request-written', visibility);
}
