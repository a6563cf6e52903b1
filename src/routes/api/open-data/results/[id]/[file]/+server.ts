import { clock, systemClock } from '$lib/server/clock';
import { config } from '$lib/server/config';
import { db } from '$lib/server/db/runtime';
import { metrics } from '$lib/server/metrics';
import { feedRateLimits, RateLimiter } from '$lib/server/rate-limit';
import { mediaAccess, MediaTokenCache } from '$lib/server/services/media';
import { isElectionId, openDataIntervalSeconds, type OpenDataFeedKind } from '$lib/server/services/open-data';
import { MANIFEST_FILE, RESULT_FILES, resultsFeed, type ResultFileFormat } from '$lib/server/services/results-feed';
import { mirrorSnapshot } from '$lib/server/services/results-mirror';
import { feedResponse, jsonError, neverFails } from '../../../respond';
import type { RequestHandler } from './$types';

const FORMAT_OF: Record<string, ResultFileFormat | 'manifest'> = {
	[RESULT_FILES.json]: 'json',
	[RESULT_FILES.csv]: 'csv',
	[RESULT_FILES.xml]: 'xml',
	[MANIFEST_FILE]: 'manifest'
};

const tokens = new MediaTokenCache();
let limiter: RateLimiter | undefined;
const feedRateLimiter = () => (limiter ??= new RateLimiter(feedRateLimits(config().RESULTS_FEED_RATE_LIMIT, config().RESULTS_FEED_MEDIA_RATE_LIMIT)));

/**
 * Public (issue 17): the special districts' results of one election as
 * /api/open-data/results/{id}/vysledky_zahranici.{json,csv,xml} and its manifest.json, the same
 * bytes as the static mirror; `?test=1` is the test feed of rehearsals (see /otevrena-data).
 * Registered media send `Authorization: Bearer <token>`: from a production address they get
 * the shorter interval and a rate-limit budget of their own (rate-limit.ts feedRateLimits); a test address reads the test feed only, until the real processing begins.
 */
export const GET: RequestHandler = ({ params, url, request, getClientAddress }) =>
	neverFails(async () => {
		const format = FORMAT_OF[params.file];
		if (!format || !isElectionId(params.id)) return jsonError(404, 'Unknown election or file. / Neznámé volby nebo soubor.');
		const kind: OpenDataFeedKind = url.searchParams.get('test') === '1' ? 'test' : 'real';
		let tier: 'public' | 'media' = 'public';
		let organisationId: string | null = null;
		const authorization = request.headers.get('authorization');
		if (authorization !== null) {
			const token = /^Bearer\s+(\S{1,200})$/i.exec(authorization)?.[1] ?? '';
			const access = await mediaAccess(db(), { token, clientAddress: getClientAddress() }, clock().now(), tokens);
			switch (access.kind) {
				case 'invalid-token':
					return jsonError(401, 'Unknown media token. / Neznámý token média.', { status: 'invalid-token' });
				case 'address-not-registered':
					return jsonError(403, 'This address is not registered for the token. / Tato adresa není pro token registrována.', { status: 'address-not-registered' });
				case 'test-cut-off':
					return jsonError(403, `Test addresses are cut off since ${access.since.toString()}: the real processing has begun. / Testovací adresy jsou od ${access.since.toString()} odpojeny: začalo skutečné zpracování.`, {
						status: 'test-addresses-cut-off',
						since: access.since.toString()
					});
				case 'test':
					organisationId = access.organisationId;
					if (kind !== 'test') return jsonError(403, 'A test address reads the test feed only (?test=1). / Testovací adresa čte jen testovací data (?test=1).', { status: 'test-address-real-feed' });
					break;
				case 'production':
					organisationId = access.organisationId;
					if (kind === 'real' && access.electionId === params.id.toLowerCase()) tier = 'media';
					break;
			}
		}
		// Separate budgets: the public's per address, a registered organisation's per organisation.
		const limited = organisationId
			? feedRateLimiter().hit('results-feed-media', organisationId, systemClock.now().epochMilliseconds)
			: feedRateLimiter().hit('results-feed', getClientAddress(), systemClock.now().epochMilliseconds);
		if (!limited.allowed) {
			metrics().rateLimitRefusals.inc({ bucket: organisationId ? 'results-feed-media' : 'results-feed' });
			const response = jsonError(429, `Too many requests: try again in ${limited.retryAfterSeconds} s. / Příliš mnoho požadavků: zkuste to znovu za ${limited.retryAfterSeconds} s.`, {
				status: 'rate-limited',
				retryAfterSeconds: limited.retryAfterSeconds
			});
			response.headers.set('Retry-After', String(limited.retryAfterSeconds));
			return response;
		}
		const intervalSeconds = tier === 'media' ? config().MEDIA_INTERVAL_SECONDS : openDataIntervalSeconds();
		// Only the public tier writes the static mirror: one writer, the same bytes as the public API.
		const feed = resultsFeed(db(), () => clock().now(), kind, { intervalSeconds, tier, onSnapshot: tier === 'public' ? mirrorSnapshot : undefined });
		const snapshot = await feed.election(params.id);
		if (!snapshot) return jsonError(404, 'Unknown election. / Neznámé volby.');
		const { value, maxAgeSeconds } = snapshot;
		const meta = { generated: value.generated, maxAgeSeconds, intervalSeconds: feed.intervalSeconds, filename: params.file };
		if (format === 'manifest') return feedResponse(request, value.manifest, { ...meta, format: 'json' });
		const response = feedResponse(request, value.files[format], { ...meta, format });
		// Media responses are per organisation: shared caches must not serve them to the public.
		if (tier === 'media') response.headers.set('Cache-Control', `private, max-age=${maxAgeSeconds}`);
		return response;
	});
