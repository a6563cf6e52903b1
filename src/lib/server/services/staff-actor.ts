import type { StaffInfo } from '../auth/session';
import type { StaffRole } from '../db/schema';

/**
 * A signed-in staff member as the services see them. Every role but the administrator is
 * bound to one office (staff_user.office_id), and a service touches only rows of that office:
 * another office's ids behave exactly like unknown ids.
 */
export interface StaffActor {
	kind: 'staff';
	id: string;
	officeId: string | null;
	role: StaffRole;
}

/** The embassy's own staff: they receive, store and hand over return envelopes (§57c). */
export const EMBASSY_ROLES: readonly StaffRole[] = ['embassy-clerk', 'embassy-head'];
/** The special commission: it opens the envelopes handed over (§57d). */
export const COMMISSION_ROLES: readonly StaffRole[] = ['commission-member', 'commission-chair'];

/**
 * The office the actor acts for, if their role is one of `roles` and they are bound to an
 * office; otherwise null, and the service answers 'forbidden'.
 */
export function actingOffice(actor: StaffActor, roles: readonly StaffRole[]): string | null {
	return roles.includes(actor.role) && actor.officeId ? actor.officeId : null;
}

/** The services' view of the staff member of a request (event.locals.staff). */
export function staffActorFrom(staff: Pick<StaffInfo, 'id' | 'role' | 'officeId'>): StaffActor {
	return { kind: 'staff', id: staff.id, officeId: staff.officeId, role: staff.role };
}
