#!/usr/bin/env bash
# tests/run-unit.sh: runs cmocka unit-test binaries and counts their test cases.
#
#   tests/run-unit.sh BINARY...
#
# Cases are counted from cmocka's summary lines ("[  PASSED  ] N test(s)." and
# "[  FAILED  ] N test(s), ..."); a binary that exits non-zero is a failure even
# when it printed no summary (a sanitizer abort, a crash, a timeout) and then
# counts at least one failed case. Prints one line per binary, then
# "unit: N passed, M failed"; exits non-zero on any failure.
#
# Sanitizer reports are fatal (ASan, UBSan, and LSan leak checks when LSan can
# run here). Environment: HOSTCC (for the LSan probe, default gcc),
# UNIT_TIMEOUT (seconds per binary, default 120).
set -euo pipefail

UNIT_TIMEOUT=${UNIT_TIMEOUT:-120}

# Prints "1" when LeakSanitizer works in this environment, "0" when it cannot
# run (it needs ptrace-like access to the process, which some sandboxes and
# debuggers forbid). A clean program built with ASan must exit 0 with leak
# detection on; without a compiler, leak detection is left on.
lsan_works() {
    local cc=${HOSTCC:-gcc} dir rc=0
    command -v "$cc" >/dev/null 2>&1 || { echo 1; return; }
    dir=$(mktemp -d)
    printf 'int main(void) { return 0; }\n' >"$dir/probe.c"
    if ! "$cc" -fsanitize=address -o "$dir/probe" "$dir/probe.c" >/dev/null 2>&1; then
        rm -rf "$dir"
        echo 1
        return
    fi
    ASAN_OPTIONS=detect_leaks=1 "$dir/probe" >/dev/null 2>&1 || rc=$?
    rm -rf "$dir"
    if [[ $rc -eq 0 ]]; then echo 1; else echo 0; fi
}

setup_sanitizers() {
    local leaks
    leaks=$(lsan_works)
    if [[ $leaks == 0 ]]; then
        echo "unit: note: LeakSanitizer cannot run here (ptrace restrictions?); leak detection is off"
    fi
    export ASAN_OPTIONS="halt_on_error=1:abort_on_error=1:detect_leaks=$leaks:detect_stack_use_after_return=1"
    export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1"
    export LSAN_OPTIONS="exitcode=23"
    # cmocka's own output, in its standard format.
    export CMOCKA_MESSAGE_OUTPUT=stdout
}

# Sums the N of every line of $2 matching "^\[  $1 *\] N test\(s\)".
sum_cases() {
    local label=$1 file=$2
    awk -v label="$label" '
        {
            pre = "^\\[ +" label " +\\] [0-9]+ test\\(s\\)"
            if (match($0, pre)) {
                s = substr($0, RSTART, RLENGTH)
                gsub(/[^0-9]/, "", s)
                n += s + 0
            }
        }
        END { print n + 0 }' "$file"
}

main() {
    setup_sanitizers
    local total_pass=0 total_fail=0 bin name out rc pass fail skip
    out=$(mktemp)
    # shellcheck disable=SC2064 # expand $out now
    trap "rm -f -- '$out'" EXIT
    for bin in "$@"; do
        name=$(basename -- "$bin")
        rc=0
        if [[ ! -x $bin ]]; then
            echo "FAIL $name: not an executable file ($bin)"
            total_fail=$((total_fail + 1))
            continue
        fi
        timeout "$UNIT_TIMEOUT" "$bin" >"$out" 2>&1 || rc=$?
        pass=$(sum_cases PASSED "$out")
        fail=$(sum_cases FAILED "$out")
        skip=$(sum_cases SKIPPED "$out")
        if [[ $rc -ne 0 && $fail -eq 0 ]]; then
            fail=1
        fi
        if [[ $rc -eq 0 && $fail -eq 0 ]]; then
            if [[ $skip -gt 0 ]]; then
                echo "PASS $name: $pass passed, $skip skipped"
            else
                echo "PASS $name: $pass passed"
            fi
        else
            local why="exit status $rc"
            [[ $rc -eq 124 ]] && why="timed out after ${UNIT_TIMEOUT}s"
            echo "FAIL $name: $pass passed, $fail failed ($why)"
            sed 's/^/    /' "$out"
        fi
        total_pass=$((total_pass + pass))
        total_fail=$((total_fail + fail))
    done
    echo "unit: $total_pass passed, $total_fail failed"
    [[ $total_fail -eq 0 ]]
}

main "$@"
