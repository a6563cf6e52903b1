/**
 * The alternative channel (issue 17): every new snapshot of the results feed is also written
 * as static files — the JSON, CSV and XML exactly as the API serves them, and a manifest.json
 * with the sequence, the time and the SHA-256 of each file — under OPEN_DATA_MIRROR_DIR:
 *
 *   <dir>/<election id>/vysledky_zahranici.{json,csv,xml}, manifest.json      (real elections)
 *   <dir>/test/<election id>/…                                               (the test feed)
 *
 * Any static web server or object store can serve the directory (README: an S3 sync command),
 * so that media can fall back to it when the portal cannot be reached. Each file is written to
 * a temporary name and renamed, and the manifest last, so a reader never sees half a file and
 * a manifest never names files that are not there yet.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { config } from '../config';
import { log } from '../log';
import type { OpenDataFeedKind } from './open-data';
import { MANIFEST_FILE, RESULT_FILES, type ResultFileFormat, type ResultsSnapshot } from './results-feed';

export function mirrorDirectory(root: string, kind: OpenDataFeedKind, electionId: string): string {
	return kind === 'test' ? path.join(root, 'test', electionId) : path.join(root, electionId);
}

async function writeAtomically(file: string, body: string): Promise<void> {
	const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
	await writeFile(tmp, body, 'utf8');
	await rename(tmp, file);
}

/** Writes one snapshot; resolves when every file is in place. */
export async function writeResultsMirror(root: string, kind: OpenDataFeedKind, snapshot: ResultsSnapshot): Promise<string> {
	const dir = mirrorDirectory(root, kind, snapshot.electionId);
	await mkdir(dir, { recursive: true });
	for (const format of Object.keys(RESULT_FILES) as ResultFileFormat[]) {
		await writeAtomically(path.join(dir, RESULT_FILES[format]), snapshot.files[format].body);
	}
	await writeAtomically(path.join(dir, MANIFEST_FILE), snapshot.manifest.body);
	return dir;
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * The feed's onSnapshot when OPEN_DATA_MIRROR_DIR is set: writes in the background, one
 * snapshot after the other, so that an older snapshot never overwrites a newer one. A failure
 * is logged and never reaches the API's clients.
 */
export function mirrorSnapshot(snapshot: ResultsSnapshot, kind: OpenDataFeedKind, root = config().OPEN_DATA_MIRROR_DIR): Promise<unknown> {
	if (!root) return Promise.resolve();
	queue = queue
		.then(() => writeResultsMirror(root, kind, snapshot))
		.catch((error: unknown) => log.error({ err: String(error), electionId: snapshot.electionId }, 'results mirror: writing the snapshot failed'));
	return queue;
}
