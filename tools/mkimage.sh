#!/usr/bin/env bash
# tools/mkimage.sh: builds a bootable GRUB image that loads the hypervisor with
# multiboot2, plus any modules, and sends GRUB's own output to the serial line.
#
#   tools/mkimage.sh --out FILE.iso --elf build/hypervisor.elf
#                    [--cmdline "hypervisor options"]
#                    [--module PATH "module string"]...
#                    [--entries single|full] [--timeout SECONDS] [--default ID]
#                    [--acpi-table FILE]...
#
# A module that is a Linux bzImage (a /boot/vmlinuz-* file) goes in as the
# kernel ELF image inside it (tools/unwrap-vmlinuz.sh), under its own name.
#
# The image is a hybrid: one file that boots under legacy BIOS (grub-pc-bin)
# and under UEFI (grub-efi-amd64-bin), as a CD-ROM (El Torito, both
# platforms), and as a USB stick or hard disk written with dd (an MBR with
# GRUB's boot code for BIOS, a GPT with an EFI system partition for UEFI).
#
# --entries single (the default) writes one menu entry, 'Tern', with the
# command line and the modules given. --entries full writes the menu that
# `make image` ships (ids in brackets, for --default):
#   Tern                      [tern]         the command line given
#   serial console only       [tern-serial]  ... with console=com1
#   safe mode                 [tern-safe]    ... with console=com1,vga,
#                                            com1=115200,8n1, loglvl=debug
#   hypervisor only           [tern-nodom0]  the command line, no modules
#   UEFI firmware settings    [fwsetup]      (UEFI only)
#   Reboot, Power off         [reboot], [poweroff]
# --timeout is how long GRUB shows the menu (default 0: boot at once; 5 with
# --entries full). Under BIOS GRUB keeps VGA text mode for the kernel
# (gfxpayload=text), since the hypervisor's console writes to it; under UEFI
# there is no text mode, and GRUB passes the firmware's framebuffer on.
#
# --acpi-table FILE (for tests) has each entry run GRUB's `acpi` command with
# FILE first: GRUB rebuilds the RSDT/XSDT with FILE's table in front of the
# firmware's, byte for byte as given (its checksum is not recomputed, except
# for a FACP), and hands the new RSDP to the kernel. The boot matrix uses it
# for a table with a wrong checksum, which QEMU's -acpitable cannot make.
#
# Staging happens in a temporary directory under build/ (or $BUILD).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
DEFAULT_CMDLINE="console=com1,vga loglvl=info"
# The safe-mode entry's console and logging: both consoles, the serial port
# at fixed settings (not 'auto'), every message up to debug.
SAFE_OPTIONS="console=com1,vga com1=115200,8n1 loglvl=debug"
FULL_IDS="tern tern-serial tern-safe tern-nodom0 fwsetup reboot poweroff"
FULL_TIMEOUT=5

usage() {
    cat >&2 <<'EOF'
usage: tools/mkimage.sh --out FILE.iso --elf HYPERVISOR.elf
                        [--cmdline "hypervisor options"]
                        [--module PATH "module string"]...
                        [--entries single|full] [--timeout SECONDS] [--default ID]
                        [--acpi-table FILE]...
EOF
    exit 2
}

die() { printf 'mkimage: error: %s\n' "$*" >&2; exit 1; }

# Quotes one word for grub.cfg: inside single quotes nothing is special, and a
# single quote itself is written as '\''.
grub_quote() {
    local q="'\\''"
    printf "'%s'" "${1//\'/$q}"
}

# Quotes each whitespace-separated word of a command line. GRUB joins the words
# back with single spaces when it hands the line to the kernel or module (the
# file name is not part of it), backslash-escaping any quote or backslash.
# Into the variable named $1 (no subshell: a hundred modules' lines would
# fork hundreds of times).
grub_words_to() {
    local -n gw_out=$1
    local gw_words gw_w gw_q="'\\''" gw_quoted=()
    read -r -a gw_words <<<"$2"
    for gw_w in "${gw_words[@]}"; do
        gw_quoted+=("'${gw_w//\'/$gw_q}'")
    done
    gw_out="${gw_quoted[*]}"
}

grub_words() {
    local line
    grub_words_to line "$1"
    printf '%s' "$line"
}

# The words of a command line without those that set one of the options
# named after it (key=value, a bare key, or no-key), so that a menu entry can
# set them its own way.
drop_options() {
    local line=$1 words w key k kept=()
    shift
    read -r -a words <<<"$line"
    for w in "${words[@]}"; do
        key=${w%%=*}
        key=${key#no-}
        for k in "$@"; do
            [[ $key == "$k" ]] && continue 2
        done
        kept+=("$w")
    done
    printf '%s' "${kept[*]}"
}

# One menu entry: $1 title, $2 id, $3 hypervisor command line, $4 "modules"
# to load the modules (mod_paths, mod_strings: main's) or "none".
menu_entry() {
    local title=$1 id=$2 line=$3 with=$4 i name words q="'\\''"
    echo "menuentry $(grub_quote "$title") --id $id {"
    for i in "${!acpi_paths[@]}"; do
        echo "    acpi /boot/acpi/$(grub_quote "$(basename -- "${acpi_paths[i]}")")"
    done
    echo "    multiboot2 /boot/hypervisor.elf $(grub_words "$line")"
    # GRUB's multiboot2 command resets gfxpayload to "auto" when the image
    # offers a framebuffer (Tern's header does, optionally), so text mode
    # for BIOS must be asked for again after it.
    echo '    if [ "$grub_platform" = "pc" ]; then set gfxpayload=text; fi'
    if [[ $with == modules ]]; then
        for i in "${!mod_paths[@]}"; do
            name=${mod_paths[i]##*/}
            grub_words_to words "${mod_strings[i]}"
            echo "    module2 /boot/'${name//\'/$q}' $words"
        done
    fi
    echo "    boot"
    echo "}"
}

# grub.cfg: $1 entries (single or full), $2 timeout, $3 default id, $4 the
# command line.
# shellcheck disable=SC2016 # $grub_platform is GRUB's, not ours
grub_cfg() {
    local entries=$1 timeout=$2 default=$3 line=$4 serial_line safe_line
    echo "# Generated by tools/mkimage.sh"
    echo "set timeout=$timeout"
    echo "set default=$default"
    echo "serial --unit=0 --speed=115200 --word=8 --parity=no --stop=1"
    echo "terminal_input serial console"
    echo "terminal_output serial console"
    echo "# BIOS: the hypervisor's console writes to VGA text memory, so the"
    echo "# kernel gets text mode. UEFI has no text mode: keep the firmware's"
    echo "# (GOP) framebuffer and pass it on."
    echo 'if [ "$grub_platform" = "efi" ]; then'
    echo "    insmod efi_gop"
    echo "    insmod efi_uga"
    echo "    set gfxpayload=keep"
    echo "else"
    echo "    set gfxpayload=text"
    echo "fi"
    menu_entry "Tern" tern "$line" modules
    [[ $entries == full ]] || return 0
    serial_line=$(drop_options "$line" console)
    serial_line="${serial_line:+$serial_line }console=com1"
    menu_entry "Tern: serial console only (COM1, 115200 8N1)" tern-serial \
        "$serial_line" modules
    safe_line=$(drop_options "$line" console com1 loglvl)
    safe_line="${safe_line:+$safe_line }$SAFE_OPTIONS"
    menu_entry "Tern: safe mode (serial and VGA, fixed serial settings, debug messages)" \
        tern-safe "$safe_line" modules
    menu_entry "Tern: hypervisor only, no domain 0 (debug keys on serial)" \
        tern-nodom0 "$line" none
    echo 'if [ "$grub_platform" = "efi" ]; then'
    echo "    menuentry 'UEFI firmware settings' --id fwsetup {"
    echo "        fwsetup"
    echo "    }"
    echo "fi"
    echo "menuentry 'Reboot' --id reboot {"
    echo "    reboot"
    echo "}"
    echo "menuentry 'Power off' --id poweroff {"
    echo "    halt"
    echo "}"
}

# A module into the image: a Linux bzImage (a /boot/vmlinuz file) as the ELF
# image inside it (tools/unwrap-vmlinuz.sh: Tern's loader takes ELF only),
# under the same name; anything else as it is.
stage_module() {
    local src=$1 dst=$2
    if [[ $(od -An -c -j $((0x202)) -N4 -- "$src" 2>/dev/null | tr -d " ") == HdrS ]]; then
        printf 'mkimage: %s is a bzImage: its kernel ELF goes into the image\n' "$src" >&2
        "$(dirname -- "${BASH_SOURCE[0]}")/unwrap-vmlinuz.sh" "$src" "$dst" ||
            die "cannot unwrap the bzImage '$src'"
        return
    fi
    cp -- "$src" "$dst"
}

main() {
    local out="" elf="" cmdline=$DEFAULT_CMDLINE
    local mod_paths=() mod_strings=()
    local entries=single timeout="" default=tern acpi_paths=()
    while [[ $# -gt 0 ]]; do
        case $1 in
        --out) [[ $# -ge 2 ]] || usage; out=$2; shift 2 ;;
        --elf) [[ $# -ge 2 ]] || usage; elf=$2; shift 2 ;;
        --cmdline) [[ $# -ge 2 ]] || usage; cmdline=$2; shift 2 ;;
        --entries) [[ $# -ge 2 ]] || usage; entries=$2; shift 2 ;;
        --timeout) [[ $# -ge 2 ]] || usage; timeout=$2; shift 2 ;;
        --default) [[ $# -ge 2 ]] || usage; default=$2; shift 2 ;;
        --acpi-table) [[ $# -ge 2 ]] || usage; acpi_paths+=("$2"); shift 2 ;;
        --module)
            [[ $# -ge 3 ]] || usage
            mod_paths+=("$2"); mod_strings+=("$3"); shift 3 ;;
        -h | --help) usage ;;
        *) printf 'mkimage: unknown argument: %s\n' "$1" >&2; usage ;;
        esac
    done
    [[ -n $out && -n $elf ]] || usage
    case $entries in
    single) [[ $default == tern ]] || die "--entries single has only the entry 'tern'" ;;
    full)
        [[ " $FULL_IDS " == *" $default "* ]] ||
            die "unknown menu entry id '$default' (known: $FULL_IDS)" ;;
    *) die "--entries must be single or full, not '$entries'" ;;
    esac
    if [[ -z $timeout ]]; then
        timeout=0
        [[ $entries == single ]] || timeout=$FULL_TIMEOUT
    fi
    [[ $timeout =~ ^[0-9]+$ ]] || die "--timeout must be a number of seconds, not '$timeout'"
    [[ -f $elf ]] || die "hypervisor image '$elf' not found"
    command -v grub-mkrescue >/dev/null 2>&1 ||
        die "grub-mkrescue not found; run tools/install-deps.sh"
    [[ -d /usr/lib/grub/i386-pc ]] ||
        die "GRUB's i386-pc platform (grub-pc-bin) is not installed; run tools/install-deps.sh"
    [[ -d /usr/lib/grub/x86_64-efi ]] ||
        die "GRUB's x86_64-efi platform (grub-efi-amd64-bin) is not installed; run tools/install-deps.sh"

    # One file may be given for several modules (a hundred domains of the
    # same kernel): the image holds it once. Two different files of the
    # same name cannot both be in /boot.
    local i name
    local -A path_of=()
    for i in "${!mod_paths[@]}"; do
        [[ -f ${mod_paths[i]} ]] || die "module '${mod_paths[i]}' not found"
        name=${mod_paths[i]##*/}
        [[ -z ${path_of[$name]:-} || ${path_of[$name]} -ef ${mod_paths[i]} ]] ||
            die "two modules are named '$name'"
        [[ $name != hypervisor.elf ]] || die "a module may not be named hypervisor.elf"
        path_of[$name]=${mod_paths[i]}
    done

    mkdir -p "$BUILD"
    local stage
    stage=$(mktemp -d "$BUILD/mkimage.XXXXXX")
    # shellcheck disable=SC2064 # expand $stage now: it is local to main
    trap "rm -rf -- '$stage'" EXIT

    mkdir -p "$stage/iso/boot/grub"
    # GRUB's multiboot2 loader copies every section of the ELF into memory,
    # debug information and symbol table included (some 700 KiB, placed
    # low, where it pushes the modules about); the running image needs none
    # of them (its backtraces use a table of their own), so the image holds
    # a stripped copy. build/hypervisor.elf keeps them for gdb.
    "${OBJCOPY:-objcopy}" --strip-all -- "$elf" "$stage/iso/boot/hypervisor.elf" ||
        die "cannot strip '$elf' into the image"
    for name in "${!path_of[@]}"; do
        stage_module "${path_of[$name]}" "$stage/iso/boot/$name"
    done
    for i in "${!acpi_paths[@]}"; do
        [[ -f ${acpi_paths[i]} ]] || die "ACPI table '${acpi_paths[i]}' not found"
        mkdir -p "$stage/iso/boot/acpi"
        cp -- "${acpi_paths[i]}" "$stage/iso/boot/acpi/$(basename -- "${acpi_paths[i]}")"
    done

    grub_cfg "$entries" "$timeout" "$default" "$cmdline" >"$stage/iso/boot/grub/grub.cfg"

    mkdir -p "$(dirname -- "$out")"
    # No translations, fonts or themes: they only slow the build down.
    if ! grub-mkrescue --locales= --fonts= --themes= \
            -o "$stage/out.iso" "$stage/iso" >"$stage/log" 2>&1; then
        cat "$stage/log" >&2
        die "grub-mkrescue failed for $out"
    fi
    # Both platforms must be in it, or the image is not the hybrid it claims.
    local torito
    torito=$(xorriso -indev "$stage/out.iso" -report_el_torito plain 2>/dev/null || true)
    grep -q 'El Torito boot img : *[0-9]* *BIOS' <<<"$torito" ||
        die "$out: grub-mkrescue made no BIOS boot image"
    grep -q 'El Torito boot img : *[0-9]* *UEFI' <<<"$torito" ||
        die "$out: grub-mkrescue made no UEFI boot image"
    mv -f -- "$stage/out.iso" "$out"
}

main "$@"
