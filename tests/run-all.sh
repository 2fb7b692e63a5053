#!/usr/bin/env bash
# tests/run-all.sh: what `make test` runs once the hypervisor is built: the host
# unit tests (make unit), the QEMU scenarios (make scenarios, which builds the
# ISO first), the hybrid image on the hardware matrix (make boot-matrix), the
# USB writer's safety checks, then the guest kernel's tests on real Xen and on
# Tern (tests/guest/run.py --on both). Every part always runs. Their counts are
# added up into one final line, exactly "N passed, M failed"; the exit status
# is non-zero when anything failed, or when a half ended badly without
# reporting its counts.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
MAKE=${MAKE:-make}

work=$(mktemp -d)
trap 'rm -rf -- "$work"' EXIT

total_pass=0
total_fail=0

# Runs one half ($1: label, the prefix of its "LABEL: N passed, M failed"
# line; the rest: the command), shows its output and adds its counts.
run_half() {
    local label=$1 rc=0 line pass fail
    shift
    echo "=== $label: $*"
    "$@" 2>&1 | tee "$work/$label.out" || rc=$?
    line=$(grep -E "^$label: [0-9]+ passed, [0-9]+ failed" "$work/$label.out" | tail -n 1 || true)
    if [[ -z $line ]]; then
        echo "$label: no result line (exit status $rc); counted as 1 failure"
        pass=0
        fail=1
    else
        [[ $line =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]]
        pass=${BASH_REMATCH[1]}
        fail=${BASH_REMATCH[2]}
        if [[ $rc -ne 0 && $fail -eq 0 ]]; then
            echo "$label: exit status $rc although nothing failed; counted as 1 failure"
            fail=1
        fi
    fi
    total_pass=$((total_pass + pass))
    total_fail=$((total_fail + fail))
}

run_half unit "$MAKE" -s unit
# The build-time tools' own tests (the console font converter), < 1 s.
run_half tools python3 tests/tools/test_psf2c.py
# tools/unwrap-vmlinuz.sh (mkimage.sh's bzImage step) on synthetic bzImages.
run_half unwrap python3 tests/tools/test_unwrap_vmlinuz.py
run_half scenarios "$MAKE" -s scenarios
# The hybrid image on the emulated hardware matrix, ~22 boots, 2 at a time.
run_half boot-matrix "$MAKE" -s boot-matrix
# tools/write-usb.sh's refusals, against a fake sysfs (no real disk).
run_half write-usb tests/tools/write-usb-test.sh
# The guest kernel's built-in tests on real Xen 4.17 (the ABI oracle) and on
# Tern (with Tern's leak check), one boot each, ~2 s each.
run_half guest tests/guest/run.py --on both

echo "$total_pass passed, $total_fail failed"
[[ $total_fail -eq 0 ]]
