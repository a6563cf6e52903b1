import ICAL from 'ical.js';
import { Temporal } from 'temporal-polyfill';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { DEADLINE_KEYS, electionDeadlines, type Deadline } from '../../domain';
import { openTestDb, resetDb } from '../db/test-support';
import { findElectionById, listElectionEmbassies, listEmbassyTimeZones, toDomainElection } from '../db/queries/elections';
import { MAX_LINE_OCTETS } from '../ics';
import { calendarJson, electionIcs, findElectionCalendar, listElectionsJson, type ElectionCalendar } from './calendar';
import { createElection } from './elections';

const db = openTestDb();
afterAll(() => db.destroy());
beforeEach(() => resetDb(db));

const NOW = Temporal.Instant.from('2025-06-01T10:00:00Z');
const system = { kind: 'system' } as const;

async function fixture() {
	const [washington, berlin, municipal] = await db
		.insertInto('office')
		.values([
			{ kind: 'embassy', code: 'zu-washington', name_cs: 'Velvyslanectví ve Washingtonu', name_en: 'Embassy in Washington', address: '3900 Spring of Freedom St NW', special_district_number: 7, country_code: 'US', countries: ['US'], time_zone: 'America/New_York' },
			{ kind: 'embassy', code: 'zu-berlin', name_cs: 'Velvyslanectví v Berlíně', name_en: 'Embassy in Berlin', address: 'Wilhelmstraße 44', special_district_number: 1, country_code: 'DE', countries: ['DE'], time_zone: 'Europe/Berlin' },
			{ kind: 'municipal', code: 'mu-554782', name_cs: 'Magistrát hl. m. Prahy', name_en: 'Prague City Hall', address: 'Mariánské nám. 2', municipality_code: '554782' }
		])
		.returning('id')
		.execute();
	const create = async (input: Parameters<typeof createElection>[1]) => {
		const result = await createElection(db, input, system, NOW);
		if (!result.ok) throw new Error(JSON.stringify(result.errors));
		return result.id;
	};
	// Chamber 2025: D = Friday 3 October 2025 (DOMAIN.md's worked example).
	const chamber = await create({ type: 'chamber', announcedOn: '2025-06-26', rounds: [{ round: 1, firstDay: '2025-10-03' }] });
	const president = await create({
		type: 'president',
		announcedOn: '2027-10-01',
		rounds: [
			{ round: 1, firstDay: '2028-01-14' },
			{ round: 2, firstDay: '2028-01-28' }
		]
	});
	const municipalElection = await create({ type: 'municipal', announcedOn: '2026-07-01', rounds: [{ round: 1, firstDay: '2026-10-02' }] });
	return { washington: washington!.id, berlin: berlin!.id, municipal: municipal!.id, chamber, president, municipalElection };
}

async function calendarOf(electionId: string, officeId?: string): Promise<ElectionCalendar> {
	const lookup = await findElectionCalendar(db, electionId, { officeId });
	if (!lookup.ok) throw new Error(lookup.error);
	return lookup.calendar;
}

describe('findElectionCalendar', () => {
	it('answers not-found for a malformed or unknown election id, never a database error', async () => {
		await fixture();
		expect(await findElectionCalendar(db, 'nope')).toEqual({ ok: false, error: 'election-not-found' });
		expect(await findElectionCalendar(db, "1' OR '1'='1")).toEqual({ ok: false, error: 'election-not-found' });
		expect(await findElectionCalendar(db, crypto.randomUUID())).toEqual({ ok: false, error: 'election-not-found' });
	});

	it('refuses an office that is malformed, unknown or not an embassy', async () => {
		const f = await fixture();
		for (const officeId of ['x', crypto.randomUUID(), f.municipal]) {
			expect(await findElectionCalendar(db, f.chamber, { officeId })).toEqual({ ok: false, error: 'office-not-found' });
		}
	});

	it('gives exactly the domain deadlines of the stored election', async () => {
		const f = await fixture();
		const calendar = await calendarOf(f.president);
		const row = await findElectionById(db, f.president);
		expect(calendar.deadlines).toEqual(electionDeadlines(toDomainElection(row!)));
		expect(calendar.embassy).toBeNull();
	});
});

describe('calendarJson', () => {
	it('has the published shape, `at` with the Prague offset', async () => {
		const f = await fixture();
		const json = calendarJson(await calendarOf(f.chamber));
		expect(json.election).toEqual({ id: f.chamber, type: 'chamber', rounds: [{ round: 1, firstDay: '2025-10-03' }] });
		expect(Object.keys(json)).toEqual(['election', 'deadlines']);
		for (const d of json.deadlines) expect(Object.keys(d)).toEqual(['key', 'round', 'at', 'section']);
		const at = Object.fromEntries(json.deadlines.map((d) => [d.key, d.at]));
		expect(at).toEqual({
			// §57a(3) D−35, §57b(1) D−25, §57(3) D−10 and D−7, §57(6) D−3, §57(3)/§57a(3) D−2; all 16:00 Prague (CEST).
			'correspondence-request-written': '2025-08-29T16:00:00+02:00',
			'correspondence-dispatch': '2025-09-08T16:00:00+02:00',
			'voter-card-mail-request': '2025-09-23T16:00:00+02:00',
			'voter-card-post-dispatch': '2025-09-26T16:00:00+02:00',
			'special-district-registration': '2025-09-30T16:00:00+02:00',
			'voter-card-pickup-request': '2025-10-01T16:00:00+02:00',
			'voter-card-pickup': '2025-10-01T16:00:00+02:00',
			'correspondence-request-in-person': '2025-10-01T16:00:00+02:00'
		});
		expect(json.deadlines.find((d) => d.key === 'correspondence-request-written')?.section).toBe('§57a(3)');
	});

	it('§57c(4): with an embassy, adds its return-envelope deadline at the close of its voting, in Prague time', async () => {
		const f = await fixture();
		const json = calendarJson(await calendarOf(f.chamber, f.washington));
		// Washington is more than 2 hours behind Prague: Thursday 14–22 and Friday 08–14 local (§2(3));
		// Friday 3 October 14:00 EDT is 20:00 Prague.
		expect(json.deadlines.filter((d) => d.key === 'return-envelope')).toEqual([
			{ key: 'return-envelope', round: 1, at: '2025-10-03T20:00:00+02:00', section: '§57c(4)' }
		]);
		const berlin = calendarJson(await calendarOf(f.chamber, f.berlin));
		// Berlin is on Prague time: Saturday 4 October 14:00.
		expect(berlin.deadlines.find((d) => d.key === 'return-envelope')?.at).toBe('2025-10-04T14:00:00+02:00');
	});

	it('uses the stored windows, not the defaults, when an administrator changed them', async () => {
		const f = await fixture();
		await db
			.updateTable('embassy_voting_window')
			.set({ ends_local: '2025-10-03T15:30:00' })
			.where('election_id', '=', f.chamber)
			.where('office_id', '=', f.washington)
			.where('window_no', '=', 2)
			.execute();
		const json = calendarJson(await calendarOf(f.chamber, f.washington));
		expect(json.deadlines.find((d) => d.key === 'return-envelope')?.at).toBe('2025-10-03T21:30:00+02:00');
	});

	it('gives a two-round election its deadlines per round, and a return envelope per round', async () => {
		const f = await fixture();
		const json = calendarJson(await calendarOf(f.president, f.berlin));
		expect(json.election.rounds).toEqual([
			{ round: 1, firstDay: '2028-01-14' },
			{ round: 2, firstDay: '2028-01-28' }
		]);
		for (const round of [1, 2] as const) {
			const keys = json.deadlines.filter((d) => d.round === round).map((d) => d.key).sort();
			expect(keys).toEqual(DEADLINE_KEYS.filter((k) => k !== 'voter-card-earliest-issue').slice().sort());
		}
		// Winter: Prague is on CET (+01:00).
		expect(json.deadlines.find((d) => d.key === 'correspondence-request-written' && d.round === 2)?.at).toBe('2027-12-24T16:00:00+01:00');
	});

	it('leaves out the keys that do not apply: a municipal election has neither voter cards nor voting abroad', async () => {
		const f = await fixture();
		const json = calendarJson(await calendarOf(f.municipalElection, f.berlin));
		expect(json.deadlines).toEqual([]);
	});
});

describe('embassy queries of the calendar page', () => {
	it('lists the embassies voting in an election, by special district, and the embassies’ zones', async () => {
		const f = await fixture();
		expect((await listElectionEmbassies(db, f.chamber)).map((e) => e.id)).toEqual([f.berlin, f.washington]);
		// §2(1): a municipal election is not held abroad, so no embassy has windows for it.
		expect(await listElectionEmbassies(db, f.municipalElection)).toEqual([]);
		expect(await listEmbassyTimeZones(db)).toEqual(['America/New_York', 'Europe/Berlin']);
	});
});

describe('listElectionsJson', () => {
	it('lists every election with its Czech title and rounds, soonest first', async () => {
		const f = await fixture();
		expect(await listElectionsJson(db)).toEqual([
			{ id: f.chamber, type: 'chamber', title: 'Volby do Poslanecké sněmovny 2025', rounds: [{ round: 1, firstDay: '2025-10-03' }] },
			{ id: f.municipalElection, type: 'municipal', title: 'Volby do zastupitelstev obcí 2026', rounds: [{ round: 1, firstDay: '2026-10-02' }] },
			{
				id: f.president,
				type: 'president',
				title: 'Volba prezidenta republiky 2028',
				rounds: [
					{ round: 1, firstDay: '2028-01-14' },
					{ round: 2, firstDay: '2028-01-28' }
				]
			}
		]);
	});
});

describe('electionIcs', () => {
	const texts = {
		calendarName: 'Volba prezidenta republiky 2028 – lhůty',
		summary: (d: Deadline) => `Lhůta ${d.key}, ${d.round}. kolo; Praha`,
		description: (d: Deadline) => `Podle ${d.section} zákona č. 88/2024 Sb., o správě voleb.\nŘádek s dlouhým českým textem: příliš žluťoučký kůň úpěl ďábelské ódy.`
	};

	it('has one event per deadline, starting at the domain instant, every line within 75 octets', async () => {
		const f = await fixture();
		const calendar = await calendarOf(f.president, f.washington);
		const stamp = Temporal.Instant.from('2027-11-02T09:30:00Z');
		const text = electionIcs(calendar, { stamp, locale: 'cs', texts, url: `https://portal.test/volby/${f.president}` });

		for (const line of text.split('\r\n')) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(MAX_LINE_OCTETS);
		expect(text.replace(/\r\n/g, '')).not.toContain('\n');

		const vcalendar = new ICAL.Component(ICAL.parse(text));
		expect(vcalendar.getFirstPropertyValue('method')).toBe('PUBLISH');
		const events = vcalendar.getAllSubcomponents('vevent').map((c) => new ICAL.Event(c));
		expect(events).toHaveLength(calendar.deadlines.length);
		expect(calendar.deadlines.some((d) => d.key === 'return-envelope')).toBe(true);
		const byUid = new Map(events.map((e) => [e.uid, e]));
		for (const deadline of calendar.deadlines) {
			const office = deadline.key === 'return-envelope' ? `-${f.washington}` : '';
			const event = byUid.get(`${f.president}-${deadline.key}-${deadline.round}${office}@volebni-portal`);
			expect(event, `${deadline.key} round ${deadline.round}`).toBeDefined();
			expect(event!.startDate.toJSDate().getTime()).toBe(deadline.at.epochMilliseconds);
			expect(event!.summary).toBe(texts.summary(deadline));
			expect(event!.description).toBe(texts.description(deadline));
		}
	});
});
