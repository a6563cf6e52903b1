/**
 * npm run audit:verify: recomputes the audit log's hash chain and names the first entry
 * that does not fit. Exit 0 when the chain is intact, 1 when it is broken.
 */
import { sealAuditLog, verifyAuditChain } from '../src/lib/server/audit-chain';
import { openCliDatabase, run } from './cli';

run(async () => {
	const { db, close } = await openCliDatabase();
	try {
		// Seal what has settled first, so the report covers everything written so far.
		while ((await sealAuditLog(db)) > 0) {
			/* drain */
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
