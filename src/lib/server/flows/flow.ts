/**
 * A question page of a voter's flow, the same in every flow: its load reads the draft and sends
 * a page reached too early, or one that does not apply, to the right one (steps.ts); its action
 * validates the answer with zod, keeps it in the draft and goes on to the first question still
 * unanswered — the check-answers page once all are answered. A route says only what differs:
 * the question's schema and how the answer changes the draft.
 */
import { fail, isActionFailure, redirect, type ActionFailure } from '@sveltejs/kit';
import type { z } from 'zod';
import { parseForm, type FieldErrors, type FormValues } from '../../forms/requests';
import type { RequestDraftFlow, RequestKind } from '../db/schema';
import { voterContext, writeDraft, type LocalsLike, type VoterContext } from './context';
import { backPath, enterStep, nextStep, type StepDef } from './steps';

export interface FlowState {
	answers: Record<string, unknown>;
	idempotencyKey: string | null;
}

/** A flow: its draft, its steps, how its state is read, and what entering a step checks. */
export interface FlowDef<S extends FlowState, E extends S = S> {
	flow: RequestDraftFlow;
	kind: RequestKind;
	paths: { start: string; check: string; done: string };
	steps: readonly StepDef<S>[];
	load(ctx: VoterContext): Promise<S>;
	/** The state once the answers change: what is derived from them, computed again. */
	withAnswers(state: S, answers: S['answers']): S;
	/** Entering a step: a redirect where it is not the voter's to answer now (steps.ts's enterStep and any flow's own check). */
	enter(state: S, id: string): E;
}

/** A flow whose only check on entering a step is the order of its questions. */
export function stepsInOrder<S extends FlowState>(steps: readonly StepDef<S>[]): (state: S, id: string) => S {
	return (state, id) => {
		enterStep(steps, state, id);
		return state;
	};
}

export interface StepEvent {
	locals: LocalsLike;
	url: URL;
	request: Request;
}

export interface OpenStep<E> {
	ctx: VoterContext;
	state: E;
	/** The back link: the previous question that applies, or the flow's start page. */
	back: string;
}

/** The voter, the flow's state, and a redirect if this step is not the voter's to answer now. */
export async function openStep<S extends FlowState, E extends S>(event: Omit<StepEvent, 'request'>, def: FlowDef<S, E>, id: string): Promise<OpenStep<E>> {
	const ctx = voterContext(event);
	const state = def.enter(await def.load(ctx), id);
	return { ctx, state, back: backPath(def.steps, state, id, def.paths.start) };
}

/** Keeps the answers in the draft and goes to the first question still unanswered. */
export async function saveAnswers<S extends FlowState, E extends S>(ctx: VoterContext, def: FlowDef<S, E>, state: S, answers: S['answers']): Promise<never> {
	await writeDraft(ctx, def.flow, answers);
	redirect(303, nextStep(def.steps, def.withAnswers(state, answers)).path);
}

/** A route's own refusal of an answer, whatever it carries (the route's page reads it). */
type Refused = ActionFailure<any>;

/** What a question page's form sends back when a field does not pass its schema. */
export type InvalidAnswer = ActionFailure<{ values: FormValues; errors: FieldErrors }>;

/**
 * A question page's action: the form read against the question's schema (a 400 with what was
 * typed and the errors where it does not pass), then `answer` turns the value into the flow's
 * new answers — or refuses it with its own 400 (a rule the domain checks at once).
 */
export function answerAction<S extends FlowState, E extends S, T, R extends S['answers'] | Refused>(
	def: FlowDef<S, E>,
	id: string,
	question: {
		schema: z.ZodType<T> | ((step: OpenStep<E>) => z.ZodType<T>);
		fields: readonly string[];
		answer: (value: T, step: OpenStep<E>) => R | Promise<R>;
	}
): (event: StepEvent) => Promise<InvalidAnswer | Extract<R, Refused>> {
	return async (event) => {
		const step = await openStep(event, def, id);
		const schema = typeof question.schema === 'function' ? question.schema(step) : question.schema;
		const parsed = parseForm(schema, await event.request.formData(), question.fields);
		if (!parsed.ok) return fail(400, { values: parsed.values, errors: parsed.errors });
		const answers = await question.answer(parsed.data, step);
			if (isActionFailure(answers)) return answers as Extract<R, Refused>;
		return saveAnswers(step.ctx, def, step.state, answers as S['answers']);
	};
}
