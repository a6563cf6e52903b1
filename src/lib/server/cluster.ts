/**
 * Which part of a multi-process portal this process plays (issue 16; scripts/serve.mjs sets
 * PORTAL_ROLE when it forks):
 *
 * - 'single': `npm start` with one process: everything, as always.
 * - 'primary': the cluster's primary under `--processes N`: the embedded PostgreSQL, the
 *   migrations, the development eID, the mail catcher, the job queue and the audit sealer,
 *   once for all; it holds the public port and hands connections to the workers; it serves
 *   the metrics of all of them.
 * - 'worker': serves requests only, on the primary's database.
 */
export type PortalRole = 'single' | 'primary' | 'worker';

export function portalRole(env: Record<string, string | undefined> = process.env): PortalRole {
	const role = env.PORTAL_ROLE;
	return role === 'primary' || role === 'worker' ? role : 'single';
}
