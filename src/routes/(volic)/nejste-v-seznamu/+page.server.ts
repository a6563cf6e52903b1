import { isOfVotingAge, PRAGUE } from '$lib/domain';
import { clock } from '$lib/server/clock';
import { findMunicipalOfficeByMunicipalityName } from '$lib/server/db/queries/offices';
import { db } from '$lib/server/db/runtime';
import type { PageServerLoad } from './$types';

/**
 * Someone logged in with the eID whom no voter list knows (or anyone who opens the page):
 * how to get on a voter list. What the eID said decides which advice comes first.
 */
export const load: PageServerLoad = async ({ locals }) => {
	const identity = locals.session?.eidIdentity ?? null;
	let underAge = false;
	if (identity?.birthDate) {
		const today = clock().now().toZonedDateTimeISO(PRAGUE).toPlainDate();
		// The voter-list age rule (18 by the last day of voting) applied to a vote ending today.
		underAge = !isOfVotingAge(identity.birthDate, { rounds: [{ round: 1, firstDay: today.subtract({ days: 1 }).toString() }] }, 1);
	}
	// The office of the municipality the eID names: its contact, where the voter can ask (issue 15).
	const locality = identity?.address?.country === 'CZ' || !identity?.address?.country ? identity?.address?.locality : null;
	const office = locality ? await findMunicipalOfficeByMunicipalityName(db(), locality) : undefined;
	return {
		office: office ? { name: office.name_cs, nameEn: office.name_en, address: office.address } : null,
		name: identity ? `${identity.givenName} ${identity.familyName}` : null,
		underAge,
		livesAbroad: identity?.address?.country ? identity.address.country !== 'CZ' : false
	};
};
