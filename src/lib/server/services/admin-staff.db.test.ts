import { Temporal } from 'temporal-polyfill';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../auth/password';
import { loginWithPassword } from '../auth/staff';
import { openTestDb, resetDb } from '../db/test-support';
import {
	createStaffUser,
	disableStaffUser,
	enableStaffUser,
	generateTemporaryPassword,
	getStaffForAdmin,
	listStaffForAdmin,
	listStaffLoginLocks,
	listStaffLoginThrottle,
	resetStaffSecondFactor,
	setStaffTemporaryPassword,
	unlockStaffLogin,
	updateStaffAccount
} from './admin-staff';
import { toDate } from '../clock';
import { insertFixtureEmbassy, insertFixtureStaff } from './envelope-fixtures';
import type { StaffActor } from './staff-actor';

const db = openTestDb();
afterAll(() => db.destroy());
beforeEach(() => resetDb(db));

const NOW = Temporal.Instant.from('2026-11-20T08:00:00Z');
const CLERK_ADDRESS = '192.0.2.10';

/** A lock for everyone on `username` as the login's throttle sets one (staff.db.test.ts makes it the long way), and an address's failures. */
async function lockLogin(username: string, lockedAt = NOW) {
	const addresses = Array.from({ length: 10 }, (_, i) => `198.51.100.${i + 1}`);
	await db
		.insertInto('staff_login_throttle')
		.values(addresses.map((address) => ({ username, address, failures: 10, last_failure_at: toDate(lockedAt) })))
		.execute();
	await db
		.insertInto('staff_login_lock')
		.values({ username, locked_at: toDate(lockedAt), locked_until: new Date(lockedAt.epochMilliseconds + 3_600_000), failures: 100, addresses })
		.execute();
	return addresses;
}

async function setting() {
	const admin = (
		await db
			.insertInto('staff_user')
			.values({ username: 'spravce.test', display_name: 'Správce', password_hash: 'x', role: 'administrator', office_id: null })
			.returning('id')
			.executeTakeFirstOrThrow()
	).id;
	const municipal = (
		await db
			.insertInto('office')
			.values({ kind: 'municipal', code: 'mu-999999', name_cs: 'Obecní úřad Zkušov', name_en: 'Zkušov', address: 'Náves 1', municipality_code: '999999' })
			.returning('id')
			.executeTakeFirstOrThrow()
	).id;
	const embassy = await insertFixtureEmbassy(db);
	return { admin: { kind: 'staff', id: admin, officeId: null, role: 'administrator' } as StaffActor, municipal, embassy: embassy.id };
}

async function session(staffId: string, id = `s-${staffId.slice(0, 8)}`) {
	await db
		.insertInto('session')
		.values({ id, secret_hash: new Uint8Array(32), staff_id: staffId, two_factor_verified: true, expires_at: new Date('2030-01-01'), absolute_expires_at: new Date('2030-01-01') })
		.execute();
}

const sessionsOf = async (staffId: string) => (await db.selectFrom('session').select('id').where('staff_id', '=', staffId).execute()).length;

describe('staff accounts (issue 7)', () => {
	it('creates an account with a temporary password to change at the first login, audited without it', async () => {
		const s = await setting();
		const created = await createStaffUser(db, { username: ' Nova.Urednice ', displayName: 'Nová Úřednice', email: 'nova@example.invalid', role: 'municipal-clerk', officeId: s.municipal }, s.admin, NOW);
		if (created.kind !== 'ok') throw new Error(JSON.stringify(created));
		expect(created.temporaryPassword).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
		const row = await db.selectFrom('staff_user').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
		expect(row).toMatchObject({ username: 'nova.urednice', role: 'municipal-clerk', office_id: s.municipal, must_change_password: true, totp_enrolled_at: null });
		expect(await verifyPassword(row.password_hash, created.temporaryPassword)).toBe(true);
		// The person can log in with it; the second factor is set up next.
		const login = await loginWithPassword(db, { clientAddress: CLERK_ADDRESS, username: 'nova.urednice', password: created.temporaryPassword, previousSessionId: null }, NOW);
		expect(login).toMatchObject({ kind: 'ok', next: 'enrol' });
		const audit = await db.selectFrom('audit_log').select(['actor_id', 'after']).where('action', '=', 'staff.create').executeTakeFirstOrThrow();
		expect(audit.actor_id).toBe(s.admin.id);
		expect(JSON.stringify(audit.after)).not.toContain(created.temporaryPassword);
		expect((await listStaffForAdmin(db, s.admin))!.map((r) => r.username)).toEqual(['nova.urednice', 'spravce.test']);
	});

	it('requires an office of the right kind for every role but the administrator', async () => {
		const s = await setting();
		const base = { username: 'x.y', displayName: 'X Y', email: null };
		expect(await createStaffUser(db, { ...base, role: 'embassy-clerk', officeId: null }, s.admin, NOW)).toEqual({ kind: 'invalid', errors: { officeId: 'office-required' } });
		expect(await createStaffUser(db, { ...base, role: 'embassy-clerk', officeId: s.municipal }, s.admin, NOW)).toEqual({ kind: 'invalid', errors: { officeId: 'office-wrong-kind' } });
		expect(await createStaffUser(db, { ...base, role: 'commission-chair', officeId: s.municipal }, s.admin, NOW)).toEqual({ kind: 'invalid', errors: { officeId: 'office-wrong-kind' } });
		expect(await createStaffUser(db, { ...base, role: 'municipal-clerk', officeId: s.embassy }, s.admin, NOW)).toEqual({ kind: 'invalid', errors: { officeId: 'office-wrong-kind' } });
		expect(await createStaffUser(db, { ...base, role: 'administrator', officeId: s.embassy }, s.admin, NOW)).toEqual({ kind: 'invalid', errors: { officeId: 'office-not-allowed' } });
		expect(await createStaffUser(db, { ...base, username: 'Ab', displayName: '', email: 'nope', role: null, officeId: null }, s.admin, NOW)).toEqual({
			kind: 'invalid',
			errors: { username: 'username-format', displayName: 'required', email: 'email-format', role: 'required' }
		});
		expect(await createStaffUser(db, { ...base, username: 'spravce.test', role: 'administrator', officeId: null }, s.admin, NOW)).toEqual({
			kind: 'invalid',
			errors: { username: 'username-taken' }
		});
		expect((await createStaffUser(db, { ...base, role: 'commission-member', officeId: s.embassy }, s.admin, NOW)).kind).toBe('ok');
		expect((await createStaffUser(db, { ...base, username: 'admin.two', role: 'administrator', officeId: null }, s.admin, NOW)).kind).toBe('ok');
	});

	it('assigns a role and office against the state the administrator saw, ending the person’s sessions', async () => {
		const s = await setting();
		const clerk = await insertFixtureStaff(db, { officeId: s.embassy, role: 'embassy-clerk' });
		await session(clerk.id);
		const change = { id: clerk.id, expectedRole: 'embassy-clerk' as const, expectedOfficeId: s.embassy, displayName: 'Karel', email: null, role: 'embassy-head' as const, officeId: s.embassy };
		expect(await updateStaffAccount(db, change, s.admin, NOW)).toEqual({ kind: 'ok' });
		expect(await getStaffForAdmin(db, s.admin, clerk.id)).toMatchObject({ role: 'embassy-head', display_name: 'Karel' });
		expect(await sessionsOf(clerk.id)).toBe(0);
		// The same change again, from a page showing the old role: someone changed it meanwhile.
		expect(await updateStaffAccount(db, { ...change, role: 'commission-member' }, s.admin, NOW)).toEqual({ kind: 'changed-meanwhile' });
		const audit = await db.selectFrom('audit_log').select(['before', 'after']).where('action', '=', 'staff.update').execute();
		expect(audit).toEqual([{ before: { role: 'embassy-clerk', officeId: s.embassy }, after: expect.objectContaining({ role: 'embassy-head', officeId: s.embassy, sessionsEnded: 1 }) }]);
	});

	it('disables and enables; of two administrators disabling at once one does it; never oneself', async () => {
		const s = await setting();
		const clerk = await insertFixtureStaff(db, { officeId: s.municipal, role: 'municipal-clerk' });
		await session(clerk.id);
		const [a, b] = await Promise.all([disableStaffUser(db, { id: clerk.id }, s.admin, NOW), disableStaffUser(db, { id: clerk.id }, s.admin, NOW)]);
		expect([a.kind, b.kind].sort()).toEqual(['already', 'ok']);
		expect((await getStaffForAdmin(db, s.admin, clerk.id))!.disabled_at).not.toBeNull();
		expect(await sessionsOf(clerk.id)).toBe(0);
		expect(await enableStaffUser(db, { id: clerk.id }, s.admin, NOW)).toEqual({ kind: 'ok' });
		expect(await enableStaffUser(db, { id: clerk.id }, s.admin, NOW)).toEqual({ kind: 'already', disabled: false });
		expect((await getStaffForAdmin(db, s.admin, clerk.id))!.disabled_at).toBeNull();

		expect(await disableStaffUser(db, { id: s.admin.id }, s.admin, NOW)).toEqual({ kind: 'self' });
		expect(await updateStaffAccount(db, { id: s.admin.id, expectedRole: 'administrator', expectedOfficeId: null, displayName: 'X', email: null, role: 'municipal-clerk', officeId: s.municipal }, s.admin, NOW)).toEqual({
			kind: 'self'
		});
		expect((await getStaffForAdmin(db, s.admin, s.admin.id))!.disabled_at).toBeNull();
		const actions = (await db.selectFrom('audit_log').select('action').orderBy('id').execute()).map((r) => r.action);
		expect(actions).toEqual(['staff.disable', 'staff.enable']);
	});

	it('resets the second factor: no app and no recovery codes, so the next login enrols again', async () => {
		const s = await setting();
		const clerk = await insertFixtureStaff(db, { officeId: s.municipal, role: 'municipal-clerk', passwordHash: await hashPassword('Heslo-pro-test-1') });
		await db
			.updateTable('staff_user')
			.set({ totp_key: new Uint8Array(20), totp_enrolled_at: new Date('2026-01-01'), totp_last_used_step: 123 })
			.where('id', '=', clerk.id)
			.execute();
		await db.insertInto('staff_recovery_code').values({ staff_id: clerk.id, code_hash: new Uint8Array(32), used_at: null }).execute();
		await session(clerk.id);
		expect(await resetStaffSecondFactor(db, { id: clerk.id }, s.admin, NOW)).toEqual({ kind: 'ok' });
		const row = await db.selectFrom('staff_user').selectAll().where('id', '=', clerk.id).executeTakeFirstOrThrow();
		expect(row).toMatchObject({ totp_key: null, totp_enrolled_at: null, totp_pending_key: null, totp_last_used_step: '123' });
		expect(await db.selectFrom('staff_recovery_code').select('staff_id').where('staff_id', '=', clerk.id).execute()).toEqual([]);
		expect(await sessionsOf(clerk.id)).toBe(0);
		expect(await loginWithPassword(db, { clientAddress: CLERK_ADDRESS, username: row.username, password: 'Heslo-pro-test-1', previousSessionId: null }, NOW)).toMatchObject({ kind: 'ok', next: 'enrol' });
		expect(await resetStaffSecondFactor(db, { id: s.admin.id }, s.admin, NOW)).toEqual({ kind: 'self' });
		expect(await resetStaffSecondFactor(db, { id: crypto.randomUUID() }, s.admin, NOW)).toEqual({ kind: 'not-found' });
	});

	it('sets a temporary password that must be changed, lifting a lock-out', async () => {
		const s = await setting();
		const clerk = await insertFixtureStaff(db, { officeId: s.municipal, role: 'municipal-clerk' });
		const username = (await db.selectFrom('staff_user').select('username').where('id', '=', clerk.id).executeTakeFirstOrThrow()).username;
		await lockLogin(username);
		await session(clerk.id);
		const result = await setStaffTemporaryPassword(db, { id: clerk.id }, s.admin, NOW);
		if (result.kind !== 'ok') throw new Error(result.kind);
		const row = await db.selectFrom('staff_user').selectAll().where('id', '=', clerk.id).executeTakeFirstOrThrow();
		expect(row).toMatchObject({ must_change_password: true });
		expect(await db.selectFrom('staff_login_lock').select('username').execute()).toEqual([]);
		expect(await db.selectFrom('staff_login_throttle').select('username').execute()).toEqual([]);
		expect(await verifyPassword(row.password_hash, result.temporaryPassword)).toBe(true);
		expect(await sessionsOf(clerk.id)).toBe(0);
		const audit = await db.selectFrom('audit_log').select(['after']).where('action', '=', 'staff.temporary-password').executeTakeFirstOrThrow();
		expect(JSON.stringify(audit.after)).not.toContain(result.temporaryPassword);
	});

	it('shows a login lock on the dashboard at once (who, from where, when), and lifts it with an audit entry', async () => {
		const s = await setting();
		const passwordHash = await hashPassword('Heslo-pro-test-1');
		const clerk = await insertFixtureStaff(db, { officeId: s.municipal, role: 'municipal-clerk', username: 'urednik.zkusov', displayName: 'Jana Úřednice', passwordHash });
		expect(await listStaffLoginLocks(db, s.admin, NOW)).toEqual([]);
		const addresses = await lockLogin('urednik.zkusov');
		// A lock on a username with no account is not shown (nor told apart anywhere else).
		await db.insertInto('staff_login_lock').values({ username: 'nikdo.takovy', locked_at: toDate(NOW), locked_until: toDate(NOW.add({ hours: 1 })), failures: 100, addresses }).execute();

		const locks = await listStaffLoginLocks(db, s.admin, NOW.add({ minutes: 1 }));
		expect(locks).toEqual([
			{
				staff_id: clerk.id,
				username: 'urednik.zkusov',
				display_name: 'Jana Úřednice',
				office_name_cs: 'Obecní úřad Zkušov',
				office_name_en: 'Zkušov',
				locked_at: toDate(NOW),
				locked_until: toDate(NOW.add({ hours: 1 })),
				failures: 100,
				addresses
			}
		]);
		expect(await listStaffLoginLocks(db, s.admin, NOW.add({ hours: 1 }))).toEqual([]);
		expect(await listStaffLoginLocks(db, clerk, NOW)).toBeNull();
		expect((await listStaffLoginThrottle(db, s.admin, 'urednik.zkusov', NOW))?.map((r) => r.address).sort()).toEqual([...addresses].sort());
		expect((await getStaffForAdmin(db, s.admin, clerk.id))?.locked_until).toEqual(toDate(NOW.add({ hours: 1 })));

		// Locked: the right password from the clerk's own address is refused.
		const login = () => loginWithPassword(db, { clientAddress: CLERK_ADDRESS, username: 'urednik.zkusov', password: 'Heslo-pro-test-1', previousSessionId: null }, NOW.add({ minutes: 2 }));
		expect((await login()).kind).toBe('locked');

		expect(await unlockStaffLogin(db, { id: clerk.id }, clerk, NOW)).toEqual({ kind: 'forbidden' });
		expect(await unlockStaffLogin(db, { id: s.admin.id }, s.admin, NOW)).toEqual({ kind: 'self' });
		expect(await unlockStaffLogin(db, { id: crypto.randomUUID() }, s.admin, NOW)).toEqual({ kind: 'not-found' });
		expect(await unlockStaffLogin(db, { id: clerk.id }, s.admin, NOW.add({ minutes: 1 }))).toEqual({ kind: 'ok', lockLifted: true, addressesCleared: 10 });
		expect(await unlockStaffLogin(db, { id: clerk.id }, s.admin, NOW.add({ minutes: 1 }))).toEqual({ kind: 'not-locked' });
		expect(await listStaffLoginLocks(db, s.admin, NOW.add({ minutes: 1 }))).toEqual([]);
		const audit = await db.selectFrom('audit_log').select(['actor_id', 'entity_id', 'before', 'after']).where('action', '=', 'staff.login-unlock').execute();
		expect(audit).toEqual([
			{
				actor_id: s.admin.id,
				entity_id: clerk.id,
				before: { lockedUntil: '2026-11-20T09:00:00.000Z', throttledAddresses: 10 },
				after: { lockedUntil: null, throttledAddresses: 0 }
			}
		]);
		expect((await login()).kind).toBe('ok');
	});

	it('is for administrators only', async () => {
		const s = await setting();
		const clerk = await insertFixtureStaff(db, { officeId: s.municipal, role: 'municipal-clerk' });
		const other = await insertFixtureStaff(db, { officeId: s.municipal, role: 'municipal-clerk' });
		expect(await disableStaffUser(db, { id: other.id }, clerk, NOW)).toEqual({ kind: 'forbidden' });
		expect(await createStaffUser(db, { username: 'a.b.c', displayName: 'A', email: null, role: 'administrator', officeId: null }, clerk, NOW)).toEqual({ kind: 'forbidden' });
		expect(await listStaffForAdmin(db, clerk)).toBeNull();
	});

	it('makes temporary passwords long enough for the password rules and unpredictable', () => {
		const many = new Set(Array.from({ length: 200 }, generateTemporaryPassword));
		expect(many.size).toBe(200);
		for (const p of many) expect(p.length).toBeGreaterThanOrEqual(12);
	});
});
