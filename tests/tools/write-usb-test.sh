#!/usr/bin/env bash
# tests/tools/write-usb-test.sh: the safety checks of tools/write-usb.sh,
# without a real disk. Each case builds a fake /sys, /proc and /dev under a
# temporary directory (WRITE_USB_ROOT), where the "stick" sdx is a sparse
# plain file, runs the script and checks its exit status, what it printed,
# and whether the fake disk now holds the image or is untouched.
#
# Prints one row per case and "write-usb: N passed, M failed"; exits non-zero
# when a case failed.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SCRIPT=$ROOT/tools/write-usb.sh
DISK_BYTES=$((32 << 20))
IMAGE_BYTES=$((1 << 20))

work=$(mktemp -d)
trap 'rm -rf -- "$work"' EXIT
image=$work/image.iso
head -c "$IMAGE_BYTES" /dev/urandom >"$image"

passed=0
failed=0
fake=""

# A fresh fake machine: a removable 32 MiB disk sdx with one partition sdx1,
# nothing mounted, no swap, no holders.
new_fake() {
    fake=$work/$1
    rm -rf -- "$fake"
    mkdir -p "$fake/sys/block/sdx/device" "$fake/sys/block/sdx/holders" \
             "$fake/sys/block/sdx/sdx1/holders" "$fake/sys/class/block/sdx1" \
             "$fake/proc/self" "$fake/dev"
    echo 1 >"$fake/sys/block/sdx/removable"
    echo $((DISK_BYTES / 512)) >"$fake/sys/block/sdx/size"
    echo "Kingston" >"$fake/sys/block/sdx/device/vendor"
    echo "DataTraveler 3.0" >"$fake/sys/block/sdx/device/model"
    echo 1 >"$fake/sys/block/sdx/sdx1/partition"
    echo 61440 >"$fake/sys/block/sdx/sdx1/size"
    echo 1 >"$fake/sys/class/block/sdx1/partition"
    : >"$fake/proc/self/mounts"
    echo "Filename Type Size Used Priority" >"$fake/proc/swaps"
    truncate -s "$DISK_BYTES" "$fake/dev/sdx"
    : >"$fake/dev/sdx1"
}

written() { cmp -s -n "$IMAGE_BYTES" "$image" "$fake/dev/sdx"; }
untouched() { cmp -s -n "$IMAGE_BYTES" /dev/zero "$fake/dev/sdx"; }

# run NAME EXPECT-STATUS(ok|fail) EXPECT-DISK(written|untouched) PATTERN
#     [env assignments...] -- [script arguments...]
# Runs the script in the current fake with the answer in $answer on stdin.
answer=""
run() {
    local name=$1 want=$2 disk=$3 pattern=$4 envs=() status out why=""
    shift 4
    while [[ $# -gt 0 && $1 != -- ]]; do envs+=("$1"); shift; done
    shift
    out=$(printf '%s\n' "$answer" |
          env -u FORCE -u YES WRITE_USB_ROOT="$fake" "${envs[@]}" "$SCRIPT" "$@" 2>&1)
    status=$?
    if [[ $want == ok && $status -ne 0 ]]; then
        why="exit status $status, expected success"
    elif [[ $want == fail && $status -eq 0 ]]; then
        why="succeeded, expected a refusal"
    elif ! grep -qE -- "$pattern" <<<"$out"; then
        why="output lacks /$pattern/"
    elif [[ $disk == written ]] && ! written; then
        why="the fake disk does not hold the image"
    elif [[ $disk == untouched ]] && ! untouched; then
        why="the fake disk was written"
    fi
    if [[ -z $why ]]; then
        echo "PASS $name"
        passed=$((passed + 1))
    else
        echo "FAIL $name: $why"
        sed 's/^/    /' <<<"$out"
        failed=$((failed + 1))
    fi
}

new_fake removable
run removable-written ok written 'Kingston DataTraveler 3.0' YES=1 -- --image "$image" /dev/sdx
new_fake describe
run describe-before-writing ok written '/dev/sdx1 +30 MiB' YES=1 -- --image "$image" sdx

new_fake not-removable
echo 0 >"$fake/sys/block/sdx/removable"
run not-removable-refused fail untouched 'not a removable disk' YES=1 -- --image "$image" /dev/sdx
run not-removable-forced ok written 'FORCE=1: writing anyway' YES=1 FORCE=1 -- --image "$image" /dev/sdx

new_fake partition-mounted
echo "/dev/sdx1 /media/stick vfat rw 0 0" >"$fake/proc/self/mounts"
run partition-mounted-refused fail untouched 'sdx1 is mounted on /media/stick' YES=1 -- --image "$image" /dev/sdx
run partition-mounted-forced ok written 'FORCE=1: writing anyway' YES=1 FORCE=1 -- --image "$image" /dev/sdx

new_fake disk-mounted
echo "/dev/sdx /mnt ext4 rw 0 0" >"$fake/proc/self/mounts"
run disk-mounted-refused fail untouched '/dev/sdx is mounted on /mnt' YES=1 -- --image "$image" /dev/sdx

new_fake swap
echo "/dev/sdx1 partition 1024 0 -2" >>"$fake/proc/swaps"
run swap-refused fail untouched 'in use as swap' YES=1 -- --image "$image" /dev/sdx

new_fake holder
mkdir -p "$fake/sys/block/sdx/sdx1/holders/dm-0"
run holder-refused fail untouched 'held by dm-0' YES=1 -- --image "$image" /dev/sdx

new_fake confirm-no
answer=no
run confirmation-no fail untouched 'not confirmed' -- --image "$image" /dev/sdx
answer=""
run confirmation-eof fail untouched 'not confirmed' -- --image "$image" /dev/sdx
answer=yes
run confirmation-yes ok written 'Type "yes"' -- --image "$image" /dev/sdx
answer=""

new_fake partition-given
run partition-refused fail untouched 'is a partition' YES=1 FORCE=1 -- --image "$image" /dev/sdx1

new_fake missing
run no-such-device fail untouched 'no such device' YES=1 -- --image "$image" /dev/sdy

new_fake too-small
echo 1024 >"$fake/sys/block/sdx/size"
run smaller-than-image fail untouched 'smaller than the image' YES=1 FORCE=1 -- --image "$image" /dev/sdx

new_fake no-medium
echo 0 >"$fake/sys/block/sdx/size"
run no-medium fail untouched 'no size' YES=1 -- --image "$image" /dev/sdx

new_fake usage
run no-device-usage fail untouched 'usage:' YES=1 -- --image "$image"
run no-image fail untouched 'not found' YES=1 -- --image "$work/absent.iso" /dev/sdx

echo "write-usb: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
