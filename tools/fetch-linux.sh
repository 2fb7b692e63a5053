#!/usr/bin/env bash
# tools/fetch-linux.sh: Debian 12's own Linux kernel and a busybox initramfs,
# for the Linux boots (scenario linux-dom0, tools/bench.py), cached under
# build/linux/ and never installed on the host.
#
#  1. `apt-get download` (the private apt configuration of tools/install-deps.sh,
#     which make test sets up first) fetches the package that Debian 12's
#     linux-image-amd64 depends on (linux-image-6.1.0-N-amd64, CONFIG_XEN_PV=y)
#     and busybox-static; `dpkg-deb -x` unpacks them under build/linux/root/.
#  2. vmlinuz is a bzImage, kept as build/linux/vmlinuz; tools/unwrap-vmlinuz.sh
#     takes the kernel's ELF image out of it (Debian's xz), build/linux/vmlinux,
#     which Tern's loader and Xen's both take.
#  3. build/linux/initramfs.cpio (tools/mkcpio.py, the kernel's newc format):
#     busybox, and an /init that prints the marker line below and powers off.
#
# Writes build/linux/package (the packages and versions) last; when it is there
# with both outputs, nothing is fetched again (the cache survives make clean).
# Any failure exits non-zero: a test that needs Linux then fails, never skips.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
DIR=$BUILD/linux
APT_CONF=$BUILD/apt/apt.conf
MARKER='tern-linux: /init reached'

log() { printf 'fetch-linux: %s\n' "$*"; }
die() { printf 'fetch-linux: error: %s\n' "$*" >&2; exit 1; }

present() {
    [[ -s $DIR/vmlinux && -s $DIR/initramfs.cpio && -s $DIR/package ]]
}

# apt with install-deps' private configuration (its lists, not the system's).
papt() {
    local tool=$1; shift
    [[ -f $APT_CONF ]] || die "$APT_CONF missing: run tools/install-deps.sh (make deps)"
    "$tool" -c "$APT_CONF" "$@"
}

# The versioned kernel package Debian 12's (not backports') metapackage names.
kernel_package() {
    papt apt-cache depends linux-image-amd64/bookworm 2>/dev/null |
        sed -n 's/^ *Depends: \(linux-image-6\.1[^ ]*-amd64\)$/\1/p' | head -n1
}

download() {
    local attempt
    for attempt in 1 2 3; do
        (cd "$DIR/debs" && papt apt-get -q download "$@") >"$DIR/download.log" 2>&1 &&
            return 0
        [[ $attempt -lt 3 ]] && sleep 5
    done
    cat "$DIR/download.log" >&2
    die "apt-get download $* failed"
}

initramfs() {
    local tree=$DIR/initramfs
    rm -rf "$tree"
    mkdir -p "$tree/bin" "$tree/proc" "$tree/sys" "$tree/dev"
    cp "$DIR/root/bin/busybox" "$tree/bin/busybox"
    ln -s busybox "$tree/bin/sh"
    cat >"$tree/init" <<EOF
#!/bin/busybox sh
/bin/busybox echo '$MARKER'
/bin/busybox poweroff -f
EOF
    chmod 755 "$tree/init"
    python3 "$ROOT/tools/mkcpio.py" "$tree" "$DIR/initramfs.cpio.tmp"
    mv "$DIR/initramfs.cpio.tmp" "$DIR/initramfs.cpio"
}

# build/linux/vmlinuz: the bzImage as Debian ships it, under a fixed name
# (the linux-dom0 scenario hands it to mkimage.sh, which unwraps it). A
# cache made before this file existed gets it from its unpacked package.
keep_vmlinuz() {
    local f
    [[ -s $DIR/vmlinuz ]] && return 0
    f=$(find "$DIR/root/boot" -name 'vmlinuz-*' 2>/dev/null | head -n1)
    [[ -n $f ]] || die "no vmlinuz under $DIR/root/boot: remove $DIR/package to fetch again"
    cp "$f" "$DIR/vmlinuz"
}

main() {
    if present; then
        keep_vmlinuz
        log "$(tr '\n' ' ' <"$DIR/package")in $DIR"
        return 0
    fi
    local kpkg vmlinuz
    kpkg=$(kernel_package)
    [[ -n $kpkg ]] || die "linux-image-amd64 (bookworm) names no linux-image-6.1 package"
    rm -rf "$DIR/debs" "$DIR/root"
    mkdir -p "$DIR/debs" "$DIR/root"
    log "downloading $kpkg busybox-static"
    download "$kpkg/bookworm" "busybox-static/bookworm"
    local deb
    for deb in "$DIR"/debs/*.deb; do dpkg-deb -x "$deb" "$DIR/root"; done
    vmlinuz=$(find "$DIR/root/boot" -name 'vmlinuz-*' | head -n1)
    [[ -n $vmlinuz ]] || die "no vmlinuz in $kpkg"
    "$ROOT/tools/unwrap-vmlinuz.sh" "$vmlinuz" "$DIR/vmlinux"
    cp "$vmlinuz" "$DIR/vmlinuz"
    [[ -x $DIR/root/bin/busybox ]] || die "no /bin/busybox in busybox-static"
    initramfs
    rm -rf "$DIR/root/lib/modules"      # 300 MB of modules nobody loads
    (cd "$DIR/debs" && ls *.deb) >"$DIR/package"
    log "$(tr '\n' ' ' <"$DIR/package")in $DIR"
}

main "$@"
