import { PDFParse } from 'pdf-parse';
import { Temporal } from 'temporal-polyfill';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDb, resetDb } from '../db/test-support';
import { findRequestReceipt } from '../db/queries/receipts';
import { requestReceiptPdf } from './request-receipt';

const db = openTestDb();
afterAll(() => db.destroy());
beforeEach(() => resetDb(db));

const NOW = Temporal.Instant.from('2026-11-20T09:05:00+01:00');

async function text(pdf: Buffer): Promise<string> {
	const parser = new PDFParse({ data: new Uint8Array(pdf) });
	try {
		return (await parser.getText()).text.replace(/\s+/g, ' ');
	} finally {
		await parser.destroy();
	}
}

async function fixture() {
	const office = await db
		.insertInto('office')
		.values({ kind: 'municipal', code: 'mu-554782', name_cs: 'Magistrát hlavního města Prahy', name_en: 'Prague City Hall', address: 'Mariánské nám. 2, 110 00 Praha 1', municipality_code: '554782' })
		.returning('id')
		.executeTakeFirstOrThrow();
	const embassy = await db
		.insertInto('office')
		.values({ kind: 'embassy', code: 'zu-wien', name_cs: 'Velvyslanectví ČR ve Vídni', name_en: 'Embassy of the Czech Republic in Vienna', address: 'Penzinger Straße 11–13, 1140 Wien', special_district_number: 1001, country_code: 'AT', countries: ['AT'], time_zone: 'Europe/Vienna' })
		.returning('id')
		.executeTakeFirstOrThrow();
	const election = await db
		.insertInto('election')
		.values({ type: 'president', title_cs: 'Volba prezidenta republiky 2028', title_en: 'Presidential election 2028', announced_on: '2027-10-01', voting_abroad: true, correspondence_allowed: true })
		.returning('id')
		.executeTakeFirstOrThrow();
	await db
		.insertInto('election_round')
		.values([
			{ election_id: election.id, round: 1, first_day: '2028-01-14' },
			{ election_id: election.id, round: 2, first_day: '2028-01-28' }
		])
		.execute();
	const voter = (given: string, family: string) =>
		db
			.insertInto('voter')
			.values({ municipal_office_id: office.id, given_name: given, family_name: family, birth_date: '1984-03-12', address_line: 'Vinohradská 1849/112', city: 'Praha', postal_code: '130 00', country_code: 'CZ' })
			.returning('id')
			.executeTakeFirstOrThrow();
	const owner = await voter('Řehoř', 'Dvořák');
	const other = await voter('Jan', 'Novák');
	await db
		.insertInto('request')
		.values([
			{
				reference: 'VP-7K3M9QXD',
				kind: 'voter-card',
				voter_id: owner.id,
				election_id: election.id,
				round: 2,
				office_id: office.id,
				channel: 'portal',
				delivery: 'post',
				delivery_address_line: 'Ke Karlovu 3',
				delivery_city: 'Praha',
				delivery_postal_code: '120 00',
				delivery_country_code: 'CZ',
				received_at: new Date('2027-12-01T09:00:00Z'),
				deadline_key: 'voter-card-mail-request',
				deadline_at: new Date('2028-01-18T15:00:00Z')
			},
			{
				reference: 'ZO-4H2J8KRT',
				kind: 'special-district-registration',
				voter_id: owner.id,
				office_id: embassy.id,
				channel: 'portal',
				received_at: new Date('2027-12-02T09:00:00Z')
			}
		])
		.execute();
	return { ownerId: owner.id, otherId: other.id };
}

describe('the receipt of a request', () => {
	it('is rendered for the voter whose request it is', async () => {
		const f = await fixture();
		const pdf = await requestReceiptPdf(db, { voterId: f.ownerId, reference: 'VP-7K3M9QXD', locale: 'cs', now: NOW });
		expect(pdf).toBeInstanceOf(Buffer);
		const content = await text(pdf!);
		expect(content).toContain('Žádost o voličský průkaz');
		expect(content).toContain('VP-7K3M9QXD');
		expect(content).toContain('Volba prezidenta republiky 2028');
		expect(content).toContain('2. kolo');
		expect(content).toContain('Magistrát hlavního města Prahy');
		expect(content).toContain('Poštou na adresu: Ke Karlovu 3, 120 00 Praha, Česko');
		expect(content).toContain('1. prosince 2027 v 10:00 (pražského času)');
		expect(content).toContain('do 18. ledna 2028 v 16:00 pražského času (§ 57 odst. 3)');
		expect(content).toContain('Příjmení Dvořák');
		expect(content).toContain('Jméno Řehoř');
	});

	it('is in English for a voter who reads English', async () => {
		const f = await fixture();
		const content = await text((await requestReceiptPdf(db, { voterId: f.ownerId, reference: 'VP-7K3M9QXD', locale: 'en', now: NOW }))!);
		expect(content).toContain('Application for a voter card');
		expect(content).toContain('Prague City Hall');
		expect(content).toContain('Presidential election 2028');
	});

	it('covers a special-district registration, which names no election', async () => {
		const f = await fixture();
		const content = await text((await requestReceiptPdf(db, { voterId: f.ownerId, reference: 'ZO-4H2J8KRT', locale: 'cs', now: NOW }))!);
		expect(content).toContain('Žádost o zápis do zvláštního volebního okrsku');
		expect(content).toContain('Velvyslanectví ČR ve Vídni');
		expect(content).not.toContain('Volby ');
	});

	it("is not found for another voter's reference or an unknown one", async () => {
		const f = await fixture();
		expect(await findRequestReceipt(db, f.otherId, 'VP-7K3M9QXD')).toBeUndefined();
		expect(await requestReceiptPdf(db, { voterId: f.otherId, reference: 'VP-7K3M9QXD', locale: 'cs', now: NOW })).toBeUndefined();
		expect(await requestReceiptPdf(db, { voterId: f.ownerId, reference: 'VP-00000000', locale: 'cs', now: NOW })).toBeUndefined();
	});
});
