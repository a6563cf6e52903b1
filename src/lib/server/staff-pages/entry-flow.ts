/**
 * A clerk enters a request that reached the office in person, by data box or by a letter
 * with a verified signature (§57(1)(a),(b)), on the voter's behalf: find the voter on the
 * office's own list, choose the request and its details, check, submit. The submission goes
 * through the same services as the portal (services/requests.ts), so the same rules and
 * deadlines apply; only the channel, the actor and the proxy's power of attorney differ.
 *
 * Pages: nova (search) → nova/zadost → nova/doruceni → nova/kontrola → the new request.
 */
import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import {
	allowsCorrespondence,
	correspondenceRequestDeadlineKey,
	deadlineFor,
	formatIsoWithOffset,
	hasVoterCards,
	isOnTime,
	PRAGUE,
	type DeadlineKey,
	type Round
} from '../../domain';
import {
	dateFromParts,
	ENTRY_DELIVERY_FIELDS,
	ENTRY_REQUEST_FIELDS,
	entryDeliverySchema,
	entryRequestSchema,
	parseStaffForm,
	VOTER_SEARCH_FIELDS,
	voterSearchSchema,
	type DecisionFieldErrors
} from '../../forms/decisions';
import { addressSchema, submitSchema, type FieldErrors } from '../../forms/requests';
import { countryName, countryOptions, ISO_COUNTRY_CODES } from '../countries';
import { findElectionById, listElections, toDomainElection, type ElectionWithRounds } from '../db/queries/elections';
import { findRequestsByIdempotencyKey } from '../db/queries/requests';
import {
	deleteStaffEntryDraft,
	findStaffEntryDraft,
	updateStaffEntryDraftAnswers,
	updateStaffEntryDraftIdempotencyKey,
	upsertStaffEntryDraftVoter
} from '../db/queries/staff-entry-drafts';
import { findOfficeVoter, searchOfficeVoters, type OfficeVoterRow } from '../db/queries/staff-requests';
import { isUuid, submitCorrespondenceRequest, submitVoterCardRequest, type SubmitResult } from '../services/requests';
import { staffContext, type StaffContext, type StaffGroup } from './context';
import { requestPath } from './request-detail';

export const SEARCH_LIMIT = 20;

export function entryPaths(group: StaffGroup) {
	const start = `${group.base}/zadosti/nova`;
	return { start, request: `${start}/zadost`, delivery: `${start}/doruceni`, check: `${start}/kontrola` };
}

const answersSchema = z.object({
	kind: z.enum(['voter-card', 'correspondence-package']).optional(),
	electionId: z.string().optional(),
	rounds: z.array(z.union([z.literal(1), z.literal(2)])).optional(),
	channel: z.enum(['in-person', 'data-box', 'verified-letter']).optional(),
	filedBy: z.enum(['voter', 'proxy']).optional(),
	delivery: z.enum(['post', 'in-person', 'proxy']).optional(),
	address: z.object({ line: z.string(), city: z.string(), postalCode: z.string(), country: z.string() }).optional(),
	proxy: z.object({ name: z.string(), birthDate: z.string(), note: z.string() }).optional()
});
export type EntryAnswers = z.infer<typeof answersSchema>;

interface EntryState {
	ctx: StaffContext;
	voter: OfficeVoterRow;
	answers: EntryAnswers;
	idempotencyKey: string | null;
}

/** The session's entry: its voter (still on the office's list) and answers; back to the search otherwise. */
async function loadEntry(event: RequestEvent, group: StaffGroup): Promise<EntryState> {
	const ctx = await staffContext(event, group);
	const draft = await findStaffEntryDraft(ctx.db, ctx.sessionId, ctx.officeId);
	const voter = draft ? await findOfficeVoter(ctx.db, ctx.office, draft.voter_id) : undefined;
	if (!draft || !voter) redirect(303, entryPaths(group).start);
	const parsed = answersSchema.safeParse(draft.answers);
	return { ctx, voter, answers: parsed.success ? parsed.data : {}, idempotencyKey: draft.idempotency_key };
}

async function saveAnswers(state: EntryState, answers: EntryAnswers): Promise<void> {
	await updateStaffEntryDraftAnswers(state.ctx.db, {
		sessionId: state.ctx.sessionId,
		officeId: state.ctx.officeId,
		answers,
		at: new Date(state.ctx.now.epochMilliseconds)
	});
}

function voterView(voter: OfficeVoterRow, locale: 'cs' | 'en') {
	return {
		id: voter.id,
		name: `${voter.given_name} ${voter.family_name}`,
		birthDate: voter.birth_date,
		address: [voter.address_line, `${voter.postal_code} ${voter.city}`.trim(), countryName(voter.country_code, locale)]
	};
}

/** Elections a request of the kind can be entered for: not yet over (Prague date). */
function electionsFor(rows: ElectionWithRounds[], group: StaffGroup, now: StaffContext['now']) {
	const today = now.toZonedDateTimeISO(PRAGUE).toPlainDate().toString();
	return rows
		.map((row) => ({ row, election: toDomainElection(row) }))
		.filter(({ row }) => (row.rounds.at(-1)?.first_day ?? '') >= today)
		.filter(({ election }) => hasVoterCards(election) || (group.officeKind === 'embassy' && allowsCorrespondence(election)));
}

// --- nova: find the voter ---

export async function loadSearch(event: RequestEvent, group: StaffGroup) {
	const ctx = await staffContext(event, group);
	return { base: group.base, officeKind: group.officeKind, officeName: ctx.locale === 'en' ? ctx.office.name_en : ctx.office.name_cs };
}

export function searchActions(group: StaffGroup) {
	return {
		hledat: async (event: RequestEvent) => {
			const ctx = await staffContext(event, group);
			const parsed = parseStaffForm(voterSearchSchema, await event.request.formData(), VOTER_SEARCH_FIELDS);
			if (!parsed.ok) return fail(400, { values: parsed.values, errors: parsed.errors, results: null });
			const d = parsed.data;
			const birthDate = dateFromParts(d.birthDateDay, d.birthDateMonth, d.birthDateYear)!;
			const rows = await searchOfficeVoters(ctx.db, ctx.office, { familyName: d.familyName, givenName: d.givenName || null, birthDate }, SEARCH_LIMIT);
			return {
				values: { familyName: d.familyName, givenName: d.givenName, birthDateDay: d.birthDateDay, birthDateMonth: d.birthDateMonth, birthDateYear: d.birthDateYear },
				errors: {} as DecisionFieldErrors,
				results: rows.map((v) => voterView(v, ctx.locale))
			};
		},
		vybrat: async (event: RequestEvent) => {
			const ctx = await staffContext(event, group);
			const voterId = String((await event.request.formData()).get('voterId') ?? '');
			// Another office's voter is never found, whatever id is posted.
			const voter = isUuid(voterId) ? await findOfficeVoter(ctx.db, ctx.office, voterId) : undefined;
			if (!voter) error(404, 'Not found');
			await upsertStaffEntryDraftVoter(ctx.db, { sessionId: ctx.sessionId, officeId: ctx.officeId, voterId: voter.id, at: new Date(ctx.now.epochMilliseconds) });
			redirect(303, entryPaths(group).request);
		}
	};
}

// --- nova/zadost: kind, election, rounds, channel, who files ---

export async function loadRequestStep(event: RequestEvent, group: StaffGroup) {
	const state = await loadEntry(event, group);
	const { ctx, answers } = state;
	const elections = electionsFor(await listElections(ctx.db, { officeId: ctx.officeId }), group, ctx.now);
	return {
		base: group.base,
		officeKind: group.officeKind,
		paths: entryPaths(group),
		voter: voterView(state.voter, ctx.locale),
		elections: elections.map(({ row, election }) => ({
			id: row.id,
			title: ctx.locale === 'en' ? row.title_en : row.title_cs,
			twoRounds: row.rounds.length > 1,
			voterCards: hasVoterCards(election),
			correspondence: allowsCorrespondence(election)
		})),
		values: {
			kind: answers.kind ?? (group.officeKind === 'municipal' ? 'voter-card' : ''),
			electionId: answers.electionId ?? '',
			rounds: answers.rounds ? (answers.rounds.length === 2 ? 'both' : String(answers.rounds[0])) : '',
			channel: answers.channel ?? '',
			filedBy: answers.filedBy ?? ''
		}
	};
}

export function requestStepActions(group: StaffGroup) {
	return {
		default: async (event: RequestEvent) => {
			const state = await loadEntry(event, group);
			const form = await event.request.formData();
			// A municipal office keeps no special district: it takes voter card requests only (§57(1), §57a(1)).
			if (group.officeKind === 'municipal') form.set('kind', 'voter-card');
			const parsed = parseStaffForm(entryRequestSchema, form, ENTRY_REQUEST_FIELDS);
			if (!parsed.ok) return fail(400, { values: parsed.values, errors: parsed.errors });
			const d = parsed.data;
			const electionRow = await findElectionById(state.ctx.db, d.electionId);
			const offered = electionsFor(electionRow ? [electionRow] : [], group, state.ctx.now);
			if (!electionRow || offered.length === 0) {
				return fail(400, { values: parsed.values, errors: { electionId: 'election_required' } satisfies DecisionFieldErrors });
			}
			const twoRounds = electionRow.rounds.length > 1;
			if (!twoRounds && d.rounds !== '1') {
				return fail(400, { values: parsed.values, errors: { rounds: 'rounds_required' } satisfies DecisionFieldErrors });
			}
			const rounds: Round[] = d.rounds === 'both' ? [1, 2] : [Number(d.rounds) as Round];
			const changedKind = state.answers.kind !== d.kind;
			await saveAnswers(state, {
				...state.answers,
				kind: d.kind,
				electionId: d.electionId,
				rounds,
				channel: d.channel,
				filedBy: d.filedBy,
				// Delivery options differ between the kinds: ask again after a change of kind.
				...(changedKind ? { delivery: undefined, address: undefined } : {})
			});
			redirect(303, entryPaths(group).delivery);
		}
	};
}

// --- nova/doruceni: delivery, address, proxy ---

function requestStepComplete(answers: EntryAnswers): boolean {
	return !!(answers.kind && answers.electionId && answers.rounds?.length && answers.channel && answers.filedBy);
}

function proxyNeeded(answers: Pick<EntryAnswers, 'filedBy' | 'delivery'>): boolean {
	return answers.filedBy === 'proxy' || answers.delivery === 'proxy';
}

function countriesFor(ctx: StaffContext, kind: EntryAnswers['kind']): string[] {
	// §57a(4): a package is mailed inside the embassy's area; a voter card anywhere (§57(2)).
	return kind === 'correspondence-package' ? ctx.office.countries : [...ISO_COUNTRY_CODES];
}

export async function loadDeliveryStep(event: RequestEvent, group: StaffGroup) {
	const state = await loadEntry(event, group);
	const { ctx, answers } = state;
	if (!requestStepComplete(answers)) redirect(303, entryPaths(group).request);
	const birth = answers.proxy?.birthDate ? answers.proxy.birthDate.split('-') : ['', '', ''];
	return {
		base: group.base,
		paths: entryPaths(group),
		kind: answers.kind!,
		filedBy: answers.filedBy!,
		voter: voterView(state.voter, ctx.locale),
		countries: countryOptions(countriesFor(ctx, answers.kind), ctx.locale),
		values: {
			delivery: answers.delivery ?? '',
			line: answers.address?.line ?? '',
			city: answers.address?.city ?? '',
			postalCode: answers.address?.postalCode ?? '',
			country: answers.address?.country ?? (answers.kind === 'voter-card' ? 'CZ' : ''),
			proxyName: answers.proxy?.name ?? '',
			proxyBirthDateDay: birth[2] ? String(Number(birth[2])) : '',
			proxyBirthDateMonth: birth[1] ? String(Number(birth[1])) : '',
			proxyBirthDateYear: birth[0] ?? '',
			note: answers.proxy?.note ?? ''
		}
	};
}

export function deliveryStepActions(group: StaffGroup) {
	return {
		default: async (event: RequestEvent) => {
			const state = await loadEntry(event, group);
			if (!requestStepComplete(state.answers)) redirect(303, entryPaths(group).request);
			const form = await event.request.formData();
			const parsed = parseStaffForm(entryDeliverySchema, form, ENTRY_DELIVERY_FIELDS);
			if (!parsed.ok) return fail(400, { values: parsed.values, errors: parsed.errors as DecisionFieldErrors & FieldErrors });
			const d = parsed.data;
			const errors: Record<string, string> = {};
			let address: EntryAnswers['address'];
			if (d.delivery === 'post') {
				const result = addressSchema.safeParse({ line: d.line, city: d.city, postalCode: d.postalCode, country: d.country });
				if (!result.success) {
					for (const issue of result.error.issues) errors[String(issue.path[0])] ??= issue.message;
				} else if (!countriesFor(state.ctx, state.answers.kind).includes(result.data.country)) {
					errors.country = 'country_not_offered';
				} else {
					address = result.data;
				}
			}
			let proxy: EntryAnswers['proxy'];
			if (proxyNeeded({ filedBy: state.answers.filedBy, delivery: d.delivery })) {
				// §57(1)(a),(b), §57(2): a proxy acts with a power of attorney with a verified signature.
				const birthDate = dateFromParts(d.proxyBirthDateDay, d.proxyBirthDateMonth, d.proxyBirthDateYear);
				if (d.proxyName === '') errors.proxyName = 'proxy_name_required';
				if (!birthDate) errors.proxyBirthDateDay = 'proxy_birth_date_invalid';
				if (d.note === '') errors.note = 'note_required';
				if (birthDate && d.proxyName && d.note) proxy = { name: d.proxyName, birthDate, note: d.note };
			}
			if (Object.keys(errors).length) return fail(400, { values: parsed.values, errors: errors as DecisionFieldErrors & FieldErrors });
			await saveAnswers(state, { ...state.answers, delivery: d.delivery, address, proxy });
			redirect(303, entryPaths(group).check);
		}
	};
}

// --- nova/kontrola: check answers and submit ---

function deliveryStepComplete(answers: EntryAnswers): boolean {
	if (!answers.delivery) return false;
	if (answers.delivery === 'post' && !answers.address) return false;
	if (proxyNeeded(answers) && !answers.proxy) return false;
	return true;
}

/** The deadline a filing of these answers is judged against (§57(3), §57a(3)). */
function filingDeadlineKey(answers: EntryAnswers): DeadlineKey {
	if (answers.kind === 'correspondence-package') return correspondenceRequestDeadlineKey(answers.channel ?? 'in-person');
	return answers.delivery === 'post' ? 'voter-card-mail-request' : 'voter-card-pickup-request';
}

export async function loadCheckStep(event: RequestEvent, group: StaffGroup) {
	const state = await loadEntry(event, group);
	const { ctx, answers } = state;
	if (!requestStepComplete(answers)) redirect(303, entryPaths(group).request);
	if (!deliveryStepComplete(answers)) redirect(303, entryPaths(group).delivery);
	const electionRow = await findElectionById(ctx.db, answers.electionId!);
	if (!electionRow) redirect(303, entryPaths(group).request);
	const election = toDomainElection(electionRow);
	const key = filingDeadlineKey(answers);
	// §57a(3): a package request is judged against the deadline of the first round asked for.
	const rounds = answers.kind === 'correspondence-package' ? answers.rounds!.slice(0, 1) : answers.rounds!;
	const deadlines = rounds.flatMap((round) => {
		const d = deadlineFor(election, key, round);
		return d ? [{ key, round, at: formatIsoWithOffset(d.at), section: d.section, open: isOnTime(ctx.now, d) }] : [];
	});
	const idempotencyKey =
		state.idempotencyKey ??
		(await updateStaffEntryDraftIdempotencyKey(ctx.db, {
			sessionId: ctx.sessionId,
			officeId: ctx.officeId,
			key: Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString('base64url'),
			at: new Date(ctx.now.epochMilliseconds)
		}));
	return {
		base: group.base,
		paths: entryPaths(group),
		voter: voterView(state.voter, ctx.locale),
		officeName: ctx.locale === 'en' ? ctx.office.name_en : ctx.office.name_cs,
		answers: {
			kind: answers.kind!,
			electionTitle: ctx.locale === 'en' ? electionRow.title_en : electionRow.title_cs,
			twoRounds: electionRow.rounds.length > 1,
			rounds: answers.rounds!,
			channel: answers.channel!,
			filedBy: answers.filedBy!,
			delivery: answers.delivery!,
			address: answers.address
				? [answers.address.line, `${answers.address.postalCode} ${answers.address.city}`.trim(), countryName(answers.address.country, ctx.locale)]
				: null,
			proxy: answers.proxy ?? null
		},
		deadlines,
		idempotencyKey
	};
}

export function checkStepActions(group: StaffGroup) {
	return {
		default: async (event: RequestEvent) => {
			const state = await loadEntry(event, group);
			const { ctx, answers } = state;
			const parsed = submitSchema.safeParse({ idempotencyKey: (await event.request.formData()).get('idempotencyKey') });
			if (!parsed.success) redirect(303, entryPaths(group).check);
			const key = parsed.data.idempotencyKey;
			const kind = answers.kind ?? 'voter-card';
			// A double click or a reload of the POST: the request it filed.
			const earlier = await findRequestsByIdempotencyKey(ctx.db, state.voter.id, kind, key);
			if (earlier[0]) redirect(303, `${requestPath(group, earlier[0].id)}?hotovo=podano`);
			if (!requestStepComplete(answers) || !deliveryStepComplete(answers) || state.idempotencyKey !== key) {
				redirect(303, entryPaths(group).check);
			}
			const proxy = answers.proxy ? { name: answers.proxy.name, birthDate: answers.proxy.birthDate, powerOfAttorneyNote: answers.proxy.note } : null;
			const common = { voterId: state.voter.id, channel: answers.channel!, idempotencyKey: key, electionId: answers.electionId!, proxy };
			const result: SubmitResult =
				answers.kind === 'correspondence-package'
					? await submitCorrespondenceRequest(
							ctx.db,
							{
								...common,
								rounds: answers.rounds!,
								delivery: answers.delivery === 'post' ? 'post' : 'collect-at-embassy',
								address: answers.delivery === 'post' ? answers.address : null
							},
							ctx.actor,
							ctx.now
						)
					: await submitVoterCardRequest(
							ctx.db,
							{ ...common, rounds: answers.rounds!, delivery: answers.delivery!, address: answers.delivery === 'post' ? answers.address : null },
							ctx.actor,
							ctx.now
						);
			if (!result.ok) return fail(400, { refusal: result.refusal, kind });
			await deleteStaffEntryDraft(ctx.db, ctx.sessionId, ctx.officeId);
			redirect(303, `${requestPath(group, result.requests[0]!.id)}?hotovo=podano`);
		}
	};
}
