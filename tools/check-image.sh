#!/usr/bin/env bash
# tools/check-image.sh: checks a freshly linked hypervisor ELF (the Makefile
# calls it after the link).
#
#   tools/check-image.sh build/hypervisor.elf
#
#  - GRUB must accept it as a multiboot2 image (grub-file --is-x86-multiboot2;
#    skipped with a warning when grub-file is not installed).
#  - The image is position-independent but statically linked: no dynamic
#    section, no dynamic relocations, no GOT/PLT sections may survive the link.
#  - No instruction addresses memory through %fs or %gs: while the hypervisor
#    runs, both hold the guest's bases (entry.S explains why that is safe
#    only as long as nothing uses them).
set -euo pipefail

die() { printf 'check-image: error: %s\n' "$*" >&2; exit 1; }

[[ $# -eq 1 ]] || { echo "usage: tools/check-image.sh ELF" >&2; exit 2; }
elf=$1
[[ -f $elf ]] || die "$elf not found"

if command -v grub-file >/dev/null 2>&1; then
    grub-file --is-x86-multiboot2 "$elf" ||
        die "$elf is not a multiboot2 image (grub-file --is-x86-multiboot2 rejected it)"
else
    echo "check-image: warning: grub-file not installed; multiboot2 check skipped (tools/install-deps.sh installs it)" >&2
fi

command -v readelf >/dev/null 2>&1 || die "readelf not found (binutils); run tools/install-deps.sh"

sections=$(readelf -W -S "$elf") || die "readelf cannot read $elf"

# Section names: .got, .got.plt, .plt, .plt.got, .plt.sec, .dynamic, .rela.dyn,
# .rel.dyn, .rela.plt, .dynsym, .dynstr, .interp. Empty ones are harmless
# (the linker may keep a zero-sized .got.plt), so only sized ones count.
bad=$(awk '
    /^ *\[ *[0-9]+\]/ {
        sub(/^ *\[ *[0-9]+\] */, "")
        name = $1; size = $5
        if (name ~ /^\.(got|got\.plt|plt|plt\.got|plt\.sec|dynamic|rela?\.dyn|rela?\.plt|dynsym|dynstr|interp|rela?\.got)$/ &&
            size !~ /^0+$/)
            printf "%s (size 0x%s) ", name, size
    }' <<<"$sections")
[[ -z $bad ]] || die "$elf has sections a static image must not have: $bad"

relocs=$(readelf -W -r "$elf") || die "readelf -r failed on $elf"
if grep -q "^Relocation section" <<<"$relocs"; then
    printf '%s\n' "$relocs" | head -n 20 >&2
    die "$elf has relocation sections left (dynamic relocations?)"
fi

if readelf -W -l "$elf" | grep -qE '^ *(DYNAMIC|INTERP) '; then
    die "$elf has a DYNAMIC or INTERP program header"
fi

command -v objdump >/dev/null 2>&1 || die "objdump not found (binutils); run tools/install-deps.sh"
segrefs=$(objdump -d --no-show-raw-insn "$elf" | grep -E '%[fg]s:' || true)
if [[ -n $segrefs ]]; then
    printf '%s\n' "$segrefs" | head -n 10 >&2
    die "$elf addresses memory through %fs or %gs, which hold a guest's bases"
fi

exit 0
