/**
 * What every staff page of issue 5 starts from: the staff member (checked again here, besides
 * the access table in hooks.server.ts, via requireStaff), their office, the services' actor,
 * the one reading of the clock for the request, and the route group's base path.
 */
import { error } from '@sveltejs/kit';
import type { Temporal } from 'temporal-polyfill';
import { getLocale } from '../../paraglide/runtime';
import { requireStaff } from '../auth/guards';
import { clock } from '../clock';
import type { Db } from '../db/index';
import { findOfficeById, type OfficeRow } from '../db/queries/offices';
import { db } from '../db/runtime';
import type { StaffRole } from '../db/schema';
import { staffActorFrom, type StaffActor } from '../services/staff-actor';

/** A route group of the staff workspace whose pages decide requests and issue voter cards. */
export interface StaffGroup {
	/** '/urad/obecni-urad' or '/urad/zastupitelsky-urad' */
	base: string;
	roles: readonly StaffRole[];
	officeKind: 'municipal' | 'embassy';
}

export const MUNICIPAL_GROUP: StaffGroup = { base: '/urad/obecni-urad', roles: ['municipal-clerk'], officeKind: 'municipal' };
export const EMBASSY_GROUP: StaffGroup = { base: '/urad/zastupitelsky-urad', roles: ['embassy-clerk', 'embassy-head'], officeKind: 'embassy' };

export interface StaffContext {
	db: Db;
	actor: StaffActor;
	officeId: string;
	office: OfficeRow;
	sessionId: string;
	staffName: string;
	now: Temporal.Instant;
	locale: 'cs' | 'en';
	group: StaffGroup;
}

interface StaffEvent {
	locals: App.Locals;
}

export async function staffContext(event: StaffEvent, group: StaffGroup): Promise<StaffContext> {
	const staff = requireStaff(event.locals, group.roles);
	const session = event.locals.session;
	const database = db();
	const office = staff.officeId ? await findOfficeById(database, staff.officeId) : undefined;
	// Every role of these groups is bound to an office of the group's kind (staff_user CHECK).
	if (!office || office.kind !== group.officeKind || !session) error(403, 'Forbidden');
	return {
		db: database,
		actor: staffActorFrom(staff),
		officeId: office.id,
		office,
		sessionId: session.id,
		staffName: staff.displayName,
		now: clock().now(),
		locale: getLocale() === 'en' ? 'en' : 'cs',
		group
	};
}
