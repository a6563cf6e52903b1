#!/usr/bin/env bash
# npm start: build the portal when the sources are newer than the build, then serve it.
# With DATABASE_URL unset the portal starts its embedded PostgreSQL and seeds demo data.
# It checks its ports before anything starts; a failed start ends with one sentence and the
# path of the log (scripts/serve.mjs, src/lib/server/startup.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -f build/index.js ]] || [[ -n "$(find src migrations messages static project.inlang/settings.json svelte.config.js vite.config.ts package.json -newer build/index.js -print -quit 2>/dev/null)" ]]; then
	echo "Building the portal…" >&2
	npm run build --silent || { echo "The portal could not be built: the errors are above." >&2; exit 1; }
fi
# `start.sh --build`: only bring the build up to date (scripts/startup-test.sh).
[[ "${1:-}" != --build ]] || exit 0
export HOST="${HOST:-127.0.0.1}"
export PORT="${PORT:-3000}"
# adapter-node's cap for any body, which only the voter-list upload (/urad/sprava/volici/import,
# streamed to disk; 1,000,000 rows are about 80-100 MB) may reach, and only for an administrator
# past the second factor: every other route takes 512 KiB (src/lib/server/body-limit.ts).
export BODY_SIZE_LIMIT="${BODY_SIZE_LIMIT:-200M}"
export ORIGIN="${ORIGIN:-${PUBLIC_ORIGIN:-http://localhost:$PORT}}"
# Every start appends its log here too; a failed start names this file (scripts/serve.mjs).
LOG_FILE="${LOG_FILE:-${DATA_DIR:-.data}/portal.log}"
[[ "$LOG_FILE" = /* ]] || LOG_FILE="$PWD/$LOG_FILE"
export LOG_FILE
echo "Volební portál: http://localhost:$PORT (log: $LOG_FILE)" >&2
# `npm start -- --processes N` (or PORTAL_PROCESSES=N): N portal processes on one port (docs/OPERATIONS.md).
exec node scripts/serve.mjs "$@"
