import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, resetDb } from '../test-support';
import { countQueueStates, findOfficeRequestIdByReference, listQueuePage, type QueuePageQuery } from './queue';

const db = openTestDb();
let prague: string;
let brno: string;
let chamber: string;
let president: string;
/** Prague's chamber requests, oldest first. */
let pragueChamber: { id: string; reference: string; received_at: Date }[] = [];

const STATES = ['received', 'accepted', 'issued', 'completed', 'refused', 'cancelled'] as const;

beforeAll(async () => {
	await resetDb(db);
	const office = (code: string, name: string, municipality: string) =>
		db
			.insertInto('office')
			.values({ kind: 'municipal', code, name_cs: name, name_en: name, address: name, municipality_code: municipality })
			.returning('id')
			.executeTakeFirstOrThrow()
			.then((r) => r.id);
	prague = await office('mu-554782', 'Praha', '554782');
	brno = await office('mu-582786', 'Brno', '582786');
	const election = (type: 'chamber' | 'president', title: string) =>
		db
			.insertInto('election')
			.values({ type, title_cs: title, title_en: title, announced_on: '2026-11-13', voting_abroad: true, correspondence_allowed: true })
			.returning('id')
			.executeTakeFirstOrThrow()
			.then((r) => r.id);
	chamber = await election('chamber', 'Sněmovna');
	president = await election('president', 'Prezident');

	// 120 voters of Prague and 10 of Brno, one request each; receipts a minute apart, some at the same instant.
	const names = ['Novák', 'Nováková', 'Svoboda', 'Dvořák', 'Černá', 'Procházka'];
	const rows = [];
	for (let i = 0; i < 130; i++) {
		const atBrno = i >= 120;
		const voter = await db
			.insertInto('voter')
			.values({
				municipal_office_id: atBrno ? brno : prague,
				given_name: i % 2 ? 'Jan' : 'Eva',
				family_name: names[i % names.length]!,
				birth_date: `19${50 + (i % 40)}-0${1 + (i % 9)}-1${i % 10}`,
				address_line: 'Ulice 1',
				city: atBrno ? 'Brno' : 'Praha',
				postal_code: '100 00',
				country_code: 'CZ'
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		rows.push({
			reference: `VP-T${String(i).padStart(7, '0')}`,
			kind: 'voter-card' as const,
			voter_id: voter.id,
			election_id: i % 10 === 9 ? president : chamber,
			round: 1,
			office_id: atBrno ? brno : prague,
			channel: i % 4 === 0 ? ('data-box' as const) : ('portal' as const),
			state: STATES[i % 6]!,
			refusal_reason: STATES[i % 6] === 'refused' ? ('deadline-passed' as const) : null,
			// Pairs of requests share an instant, so that the id decides their order.
			received_at: new Date(Date.UTC(2026, 10, 20, 8, Math.floor(i / 2), 0, 0))
		});
	}
	await db.insertInto('request').values(rows).execute();
	pragueChamber = await db
		.selectFrom('request')
		.select(['id', 'reference', 'received_at'])
		.where('office_id', '=', prague)
		.where('election_id', '=', chamber)
		.orderBy('received_at')
		.orderBy('id')
		.execute();
});

afterAll(() => db.destroy());

const base = (): QueuePageQuery => ({ officeId: prague, electionId: chamber, sort: 'deadline', limit: 50 });
const cursorOf = (row: { cursor_at: string; id: string }) => ({ at: row.cursor_at, id: row.id });

describe('the queue', () => {
	it('walks all requests of the office and election by keyset, forwards and back, none twice', async () => {
		expect(pragueChamber).toHaveLength(108);
		const first = await listQueuePage(db, base());
		expect(first.rows.map((r) => r.id)).toEqual(pragueChamber.slice(0, 50).map((r) => r.id));
		expect(first).toMatchObject({ hasNext: true, hasPrevious: false });
		const second = await listQueuePage(db, { ...base(), after: cursorOf(first.rows.at(-1)!) });
		expect(second.rows.map((r) => r.id)).toEqual(pragueChamber.slice(50, 100).map((r) => r.id));
		expect(second).toMatchObject({ hasNext: true, hasPrevious: true });
		const third = await listQueuePage(db, { ...base(), after: cursorOf(second.rows.at(-1)!) });
		expect(third.rows.map((r) => r.id)).toEqual(pragueChamber.slice(100).map((r) => r.id));
		expect(third).toMatchObject({ hasNext: false, hasPrevious: true });

		const back = await listQueuePage(db, { ...base(), before: cursorOf(third.rows[0]!) });
		expect(back.rows.map((r) => r.id)).toEqual(second.rows.map((r) => r.id));
		expect(back).toMatchObject({ hasNext: true, hasPrevious: true });
		const start = await listQueuePage(db, { ...base(), before: cursorOf(back.rows[0]!) });
		expect(start.rows.map((r) => r.id)).toEqual(first.rows.map((r) => r.id));
		expect(start.hasPrevious).toBe(false);
	});

	it('sorts newest first, and keeps the cursor exact to the microsecond', async () => {
		const newest = await listQueuePage(db, { ...base(), sort: 'newest' });
		expect(newest.rows.map((r) => r.id)).toEqual([...pragueChamber].reverse().slice(0, 50).map((r) => r.id));
		expect(newest.rows[0]!.cursor_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
		const next = await listQueuePage(db, { ...base(), sort: 'newest', after: cursorOf(newest.rows.at(-1)!) });
		expect(next.rows.map((r) => r.id)).toEqual([...pragueChamber].reverse().slice(50, 100).map((r) => r.id));
	});

	it('filters by state, channel, kind and round, and counts each state under the other filters', async () => {
		const received = await listQueuePage(db, { ...base(), state: 'received', limit: 500 });
		expect(received.rows.length).toBeGreaterThan(0);
		expect(received.rows.every((r) => r.state === 'received')).toBe(true);
		const dataBox = await listQueuePage(db, { ...base(), channel: 'data-box', limit: 500 });
		expect(dataBox.rows.every((r) => r.channel === 'data-box')).toBe(true);
		expect((await listQueuePage(db, { ...base(), kind: 'correspondence-package' })).rows).toEqual([]);
		expect((await listQueuePage(db, { ...base(), round: 2 })).rows).toEqual([]);

		const counts = await countQueueStates(db, { ...base(), state: 'received' });
		expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(108);
		expect(counts.received).toBe(received.rows.length);
		const dataBoxCounts = await countQueueStates(db, { ...base(), channel: 'data-box' });
		expect(Object.values(dataBoxCounts).reduce((a, b) => a + b, 0)).toBe(dataBox.rows.length);
	});

	it('searches by the start of a family or given name, every word, ignoring case', async () => {
		const novak = await listQueuePage(db, { ...base(), search: { kind: 'name', words: ['nováK'] }, limit: 500 });
		expect(novak.rows.length).toBeGreaterThan(0);
		expect(novak.rows.every((r) => r.voter_family_name.startsWith('Novák'))).toBe(true);
		const janNovak = await listQueuePage(db, { ...base(), search: { kind: 'name', words: ['jan', 'novák'] }, limit: 500 });
		expect(janNovak.rows.length).toBeGreaterThan(0);
		expect(janNovak.rows.every((r) => r.voter_given_name === 'Jan' && r.voter_family_name.startsWith('Novák'))).toBe(true);
		expect((await listQueuePage(db, { ...base(), search: { kind: 'name', words: ['%'] } })).rows).toEqual([]);
		const counts = await countQueueStates(db, { ...base(), search: { kind: 'name', words: ['novák'] } });
		expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(novak.rows.length);
	});

	it('searches by date of birth', async () => {
		const one = (await listQueuePage(db, { ...base(), limit: 1 })).rows[0]!;
		const found = await listQueuePage(db, { ...base(), search: { kind: 'birth-date', date: one.voter_birth_date }, limit: 500 });
		expect(found.rows.map((r) => r.id)).toContain(one.id);
		expect(found.rows.every((r) => r.voter_birth_date === one.voter_birth_date)).toBe(true);
	});

	it("never shows another office's requests, nor finds them by reference", async () => {
		const brnoPage = await listQueuePage(db, { ...base(), officeId: brno, limit: 500 });
		expect(brnoPage.rows).toHaveLength(9);
		const pragueIds = new Set(pragueChamber.map((r) => r.id));
		expect(brnoPage.rows.some((r) => pragueIds.has(r.id))).toBe(false);
		expect((await listQueuePage(db, { ...base(), search: { kind: 'name', words: ['novák'] }, limit: 500 })).rows.every((r) => pragueIds.has(r.id))).toBe(true);
		const pragueRef = pragueChamber[0]!.reference;
		expect(await findOfficeRequestIdByReference(db, prague, pragueRef)).toBe(pragueChamber[0]!.id);
		expect(await findOfficeRequestIdByReference(db, brno, pragueRef)).toBeUndefined();
	});

	it('lists the requests of no election (special-district registrations) apart', async () => {
		expect((await listQueuePage(db, { ...base(), electionId: null })).rows).toEqual([]);
		expect((await listQueuePage(db, { ...base(), electionId: president, limit: 500 })).rows).toHaveLength(12);
	});
});
