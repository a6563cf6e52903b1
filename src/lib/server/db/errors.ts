/**
 * Errors that mean the database cannot be reached right now (restart, network), not a bug.
 * "not queryable" is what pg says when a transaction's ROLLBACK follows a connection that
 * died under it (npm run bench, faults.db.test.ts).
 */
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08006']);

export function isDatabaseUnavailable(error: unknown): boolean {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && current; depth++) {
		if (typeof current === 'object' && current !== null) {
			const code = (current as { code?: unknown }).code;
			if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
			const message = (current as { message?: unknown }).message;
			if (typeof message === 'string' && /Connection terminated|timeout exceeded when trying to connect|the database system is (starting up|shutting down|in recovery mode)|encountered a connection error and is not queryable/i.test(message)) return true;
			current = (current as { cause?: unknown }).cause;
		} else break;
	}
	return false;
}

/** Postgres unique_violation (23505), e.g. a second live request for the same round. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
	const e = error as { code?: string; constraint?: string } | null;
	return !!e && e.code === '23505' && (!constraint || e.constraint === constraint);
}

/**
 * PostgreSQL refusing a value the client sent: text with a NUL character or invalid UTF-8,
 * a string too long for its column or for an index, a malformed number, date or uuid.
 * Hostile input that got past a form's checks is then a 400, not a 500 (tests/e2e/fuzz.spec.ts).
 */
const UNSTORABLE_INPUT_CODES = new Set(['22001', '22003', '22007', '22008', '22021', '22P02', '22P05', '54000']);

export function isUnstorableInput(error: unknown): boolean {
	const code = (error as { code?: unknown } | null)?.code;
	return typeof code === 'string' && UNSTORABLE_INPUT_CODES.has(code);
}
