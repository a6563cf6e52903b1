/**
 * One question per page (GOV.UK): a flow is an ordered list of steps, each applying or not
 * to the answers so far. After each answer the voter goes to the first step still
 * unanswered, which is the check-answers page once everything is answered — so a "Change"
 * link on that page comes back to it by itself.
 */
import { redirect } from '@sveltejs/kit';

export interface StepDef<S> {
	id: string;
	path: string;
	applies: (state: S) => boolean;
	complete: (state: S) => boolean;
}

/** The first applicable step not yet answered; the last step (check answers) when all are. */
export function nextStep<S>(steps: readonly StepDef<S>[], state: S): StepDef<S> {
	for (const step of steps) if (step.applies(state) && !step.complete(state)) return step;
	const last = steps[steps.length - 1];
	if (!last) throw new Error('A flow needs steps');
	return last;
}

/** A step reached too early (an earlier answer missing) or not applying sends the voter to the right one. */
export function enterStep<S>(steps: readonly StepDef<S>[], state: S, id: string): void {
	const index = steps.findIndex((s) => s.id === id);
	const step = steps[index];
	if (!step) throw new Error(`Unknown step ${id}`);
	const next = nextStep(steps, state);
	const nextIndex = steps.indexOf(next);
	if (!step.applies(state) || nextIndex < index) redirect(303, next.path);
}

/** Where the back link of a step goes: the previous applicable step, or the flow's start page. */
export function backPath<S>(steps: readonly StepDef<S>[], state: S, id: string, start: string): string {
	const index = steps.findIndex((s) => s.id === id);
	for (let i = index - 1; i >= 0; i--) {
		const step = steps[i];
		if (step && step.applies(state)) return step.path;
	}
	return start;
}

/** Every question that applies answered: what the check-answers page needs before it files anything. */
export function allAnswered<S>(steps: readonly StepDef<S>[], state: S): boolean {
	const last = steps[steps.length - 1];
	return steps.every((s) => s === last || !s.applies(state) || s.complete(state));
}
