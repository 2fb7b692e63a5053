#!/usr/bin/env bash
# tools/write-usb.sh: writes the hybrid boot image to a USB stick (or any whole
# disk), as `make usb DEV=/dev/sdX` does.
#
#   tools/write-usb.sh [--image FILE] DEVICE
#
# DEVICE is a whole disk (/dev/sdb, sdb, or a /dev/disk/by-id/... link), never
# a partition. Before anything is written the script
#   - refuses a disk that is not removable (/sys/block/NAME/removable is not 1),
#     that is mounted (the disk or any of its partitions, /proc/self/mounts),
#     used as swap (/proc/swaps) or held by another device (device mapper,
#     LVM, RAID: /sys/block/NAME/holders); FORCE=1 overrides these refusals;
#   - refuses, always, a disk smaller than the image;
#   - prints what will be overwritten: model, size, partitions (lsblk);
#   - asks for "yes" on standard input, unless YES=1.
# Then it writes with dd, flushes, and reads the image back to compare.
#
# Environment: FORCE=1, YES=1 as above. WRITE_USB_ROOT=DIR is for the tests
# (tests/tools/write-usb-test.sh): sysfs, /proc and /dev are looked up under
# DIR, where the "disk" is a plain file, so no real device is ever touched.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FAKE=${WRITE_USB_ROOT:-}
SYS=$FAKE/sys
MOUNTS=$FAKE/proc/self/mounts
SWAPS=$FAKE/proc/swaps
DEV_DIR=$FAKE/dev

usage() {
    cat >&2 <<'EOF'
usage: tools/write-usb.sh [--image FILE] DEVICE      (or: make usb DEV=/dev/sdX)
  writes FILE (default build/hypervisor.iso) over the whole disk DEVICE.
  FORCE=1: write even to a disk that is not removable or is in use
  YES=1:   do not ask for confirmation
EOF
    exit 2
}

die() { printf 'write-usb: error: %s\n' "$*" >&2; exit 1; }
say() { printf 'write-usb: %s\n' "$*"; }

# A refusal FORCE=1 can override: an error without it, a warning with it.
refuse() {
    if [[ ${FORCE:-0} == 1 ]]; then
        printf 'write-usb: warning: %s (FORCE=1: writing anyway)\n' "$*" >&2
    else
        printf 'write-usb: refusing: %s\n' "$*" >&2
        printf 'write-usb: set FORCE=1 if you are sure this is the right disk\n' >&2
        exit 1
    fi
}

# The kernel name (sdb) of DEVICE, following links; dies unless it is a
# whole disk that sysfs knows.
disk_name() {
    local arg=$1 path name
    case $arg in
    /dev/*) path=$DEV_DIR/${arg#/dev/} ;;
    /*) path=$arg ;;
    *) path=$DEV_DIR/$arg ;;
    esac
    [[ -e $path ]] || die "$arg: no such device"
    if [[ -z $FAKE ]]; then
        path=$(readlink -f -- "$path")
        [[ -b $path ]] || die "$arg is not a block device"
    fi
    name=$(basename -- "$path")
    if [[ ! -d $SYS/block/$name ]]; then
        [[ -e $SYS/class/block/$name/partition ]] &&
            die "$arg is a partition; give the whole disk"
        die "$arg is not a disk the kernel lists in $SYS/block"
    fi
    printf '%s\n' "$name"
}

# The disk's partitions (sdb1 sdb2 ...), one a line.
partitions() {
    local d
    for d in "$SYS/block/$1"/"$1"*; do
        [[ -e $d/partition ]] && basename -- "$d"
    done
    return 0
}

sysfs_value() {
    local v=""
    if [[ -r $1 ]]; then
        read -r v <"$1" || true
    fi
    printf '%s' "$v"
}

human_size() {
    local bytes=$1
    if ((bytes >= 1 << 30)); then
        printf '%d.%d GiB' $((bytes >> 30)) $(((bytes % (1 << 30)) * 10 >> 30))
    else
        printf '%d MiB' $((bytes >> 20))
    fi
}

# Mount points whose source is /dev/NAME, one a line.
mount_points() {
    local name=$1 src target rest real
    [[ -r $MOUNTS ]] || return 0
    while read -r src target rest; do
        [[ $src == /dev/* ]] || continue
        real=$src
        [[ -n $FAKE ]] || real=$(readlink -f -- "$src" 2>/dev/null || printf '%s' "$src")
        [[ $(basename -- "$real") == "$name" ]] && printf '%s\n' "$target"
    done <"$MOUNTS"
    return 0
}

is_swap() {
    local name=$1 src rest
    [[ -r $SWAPS ]] || return 1
    while read -r src rest; do
        [[ $src == /dev/* && $(basename -- "$src") == "$name" ]] && return 0
    done <"$SWAPS"
    return 1
}

holders() {
    local h
    for h in "$1"/holders/*; do
        [[ -e $h ]] && basename -- "$h"
    done
    return 0
}

# Every reason the disk (and its partitions) is in use, one a line.
in_use() {
    local disk=$1 n dir mp h
    for n in "$disk" $(partitions "$disk"); do
        if [[ $n == "$disk" ]]; then dir=$SYS/block/$disk; else dir=$SYS/block/$disk/$n; fi
        while IFS= read -r mp; do
            [[ -n $mp ]] && printf '/dev/%s is mounted on %s\n' "$n" "$mp"
        done < <(mount_points "$n")
        is_swap "$n" && printf '/dev/%s is in use as swap\n' "$n"
        while IFS= read -r h; do
            [[ -n $h ]] && printf '/dev/%s is held by %s (device mapper, LVM or RAID)\n' "$n" "$h"
        done < <(holders "$dir")
    done
    return 0
}

describe() {
    local disk=$1 bytes=$2 vendor model n psize
    vendor=$(sysfs_value "$SYS/block/$disk/device/vendor")
    model=$(sysfs_value "$SYS/block/$disk/device/model")
    say "about to overwrite /dev/$disk"
    say "  model:      ${vendor:+$vendor }${model:-(unknown)}"
    say "  size:       $(human_size "$bytes") ($bytes bytes)"
    say "  removable:  $(sysfs_value "$SYS/block/$disk/removable")"
    if [[ -z $(partitions "$disk") ]]; then
        say "  partitions: none"
    else
        say "  partitions:"
        for n in $(partitions "$disk"); do
            psize=$(sysfs_value "$SYS/block/$disk/$n/size")
            say "    /dev/$n  $(human_size $((${psize:-0} * 512)))"
        done
    fi
    if [[ -z $FAKE ]] && command -v lsblk >/dev/null 2>&1; then
        lsblk -o NAME,SIZE,TYPE,FSTYPE,LABEL,MOUNTPOINT "/dev/$disk" 2>/dev/null |
            sed 's/^/write-usb:   /' || true
    fi
}

confirm() {
    local disk=$1 answer=""
    [[ ${YES:-0} == 1 ]] && return 0
    printf 'write-usb: everything on /dev/%s will be lost. Type "yes" to go on: ' "$disk"
    read -r answer || true
    [[ $answer == yes ]] || die "not confirmed; nothing written"
}

main() {
    local image=$ROOT/build/hypervisor.iso dev=""
    while [[ $# -gt 0 ]]; do
        case $1 in
        --image) [[ $# -ge 2 ]] || usage; image=$2; shift 2 ;;
        -h | --help) usage ;;
        -*) printf 'write-usb: unknown option: %s\n' "$1" >&2; usage ;;
        *) [[ -z $dev ]] || usage; dev=$1; shift ;;
        esac
    done
    [[ -n $dev ]] || usage
    [[ -f $image ]] || die "image '$image' not found (run make image)"

    local disk sectors bytes image_bytes reasons target
    disk=$(disk_name "$dev")
    sectors=$(sysfs_value "$SYS/block/$disk/size")
    [[ $sectors =~ ^[0-9]+$ && $sectors -gt 0 ]] || die "/dev/$disk has no size (no medium?)"
    bytes=$((sectors * 512))
    image_bytes=$(stat -c %s -- "$image")
    ((image_bytes <= bytes)) ||
        die "/dev/$disk ($(human_size "$bytes")) is smaller than the image ($(human_size "$image_bytes"))"

    [[ $(sysfs_value "$SYS/block/$disk/removable") == 1 ]] ||
        refuse "/dev/$disk is not a removable disk (some USB drives say so too: check with lsblk)"
    reasons=$(in_use "$disk")
    [[ -z $reasons ]] || refuse "/dev/$disk is in use: $(tr '\n' ';' <<<"$reasons" | sed 's/;$//; s/;/; /g')"

    describe "$disk" "$bytes"
    say "image:        $image ($(human_size "$image_bytes"))"
    confirm "$disk"

    target=$DEV_DIR/$disk
    say "writing $image to /dev/$disk"
    dd if="$image" of="$target" bs=4M conv=fsync,notrunc status=none
    sync
    cmp -n "$image_bytes" -- "$image" "$target" >/dev/null ||
        die "read-back of /dev/$disk differs from the image: the stick may be faulty"
    say "done: /dev/$disk holds the image (read back and compared); it boots under BIOS and UEFI"
}

main "$@"
