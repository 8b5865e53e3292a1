# tools/deps/common.sh: shared settings for the dependency scripts (sourced, not run).
set -euo pipefail
UV_CACHE=${UV_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/univisor}
mkdir -p "$UV_CACHE"
say() { echo "deps: $*" >&2; }
die() { echo "deps: error: $*" >&2; exit 1; }
# Runs "$@" with the cache lock held, so parallel builds don't race on the cache.
with_lock() { mkdir -p "$UV_CACHE"; flock "$UV_CACHE/.lock" "$@"; }
# Adds a deb-src entry for bookworm main if none is configured (needed by apt-get source).
ensure_deb_src() {
	if ! grep -rqs '^Types:.*deb-src\|^deb-src ' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null; then
		[ "$(id -u)" = 0 ] || die "no deb-src entry in /etc/apt and not root: add one (see README)"
		say "adding a deb-src entry (/etc/apt/sources.list.d/univisor-src.sources)"
		cat > /etc/apt/sources.list.d/univisor-src.sources <<'EOS'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOS
		apt-get update -qq
	fi
}
