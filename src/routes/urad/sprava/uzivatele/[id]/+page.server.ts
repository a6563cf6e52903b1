import { error, fail } from '@sveltejs/kit';
import {
	disableStaffUser,
	enableStaffUser,
	getStaffForAdmin,
	listStaffLoginThrottle,
	listStaffLoginLocks,
	resetStaffSecondFactor,
	setStaffTemporaryPassword,
	unlockStaffLogin,
	type StaffChangeResult
} from '$lib/server/services/admin-staff';
import { securityInstant } from '$lib/server/auth/staff-routes';
import { adminContext } from '../../volby/admin-server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const ctx = adminContext(locals);
	const s = await getStaffForAdmin(ctx.db, ctx.actor, params.id);
	if (!s) error(404, 'Not found');
	// The login throttle runs on the security instant (staff-routes.ts securityInstant).
	const at = securityInstant(ctx.now);
	const lock = ((await listStaffLoginLocks(ctx.db, ctx.actor, at)) ?? []).find((l) => l.staff_id === s.id);
	const throttled = (await listStaffLoginThrottle(ctx.db, ctx.actor, s.username, at)) ?? [];
	return {
		account: {
			id: s.id,
			username: s.username,
			displayName: s.display_name,
			email: s.email,
			role: s.role,
			officeCs: s.office_name_cs,
			officeEn: s.office_name_en,
			officeId: s.office_id,
			disabled: s.disabled_at !== null,
			enrolled: s.totp_enrolled_at !== null,
			mustChangePassword: s.must_change_password,
			locked: lock !== undefined,
			lock: lock ? { at: lock.locked_at.toISOString(), until: lock.locked_until.toISOString(), failures: lock.failures, addresses: lock.addresses } : null,
			throttledFrom: throttled.map((r) => `${r.address} (${r.failures}×)`)
		},
		self: s.id === ctx.actor.id,
		updated: url.searchParams.has('upraveno')
	};
};

/** The answer of one change, for the page: what was done, or why not. */
function answer(result: StaffChangeResult, done: string) {
	switch (result.kind) {
		case 'ok':
			return { done };
		case 'forbidden':
			error(403, 'Forbidden');
		case 'not-found':
			error(404, 'Not found');
		case 'self':
			return fail(409, { problem: 'self' });
		case 'already':
			return fail(409, { problem: result.disabled ? 'already-disabled' : 'already-enabled' });
		default:
			return fail(409, { problem: 'changed-meanwhile' });
	}
}

export const actions: Actions = {
	disable: async ({ locals, params }) => {
		const ctx = adminContext(locals);
		return answer(await disableStaffUser(ctx.db, { id: params.id }, ctx.actor, ctx.now), 'disabled');
	},
	enable: async ({ locals, params }) => {
		const ctx = adminContext(locals);
		return answer(await enableStaffUser(ctx.db, { id: params.id }, ctx.actor, ctx.now), 'enabled');
	},
	resetSecondFactor: async ({ locals, params }) => {
		const ctx = adminContext(locals);
		return answer(await resetStaffSecondFactor(ctx.db, { id: params.id }, ctx.actor, ctx.now), 'second-factor-reset');
	},
	unlock: async ({ locals, params }) => {
		const ctx = adminContext(locals);
		const result = await unlockStaffLogin(ctx.db, { id: params.id }, ctx.actor, ctx.now);
		if (result.kind === 'ok') return { done: 'unlocked' };
		if (result.kind === 'not-locked') return fail(409, { problem: 'not-locked' });
		return answer(result, '');
	},
	temporaryPassword: async ({ locals, params }) => {
		const ctx = adminContext(locals);
		const result = await setStaffTemporaryPassword(ctx.db, { id: params.id }, ctx.actor, ctx.now);
		// Shown this once, on this response; stored only as a hash.
		if (result.kind === 'ok') return { done: 'temporary-password', temporaryPassword: result.temporaryPassword };
		return answer(result, '');
	}
};
