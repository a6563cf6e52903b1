/**
 * The first questions of the voter card (§57(3), §57(5)) and correspondence (§57a(3), §57b(2))
 * flows, asked the same way: which election, then — for a two-round election — which rounds.
 */
import { fail } from '@sveltejs/kit';
import type { Round } from '../../domain';
import { electionSchema, roundsSchema, type RoundsChoice } from '../../forms/requests';
import type { LoadedElection } from './elections';
import { answerAction, openStep, type FlowDef, type FlowState, type StepEvent } from './flow';

export interface ElectionFlowState extends FlowState {
	answers: { electionId?: string; rounds?: RoundsChoice };
	elections: LoadedElection[];
	chosen: LoadedElection | undefined;
	/** The rounds asked for; [1] for a one-round election. */
	rounds: Round[] | null;
}

/** §57(5), §57b(2): the rounds asked for; [1] for a one-round election, none while unanswered. */
export function roundsFromAnswers(answers: { rounds?: RoundsChoice }, chosen: LoadedElection | undefined): Round[] | null {
	if (!chosen) return null;
	if (!chosen.view.twoRounds) return [1];
	if (!answers.rounds) return null;
	return answers.rounds === 'both' ? [1, 2] : [Number(answers.rounds) as Round];
}

/** The state with new answers: the election chosen and the rounds asked for, read from them again. */
export function withElectionAnswers<S extends ElectionFlowState>(state: S, answers: S['answers']): S {
	const chosen = state.elections.find((e) => e.election.id === answers.electionId);
	return { ...state, answers, chosen, rounds: roundsFromAnswers(answers, chosen) };
}

export function electionLoad<S extends ElectionFlowState, E extends S>(def: FlowDef<S, E>) {
	return async (event: Omit<StepEvent, 'request'>) => {
		const { state, back } = await openStep(event, def, 'election');
		return { elections: state.elections.map((e) => e.view), value: state.answers.electionId ?? '', back };
	};
}

/** Only an election offered to this voter now; another election drops the rounds asked for in the old one. */
export function electionAction<S extends ElectionFlowState, E extends S>(def: FlowDef<S, E>) {
	return answerAction(def, 'election', {
		schema: electionSchema,
		fields: ['electionId'],
		answer: ({ electionId }, { state }) => {
			const chosen = state.elections.find((e) => e.election.id === electionId);
			if (!chosen) return fail(400, { values: { electionId: '' }, errors: { electionId: 'election_required' as const } });
			return { ...state.answers, electionId: chosen.election.id, rounds: chosen.election.id === state.answers.electionId ? state.answers.rounds : undefined };
		}
	});
}

/** The rounds question; `preset` is the answer offered before the voter gives one. */
export function roundsLoad<S extends ElectionFlowState, E extends S>(def: FlowDef<S, E>, preset: RoundsChoice | '') {
	return async (event: Omit<StepEvent, 'request'>) => {
		const { state, back } = await openStep(event, def, 'rounds');
		return { election: state.chosen!.view, value: state.answers.rounds ?? preset, back };
	};
}

export function roundsAction<S extends ElectionFlowState, E extends S>(def: FlowDef<S, E>) {
	return answerAction(def, 'rounds', {
		schema: roundsSchema,
		fields: ['rounds'],
		answer: ({ rounds }, { state }) => ({ ...state.answers, rounds })
	});
}
