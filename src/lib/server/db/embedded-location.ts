/**
 * Where the embedded PostgreSQL's binaries and data live when the portal runs as root.
 *
 * PostgreSQL refuses to run as root, so as root it runs as the `postgres` user, who must be
 * able to pass through every directory on the way to its binaries and its data. A checkout
 * in a private directory (/root is mode 700) is out of its reach: then the binaries are
 * copied once into a cache directory it can reach, and the data lives under
 * /var/lib/volebni-portal/<key of the checkout's data directory>. The same rule picks both:
 * the first candidate every parent of which the `postgres` user may traverse.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';

export interface Account {
	uid: number;
	gid: number;
}

export interface FileOwner {
	mode: number;
	uid: number;
	gid: number;
}

/** stat() of a path, undefined when it does not exist. */
export type StatOf = (file: string) => FileOwner | undefined;

/** Root of the data directories of checkouts the `postgres` user cannot reach. */
export const SHARED_DATA_ROOT = '/var/lib/volebni-portal';
/** Last resort for the copied binaries, world-traversable on every Linux system. */
export const SHARED_CACHE_ROOT = '/var/cache/volebni-portal';

function mayTraverse(owner: FileOwner, account: Account): boolean {
	if (account.uid === 0) return true;
	if (owner.uid === account.uid) return (owner.mode & 0o100) !== 0;
	if (owner.gid === account.gid) return (owner.mode & 0o010) !== 0;
	return (owner.mode & 0o001) !== 0;
}

/**
 * True when `account` may pass through `dir` and every directory above it. Directories that
 * do not exist yet count as passable: the portal creates them with mode 755.
 */
export function traversable(dir: string, account: Account, statOf: StatOf): boolean {
	let current = path.resolve(dir);
	const chain: string[] = [];
	for (;;) {
		chain.unshift(current);
		const parent = path.dirname(current);
		if (parent === current) break;
		current = parent;
	}
	for (const step of chain) {
		const owner = statOf(step);
		if (!owner) return true;
		if (!mayTraverse(owner, account)) return false;
	}
	return true;
}

/** A short stable key of a checkout's data directory: two checkouts never share a cluster. */
export function checkoutKey(preferredDataDir: string): string {
	return createHash('sha256').update(path.resolve(preferredDataDir)).digest('hex').slice(0, 16);
}

/** Where the cluster of `preferredDataDir` lives when the `postgres` user cannot reach it. */
export function sharedDataDir(preferredDataDir: string): string {
	return path.join(SHARED_DATA_ROOT, checkoutKey(preferredDataDir), 'postgres');
}

export interface DataDirChoice {
	dir: string;
	/** Why it is not the configured DATA_DIR/postgres (undefined: it is). */
	reason?: string;
}

/**
 * The data directory of the embedded cluster. Not root (`account` undefined): the configured
 * one. As root: an existing cluster is kept wherever it is (never replaced by an empty one);
 * a new one goes to the configured place if the `postgres` user can reach it, else under
 * SHARED_DATA_ROOT.
 */
export function chooseDataDir(
	preferred: string,
	account: Account | undefined,
	statOf: StatOf,
	hasCluster: (dir: string) => boolean
): DataDirChoice {
	const dir = path.resolve(preferred);
	if (!account || hasCluster(dir)) return { dir };
	const shared = sharedDataDir(dir);
	const reason = `the postgres user cannot reach ${dir}`;
	if (hasCluster(shared)) return { dir: shared, reason };
	if (traversable(path.dirname(dir), account, statOf)) return { dir };
	return { dir: shared, reason };
}

/** Cache roots for the copied binaries, in order: the same as scripts/with-node24.sh's, then SHARED_CACHE_ROOT. */
export function cacheRoots(env: Record<string, string | undefined>, home: string): string[] {
	const own = env.VOLEBNI_PORTAL_CACHE || path.join(env.XDG_CACHE_HOME || path.join(home, '.cache'), 'volebni-portal');
	return [...new Set([path.resolve(own), SHARED_CACHE_ROOT])];
}

/**
 * The directory (with bin/, lib/, share/) the binaries run from: the installed one when the
 * `postgres` user can reach it (or when not root), else `<first reachable cache root>/<name>`.
 */
export function chooseBinariesDir(
	installed: string,
	name: string,
	roots: readonly string[],
	account: Account | undefined,
	statOf: StatOf
): string | undefined {
	if (!account || traversable(path.join(installed, 'bin'), account, statOf)) return installed;
	const root = roots.find((r) => traversable(r, account, statOf));
	return root === undefined ? undefined : path.join(root, name);
}
