#!/usr/bin/env bash
# tools/install-deps.sh: installs what Tern's build and tests need on a Debian 12
# host, and only what is missing.
#
#  1. Debian packages (compiler, GRUB, ISO tools, cmocka, python3), checked with
#     dpkg-query and installed with apt-get (through sudo when not root).
#  2. QEMU 10 from bookworm-backports, unpacked into build/qemu/ without
#     touching the system (tools/qemu.sh runs it).
#
# Why not Debian 12's own qemu-system-x86 (7.2)? Its TCG has bugs that break
# paravirtualized guests: `int n` in 64-bit mode raises #GP with the wrong
# error code, and far returns misbehave. QEMU 10 gets both right.
#
# The QEMU step uses a private apt configuration under build/apt/ (its own
# sources list, package lists, caches; no system sources or preferences), asks
# apt which packages an install of qemu-system-x86 from bookworm-backports would
# add to this system, downloads them with `apt-get download` and extracts them
# with `dpkg -x`. The system's dpkg status is only read. Then ldd checks that
# every shared library of the binary resolves; if not, the library packages of
# the whole dependency closure are fetched too, and ldd must then be satisfied.
#
# Idempotent: does nothing when the packages are installed and build/qemu holds
# a working QEMU 10. Environment: BUILD (default ./build of the repository).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
QEMU_DIR=$BUILD/qemu
APT_DIR=$BUILD/apt

# Host packages. libc6-dev is what gcc only recommends but the unit tests need.
# grub-pc-bin and grub-efi-amd64-bin are GRUB's BIOS and UEFI platforms: the
# image is a hybrid of both. ovmf is the UEFI firmware the boot matrix runs.
# console-setup-linux ships the console font the framebuffer console is built
# from (/usr/share/consolefonts/Lat15-Fixed16.psf.gz, see tools/psf2c.py).
# e2fsprogs makes and checks the ext4 image Linux's xvda is
# (tools/linux-io.py); xz-utils unpacks Debian's vmlinuz (tools/unwrap-vmlinuz.sh).
HOST_PACKAGES=(gcc binutils make libc6-dev grub-pc-bin grub-efi-amd64-bin
               grub-common xorriso mtools ovmf libcmocka-dev python3
               console-setup-linux e2fsprogs xz-utils)

# Packages QEMU must find in build/qemu whatever the system has installed:
# the emulator itself and its firmware (-L points only into build/qemu).
QEMU_PACKAGES=(qemu-system-x86 qemu-system-common qemu-system-data seabios
               ipxe-qemu)

# Never extracted: libraries tied to the system's dynamic loader and runtime.
SKIP_PACKAGES=(libc6 libc-bin libgcc-s1 libstdc++6 gcc-12-base)

MIRROR=http://deb.debian.org/debian
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

log() { printf 'install-deps: %s\n' "$*"; }
die() { printf 'install-deps: error: %s\n' "$*" >&2; exit 1; }

# Runs "$@" up to three times, five seconds apart: mirrors have bad moments.
retry() {
    local attempt
    for attempt in 1 2 3; do
        "$@" && return 0
        [[ $attempt -lt 3 ]] && { log "retrying in 5 s: $*"; sleep 5; }
    done
    return 1
}

# Prints the packages of "$@" that dpkg does not report as installed.
missing_packages() {
    local pkg status
    for pkg in "$@"; do
        status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
        [[ $status == installed ]] || printf '%s\n' "$pkg"
    done
}

# Runs a command as root: directly when we are root, through sudo otherwise.
as_root() {
    if [[ $EUID -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo -- "$@"
    else
        die "need root to run '$*' (not root, and sudo is not installed)"
    fi
}

install_host_packages() {
    local missing
    mapfile -t missing < <(missing_packages "${HOST_PACKAGES[@]}")
    if [[ ${#missing[@]} -eq 0 ]]; then
        log "host packages: all installed"
        return
    fi
    log "host packages: installing ${missing[*]}"
    retry as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y --no-install-recommends "${missing[@]}"
}

qemu_binary() { printf '%s\n' "$QEMU_DIR/usr/bin/qemu-system-x86_64"; }

# Colon-separated library directories of the extracted tree.
qemu_lib_path() {
    local dirs=() d
    for d in "$QEMU_DIR"/usr/lib/*-linux-gnu "$QEMU_DIR"/lib/*-linux-gnu; do
        [[ -d $d ]] && dirs+=("$d")
    done
    local IFS=:
    printf '%s\n' "${dirs[*]}"
}

# Sonames of the extracted binary that ldd cannot resolve, one a line.
missing_libraries() {
    LD_LIBRARY_PATH=$(qemu_lib_path) ldd "$(qemu_binary)" 2>/dev/null |
        awk '/=> not found/ { print $1 }'
}

# True when build/qemu runs as QEMU 10 or newer, with its BIOS in place.
qemu_works() {
    local version
    [[ -x $(qemu_binary) ]] || return 1
    [[ -f $QEMU_DIR/usr/share/seabios/bios-256k.bin ]] || return 1
    version=$("$ROOT/tools/qemu.sh" --version 2>/dev/null) || return 1
    [[ $version =~ version\ ([0-9]+)\. ]] || return 1
    [[ ${BASH_REMATCH[1]} -ge 10 ]]
}

# Writes the private apt configuration and refreshes its package lists.
setup_private_apt() {
    mkdir -p "$APT_DIR/state/lists/partial" "$APT_DIR/cache/archives/partial" \
             "$APT_DIR/debs"
    cat >"$APT_DIR/sources.list" <<EOF
# Private to tools/install-deps.sh; the system's sources are not used.
deb [signed-by=$KEYRING] $MIRROR bookworm-backports main
deb [signed-by=$KEYRING] $MIRROR bookworm main
deb [signed-by=$KEYRING] $MIRROR bookworm-updates main
deb [signed-by=$KEYRING] http://deb.debian.org/debian-security bookworm-security main
EOF
    # The system's dpkg status is read (to know what is installed) and never
    # written: nothing here installs, only simulates, downloads and extracts.
    cat >"$APT_DIR/apt.conf" <<EOF
// Private to tools/install-deps.sh.
Dir::Etc::SourceList "$APT_DIR/sources.list";
Dir::Etc::SourceParts "/dev/null";
Dir::Etc::Preferences "/dev/null";
Dir::Etc::PreferencesParts "/dev/null";
Dir::State "$APT_DIR/state";
Dir::State::Lists "$APT_DIR/state/lists";
Dir::State::status "/var/lib/dpkg/status";
Dir::State::extended_states "$APT_DIR/state/extended_states";
Dir::Cache "$APT_DIR/cache";
Dir::Cache::Archives "$APT_DIR/cache/archives";
APT::Default-Release "bookworm-backports";
APT::Install-Recommends "false";
APT::Get::Assume-Yes "true";
APT::Sandbox::User "root";
EOF
    log "qemu: refreshing private package lists in $APT_DIR"
    retry private_apt apt-get -q update >"$APT_DIR/update.log" 2>&1 ||
        { cat "$APT_DIR/update.log" >&2; die "apt-get update (private) failed"; }
}

private_apt() {
    local tool=$1
    shift
    "$tool" -c "$APT_DIR/apt.conf" "$@"
}

# Packages apt would newly install or upgrade to install qemu-system-x86 on
# this system (it simulates; nothing is installed).
packages_for_this_system() {
    local out
    out=$(private_apt apt-get -s install "${QEMU_PACKAGES[@]}" 2>&1) || return 1
    awk '/^Inst / { print $2 }' <<<"$out"
}

# Every library package (lib*) of qemu-system-x86's dependency closure.
library_closure() {
    private_apt apt-cache depends --recurse --no-recommends --no-suggests \
        --no-conflicts --no-breaks --no-replaces --no-enhances \
        "${QEMU_PACKAGES[@]}" | awk '/^lib[^ ]*$/ { print }' | sort -u
}

# Downloads the named packages (minus SKIP_PACKAGES) and extracts them into
# build/qemu.
fetch_and_extract() {
    local pkg skip wanted=()
    for pkg in "$@"; do
        for skip in "${SKIP_PACKAGES[@]}"; do
            [[ $pkg == "$skip" ]] && continue 2
        done
        wanted+=("$pkg")
    done
    [[ ${#wanted[@]} -gt 0 ]] || return 0
    log "qemu: downloading ${wanted[*]}"
    (cd "$APT_DIR/debs" && retry private_apt apt-get -q download "${wanted[@]}") \
        >"$APT_DIR/download.log" 2>&1 ||
        { cat "$APT_DIR/download.log" >&2; die "apt-get download failed"; }
    local deb
    for pkg in "${wanted[@]}"; do
        # apt-get download names files NAME_VERSION_ARCH.deb (':' as %3a);
        # take the newest file of that package name.
        deb=$(find "$APT_DIR/debs" -maxdepth 1 -name "${pkg}_*.deb" | sort -V | tail -n1)
        [[ -n $deb ]] || die "downloaded package $pkg not found in $APT_DIR/debs"
        dpkg -x "$deb" "$QEMU_DIR"
    done
}

# Makes absolute symlinks inside build/qemu point inside build/qemu.
relocate_symlinks() {
    local link target
    while IFS= read -r -d '' link; do
        target=$(readlink "$link")
        if [[ $target == /* && -e $QEMU_DIR$target ]]; then
            ln -sfn "$QEMU_DIR$target" "$link"
        fi
    done < <(find "$QEMU_DIR" -type l -print0)
}

qemu_version_line() {
    local out
    out=$("$ROOT/tools/qemu.sh" --version)
    printf '%s\n' "${out%%$'\n'*}"
}

fetch_qemu() {
    if qemu_works; then
        log "qemu: $(qemu_version_line) in $QEMU_DIR"
        return
    fi
    local pkgs missing
    setup_private_apt
    rm -rf "$QEMU_DIR" "$APT_DIR/debs"
    mkdir -p "$QEMU_DIR" "$APT_DIR/debs"

    # What apt would add to this system, plus the emulator and firmware
    # packages even when the system has its own copies. If apt cannot
    # simulate (a broken system state), the ldd check below falls back.
    local simulated
    simulated=$(packages_for_this_system) ||
        log "qemu: apt could not simulate the install; relying on the library closure"
    mapfile -t pkgs < <(printf '%s\n' "$simulated" "${QEMU_PACKAGES[@]}" | sed '/^$/d' | sort -u)
    fetch_and_extract "${pkgs[@]}"

    mapfile -t missing < <(missing_libraries)
    if [[ ${#missing[@]} -gt 0 || -n ${TERN_QEMU_FULL_CLOSURE:-} ]]; then
        log "qemu: unresolved libraries (${missing[*]:-none}); fetching the library closure"
        mapfile -t pkgs < <(library_closure)
        fetch_and_extract "${pkgs[@]}"
        mapfile -t missing < <(missing_libraries)
        [[ ${#missing[@]} -eq 0 ]] || die "qemu still lacks libraries: ${missing[*]}"
    fi
    relocate_symlinks
    qemu_works || die "the extracted QEMU in build/qemu does not run (try: tools/qemu.sh --version)"
    log "qemu: $(qemu_version_line) in $QEMU_DIR"
}

# When run as root through sudo, give the fetched trees (and build/, if this
# run created it) back to the caller. $1: whether build/ existed before.
restore_ownership() {
    if [[ $EUID -eq 0 && -n ${SUDO_UID:-} && -n ${SUDO_GID:-} ]]; then
        chown -R "$SUDO_UID:$SUDO_GID" "$QEMU_DIR" "$APT_DIR" 2>/dev/null || true
        [[ $1 == yes ]] || chown "$SUDO_UID:$SUDO_GID" "$BUILD" 2>/dev/null || true
    fi
}

# --- real Xen (the oracle for guest tests) -----------------------------------
# Debian 12's xen-hypervisor-4.17-amd64, unpacked under build/xen/ (never
# installed): tools/xen-run.py boots build/xen/xen.elf under QEMU with a guest
# kernel as dom0, so the guest tests can be checked against real Xen.
# The package is fetched with `apt-get download` through the private apt
# configuration above and extracted with `dpkg -x`; boot/xen-4.17-amd64.gz is
# gunzipped to build/xen/xen.elf (a 32-bit multiboot1 ELF QEMU's -kernel loads).
# Idempotent: nothing happens when xen.elf exists and came from this package.
XEN_DIR=$BUILD/xen
XEN_PACKAGE=xen-hypervisor-4.17-amd64
XEN_IMAGE=boot/xen-4.17-amd64.gz

# True when build/xen/xen.elf is an ELF file unpacked from $XEN_PACKAGE.
xen_present() {
    [[ -s $XEN_DIR/xen.elf && -f $XEN_DIR/package ]] || return 1
    [[ $(head -c 4 "$XEN_DIR/xen.elf" | od -An -c | tr -d ' ') == 177ELF ]] || return 1
    [[ $(sed -n 1p "$XEN_DIR/package") == "$XEN_PACKAGE" ]]
}

fetch_xen() {
    if xen_present; then
        log "xen: $(tr '\n' ' ' <"$XEN_DIR/package")in $XEN_DIR"
        return
    fi
    [[ -s $APT_DIR/apt.conf && -n $(ls "$APT_DIR/state/lists" 2>/dev/null) ]] ||
        setup_private_apt
    rm -rf "$XEN_DIR"
    mkdir -p "$XEN_DIR/debs" "$XEN_DIR/root"
    log "xen: downloading $XEN_PACKAGE"
    local attempt
    for attempt in 1 2 3; do
        (cd "$XEN_DIR/debs" && private_apt apt-get -q download "$XEN_PACKAGE") \
            >"$XEN_DIR/download.log" 2>&1 && break
        [[ $attempt -lt 3 ]] || { cat "$XEN_DIR/download.log" >&2; die "xen: apt-get download failed"; }
        sleep 5
    done
    local deb
    deb=$(find "$XEN_DIR/debs" -maxdepth 1 -name "${XEN_PACKAGE}_*.deb" | sort -V | tail -n1)
    [[ -n $deb ]] || die "xen: downloaded package not found in $XEN_DIR/debs"
    dpkg -x "$deb" "$XEN_DIR/root"
    [[ -f $XEN_DIR/root/$XEN_IMAGE ]] || die "xen: $XEN_IMAGE missing from $deb"
    gunzip -c "$XEN_DIR/root/$XEN_IMAGE" >"$XEN_DIR/xen.elf.tmp"
    mv "$XEN_DIR/xen.elf.tmp" "$XEN_DIR/xen.elf"
    printf '%s\n%s\n' "$XEN_PACKAGE" "$(dpkg-deb -f "$deb" Version)" >"$XEN_DIR/package"
    xen_present || die "xen: $XEN_DIR/xen.elf is not an ELF image"
    if [[ $EUID -eq 0 && -n ${SUDO_UID:-} && -n ${SUDO_GID:-} ]]; then
        chown -R "$SUDO_UID:$SUDO_GID" "$XEN_DIR" 2>/dev/null || true
    fi
    log "xen: $(tr '\n' ' ' <"$XEN_DIR/package")in $XEN_DIR"
}
# --- end of real Xen ----------------------------------------------------------

main() {
    command -v dpkg-query >/dev/null 2>&1 || die "dpkg-query not found: this script is for Debian 12"
    local build_existed=no
    [[ -d $BUILD ]] && build_existed=yes
    install_host_packages
    fetch_qemu
    restore_ownership "$build_existed"
    fetch_xen
}

main "$@"
