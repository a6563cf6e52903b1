/**
 * The embassy's special-district list (issue 5): what accepting a registration does to the
 * voter's lists (§56(4)), removal on the voter's request, and the list itself. Another
 * embassy's voters behave exactly like unknown ids.
 *
 * Accepting or refusing a registration is the generic decision of services/decisions.ts
 * (acceptRequest), which puts the voter on the embassy's list in the same transaction.
 */
import type { Temporal } from 'temporal-polyfill';
import { parseIsoDate } from '../../domain';
import { toDate } from '../clock';
import type { Db } from '../db/index';
import {
	countPendingRegistrations,
	findSpecialDistrictVoter,
	listLiveCorrespondenceRequests,
	listSpecialDistrictVoters,
	lockVoterLists,
	updateVoterLeftSpecialDistrict,
	type SpecialDistrictVoterRow,
	type VoterSearch
} from '../db/queries/special-district';
import { findEmbassyById, type ElectionEmbassy } from '../db/queries/elections';
import type { RequestChannel } from '../db/schema';
import { appendAudit } from './audit';
import { isUuid } from './requests';
import { queueVoterNotification } from './notifications';
import { EMBASSY_ROLES, actingOffice, type StaffActor } from './staff-actor';

type Forbidden = { kind: 'forbidden' };
const FORBIDDEN: Forbidden = { kind: 'forbidden' };

// --- Removal on the voter's request (§56(4)) ---

/** How the voter asked to be removed: at the counter, by data box, or by a letter with a verified signature. */
export type RemovalChannel = Extract<RequestChannel, 'in-person' | 'data-box' | 'verified-letter'>;

export const REMOVAL_CHANNELS: readonly RemovalChannel[] = ['in-person', 'data-box', 'verified-letter'];

export function isRemovalChannel(value: unknown): value is RemovalChannel {
	return typeof value === 'string' && (REMOVAL_CHANNELS as readonly string[]).includes(value);
}

export type RemovalResult = { kind: 'removed'; voterId: string } | { kind: 'not-found' } | Forbidden;

/**
 * §56(4): the registration lasts until the voter asks for removal. The clerk records the
 * request; the voter leaves the embassy's list (and, for elections held abroad, is kept by
 * the municipal list again, if one keeps them). One transaction: the conditional update,
 * the audit entry and the voter's notification.
 */
export async function removeFromSpecialDistrict(
	db: Db,
	input: { voterId: string; channel: RemovalChannel },
	actor: StaffActor,
	now: Temporal.Instant
): Promise<RemovalResult> {
	const officeId = actingOffice(actor, EMBASSY_ROLES);
	if (!officeId) return FORBIDDEN;
	if (!isUuid(input.voterId) || !isRemovalChannel(input.channel)) return { kind: 'not-found' };
	return db.transaction().execute(async (trx) => {
		const voter = await lockVoterLists(trx, input.voterId);
		// Another embassy's voter, or one already removed by a colleague a moment ago.
		if (!voter || voter.special_district_office_id !== officeId) return { kind: 'not-found' as const };
		if (!(await updateVoterLeftSpecialDistrict(trx, officeId, voter.id, toDate(now)))) return { kind: 'not-found' as const };
		await appendAudit(trx, {
			actor,
			action: 'voter.special-district.leave',
			entityType: 'voter',
			entityId: voter.id,
			before: { specialDistrictOfficeId: officeId },
			after: { specialDistrictOfficeId: null, channel: input.channel, municipalOfficeId: voter.municipal_office_id },
			at: now
		});
		await queueVoterNotification(trx, { voterId: voter.id, kind: 'registration-removed' });
		return { kind: 'removed' as const, voterId: voter.id };
	});
}

// --- The list (office-scoped, paginated, searchable) ---

export const VOTERS_PER_PAGE = 25;
const MAX_SEARCH_WORDS = 4;

/** 'Král 5. 11. 1978', 'tomáš král', '1978-11-05': name words and at most one date of birth. */
export function parseVoterSearch(q: string): VoterSearch {
	const words: string[] = [];
	let birthDate: string | null = null;
	const text = q.trim().slice(0, 100);
	// A Czech date may be written with spaces after the dots: '5. 11. 1978'.
	const czech = /(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4})/.exec(text);
	let rest = text;
	if (czech) {
		const [all, d, m, y] = czech;
		birthDate = parseIsoDate(`${y}-${m!.padStart(2, '0')}-${d!.padStart(2, '0')}`)?.toString() ?? null;
		rest = text.replace(all, ' ');
	}
	for (const token of rest.split(/[\s,]+/)) {
		if (!token) continue;
		const iso = parseIsoDate(token);
		if (iso && !birthDate) {
			birthDate = iso.toString();
			continue;
		}
		if (words.length < MAX_SEARCH_WORDS) words.push(token);
	}
	return { words, birthDate };
}

export type VoterListResult =
	| {
			kind: 'ok';
			embassy: ElectionEmbassy;
			rows: SpecialDistrictVoterRow[];
			total: number;
			page: number;
			pages: number;
			pendingRegistrations: number;
	  }
	| Forbidden;

export async function listRegisteredVoters(db: Db, input: { q: string; page: number }, actor: StaffActor): Promise<VoterListResult> {
	const officeId = actingOffice(actor, EMBASSY_ROLES);
	if (!officeId) return FORBIDDEN;
	const page = Number.isInteger(input.page) && input.page > 0 ? input.page : 1;
	const search = parseVoterSearch(input.q);
	const [embassy, { rows, total }, pendingRegistrations] = await Promise.all([
		findEmbassyById(db, officeId),
		listSpecialDistrictVoters(db, officeId, { search, limit: VOTERS_PER_PAGE, offset: (page - 1) * VOTERS_PER_PAGE }),
		countPendingRegistrations(db, officeId)
	]);
	// An embassy role bound to a municipal office: a misconfigured account, not a list.
	if (!embassy) return FORBIDDEN;
	return { kind: 'ok', embassy, rows, total, page, pages: Math.max(1, Math.ceil(total / VOTERS_PER_PAGE)), pendingRegistrations };
}

export type RegisteredVoterResult =
	| {
			kind: 'ok';
			voter: NonNullable<Awaited<ReturnType<typeof findSpecialDistrictVoter>>>;
			liveCorrespondenceRequests: Awaited<ReturnType<typeof listLiveCorrespondenceRequests>>;
	  }
	| { kind: 'not-found' }
	| Forbidden;

/** One voter of the embassy's list with the correspondence requests a removal would leave without a basis. */
export async function findRegisteredVoter(db: Db, voterId: string, actor: StaffActor): Promise<RegisteredVoterResult> {
	const officeId = actingOffice(actor, EMBASSY_ROLES);
	if (!officeId) return FORBIDDEN;
	if (!isUuid(voterId)) return { kind: 'not-found' };
	const voter = await findSpecialDistrictVoter(db, officeId, voterId);
	if (!voter) return { kind: 'not-found' };
	return { kind: 'ok', voter, liveCorrespondenceRequests: await listLiveCorrespondenceRequests(db, officeId, voterId) };
}
