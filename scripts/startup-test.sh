#!/usr/bin/env bash
# Start-up test of `npm start` (issue 21), run by .ci/run after the smoke test:
#
#   a. as root, a copy of the checkout inside a mode-700 directory (like /root) starts with
#      its embedded PostgreSQL and answers /health (binaries copied to a cache, data under
#      /var/lib/volebni-portal/<key>); as another user the same start runs without the root part;
#   c. in that same start, the embedded PostgreSQL's port is taken: the next one is used and logged;
#   b. a second `npm start` on the same PORT exits within seconds with the sentence and
#      status 1, and the first keeps serving;
#   d. an invalid configuration value is named in words (no stack trace), status 1.
#
# After each: nothing of that start is left running. Finally the first start is stopped with
# SIGTERM and no PostgreSQL of it may remain.
#
# The copy is made of the checkout's files as they are (tracked and untracked, not ignored),
# with node_modules and build/ hard-linked: no second `npm install`, and no rebuild unless
# the sources are newer than build/ (start.sh's own rule).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$PWD"

fail() { printf '\nstartup-test: FAILED: %s\n' "$*" >&2; exit 1; }
note() { printf 'startup-test: %s\n' "$*"; }

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pick_port() { # first free port in [$1, $1+99] not in the rest of the arguments
  local p start=$1
  shift
  for p in $(seq "$start" $((start + 99))); do
    if port_free "$p" && [[ " $* " != *" $p "* ]]; then
      echo "$p"
      return 0
    fi
  done
  return 1
}
http_status() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$1" 2>/dev/null || true; }
group_alive() { # any process other than a zombie in process group $1
  ps -o stat= -g "$1" 2>/dev/null | grep -qv '^Z'
}
command -v curl >/dev/null 2>&1 || fail "curl is needed"
command -v setsid >/dev/null 2>&1 || fail "setsid (util-linux) is needed"
# The copy shares build/: bring it up to date here, once (start.sh's own rule).
bash scripts/with-node24.sh bash scripts/start.sh --build

WORK="$REPO/.data/startup-test"
COPY="$WORK/private/portal"
FIRST_PGID=""
HOLDER_PID=""
PG_DATA=""
cleanup() {
  local rc=$?
  [ -n "$FIRST_PGID" ] && kill -KILL -- "-$FIRST_PGID" 2>/dev/null || true
  [ -n "$HOLDER_PID" ] && kill "$HOLDER_PID" 2>/dev/null || true
  if [ -n "$PG_DATA" ]; then
    pkill -KILL -f -- "-D $PG_DATA" 2>/dev/null || true
    case "$PG_DATA" in /var/lib/volebni-portal/*) rm -rf "$(dirname "$PG_DATA")" ;; esac
  fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

started=$SECONDS
rm -rf "$WORK"
mkdir -p "$COPY"
chmod 700 "$WORK/private" # the private directory, like /root
git ls-files -z -c -o --exclude-standard | tar --null -T - -cf - | tar -xf - -C "$COPY"
cp -al node_modules build "$COPY/"
# generated, ignored by git; the build does not need it, a rebuild would
[ -d src/lib/paraglide ] && cp -a src/lib/paraglide "$COPY/src/lib/"
# tar made the directories now: give them the checkout's times, or the sources look newer than build/
(cd "$COPY" && find . -path ./node_modules -prune -o -path ./build -prune -o -type d -print0) |
  while IFS= read -r -d '' d; do [ -e "$d" ] && touch -r "$d" "$COPY/$d"; done
if [ "$(id -u)" -eq 0 ]; then
  note "copy of the checkout in $COPY (parent mode 700), running as root"
else
  note "copy of the checkout in $COPY; not root: the private-directory case (a) is not exercised"
fi

PORT="$(pick_port 3940)" || fail "no free port"
EID_PORT="$(pick_port 3960 "$PORT")" || fail "no free port"
PG_PORT="$(pick_port 55500)" || fail "no free port"
# (c) Something else holds the embedded PostgreSQL's preferred port.
bash scripts/with-node24.sh node -e "require('net').createServer().listen($PG_PORT, '127.0.0.1')" &
HOLDER_PID=$!
for _ in $(seq 1 50); do port_free "$PG_PORT" || break; sleep 0.2; done
port_free "$PG_PORT" && fail "could not occupy port $PG_PORT"

start_env=(env -C "$COPY" -u DATABASE_URL -u DATA_DIR -u LOG_FILE HOST=127.0.0.1 PORT="$PORT" DEV_EID_PORT="$EID_PORT" DEV_SMTP_PORT=0
  EMBEDDED_POSTGRES_PORT="$PG_PORT" SEED_VOTERS=200)

# ---- a + c
FIRST_LOG="$WORK/first.out"
note "a/c: npm start on port $PORT, embedded PostgreSQL's port $PG_PORT taken"
"${start_env[@]}" setsid bash scripts/with-node24.sh npm start >"$FIRST_LOG" 2>&1 </dev/null &
FIRST_PGID=$!
status=000
while [ $((SECONDS - started)) -lt 300 ]; do
  status="$(http_status "http://127.0.0.1:$PORT/health")"
  [ "$status" = 200 ] && break
  group_alive "$FIRST_PGID" || { tail -n 40 "$FIRST_LOG" >&2; fail "a: npm start exited before /health answered"; }
  sleep 2
done
[ "$status" = 200 ] || { tail -n 40 "$FIRST_LOG" >&2; fail "a: /health did not answer 200 (last: $status)"; }
note "a: /health -> 200 after $((SECONDS - started)) s$(grep -q 'Building the portal' "$FIRST_LOG" && echo ' (the copy was rebuilt: sources newer than build/)')"
PG_DATA="$(grep -o '"dataDir":"[^"]*"' "$FIRST_LOG" | tail -n 1 | cut -d'"' -f4)"
[ -n "$PG_DATA" ] || fail "a: the log does not say where the data lives"
if [ "$(id -u)" -eq 0 ]; then
  case "$PG_DATA" in
    /var/lib/volebni-portal/*/postgres) note "a: data in $PG_DATA (the postgres user cannot reach $COPY)" ;;
    *) fail "a: expected the data under /var/lib/volebni-portal, got $PG_DATA" ;;
  esac
  pgrep -u postgres -f -- "-D $PG_DATA" >/dev/null || fail "a: no PostgreSQL runs as user postgres from $PG_DATA"
fi
grep -q "port $PG_PORT is taken: the embedded PostgreSQL listens on $((PG_PORT + 1))" "$FIRST_LOG" ||
  { grep -i 'postgres' "$FIRST_LOG" | tail -n 5 >&2; fail "c: the log does not say that port $PG_PORT was skipped"; }
note "c: port $PG_PORT skipped, the embedded PostgreSQL listens on $((PG_PORT + 1))"

# ---- b
# (setsid: each start is its own process group, its pid the group id)
# runs `npm start` in the copy with extra variables, in its own process group; sets OUT, RC, TOOK
run_failing_start() {
  local out="$WORK/$1.out" t0=$SECONDS pgid
  shift
  "${start_env[@]}" "$@" setsid bash scripts/with-node24.sh npm start >"$out" 2>&1 </dev/null &
  pgid=$!
  wait "$pgid" && RC=0 || RC=$?
  TOOK=$((SECONDS - t0))
  OUT="$(cat "$out")"
  sleep 0.5
  if group_alive "$pgid"; then
    ps -o pid,args -g "$pgid" >&2
    kill -KILL -- "-$pgid" 2>/dev/null || true
    fail "a failed start left processes running"
  fi
}
run_failing_start second
[ "$RC" = 1 ] || { echo "$OUT" >&2; fail "b: the second npm start exited with $RC, expected 1"; }
[ "$TOOK" -le 20 ] || fail "b: the second npm start took $TOOK s to give up"
grep -q "^Port $PORT is already in use — is another portal running? Start with PORT=[0-9]* npm start\.$" <<<"$OUT" ||
  { echo "$OUT" >&2; fail "b: the sentence naming port $PORT and PORT is missing"; }
grep -q "^The full log is in $COPY/.data/portal.log$" <<<"$OUT" || { echo "$OUT" >&2; fail "b: the path of the log is missing"; }
grep -q '    at ' <<<"$OUT" && { echo "$OUT" >&2; fail "b: a stack trace was printed"; }
[ "$(http_status "http://127.0.0.1:$PORT/health")" = 200 ] || fail "b: the first portal stopped serving"
note "b: second start exited 1 after $TOOK s: $(grep '^Port' <<<"$OUT")"

# ---- d
OTHER_PORT="$(pick_port 3980 "$PORT" "$EID_PORT")" || fail "no free port"
run_failing_start invalid PORT="$OTHER_PORT" DEV_EID_PORT=abc
[ "$RC" = 1 ] || { echo "$OUT" >&2; fail "d: npm start with DEV_EID_PORT=abc exited with $RC, expected 1"; }
grep -q '^Invalid configuration: DEV_EID_PORT is not valid (.*) — see \.env\.example\.$' <<<"$OUT" ||
  { echo "$OUT" >&2; fail "d: the invalid DEV_EID_PORT is not named in words"; }
grep -q '    at ' <<<"$OUT" && { echo "$OUT" >&2; fail "d: a stack trace was printed"; }
note "d: $(grep '^Invalid' <<<"$OUT")"

# ---- the first start stops cleanly and leaves nothing behind
kill -TERM -- "-$FIRST_PGID"
t0=$SECONDS
while group_alive "$FIRST_PGID"; do
  [ $((SECONDS - t0)) -lt 30 ] || { ps -o pid,args -g "$FIRST_PGID" >&2; fail "the first start did not stop within 30 s of SIGTERM"; }
  sleep 0.5
done
wait "$FIRST_PGID" || true
FIRST_PGID=""
sleep 1
pgrep -a -f -- "-D $PG_DATA" >&2 && fail "PostgreSQL from $PG_DATA is still running after the stop"
note "the first start stopped within $((SECONDS - t0)) s of SIGTERM; nothing is left running"
note "all passed in $((SECONDS - started)) s"
