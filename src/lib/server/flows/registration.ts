/** The special-district registration flow (§56(4), §57(6)): its steps and what its pages need. */
import { registrationAnswers, type RegistrationAnswers } from '../../forms/requests';
import type { DeadlineView } from '../../forms/views';
import { countryName, countryOptions, type CountryOption } from '../countries';
import { findOfficeById, listEmbassies, type OfficeRow } from '../db/queries/offices';
import { findPendingRegistration } from '../db/queries/requests';
import { findVoterById } from '../db/queries/voters';
import { findFirstElectionForRegistration } from '../services/requests';
import { readDraft, type VoterContext } from './context';
import { deadlineView } from './elections';
import { stepsInOrder, type FlowDef } from './flow';
import type { StepDef } from './steps';

export const REGISTRATION_FLOW = 'special-district-registration' as const;

export const REGISTRATION_PATHS = {
	start: '/zapis-do-zvlastniho-okrsku',
	country: '/zapis-do-zvlastniho-okrsku/stat',
	address: '/zapis-do-zvlastniho-okrsku/adresa',
	check: '/zapis-do-zvlastniho-okrsku/kontrola',
	done: '/zapis-do-zvlastniho-okrsku/odeslano'
} as const;

/**
 * The embassy whose area includes a country (§57(6)). Where two embassies' areas overlap,
 * the one with the lower special district number is taken.
 */
export function embassyForCountry(embassies: readonly OfficeRow[], country: string): OfficeRow | undefined {
	return embassies.find((e) => e.countries.some((c) => c.toUpperCase() === country.toUpperCase()));
}

export interface RegistrationState {
	answers: RegistrationAnswers;
	idempotencyKey: string | null;
	embassies: OfficeRow[];
	embassy: OfficeRow | undefined;
}

export async function loadRegistrationState(ctx: VoterContext): Promise<RegistrationState> {
	const [draft, embassies] = await Promise.all([readDraft(ctx, REGISTRATION_FLOW, registrationAnswers), listEmbassies(ctx.db)]);
	return withRegistrationAnswers({ answers: draft.answers, idempotencyKey: draft.idempotencyKey, embassies, embassy: undefined }, draft.answers);
}

export const REGISTRATION_STEPS: readonly StepDef<RegistrationState>[] = [
	{ id: 'country', path: REGISTRATION_PATHS.country, applies: () => true, complete: (s) => s.embassy !== undefined },
	{ id: 'address', path: REGISTRATION_PATHS.address, applies: () => true, complete: (s) => s.answers.address !== undefined },
	{ id: 'check', path: REGISTRATION_PATHS.check, applies: () => true, complete: () => false }
];

/** The state with new answers: the embassy follows the country. */
function withRegistrationAnswers(state: RegistrationState, answers: RegistrationAnswers): RegistrationState {
	return { ...state, answers, embassy: answers.country ? embassyForCountry(state.embassies, answers.country) : undefined };
}

export const REGISTRATION: FlowDef<RegistrationState> = {
	flow: REGISTRATION_FLOW,
	kind: 'special-district-registration',
	paths: REGISTRATION_PATHS,
	steps: REGISTRATION_STEPS,
	load: loadRegistrationState,
	withAnswers: withRegistrationAnswers,
	enter: stepsInOrder(REGISTRATION_STEPS)
};

/** Every country in some embassy's area (§57(6)), named in the page's language. */
export function registrationCountries(state: RegistrationState, locale: 'cs' | 'en'): CountryOption[] {
	return countryOptions(
		state.embassies.flatMap((e) => e.countries),
		locale
	);
}

export function embassyName(office: OfficeRow, locale: 'cs' | 'en'): string {
	return locale === 'en' ? office.name_en : office.name_cs;
}

export interface RegistrationStatus {
	/** The embassy whose special district keeps the voter now, if any (§56(4)). */
	registeredAt: { name: string; specialDistrictNumber: number | null } | null;
	pendingReference: string | null;
	/** The first election a registration filed now can apply to, with its D−3 deadline (§57(6)). */
	nextElection: { title: string; round: number; twoRounds: boolean; deadline: DeadlineView } | null;
}

export async function registrationStatus(ctx: VoterContext): Promise<RegistrationStatus> {
	const [voter, pending, next] = await Promise.all([
		findVoterById(ctx.db, ctx.voterId),
		findPendingRegistration(ctx.db, ctx.voterId),
		findFirstElectionForRegistration(ctx.db, ctx.now)
	]);
	const office = voter?.special_district_office_id ? await findOfficeById(ctx.db, voter.special_district_office_id) : undefined;
	return {
		registeredAt: office ? { name: embassyName(office, ctx.locale), specialDistrictNumber: office.special_district_number } : null,
		pendingReference: pending?.reference ?? null,
		nextElection: next
			? {
					title: ctx.locale === 'en' ? next.titleEn : next.titleCs,
					round: next.round,
					twoRounds: next.election.rounds.length > 1,
					deadline: deadlineView(next.election, 'special-district-registration', next.round, ctx.now)!
				}
			: null
	};
}

export { countryName };
