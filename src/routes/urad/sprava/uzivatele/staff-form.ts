/**
 * The staff account form of the administration: parsing of the posted values and the
 * options of the role and office fields. Server side.
 */
import { getLocale } from '$lib/paraglide/runtime';
import type { Db } from '$lib/server/db/index';
import { listAdminOffices } from '$lib/server/db/queries/admin';
import type { StaffRole } from '$lib/server/db/schema';
import { STAFF_ROLES, type StaffAccountInput, type StaffFormErrors } from '$lib/server/services/admin-staff';
import { freeTextValue, text } from '../volby/admin-server';

export { STAFF_FIELDS } from './staff-fields';

export function parseStaffForm(form: FormData, withUsername: boolean) {
	const values: Record<string, string> = {};
	const errors: StaffFormErrors = {};
	if (withUsername) values.username = text(form, 'username', 100);
	const displayName = freeTextValue(form, 'displayName', 300);
	values.displayName = displayName.value;
	if (displayName.invalid) errors.displayName = 'invalid-characters';
	values.email = text(form, 'email', 300);
	values.role = text(form, 'role', 40);
	values.officeId = text(form, 'officeId', 40);
	const role = STAFF_ROLES.includes(values.role as StaffRole) ? (values.role as StaffRole) : null;
	if (values.role && !role) errors.role = 'role-unknown';
	const data: StaffAccountInput & { username: string } = {
		username: values.username ?? '',
		displayName: values.displayName,
		email: values.email || null,
		role,
		officeId: values.officeId || null
	};
	return { values, errors, data };
}

/** Every office for the office field, embassies first, each with its kind. */
export async function officeOptions(db: Db): Promise<{ value: string; label: string }[]> {
	const en = getLocale() === 'en';
	return (await listAdminOffices(db)).map((o) => ({
		value: o.id,
		label: `${en ? o.name_en : o.name_cs} (${o.kind === 'embassy' ? (en ? 'embassy' : 'zastupitelský úřad') : en ? 'municipal office' : 'obecní úřad'})`
	}));
}
