/**
 * Test fixtures for decisions and voter cards (*.db.test.ts of issue 5): two municipal
 * offices and an embassy, their staff, elections and voters, written straight into the
 * database. Never used by the portal itself.
 */
import { Temporal } from 'temporal-polyfill';
import type { Db } from '../db/index';
import type { StaffRole } from '../db/schema';
import type { Actor } from './audit';
import { createElection } from './elections';
import { submitCorrespondenceRequest, submitVoterCardRequest, type SubmitResult } from './requests';
import type { StaffActor } from './staff-actor';

/** A Prague wall-clock time as an instant (§78(2): Prague time governs). */
export const prague = (local: string) => Temporal.PlainDateTime.from(local).toZonedDateTime('Europe/Prague').toInstant();

/** D of every fixture election: Friday 15 January 2027; announced 1 October 2026. */
export const D = '2027-01-15';
export const FIXTURE_NOW = prague('2026-11-20T09:00');

const system: Actor = { kind: 'system' };

export function filed(result: SubmitResult): { id: string; reference: string } {
	if (!result.ok) throw new Error(`Expected the request to be filed, got ${JSON.stringify(result.refusal)}`);
	const first = result.requests[0];
	if (!first) throw new Error('No request filed');
	return { id: first.id, reference: first.reference };
}

export async function decisionFixture(db: Db) {
	const offices = await db
		.insertInto('office')
		.values([
			{ kind: 'municipal', code: 'mu-554782', name_cs: 'Magistrát hlavního města Prahy', name_en: 'Prague City Hall', address: 'Mariánské nám. 2, 110 01 Praha 1', municipality_code: '554782' },
			{ kind: 'municipal', code: 'mu-582786', name_cs: 'Magistrát města Brna', name_en: 'Brno City Hall', address: 'Dominikánské nám. 1, 601 67 Brno', municipality_code: '582786' },
			{ kind: 'embassy', code: 'zu-berlin', name_cs: 'Velvyslanectví ČR v Berlíně', name_en: 'Embassy in Berlin', address: 'Wilhelmstraße 44, 10117 Berlin', special_district_number: 1, country_code: 'DE', countries: ['DE'], time_zone: 'Europe/Berlin' }
		])
		.returning(['id', 'code'])
		.execute();
	const office = (code: string) => offices.find((o) => o.code === code)!.id;
	const praha = office('mu-554782');
	const brno = office('mu-582786');
	const berlin = office('zu-berlin');

	const staff = async (username: string, role: StaffRole, officeId: string, displayName = username): Promise<StaffActor> => {
		const row = await db
			.insertInto('staff_user')
			.values({ username, display_name: displayName, role, office_id: officeId, password_hash: 'fixture-no-login' })
			.returning('id')
			.executeTakeFirstOrThrow();
		return { kind: 'staff', id: row.id, officeId, role };
	};

	let voterNo = 0;
	const voter = async (values: { municipal?: string | null; embassy?: string | null; email?: boolean; givenName?: string; familyName?: string; birthDate?: string } = {}) => {
		voterNo++;
		const row = await db
			.insertInto('voter')
			.values({
				municipal_office_id: values.municipal === undefined ? praha : values.municipal,
				special_district_office_id: values.embassy ?? null,
				given_name: values.givenName ?? 'Řehoř',
				family_name: values.familyName ?? `Dvořák${voterNo}`,
				birth_date: values.birthDate ?? '1984-03-12',
				address_line: 'Vinohradská 1849/112',
				city: 'Praha',
				postal_code: '130 00',
				country_code: 'CZ',
				email: values.email === false ? null : `volic${voterNo}@example.cz`,
				email_confirmed_at: values.email === false ? null : new Date('2026-01-01T00:00:00Z')
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		return row.id;
	};

	const election = async (type: 'chamber' | 'president' | 'european', firstDays: string[]) => {
		const result = await createElection(
			db,
			{ type, announcedOn: '2026-10-01', rounds: firstDays.map((firstDay, i) => ({ round: (i + 1) as 1 | 2, firstDay })) },
			system,
			FIXTURE_NOW
		);
		if (!result.ok) throw new Error(JSON.stringify(result.errors));
		return result.id;
	};

	const chamber = await election('chamber', [D]);
	const european = await election('european', [D]);

	/** A voter card request filed by the voter through the portal. */
	const voterCardRequest = async (
		voterId: string,
		opts: { electionId?: string; delivery?: 'post' | 'in-person' | 'proxy'; proxyName?: string; at?: Temporal.Instant } = {}
	) => {
		const delivery = opts.delivery ?? 'post';
		return filed(
			await submitVoterCardRequest(
				db,
				{
					voterId,
					channel: 'portal',
					electionId: opts.electionId ?? chamber,
					rounds: [1],
					delivery,
					address: delivery === 'post' ? { line: 'Dlouhá 5', city: 'Olomouc', postalCode: '779 00', country: 'CZ' } : null,
					proxy: delivery === 'proxy' ? { name: opts.proxyName ?? 'Jana Zmocněná' } : null
				},
				{ kind: 'voter', id: voterId },
				opts.at ?? FIXTURE_NOW
			)
		);
	};

	/** A correspondence request entered at the embassy's counter, optionally for a proxy who collects. */
	const correspondenceRequest = async (voterId: string, clerk: StaffActor, opts: { proxyName?: string } = {}) =>
		filed(
			await submitCorrespondenceRequest(
				db,
				{
					voterId,
					channel: 'in-person',
					electionId: chamber,
					rounds: [1],
					delivery: 'collect-at-embassy',
					proxy: opts.proxyName ? { name: opts.proxyName, powerOfAttorneyNote: 'plná moc s ověřeným podpisem' } : null
				},
				clerk,
				FIXTURE_NOW
			)
		);

	return {
		praha,
		brno,
		berlin,
		chamber,
		european,
		clerk: await staff('urednik.praha', 'municipal-clerk', praha, 'Petr Úředník'),
		clerk2: await staff('urednik2.praha', 'municipal-clerk', praha, 'Pavla Druhá'),
		brnoClerk: await staff('urednik.brno', 'municipal-clerk', brno),
		embassyClerk: await staff('urednik.berlin', 'embassy-clerk', berlin),
		commissionMember: await staff('clen.berlin', 'commission-member', berlin),
		voter,
		voterCardRequest,
		correspondenceRequest
	};
}

export type DecisionFixture = Awaited<ReturnType<typeof decisionFixture>>;
