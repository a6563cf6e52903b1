import type { Temporal } from 'temporal-polyfill';
import type { Db } from '../db/index';
import { deleteSession } from '../db/queries/sessions';
import { appendAudit, type Actor } from '../services/audit';

export interface LoggedIn {
	sessionId: string;
	voterId: string | null;
	staff: { id: string; officeId: string | null } | null;
}

/** Ends the session server-side and records who logged out; the caller clears the cookie. */
export async function logout(db: Db, who: LoggedIn, now: Temporal.Instant): Promise<void> {
	await db.transaction().execute(async (trx) => {
		const ended = await deleteSession(trx, who.sessionId);
		if (!ended) return;
		const actor: Actor = who.staff
			? { kind: 'staff', id: who.staff.id, officeId: who.staff.officeId }
			: who.voterId
				? { kind: 'voter', id: who.voterId }
				: { kind: 'system' };
		await appendAudit(trx, {
			actor,
			action: who.staff ? 'staff.logout' : who.voterId ? 'voter.logout' : 'eid.logout-not-on-list',
			entityType: who.staff ? 'staff_user' : who.voterId ? 'voter' : 'eid-login',
			entityId: who.staff?.id ?? who.voterId ?? null,
			at: now
		});
	});
}
