import { getLocale } from '$lib/paraglide/runtime';
import { OPEN_DATA_TABLES, registrationWindow, SUPPRESSION_THRESHOLD } from '$lib/domain/open-data';
import { db } from '$lib/server/db/runtime';
import { listElections } from '$lib/server/db/queries/elections';
import { RESULTS_XSD_PATHS, resultsXsdPath } from '$lib/server/services/results-feed';
import { electionFeedPaths, OPEN_DATA_XML_NAMESPACE, openDataIntervalSeconds } from '$lib/server/services/open-data';
import type { PageServerLoad } from './$types';

/** The public description of the open data feed, with the addresses for every election. */
export const load: PageServerLoad = async ({ url }) => {
	const locale = getLocale();
	const elections = await listElections(db());
	return {
		origin: url.origin,
		intervalSeconds: openDataIntervalSeconds(),
		namespace: OPEN_DATA_XML_NAMESPACE,
		largestSuppressed: SUPPRESSION_THRESHOLD - 1,
		tables: OPEN_DATA_TABLES,
		resultsXsds: RESULTS_XSD_PATHS,
		elections: elections.map((e) => ({
			id: e.id,
			title: locale === 'en' ? e.title_en : e.title_cs,
			links: electionFeedPaths(e.id),
			/** The XSD of its results XML, for the kind of election (only where there are special districts abroad). */
			resultsXsd: e.voting_abroad ? resultsXsdPath(e.type) : null,
			registrationWindow: registrationWindow({
				announcedOn: e.announced_on,
				votingAbroad: e.voting_abroad,
				rounds: e.rounds.map((r) => ({ round: r.round, firstDay: r.first_day }))
			})
		}))
	};
};
