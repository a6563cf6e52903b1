/** The voter card request flow (§56, §57): its steps and what its pages need. */
import { voterListFor, type Round } from '../../domain';
import { voterCardAnswers, type VoterCardAnswers } from '../../forms/requests';
import type { DeadlineView } from '../../forms/views';
import { findOfficeById } from '../db/queries/offices';
import { findVoterById } from '../db/queries/voters';
import { readDraft, type VoterContext } from './context';
import { listVoterCardElections, type LoadedElection } from './elections';
import { withElectionAnswers, type ElectionFlowState } from './election-steps';
import { stepsInOrder, type FlowDef } from './flow';
import type { StepDef } from './steps';

export const VOTER_CARD_FLOW = 'voter-card' as const;

export const VOTER_CARD_PATHS = {
	start: '/volicsky-prukaz',
	election: '/volicsky-prukaz/volby',
	rounds: '/volicsky-prukaz/kolo',
	delivery: '/volicsky-prukaz/zpusob-doruceni',
	address: '/volicsky-prukaz/adresa',
	proxy: '/volicsky-prukaz/zmocnenec',
	check: '/volicsky-prukaz/kontrola',
	done: '/volicsky-prukaz/odeslano'
} as const;

export interface VoterCardState extends ElectionFlowState {
	answers: VoterCardAnswers;
	/** §57(5): the rounds asked for; [1] for a one-round election. */
	rounds: Round[] | null;
}

export async function loadVoterCardState(ctx: VoterContext): Promise<VoterCardState> {
	const [draft, elections] = await Promise.all([
		readDraft(ctx, VOTER_CARD_FLOW, voterCardAnswers),
		listVoterCardElections(ctx.db, ctx.now, ctx.locale, { testIdentity: ctx.testIdentity })
	]);
	return withElectionAnswers({ answers: draft.answers, idempotencyKey: draft.idempotencyKey, elections, chosen: undefined, rounds: null }, draft.answers);
}

/** §57(3): the deadline of a kind in each round asked for (all rounds while none is chosen yet). */
export function chosenDeadlines(state: VoterCardState, key: 'voter-card-mail-request' | 'voter-card-pickup-request'): DeadlineView[] {
	if (!state.chosen) return [];
	const rounds = state.rounds ?? state.chosen.view.rounds.map((r) => r.round);
	return state.chosen.view.rounds.filter((r) => rounds.includes(r.round)).flatMap((r) => r.deadlines.filter((d) => d.key === key));
}

export const VOTER_CARD_STEPS: readonly StepDef<VoterCardState>[] = [
	{ id: 'election', path: VOTER_CARD_PATHS.election, applies: () => true, complete: (s) => s.chosen !== undefined },
	{ id: 'rounds', path: VOTER_CARD_PATHS.rounds, applies: (s) => s.chosen?.view.twoRounds === true, complete: (s) => s.rounds !== null },
	{ id: 'delivery', path: VOTER_CARD_PATHS.delivery, applies: () => true, complete: (s) => s.answers.delivery !== undefined },
	{
		id: 'address',
		path: VOTER_CARD_PATHS.address,
		applies: (s) => s.answers.delivery === 'post',
		complete: (s) => s.answers.address !== undefined
	},
	{
		id: 'proxy',
		path: VOTER_CARD_PATHS.proxy,
		applies: (s) => s.answers.delivery === 'proxy',
		complete: (s) => !!s.answers.proxyName
	},
	{ id: 'check', path: VOTER_CARD_PATHS.check, applies: () => true, complete: () => false }
];

export const VOTER_CARD: FlowDef<VoterCardState> = {
	flow: VOTER_CARD_FLOW,
	kind: 'voter-card',
	paths: VOTER_CARD_PATHS,
	steps: VOTER_CARD_STEPS,
	load: loadVoterCardState,
	withAnswers: withElectionAnswers,
	enter: stepsInOrder(VOTER_CARD_STEPS)
};

/**
 * §57(1): the office that keeps the voter on its list for the election — the municipal
 * office, or the embassy of the special district for an election held abroad (§56(4)).
 */
export async function competentOfficeName(ctx: VoterContext, chosen: LoadedElection): Promise<string | null> {
	const voter = await findVoterById(ctx.db, ctx.voterId);
	if (!voter) return null;
	const list = voterListFor(chosen.election, {
		municipalOfficeId: voter.municipal_office_id,
		specialDistrictOfficeId: voter.special_district_office_id
	});
	if (!list) return null;
	const office = await findOfficeById(ctx.db, list.officeId);
	return office ? (ctx.locale === 'en' ? office.name_en : office.name_cs) : null;
}
