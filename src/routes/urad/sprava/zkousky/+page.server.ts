import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { REHEARSAL_JUMPS } from '$lib/domain';
import { listAdminOffices } from '$lib/server/db/queries/admin';
import { listElections } from '$lib/server/db/queries/elections';
import { createRehearsal, deleteRehearsal, jumpRehearsalClock, listRehearsals, resetRehearsal } from '$lib/server/services/rehearsals';
import { adminContext, text, texts } from '../volby/admin-server';
import type { Actions, PageServerLoad } from './$types';

const DONE = ['created', 'moved', 'reset', 'deleted'] as const;

export const load: PageServerLoad = async ({ locals, url }) => {
	const ctx = adminContext(locals);
	const [rehearsals, real, offices] = await Promise.all([listRehearsals(ctx.db, ctx.actor, ctx.now), listElections(ctx.db), listAdminOffices(ctx.db)]);
	if (!rehearsals) error(403, 'Forbidden');
	const done = DONE.find((d) => d === url.searchParams.get('hotovo')) ?? null;
	return {
		done,
		jumps: REHEARSAL_JUMPS,
		rehearsals: rehearsals.map((r) => ({ ...r, clockAt: r.clockAt.toString() })),
		realElections: real.map((e) => ({ id: e.id, titleCs: e.title_cs, titleEn: e.title_en })),
		offices: offices.map((o) => ({ id: o.id, nameCs: o.name_cs, nameEn: o.name_en, kind: o.kind }))
	};
};

const idSchema = z.object({ electionId: z.string().uuid() });

export const actions: Actions = {
	create: async ({ locals, request }) => {
		const ctx = adminContext(locals);
		const form = await request.formData();
		const values = { source: text(form, 'source', 64), type: text(form, 'type', 32), firstDay: text(form, 'firstDay', 16), officeIds: texts(form, 'officeIds', 64) };
		const result = await createRehearsal(
			ctx.db,
			{ fromElectionId: values.source && values.source !== 'none' ? values.source : null, type: values.type, firstDay: values.firstDay, officeIds: values.officeIds },
			ctx.actor,
			ctx.now
		);
		if (result.kind === 'forbidden') error(403, 'Forbidden');
		if (result.kind === 'invalid') {
			const errors = { ...result.errors };
			if (!values.source) errors.fromElectionId = 'required';
			return fail(400, { form: 'create' as const, values, errors });
		}
		if (!values.source) return fail(400, { form: 'create' as const, values, errors: { fromElectionId: 'required' as const } });
		redirect(303, '/urad/sprava/zkousky?hotovo=created');
	},
	jump: async ({ locals, request }) => {
		const ctx = adminContext(locals);
		const form = await request.formData();
		const parsed = idSchema.safeParse({ electionId: text(form, 'electionId', 64) });
		if (!parsed.success) error(404, 'Not found');
		const result = await jumpRehearsalClock(ctx.db, { electionId: parsed.data.electionId, jump: text(form, 'jump', 32) }, ctx.actor, ctx.now);
		if (result.kind === 'forbidden') error(403, 'Forbidden');
		if (result.kind === 'not-found') error(404, 'Not found');
		if (result.kind === 'invalid-jump') return fail(400, { form: 'jump' as const, electionId: parsed.data.electionId, errors: { jump: 'required' as const } });
		redirect(303, '/urad/sprava/zkousky?hotovo=moved');
	},
	reset: async ({ locals, request }) => {
		const ctx = adminContext(locals);
		const form = await request.formData();
		const parsed = idSchema.safeParse({ electionId: text(form, 'electionId', 64) });
		if (!parsed.success) error(404, 'Not found');
		if (text(form, 'confirm', 8) !== 'yes') return fail(400, { form: 'reset' as const, electionId: parsed.data.electionId, errors: { confirm: 'required' as const } });
		const result = await resetRehearsal(ctx.db, parsed.data, ctx.actor, ctx.now);
		if (result.kind === 'forbidden') error(403, 'Forbidden');
		if (result.kind === 'not-found') error(404, 'Not found');
		redirect(303, '/urad/sprava/zkousky?hotovo=reset');
	},
	delete: async ({ locals, request }) => {
		const ctx = adminContext(locals);
		const form = await request.formData();
		const parsed = idSchema.safeParse({ electionId: text(form, 'electionId', 64) });
		if (!parsed.success) error(404, 'Not found');
		if (text(form, 'confirm', 8) !== 'yes') return fail(400, { form: 'delete' as const, electionId: parsed.data.electionId, errors: { confirm: 'required' as const } });
		const result = await deleteRehearsal(ctx.db, parsed.data, ctx.actor, ctx.now);
		if (result.kind === 'forbidden') error(403, 'Forbidden');
		if (result.kind === 'not-found') error(404, 'Not found');
		redirect(303, '/urad/sprava/zkousky?hotovo=deleted');
	}
};
