#!/usr/bin/env bash
# tools/qemu.sh: runs the QEMU 10 that tools/install-deps.sh unpacked into
# build/qemu/, with its own libraries and firmware, passing every argument on.
#
#   tools/qemu.sh --version   prints QEMU's version and checks that it is 10+
#   tools/qemu.sh ARGS...     execs qemu-system-x86_64 ARGS...
#
# Debian 12's own QEMU (7.2) is deliberately not used: its TCG mishandles PV
# guests (wrong #GP error code for `int n` in 64-bit mode, far returns).
# Environment: BUILD (default ./build of the repository).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
QEMU_DIR=$BUILD/qemu
QEMU_BIN=$QEMU_DIR/usr/bin/qemu-system-x86_64
MIN_MAJOR=10

if [[ ! -x $QEMU_BIN ]]; then
    echo "qemu.sh: $QEMU_BIN is missing; run tools/install-deps.sh (or make deps)" >&2
    exit 127
fi

# The extracted shared libraries come first; the system's fill the rest.
libdirs=()
for d in "$QEMU_DIR"/usr/lib/*-linux-gnu "$QEMU_DIR"/lib/*-linux-gnu; do
    [[ -d $d ]] && libdirs+=("$d")
done
lib_path=$(IFS=:; printf '%s' "${libdirs[*]}")
export LD_LIBRARY_PATH=$lib_path${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}

# Loadable modules must match the binary, never the system's QEMU.
for d in "$QEMU_DIR"/usr/lib/*-linux-gnu/qemu; do
    [[ -d $d ]] && export QEMU_MODULE_DIR=$d
done

if [[ ${1:-} == --version && $# -eq 1 ]]; then
    out=$("$QEMU_BIN" --version) || { echo "qemu.sh: $QEMU_BIN does not run" >&2; exit 1; }
    printf '%s\n' "$out"
    if [[ $out =~ version\ ([0-9]+)\.([0-9]+) ]] && ((BASH_REMATCH[1] >= MIN_MAJOR)); then
        echo "qemu.sh: QEMU ${BASH_REMATCH[1]}.${BASH_REMATCH[2]} from $QEMU_DIR: ok"
        exit 0
    fi
    echo "qemu.sh: QEMU $MIN_MAJOR or newer is required; run tools/install-deps.sh" >&2
    exit 1
fi

# Firmware: BIOS/VGA ROMs (seabios), option ROMs (qemu), NIC ROMs (ipxe).
fw_args=()
for d in "$QEMU_DIR"/usr/share/seabios "$QEMU_DIR"/usr/share/qemu "$QEMU_DIR"/usr/lib/ipxe/qemu; do
    [[ -d $d ]] && fw_args+=(-L "$d")
done

exec "$QEMU_BIN" "${fw_args[@]}" "$@"
