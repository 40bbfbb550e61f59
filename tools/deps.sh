#!/usr/bin/env bash
# Install what Arbor needs on a Debian 12 machine, idempotently.
#
#   tools/deps.sh [--check] [--archives DIR]
#
# Three parts, each skipped when already present:
#   1. Debian packages (cross compilers, picolibc, newlib, dtc, libfdt, Xen headers, cmocka, QEMU,
#      clang and its libFuzzer/sanitizer runtimes for make fuzz).
#   2. The Xen 4.17 arm64 hypervisor, unpacked from Debian's arm64 package into the cache.
#   3. From Debian's linux-source-6.1 package (about 140 MB, fetched once and not kept), in one
#      pass over its tarball: libfdt's C sources, unless LIBFDT_SRC points at a dtc checkout,
#      and the real boards' device-tree sources with the headers they include, for
#      make check-boards (tools/check-boards.py).
# The cache lives outside the source tree: $ARBOR_CACHE, default ~/.cache/arbor.
# With --check nothing is installed: the exit status says whether everything is there.
#
# The two Debian archives of parts 2 and 3 (.deb files) are kept in an archive directory,
# $ARBOR_CACHE/archives unless --archives DIR (or $ARBOR_ARCHIVES) names another: an archive
# found there is used as it is, one that is missing is downloaded into it. So a second cache
# can be set up from the first one's archives without fetching anything again, which is how
# tools/check-fresh.sh rebuilds from an empty cache in every make test.
set -eu
# Command substitutions ($(archive ...)) stop on their first failure too.
shopt -s inherit_errexit

CACHE=${ARBOR_CACHE:-$HOME/.cache/arbor}
ARCHIVES=${ARBOR_ARCHIVES:-$CACHE/archives}
PACKAGES="gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu gcc-arm-none-eabi binutils-arm-none-eabi
picolibc-aarch64-linux-gnu picolibc-arm-none-eabi libnewlib-arm-none-eabi device-tree-compiler
libfdt-dev libxen-dev libcmocka-dev qemu-system-arm python3 make gcc pkg-config xz-utils
clang libclang-rt-14-dev gdb-multiarch"
XEN_PKG=xen-hypervisor-4.17-arm64
check_only=0

say() { echo "deps: $*" >&2; }

while [ $# -gt 0 ]; do
	case "$1" in
	--check) check_only=1 ;;
	--archives)
		[ $# -ge 2 ] || { say "--archives needs a directory"; exit 2; }
		ARCHIVES=$2
		shift ;;
	*) say "unknown argument '$1' (usage: tools/deps.sh [--check] [--archives DIR])"; exit 2 ;;
	esac
	shift
done

missing_packages() {
	local p out=""
	for p in $PACKAGES; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || out="$out $p"
	done
	echo "$out"
}

need_root() {
	if [ "$(id -u)" != 0 ]; then
		say "missing: $1"
		say "run as root:  $2"
		exit 1
	fi
}

apt_updated=0
apt_update() {
	[ $apt_updated = 1 ] && return 0
	apt-get update -qq >&2
	apt_updated=1
}

# 1. Debian packages of this machine's architecture.
missing=$(missing_packages)
if [ -n "$missing" ]; then
	[ $check_only = 1 ] && { say "missing packages:$missing"; exit 1; }
	need_root "packages$missing" "apt-get update && apt-get install -y$missing"
	say "installing$missing"
	apt_update
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >&2
fi

# archive ARCH PACKAGE: the path of PACKAGE's .deb in $ARCHIVES (or, for this machine's own
# packages, in apt's cache), downloaded into $ARCHIVES first when it is in neither. ARCH "arm64" fetches another architecture's package without changing
# dpkg's architectures (a private apt state in a temporary directory); "all" is this machine's.
archive() {
	local arch=$1 pkg=$2 deb o t
	deb=$(ls "$ARCHIVES"/${pkg}_*.deb 2>/dev/null | head -n 1 || true)
	[ -n "$deb" ] || [ "$arch" != all ] ||
		deb=$(ls /var/cache/apt/archives/${pkg}_*.deb 2>/dev/null | head -n 1 || true)
	if [ -n "$deb" ]; then
		say "using $deb"
		echo "$deb"
		return 0
	fi
	need_root "$pkg (into $ARCHIVES)" "apt-get update && apt-get download $pkg"
	say "fetching $pkg into $ARCHIVES"
	mkdir -p "$ARCHIVES"
	t=$(mktemp -d)
	# As root, apt's _apt user cannot write to $t: let apt stay root, quietly.
	o="-qq -oAPT::Sandbox::User=root"
	if [ "$arch" = arm64 ]; then
		mkdir -p "$t/lists/partial" "$t/cache/archives/partial"
		o="$o -oAPT::Architecture=arm64 -oAPT::Architectures=arm64 -oDir::State::Lists=$t/lists -oDir::Cache=$t/cache -oDir::State::status=/dev/null"
		apt-get $o update >&2
	else
		apt_update
	fi
	(cd "$t" && apt-get $o download "$pkg" >&2)
	deb=$(ls "$t"/${pkg}_*.deb)
	mv "$deb" "$ARCHIVES/"
	rm -rf "$t"
	ls "$ARCHIVES"/${pkg}_*.deb | head -n 1
}

# 2. The arm64 Xen hypervisor, from the arm64 package, without changing dpkg's architectures.
XEN="$CACHE/xen/boot/xen-4.17-arm64"
if [ ! -f "$XEN" ]; then
	[ $check_only = 1 ] && { say "missing: $XEN"; exit 1; }
	deb=$(archive arm64 "$XEN_PKG")
	rm -rf "$CACHE/xen"
	mkdir -p "$CACHE"
	dpkg -x "$deb" "$CACHE/xen"
	[ -f "$XEN" ] || { say "$XEN_PKG did not contain boot/xen-4.17-arm64"; exit 1; }
fi

# 3. libfdt's sources for the target builds, and the boards' DTS trees for check-boards, both
# from linux-source-6.1's tarball. Reading the tarball is most of the cost (its xz stream is
# decompressed whole), so whatever is missing is taken in one pass. The board trees count as
# present only once their stamp, written last and listing what was extracted, matches BOARD_DIRS.
SRC=linux-source-6.1
BOARD_DIRS="arch/arm64/boot/dts arch/arm/boot/dts include/dt-bindings include/uapi/linux
scripts/dtc/include-prefixes"
BOARDS="$CACHE/boards/linux"
board_stamp() { for d in $BOARD_DIRS; do echo "$SRC/$d/*"; done; }
want=()
if [ -n "${LIBFDT_SRC:-}" ]; then
	[ -f "$LIBFDT_SRC/libfdt/fdt.c" ] || [ -f "$LIBFDT_SRC/fdt.c" ] ||
		{ say "LIBFDT_SRC=$LIBFDT_SRC holds neither libfdt/fdt.c nor fdt.c"; exit 1; }
	need_libfdt=0
else
	LIBFDT="$CACHE/libfdt"
	need_libfdt=1
	[ -f "$LIBFDT/fdt.c" ] && need_libfdt=0
	[ $need_libfdt = 1 ] && want+=("*/scripts/dtc/libfdt/*")
fi
need_boards=1
[ "$(cat "$BOARDS/.complete" 2>/dev/null)" = "$(board_stamp)" ] && need_boards=0
[ $need_boards = 1 ] && for d in $BOARD_DIRS; do want+=("$SRC/$d/*"); done
if [ ${#want[@]} -gt 0 ]; then
	if [ $check_only = 1 ]; then
		[ $need_libfdt = 1 ] && say "missing: $LIBFDT"
		[ $need_boards = 1 ] && say "missing: the boards' device-tree sources in $BOARDS"
		exit 1
	fi
	deb=$(archive all $SRC)
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	say "extracting ${want[*]} from $(basename "$deb")"
	mkdir -p "$tmp/x" "$CACHE"
	(set -o pipefail; dpkg-deb --fsys-tarfile "$deb" | tar -xO --wildcards "*$SRC.tar.xz" |
		xz -dc | tar -x -C "$tmp/x" --wildcards "${want[@]}")
	if [ $need_libfdt = 1 ]; then
		[ -f "$tmp/x/$SRC/scripts/dtc/libfdt/fdt.c" ] ||
			{ say "$SRC held no scripts/dtc/libfdt/fdt.c"; exit 1; }
		rm -rf "$LIBFDT"
		mv "$tmp/x/$SRC/scripts/dtc/libfdt" "$LIBFDT"
	fi
	if [ $need_boards = 1 ]; then
		rm -rf "$BOARDS"
		mkdir -p "$BOARDS"
		mv "$tmp/x/$SRC" "$BOARDS/$SRC"
		board_stamp > "$BOARDS/.complete"
	fi
	rm -rf "$tmp"
	trap - EXIT
fi
exit 0
