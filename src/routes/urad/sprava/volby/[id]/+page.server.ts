import { error } from '@sveltejs/kit';
import { findMediaElection } from '$lib/server/db/queries/media';
import { getElectionForAdmin } from '$lib/server/services/admin-elections';
import { registrationDeadline } from '$lib/server/services/media';
import { adminContext, countryNames } from '../admin-server';
import type { PageServerLoad } from './$types';

/** One election: settings, calendar (§57–§57b) and the embassies' windows (§2(3)). */
export const load: PageServerLoad = async ({ locals, params, url }) => {
	const ctx = adminContext(locals);
	const election = await getElectionForAdmin(ctx.db, ctx.actor, params.id, ctx.now);
	if (!election) error(404, 'Not found');
	const media = await findMediaElection(ctx.db, params.id);
	return {
		election,
		/** Issue 17: until when media may register (null for a rehearsal, which has no media). */
		mediaDeadline: media && !media.rehearsal ? { at: registrationDeadline(media)?.toString() ?? null, custom: media.media_registration_deadline !== null } : null,
		countryNames: countryNames(),
		created: url.searchParams.has('vytvoreno'),
		updated: url.searchParams.has('upraveno')
	};
};
