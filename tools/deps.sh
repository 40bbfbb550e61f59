#!/usr/bin/env bash
# Install what Arbor needs on a Debian 12 machine, idempotently.
#
#   tools/deps.sh [--check]
#
# Three parts, each skipped when already present:
#   1. Debian packages (cross compilers, picolibc, newlib, dtc, libfdt, Xen headers, cmocka, QEMU,
#      clang and its libFuzzer/sanitizer runtimes for make fuzz).
#   2. The Xen 4.17 arm64 hypervisor, unpacked from Debian's arm64 package into the cache.
#   3. libfdt's C sources, taken from Debian's linux-source-6.1 package into the cache, unless
#      LIBFDT_SRC points at a dtc checkout.
# The cache lives outside the source tree: $ARBOR_CACHE, default ~/.cache/arbor.
# With --check nothing is installed: the exit status says whether everything is there.
set -eu

CACHE=${ARBOR_CACHE:-$HOME/.cache/arbor}
PACKAGES="gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu gcc-arm-none-eabi binutils-arm-none-eabi
picolibc-aarch64-linux-gnu picolibc-arm-none-eabi libnewlib-arm-none-eabi device-tree-compiler
libfdt-dev libxen-dev libcmocka-dev qemu-system-arm python3 make gcc pkg-config xz-utils
clang libclang-rt-14-dev"
XEN_PKG=xen-hypervisor-4.17-arm64
check_only=0
[ "${1:-}" = "--check" ] && check_only=1

say() { echo "deps: $*" >&2; }

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

# 2. The arm64 Xen hypervisor, from the arm64 package, without changing dpkg's architectures.
XEN="$CACHE/xen/boot/xen-4.17-arm64"
if [ ! -f "$XEN" ]; then
	[ $check_only = 1 ] && { say "missing: $XEN"; exit 1; }
	say "fetching $XEN_PKG"
	tmp=$(mktemp -d)
	mkdir -p "$tmp/lists/partial" "$tmp/cache/archives/partial" "$CACHE"
	o="-oAPT::Architecture=arm64 -oAPT::Architectures=arm64 -oDir::State::Lists=$tmp/lists -oDir::Cache=$tmp/cache -oDir::State::status=/dev/null -qq"
	apt-get $o update >&2
	(cd "$tmp" && apt-get $o download "$XEN_PKG" >&2)
	rm -rf "$CACHE/xen"
	dpkg -x "$tmp"/${XEN_PKG}_*.deb "$CACHE/xen"
	rm -rf "$tmp"
	[ -f "$XEN" ] || { say "$XEN_PKG did not contain boot/xen-4.17-arm64"; exit 1; }
fi

# 3. libfdt sources for the target builds.
if [ -n "${LIBFDT_SRC:-}" ]; then
	[ -f "$LIBFDT_SRC/libfdt/fdt.c" ] || [ -f "$LIBFDT_SRC/fdt.c" ] ||
		{ say "LIBFDT_SRC=$LIBFDT_SRC holds neither libfdt/fdt.c nor fdt.c"; exit 1; }
else
	LIBFDT="$CACHE/libfdt"
	if [ ! -f "$LIBFDT/fdt.c" ]; then
		[ $check_only = 1 ] && { say "missing: $LIBFDT"; exit 1; }
		deb=$(ls /var/cache/apt/archives/linux-source-6.1_*.deb 2>/dev/null | head -n 1 || true)
		tmp=$(mktemp -d)
		if [ -z "$deb" ]; then
			need_root "libfdt sources" "apt-get update && apt-get download linux-source-6.1"
			say "fetching linux-source-6.1 for libfdt's sources"
			apt_update
			(cd "$tmp" && apt-get download -qq linux-source-6.1 >&2)
			deb=$(ls "$tmp"/linux-source-6.1_*.deb)
		fi
		say "extracting scripts/dtc/libfdt from $(basename "$deb")"
		dpkg-deb --fsys-tarfile "$deb" | tar -xO --wildcards '*linux-source-6.1.tar.xz' |
			xz -dc | tar -x -C "$tmp" --wildcards '*/scripts/dtc/libfdt/*'
		rm -rf "$LIBFDT"
		mkdir -p "$CACHE"
		mv "$tmp"/*/scripts/dtc/libfdt "$LIBFDT"
		rm -rf "$tmp"
	fi
fi
exit 0
