import { isOfVotingAge, PRAGUE } from '$lib/domain';
import { clock } from '$lib/server/clock';
import type { PageServerLoad } from './$types';

/**
 * Someone logged in with the eID whom no voter list knows (or anyone who opens the page):
 * how to get on a voter list. What the eID said decides which advice comes first.
 */
export const load: PageServerLoad = ({ locals }) => {
	const identity = locals.session?.eidIdentity ?? null;
	let underAge = false;
	if (identity?.birthDate) {
		const today = clock().now().toZonedDateTimeISO(PRAGUE).toPlainDate();
		// The voter-list age rule (18 by the last day of voting) applied to a vote ending today.
		underAge = !isOfVotingAge(identity.birthDate, { rounds: [{ round: 1, firstDay: today.subtract({ days: 1 }).toString() }] }, 1);
	}
	return {
		name: identity ? `${identity.givenName} ${identity.familyName}` : null,
		underAge,
		livesAbroad: identity?.address?.country ? identity.address.country !== 'CZ' : false
	};
};
