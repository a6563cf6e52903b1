import { clock } from '$lib/server/clock';
import { db } from '$lib/server/db/runtime';
import { openDataFeed } from '$lib/server/services/open-data';
import { feedResponse, neverFails } from '$lib/server/feed/http';
import type { RequestHandler } from './$types';

/** Public: every election with the addresses of its JSON, XML and CSV files (see /otevrena-data). */
export const GET: RequestHandler = ({ request, url }) =>
	neverFails(async () => {
		// Issue 14: ?test=1 is the test feed of rehearsals, published exactly as real figures will be.
		const feed = openDataFeed(db(), () => clock().now(), url.searchParams.get('test') === '1' ? 'test' : 'real');
		const { value, maxAgeSeconds } = await feed.elections();
		return feedResponse(request, value.json, { format: 'json', generated: value.generated, maxAgeSeconds, intervalSeconds: feed.intervalSeconds });
	});
