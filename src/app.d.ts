// See https://svelte.dev/docs/kit/types#app.d.ts
import type { SessionInfo, StaffInfo, VoterInfo } from '$lib/server/auth/session';

declare global {
	namespace App {
		interface Error {
			message: string;
			code?: string;
		}
		/** Filled for every request by the session handle in hooks.server.ts. */
		interface Locals {
			/** The session of the `vp_session` cookie, if it is valid. */
			session: SessionInfo | null;
			/** The voter on a voter list the session belongs to (eID login matched by subject). */
			voter: VoterInfo | null;
			/** The staff member the session belongs to (staff login, with `session.twoFactorVerified`). */
			staff: StaffInfo | null;
			/** The eID's pairwise subject, also for someone on no voter list (then `voter` is null). */
			eidSubject: string | null;
		}
		// interface PageData {}
		// interface PageState {}
		// interface Platform {}
	}
}

export {};
