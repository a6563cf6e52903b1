/**
 * npm run voters:import -- FILE.csv [--as USERNAME]: imports a voter list file with the same
 * service as the administrators' page (src/lib/server/services/voter-import.ts): all or
 * nothing, every error reported with its line. The file stays where it is. With --as, the
 * import is recorded as that administrator's; without, as the system's (the operator).
 *
 * Prints the time taken, rows per second and the peak resident memory. Exit 0 when the file
 * was imported, 1 when it was refused or failed, 2 on wrong usage.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { clock } from '../src/lib/server/clock';
import { findActiveStaffByUsername } from '../src/lib/server/db/queries/voter-imports';
import type { VoterImportPhase } from '../src/lib/server/db/schema';
import { createVoterImport, runVoterImport, type ImportActor } from '../src/lib/server/services/voter-import';
import { openCliDatabase, progressBar, run, UsageError } from './cli';

const USAGE = 'Usage: npm run voters:import -- FILE.csv [--as USERNAME]';

run(async () => {
	const args = process.argv.slice(2);
	const asIndex = args.indexOf('--as');
	const username = asIndex >= 0 ? args[asIndex + 1] : undefined;
	const files = args.filter((a, i) => !a.startsWith('--') && (asIndex < 0 || i !== asIndex + 1));
	if (files.length !== 1 || (asIndex >= 0 && !username)) throw new UsageError(USAGE);
	const file = path.resolve(files[0]!);
	const size = await stat(file).then(
		(s) => s.size,
		() => {
			throw new UsageError(`No such file: ${file}\n${USAGE}`);
		}
	);

	let peakRss = process.memoryUsage().rss;
	const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
	const { db, close } = await openCliDatabase();
	try {
		let actor: ImportActor = { kind: 'system' };
		if (username) {
			const staff = await findActiveStaffByUsername(db, username);
			if (!staff || staff.role !== 'administrator') throw new UsageError(`${username} is not an active administrator.`);
			actor = { kind: 'staff', id: staff.id, officeId: staff.office_id, role: staff.role };
		}
		const created = await createVoterImport(db, { fileName: path.basename(file), filePath: file, fileSize: size, ownsFile: false }, actor, clock().now());
		if (created.kind !== 'ok') throw new UsageError('Only an administrator may import the voter list.');

		const bars: Partial<Record<VoterImportPhase, (done: number, total: number) => void>> = {};
		const labels: Record<VoterImportPhase, string> = { reading: 'reading  ', checking: 'checking ', importing: 'importing' };
		const started = performance.now();
		const result = await runVoterImport(db, { importId: created.id }, actor, () => clock().now(), {
			onProgress: (phase, done, total) => (bars[phase] ??= progressBar(labels[phase]))(done, total)
		});
		const seconds = (performance.now() - started) / 1000;
		peakRss = Math.max(peakRss, process.memoryUsage().rss);
		const figures = (rows: number) =>
			`${rows} rows in ${seconds.toFixed(1)} s (${Math.round(rows / seconds)} rows/s), peak RSS ${Math.round(peakRss / 1024 / 1024)} MB`;

		switch (result.kind) {
			case 'done':
				console.log(`imported: ${result.added} voters added, ${result.existing} already on the list; ${figures(result.rowCount)} (import ${result.importId})`);
				break;
			case 'rejected':
				console.error(`refused, nothing imported: ${result.errorCount} errors in ${result.rowCount} rows (${figures(result.rowCount)})`);
				for (const e of result.errors) {
					console.error(`  line ${e.line}${e.field ? `, ${e.field}` : ''}: ${e.code}${e.otherLine ? ` (as line ${e.otherLine})` : ''}`);
				}
				if (result.errorCount > result.errors.length) console.error(`  … and ${result.errorCount - result.errors.length} more`);
				process.exitCode = 1;
				break;
			case 'failed':
				console.error(`failed, nothing imported: ${result.message}`);
				process.exitCode = 1;
				break;
			default:
				console.error(`not run: ${result.kind}`);
				process.exitCode = 1;
		}
	} finally {
		clearInterval(sampler);
		await close();
	}
});
