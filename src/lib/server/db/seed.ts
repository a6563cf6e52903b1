import { Temporal } from 'temporal-polyfill';
import { devEidSubject } from '../auth/dev-eid-subject';
import { hashPassword } from '../auth/password';
import { createElection } from '../services/elections';
import type { Db } from './index';
import { seedRehearsals } from './seed-rehearsals';
import { replaceCandidateLists } from './queries/district-results';
import { insertVotersBulk, type BulkVoter } from './queries/voters';
import type { StaffRole } from './schema';
import { DEMO_CHAMBER_LISTS, DEMO_PRESIDENT_CANDIDATES, EMBASSIES, MUNICIPALITIES, TEST_IDENTITIES, generateVoters, type VoterSeed } from './seed-data';

/** The password of every demo staff account (README, "Demo accounts"). Demo data only. */
export const DEMO_STAFF_PASSWORD = 'Demo-heslo-2026';

export const DEMO_STAFF: { username: string; displayName: string; role: StaffRole; office: string | null }[] = [
	{ username: 'spravce', displayName: 'Alena Správcová', role: 'administrator', office: null },
	{ username: 'urednik.praha', displayName: 'Petr Úředník', role: 'municipal-clerk', office: 'mu-554782' },
	{ username: 'urednik.brno', displayName: 'Jana Matriková', role: 'municipal-clerk', office: 'mu-582786' },
	{ username: 'urednik.berlin', displayName: 'Tomáš Konzul', role: 'embassy-clerk', office: 'zu-berlin' },
	{ username: 'vedouci.berlin', displayName: 'Eva Velvyslankyně', role: 'embassy-head', office: 'zu-berlin' },
	{ username: 'clen.berlin', displayName: 'Karel Komisař', role: 'commission-member', office: 'zu-berlin' },
	{ username: 'predseda.berlin', displayName: 'Marie Předsedová', role: 'commission-chair', office: 'zu-berlin' },
	{ username: 'urednik.washington', displayName: 'John Novák', role: 'embassy-clerk', office: 'zu-washington' }
];

export const municipalOfficeCode = (municipalityCode: string) => `mu-${municipalityCode}`;
export const embassyOfficeCode = (embassyCode: string) => `zu-${embassyCode}`;

export async function isDatabaseEmpty(db: Db): Promise<boolean> {
	const row = await db.selectFrom('office').select('id').limit(1).executeTakeFirst();
	return !row;
}

async function officeIdsByCode(db: Db): Promise<Map<string, string>> {
	const rows = await db.selectFrom('office').select(['id', 'code']).execute();
	return new Map(rows.map((r) => [r.code, r.id]));
}

export function toBulkVoter(v: VoterSeed, offices: Map<string, string>, importKey: string | null, eidSubject: string | null): BulkVoter {
	const officeId =
		v.list.kind === 'municipal' ? offices.get(municipalOfficeCode(v.list.municipalityCode)) : offices.get(embassyOfficeCode(v.list.embassyCode));
	if (!officeId) throw new Error(`Seed voter refers to an unknown office: ${JSON.stringify(v.list)}`);
	return {
		municipal_office_id: v.list.kind === 'municipal' ? officeId : null,
		special_district_office_id: v.list.kind === 'embassy' ? officeId : null,
		given_name: v.givenName,
		family_name: v.familyName,
		birth_date: v.birthDate,
		address_line: v.addressLine,
		city: v.city,
		postal_code: v.postalCode,
		country_code: v.countryCode,
		eid_subject: eidSubject,
		import_key: importKey,
		source: 'seed'
	};
}

/** The first Friday on or after a day. */
function fridayOnOrAfter(day: Temporal.PlainDate): Temporal.PlainDate {
	return day.add({ days: (5 - day.dayOfWeek + 7) % 7 });
}

/**
 * Demo elections dated from `now` so that every deadline is still open: a Chamber
 * election about eight weeks away (D−35 three weeks ahead) and a two-round presidential
 * election after it.
 */
export function demoElectionDates(now: Temporal.Instant) {
	const today = now.toZonedDateTimeISO('Europe/Prague').toPlainDate();
	const chamber = fridayOnOrAfter(today.add({ days: 56 }));
	const president1 = fridayOnOrAfter(today.add({ days: 77 }));
	const president2 = president1.add({ days: 14 });
	return {
		announcedOn: today.subtract({ days: 7 }).toString(),
		chamber: chamber.toString(),
		president: [president1.toString(), president2.toString()] as const
	};
}

export interface SeedOptions {
	now: Temporal.Instant;
	voters: number;
	onProgress?: (done: number, total: number) => void;
	/** Seed the demo rehearsals too (issue 14, seed-rehearsals.ts): `npm start` and `npm run seed`. */
	rehearsals?: boolean;
}

/** Seeds an empty database with the demo data of the README. */
export async function seedDemoData(db: Db, options: SeedOptions) {
	const { now } = options;
	await db
		.insertInto('office')
		.values([
			...MUNICIPALITIES.map((m) => ({
				kind: 'municipal' as const,
				code: municipalOfficeCode(m.code),
				name_cs: m.officeName,
				name_en: m.officeName,
				address: m.officeAddress,
				municipality_code: m.code,
				municipality_name: m.name,
				region_code: m.regionCode,
				senate_constituency: m.senateConstituency,
				time_zone: 'Europe/Prague'
			})),
			...EMBASSIES.map((e) => ({
				kind: 'embassy' as const,
				code: embassyOfficeCode(e.code),
				name_cs: e.name,
				name_en: e.nameEn,
				address: e.address,
				special_district_number: e.specialDistrictNumber,
				country_code: e.countryCode,
				countries: e.countries,
				time_zone: e.timeZone
			}))
		])
		.execute();
	const offices = await officeIdsByCode(db);

	const dates = demoElectionDates(now);
	const system = { kind: 'system' } as const;
	for (const input of [
		{ type: 'chamber' as const, announcedOn: dates.announcedOn, rounds: [{ round: 1 as const, firstDay: dates.chamber }] },
		{
			type: 'president' as const,
			announcedOn: dates.announcedOn,
			rounds: [
				{ round: 1 as const, firstDay: dates.president[0] },
				{ round: 2 as const, firstDay: dates.president[1] }
			]
		}
	]) {
		const result = await createElection(db, input, system, now);
		if (!result.ok) throw new Error(`Demo election is invalid: ${JSON.stringify(result.errors)}`);
		// Issue 17: the lists the special commissions' records of the result count votes for.
		const lists = input.type === 'chamber' ? DEMO_CHAMBER_LISTS : DEMO_PRESIDENT_CANDIDATES;
		await db.transaction().execute((trx) => replaceCandidateLists(trx, result.id, lists));
	}

	const passwordHash = await hashPassword(DEMO_STAFF_PASSWORD);
	await db
		.insertInto('staff_user')
		.values(
			DEMO_STAFF.map((s) => {
				const officeId = s.office ? offices.get(s.office) : null;
				if (s.office && !officeId) throw new Error(`Unknown demo office ${s.office}`);
				return { username: s.username, display_name: s.displayName, role: s.role, office_id: officeId ?? null, password_hash: passwordHash };
			})
		)
		.execute();

	const identityVoters = TEST_IDENTITIES.filter((t) => t.list !== null).map((t) =>
		toBulkVoter(
			{
				givenName: t.givenName,
				familyName: t.familyName,
				birthDate: t.birthDate,
				sex: 'F',
				list: t.list!,
				addressLine: t.address.street,
				city: t.address.locality,
				postalCode: t.address.postalCode,
				countryCode: t.address.country,
				eidSubject: null
			},
			offices,
			`test-identity:${t.accountId}`,
			devEidSubject(t.accountId)
		)
	);
	await insertVotersBulk(db, identityVoters);
	// Issue 14: the identities marked as test identities see rehearsals.
	const testKeys = TEST_IDENTITIES.filter((t) => t.testIdentity && t.list !== null).map((t) => `test-identity:${t.accountId}`);
	if (testKeys.length) await db.updateTable('voter').set({ test_identity: true }).where('import_key', 'in', testKeys).execute();
	const generated = await insertGeneratedVoters(db, { count: options.voters, startIndex: 0, onProgress: options.onProgress });
	const rehearsals = options.rehearsals ? await seedRehearsals(db, { now }) : null;
	return {
		rehearsals,
		offices: offices.size,
		elections: 2,
		staff: DEMO_STAFF.length,
		testIdentities: identityVoters.length,
		voters: generated + identityVoters.length
	};
}

/**
 * Generated voters in batches; import keys `seed:<index>` make a re-run with the same
 * range add nothing. Used by the seed and by `npm run seed:voters` for load tests.
 */
export async function insertGeneratedVoters(
	db: Db,
	options: { count: number; startIndex: number; batchSize?: number; onProgress?: (done: number, total: number) => void }
): Promise<number> {
	const offices = await officeIdsByCode(db);
	const batchSize = options.batchSize ?? 5_000;
	let batch: BulkVoter[] = [];
	let index = options.startIndex;
	let done = 0;
	let inserted = 0;
	for (const v of generateVoters(options.count, { seed: 1, startIndex: options.startIndex })) {
		batch.push(toBulkVoter(v, offices, `seed:${index}`, null));
		index++;
		if (batch.length === batchSize) {
			inserted += await insertVotersBulk(db, batch);
			done += batch.length;
			batch = [];
			options.onProgress?.(done, options.count);
		}
	}
	if (batch.length) {
		inserted += await insertVotersBulk(db, batch);
		done += batch.length;
		options.onProgress?.(done, options.count);
	}
	return inserted;
}
