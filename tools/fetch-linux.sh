#!/usr/bin/env bash
# tools/fetch-linux.sh: Debian 12's own Linux kernel and a busybox initramfs,
# for the Linux boots (scenario linux-dom0, tools/bench.py), cached under
# build/linux/ and never installed on the host.
#
#  1. `apt-get download` (the private apt configuration of tools/install-deps.sh,
#     which make test sets up first) fetches the package that Debian 12's
#     linux-image-amd64 depends on (linux-image-6.1.0-N-amd64, CONFIG_XEN_PV=y)
#     and busybox-static; `dpkg-deb -x` unpacks them under build/linux/root/.
#  2. vmlinuz is a bzImage: its setup header (boot protocol >= 2.08) says where
#     the compressed payload starts and how long it is; Debian's xz (or gzip)
#     turns that payload into the kernel's ELF image, build/linux/vmlinux,
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

# Prints the file offset and length of a bzImage's compressed payload.
bzimage_payload() {
    local f=$1 magic setup_sects off len
    magic=$(dd if="$f" bs=1 skip=$((0x202)) count=4 status=none)
    [[ $magic == HdrS ]] || die "$f is not a bzImage (no HdrS)"
    setup_sects=$(od -An -tu1 -j $((0x1f1)) -N1 "$f" | tr -d ' ')
    [[ $setup_sects -ne 0 ]] || setup_sects=4
    off=$(od -An -tu4 -j $((0x248)) -N4 "$f" | tr -d ' ')
    len=$(od -An -tu4 -j $((0x24c)) -N4 "$f" | tr -d ' ')
    echo $(((setup_sects + 1) * 512 + off)) "$len"
}

# An xz payload is followed by the decompressed size (32 bits, little
# endian: the kernel build's size_append), which xz would take for the start
# of a second stream: it is cut off and checked against the output instead.
unxz_sized() {
    local in=$1 out=$2 total want
    total=$(stat -c %s "$in")
    want=$(od -An -tu4 -j $((total - 4)) -N4 "$in" | tr -d ' ')
    head -c $((total - 4)) "$in" | xz -dc >"$out"
    [[ $(stat -c %s "$out") -eq $want ]] || die "$in: decompressed size is not $want"
}

# vmlinuz -> ELF, with the decompressor the payload's magic names.
unwrap() {
    local f=$1 out=$2 start len
    read -r start len < <(bzimage_payload "$f")
    dd if="$f" of="$out.payload" iflag=skip_bytes,count_bytes bs=64K \
        skip="$start" count="$len" status=none
    case $(od -An -tx1 -N2 "$out.payload" | tr -d ' ') in
        fd37) unxz_sized "$out.payload" "$out.tmp" ;;
        1f8b) gzip -dc "$out.payload" >"$out.tmp" ;;
        *) die "$f: payload compression not handled (xz and gzip are)" ;;
    esac
    rm -f "$out.payload"
    [[ $(head -c 4 "$out.tmp" | od -An -c | tr -d ' ') == 177ELF ]] ||
        die "$f: payload is not an ELF image"
    mv "$out.tmp" "$out"
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

main() {
    if present; then
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
    unwrap "$vmlinuz" "$DIR/vmlinux"
    [[ -x $DIR/root/bin/busybox ]] || die "no /bin/busybox in busybox-static"
    initramfs
    rm -rf "$DIR/root/lib/modules"      # 300 MB of modules nobody loads
    (cd "$DIR/debs" && ls *.deb) >"$DIR/package"
    log "$(tr '\n' ' ' <"$DIR/package")in $DIR"
}

main "$@"
