import type { DbOrTrx } from '../index';

export interface NewEidLogin {
	state: string;
	nonce: string;
	codeVerifier: string;
	returnTo: string | null;
	createdAt: Date;
}

export async function insertEidLogin(db: DbOrTrx, login: NewEidLogin): Promise<void> {
	await db
		.insertInto('eid_login')
		.values({
			state: login.state,
			nonce: login.nonce,
			code_verifier: login.codeVerifier,
			return_to: login.returnTo,
			created_at: login.createdAt
		})
		.execute();
}

/**
 * Marks a login attempt used and returns it, atomically: of two callbacks racing with the
 * same state, only one gets the row.
 */
export async function consumeEidLogin(db: DbOrTrx, state: string, consumedAt: Date) {
	return db
		.updateTable('eid_login')
		.set({ consumed_at: consumedAt })
		.where('state', '=', state)
		.where('consumed_at', 'is', null)
		.returningAll()
		.executeTakeFirst();
}

export async function findEidLogin(db: DbOrTrx, state: string) {
	return db.selectFrom('eid_login').selectAll().where('state', '=', state).executeTakeFirst();
}

export async function deleteEidLoginsCreatedBefore(db: DbOrTrx, before: Date): Promise<number> {
	const result = await db.deleteFrom('eid_login').where('created_at', '<', before).executeTakeFirst();
	return Number(result.numDeletedRows);
}
