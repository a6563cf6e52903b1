/** The correspondence package flow (§57a–§57c): its steps and what its pages need. */
import { m } from '../../paraglide/messages.js';
import { redirect } from '@sveltejs/kit';
import type { Round } from '../../domain';
import { correspondenceAnswers, type CorrespondenceAnswers } from '../../forms/requests';
import type { DeadlineView } from '../../forms/views';
import { countryOptions, type CountryOption } from '../countries';
import { findOfficeById, type OfficeRow } from '../db/queries/offices';
import { findVoterById } from '../db/queries/voters';
import { readDraft, type VoterContext } from './context';
import { listCorrespondenceElections, type LoadedElection } from './elections';
import { withElectionAnswers, type ElectionFlowState } from './election-steps';
import type { FlowDef } from './flow';
import { enterStep, type StepDef } from './steps';

export const CORRESPONDENCE_FLOW = 'correspondence-package' as const;

export const CORRESPONDENCE_PATHS = {
	start: '/korespondencni-hlasovani',
	election: '/korespondencni-hlasovani/volby',
	rounds: '/korespondencni-hlasovani/kolo',
	delivery: '/korespondencni-hlasovani/zpusob-doruceni',
	address: '/korespondencni-hlasovani/adresa',
	check: '/korespondencni-hlasovani/kontrola',
	done: '/korespondencni-hlasovani/odeslano'
} as const;

export interface CorrespondenceState extends ElectionFlowState {
	answers: CorrespondenceAnswers;
	/** §57a(1): the embassy whose special district keeps the voter; none = the flow is not offered. */
	embassy: OfficeRow | undefined;
	/** §57b(2): the rounds asked for; [1] for a one-round election. */
	rounds: Round[] | null;
}

export async function loadCorrespondenceState(ctx: VoterContext): Promise<CorrespondenceState> {
	const [draft, voter] = await Promise.all([readDraft(ctx, CORRESPONDENCE_FLOW, correspondenceAnswers), findVoterById(ctx.db, ctx.voterId)]);
	const office = voter?.special_district_office_id ? await findOfficeById(ctx.db, voter.special_district_office_id) : undefined;
	const embassy = office?.kind === 'embassy' ? office : undefined;
	const elections = embassy ? await listCorrespondenceElections(ctx.db, ctx.now, ctx.locale, { testIdentity: ctx.testIdentity }) : [];
	return withElectionAnswers({ answers: draft.answers, idempotencyKey: draft.idempotencyKey, embassy, elections, chosen: undefined, rounds: null }, draft.answers);
}

/** §57a(3): the written deadline that governs the request — that of the first round asked for. */
export function governingDeadline(state: CorrespondenceState): DeadlineView | null {
	if (!state.chosen) return null;
	const first = (state.rounds ?? [1])[0] ?? 1;
	return state.chosen.view.rounds.find((r) => r.round === first)?.deadlines.find((d) => d.key === 'correspondence-request-written') ?? null;
}

export const CORRESPONDENCE_STEPS: readonly StepDef<CorrespondenceState>[] = [
	{ id: 'election', path: CORRESPONDENCE_PATHS.election, applies: () => true, complete: (s) => s.chosen !== undefined },
	{ id: 'rounds', path: CORRESPONDENCE_PATHS.rounds, applies: (s) => s.chosen?.view.twoRounds === true, complete: (s) => s.rounds !== null },
	{ id: 'delivery', path: CORRESPONDENCE_PATHS.delivery, applies: () => true, complete: (s) => s.answers.delivery !== undefined },
	{
		id: 'address',
		path: CORRESPONDENCE_PATHS.address,
		applies: (s) => s.answers.delivery === 'post',
		complete: (s) => s.answers.address !== undefined
	},
	{ id: 'check', path: CORRESPONDENCE_PATHS.check, applies: () => true, complete: () => false }
];

/** §57a(4): a mailing address inside the embassy's area — its countries only. */
export function embassyCountries(embassy: OfficeRow, locale: 'cs' | 'en', excluded: readonly string[] = []): CountryOption[] {
	// §58(3): a country the government excluded is shown, not selectable, with the reason.
	return countryOptions(embassy.countries, locale).map((c) =>
		excluded.includes(c.value) ? { ...c, label: m.form_country_excluded({ country: c.label }, { locale }), disabled: true } : c
	);
}

/** A step of the flow: only for a voter in an embassy's special district (§57a(1)); else the start page explains. */
export function enterCorrespondenceStep(state: CorrespondenceState, id: string): CorrespondenceState & { embassy: OfficeRow } {
	const { embassy } = state;
	if (!embassy) redirect(303, CORRESPONDENCE_PATHS.start);
	enterStep(CORRESPONDENCE_STEPS, state, id);
	return { ...state, embassy };
}

export const CORRESPONDENCE: FlowDef<CorrespondenceState, CorrespondenceState & { embassy: OfficeRow }> = {
	flow: CORRESPONDENCE_FLOW,
	kind: 'correspondence-package',
	paths: CORRESPONDENCE_PATHS,
	steps: CORRESPONDENCE_STEPS,
	load: loadCorrespondenceState,
	withAnswers: withElectionAnswers,
	enter: enterCorrespondenceStep
};
