/**
 * Issue 14: every rule that asks "what time is it" for one election asks that election's
 * clock (clock.ts clockFor / electionNow). Routes read the portal's clock once per request
 * and pass it as `now`; a service that takes `now` and decides about an election must turn
 * it into the election's instant first. This test fails when a service reads the clock
 * itself, or takes `now` without asking the election's clock and is not listed below with
 * the reason why the portal's time is the right one.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const DIR = new URL('.', import.meta.url).pathname;

/** Service functions that take the portal's `now` on purpose, each with its reason. */
const PORTAL_TIME: Record<string, string> = {
	// administration of offices, staff and elections: the portal's own time, no election rule
	'admin-offices.ts#*': 'offices are not election-specific',
	'document-job.ts#*': "a document job's heartbeat is machine time (a render stalled for 60 s), not a rule of an election",
	'admin-staff.ts#*': 'staff accounts are not election-specific',
	'voter-import.ts#*': 'the voter list is not election-specific',
	'voter-email.ts#*': 'a voter e-mail address is not election-specific',
	'retention.ts#*': 'retention counts real days since results were declared (§22(6)); rehearsals are deleted, not retained',
	'admin-elections.ts#*': 'administration writes; a rehearsal clock is moved in rehearsals.ts',
	'rehearsals.ts#*': 'moves the rehearsal clocks themselves, from the portal time',
	'open-data.ts#*': 'open data never includes a rehearsal except in the test feed, which states when it was generated',
	'registrations.ts#removeFromSpecialDistrict': 'a removal from the special district list is permanent and not election-specific (§56(4))',
	'requests.ts#cancelRequest': '§56(3) cancellation has no deadline',
	'voter-cards.ts#invalidateVoterCard': '§23(3) a loss is recorded whenever reported',
	'envelopes.ts#undoLastScan': 'undo takes back the last scan whatever the time',
	'scan-station.ts#recordStationScan': 'logs the receipt on the portal clock; recordEnvelopeScan asks the election clock for the package',
	'scan-station.ts#stationCountersToday': 'counts the day’s scans in real time; decides nothing',
	'calendar.ts#deadlineStatus': 'pure: the caller passes the election instant',
	'dashboard.ts#loadDashboard': 'statistics are of real elections only (listElections excludes rehearsals)',
	'elections.ts#*': 'creation and editing of real elections (rehearsals have the portal time moved by their own offset in rehearsals.ts)',
	'media.ts#setMediaRegistrationDeadline': 'the time of the audit entry only; the deadline typed is compared with the first day of voting, not with now',
	'requests.ts#findFirstElectionForRegistration': 'asks each election its clock in the loop (electionNow(row, now))',
	'requests.ts#recordFiling': 'gets the election instant from its callers (submit*Request)',
	'requests.ts#fileInOneStatement': 'gets the election instant from submitVoterCardRequest',
	'envelopes.ts#confirmHandoverAsHead': 'delegates to confirm(), which asks the election clock',
	'envelopes.ts#confirmHandoverAsChair': 'delegates to confirm(), which asks the election clock',
	'notifications.ts#queueTestEmail': 'a test e-mail of the administrator is not election-specific',
	'notifications.ts#queueConfirmationEmail': 'the e-mail confirmation limits count real mails in real time (issue 19)',
	'notifications.ts#confirmationRetryAt': 'the e-mail confirmation limits count real mails in real time (issue 19)',
	'corrections.ts#*': 'a correction of the voter list belongs to no election (§23(5)): the portal time, like registrations',
	'request-calendar.ts#*': 'read-only: the request page passes the time of the export (DTSTAMP); deadlines come from the election',
	'district-results.ts#resultEntryView': 'gets the election instant from districtContext (electionNow)',
	'district-results.ts#saveResultEntry': 'gets the election instant from districtContext (electionNow)',
	'district-results.ts#closeResult': 'gets the election instant from districtContext (electionNow); the signature code is checked in real time',
	'district-results.ts#importCandidateLists': 'administration of an election’s candidate lists decides nothing by time',
	'consignments.ts#addConsignmentRange': 'a postal number range of an office is not election-specific (issue 12)',
	'packages.ts#issuePackagesIn': 'gets the election instant from issuePackages (electionNow), which retries it after a unique-key race',
	'media.ts#revokeMediaRegistration': 'a revocation only takes access away, at any time; recorded on the portal time',
	'media.ts#rotateMediaToken': 'a new token gives the same access, at any time; recorded on the portal time',
	'packages.ts#recordPackageHandOverOfRequest': 'delegates to recordPackageHandOver, which asks the election clock'
};

/** Direct reads of a clock that are not "what time is it" for a rule, each with its reason. */
const CLOCK_READS: Record<string, string> = {
	'voter-import.ts: /\\bDate\\.now\\(\\)/': 'throttles progress writes by elapsed time; decides nothing'
};

interface ServiceFunction {
	file: string;
	name: string;
	body: string;
}

function serviceFiles(): string[] {
	return readdirSync(DIR).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.includes('fixtures'));
}

/** Top-level functions of a file: from `function name(` to the next top-level declaration. */
function functionsOf(file: string): ServiceFunction[] {
	const text = readFileSync(join(DIR, file), 'utf8');
	const starts = [...text.matchAll(/^(?:export )?(?:async )?function (\w+)/gm)];
	return starts.map((m, i) => {
		const end = text.slice(m.index! + 1).search(/\n(?:export |function |async function |const |class |type |interface )/);
		return { file, name: m[1]!, body: end < 0 ? text.slice(m.index!) : text.slice(m.index!, m.index! + 1 + end) };
	});
}

function allowed(fn: ServiceFunction): boolean {
	return `${fn.file}#${fn.name}` in PORTAL_TIME || `${fn.file}#*` in PORTAL_TIME;
}

describe('services ask the election clock', () => {
	it('no service reads a clock of its own', () => {
		const offenders: string[] = [];
		for (const file of serviceFiles()) {
			const text = readFileSync(join(DIR, file), 'utf8')
				.replace(/\/\*[\s\S]*?\*\//g, '')
				.replace(/\/\/.*$/gm, '');
			for (const pattern of [/\bclock\(\)/, /\bDate\.now\(\)/, /new Date\(\)/, /Temporal\.Now\b/, /\bsystemClock\b/]) {
				if (pattern.test(text)) offenders.push(`${file}: ${pattern}`);
			}
		}
		expect(offenders.filter((o) => !(o in CLOCK_READS))).toEqual([]);
	});

	it('every service that takes the portal time for an election asks the election clock, or says why not', () => {
		const offenders = serviceFiles()
			.flatMap(functionsOf)
			.filter((fn) => /\bnow: Temporal\.Instant\b/.test(fn.body.slice(0, fn.body.search(/\)(?::[^\n]*)? \{\n/) + 1)))
			.filter((fn) => !/\belectionNow(?:ById)?\(/.test(fn.body))
			.filter((fn) => !allowed(fn))
			.map((fn) => `${fn.file}#${fn.name}`);
		expect(offenders).toEqual([]);
	});

	it('finds the functions it checks (the scan itself works)', () => {
		const names = serviceFiles().flatMap(functionsOf).map((fn) => fn.name);
		expect(names).toEqual(expect.arrayContaining(['recordEnvelopeScan', 'openBallotBox', 'issueVoterCard', 'submitVoterCardRequest']));
	});
});
