import { error, fail, redirect } from '@sveltejs/kit';
import type { Round } from '$lib/domain';
import { getOfficeForAdmin, setEmbassyVotingWindows, type SetWindowsResult } from '$lib/server/services/admin-offices';
import { adminContext, text } from '../../../../volby/admin-server';
import type { Actions, PageServerLoad } from './$types';

/** Two windows per round (§2(3)); their fields are named r<round>w<window>start|end. */
const WINDOWS_PER_ROUND = 2;

async function target(ctx: ReturnType<typeof adminContext>, officeId: string, electionId: string) {
	const detail = await getOfficeForAdmin(ctx.db, ctx.actor, officeId);
	const election = detail?.office.kind === 'embassy' ? detail.elections.find((e) => e.electionId === electionId) : undefined;
	if (!detail || !election) error(404, 'Not found');
	return { office: detail.office, election };
}

/** One embassy's voting windows in one election, local time of its zone, per round (§2(3)). */
export const load: PageServerLoad = async ({ locals, params }) => {
	const ctx = adminContext(locals);
	const { office, election } = await target(ctx, params.id, params.volbyId);
	const values: Record<string, string> = {};
	for (const r of election.rounds) {
		const shown = r.windows.length ? r.windows : r.defaults;
		shown.forEach((w, i) => {
			values[`r${r.round}w${i + 1}start`] = w.start;
			values[`r${r.round}w${i + 1}end`] = w.end;
		});
	}
	return {
		office: { id: office.id, nameCs: office.name_cs, nameEn: office.name_en, timeZone: office.time_zone },
		election,
		values
	};
};

function fieldErrors(result: Extract<SetWindowsResult, { kind: 'invalid' }>): Record<string, string> {
	const errors: Record<string, string> = {};
	for (const e of result.errors) {
		const field = `r${e.round}w${(e.window ?? 0) + 1}start`;
		errors[field] ??= e.code;
	}
	return errors;
}

export const actions: Actions = {
	save: async ({ locals, params, request }) => {
		const ctx = adminContext(locals);
		const { office, election } = await target(ctx, params.id, params.volbyId);
		const form = await request.formData();
		const values: Record<string, string> = {};
		const rounds = election.rounds.map((r) => ({
			round: r.round as Round,
			windows: Array.from({ length: WINDOWS_PER_ROUND }, (_, i) => {
				const start = text(form, `r${r.round}w${i + 1}start`, 40);
				const end = text(form, `r${r.round}w${i + 1}end`, 40);
				values[`r${r.round}w${i + 1}start`] = start;
				values[`r${r.round}w${i + 1}end`] = end;
				// Browsers may send seconds; the windows are kept to the minute.
				return { start: start.slice(0, 16), end: end.slice(0, 16) };
			})
		}));
		const result = await setEmbassyVotingWindows(ctx.db, { officeId: office.id, electionId: election.electionId, rounds }, ctx.actor, ctx.now);
		if (result.kind === 'forbidden') error(403, 'Forbidden');
		if (result.kind === 'not-found') error(404, 'Not found');
		if (result.kind === 'invalid') return fail(400, { values, errors: fieldErrors(result) });
		redirect(303, `/urad/sprava/urady/${office.id}?casy=1`);
	},
	defaults: async ({ locals, params }) => {
		const ctx = adminContext(locals);
		const { office, election } = await target(ctx, params.id, params.volbyId);
		const result = await setEmbassyVotingWindows(ctx.db, { officeId: office.id, electionId: election.electionId, defaults: true }, ctx.actor, ctx.now);
		if (result.kind === 'forbidden') error(403, 'Forbidden');
		if (result.kind !== 'ok') error(404, 'Not found');
		redirect(303, `/urad/sprava/urady/${office.id}?casy=1`);
	}
};
