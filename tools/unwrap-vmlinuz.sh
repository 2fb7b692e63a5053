#!/usr/bin/env bash
# tools/unwrap-vmlinuz.sh IN OUT: the kernel ELF image inside a Linux bzImage
# (the vmlinuz file of /boot), for Tern's loader, which takes ELF only. Used
# by tools/fetch-linux.sh and by tools/mkimage.sh for any module that is a
# bzImage, so a user may point the image tool at /boot/vmlinuz-* directly.
#
# The bzImage is untrusted input, read with bounds: its setup header (magic
# "HdrS" at 0x202, boot protocol >= 2.08 for payload_offset/payload_length)
# must place the payload inside the file; the decompressor is Debian's own
# (xz or gzip, by the payload's magic), never ours; an xz payload ends with the
# decompressed size (32 bits, little endian: the kernel build's size_append),
# which must match what xz produced; the result must be an ELF image. Any
# failure exits 1 with the reason, and OUT is then not written (the work
# happens in OUT.tmp and is moved into place last).
set -euo pipefail

die() { printf 'unwrap-vmlinuz: error: %s\n' "$*" >&2; exit 1; }

u8() { od -An -tu1 -j "$2" -N1 "$1" | tr -d ' '; }
u16() { od -An -tu2 -j "$2" -N2 "$1" | tr -d ' '; }
u32() { od -An -tu4 -j "$2" -N4 "$1" | tr -d ' '; }

# Prints the file offset and length of the compressed payload.
payload_extent() {
    local f=$1 size setup_sects version off len start
    size=$(stat -c %s "$f")
    [[ $size -ge 1024 ]] || die "$f: too short for a bzImage ($size bytes)"
    [[ $(od -An -c -j $((0x202)) -N4 -- "$f" | tr -d " ") == HdrS ]] ||
        die "$f is not a bzImage (no HdrS at 0x202)"
    version=$(u16 "$f" $((0x206)))
    [[ $version -ge $((0x208)) ]] ||
        die "$f: boot protocol $(printf %x "$version") has no payload fields (2.08 needed)"
    setup_sects=$(u8 "$f" $((0x1f1)))
    [[ $setup_sects -ne 0 ]] || setup_sects=4
    off=$(u32 "$f" $((0x248)))
    len=$(u32 "$f" $((0x24c)))
    start=$(((setup_sects + 1) * 512 + off))
    [[ $len -gt 4 && $start -lt $size && $len -le $((size - start)) ]] ||
        die "$f: payload ($len bytes at $start) is not inside the file ($size bytes)"
    echo "$start" "$len"
}

# xz, then the size_append trailer checked against the output.
unxz_sized() {
    local in=$1 out=$2 total want
    total=$(stat -c %s "$in")
    want=$(u32 "$in" $((total - 4)))
    head -c $((total - 4)) "$in" | xz -dc >"$out" 2>/dev/null || die "xz refused the payload"
    [[ $(stat -c %s "$out") -eq $want ]] ||
        die "the payload unpacked to $(stat -c %s "$out") bytes, its trailer says $want"
}

main() {
    [[ $# -eq 2 ]] || { echo "usage: tools/unwrap-vmlinuz.sh IN OUT" >&2; exit 2; }
    local in=$1 out=$2 start len
    [[ -f $in ]] || die "$in not found"
    read -r start len < <(payload_extent "$in") || exit 1
    # shellcheck disable=SC2064 # expand $out now: it is local to main
    trap "rm -f -- '$out.payload' '$out.tmp'" EXIT
    dd if="$in" of="$out.payload" iflag=skip_bytes,count_bytes bs=64K \
        skip="$start" count="$len" status=none
    case $(od -An -tx1 -N2 "$out.payload" | tr -d ' ') in
        fd37) unxz_sized "$out.payload" "$out.tmp" ;;
        1f8b) gzip -dc "$out.payload" >"$out.tmp" 2>/dev/null || die "gzip refused the payload" ;;
        *) die "$in: payload compression not handled (xz and gzip are)" ;;
    esac
    [[ $(head -c 4 "$out.tmp" | od -An -c | tr -d ' ') == 177ELF ]] ||
        die "$in: the payload is not an ELF image"
    mv -f -- "$out.tmp" "$out"
}

main "$@"
