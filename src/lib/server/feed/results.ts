/**
 * The special districts' results feed (issue 17), one answer for both ways in:
 * /api/open-data/results/{id}/vysledky_zahranici.{json,csv,xml} and its manifest.json, the same
 * bytes as the static mirror; `?test=1` is the test feed of rehearsals (see /otevrena-data).
 * Registered media send `Authorization: Bearer <token>`: from a production address they get
 * the shorter interval and a rate-limit budget of their own (rate-limit.ts feedRateLimits); a
 * test address reads the test feed only, until the real processing begins.
 *
 * The SvelteKit route (src/routes/api/open-data/results/[id]/[file]) and the feed's front in the
 * portal's server (results-front.ts) both call {@link answerResultsFeed}; the token cache, the
 * rate-limit budgets and the snapshots are this module's, so both count against the same ones.
 */
import { clock, systemClock } from '$lib/server/clock';
import { config } from '$lib/server/config';
import { db } from '$lib/server/db/runtime';
import { metrics } from '$lib/server/metrics';
import { feedRateLimits, RateLimiter } from '$lib/server/rate-limit';
import { mediaAccess, MediaTokenCache } from '$lib/server/services/media';
import { isElectionId, openDataIntervalSeconds, type OpenDataFeedKind } from '$lib/server/services/open-data';
import { MANIFEST_FILE, RESULT_FILES, resultsFeed, type ResultFileFormat } from '$lib/server/services/results-feed';
import { mirrorSnapshot } from '$lib/server/services/results-mirror';
import { feedAnswer, jsonErrorAnswer, neverFailsAnswer, type Conditional, type FeedAnswer } from './http';

export const FORMAT_OF: Readonly<Record<string, ResultFileFormat | 'manifest'>> = {
	[RESULT_FILES.json]: 'json',
	[RESULT_FILES.csv]: 'csv',
	[RESULT_FILES.xml]: 'xml',
	[MANIFEST_FILE]: 'manifest'
};

export const mediaTokens = new MediaTokenCache();
let limiter: RateLimiter | undefined;
const feedRateLimiter = () => (limiter ??= new RateLimiter(feedRateLimits(config().RESULTS_FEED_RATE_LIMIT, config().RESULTS_FEED_MEDIA_RATE_LIMIT)));

export interface ResultsFeedRequest extends Conditional {
	electionId: string;
	file: string;
	/** `?test=1`: the test feed. */
	test: boolean;
	authorization: string | null;
	/** Read only when needed (adapter-node's throws when ADDRESS_HEADER is set but missing). */
	clientAddress: () => string;
}

export function answerResultsFeed(request: ResultsFeedRequest): Promise<FeedAnswer> {
	return neverFailsAnswer(async () => {
		const format = FORMAT_OF[request.file];
		if (!format || !isElectionId(request.electionId)) return jsonErrorAnswer(404, 'Unknown election or file. / Neznámé volby nebo soubor.');
		const kind: OpenDataFeedKind = request.test ? 'test' : 'real';
		let tier: 'public' | 'media' = 'public';
		let organisationId: string | null = null;
		if (request.authorization !== null) {
			const token = /^Bearer\s+(\S{1,200})$/i.exec(request.authorization)?.[1] ?? '';
			const access = await mediaAccess(db(), { token, clientAddress: request.clientAddress() }, clock().now(), mediaTokens);
			switch (access.kind) {
				case 'invalid-token':
					return jsonErrorAnswer(401, 'Unknown media token. / Neznámý token média.', { status: 'invalid-token' });
				case 'address-not-registered':
					return jsonErrorAnswer(403, 'This address is not registered for the token. / Tato adresa není pro token registrována.', { status: 'address-not-registered' });
				case 'test-cut-off':
					return jsonErrorAnswer(403, `Test addresses are cut off since ${access.since.toString()}: the real processing has begun. / Testovací adresy jsou od ${access.since.toString()} odpojeny: začalo skutečné zpracování.`, {
						status: 'test-addresses-cut-off',
						since: access.since.toString()
					});
				case 'test':
					organisationId = access.organisationId;
					if (kind !== 'test') return jsonErrorAnswer(403, 'A test address reads the test feed only (?test=1). / Testovací adresa čte jen testovací data (?test=1).', { status: 'test-address-real-feed' });
					break;
				case 'production':
					organisationId = access.organisationId;
					if (kind === 'real' && access.electionId === request.electionId.toLowerCase()) tier = 'media';
					break;
			}
		}
		// Separate budgets: the public's per address, a registered organisation's per organisation.
		const limited = organisationId
			? feedRateLimiter().hit('results-feed-media', organisationId, systemClock.now().epochMilliseconds)
			: feedRateLimiter().hit('results-feed', request.clientAddress(), systemClock.now().epochMilliseconds);
		if (!limited.allowed) {
			metrics().rateLimitRefusals.inc({ bucket: organisationId ? 'results-feed-media' : 'results-feed' });
			const answer = jsonErrorAnswer(429, `Too many requests: try again in ${limited.retryAfterSeconds} s. / Příliš mnoho požadavků: zkuste to znovu za ${limited.retryAfterSeconds} s.`, {
				status: 'rate-limited',
				retryAfterSeconds: limited.retryAfterSeconds
			});
			answer.headers['Retry-After'] = String(limited.retryAfterSeconds);
			return answer;
		}
		const intervalSeconds = tier === 'media' ? config().MEDIA_INTERVAL_SECONDS : openDataIntervalSeconds();
		// Only the public tier writes the static mirror: one writer, the same bytes as the public API.
		const feed = resultsFeed(db(), () => clock().now(), kind, { intervalSeconds, tier, onSnapshot: tier === 'public' ? mirrorSnapshot : undefined });
		const snapshot = await feed.election(request.electionId);
		if (!snapshot) return jsonErrorAnswer(404, 'Unknown election. / Neznámé volby.');
		const { value, maxAgeSeconds } = snapshot;
		const meta = { generated: value.generated, maxAgeSeconds, intervalSeconds: feed.intervalSeconds, filename: request.file };
		if (format === 'manifest') return feedAnswer(request, value.manifest, { ...meta, format: 'json' });
		const answer = feedAnswer(request, value.files[format], { ...meta, format });
		// Media responses are per organisation: shared caches must not serve them to the public.
		if (tier === 'media') answer.headers['Cache-Control'] = `private, max-age=${maxAgeSeconds}`;
		return answer;
	});
}
