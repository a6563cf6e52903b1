/**
 * npm run audit:verify: recomputes the audit log's hash chain and names the first entry
 * that does not fit. Exit 0 when the chain is intact, 1 when it is broken.
 *
 * `npm run audit:verify -- --against <position>:<hash>` (issue 17): also proves that the log
 * still contains the head published in a results feed snapshot (its `auditHead`), unchanged
 * and with everything before it. Exit 1 when it does not, 2 when the head is malformed.
 */
import { parseAuditHead, sealAuditLog, verifyAuditChain, verifyAuditHead } from '../src/lib/server/audit-chain';
import { openCliDatabase, run } from './cli';

function againstArgument(argv: readonly string[]): string | null {
	const i = argv.indexOf('--against');
	if (i >= 0) return argv[i + 1] ?? '';
	const inline = argv.find((a) => a.startsWith('--against='));
	return inline ? inline.slice('--against='.length) : null;
}

run(async () => {
	const against = againstArgument(process.argv.slice(2));
	const head = against === null ? null : parseAuditHead(against);
	if (against !== null && !head) {
		console.error('--against expects <position>:<sha256 hex>, as published in the feed (auditHead)');
		process.exitCode = 2;
		return;
	}
	const { db, close } = await openCliDatabase();
	try {
		// Seal what has settled first, so the report covers everything written so far.
		while ((await sealAuditLog(db)) > 0) {
			/* drain */
		}
		if (head) {
			const verdict = await verifyAuditHead(db, head);
			if (verdict.ok) console.log(`audit head ${head.position}:${head.hash} found unchanged; chain intact (${verdict.sealed} entries sealed)`);
			else {
				console.error(`audit head ${head.position}:${head.hash} NOT verified: ${verdict.reason}${verdict.brokenAt ? ` at entry ${verdict.brokenAt}` : ''}`);
				process.exitCode = 1;
			}
			return;
		}
		const verdict = await verifyAuditChain(db);
		if (verdict.ok) {
			console.log(`audit chain intact: ${verdict.sealed} entries sealed, ${verdict.unsealed} not yet sealed`);
		} else {
			console.error(`audit chain BROKEN at entry ${verdict.brokenAt} (${verdict.reason}); ${verdict.sealed} entries before it are intact`);
			process.exitCode = 1;
		}
	} finally {
		await close();
	}
});
