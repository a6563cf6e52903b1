import { clock } from '$lib/server/clock';
import { db } from '$lib/server/db/runtime';
import { OPEN_DATA_TABLES, isOpenDataTableName } from '$lib/domain/open-data';
import { isElectionId, openDataFeed } from '$lib/server/services/open-data';
import { feedResponse, jsonError, neverFails, type FeedFormat } from '$lib/server/feed/http';
import type { RequestHandler } from './$types';

const FILE = /^(.+)\.(json|csv|xml)$/;

/**
 * Public: one election's figures as /api/open-data/elections/{id}.json, .xml, or
 * .csv?table={requests|voter-cards|registrations|packages|envelopes} (see /otevrena-data).
 */
export const GET: RequestHandler = ({ params, url, request }) =>
	neverFails(async () => {
		const match = FILE.exec(params.file);
		const id = match?.[1];
		const format = match?.[2] as FeedFormat | undefined;
		if (!id || !format || !isElectionId(id)) return jsonError(404, 'Unknown election or format. / Neznámé volby nebo formát.');
		let table: (typeof OPEN_DATA_TABLES)[number] | undefined;
		if (format === 'csv') {
			const requested = url.searchParams.get('table') ?? '';
			if (!isOpenDataTableName(requested)) {
				return jsonError(400, 'Choose a table with ?table=. / Zvolte tabulku parametrem ?table=.', { tables: OPEN_DATA_TABLES });
			}
			table = requested;
		}
		// Issue 14: ?test=1 is the test feed of rehearsals, published exactly as real figures will be.
		const feed = openDataFeed(db(), () => clock().now(), url.searchParams.get('test') === '1' ? 'test' : 'real');
		const snapshot = await feed.election(id);
		if (!snapshot) return jsonError(404, 'Unknown election. / Neznámé volby.');
		const { value, maxAgeSeconds } = snapshot;
		const meta = { format, generated: value.generated, maxAgeSeconds, intervalSeconds: feed.intervalSeconds };
		if (table) return feedResponse(request, value.csv[table], { ...meta, filename: `volby-${value.electionId}-${table}.csv` });
		return feedResponse(request, format === 'json' ? value.json : value.xml, meta);
	});
