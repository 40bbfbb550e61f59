#!/usr/bin/env bash
# The path only a brand-new machine takes, taken again in every `make test`.
#
#   tools/check-fresh.sh
#
# A new user clones the tree and types `make run` with nothing in ~/.cache/arbor: set-up
# fills the cache (Xen, libfdt's sources, the boards' sources) and the same make invocation
# then builds and boots. A machine whose cache already exists never takes that path, so this
# script makes it take it: for each architecture, a copy of the working tree without build/
# and an empty cache directory, then one `make ARCH=<arch> run` there, which must succeed the
# first time.
#
# Nothing is downloaded: set-up takes its Debian archives from the real cache's archive
# directory (tools/deps.sh --archives, here through $ARBOR_ARCHIVES), which the first set-up
# on this machine filled. The Debian packages themselves are already installed; checking
# their installation would need a machine without them.
#
# Prints one line per architecture and `fresh: N passed, M failed`; on a failure, the end
# of that make's output. Exit status 1 if any failed.
set -euo pipefail
cd "$(dirname "$0")/.."

real_cache=${ARBOR_CACHE:-$HOME/.cache/arbor}
archives=${ARBOR_ARCHIVES:-$real_cache/archives}
work=$(mktemp -d "${TMPDIR:-/tmp}/arbor-fresh.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The tree as a user would have it: tracked files and new ones git does not ignore, as they
# are in the working tree (so an uncommitted change is checked too), without build/.
mkdir -p "$work/src"
git ls-files -z --cached --others --exclude-standard |
	(while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done) |
	tar --null -T - -cf - | tar -xf - -C "$work/src"

passed=0 failed=0
for arch in arm64 arm32; do
	cache="$work/cache-$arch"
	log="$work/$arch.log"
	start=$(date +%s)
	# An enclosing make (make test) exports ARBOR_SETUP_DONE=1, in MAKEFLAGS and on its own, to
	# its recipes; it would skip set-up here. The new user's make starts with neither.
	if env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS -u ARBOR_SETUP_DONE ARBOR_CACHE="$cache" ARBOR_ARCHIVES="$archives" \
		make -C "$work/src" --no-print-directory ARCH="$arch" run </dev/null >"$log" 2>&1; then
		passed=$((passed + 1))
		echo "fresh: PASS $arch: make run from an empty cache ($(($(date +%s) - start)) s)"
	else
		failed=$((failed + 1))
		echo "--- last 25 lines of make run (ARCH=$arch, empty cache) ---"
		tail -n 25 "$log"
		echo "---"
		echo "fresh: FAIL $arch: make run from an empty cache failed ($(($(date +%s) - start)) s)"
	fi
done
echo "fresh: $passed passed, $failed failed"
[ "$failed" = 0 ]
