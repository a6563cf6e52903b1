import { conditionalOf, toResponse } from '$lib/server/feed/http';
import { answerResultsFeed } from '$lib/server/feed/results';
import type { RequestHandler } from './$types';

/**
 * Public (issue 17): the special districts' results of one election (lib/server/feed/results.ts).
 * Under the portal's server (scripts/serve.mjs) most of these requests are answered by the
 * feed's front before SvelteKit (lib/server/feed/results-front.ts); this route answers the rest
 * (vite dev, a test clock, an unusual URL) with the same function.
 */
export const GET: RequestHandler = async ({ params, url, request, getClientAddress }) =>
	toResponse(
		await answerResultsFeed({
			electionId: params.id,
			file: params.file,
			test: url.searchParams.get('test') === '1',
			authorization: request.headers.get('authorization'),
			clientAddress: getClientAddress,
			...conditionalOf(request)
		})
	);
