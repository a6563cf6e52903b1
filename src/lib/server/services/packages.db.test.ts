import { sql } from 'kysely';
import { PDFParse } from 'pdf-parse';
import { Temporal } from 'temporal-polyfill';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { isValidEnvelopeCode } from '../../domain/envelopes';
import { openTestDb, resetDb } from '../db/test-support';
import type { Delivery, RequestChannel } from '../db/schema';
import { newReference } from '../reference';
import { createElection } from './elections';
import { insertFixtureEmbassy, insertFixtureStaff, insertFixtureStaffSet, insertFixtureVoters, type FixtureStaff } from './envelope-fixtures';
import { consignmentNumber } from '../../domain';
import { createBatch, runBatch, setBatchNumbers } from './batches';
import { notificationSubject } from './notifications';
import {
	getBatchPdf,
	getBatchStatus,
	getPackageDetail,
	getPackageOverview,
	getPackagePdf,
	idSlipCounter,
	issuePackages,
	listPackages,
	recordPackageHandOver,
	renderBatch,
	undoPackageDispatch,
	startBatchRendering,
	type BatchRenderer
} from './packages';
import type { StaffActor } from './staff-actor';

const db = openTestDb();
afterAll(() => db.destroy());
beforeEach(() => resetDb(db));

/** D of the Chamber election of the tests: Friday 15 January 2027. */
const D = '2027-01-15';
/** §57b(1): D−25 at 16:00 Prague = Monday 21 December 2026, 16:00 CET. */
const DISPATCH_DEADLINE = Temporal.Instant.from('2026-12-21T16:00:00+01:00');
const NOW = Temporal.Instant.from('2026-12-01T10:00:00+01:00');
const clockAt = (at: Temporal.Instant) => () => at;

interface World {
	electionId: string;
	embassyId: string;
	staff: FixtureStaff;
	otherEmbassyId: string;
	otherStaff: FixtureStaff;
}

async function world(opts: { type?: 'chamber' | 'president' } = {}): Promise<World> {
	const embassy = await insertFixtureEmbassy(db, { timeZone: 'Europe/Berlin' });
	const other = await insertFixtureEmbassy(db, { timeZone: 'America/New_York' });
	const first = Temporal.PlainDate.from(D);
	const created = await createElection(
		db,
		{
			type: opts.type ?? 'chamber',
			announcedOn: first.subtract({ days: 90 }).toString(),
			rounds:
				opts.type === 'president'
					? [
							{ round: 1, firstDay: D },
							{ round: 2, firstDay: first.add({ days: 14 }).toString() }
						]
					: [{ round: 1, firstDay: D }]
		},
		{ kind: 'system' },
		Temporal.Instant.from('2026-09-01T00:00:00Z')
	);
	if (!created.ok) throw new Error(JSON.stringify(created.errors));
	return {
		electionId: created.id,
		embassyId: embassy.id,
		staff: await insertFixtureStaffSet(db, embassy.id),
		otherEmbassyId: other.id,
		otherStaff: await insertFixtureStaffSet(db, other.id)
	};
}

/** Accepted correspondence requests (as the decision service leaves them) for fresh voters of an embassy. */
async function acceptedRequests(
	w: World,
	opts: { count: number; officeId?: string; delivery?: Delivery; channel?: RequestChannel; round?: 1 | 2; confirmedEmail?: boolean; locale?: 'cs' | 'en' }
): Promise<{ requestId: string; voterId: string }[]> {
	const officeId = opts.officeId ?? w.embassyId;
	const voters = await insertFixtureVoters(db, { officeId, count: opts.count, confirmedEmail: opts.confirmedEmail });
	const delivery = opts.delivery ?? 'post';
	const rows = await db
		.insertInto('request')
		.values(
			voters.map((voterId) => ({
				reference: newReference('correspondence-package'),
				kind: 'correspondence-package' as const,
				voter_id: voterId,
				election_id: w.electionId,
				round: opts.round ?? 1,
				office_id: officeId,
				channel: opts.channel ?? 'portal',
				delivery,
				delivery_address_line: delivery === 'post' ? 'Fixture Street 2' : null,
				delivery_city: delivery === 'post' ? 'Berlin' : null,
				delivery_postal_code: delivery === 'post' ? '10117' : null,
				delivery_country_code: delivery === 'post' ? 'DE' : null,
				state: 'accepted' as const,
				...(opts.locale ? { locale: opts.locale } : {}),
				received_at: new Date('2026-11-20T09:00:00Z'),
				decided_at: new Date('2026-11-21T09:00:00Z')
			}))
		)
		.returning(['id', 'voter_id'])
		.execute();
	return rows.map((r) => ({ requestId: r.id, voterId: r.voter_id }));
}

async function packagesOf(electionId: string, officeId: string) {
	return db
		.selectFrom('correspondence_package')
		.selectAll()
		.where('election_id', '=', electionId)
		.where('office_id', '=', officeId)
		.orderBy('id_slip_number')
		.execute();
}

async function requestStates(ids: string[]) {
	const rows = await db.selectFrom('request').select(['id', 'state']).where('id', 'in', ids).execute();
	return new Set(rows.map((r) => r.state));
}

async function issueAll(w: World, actor: StaffActor = w.staff.clerk, at = NOW) {
	const result = await issuePackages(db, { electionId: w.electionId }, actor, at);
	if (result.kind !== 'issued') throw new Error(`not issued: ${result.kind}`);
	return result;
}

async function pdfText(pdf: Uint8Array): Promise<string> {
	const parser = new PDFParse({ data: new Uint8Array(pdf) });
	try {
		return (await parser.getText()).text.replace(/\s+/g, ' ');
	} finally {
		await parser.destroy();
	}
}

describe('issuePackages (§57b)', () => {
	it('issues one package per accepted request in one batch: consecutive ID-slip numbers, unique valid codes, requests issued', async () => {
		const w = await world();
		const requests = await acceptedRequests(w, { count: 6 });
		const result = await issueAll(w);
		expect(result).toMatchObject({ kind: 'issued', count: 6, firstSlip: 1, lastSlip: 6 });

		const packages = await packagesOf(w.electionId, w.embassyId);
		expect(packages.map((p) => p.id_slip_number)).toEqual([1, 2, 3, 4, 5, 6]);
		expect(new Set(packages.map((p) => p.envelope_code)).size).toBe(6);
		for (const p of packages) {
			expect(isValidEnvelopeCode(p.envelope_code)).toBe(true);
			// The code reveals nothing about the voter: no part of the voter's or request's ids.
			expect(p.voter_id.toUpperCase()).not.toContain(p.envelope_code.slice(0, 6));
			expect(p.batch_id).toBe(result.batchId);
		}
		expect(await requestStates(requests.map((r) => r.requestId))).toEqual(new Set(['issued']));

		const batch = await db.selectFrom('package_batch').selectAll().where('id', '=', result.batchId).executeTakeFirstOrThrow();
		expect(batch).toMatchObject({ package_count: 6, status: 'pending', office_id: w.embassyId, created_by: w.staff.clerk.id });
		const audit = await db.selectFrom('audit_log').select(['action', 'actor_id', 'office_id']).where('action', '!=', 'election.create').execute();
		expect(audit.filter((a) => a.action === 'correspondence-package.issue')).toHaveLength(6);
		expect(audit.filter((a) => a.action === 'package-batch.create')).toHaveLength(1);
		expect(audit.every((a) => a.actor_id === w.staff.clerk.id && a.office_id === w.embassyId)).toBe(true);
	});

	it('never issues a package twice: a second batch finds nothing, and numbers continue across batches', async () => {
		const w = await world();
		const first = await acceptedRequests(w, { count: 3 });
		await issuePackages(db, { electionId: w.electionId, requestIds: [first[1]!.requestId] }, w.staff.clerk, NOW);
		const rest = await issueAll(w);
		expect(rest).toMatchObject({ count: 2, firstSlip: 2, lastSlip: 3 });
		expect(await issuePackages(db, { electionId: w.electionId }, w.staff.clerk, NOW)).toEqual({ kind: 'nothing-to-issue' });
		expect(await issuePackages(db, { electionId: w.electionId, requestIds: [first[1]!.requestId] }, w.staff.clerk2, NOW)).toEqual({
			kind: 'nothing-to-issue'
		});
		expect((await packagesOf(w.electionId, w.embassyId)).map((p) => p.id_slip_number)).toEqual([1, 2, 3]);
	});

	it('two clerks issuing the same requests at the same moment: one batch gets them all, the other nothing', async () => {
		const w = await world();
		await acceptedRequests(w, { count: 10 });
		const results = await Promise.all([
			issuePackages(db, { electionId: w.electionId }, w.staff.clerk, NOW),
			issuePackages(db, { electionId: w.electionId }, w.staff.clerk2, NOW)
		]);
		expect(results.map((r) => r.kind).sort()).toEqual(['issued', 'nothing-to-issue']);
		const packages = await packagesOf(w.electionId, w.embassyId);
		expect(packages).toHaveLength(10);
		expect(new Set(packages.map((p) => p.request_id)).size).toBe(10);
		expect(packages.map((p) => p.id_slip_number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
		expect(await db.selectFrom('package_batch').select('id').execute()).toHaveLength(1);
	});

	it('a voter who has a package for the round already: nothing issued, the clerk told by whom (issue 16: was a 500)', async () => {
		const w = await world();
		const [first] = await acceptedRequests(w, { count: 1 });
		await issueAll(w);
		// The first request is withdrawn after its package left, and the voter files again elsewhere.
		await db.updateTable('request').set({ state: 'cancelled' }).where('id', '=', first!.requestId).execute();
		await db
			.insertInto('request')
			.values({
				reference: newReference('correspondence-package'),
				kind: 'correspondence-package',
				voter_id: first!.voterId,
				election_id: w.electionId,
				round: 1,
				office_id: w.otherEmbassyId,
				channel: 'portal',
				delivery: 'in-person',
				state: 'accepted',
				received_at: new Date('2026-11-25T09:00:00Z'),
				decided_at: new Date('2026-11-26T09:00:00Z')
			})
			.execute();
		const result = await issuePackages(db, { electionId: w.electionId }, w.otherStaff.clerk, NOW);
		const clerk = await db.selectFrom('staff_user').select('display_name').where('id', '=', w.staff.clerk.id).executeTakeFirstOrThrow();
		const office = await db.selectFrom('office').select('name_cs').where('id', '=', w.embassyId).executeTakeFirstOrThrow();
		expect(result).toMatchObject({ kind: 'already-issued', issued: [{ by: clerk.display_name, officeCs: office.name_cs }] });
		expect(await packagesOf(w.electionId, w.otherEmbassyId)).toHaveLength(0);
		expect(await db.selectFrom('package_batch').select('id').where('office_id', '=', w.otherEmbassyId).execute()).toHaveLength(0);
	});

	it('numbers ID slips per embassy and election', async () => {
		const w = await world();
		await acceptedRequests(w, { count: 2 });
		await acceptedRequests(w, { count: 3, officeId: w.otherEmbassyId });
		await issueAll(w);
		await issuePackages(db, { electionId: w.electionId }, w.otherStaff.clerk, NOW);
		expect((await packagesOf(w.electionId, w.embassyId)).map((p) => p.id_slip_number)).toEqual([1, 2]);
		expect((await packagesOf(w.electionId, w.otherEmbassyId)).map((p) => p.id_slip_number)).toEqual([1, 2, 3]);
		const counters = await db.selectFrom('office_counter').selectAll().where('counter', '=', idSlipCounter(w.electionId)).execute();
		expect(counters.map((c) => c.next_value).sort()).toEqual([3, 4]);
	});

	it('a crash in the middle of a batch leaves nothing issued: no package, no number taken, no batch, no audit entry', async () => {
		const w = await world();
		const requests = await acceptedRequests(w, { count: 5 });
		// The third package's insert fails inside the issuing transaction.
		await sql`CREATE FUNCTION test_crash_third_package() RETURNS trigger LANGUAGE plpgsql AS $$
			BEGIN IF NEW.id_slip_number = 3 THEN RAISE EXCEPTION 'simulated crash'; END IF; RETURN NEW; END $$`.execute(db);
		await sql`CREATE TRIGGER test_crash BEFORE INSERT ON correspondence_package FOR EACH ROW EXECUTE FUNCTION test_crash_third_package()`.execute(db);
		try {
			await expect(issuePackages(db, { electionId: w.electionId }, w.staff.clerk, NOW)).rejects.toThrow(/simulated crash/);
		} finally {
			await sql`DROP TRIGGER test_crash ON correspondence_package`.execute(db);
			await sql`DROP FUNCTION test_crash_third_package()`.execute(db);
		}
		expect(await packagesOf(w.electionId, w.embassyId)).toEqual([]);
		expect(await db.selectFrom('package_batch').select('id').execute()).toEqual([]);
		expect(await db.selectFrom('office_counter').select('next_value').execute()).toEqual([]);
		expect(await db.selectFrom('audit_log').select('action').where('action', '!=', 'election.create').execute()).toEqual([]);
		expect(await requestStates(requests.map((r) => r.requestId))).toEqual(new Set(['accepted']));

		// After the crash, the same batch goes through whole, numbered from 1.
		expect(await issueAll(w)).toMatchObject({ count: 5, firstSlip: 1, lastSlip: 5 });
	});

	it('tells voters who collect at the embassy that their package is ready; voters by post hear at dispatch', async () => {
		const w = await world();
		await acceptedRequests(w, { count: 1, delivery: 'in-person', confirmedEmail: true });
		await acceptedRequests(w, { count: 1, delivery: 'post', confirmedEmail: true });
		await issueAll(w);
		const outbox = await db.selectFrom('email_outbox').select('subject').execute();
		// Issue 15: the subject names the election, then the state.
		expect(outbox.map((o) => o.subject.split(': ').at(-1))).toEqual([notificationSubject('package-ready')]);
	});

	it('is for embassy staff only, and only for elections with correspondence voting', async () => {
		const w = await world();
		await acceptedRequests(w, { count: 1 });
		expect(await issuePackages(db, { electionId: w.electionId }, w.staff.member, NOW)).toEqual({ kind: 'forbidden' });
		expect(await issuePackages(db, { electionId: 'not-a-uuid' }, w.staff.clerk, NOW)).toEqual({ kind: 'not-found' });
		const senate = await createElection(
			db,
			{ type: 'senate', announcedOn: '2026-10-01', rounds: [{ round: 1, firstDay: D }, { round: 2, firstDay: '2027-01-22' }] },
			{ kind: 'system' },
			NOW
		);
		if (!senate.ok) throw new Error('senate');
		expect(await issuePackages(db, { electionId: senate.id }, w.staff.clerk, NOW)).toEqual({ kind: 'correspondence-not-allowed' });
	});
});

describe('another embassy', () => {
	it("treats another embassy's requests, packages and batches exactly like unknown ids", async () => {
		const w = await world();
		const foreign = await acceptedRequests(w, { count: 2, officeId: w.otherEmbassyId });
		// Chosen by id, another embassy's requests are simply not there.
		expect(
			await issuePackages(db, { electionId: w.electionId, requestIds: foreign.map((r) => r.requestId) }, w.staff.clerk, NOW)
		).toEqual({ kind: 'nothing-to-issue' });
		const theirs = await issuePackages(db, { electionId: w.electionId }, w.otherStaff.clerk, NOW);
		if (theirs.kind !== 'issued') throw new Error('not issued');
		const [pkg] = await packagesOf(w.electionId, w.otherEmbassyId);

		expect(await getPackageDetail(db, { packageId: pkg!.id }, w.staff.clerk, NOW)).toEqual({ kind: 'not-found' });
		expect(await recordPackageHandOver(db, { packageId: pkg!.id, method: 'post' }, w.staff.clerk, NOW)).toEqual({ kind: 'not-found' });
		expect(await getPackagePdf(db, { packageId: pkg!.id }, w.staff.clerk)).toEqual({ kind: 'not-found' });
		expect(await getBatchStatus(db, { batchId: theirs.batchId }, w.staff.clerk, clockAt(NOW))).toEqual({ kind: 'not-found' });
		expect(await renderBatch(db, { batchId: theirs.batchId }, w.staff.clerk, clockAt(NOW))).toEqual({ kind: 'not-found' });
		expect(await getBatchPdf(db, { batchId: theirs.batchId }, w.staff.clerk)).toEqual({ kind: 'not-found' });
		const list = await listPackages(db, { electionId: w.electionId, filter: 'all', page: 1 }, w.staff.clerk);
		expect(list).toMatchObject({ kind: 'ok', total: 0 });
		const overview = await getPackageOverview(db, { electionId: w.electionId }, w.staff.clerk, NOW);
		expect(overview).toMatchObject({ kind: 'ok', counts: { acceptedWithoutPackage: 0, issued: 0 }, batches: [] });
		// Nothing of theirs changed.
		expect((await packagesOf(w.electionId, w.otherEmbassyId)).every((p) => p.dispatched_at === null)).toBe(true);
	});
});

describe('renderBatch: the batch PDF, rendered after issuing and again after a failure', () => {
	it('renders every package of the batch into one PDF with the progress counted up', async () => {
		const w = await world();
		await acceptedRequests(w, { count: 3 });
		const { batchId } = await issueAll(w);
		expect(await renderBatch(db, { batchId }, w.staff.clerk, clockAt(NOW))).toEqual({ kind: 'ready', batchId });
		const status = await getBatchStatus(db, { batchId }, w.staff.clerk, clockAt(NOW));
		expect(status).toMatchObject({ kind: 'ok', batch: { status: 'ready', total: 3, rendered: 3, firstSlip: 1, lastSlip: 3 } });
		const pdf = await getBatchPdf(db, { batchId }, w.staff.clerk);
		if (pdf.kind !== 'ok') throw new Error('no pdf');
		const text = await pdfText(pdf.pdf);
		expect(text.match(/Identifikační lístek/g)?.length).toBeGreaterThanOrEqual(3);
		expect(text).toContain('Prohlašuji, že jsem hlasoval(a) osobně.');
		// Already ready: a second renderer does not claim it.
		expect(await renderBatch(db, { batchId }, w.staff.clerk, clockAt(NOW))).toEqual({ kind: 'not-claimed', batchId });
	});

	it('a renderer that dies midway marks the batch failed; the packages stay issued and the next render succeeds', async () => {
		const w = await world();
		await acceptedRequests(w, { count: 12 });
		const { batchId } = await issueAll(w);
		const before = await packagesOf(w.electionId, w.embassyId);
		const dying: BatchRenderer = async (packages, options) => {
			for (let i = 1; i <= 7; i++) await options.onProgress?.(i);
			throw new Error('renderer died');
		};
		expect(await renderBatch(db, { batchId }, w.staff.clerk, clockAt(NOW), dying)).toMatchObject({ kind: 'failed', message: 'renderer died' });
		const failed = await db.selectFrom('package_batch').selectAll().where('id', '=', batchId).executeTakeFirstOrThrow();
		expect(failed).toMatchObject({ status: 'failed', rendered_count: 5, render_error: 'renderer died', render_attempts: 1 });
		expect(await getBatchPdf(db, { batchId }, w.staff.clerk)).toEqual({ kind: 'not-found' });
		expect(await packagesOf(w.electionId, w.embassyId)).toEqual(before);

		expect(await renderBatch(db, { batchId }, w.staff.clerk2, clockAt(NOW.add({ minutes: 1 })))).toEqual({ kind: 'ready', batchId });
		expect(await packagesOf(w.electionId, w.embassyId)).toEqual(before);
		const ready = await db.selectFrom('package_batch').selectAll().where('id', '=', batchId).executeTakeFirstOrThrow();
		expect(ready).toMatchObject({ status: 'ready', rendered_count: 12, render_attempts: 2, render_error: null });
	});

	it('a status poll starts rendering a pending batch in the background, once, and the PDF becomes ready', async () => {
		const w = await world();
		await acceptedRequests(w, { count: 2 });
		const { batchId } = await issueAll(w);
		expect(await getBatchStatus(db, { batchId }, w.staff.clerk, clockAt(NOW))).toMatchObject({ kind: 'ok', batch: { status: 'pending', rendered: 0, total: 2 } });
		// The poll started it; asking again joins the same render instead of starting another.
		const running = startBatchRendering(db, batchId, w.staff.clerk, clockAt(NOW));
		expect(startBatchRendering(db, batchId, w.staff.clerk2, clockAt(NOW))).toBe(running);
		expect(await running).toEqual({ kind: 'ready', batchId });
		expect(await getBatchStatus(db, { batchId }, w.staff.clerk, clockAt(NOW))).toMatchObject({ batch: { status: 'ready', rendered: 2 } });
		const renders = await db.selectFrom('audit_log').select('id').where('action', '=', 'package-batch.render').execute();
		expect(renders).toHaveLength(1);
	});

	it('takes over a batch whose renderer went silent (a crashed process), but not a live one', async () => {
		const w = await world();
		await acceptedRequests(w, { count: 1 });
		const { batchId } = await issueAll(w);
		await db
			.updateTable('package_batch')
			.set({ status: 'rendering', render_attempts: 1, render_heartbeat_at: new Date(NOW.epochMilliseconds) })
			.where('id', '=', batchId)
			.execute();
		expect(await renderBatch(db, { batchId }, w.staff.clerk, clockAt(NOW.add({ seconds: 30 })))).toEqual({ kind: 'not-claimed', batchId });
		expect(await renderBatch(db, { batchId }, w.staff.clerk, clockAt(NOW.add({ seconds: 61 })))).toEqual({ kind: 'ready', batchId });
	});
});

describe('recordPackageHandOver (§57b(1))', () => {
	async function issuedPackages(w: World, opts: Parameters<typeof acceptedRequests>[1]) {
		const requests = await acceptedRequests(w, opts);
		await issuePackages(
			db,
			{ electionId: w.electionId, requestIds: requests.map((r) => r.requestId) },
			w.staff.clerk,
			NOW
		);
		const packages = await db
			.selectFrom('correspondence_package')
			.select(['id', 'voter_id', 'request_id'])
			.where(
				'request_id',
				'in',
				requests.map((r) => r.requestId)
			)
			.orderBy('id_slip_number')
			.execute();
		return packages;
	}

	it('§57b(1) refuses dispatch by post from 16:00:00.000 Prague on D−25 and allows it at 15:59:59.999', async () => {
		const w = await world();
		const [a, b] = await issuedPackages(w, { count: 2, confirmedEmail: true });
		const onTime = await recordPackageHandOver(db, { packageId: a!.id, method: 'post' }, w.staff.clerk, DISPATCH_DEADLINE.subtract({ milliseconds: 1 }));
		expect(onTime).toMatchObject({ kind: 'dispatched', method: 'post' });
		const late = await recordPackageHandOver(db, { packageId: b!.id, method: 'post' }, w.staff.clerk, DISPATCH_DEADLINE);
		expect(late).toEqual({
			kind: 'refused',
			refusal: {
				code: 'deadline-passed',
				section: '§57b(1)',
				round: 1,
				deadline: { key: 'correspondence-dispatch', round: 1, at: '2026-12-21T16:00:00+01:00', section: '§57b(1)' }
			}
		});

		const dispatched = await db.selectFrom('correspondence_package').selectAll().where('id', '=', a!.id).executeTakeFirstOrThrow();
		expect(dispatched).toMatchObject({ dispatch_method: 'post', dispatched_by: w.staff.clerk.id, proxy_id: null });
		expect(await requestStates([a!.request_id])).toEqual(new Set(['completed']));
		expect(await requestStates([b!.request_id])).toEqual(new Set(['issued']));
		const subjects = (await db.selectFrom('email_outbox').select('subject').execute()).map((o) => o.subject);
		expect(subjects.map((s) => s.split(': ').at(-1))).toEqual([notificationSubject('package-sent')]);
		const audit = await db.selectFrom('audit_log').select(['action', 'entity_id', 'after']).where('action', '=', 'correspondence-package.dispatch').execute();
		expect(audit).toEqual([{ action: 'correspondence-package.dispatch', entity_id: a!.id, after: expect.objectContaining({ dispatchMethod: 'post', requestState: 'completed' }) }]);
	});

	it('issue 12: a dispatch batch by registered post judges D−25 per item, records the numbers; an undo the same day only, by the same embassy', async () => {
		const w = await world();
		const packages = await issuedPackages(w, { count: 3, confirmedEmail: true });
		const created = await createBatch(db, { action: 'dispatch-packages', electionId: w.electionId, requestIds: packages.map((p) => p.request_id) }, w.staff.clerk, NOW);
		if (created.kind !== 'created') throw new Error(JSON.stringify(created));
		const numbers = [1, 2, 3].map((n) => consignmentNumber('RR', 55_000_000 + n, 'DE'));
		expect(
			await setBatchNumbers(db, { batchId: created.batchId, numbers: Object.fromEntries(packages.map((p, i) => [p.request_id, numbers[i]!])) }, w.staff.clerk)
		).toEqual({ kind: 'saved', errors: {} });
		// Another embassy's clerk cannot run it; the clock passes D−25 16:00 after the second item.
		expect(await runBatch(db, { batchId: created.batchId }, w.otherStaff.clerk, clockAt(NOW))).toEqual({ kind: 'not-found' });
		let at = DISPATCH_DEADLINE.subtract({ minutes: 1 });
		const ran = await runBatch(db, { batchId: created.batchId }, w.staff.clerk, () => at, {
			// One item after the other, so that the third is judged after the clock passed D−25.
			concurrency: 1,
			onItem: (position) => {
				if (position === 2) at = DISPATCH_DEADLINE;
			}
		});
		expect(ran).toEqual({ kind: 'ran', done: 2, skipped: 1, pending: 0 });
		const items = await db.selectFrom('office_batch_item').selectAll().where('batch_id', '=', created.batchId).orderBy('position').execute();
		expect(items[2]).toMatchObject({ outcome: 'skipped', reason: 'rule', detail: { refusal: { code: 'deadline-passed', section: '§57b(1)' } } });
		expect((await db.selectFrom('consignment').select('number').orderBy('number').execute()).map((c) => c.number)).toEqual(numbers.slice(0, 2));
		const mail = await db.selectFrom('email_outbox').select('body').where('voter_id', '=', packages[0]!.voter_id).execute();
		expect(mail.at(-1)!.body).toContain(numbers[0]);

		const undoAt = DISPATCH_DEADLINE.add({ minutes: 30 });
		expect(await undoPackageDispatch(db, { packageId: packages[0]!.id, reason: 'Omyl' }, w.otherStaff.clerk, undoAt)).toEqual({ kind: 'not-found' });
		expect(await undoPackageDispatch(db, { packageId: packages[0]!.id, reason: 'Omyl' }, w.staff.clerk, DISPATCH_DEADLINE.add({ hours: 24 }))).toEqual({ kind: 'undo-too-late' });
		expect(await undoPackageDispatch(db, { packageId: packages[0]!.id, reason: 'Omyl' }, w.staff.clerk, undoAt)).toMatchObject({ kind: 'done' });
		expect(await requestStates([packages[0]!.request_id])).toEqual(new Set(['issued']));
		expect(await db.selectFrom('consignment').select('number').where('request_id', '=', packages[0]!.request_id).executeTakeFirst()).toBeUndefined();
		expect(await undoPackageDispatch(db, { packageId: packages[2]!.id, reason: 'Omyl' }, w.staff.clerk, undoAt)).toEqual({ kind: 'not-dispatched' });
	});

	it('a request made in person at the embassy may still be handed over after D−25 (§57a(3))', async () => {
		const w = await world();
		const [pkg] = await issuedPackages(w, { count: 1, channel: 'in-person', delivery: 'in-person' });
		expect(await recordPackageHandOver(db, { packageId: pkg!.id, method: 'in-person' }, w.staff.clerk, DISPATCH_DEADLINE)).toMatchObject({
			kind: 'dispatched',
			method: 'in-person'
		});
	});

	it('keeps to the way the request chose: no mailing of a package to be collected, and vice versa (§57a(4))', async () => {
		const w = await world();
		const [collect] = await issuedPackages(w, { count: 1, delivery: 'in-person' });
		const [post] = await issuedPackages(w, { count: 1, delivery: 'post' });
		expect(await recordPackageHandOver(db, { packageId: collect!.id, method: 'post' }, w.staff.clerk, NOW)).toEqual({
			kind: 'wrong-method',
			delivery: 'in-person'
		});
		expect(await recordPackageHandOver(db, { packageId: post!.id, method: 'in-person' }, w.staff.clerk, NOW)).toEqual({
			kind: 'wrong-method',
			delivery: 'post'
		});
	});

	it('issue 12: a dispatch batch sends by post only, so a package to be collected (in person or by a proxy, whose 7 voters §57b(1) counts) is skipped in it by name', async () => {
		const w = await world();
		const [collect] = await issuedPackages(w, { count: 1, delivery: 'in-person' });
		const [post] = await issuedPackages(w, { count: 1, delivery: 'post' });
		const created = await createBatch(db, { action: 'dispatch-packages', electionId: w.electionId, requestIds: [collect!.request_id, post!.request_id] }, w.staff.clerk, NOW);
		if (created.kind !== 'created') throw new Error(JSON.stringify(created));
		const numbers = [consignmentNumber('RR', 56_000_001, 'DE'), consignmentNumber('RR', 56_000_002, 'DE')];
		await setBatchNumbers(db, { batchId: created.batchId, numbers: { [collect!.request_id]: numbers[0]!, [post!.request_id]: numbers[1]! } }, w.staff.clerk);
		expect(await runBatch(db, { batchId: created.batchId }, w.staff.clerk, clockAt(NOW))).toEqual({ kind: 'ran', done: 1, skipped: 1, pending: 0 });
		const items = await db.selectFrom('office_batch_item').selectAll().where('batch_id', '=', created.batchId).orderBy('position').execute();
		expect(items.map((i) => [i.outcome, i.reason])).toEqual([
			['skipped', 'wrong-method'],
			['done', null]
		]);
		const kept = await db.selectFrom('correspondence_package').selectAll().where('id', '=', collect!.id).executeTakeFirstOrThrow();
		expect(kept).toMatchObject({ dispatch_method: null, dispatched_at: null, proxy_id: null });
		expect((await db.selectFrom('consignment').select('number').execute()).map((c) => c.number)).toEqual([numbers[1]]);
	});

	it('two clerks recording the same package at the same moment: one succeeds, the other is told it already left', async () => {
		const w = await world();
		const [pkg] = await issuedPackages(w, { count: 1 });
		const results = await Promise.all([
			recordPackageHandOver(db, { packageId: pkg!.id, method: 'post' }, w.staff.clerk, NOW),
			recordPackageHandOver(db, { packageId: pkg!.id, method: 'post' }, w.staff.clerk2, NOW)
		]);
		expect(results.map((r) => r.kind).sort()).toEqual(['already-dispatched', 'dispatched']);
		expect(await db.selectFrom('audit_log').select('id').where('action', '=', 'correspondence-package.dispatch').execute()).toHaveLength(1);
	});

	it('§57b(1) a proxy collects for at most 7 voters: the 8th is refused naming the limit', async () => {
		const w = await world({ type: 'president' });
		const packages = await issuedPackages(w, { count: 8, delivery: 'proxy' });
		const proxy = { fullName: 'Jan Zmocněnec', birthDate: '1970-05-01', identityDocument: 'OP 123456789' };
		for (const pkg of packages.slice(0, 7)) {
			// The same person, however the clerk types the name's case and spaces.
			const typed = { ...proxy, fullName: pkg === packages[3] ? '  jan   ZMOCNĚNEC ' : proxy.fullName };
			expect(await recordPackageHandOver(db, { packageId: pkg.id, method: 'proxy', proxy: typed }, w.staff.clerk, NOW)).toMatchObject({
				kind: 'dispatched',
				method: 'proxy'
			});
		}
		const eighth = await recordPackageHandOver(db, { packageId: packages[7]!.id, method: 'proxy', proxy }, w.staff.clerk, NOW);
		expect(eighth).toEqual({ kind: 'refused', refusal: { code: 'proxy-limit', section: '§57b(1)' } });
		expect(await db.selectFrom('proxy').select('id').execute()).toHaveLength(1);

		// The same voter's round-2 package counts as the same voter, not an 8th.
		const voterRound2 = await db
			.insertInto('request')
			.values({
				reference: newReference('correspondence-package'),
				kind: 'correspondence-package',
				voter_id: packages[0]!.voter_id,
				election_id: w.electionId,
				round: 2,
				office_id: w.embassyId,
				channel: 'portal',
				delivery: 'proxy',
				state: 'accepted',
				received_at: new Date('2026-11-20T09:00:00Z')
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await issuePackages(db, { electionId: w.electionId, requestIds: [voterRound2.id] }, w.staff.clerk, NOW);
		const pkg2 = await db.selectFrom('correspondence_package').select('id').where('request_id', '=', voterRound2.id).executeTakeFirstOrThrow();
		expect(await recordPackageHandOver(db, { packageId: pkg2.id, method: 'proxy', proxy }, w.staff.clerk, NOW)).toMatchObject({ kind: 'dispatched' });

		// Another person may collect the 8th voter's package.
		expect(
			await recordPackageHandOver(
				db,
				{ packageId: packages[7]!.id, method: 'proxy', proxy: { fullName: 'Marie Jiná', birthDate: '1980-01-01' } },
				w.staff.clerk,
				NOW
			)
		).toMatchObject({ kind: 'dispatched' });
	});

	it('§57b(1) eight hand-overs to one proxy at the same moment: exactly seven go through', async () => {
		const w = await world();
		const packages = await issuedPackages(w, { count: 8, delivery: 'proxy' });
		const proxy = { fullName: 'Petr Rychlý', birthDate: '1975-03-03' };
		const results = await Promise.all(
			packages.map((pkg) => recordPackageHandOver(db, { packageId: pkg.id, method: 'proxy', proxy }, w.staff.clerk, NOW))
		);
		expect(results.filter((r) => r.kind === 'dispatched')).toHaveLength(7);
		expect(results.filter((r) => r.kind === 'refused')).toEqual([{ kind: 'refused', refusal: { code: 'proxy-limit', section: '§57b(1)' } }]);
	});

	it('asks for the proxy’s name and date of birth', async () => {
		const w = await world();
		const [pkg] = await issuedPackages(w, { count: 1, delivery: 'proxy' });
		expect(
			await recordPackageHandOver(db, { packageId: pkg!.id, method: 'proxy', proxy: { fullName: ' ', birthDate: '1970-01-01' } }, w.staff.clerk, NOW)
		).toEqual({ kind: 'invalid-proxy' });
		expect(
			await recordPackageHandOver(db, { packageId: pkg!.id, method: 'proxy', proxy: { fullName: 'Jan', birthDate: '1970-02-30' } }, w.staff.clerk, NOW)
		).toEqual({ kind: 'invalid-proxy' });
	});
});

describe('getPackageDetail and getPackagePdf', () => {
	it('warns from D−28 and reprints one package with its envelope code', async () => {
		const w = await world();
		await acceptedRequests(w, { count: 1 });
		await issueAll(w);
		const [pkg] = await packagesOf(w.electionId, w.embassyId);
		expect(await getPackageDetail(db, { packageId: pkg!.id }, w.staff.clerk, NOW)).toMatchObject({
			kind: 'ok',
			dispatch: { ok: true, warning: 'none' }
		});
		// D−28 = Friday 18 December 2026, from 00:00 Prague.
		expect(
			await getPackageDetail(db, { packageId: pkg!.id }, w.staff.clerk, Temporal.Instant.from('2026-12-18T00:00:00+01:00'))
		).toMatchObject({ dispatch: { ok: true, warning: 'due-soon' } });
		expect(await getPackageDetail(db, { packageId: pkg!.id }, w.staff.clerk, DISPATCH_DEADLINE)).toMatchObject({
			dispatch: { ok: false, refusal: { code: 'deadline-passed' } }
		});
		const pdf = await getPackagePdf(db, { packageId: pkg!.id }, w.staff.head);
		if (pdf.kind !== 'ok') throw new Error('no pdf');
		const text = await pdfText(pdf.pdf);
		expect(text).toContain(pkg!.envelope_code.slice(0, 4));
		// §57b(3): the address abroad the voter list holds, before the request's mailing address.
		expect(text).toContain('Adresa v zahraničí 0 Fixture Street, 10001 New York, Spojené státy americké');
	});

	it('prints the instructions sheet in the language the voter filed in (request.locale)', async () => {
		const w = await world();
		await acceptedRequests(w, { count: 1, locale: 'en' });
		await acceptedRequests(w, { count: 1 });
		await issueAll(w);
		const [first, second] = await packagesOf(w.electionId, w.embassyId);
		const texts: string[] = [];
		for (const pkg of [first!, second!]) {
			const pdf = await getPackagePdf(db, { packageId: pkg.id }, w.staff.clerk);
			if (pdf.kind !== 'ok') throw new Error('no pdf');
			texts.push(await pdfText(pdf.pdf));
		}
		const english = texts.filter((t) => t.includes('How to vote by correspondence'));
		const czech = texts.filter((t) => t.includes('Jak hlasovat korespondenčně'));
		expect(english).toHaveLength(1);
		expect(czech).toHaveLength(1);
		// The ID slip is the embassy's and the commission's: Czech in both.
		expect(english[0]).toContain('Identifikační lístek');
		expect(english[0]).not.toContain('Jak hlasovat korespondenčně');
		expect(czech[0]).not.toContain('How to vote by correspondence');
	});
});
