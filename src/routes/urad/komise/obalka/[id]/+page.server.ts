import { error, fail, redirect } from '@sveltejs/kit';
import { getEnvelopeForOpening, recordOutcome } from '$lib/server/services/commission';
import { staffContext } from '$lib/server/staff-pages/context';
import { COMMISSION_GROUP, groundOptions, parseRoundKey, roundKey } from '$lib/server/staff-pages/envelopes';
import type { Actions, PageServerLoad } from './$types';

/** The round the commission came from, for the way back; only a well-formed key is kept. */
function backKey(url: URL): string | null {
	const parsed = parseRoundKey(url.searchParams.get('volby') ?? '');
	return parsed ? roundKey(parsed.electionId, parsed.round) : null;
}

/**
 * §57d: one envelope, scanned or picked from the list: what the portal knows about its voter
 * (§57d(2)(d), (e), §57d(5)) and the member's record — accepted, or set aside on a ground
 * of §57d(2). Another embassy's envelope is a 404, like an unknown one.
 */
export const load: PageServerLoad = async (event) => {
	const ctx = await staffContext(event, COMMISSION_GROUP);
	const result = await getEnvelopeForOpening(ctx.db, { envelopeId: event.params.id }, ctx.actor, ctx.now);
	if (result.kind === 'forbidden') error(403, 'Forbidden');
	if (result.kind === 'not-found') error(404, 'Not found');
	const key = backKey(event.url);
	if (result.kind !== 'found') return { refusal: result.kind, envelope: null, grounds: groundOptions(ctx.locale), key };
	return { refusal: null, envelope: result.envelope, grounds: groundOptions(ctx.locale), key, rehearsal: result.envelope.rehearsal };
};

const CHOICES = ['prijata', 'a', 'b', 'c', 'd', 'e'] as const;
type Choice = (typeof CHOICES)[number];

export const actions: Actions = {
	default: async (event) => {
		const ctx = await staffContext(event, COMMISSION_GROUP);
		const form = await event.request.formData();
		const raw = form.get('vysledek');
		const choice = CHOICES.find((c) => c === raw) as Choice | undefined;
		if (!choice) return fail(400, { values: { vysledek: '' }, errors: { vysledek: 'required' as const }, problem: null });
		const result = await recordOutcome(
			ctx.db,
			choice === 'prijata'
				? { envelopeId: event.params.id, outcome: 'accepted', ground: null }
				: { envelopeId: event.params.id, outcome: 'set-aside', ground: choice },
			ctx.actor,
			ctx.now
		);
		if (result.kind === 'forbidden') error(403, 'Forbidden');
		if (result.kind === 'not-found') error(404, 'Not found');
		if (result.kind !== 'recorded') return fail(409, { values: { vysledek: choice }, errors: null, problem: result.kind });
		const key = backKey(event.url);
		redirect(303, `/urad/komise?${key ? `volby=${key}&` : ''}hotovo=${result.envelopeId}`);
	}
};
