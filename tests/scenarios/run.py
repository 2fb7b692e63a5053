#!/usr/bin/env python3
"""tests/scenarios/run.py: Tern's QEMU scenario suite.

Each scenario boots build/hypervisor.elf under QEMU (TCG) from its own GRUB ISO
(tools/mkimage.sh, with the scenario's hypervisor command line, written to
build/scenarios/NAME.iso) and checks the serial output with tools/qemu-run.py
(log in build/scenarios/NAME.log, the runner's report in NAME.out). Some
scenarios check the log further here (the usable RAM reported).

    tests/scenarios/run.py [--jobs N] [--list] [-v] [NAME...]

Prints one row per scenario ("PASS name" or "FAIL name: reason"), then
"scenarios: N passed, M failed"; exits non-zero when any scenario failed.
"""

import argparse
import concurrent.futures
import dataclasses
import http.server
import importlib.util
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import threading
import time
from typing import Callable, List, Optional, Tuple

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MKIMAGE = os.path.join(REPO, "tools", "mkimage.sh")
QEMU_RUN = os.path.join(REPO, "tools", "qemu-run.py")

DEFAULT_CMDLINE = "console=com1,vga loglvl=info"
BOOT_CMDLINE = DEFAULT_CMDLINE + " after_boot=poweroff"
CRASH_PATTERNS = ["PANIC", "FATAL", "frame table invariant broken"]
DEBUG_KEYS_READY = r"press 'h'"
MKIMAGE_TIMEOUT = 120


def load_qemu_run():
    """tools/qemu-run.py as a module (its name has a dash), for clean_text."""
    sys.dont_write_bytecode = True   # no __pycache__ in tools/
    spec = importlib.util.spec_from_file_location("qemu_run", QEMU_RUN)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclasses.dataclass
class Scenario:
    """One boot of the hypervisor and what its serial output must show."""
    name: str
    cmdline: str
    expect: List[str] = dataclasses.field(default_factory=list)
    reject: List[str] = dataclasses.field(default_factory=list)
    send_after: List[Tuple[str, str]] = dataclasses.field(default_factory=list)
    stop_on: List[str] = dataclasses.field(default_factory=list)
    expect_exit: Optional[str] = None
    mem: str = "256M"
    cpu: Optional[str] = None
    # GRUB modules: (path relative to the repository, module string).
    modules: List[Tuple[str, str]] = dataclasses.field(default_factory=list)
    timeout: float = 60.0
    # Further check of the cleaned serial log: returns a failure reason or None.
    check_log: Optional[Callable[[str], Optional[str]]] = None
    # Extra QEMU arguments (e.g. -icount), passed through qemu-run.py.
    qemu_args: List[str] = dataclasses.field(default_factory=list)
    # (REGEX, COMMAND): once REGEX has appeared in the serial output (after
    # the previous one's match), give COMMAND to the QEMU monitor: "sendkey h"
    # types on the PS/2 keyboard ("shift-m", "ctrl-a"), "screendump {ppm}"
    # saves the screen for check_screen.
    monitor: List[Tuple[str, str]] = dataclasses.field(default_factory=list)
    firmware: str = "bios"
    # Check of the screen saved by a "screendump {ppm}" monitor command
    # (NAME.ppm in the output directory): returns a failure reason or None.
    check_screen: Optional[Callable[[str], Optional[str]]] = None
    # An IDE disk: a sparse raw image of this many bytes (NAME.img in the
    # output directory, made afresh) as the primary master.
    disk_bytes: int = 0
    # Check of that image after QEMU exited, given the cleaned serial log:
    # returns a failure reason or None.
    check_disk: Optional[Callable[[str, str], Optional[str]]] = None
    # Fills that fresh image before QEMU starts (e.g. an MBR, a file
    # system): returns a failure reason or None.
    fill_disk: Optional[Callable[[str], Optional[str]]] = None
    # Run before the image is built (e.g. fetch what the modules name):
    # returns a failure reason or None.
    prepare: Optional[Callable[[], Optional[str]]] = None
    # A second boot (a scenario of its own, named NAME-reboot in the logs)
    # on this one's disk image as it was left, once this one has passed:
    # the scenario passes only if both do.
    reboot: Optional["Scenario"] = None


def mem_mib(mem):
    """QEMU's -m value ('256M', '4G') in MiB."""
    m = re.fullmatch(r"(\d+)([MG]?)", mem)
    if not m:
        raise ValueError("unsupported memory size %r" % mem)
    return int(m.group(1)) * (1024 if m.group(2) == "G" else 1)


def usable_ram_check(mem, at_least):
    """A check_log: the last 'RAM: ... N MiB usable' line must show at least
    at_least MiB (and no more than the guest has)."""
    def check(text):
        found = re.findall(r"RAM:.*?(\d+(?:\.\d+)?) ?MiB usable", text)
        if not found:
            return "no 'RAM: ... N MiB usable' line to read the usable RAM from"
        usable = float(found[-1])
        if usable < at_least:
            return "only %g MiB usable reported with -m %s (want >= %d)" % (usable, mem, at_least)
        if usable > mem_mib(mem):
            return "%g MiB usable reported, more than the %s the guest has" % (usable, mem)
        return None
    return check


def boot_scenario(name, mem, at_least, timeout=60.0):
    """Boot to the end of start-up and power off, with -m mem."""
    return Scenario(
        name=name, cmdline=BOOT_CMDLINE, mem=mem, timeout=timeout,
        expect=[r"Tern hypervisor", r"Memory map", r"RAM: .* MiB usable", r"Powering off"],
        reject=CRASH_PATTERNS, expect_exit="poweroff",
        check_log=usable_ram_check(mem, at_least))


GUEST = "build/guest/guest.elf"
# Where SeaBIOS puts the e1000's BAR0 on QEMU's pc with -nic user,model=e1000
# (the nic-check scenario checks domain 0 finds it there).
NIC_BAR0 = "febc0000"


def frames_returned_check(text):
    """A check_log: the teardown line must show every frame returned."""
    m = re.search(r"domain 0 destroyed: (\d+) of (\d+) frames returned", text)
    if not m:
        return "no 'domain 0 destroyed: N of M frames returned' line"
    if m.group(1) != m.group(2) or int(m.group(2)) == 0:
        return "only %s of %s frames returned" % (m.group(1), m.group(2))
    return None


# Guest command lines that make the guest kernel do something fatal to itself
# (guest-kernel/hostile/crash.c) and the one-line reason Tern must give when it
# crashes that domain alone.
GUEST_CRASHES = [
    ("no-handler", r"#UD \(vector 6\) at rip 0x[0-9a-f]+ with no handler registered"),
    ("stack-in-hypervisor",
     r"cannot write the #UD frame on the guest kernel stack at 0xffff800000100000"),
    ("fault-storm", r"fault storm: \d+ nested #PF frames at rip 0x[0-9a-f]+"),
    ("iret-no-user-l4", r"iret to user mode with no user page table"),
    # The iret fast path (arch/x86/iret_fast.S): a load that faults, one
    # that faults after others succeeded, ranges it must refuse to read.
    ("iret-frame-unmapped", r"iret: frame at 0x1000 cannot be read"),
    ("iret-frame-half", r"iret: frame at 0x[0-9a-f]+fe8 cannot be read"),
    ("iret-frame-hv", r"iret: frame at 0xffff800000100000 cannot be read"),
    ("iret-frame-top", r"iret: frame at 0x7fffffffffc0 cannot be read"),
    # The #BP/#UD fast path (arch/x86/trap_fast.S): a store that faults, a
    # stack it must refuse.
    ("ud-stack-unmapped", r"cannot write the #UD frame on the guest kernel stack at 0x1040"),
    ("bp-stack-top",
     r"cannot write the #BP frame on the guest kernel stack at 0x800000000000"),
    # int n through a DPL 3 gate (arch/x86/softint_fast.S): a store that faults.
    ("softint-stack-unmapped",
     r"cannot write the software interrupt frame on the guest kernel stack at 0x1040"),
]


# The fast paths' crash roles run on -cpu max: with SMAP, their faults
# come inside a stac window (arch/x86/iret_fast.S, trap_fast.S).
SMAP_CRASHES = {"iret-frame-unmapped", "iret-frame-half", "iret-frame-hv", "iret-frame-top",
                "ud-stack-unmapped", "bp-stack-top", "softint-stack-unmapped"}


def guest_crash_scenario(how, reason):
    """The guest crashes itself with crash=<how>: one line with the reason,
    every frame back, and no fault in the hypervisor."""
    return Scenario(
        name="guest-crash-" + how, cmdline=DEFAULT_CMDLINE, modules=[(GUEST, "crash=" + how)],
        cpu="max" if how in SMAP_CRASHES else None,
        expect=[r"\(d0\) crash=%s: crashing on purpose" % how,
                r"domain 0 \(dom0\) crashed: " + reason,
                r"domain 0 destroyed: \d+ of \d+ frames returned"],
        stop_on=[r"frames returned to the allocator"],
        reject=CRASH_PATTERNS, check_log=frames_returned_check)


def guest_scenarios():
    """Domain 0 from a module: the demo guest, a refused image, too little
    memory, and the guest crashing itself in each way Tern must contain."""
    return [guest_crash_scenario(how, reason) for how, reason in GUEST_CRASHES] + [
        Scenario(
            name="guest-demo", cmdline=DEFAULT_CMDLINE, modules=[(GUEST, "")],
            expect=[r"starting the domains in ring 3", r"\(d0\) Tern guest kernel",
                    r"domain 0 \(dom0\) shut down: reason 0 \(poweroff\)", r"Powering off"],
            reject=CRASH_PATTERNS + [r"crashed"], expect_exit="poweroff",
            check_log=frames_returned_check),
        # Issue 10: NMIs at whatever instruction they hit (here mostly a
        # guest spinning in ring 3, or the timer tick) are noted, and the
        # hypervisor and the guest go on (the guest never stops spinning,
        # so the NMIs land while it runs, however slow the host).
        Scenario(
            name="guest-nmi", cmdline=DEFAULT_CMDLINE, modules=[(GUEST, "spin-masked")],
            monitor=[(r"spin-masked: events masked", "nmi"), (r"NMI received", "nmi")],
            send_after=[(r"NMI received(.|\n)*NMI received", "q")],
            expect=[r"NMI received on CPU0 \(ignored\)(.|\n)*NMI received on CPU0",
                    r"'q' pressed", r"  d0 .* running"],
            stop_on=[r"  d0 .*\n"], reject=CRASH_PATTERNS + [r"crashed"]),
        Scenario(
            name="bad-kernel", cmdline=BOOT_CMDLINE, modules=[("README.md", "")],
            expect=[r"d0: kernel refused: not an ELF image",
                    r"no domain could be built", r"Powering off"],
            reject=CRASH_PATTERNS, expect_exit="poweroff"),
        # A 0-byte module (GRUB reports it at 0x0-0x0) halted the hypervisor
        # at boot ("cannot keep a boot module"): it is reported and boot goes on.
        Scenario(
            name="empty-module", cmdline=BOOT_CMDLINE,
            modules=[(GUEST, "-- lines=2"), (EMPTY_MODULE, "")],
            expect=[r"module 1 is empty", r"\(d0\) lines: 2 of 2", r"Powering off"],
            reject=CRASH_PATTERNS, expect_exit="poweroff"),
        Scenario(
            name="dom0-mem-too-small", cmdline=BOOT_CMDLINE + " dom0_mem=256K",
            modules=[(GUEST, "")],
            expect=[r"d0: 256 KiB of memory is too little", r"no domain could be built",
                    r"Powering off"],
            reject=CRASH_PATTERNS, expect_exit="poweroff"),
    ]


def guest_copy(domid):
    """A copy of the guest ELF for domain domid (mkimage.sh refuses two
    modules with the same file name); run_scenario makes it."""
    return "build/scenarios/guest-d%d.elf" % domid


DISK_IMAGE = "build/scenarios/disk-image.bin"     # blkback's module target
EMPTY_MODULE = "build/scenarios/empty.bin"


def disk_image_bytes():
    """1 MiB whose every sector says where it is (the disk-image module)."""
    return b"".join((b"TERN disk image sector %d\n" % n).ljust(512, b"\xa5")
                    for n in range(2048))


def replace_file(path, make):
    """make(tmp) writes a file that then replaces path in one rename, so a
    scenario running in parallel (--jobs) that reads path for its own image
    sees the old file or the new one, never a half-written one (an empty
    module once made GRUB hand Tern a module of 0 bytes)."""
    tmp = "%s.%d.%d.tmp" % (path, os.getpid(), threading.get_ident())
    make(tmp)
    os.replace(tmp, path)


def copy_guest_modules(modules):
    """Creates the guest copies a scenario's modules name (guest_copy,
    SMALL_GUEST), and the disk-image module (DISK_IMAGE)."""
    guest = os.path.join(REPO, GUEST)
    if any(p == SMALL_GUEST for p, _ in modules):
        replace_file(os.path.join(REPO, SMALL_GUEST), lambda tmp: subprocess.run(
            ["objcopy", "--strip-all", guest, tmp], check=True))
    for path, _ in modules:
        if path.startswith("build/scenarios/guest-d"):
            replace_file(os.path.join(REPO, path), lambda tmp: shutil.copyfile(guest, tmp))
        if path == DISK_IMAGE:
            replace_file(os.path.join(REPO, path), write_disk_image)
        if path == EMPTY_MODULE:
            replace_file(os.path.join(REPO, path), lambda tmp: open(tmp, "wb").close())


def write_disk_image(path):
    with open(path, "wb") as f:
        f.write(disk_image_bytes())


# The guest ELF without its symbols and debug information (a sixth of the
# size), one file for any number of domains (mkimage.sh puts it in the
# image once).
SMALL_GUEST = "build/scenarios/guest-small.elf"


def domains(*strings):
    """Modules for domains 0, 1, ...: each string is 'options -- guest args'."""
    return [(GUEST if i == 0 else guest_copy(i), string) for i, string in enumerate(strings)]


DOMAIN_LINE_RE = re.compile(r"\(d(\d+)\) lines: (\d+) of (\d+)")
DESTROYED_RE = re.compile(r"domain (\d+) destroyed: (\d+) of (\d+) frames returned to the "
                          r"allocator \(free frames (\d+) -> (\d+)\)")


def frames_baseline_check(nr_domains):
    """A check_log: nr_domains domains destroyed, each with every frame
    returned, and the free-frame count after the last one equal to the
    count before domain 0 was built."""
    def check(text):
        before = re.search(r"free frames before domain 0: (\d+)", text)
        done = DESTROYED_RE.findall(text)
        if not before:
            return "no 'free frames before domain 0: N' line"
        if len(done) != nr_domains:
            return "%d 'domain N destroyed' lines, expected %d" % (len(done), nr_domains)
        for dom, freed, held, _, _ in done:
            if freed != held:
                return "domain %s: only %s of %s frames returned" % (dom, freed, held)
        if done[-1][4] != before.group(1):
            return ("%s free frames before domain 0, %s after the last domain ended"
                    % (before.group(1), done[-1][4]))
        return None
    return check


def interleaved_check(nr_domains, finishers):
    """A check_log for lines=N domains running concurrently: the domains in
    finishers printed all their lines, every pair of them overlapped in
    time (each printed a line before the other's last), and the console
    switched between domains at least 2 * nr_domains times; then the
    frame accounting (frames_baseline_check)."""
    def check(text):
        lines = [(int(d), int(i), int(n)) for d, i, n in DOMAIN_LINE_RE.findall(text)]
        for dom in finishers:
            mine = [i for d, i, n in lines if d == dom]
            if not mine or mine[-1] != lines[[d for d, _, _ in lines].index(dom)][2]:
                return "domain %d did not print all its lines" % dom
        order = [d for d, _, _ in lines]
        for a in finishers:
            for b in finishers:
                first_a = order.index(a)
                last_b = len(order) - 1 - order[::-1].index(b)
                if a != b and first_a > last_b:
                    return "domain %d only started after domain %d had finished" % (a, b)
        switches = sum(1 for x, y in zip(order, order[1:]) if x != y)
        if switches < 2 * nr_domains:
            return "the console switched between domains only %d times" % switches
        return frames_baseline_check(nr_domains)(text)
    return check


def once_each_check(patterns, domids, nr_domains):
    """A check_log: each pattern (with %d for the domain id) appears exactly
    once for each of domids; then the frame accounting."""
    def check(text):
        for dom in domids:
            for pattern in patterns:
                n = len(re.findall(pattern % dom, text))
                if n != 1:
                    return "/%s/ appeared %d times, expected once" % (pattern % dom, n)
        return frames_baseline_check(nr_domains)(text)
    return check


def domain_scenarios():
    """Several domains at once: three run concurrently; one crashes (by its
    own shutdown, or faulting with no handler) and the others finish; one
    spins with events masked and domain 0 destroys it once the others are
    done; one asks for a wrapping periodic timer and blocks; one floods the
    hypervisor with random hypercalls; one writes 4 GiB of zeros with one
    console_io call (its rate limit cuts it short and says so, the others
    never stall); the ping-pong demo. Each ends with every frame back where
    it was before domain 0."""
    reject = CRASH_PATTERNS + [r"crashed", r"stalled"]
    return [
        Scenario(
            name="domains-three", cmdline=DEFAULT_CMDLINE,
            modules=domains("-- lines=20", "-- lines=20", "-- lines=20"),
            expect=[r"\(d0\) lines: 20 of 20", r"\(d1\) lines: 20 of 20",
                    r"\(d2\) lines: 20 of 20", r"\(d0\) roles: all done", r"Powering off"],
            reject=reject, expect_exit="poweroff", check_log=interleaved_check(3, [0, 1, 2])),
        Scenario(
            name="domains-crash", cmdline=DEFAULT_CMDLINE,
            modules=domains("-- lines=20", "-- lines=5:fault", "-- lines=5:crash",
                            "-- lines=20"),
            expect=[r"domain 1 \(d1\) crashed: ", r"domain 2 \(d2\) shut down: reason 3",
                    r"\(d0\) lines: 20 of 20", r"\(d3\) lines: 20 of 20",
                    r"domain 3 destroyed", r"Powering off"],
            reject=CRASH_PATTERNS[1:] + [r"domain [03] \(\w+\) crashed"],
            expect_exit="poweroff", check_log=interleaved_check(4, [0, 3])),
        Scenario(
            name="domains-spin-masked", cmdline=DEFAULT_CMDLINE,
            modules=domains("-- lines=10 destroy=1", "-- spin-masked", "-- lines=10"),
            expect=[r"\(d1\) spin-masked: events masked", r"\(d0\) lines: 10 of 10",
                    r"\(d2\) lines: 10 of 10", r"destroying domain 1",
                    r"domain 1 destroyed", r"Powering off"],
            reject=reject, expect_exit="poweroff", check_log=interleaved_check(3, [0, 2])),
        # Issue 10 hole 6: an unprivileged domain asks for a period that
        # wraps "now + period" and then blocks for good; it must be refused
        # (on the unfixed tree it was taken: a tick storm for the rest of
        # the run) and the others finish their lines.
        Scenario(
            name="domains-timer-wrap", cmdline=DEFAULT_CMDLINE,
            modules=domains("-- lines=10 destroy=1", "-- timer-wrap", "-- lines=10"),
            expect=[r"\(d1\) timer-wrap: VCPUOP_set_periodic_timer\(2\^64 - 1\) = -22",
                    r"\(d1\) timer-wrap: blocked for good",
                    r"\(d0\) lines: 10 of 10", r"\(d2\) lines: 10 of 10",
                    r"destroying domain 1", r"domain 1 destroyed", r"Powering off"],
            reject=reject, expect_exit="poweroff", check_log=interleaved_check(3, [0, 2])),
        Scenario(
            name="domains-fuzz", cmdline=DEFAULT_CMDLINE,
            modules=domains("-- lines=10", "-- fuzz=20000", "-- lines=10"),
            expect=[r"\(d1\) fuzz: 20000 random hypercalls survived",
                    r"\(d0\) lines: 10 of 10", r"\(d2\) lines: 10 of 10",
                    r"domain 1 destroyed", r"Powering off"],
            reject=reject, expect_exit="poweroff", check_log=frames_baseline_check(3),
            timeout=120.0),
        Scenario(
            name="domains-console-flood", cmdline=DEFAULT_CMDLINE,
            modules=domains("-- lines=20", "name=flood -- console-flood", "-- lines=20"),
            expect=[r"\(d1\) console-flood: 4 GiB of zero bytes .* from 4 frames",
                    r"\(d0\) lines: 20 of 20", r"\(d2\) lines: 20 of 20",
                    r"domain 1 \(flood\) shut down: reason 0 \(poweroff\)",
                    r"\(d1\) \[console: 42949\d{5} bytes dropped by the rate limit\]",
                    r"domain 1 destroyed", r"Powering off"],
            reject=reject, expect_exit="poweroff", check_log=interleaved_check(3, [0, 2])),
        Scenario(
            name="domains-pingpong", cmdline=DEFAULT_CMDLINE,
            modules=domains("name=ping -- pingpong=serve:1", "name=pong -- pingpong=connect:0:1"),
            expect=[r"\(d0\) pingpong: serving domain 1 on port 1",
                    r"\(d1\) pingpong: local port \d+ bound to domain 0 port 1",
                    r"\(d0\) pingpong: 1000 pings answered with domain 1",
                    r"\(d1\) pingpong: 1000 round trips with domain 0",
                    # Not "the other domains have ended": domain 0 says that
                    # only when domain 1 outlived its serving loop, which
                    # depends on the host's speed. "all done" follows the
                    # wait in every ordering; "domain 1 destroyed" and the
                    # frame check show domain 1 ended first.
                    r"domain 1 destroyed(.|\n)*\(d0\) roles: all done", r"Powering off"],
            reject=reject, expect_exit="poweroff", check_log=frames_baseline_check(2)),
        # Issue 12, diagnostics: at loglvl=debug each number Tern does
        # not implement is named once per domain, though each is called
        # twice, and each domain gets its own lines.
        Scenario(
            name="unimpl-debug", cmdline="console=com1,vga loglvl=debug",
            modules=domains("-- lines=5", "-- unimpl-probe", "-- unimpl-probe"),
            expect=[r"\(d1\) unimpl-probe: 12 of 12 calls answered -ENOSYS",
                    r"\(d2\) unimpl-probe: 12 of 12 calls answered -ENOSYS",
                    r"\(d0\) lines: 5 of 5", r"Powering off"],
            reject=reject + [r"d0: .* not implemented", r"hypercall 1000 "],
            expect_exit="poweroff", check_log=once_each_check(
                ["d%d: hypercall 11 \\(no such hypercall\\) not implemented",
                 "d%d: hypercall 42 \\(hypfs_op\\) not implemented",
                 "d%d: memory_op 63 not implemented",
                 "d%d: physdev_op 99 not implemented",
                 "d%d: hypercall 4294967313 \\(no such hypercall\\) not implemented "
                 "\\(higher numbers are not named again\\)"], [1, 2], 3)),
        # Issue 12: a multicall whose middle entry ends its domain (a
        # shutdown; a crash, by an iret that cannot read its frame): the
        # entry after it never runs, and the other domain finishes.
        Scenario(
            name="multicall-exits", cmdline=DEFAULT_CMDLINE,
            modules=domains("-- lines=10", "-- multicall-exit=shutdown",
                            "-- multicall-exit=crash"),
            expect=[r"\(d1\) multicall-exit: before",
                    r"domain 1 \(d1\) shut down: reason 0 \(poweroff\)",
                    r"\(d2\) multicall-exit: before",
                    r"domain 2 \(d2\) crashed: iret: frame at 0x1000 cannot be read",
                    r"\(d0\) lines: 10 of 10", r"Powering off"],
            reject=CRASH_PATTERNS + [r"multicall-exit: FAIL", r"domain [01] \(\w+\) crashed"],
            expect_exit="poweroff", check_log=frames_baseline_check(3)),
    ]


SCALE_DOMAINS = 128
# The toy guest's image is 5.5 MiB with its bss, and the bootstrap mapping
# ends on a 4 MiB boundary (as on Xen): 8 MiB each, 1 GiB for 127 of them.
SCALE_MEM = "8M"


def each_domain_check(pattern, nr_domains, check):
    """A check_log: pattern (with %d for the domain id) appears exactly
    once for each domain 0 .. nr_domains - 1; then check."""
    def run(text):
        counts = {}
        for m in re.finditer(pattern.replace("%d", r"(\d+)"), text):
            counts[int(m.group(1))] = counts.get(int(m.group(1)), 0) + 1
        for dom in range(nr_domains):
            if counts.get(dom, 0) != 1:
                return "/%s/ appeared %d times, expected once" % (pattern % dom,
                                                                    counts.get(dom, 0))
        if set(counts) - set(range(nr_domains)):
            return "/%s/ for domains %s beyond the %d" % (
                pattern, sorted(set(counts) - set(range(nr_domains))), nr_domains)
        return check(text)
    return run


def scale_scenarios():
    """Issue 15, scale: 128 domains at once, built from 128 GRUB modules
    (toy guests of 8 MiB in 1.25 GiB), each printing one line and ending; the
    consoles of 3-digit domain ids, and every frame back at the end. (A
    module list longer than MB2_MAX_MODULES is unit-tested: test_multiboot2;
    GRUB takes minutes to load 257 modules under TCG.)"""
    n = SCALE_DOMAINS
    strings = ["-- lines=1"] + ["mem=%s -- lines=1" % SCALE_MEM] * (n - 1)
    reject = CRASH_PATTERNS + [r"crashed", r"stalled", r"skipped"]
    return [
        Scenario(
            name="domains-128", cmdline=DEFAULT_CMDLINE, mem="1280M", timeout=300.0,
            modules=[(SMALL_GUEST, st) for st in strings],
            expect=[r"d127: 'd127' ready", r"\(d127\) lines: 1 of 1",
                    r"\(d0\) roles: all done", r"domain 127 destroyed", r"Powering off"],
            reject=reject, expect_exit="poweroff",
            check_log=each_domain_check(r"\(d%d\) lines: 1 of 1", n,
                                        frames_baseline_check(n))),
    ]


RING_HV_RE = re.compile(r"d(\d+): xenstore page mfn (0x[0-9a-f]+) port (\d+), console page mfn "
                        r"(0x[0-9a-f]+) port (\d+); backend domain (\d+)")
RING_OWN_RE = re.compile(r"\(d(\d+)\) rings: xenstore page mfn (0x[0-9a-f]+) pfn 0x[0-9a-f]+ "
                         r"port (\d+), console page mfn (0x[0-9a-f]+) pfn 0x[0-9a-f]+ port "
                         r"(\d+) \(start_info\)")
RING_DOMCTL_RE = re.compile(r"\(d0\) rings: domain (\d+): xenstore page mfn (0x[0-9a-f]+) "
                            r"port (\d+), console page mfn (0x[0-9a-f]+) port (\d+), "
                            r"backend (\d+) \(domctl\)")


def rings_match_check(backends, nr_domains):
    """A check_log for the ring-page scenarios: for each domain in
    backends (domid -> its backend), the builder's line, the domain's own
    start_info and domain 0's domctl tell the same xenstore and console
    frames and ports (the builder's and domctl's also the same backend);
    no frame appears twice; then the frame accounting."""
    def check(text):
        views = {"builder": RING_HV_RE, "start_info": RING_OWN_RE, "domctl": RING_DOMCTL_RE}
        seen = {}
        for name, regex in views.items():
            for m in regex.finditer(text):
                seen.setdefault(int(m.group(1)), {})[name] = m.groups()[1:]
        frames = []
        for dom, backend in backends.items():
            got = seen.get(dom, {})
            if set(got) != set(views):
                return "domain %d: only the %s view(s) of its ring pages" % (dom, sorted(got))
            own = got["start_info"]
            for name in ("builder", "domctl"):
                if got[name][:4] != own or int(got[name][4]) != backend:
                    return ("domain %d: %s says %s, start_info %s, backend %d"
                            % (dom, name, got[name], own, backend))
            frames += [own[0], own[2]]
        if len(set(frames)) != len(frames):
            return "a ring frame appears twice: %s" % frames
        if set(seen) != set(backends):
            return "ring pages for domains %s, expected %s" % (sorted(seen), sorted(backends))
        return frames_baseline_check(nr_domains)(text)
    return check


def ring_scenarios():
    """Issue 12: every unprivileged domain gets a xenstore and a console
    ring page with a port each, unbound for its backend (guest-kernel/demo/
    rings.c). Each domain checks its own start_info (its frames, zeroed,
    ports unbound for the backend) and reports to domain 0, which reads its
    pages and ports with domctl tern_ring_pages, binds both ports when it
    is the backend (refused when another domain is), signals on them and
    answers; the three views (builder, start_info, domctl) must agree, and
    each domU's reserved grant entries grant the two pages to its backend.
    Domain 0 has no ring pages (domctl -ENOENT), and backend= on a
    privileged domain refuses that module."""
    reject = CRASH_PATTERNS + [r"crashed", r"stalled", r"rings: FAIL", r"rings: rings-"]
    served = [r"\(d0\) rings: domain %d: bound its %s port %d \(our port \d+\) and signalled"
              % (d, name, port) for d in (1, 2) for name, port in (("xenstore", 1), ("console", 2))]
    bound = [r"\(d%d\) rings: domain 0 bound our %s port %d \(its port \d+\) and signalled"
             % (d, name, port) for d in (1, 2) for name, port in (("xenstore", 1), ("console", 2))]
    return [
        Scenario(
            name="domains-rings", cmdline=DEFAULT_CMDLINE,
            modules=domains("-- rings-serve=1:2", "-- rings-check=0:1", "-- rings-check=0:2"),
            expect=[r"\(d0\) rings: domain 1 reports on port 1",
                    r"\(d0\) rings: domain 2 reports on port 2",
                    r"\(d1\) rings: both pages ours, distinct and zeroed; both ports unbound "
                    r"for domain 0; both granted to it",
                    r"\(d2\) rings: both pages ours, distinct and zeroed; both ports unbound "
                    r"for domain 0; both granted to it",
                    r"\(d1\) rings: check done, 0 failures", r"\(d2\) rings: check done, 0 failures",
                    r"\(d0\) rings: served 2 domains, 0 failures", r"Powering off"] + served + bound,
            reject=reject, expect_exit="poweroff",
            check_log=rings_match_check({1: 0, 2: 0}, 3)),
        Scenario(
            name="domains-rings-backend", cmdline=DEFAULT_CMDLINE,
            modules=domains("-- rings-serve=1:2", "backend=2 -- rings-check=2:1",
                            "-- rings-check=0:2", "privileged backend=0 -- lines=1"),
            expect=[r"d3: backend= is for unprivileged domains .*; domain skipped",
                    r"\(d1\) rings: both pages ours, distinct and zeroed; both ports unbound "
                    r"for domain 2; both granted to it",
                    r"\(d0\) rings: domain 1: binding its xenstore port 1 refused \(-22\): it "
                    r"is domain 2's",
                    r"\(d0\) rings: domain 1: binding its console port 2 refused \(-22\): it "
                    r"is domain 2's",
                    r"\(d0\) rings: domain 1: its console input: -1 \(another domain is its "
                    r"backend\)",
                    r"\(d0\) rings: domain 2: its console input: 0 \(we are its backend\)",
                    r"\(d1\) rings: check done, 0 failures", r"\(d2\) rings: check done, 0 failures",
                    r"\(d0\) rings: served 2 domains, 0 failures", r"Powering off"] + served[2:]
                   + bound[2:],
            reject=reject + [r"\(d3\)", r"d1: .*backend domain 0"], expect_exit="poweroff",
            check_log=rings_match_check({1: 2, 2: 0}, 3)),
    ]


def ioport_scenarios():
    """Issue 10, hole 5: a domain with virtual IOPL 1 probes the ports the
    hypervisor drives (guest-kernel/hostile/ioport_probe.c: COM1's scratch register
    and its loopback bit, the PICs, the PIT, the keyboard controller, the
    keyboard-controller and PCI resets, the host bridge's configuration).
    Every read gives all ones, no write lands (the machine is not reset, the
    hypervisor's serial output goes on), and the domain lives on to print
    its lines. Once as an unprivileged domain next to domain 0, once as
    domain 0 itself."""
    reject = CRASH_PATTERNS + [r"crashed", r"ioport-probe: FAIL", r"Rebooting"]
    held = r"ioport-probe: \d+ of \d+ checks held: every port of the hypervisor's denied"
    return [
        Scenario(
            name="ioports-domU", cmdline=DEFAULT_CMDLINE,
            modules=domains("-- lines=10", "-- ioport-probe lines=10"),
            expect=[r"\(d1\) " + held, r"\(d1\) lines: 10 of 10", r"\(d0\) lines: 10 of 10",
                    r"\(d0\) roles: all done", r"Powering off"],
            reject=reject, expect_exit="poweroff", check_log=frames_baseline_check(2)),
        Scenario(
            name="ioports-dom0", cmdline=DEFAULT_CMDLINE,
            modules=domains("-- ioport-probe lines=10"),
            expect=[r"\(d0\) " + held, r"\(d0\) lines: 10 of 10",
                    r"\(d0\) roles: all done", r"Powering off"],
            reject=reject, expect_exit="poweroff", check_log=frames_baseline_check(1)),
        # Issue 10, hole 4: domain 0 destroys two domains while it runs with
        # a GDT of its own; the teardowns must leave its descriptors alone.
        # At loglvl=debug the frame-table check after each teardown says it
        # ran.
        Scenario(
            name="gdt-survives-destroy", cmdline="console=com1,vga loglvl=debug",
            modules=domains("-- gdt-destroy=1:2", "-- spin-masked", "-- spin-masked"),
            expect=[r"\(d0\) gdt-destroy: 2 domains destroyed, our GDT intact after each",
                    r"domain 1 destroyed", r"domain 2 destroyed",
                    r"frame table invariants hold after a domain teardown", r"Powering off"],
            reject=reject + [r"gdt-destroy: FAIL"], expect_exit="poweroff",
            check_log=frames_baseline_check(3)),
        # Issue 10, hole 7: a domain takes 64 MiB in 2 MiB extents with one
        # call and gives it back with one; ticks must land inside the calls
        # (continuations), and domain 0 finishes alongside.
        Scenario(
            name="memop-preempt", cmdline=DEFAULT_CMDLINE,
            modules=domains("-- lines=5", "mem=16M max_mem=96M -- memop-preempt=64"),
            expect=[r"\(d1\) memop-preempt: 64 MiB in 2 MiB extents, \d+ rounds, \d+ ticks, "
                    r"[1-9]\d* inside the calls", r"\(d0\) lines: 5 of 5", r"Powering off"],
            reject=reject + [r"memop-preempt: FAIL"], expect_exit="poweroff",
            check_log=frames_baseline_check(2)),
    ]


def nic_scenarios():
    """Issue 16's groundwork: domain 0 drives the e1000 on QEMU's user
    network (guest-kernel/demo/nic_check.c): it finds the card by PCI
    configuration space, maps BAR0, prints its MAC and link, gets the
    gateway's MAC by ARP and pings it (slirp answers pings to 10.0.2.2),
    then stops the card before its pages go back. At the same time an
    unprivileged domain (hostile/nic_probe.c) scans configuration space
    (all ones: no card), tries to map BAR0 and to map or bind the card's
    interrupt (all refused). Nothing is sent
    to any address but 10.0.2.2. Under -icount the cost line counts
    instructions. (QEMU's e1000 holds received frames for 1 s after the
    receiver is turned on, so the first ARP request is answered late.)"""
    reject = CRASH_PATTERNS + [r"crashed", r"nic-check: FAIL", r"nic-probe: FAIL"]
    return [
        Scenario(
            name="nic-check", cmdline=DEFAULT_CMDLINE,
            modules=domains("-- nic-check", "-- nic-probe=" + NIC_BAR0),
            qemu_args=["-nic", "user,model=e1000", "-icount", "shift=0,sleep=off"],
            expect=[r"\(d0\) nic-check: e1000 8086:100e at 00:03\.0, BAR0 0x" + NIC_BAR0,
                    r"\(d0\) nic-check: MAC 52:54:00:12:34:56",
                    r"\(d0\) nic-check: link up, 1000 Mb/s, full duplex",
                    r"\(d0\) nic-check: ARP reply: 10\.0\.2\.2 is at 52:55:0a:00:02:02",
                    r"\(d0\) nic-check: ICMP echo reply from 10\.0\.2\.2: id 0x5445 seq 1, "
                    r"32 bytes intact",
                    r"\(d0\) nic-check: cost: receiving and parsing the echo reply \d+ ns",
                    r"\(d0\) nic-check: cost: one 74-byte send \d+ ns",
                    r"\(d0\) nic-check: card stopped, its pages returned; done",
                    r"\(d1\) nic-probe: 13 of 13 checks held: the card is out of reach",
                    r"Powering off"],
            reject=reject, expect_exit="poweroff", check_log=frames_baseline_check(2)),
        # No card at all: said so, nothing waited on.
        Scenario(
            name="nic-check-none", cmdline=DEFAULT_CMDLINE, modules=domains("-- nic-check"),
            qemu_args=["-nic", "none"],
            expect=[r"\(d0\) nic-check: no e1000 found \(error -19\)",
                    r"\(d0\) nic-check: card stopped, its pages returned; done",
                    r"Powering off"],
            reject=reject, expect_exit="poweroff", check_log=frames_baseline_check(1)),
    ]


# The UDP echo service net-gateway's domain reaches through QEMU's user
# network: slirp takes 10.0.2.2:UDP_ECHO_PORT to the host's 127.0.0.1.
UDP_ECHO_PORT = 47007


def start_udp_echo():
    """A prepare step: a UDP echo server on 127.0.0.1:UDP_ECHO_PORT only,
    in a thread that echoes at most 64 datagrams and stops after 120 s."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        sock.bind(("127.0.0.1", UDP_ECHO_PORT))
    except OSError as e:
        sock.close()
        return "cannot start the UDP echo server on 127.0.0.1:%d: %s" % (UDP_ECHO_PORT, e)
    sock.settimeout(1.0)

    def serve():
        deadline = time.monotonic() + 120.0
        echoed = 0
        while echoed < 64 and time.monotonic() < deadline:
            try:
                data, peer = sock.recvfrom(2048)
            except socket.timeout:
                continue
            if peer[0] == "127.0.0.1":
                sock.sendto(data, peer)
                echoed += 1
        sock.close()
    threading.Thread(target=serve, daemon=True).start()
    return None


# The web server linux-domu-io's Linux fetches a page from over TCP, the
# same way: 10.0.2.2:HTTP_PORT is the host's 127.0.0.1.
HTTP_PORT = 47008
HTTP_PAGE = b"tern-linux: a page over TCP through netback and the e1000\n"


def start_http():
    """A prepare step: a web server on 127.0.0.1:HTTP_PORT only, answering
    every GET with HTTP_PAGE, in a thread that stops after 300 s."""
    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Length", str(len(HTTP_PAGE)))
            self.end_headers()
            self.wfile.write(HTTP_PAGE)

        def log_message(self, *args):
            pass
    try:
        server = http.server.HTTPServer(("127.0.0.1", HTTP_PORT), Page)
    except OSError as e:
        return "cannot start the web server on 127.0.0.1:%d: %s" % (HTTP_PORT, e)
    server.timeout = 1.0

    def serve():
        deadline = time.monotonic() + 300.0
        while time.monotonic() < deadline:
            server.handle_request()
        server.server_close()
    threading.Thread(target=serve, daemon=True).start()
    return None


def net_pv_scenarios():
    """Issue 16: the PV network. Domain 0 runs driver-domain: netback
    (guest-kernel/backend/netback.c) serves each vif the toolstack wrote
    (vif.<name>= on its command line) and joins them, and the e1000 when
    QEMU has one, with a learning bridge (netbridge.c); each domain's
    netfront (net/netfront.c, role netfront in demo/net_ping.c) does the
    handshake, pings and answers. Every frame comes back when all ended."""
    reject = CRASH_PATTERNS + [r"crashed", r"netfront: FAIL", r"ping: no answer",
                               r"still uses a grant", r"unmap_grant_ref: -"]
    pair = ("-- driver-domain vif.a=ip=10.0.0.1 vif.b=ip=10.0.0.2",
            "name=a -- netfront=60000 answers=4 ping=10.0.0.2:4 udp=10.0.0.2",
            "name=b -- netfront=60000 answers=4:4 ping=10.0.0.1:4")
    ping_re = r"\(d%d\) ping: echo reply from %s: seq %d, round trip \d+ ns"
    return [
        # Two domains ping each other through domain 0's bridge.
        Scenario(
            name="net-two", cmdline=DEFAULT_CMDLINE, modules=domains(*pair),
            qemu_args=["-nic", "none"],
            expect=[r"\(d0\) netback: vif1\.0: connected", r"\(d0\) netback: vif2\.0: connected",
                    r"\(d1\) netfront: vif 0 connected to domain 0: mac "
                    r"00:16:3e:00:01:00, ip 10\.0\.0\.1",
                    ping_re % (1, r"10\.0\.0\.2", 4), ping_re % (2, r"10\.0\.0\.1", 4),
                    r"\(d1\) ping: 4 of 4 answered", r"\(d2\) ping: 4 of 4 answered",
                    r"\(d1\) udp: 512 bytes echoed intact by 10\.0\.0\.2:7: datagram 4, ",
                    r"\(d1\) udp: 4 of 4 datagrams echoed",
                    r"\(d1\) netfront: answered 4 pings",
                    r"\(d2\) netfront: answered 4 pings, echoed 4 datagrams",
                    r"\(d0\) netback: vif1\.0: its frontend closed; disconnected",
                    r"\(d1\) netfront: closed", r"\(d2\) netfront: closed",
                    r"\(d0\) driver-domain: no other domain runs; done", r"Powering off"],
            reject=reject, expect_exit="poweroff", check_log=frames_kept_baseline_check(3)),
        # A domain pings QEMU's user-network gateway through netback, the
        # bridge and the e1000 (slirp answers ARP and pings for 10.0.2.2
        # itself) and exchanges UDP with an echo server on the host's
        # 127.0.0.1 (slirp's 10.0.2.2); nothing is sent to any other address.
        Scenario(
            name="net-gateway", cmdline=DEFAULT_CMDLINE,
            modules=domains("-- driver-domain vif.a=ip=10.0.2.15", "name=a -- netfront=200 ping=10.0.2.2:3 "
                            "udp=10.0.2.2:%d:3" % UDP_ECHO_PORT),
            qemu_args=["-nic", "user,model=e1000"], prepare=start_udp_echo,
            expect=[r"\(d0\) netbridge: the e1000's interrupt \(GSI \d+\) comes as pirq "
                    r"\d+ on port \d+",
                    r"\(d0\) netback: the e1000 joins the bridge",
                    r"\(d0\) netback: vif1\.0: connected",
                    ping_re % (1, r"10\.0\.2\.2", 3), r"\(d1\) ping: 3 of 3 answered",
                    r"\(d1\) udp: 3 of 3 datagrams echoed",
                    r"\(d1\) netfront: closed",
                    # Received frames are taken only when the card's
                    # interrupt came (a pirq), so the pings prove it too.
                    r"\(d0\) netbridge: the e1000 raised [1-9]\d* interrupts",
                    r"\(d0\) netbridge: the e1000 stopped, its pages returned",
                    r"\(d0\) driver-domain: no other domain runs; done", r"Powering off"],
            reject=reject, expect_exit="poweroff", check_log=frames_kept_baseline_check(2)),
        # Hostile frontends: one sends an ungranted entry, a runt, a flood
        # and lying ring indices (disconnected alone), another crashes with
        # its rings mapped; domains 1 and 2 keep pinging throughout, and
        # every frame comes back.
        Scenario(
            name="net-hostile", cmdline=DEFAULT_CMDLINE,
            modules=domains("-- driver-domain vif.a=ip=10.0.0.1 vif.b=ip=10.0.0.2 "
                            "vif.evil=ip=10.0.0.3 vif.crash=ip=10.0.0.4",
                            "name=a -- netfront ping=10.0.0.2:20:100", "name=b -- netfront=60000 answers=20",
                            "name=evil -- net-hostile=lie", "name=crash -- net-hostile=crash"),
            qemu_args=["-nic", "none"],
            expect=[r"\(d3\) net-hostile: ungranted entry: ok",
                    r"\(d3\) net-hostile: 8-byte packet: ok",
                    r"\(d3\) net-hostile: spoofed source MAC: ok",
                    r"\(d3\) net-hostile: bad rx buffers: ok",
                    r"\(d3\) net-hostile: flood: ok \(2048 frames",
                    r"\(d0\) netback: vif3\.0: tx req_prod beyond its ring; disconnected",
                    r"\(d3\) net-hostile: lying req_prod: ok", r"\(d3\) net-hostile: all steps held",
                    r"\(d4\) net-hostile: crashing with both rings mapped",
                    r"\(d0\) netback: vif4\.0: its domain ended; disconnected",
                    r"\(d1\) ping: 20 of 20 answered", r"\(d2\) netfront: answered 20 pings",
                    r"\(d0\) driver-domain: no other domain runs; done", r"Powering off"],
            reject=CRASH_PATTERNS + [r"netfront: FAIL", r"net-hostile: FAIL", r"ping: no answer",
                                     r"still uses a grant", r"unmap_grant_ref: -",
                                     r"domain [0-3] \(\w+\) crashed"],
            timeout=90.0, expect_exit="poweroff", check_log=frames_kept_baseline_check(5)),
    ]


# The disk-check role's pattern (guest-kernel/demo/disk_check.c): each
# sector starts with its label; each region's FNV-1a 64 hash is printed.
DISK_REGION_RE = re.compile(r"\(d0\) disk-check: lba (\d+)\+(\d+) read back: match, "
                            r"fnv1a (0x[0-9a-f]+)")
BLIND_WRITE_LBA = 4096      # guest-kernel/hostile/ide_probe.c


def fnv1a64(data):
    h = 0xcbf29ce484222325
    for b in data:
        h = ((h ^ b) * 0x100000001b3) & 0xffffffffffffffff
    return h


def disk_pattern_check(nr_regions):
    """A check_disk: after QEMU exited, the image holds every region the
    guest verified (its labels, and the hash the guest printed), and the
    sector an unprivileged domain blindly wrote is still zeros."""
    def check(image, text):
        regions = DISK_REGION_RE.findall(text)
        if len(regions) != nr_regions:
            return "%d verified regions in the log, expected %d" % (len(regions), nr_regions)
        with open(image, "rb") as f:
            for lba, count, digest in regions:
                lba, count = int(lba), int(count)
                f.seek(lba * 512)
                data = f.read(count * 512)
                for i in range(count):
                    label = b"TERN disk-check lba %d\n" % (lba + i)
                    if not data[i * 512:].startswith(label):
                        return "sector %d of the image lacks its label" % (lba + i)
                if fnv1a64(data) != int(digest, 16):
                    return "lba %d+%d: the image's hash differs from the guest's" % (lba, count)
            f.seek(BLIND_WRITE_LBA * 512)
            if f.read(512) != bytes(512):
                return "the unprivileged domain's blind write reached lba %d" % BLIND_WRITE_LBA
        return None
    return check


def disk_scenarios():
    """Issue 14: domain 0 drives a real IDE disk (drivers/ata.c, PIO): it
    identifies the drives, writes a pattern below and across LBA 2^28
    (the 48-bit commands) of a 130 GiB sparse image, flushes, reads back
    and verifies; then by bus-master DMA writes a third region (read back
    by PIO) and reads the first back; the host then finds every pattern
    in the image file. An
    unprivileged domain at the same time reads all ones at every IDE
    register, finds no drive, and its blind write never lands. Under
    -icount the cost lines count instructions."""
    reject = CRASH_PATTERNS + [r"crashed", r"disk-check: FAIL", r"ide-probe: FAIL"]
    return [
        Scenario(
            name="disk-check", cmdline=DEFAULT_CMDLINE,
            modules=domains("-- disk-check", "-- ide-probe"),
            disk_bytes=130 << 30, check_disk=disk_pattern_check(4),
            qemu_args=["-icount", "shift=0,sleep=off"], timeout=180.0,
            expect=[r"\(d0\) disk-check: ata0 master: 'QEMU HARDDISK', 272629760 sectors "
                    r"\(133120 MiB\), LBA48, FLUSH CACHE EXT",
                    r"\(d0\) disk-check: lba 268435452\+12 read back: match",
                    r"\(d0\) disk-check: lba 8192\+264 written by DMA",
                    r"\(d0\) disk-check: lba 2048\+264 read back: match, .*\(DMA",
                    r"\(d0\) disk-check: the IDE interrupt \(GSI 14\) comes as pirq \d+ on "
                    r"port \d+",
                    r"\(d0\) disk-check: [1-9]\d* IDE interrupts arrived",
                    r"\(d0\) disk-check: done: 4 regions verified",
                    r"\(d1\) ide-probe: 23 of 23 checks held: the IDE ports are denied",
                    r"Powering off"],
            reject=reject, expect_exit="poweroff", check_log=frames_baseline_check(2)),
        # Domain 0's direct cost per KiB (the PV block device's baseline),
        # by PIO and DMA; under -icount, in instructions.
        Scenario(
            name="disk-bench", cmdline=DEFAULT_CMDLINE, modules=domains("-- disk-bench"),
            disk_bytes=2 << 30, qemu_args=["-icount", "shift=0,sleep=off"], timeout=180.0,
            expect=[r"\(d0\) bench: disk_%s_%s_per_kib per_op=\d+" % (op, m)
                    for m in ("pio", "dma", "dma_cpu")
                    for op in ("seq_read_64k", "seq_write_64k", "rand_read_4k")]
                   + [r"\(d0\) disk-bench: done", r"Powering off"],
            reject=reject + [r"bench: .* error="], expect_exit="poweroff",
            check_log=frames_baseline_check(1)),
        # No disk at all: every position is reported, nothing waits for ever.
        Scenario(
            name="disk-check-none", cmdline=DEFAULT_CMDLINE, modules=domains("-- disk-check"),
            expect=[r"\(d0\) disk-check: ata0 master: no drive",
                    r"\(d0\) disk-check: ata1 master: not an ATA disk",
                    r"\(d0\) disk-check: no ATA disk found", r"Powering off"],
            reject=reject, expect_exit="poweroff", check_log=frames_baseline_check(1)),
    ]


# The blk-check role's pattern (guest-kernel/demo/blk_check.c): each
# sector of a domain's virtual disk starts with "TERN blk-check d<dom>
# sector <n>"; the guest prints the hash of what it read back.
BLK_DONE_RE = re.compile(r"\(d(\d+)\) blk-check: (\d+) sectors read back: match, "
                         r"fnv1a (0x[0-9a-f]+)")
BLK_LABEL_RE = re.compile(rb"TERN blk-check d(\d+) sector (\d+)\n")


def blk_image_check(ranges, untouched=()):
    """A check_disk: each domain in ranges ({dom: (first, count)}) that
    verified its disk finds it in the image after QEMU exited: every
    sector's label at first + n, the hash the guest printed; no label of
    any domain anywhere else; the untouched ranges (first, count) all
    zeros."""
    def check(image, text):
        done = {int(d): (int(n), int(h, 16)) for d, n, h in BLK_DONE_RE.findall(text)}
        if set(done) != set(ranges):
            return "domains %s verified their disks, expected %s" % (sorted(done), sorted(ranges))
        with open(image, "rb") as f:
            data = f.read()
        for dom, (first, count) in ranges.items():
            if done[dom][0] != count:
                return "domain %d verified %d sectors, expected %d" % (dom, done[dom][0], count)
            if fnv1a64(data[first * 512:(first + count) * 512]) != done[dom][1]:
                return "domain %d: the image's hash differs from the guest's" % dom
        labels = 0
        for m in BLK_LABEL_RE.finditer(data):
            dom, n = int(m.group(1)), int(m.group(2))
            first, count = ranges.get(dom, (None, 0))
            if m.start() % 512 or n >= count or m.start() != (first + n) * 512:
                return "domain %d's sector %d found at byte %d" % (dom, n, m.start())
            labels += 1
        if labels != sum(c for _, c in ranges.values()):
            return "%d labelled sectors in the image, expected %d" % (
                labels, sum(c for _, c in ranges.values()))
        for first, count in untouched:
            if data[first * 512:(first + count) * 512] != bytes(count * 512):
                return "sectors %d+%d were written" % (first, count)
        return None
    return check


# The MBR the blk-parts scenario puts on its disk: (boot flag, type, first,
# count) per entry; two Linux partitions, an extended one, one unused.
BLK_MBR = [(0x80, 0x83, 2048, 4096), (0x00, 0x83, 8192, 4096), (0x00, 0x05, 16384, 8192)]


def mbr_bytes(entries):
    """Sector 0 with these entries (CHS fields 0xfe, ignored) and 0x55aa."""
    table = b"".join(struct.pack("<B3sB3sII", flag, b"\xfe\xff\xff", kind, b"\xfe\xff\xff",
                                 first, count) for flag, kind, first, count in entries)
    return bytes(446) + table.ljust(64, b"\0") + b"\x55\xaa"


def write_mbr(image):
    with open(image, "r+b") as f:
        f.write(mbr_bytes(BLK_MBR))


def blk_parts_check(ranges, untouched):
    """blk_image_check, and sector 0 still holds the MBR as written."""
    inner = blk_image_check(ranges, untouched)

    def check(image, text):
        with open(image, "rb") as f:
            if f.read(512) != mbr_bytes(BLK_MBR):
                return "the MBR in sector 0 was changed"
        return inner(image, text)
    return check


def blk_scenarios():
    """Issue 14: the PV block device end to end. Domain 0 (driver-domain)
    drives the IDE disk and serves each domain's virtual disk, a range of
    it, through blkback (guest-kernel/backend/blkback*.c); each domain's
    blkfront (guest-kernel/blk/) writes a pattern over its whole disk,
    flushes, reads it back. After QEMU exits the host finds each domain's
    sectors at the right place of the image and nowhere else; every frame
    comes back."""
    reject = CRASH_PATTERNS + [r"blk-check: FAIL", r"blk-hostile: FAIL", r"left unconnected",
                               r"still in use after", r"xenbus: ", r"never closed",
                               r"dropping its watch events"]
    a, b, c = (2048, 4096), (8192, 4096), (16384, 256)
    return [
        Scenario(
            name="blk-two", cmdline=DEFAULT_CMDLINE,
            modules=domains("-- driver-domain disk.a=phy:ide0:2048+4096,xvda,w "
                            "disk.b=phy:ide0:8192+4096,xvda,w disk.c=phy:ide0:16384+256,xvda,r",
                            "name=a -- blk-check", "name=b -- blk-check",
                            "name=c -- blk-check=ro"),
            disk_bytes=64 << 20, timeout=120.0,
            check_disk=blk_image_check({1: a, 2: b}, untouched=[c]),
            expect=[r"\(d0\) blkback: ide0: 'QEMU HARDDISK', 131072 sectors",
                    r"\(d0\) blkback: vbd 1/51712: ide0, 4096 sectors from 2048, read-write",
                    r"\(d0\) blkback: vbd 3/51712: ide0, 256 sectors from 16384, read-only",
                    r"\(d1\) blkfront: vbd 51712: 4096 sectors of 512 bytes, flush, "
                    r"32 segments a request, backend domain 0, persistent grants",
                    r"\(d1\) blk-check: 4096 sectors written and flushed",
                    r"\(d2\) blk-check: 4096 sectors read back: match",
                    r"\(d3\) blkfront: vbd 51712: 256 sectors of 512 bytes, read-only",
                    r"\(d3\) blk-check: a write to the read-only disk is refused \(-1\)",
                    r"\(d3\) blk-check: done",
                    r"\(d1\) blkfront: vbd 51712 closed; 0 grants still in use",
                    r"\(d2\) blkfront: vbd 51712 closed; 0 grants still in use",
                    r"\(d0\) blkback: vbd 2/51712: the frontend closes; disconnected after 33 "
                    r"requests \(0 refused, 32 by DMA straight into its pages\), 32 pages it "
                    r"reused unmapped",
                    r"\(d0\) driver-domain: no other domain runs; done", r"Powering off"],
            reject=reject, expect_exit="poweroff", check_log=frames_kept_baseline_check(4)),
        # Nothing lost: two domains write their pattern, flush and the
        # machine powers off; a second QEMU run on the same image file
        # boots them again to read it all back (blk-check=verify).
        Scenario(
            name="blk-reboot", cmdline=DEFAULT_CMDLINE,
            modules=domains("-- driver-domain disk.a=phy:ide0:2048+4096,xvda,w "
                            "disk.b=phy:ide0:8192+4096,xvda,w",
                            "name=a -- blk-check", "name=b -- blk-check"),
            disk_bytes=64 << 20, timeout=120.0,
            check_disk=blk_image_check({1: a, 2: b}),
            expect=[r"\(d1\) blk-check: 4096 sectors written and flushed",
                    r"\(d2\) blk-check: 4096 sectors written and flushed",
                    r"\(d0\) driver-domain: no other domain runs; done", r"Powering off"],
            reject=reject, expect_exit="poweroff", check_log=frames_kept_baseline_check(3),
            reboot=Scenario(
                name="blk-reboot-2", cmdline=DEFAULT_CMDLINE,
                modules=domains("-- driver-domain disk.a=phy:ide0:2048+4096,xvda,w "
                                "disk.b=phy:ide0:8192+4096,xvda,w",
                                "name=a -- blk-check=verify", "name=b -- blk-check=verify"),
                disk_bytes=64 << 20, timeout=120.0,
                check_disk=blk_image_check({1: a, 2: b}),
                expect=[r"\(d1\) blk-check: 4096 sectors read back: match, fnv1a 0x[0-9a-f]+ "
                        r"\(written in an earlier boot\)",
                        r"\(d2\) blk-check: 4096 sectors read back: match, fnv1a 0x[0-9a-f]+ "
                        r"\(written in an earlier boot\)",
                        r"\(d0\) blkback: vbd 1/51712: the frontend closes; disconnected after "
                        r"16 requests \(0 refused, 16 by DMA straight into its pages\)",
                        r"\(d0\) driver-domain: no other domain runs; done", r"Powering off"],
                reject=reject, expect_exit="poweroff", check_log=frames_kept_baseline_check(3))),
        # Two domains on two MBR partitions of one disk (the host writes
        # the table): each fills and verifies its own; neither's sectors
        # land outside its partition, the table and the extended
        # partition stay as they were.
        Scenario(
            name="blk-parts", cmdline=DEFAULT_CMDLINE,
            modules=domains("-- driver-domain disk.a=phy:ide0p1,xvda,w disk.b=phy:ide0p2,xvda,w "
                            "disk.c=phy:ide0p3,xvda,w",
                            "name=a -- blk-check", "name=b -- blk-check", "name=c -- lines=400"),
            disk_bytes=64 << 20, timeout=120.0, fill_disk=write_mbr,
            check_disk=blk_parts_check({1: a, 2: b}, untouched=[(1, 2047), (16384, 8192)]),
            expect=[r"\(d0\) blkback: vbd 1/51712: ide0, 4096 sectors from 2048, read-write",
                    r"\(d0\) blkback: vbd 2/51712: ide0, 4096 sectors from 8192, read-write",
                    r"\(d0\) blkback: vbd 3/51712: ide0p3: that is an extended partition "
                    r"\(logical ones are not served\); left unconnected",
                    r"\(d1\) blk-check: 4096 sectors read back: match",
                    r"\(d2\) blk-check: 4096 sectors read back: match",
                    r"\(d0\) driver-domain: no other domain runs; done", r"Powering off"],
            reject=[p for p in reject if p != r"left unconnected"],
            expect_exit="poweroff", check_log=frames_kept_baseline_check(4)),
        # A hostile frontend sends requests blkback must refuse, floods,
        # then lies about its ring indices and is disconnected alone;
        # another crashes with 32 requests in flight; one abuses persistent
        # grants (past blkback's limit, a kept reference regranted, a crash
        # with its pages kept mapped); a good one verifies its disk
        # meanwhile. Nothing lands outside the good one's range.
        Scenario(
            name="blk-hostile", cmdline=DEFAULT_CMDLINE,
            modules=domains("-- driver-domain disk.a=phy:ide0:2048+4096,xvda,w "
                            "disk.h=phy:ide0:8192+2048,xvda,w disk.x=phy:ide0:12288+64,xvda,w "
                            "disk.r=phy:ide0:12352+64,xvda,w disk.p=phy:ide0:12416+64,xvda,w",
                            "name=a -- blk-check", "name=h -- blk-hostile=bad",
                            "name=x -- blk-hostile=crash", "name=r -- blk-hostile=ring",
                            "name=p -- blk-hostile=persist"),
            disk_bytes=64 << 20, timeout=120.0,
            check_disk=blk_image_check({1: a}, untouched=[(8192, 4300)]),
            expect=[r"\(d2\) blk-hostile: read into a read-only grant: status -1",
                    r"\(d2\) blk-hostile: ungranted page: status -1",
                    r"\(d2\) blk-hostile: write past the end: status -1",
                    r"\(d2\) blk-hostile: 12 segments: status -1",
                    r"\(d2\) blk-hostile: indirect, 33 segments: status -1",
                    r"\(d2\) blk-hostile: indirect, ungranted page: status -1",
                    r"\(d2\) blk-hostile: indirect, last_sect 9 inside: status -1",
                    r"\(d2\) blk-hostile: a good read: status 0",
                    r"\(d2\) blk-hostile: flood: 2048 of 2048 reads answered, 32 in flight",
                    r"\(d0\) blkback: vbd 2/51712: the frontend lied about its ring indices; "
                    r"disconnected after \d+ requests \(13 refused, \d+ by DMA straight into "
                    r"its pages\)",
                    r"\(d2\) blk-hostile: the backend disconnected us",
                    r"\(d2\) blkfront: vbd 51712 closed; 0 grants still in use",
                    r"\(d2\) blk-hostile: done\n",
                    r"\(d3\) .*crashing with 32 requests in flight",
                    r"\(d0\) blkback: vbd 3/51712: its domain ended; disconnected",
                    r"\(d1\) blk-check: 4096 sectors read back: match",
                    r"\(d1\) blkfront: vbd 51712 closed; 0 grants still in use",
                    r"\(d0\) blkback: vbd 4/51712: ring-ref 4000: map_grant_ref -\d+",
                    r"\(d0\) blkback: vbd 4/51712: cannot map the frontend's ring",
                    r"\(d4\) blk-hostile: the backend refused the ring and is Closing",
                    r"\(d0\) blkback: vbd 5/51712: connected \(.*persistent grants\)",
                    r"\(d5\) blk-hostile: persist: 400 of 400 reads answered; 48 of the 48 "
                    r"references past the limit ended, 352 of the first 352 held by the backend",
                    r"\(d5\) blk-hostile: persist: a kept reference regranted to another page, "
                    r"read-only: status 0, the read went to the page first granted",
                    r"\(d5\) blk-hostile: persist: indirect page never granted: status -1",
                    r"\(d5\) blk-hostile: persist: kept indirect page naming page 4000: status -1",
                    r"\(d5\) blk-hostile: persist: done\n",
                    r"\(d5\) .*crashing with 32 requests in flight on kept pages",
                    r"\(d0\) blkback: vbd 5/51712: its domain ended; disconnected after \d+ "
                    r"requests \(2 refused, \d+ by DMA straight into its pages\), 352 pages it "
                    r"reused unmapped",
                    r"domain 5 destroyed: \d+ of \d+ frames returned .*; \d+ kept until other "
                    r"domains unmap them",
                    r"\(d0\) driver-domain: no other domain runs; done", r"Powering off"],
            reject=[p for p in reject if p != "PANIC"] + [r"\(tern\) PANIC"],
            expect_exit="poweroff", check_log=frames_kept_baseline_check(6)),
        # The blk-bench role's rows (make bench) can be measured.
        Scenario(
            name="blk-bench", cmdline=DEFAULT_CMDLINE,
            modules=domains("-- driver-domain disk.blk=phy:ide0,xvda,w blk-wait-report",
                            "name=blk -- blk-bench"),
            disk_bytes=2 << 30, qemu_args=["-icount", "shift=0,sleep=off"], timeout=180.0,
            expect=[r"\(d0\) blkback: ide0: device wait \d+ TSC so far\n"
                    r"(?:.*\n)*?.*\(d1\) bench: blk_%s_per_kib per_op=\d+" % row
                    for row in ("seq_read_64k", "seq_write_64k", "rand_read_4k")]
                   + [r"\(d0\) blkback: ide0: device wait \d+ TSC so far",
                      r"\(d1\) blk-bench: done", r"Powering off"],
            reject=reject + [r"error="], expect_exit="poweroff",
            check_log=frames_kept_baseline_check(2)),
        # No disk: domain 0's initrd is a 1 MiB disk image (the word
        # disk-image); one domain verifies a range of it, another reads
        # another range read-only and gets the image's own bytes.
        Scenario(
            name="blk-module", cmdline=DEFAULT_CMDLINE,
            modules=[(GUEST, "-- driver-domain disk-image disk.a=phy:module:0+1024,xvda,w "
                             "disk.c=phy:module:1024+256,xvda,r"),
                     (DISK_IMAGE, ""),
                     (guest_copy(1), "name=a -- blk-check"),
                     (guest_copy(2), "name=c -- blk-check=ro")],
            timeout=120.0,
            expect=[r"\(d0\) blkback: vbd 1/51712: module, 1024 sectors from 0, read-write",
                    r"\(d1\) blk-check: 1024 sectors read back: match",
                    r"\(d2\) blk-check: a write to the read-only disk is refused \(-1\)",
                    r"\(d2\) blk-check: 256 sectors read, fnv1a %#x\n" % fnv1a64(
                        disk_image_bytes()[1024 * 512:1280 * 512]),
                    r"\(d0\) driver-domain: no other domain runs; done", r"Powering off"],
            reject=reject + [r"configuration module"], expect_exit="poweroff",
            check_log=frames_kept_baseline_check(3)),
    ]


def grant_kept_check(text):
    """A check_log for a granter that crashed with its page mapped: it
    kept exactly one frame at its teardown, that frame went back to the
    allocator after domain 0's unmap, and the count ends at its baseline."""
    m = re.search(r"domain 1 destroyed: (\d+) of (\d+) frames returned .*; 1 kept until "
                  r"other domains unmap them", text)
    if not m:
        return "no 'domain 1 destroyed: ...; 1 kept until other domains unmap them' line"
    if int(m.group(1)) + 1 != int(m.group(2)):
        return "domain 1 returned %s of %s frames, expected all but one" % m.groups()
    back = re.search(r"frame 0x[0-9a-f]+ of an ended domain returned to the allocator", text)
    if not back or back.start() < m.start():
        return "the kept frame was not returned after domain 1's teardown"
    before = re.search(r"free frames before domain 0: (\d+)", text)
    last = DESTROYED_RE.findall(text)
    if not before or not last or last[-1][4] != before.group(1):
        return "the free-frame count did not end at its baseline"
    return None


def frames_kept_baseline_check(nr_domains):
    """A check_log where domains may end while others still map their
    pages: each destroyed domain returned every frame but those it kept
    for other domains' mappings, every kept frame came back later, and the
    free-frame count ends at its baseline."""
    kept_re = re.compile(r"domain (\d+) destroyed: (\d+) of (\d+) frames returned to the "
                         r"allocator \(free frames \d+ -> (\d+)\)(?:; (\d+) kept)?")
    def check(text):
        before = re.search(r"free frames before domain 0: (\d+)", text)
        done = kept_re.findall(text)
        if not before or len(done) != nr_domains:
            return "%d 'domain N destroyed' lines, expected %d" % (len(done), nr_domains)
        kept = 0
        for dom, freed, held, _, k in done:
            k = int(k or 0)
            kept += k
            if int(freed) + k != int(held):
                return "domain %s: %s of %s frames returned, %d kept" % (dom, freed, held, k)
        back = len(re.findall(r"of an ended domain returned to the allocator", text))
        if back != kept:
            return "%d frames kept for other domains, %d returned later" % (kept, back)
        final = re.findall(r"returned to the allocator.*?free frames (?:\d+ -> )?(\d+)\)", text)
        if not final or final[-1] != before.group(1):
            return "the free-frame count did not end at its baseline"
        return None
    return check


def grant_scenarios():
    """Pages shared through grants (issue 12): two domains grant a page each
    to domain 0, which maps both, reads and writes them, and unmaps them
    when asked (each granter then revokes its entry); a granter crashes
    with its page mapped: domain 0 keeps using it, and the frame returns
    to the allocator only after its unmap."""
    reject = CRASH_PATTERNS + [r"crashed", r"stalled", r"grants: FAIL"]
    return [
        Scenario(
            name="grants-three", cmdline=DEFAULT_CMDLINE,
            modules=domains("-- grant-take=1:2", "-- grant-offer", "-- grant-offer"),
            expect=[r"\(d1\) grants: offered page mfn 0x[0-9a-f]+ as ref 16 to domain 0",
                    r"\(d2\) grants: offered page mfn 0x[0-9a-f]+ as ref 16 to domain 0",
                    r"\(d0\) grants: domain 1's page read and written through our mapping "
                    r"while it runs",
                    r"\(d0\) grants: domain 2's page read and written through our mapping "
                    r"while it runs",
                    r"\(d1\) grants: revoked after domain 0 unmapped",
                    r"\(d2\) grants: revoked after domain 0 unmapped",
                    r"\(d0\) grants: done, 0 failures", r"Powering off"],
            reject=reject, expect_exit="poweroff", check_log=frames_baseline_check(3)),
        Scenario(
            name="grants-granter-crash", cmdline=DEFAULT_CMDLINE,
            modules=domains("-- grant-take=1", "-- grant-offer=crash"),
            expect=[r"\(d1\) grants: domain 0 wrote through its mapping",
                    r"domain 1 \(d1\) shut down: reason 3",
                    r"\(d0\) grants: domain 1's page read and written through our mapping "
                    r"after it ended",
                    r"\(d0\) grants: unmapped domain 1's page",
                    r"\(d0\) grants: done, 0 failures", r"Powering off"],
            reject=CRASH_PATTERNS[1:] + [r"grants: FAIL", r"domain 0 \(\w+\) crashed"],
            expect_exit="poweroff", check_log=grant_kept_check),
        # Issue 12's attack on the maptrack: 65536 mappings of domain 0's own
        # grants, then GNTST_no_space, then every one unmapped.
        Scenario(
            name="grants-maptrack-flood", cmdline=DEFAULT_CMDLINE,
            modules=domains("-- maptrack-flood"),
            expect=[r"\(d0\) maptrack-flood: 65536 mappings, then GNTST_no_space; all 65536 "
                    r"unmapped", r"\(d0\) maptrack-flood: done, 0 failures", r"Powering off"],
            reject=reject + [r"maptrack-flood: FAIL"], expect_exit="poweroff",
            check_log=frames_baseline_check(1), timeout=120.0),
        # Foreign mappings: domain 0 maps a domain's page with
        # update_va_mapping_otherdomain and with mmu_update and a foreigndom;
        # the domain itself is refused one of domain 0's frames.
        Scenario(
            name="foreign-map", cmdline=DEFAULT_CMDLINE,
            modules=domains("-- foreign-take=1", "-- foreign-offer"),
            expect=[r"\(d0\) foreign: mapped domain 1's xenstore page twice and wrote to it",
                    r"\(d1\) foreign: domain 0 wrote into our xenstore page; answered",
                    r"\(d0\) foreign: domain 1 answered through the page",
                    r"\(d0\) foreign: unmapped domain 1's page",
                    r"\(d0\) foreign: done, 0 failures", r"\(d1\) foreign: done, 0 failures",
                    r"Powering off"],
            reject=reject + [r"foreign: FAIL"], expect_exit="poweroff",
            check_log=frames_kept_baseline_check(2)),
    ]


def console_scenarios():
    """Domain 0 as the console backend (issue 13): two domains print only
    into their PV console rings (console=ring); domain 0 (driver-domain)
    maps each ring through its grant, drains it on each event and prints
    its lines as "(d0) (dN) line". Nothing of theirs may reach console_io
    directly ("(dN) lines:" at the start of a console line). A domain
    writing lying indices is disconnected alone; the other is still
    served, and every frame comes back."""
    reject = CRASH_PATTERNS + [r"crashed", r"stalled", r"cannot serve", r"not served",
                               r"\(tern\) \(d[12]\) lines:", r"has not been drained"]
    return [
        Scenario(
            name="console-ring-two", cmdline=DEFAULT_CMDLINE,
            modules=domains("-- driver-domain", "-- console=ring lines=3",
                            "-- console=ring lines=4"),
            expect=[r"\(d0\) driver-domain: domain 1 \(.*\): xenstore served, console served",
                    r"\(d0\) driver-domain: domain 2 \(.*\): xenstore served, console served",
                    r"\(d0\) \(d1\) lines: 1 of 3 ", r"\(d0\) \(d1\) lines: 3 of 3 ",
                    r"\(d0\) \(d2\) lines: 1 of 4 ", r"\(d0\) \(d2\) lines: 4 of 4 ",
                    r"\(d0\) console: domain 1 has ended; disconnected",
                    r"\(d0\) console: domain 2 has ended; disconnected",
                    r"\(d0\) driver-domain: no other domain runs; done", r"Powering off"],
            reject=reject + [r"lied"], expect_exit="poweroff",
            check_log=frames_kept_baseline_check(3)),
        Scenario(
            name="console-ring-liar", cmdline=DEFAULT_CMDLINE,
            modules=domains("-- driver-domain", "-- console=ring console-lie",
                            "-- console=ring lines=4"),
            expect=[r"\(d1\) console-lie: out_prod set 3048 bytes past out_cons",
                    r"\(d0\) console: domain 1: out_cons \d+ out_prod \d+: 3048 bytes in "
                    r"flight in a 2048-byte ring",
                    r"\(d0\) console: domain 1 lied about its ring indices; disconnected",
                    r"domain 1 \(d1\) shut down: reason 0 \(poweroff\)",
                    r"\(d0\) \(d2\) lines: 4 of 4 ",
                    r"\(d0\) console: domain 2 has ended; disconnected",
                    r"\(d0\) driver-domain: no other domain runs; done", r"Powering off"],
            reject=reject + [r"console-lie: the backend never let go of us"],
            expect_exit="poweroff", check_log=frames_kept_baseline_check(3)),
        # xenstored in domain 0: two domains check their own nodes, the
        # other's (refused), a watch and a conflicting transaction; the
        # toolstack asks domain 2 to power off once it listens.
        Scenario(
            name="xenstore-two", cmdline=DEFAULT_CMDLINE,
            modules=domains("-- driver-domain shutdown=2 reboot=1", "-- xs-check=2 xs-shutdown",
                            "-- xs-check=1 xs-shutdown"),
            expect=[r"\(d1\) xs-check: domain 1, name \".*\", path /local/domain/1",
                    r"\(d2\) xs-check: domain 2, name \".*\", path /local/domain/2",
                    r"\(d1\) xs-check: \d+ checks passed", r"\(d2\) xs-check: \d+ checks passed",
                    r"\(d0\) toolstack: domain 2 listens for control/shutdown; asking it to "
                    r"power off",
                    r"\(d2\) xs-check: control/shutdown says \"poweroff\"",
                    r"\(d0\) toolstack: domain 1 listens for control/shutdown; asking it to "
                    r"reboot",
                    r"\(d1\) xs-check: control/shutdown says \"reboot\"",
                    r"domain 1 \(d1\) shut down: reason 1 \(reboot\)",
                    r"domain 2 \(d2\) shut down: reason 0 \(poweroff\)",
                    r"\(d0\) driver-domain: no other domain runs; done", r"Powering off"],
            reject=reject + [r"xs-check: FAIL", r"xs-check: \d+ of \d+ failed", r"xenbus: "],
            expect_exit="poweroff", check_log=frames_kept_baseline_check(3)),
        # Two hostile xenstore clients and a good one: the flooder's watch
        # quota stops it, its unread replies stop its requests, its
        # over-long message and the liar's indices disconnect each alone;
        # the good one passes every check meanwhile.
        Scenario(
            name="xenstore-hostile", cmdline=DEFAULT_CMDLINE,
            modules=domains("-- driver-domain", "-- xs-hostile=long", "-- xs-hostile=lie",
                            "-- xs-check=1"),
            expect=[r"\(d1\) xs-hostile: 128 watches accepted, the next refused: -7",
                    r"\(d1\) xs-hostile: \d+ requests flooded before the daemon stopped",
                    r"\(d0\) xenstored: domain 1 sent a message longer than "
                    r"XENSTORE_PAYLOAD_MAX; disconnected",
                    r"\(d1\) xs-hostile: after a 4097-byte header: error field 3",
                    r"\(d0\) xenstored: domain 2 lied about its req ring indices; disconnected",
                    r"\(d2\) xs-hostile: after req_prod 2000 past req_cons: error field 2",
                    r"\(d3\) xs-check: \d+ checks passed",
                    r"\(d0\) driver-domain: no other domain runs; done", r"Powering off"],
            reject=reject + [r"xs-check: FAIL", r"xs-check: \d+ of \d+ failed"],
            expect_exit="poweroff", check_log=frames_kept_baseline_check(4)),
        # Console input: typed while domain 0 has the focus, 'l' lists the
        # domains (as xl list); typed while domain 1 has it, domain 0 puts
        # it into domain 1's console ring, which echoes it back through
        # the ring.
        Scenario(
            name="console-ring-input", cmdline=DEFAULT_CMDLINE,
            modules=domains("-- driver-domain", "name=web -- console=ring echo-input=2"),
            send_after=[(r"\(d1\) echo-input: waiting for 2 lines", "\\x01\\x01\\x01"),
                        (r"console input -> domain 0", "l"),
                        (r"Name +ID +Mem VCPUs", "\\x01\\x01\\x01"),
                        (r"console input -> domain 1", "hello\\nworld\\n")],
            expect=[r"\(d0\) Domain-0 +0 +\d+ +1 +r----- ",
                    r"\(d0\) web +1 +\d+ +1 +-b---- ",
                    r"\(d0\) \(d1\) echo: hello", r"\(d0\) \(d1\) echo: world",
                    r"\(d0\) driver-domain: no other domain runs; done", r"Powering off"],
            reject=reject, expect_exit="poweroff", check_log=frames_kept_baseline_check(2)),
        # The toolstack's device directories: from domain 0's configuration
        # module (xl syntax, its initrd) and its command line; each domain
        # sees its frontends and backends linked, may write its own state
        # and not the backend's.
        Scenario(
            name="xenstore-devices", cmdline=DEFAULT_CMDLINE,
            modules=[(GUEST, "-- driver-domain disk.db=phy:ide1,xvda,r"),
                     ("tests/scenarios/devices.cfg", ""),
                     (guest_copy(1), "name=web -- xs-devices"),
                     (guest_copy(2), "name=db -- xs-devices")],
            expect=[r"\(d0\) toolstack: configuration module: 2 domains",
                    r"\(d1\) xs-devices: vbd 51712: backend /local/domain/0/backend/vbd/1/51712, "
                    r"params ide0, mode w",
                    r"\(d1\) xs-devices: vbd 51728: backend /local/domain/0/backend/vbd/1/51728, "
                    r"params ide0:1, mode r",
                    r"\(d1\) xs-devices: vif 0: backend /local/domain/0/backend/vif/1/0, "
                    r"mac 00:16:3e:0a:00:01, bridge xenbr0",
                    r"\(d1\) xs-devices: 3 devices checked\n",
                    r"\(d2\) xs-devices: vbd 51712: backend /local/domain/0/backend/vbd/2/51712, "
                    r"params ide1, mode r",
                    r"\(d2\) xs-devices: vif 0: backend /local/domain/0/backend/vif/2/0, "
                    r"mac 00:16:3e:00:02:00, bridge xenbr0",
                    r"\(d2\) xs-devices: 2 devices checked\n",
                    r"\(d0\) driver-domain: no other domain runs; done", r"Powering off"],
            reject=reject + [r"xs-devices: FAIL", r"incomplete", r"with failures"],
            expect_exit="poweroff", check_log=frames_kept_baseline_check(3)),
        # No backend: the ring fills (80 lines > 2048 bytes), the writer
        # gives it up after 2 s and the rest goes through console_io.
        Scenario(
            name="console-ring-unserved", cmdline=DEFAULT_CMDLINE,
            modules=domains("-- lines=1", "-- console=ring lines=80"),
            expect=[r"\(tern\) \(d1\) console: the console ring has not been drained for 2 s; "
                    r"back to console_io", r"\(tern\) \(d1\) lines: 80 of 80 ",
                    r"Powering off"],
            reject=CRASH_PATTERNS + [r"crashed", r"\(tern\) \(d1\) lines: 1 of 80 "],
            expect_exit="poweroff", check_log=frames_baseline_check(2)),
    ]


def cpu_scenarios():
    """The one CPU-features line: what is used, present or absent per model."""
    return [
        Scenario(
            name="cpu-opteron-g1", cmdline=BOOT_CMDLINE, cpu="Opteron_G1",
            expect=[r"CPU features: used: NX, global pages;",
                    r"CPU features: .*; absent: 1GiB pages, SMEP, SMAP, PCID", r"Powering off"],
            reject=CRASH_PATTERNS, expect_exit="poweroff"),
        # SMEP and SMAP on while the demo guest runs in ring 3 and exits.
        Scenario(
            name="cpu-max", cmdline=DEFAULT_CMDLINE, cpu="max", modules=[(GUEST, "")],
            expect=[r"CPU features: used: NX, 1GiB pages, global pages, SMEP, SMAP;",
                    r"CPU features: .*PCID", r"\(d0\) Tern guest kernel",
                    r"domain 0 \(dom0\) shut down: reason 0 \(poweroff\)", r"Powering off"],
            reject=CRASH_PATTERNS + [r"crashed"], expect_exit="poweroff",
            check_log=frames_returned_check),
    ]


def clock_check(text):
    """A check_log: under -icount shift=0 the guest runs one instruction per
    ns, so the TSC must come out at 1000 MHz and QEMU's APIC timer (1 GHz bus
    clock / 16) at 62.5 MHz, each within 1%."""
    m = re.search(r"clocks: TSC (\d+\.\d+) MHz.*local APIC timer (\d+\.\d+) MHz", text)
    if not m:
        return "no 'clocks: TSC ... MHz, local APIC timer ... MHz' line"
    for name, got, want in (("TSC", m.group(1), 1000.0), ("APIC timer", m.group(2), 62.5)):
        if abs(float(got) - want) > want / 100:
            return "%s calibrated at %s MHz, want %g MHz within 1%%" % (name, got, want)
    return None


def interrupt_scenarios():
    """Interrupt controllers and clocks: APIC mode with the MADT, calibration
    under -icount, and PIC mode on a CPU without an APIC (debug keys work)."""
    return [
        Scenario(
            name="timers", cmdline=BOOT_CMDLINE, cpu="max",
            qemu_args=["-icount", "shift=0"],
            expect=[r"ACPI: MADT: local APIC at 0xfee00000, 1 CPU, 1 I/O APIC, 5 ISA overrides",
                    r"I/O APIC 0 at 0xfec00000: 24 inputs",
                    r"interrupts: ISA IRQs through the I/O APIC",
                    r"local APIC timer: one-shot interrupt after \d+ us \(asked 200\), "
                    r"3 periodic ticks", r"Powering off"],
            reject=CRASH_PATTERNS + [r"no interrupt within", r"not calibrated"],
            expect_exit="poweroff", check_log=clock_check),
        Scenario(
            name="pic-mode", cmdline="after_boot=halt", cpu="qemu64,-apic",
            send_after=[(DEBUG_KEYS_READY, "h")],
            monitor=[(r"power the machine off", "sendkey shift-x")],
            expect=[r"CPUID reports none", r"ISA IRQs through the 8259 PICs",
                    r"clocks: TSC", r"list the debug keys", r"'X' pressed"],
            stop_on=[r"'X' pressed"], reject=CRASH_PATTERNS),
    ]


def keyboard_scenarios():
    """Debug keys typed on the PS/2 keyboard (QEMU monitor sendkey): plain,
    shifted and control keys through the i8042, the decoder and the same
    console_input() as serial."""
    ready = r"press 'h' on the serial console or the keyboard"
    return [
        Scenario(
            name="keyboard", cmdline="after_boot=halt",
            monitor=[(ready, "sendkey h"), (r"power the machine off", "sendkey shift-x"),
                     (r"'X' pressed", "sendkey ctrl-a"), (r"", "sendkey ctrl-a"),
                     (r"", "sendkey ctrl-a")],
            expect=[ready, r"'h' pressed -> debug keys", r"'X' pressed -> no such debug key",
                    r"console input -> Tern debug keys"],
            stop_on=[r"console input -> "], reject=CRASH_PATTERNS, timeout=30.0),
    ]


def read_ppm(path):
    """(width, height, RGB bytes) of a binary PPM as QEMU's screendump writes."""
    with open(path, "rb") as f:
        data = f.read()
    m = re.match(rb"P6\s+(\d+)\s+(\d+)\s+255\s", data)
    if not m:
        raise ValueError("not a binary PPM")
    width, height = int(m.group(1)), int(m.group(2))
    pixels = data[m.end():]
    if len(pixels) < width * height * 3:
        raise ValueError("truncated PPM")
    return width, height, pixels


def screen_check(width, height, min_lines):
    """A check_screen: the screen is width x height and at least min_lines of
    its 16-pixel text lines hold light (text-coloured) pixels."""
    def check(path):
        try:
            w, h, px = read_ppm(path)
        except (OSError, ValueError) as exc:
            return "no usable screendump %s: %s" % (path, exc)
        if (w, h) != (width, height):
            return "the screen is %dx%d, want %dx%d" % (w, h, width, height)
        lit = 0
        for band in range(h // 16):
            rows = px[band * 16 * w * 3:(band + 1) * 16 * w * 3]
            if any(rows[i] > 0x80 and rows[i + 1] > 0x80 and rows[i + 2] > 0x80
                   for i in range(0, len(rows), 3)):
                lit += 1
        if lit < min_lines:
            return "only %d text lines on the screen show anything (want %d)" % (lit, min_lines)
        return None
    return check


def screen_scenarios():
    """What a person sees: VGA text under BIOS (GRUB keeps text mode), the
    framebuffer console on OVMF's GOP framebuffer under UEFI; each screen
    is saved with the monitor's screendump and must show lines of text."""
    done = r"Boot complete; CPU0 idle"
    return [
        Scenario(
            name="screen-bios-text", cmdline="after_boot=halt",
            monitor=[(done, "screendump {ppm}"), (r"", "sendkey shift-o")],
            expect=[r"console: VGA text screen at 0xb8000 \(the boot loader's text mode\)",
                    r"Powering off"],
            reject=CRASH_PATTERNS, expect_exit="poweroff",
            check_screen=screen_check(720, 400, 20)),
        Scenario(
            name="screen-uefi-framebuffer", cmdline="after_boot=halt", firmware="uefi",
            monitor=[(done, "screendump {ppm}"), (r"", "sendkey shift-o")],
            expect=[r"console: framebuffer 1280x800, 32 bpp at 0x[0-9a-f]+: 160x50 "
                    r"characters \(font Lat15-Fixed16\)", r"Powering off"],
            reject=CRASH_PATTERNS, expect_exit="poweroff", timeout=90.0,
            check_screen=screen_check(1280, 800, 25)),
    ]


LINUX_DIR = "build/linux"
FETCH_LINUX = os.path.join(REPO, "tools", "fetch-linux.sh")
LINUX_MARKER = r"tern-linux: /init reached"
# A line of domain 1's hvc0 as domain 0 prints it: "(d0) (d1) [    1.234567] ".
LINUX_HVC = r"\(d0\) \(d1\) \[ *\d+\.\d+\] "


def fetch_linux():
    """A prepare step: Debian's kernel and the initramfs in build/linux/
    (tools/fetch-linux.sh: cached after the first time). A failure fails
    the scenario; it is never skipped."""
    try:
        run = subprocess.run([FETCH_LINUX], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             timeout=600, check=False)
    except subprocess.TimeoutExpired:
        return "tools/fetch-linux.sh timed out"
    if run.returncode != 0:
        return "tools/fetch-linux.sh failed: " + run.stdout.decode("utf-8", "replace").strip()[-300:]
    return None


def linux_scenarios():
    """Issue 17: Debian 12's own kernel (6.1, CONFIG_XEN_PV) as domain 0,
    handed to mkimage.sh as the bzImage Debian ships (build/linux/vmlinuz,
    which it unwraps with tools/unwrap-vmlinuz.sh), from its first
    instruction to the busybox initramfs's /init, whose marker line is
    followed by poweroff -f: ACPI S5 through Tern (XENPF_enter_acpi_sleep),
    and every frame back. -icount makes the guest's run the same on a loaded host
    (about 25 s of wall time alone on one core, 80 s with seven QEMUs
    sharing two cores; the timeout leaves room)."""
    return [
        Scenario(
            name="linux-dom0", cmdline=DEFAULT_CMDLINE + " dom0_mem=256M",
            modules=[(LINUX_DIR + "/vmlinuz", "console=hvc0"),
                     (LINUX_DIR + "/initramfs.cpio", "initramfs")],
            mem="1G", timeout=240.0, qemu_args=["-icount", "shift=0,sleep=off"],
            prepare=fetch_linux,
            # poweroff -f reaches ACPI S5 through XENPF_enter_acpi_sleep:
            # every domain is torn down, then domain 0's PM1 values go in.
            expect=[r"Linux version 6\.1\.", r"Run /init as init process", LINUX_MARKER,
                    r"reboot: Power down",
                    r"d0: ACPI S5 asked \(platform_op, PM1a 0x[0-9a-f]+",
                    r"domain 0 \(dom0\) shut down: reason 0 \(poweroff\)",
                    r"power-off: with domain 0's PM1 control values",
                    r"power-off: entering ACPI S5 \(PM1a_CNT 0x[0-9a-f]+ value 0x[0-9a-f]+\)"],
            reject=CRASH_PATTERNS + [r"Kernel panic", r"BUG: ", r"Oops",
                                     r"values had no effect", r"Power-off failed"],
            expect_exit="poweroff", check_log=frames_returned_check),
        # The same kernel as an unprivileged domain 1 under the toy domain 0
        # (driver-domain): its hvc0 is the PV console ring domain 0 drains,
        # its xenbus talks to domain 0's xenstored. /init's poweroff -f ends
        # domain 1 (a domU's kernel halts: Xen's machine_halt is a
        # SCHEDOP_shutdown poweroff); domain 0 then powers the machine off.
        # Started with 128 MiB of its 256 MiB max_mem, it finds the rest
        # in its memory map as room for its balloon.
        # Domain 0 maps the two ring pages, so they come back after
        # domain 1's teardown (frames_kept_baseline_check).
        Scenario(
            name="linux-domu", cmdline=DEFAULT_CMDLINE,
            modules=[(GUEST, "-- driver-domain"),
                     (LINUX_DIR + "/vmlinux", "name=linux mem=128M max_mem=256M -- console=hvc0"),
                     (LINUX_DIR + "/initramfs.cpio", "initramfs")],
            mem="1G", timeout=120.0, qemu_args=["-icount", "shift=0,sleep=off"],
            prepare=fetch_linux,
            expect=[r"\(d0\) driver-domain: domain 1 \(linux\): xenstore served, console served",
                    LINUX_HVC + r"Linux version 6\.1\.",
                    # XENMEM_memory_map: RAM up to max_mem, as xl's map
                    LINUX_HVC + r"Xen: \[mem 0x0000000000100000-0x000000000fffffff\] usable",
                    LINUX_HVC + r"Run /init as init process",
                    r"\(d0\) \(d1\) " + LINUX_MARKER, LINUX_HVC + r"reboot: System halted",
                    r"domain 1 \(linux\) shut down: reason 0 \(poweroff\)",
                    r"\(d0\) driver-domain: no other domain runs; done", r"Powering off"],
            # Its printk must come through the ring, never console_io
            # directly ("(tern) (d1) [...]": the early boot lines before
            # the console driver have no timestamp).
            reject=CRASH_PATTERNS + [r"Kernel panic", r"BUG: ", r"Oops", r"crashed",
                                     r"\(tern\) \(d1\) \[", r"console: domain 1 lied",
                                     r"cpu_hotplug: Unable to read cpu state",
                                     r"XENBUS: ", r"xenbus.*(?:[Ff]ail|[Ee]rror)"],
            expect_exit="poweroff", check_log=frames_kept_baseline_check(2)),
    ] + linux_io_scenarios()


LINUX_IO = os.path.join(REPO, "tools", "linux-io.py")


def linux_io(*args):
    """tools/linux-io.py ARGS: None, or its error as the failure reason."""
    try:
        run = subprocess.run([sys.executable, LINUX_IO] + list(args), stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, timeout=300, check=False)
    except subprocess.TimeoutExpired:
        return "tools/linux-io.py %s timed out" % " ".join(args)
    if run.returncode != 0:
        return run.stdout.decode("utf-8", "replace").strip()[-300:]
    return None


def linux_io_scenarios():
    """Issue 17 with issues 14 and 16: Debian's Linux as domain 1 with its
    root file system and its network from domain 0's backends. Its
    initramfs (tools/linux-io.py) carries Debian's xen-blkfront,
    xen-netfront and ext4 modules; /init loads them, mounts the ext4 image
    the host made on the IDE disk (disk.linux=phy:ide0,xvda,w), reads
    /hello, writes /from-linux, syncs and unmounts, brings eth0 up with a
    static address, pings the toy domain 2 across the bridge and QEMU's
    gateway through the e1000, and powers off. After QEMU exits the host
    finds /from-linux in the image and e2fsck finds it clean; every frame
    comes back (domain 0 maps Linux's rings until it has closed them)."""
    hvc = r"\(d0\) \(d1\) "
    return [
        Scenario(
            name="linux-domu-io", cmdline=DEFAULT_CMDLINE,
            modules=[(GUEST, "-- driver-domain disk.linux=phy:ide0,xvda,w "
                             "vif.linux=ip=10.0.2.15 vif.peer=ip=10.0.2.16"),
                     (LINUX_DIR + "/vmlinux", "name=linux mem=128M max_mem=256M -- console=hvc0 "
                      "tern_ip=10.0.2.15/24 tern_ping=10.0.2.16,10.0.2.2 "
                      "tern_http=10.0.2.2:%d" % HTTP_PORT),
                     (LINUX_DIR + "/initramfs-io.cpio", "initramfs"),
                     (guest_copy(2), "name=peer -- netfront=60000")],
            mem="1G", timeout=180.0,
            qemu_args=["-icount", "shift=0,sleep=off", "-nic", "user,model=e1000"],
            prepare=lambda: fetch_linux() or linux_io("initramfs") or start_http(),
            disk_bytes=64 << 20, fill_disk=lambda img: linux_io("disk", img),
            check_disk=lambda img, _text: linux_io("check", img),
            expect=[r"\(d0\) blkback: vbd 1/51712: ide0, 131072 sectors from 0, read-write",
                    hvc + LINUX_MARKER,
                    LINUX_HVC + r"blkfront: xvda: flush diskcache: enabled",
                    hvc + r"tern-linux: xvda: 131072 sectors",
                    hvc + r"tern-linux: xvda: tern-linux: hello from the host's ext4 image",
                    hvc + r"tern-linux: xvda: written, synced, unmounted",
                    r"\(d0\) netback: vif1\.0: connected",
                    hvc + r"tern-linux: eth0: 00:16:3e:00:01:00 10\.0\.2\.15/24",
                    hvc + r"tern-linux: ping 10\.0\.2\.16: 3 packets transmitted, 3 packets received",
                    hvc + r"tern-linux: ping 10\.0\.2\.2: 3 packets transmitted, 3 packets received",
                    hvc + r"tern-linux: http 10\.0\.2\.2:%d: " % HTTP_PORT + HTTP_PAGE.decode().strip(),
                    hvc + r"tern-linux: powering off",
                    r"\(d0\) netback: vif1\.0: its frontend closed; disconnected",
                    r"\(d0\) blkback: vbd 1/51712: the frontend closes; disconnected after "
                    r"\d+ requests \(0 refused, \d+ by DMA straight into its pages\)",
                    r"domain 1 \(linux\) shut down: reason 0 \(poweroff\)",
                    r"\(d2\) netfront: answered 3 pings, ",
                    r"\(d0\) driver-domain: no other domain runs; done", r"Powering off"],
            # "empty flush op failed": blkback refused Linux's flush, and
            # Linux then writes without ever flushing the disk's cache.
            reject=CRASH_PATTERNS + [r"Kernel panic", r"BUG: ", r"Oops", r"crashed",
                                     r"tern-linux: FAIL", r"insmod .* failed",
                                     r"blkfront: .*op failed",
                                     r"still uses a grant", r"unmap_grant_ref: -",
                                     r"XENBUS: ", r"xenbus.*(?:[Ff]ail|[Ee]rror)"],
            expect_exit="poweroff", check_log=frames_kept_baseline_check(3)),
    ]


def all_scenarios():
    """Every scenario, in the order they run."""
    return [
        boot_scenario("boot-banner", "256M", 1),
        boot_scenario("boot-32M", "32M", 1),
        boot_scenario("boot-4G", "4G", 3000, timeout=120.0),
        boot_scenario("boot-8G", "8G", 7000, timeout=180.0),
        Scenario(
            name="debugkeys", cmdline="after_boot=halt",
            send_after=[(DEBUG_KEYS_READY, "h"),
                        (r"'m'", "r"),
                        (r"CR3:", "m")],
            expect=[DEBUG_KEYS_READY, r"'r'", r"'m'", r"RIP:", r"RSP:", r"CR3:",
                    r"free frames"],
            stop_on=[r"free frames"], reject=CRASH_PATTERNS),
        Scenario(
            name="reboot", cmdline="after_boot=reboot",
            expect=[r"Rebooting"], reject=CRASH_PATTERNS, expect_exit="reboot"),
        Scenario(
            name="no-modules", cmdline=DEFAULT_CMDLINE,
            expect=[r"no domain 0 module"], stop_on=[r"no domain 0 module"]),
        Scenario(
            name="unknown-option", cmdline="console=com1 frobnicate=1 after_boot=poweroff",
            expect=[r"unknown option 'frobnicate'", r"Powering off"],
            reject=CRASH_PATTERNS, expect_exit="poweroff"),
        Scenario(
            name="hv-fault", cmdline="after_boot=halt",
            send_after=[(DEBUG_KEYS_READY, "C")],
            expect=[r"FATAL", r"vector 14", r"CR2:", r"RIP:", r"Backtrace", r"CPU0",
                    r"halted"],
            stop_on=[r"halted"]),
        # Issue 10: the state a guest's MOV SS + syscall leaves on real
        # hardware (a #DB in ring 0 with a stack pointer the guest chose),
        # which TCG cannot produce from a guest: the hypervisor survives.
        Scenario(
            name="hv-db-bad-stack", cmdline="after_boot=halt",
            send_after=[(DEBUG_KEYS_READY, "D")],
            expect=[r"#DB in hypervisor context \(1 so far, no domain running\)", r"'D': the hypervisor survived"],
            stop_on=[r"'D': the hypervisor survived"], reject=CRASH_PATTERNS),
        Scenario(
            name="no-long-mode", cmdline=DEFAULT_CMDLINE, cpu="qemu32",
            expect=[r"does not support long mode"],
            stop_on=[r"does not support long mode"]),
        Scenario(
            name="bad-option-value", cmdline="loglvl=bogus after_boot=poweroff",
            expect=[r"invalid value", r"Powering off"],
            reject=CRASH_PATTERNS, expect_exit="poweroff"),
    ] + guest_scenarios() + domain_scenarios() + scale_scenarios() + ring_scenarios() + grant_scenarios() + console_scenarios() + ioport_scenarios() + disk_scenarios() + blk_scenarios() + nic_scenarios() + net_pv_scenarios() + cpu_scenarios() + interrupt_scenarios() + keyboard_scenarios() + screen_scenarios() + linux_scenarios()


@dataclasses.dataclass
class Result:
    name: str
    passed: bool
    reason: str = ""
    details: str = ""
    seconds: float = 0.0


def qemu_run_command(sc, iso, log, verbose):
    """The tools/qemu-run.py command line for a scenario."""
    cmd = [sys.executable, QEMU_RUN, "--iso", iso, "--mem", sc.mem,
           "--timeout", str(sc.timeout), "--log", log]
    if sc.cpu:
        cmd += ["--cpu", sc.cpu]
    if sc.firmware != "bios":
        cmd += ["--firmware", sc.firmware]
    for pattern in sc.expect:
        cmd += ["--expect", pattern]
    for pattern in sc.reject:
        cmd += ["--reject", pattern]
    for pattern, keys in sc.send_after:
        cmd += ["--send-after", pattern, keys]
    for pattern in sc.stop_on:
        cmd += ["--stop-on", pattern]
    if sc.expect_exit:
        cmd += ["--expect-exit", sc.expect_exit]
    for arg in sc.qemu_args:
        cmd.append("--qemu-arg=" + arg)
    if verbose:
        cmd.append("--verbose")
    return cmd


class MonitorKeys:
    """Gives a scenario's monitor commands to QEMU's monitor on a Unix socket
    as their patterns appear in qemu-run.py's --verbose copy of the serial
    output."""

    def __init__(self, commands, sock, ppm):
        self.pending = [(re.compile(r, re.M), c.replace("{ppm}", ppm))
                        for r, c in commands]
        self.sock = sock
        self.text = ""
        self.pos = 0

    def qemu_args(self):
        return ["-monitor", "unix:%s,server=on,wait=off" % self.sock]

    def feed(self, chunk):
        """Adds output; sends every key whose pattern has now appeared."""
        self.text += chunk
        while self.pending:
            pattern, key = self.pending[0]
            m = pattern.search(self.text, self.pos)
            if not m:
                return
            self.pos = m.end()
            self.pending.pop(0)
            self.send(key)

    def send(self, command):
        try:
            with socket.socket(socket.AF_UNIX) as s:
                s.settimeout(5)
                s.connect(self.sock)
                s.sendall((command + "\n").encode())
                time.sleep(0.3)        # let the monitor act before we hang up
        except OSError as exc:
            self.text += "\n[run.py: monitor %r failed: %s]\n" % (command, exc)


def run_streaming(cmd, keys, timeout):
    """Runs qemu-run.py, feeding its output to keys as it comes; returns
    (exit status, output)."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + timeout
    out = bytearray()
    os.set_blocking(proc.stdout.fileno(), False)
    while time.monotonic() < deadline:
        chunk = proc.stdout.read()
        if chunk:
            out.extend(chunk)
            keys.feed(chunk.decode("utf-8", errors="replace"))
        elif proc.poll() is not None:
            break
        else:
            time.sleep(0.05)
    if proc.poll() is None:
        proc.kill()
        out.extend(b"\nqemu-run: FAIL: qemu-run.py did not finish in time\n")
    proc.wait()
    rest = proc.stdout.read()
    if rest:
        out.extend(rest)
    return proc.returncode, out.decode("utf-8", errors="replace")


def summary_reason(output):
    """The reason from qemu-run's 'qemu-run: FAIL: ...' summary line."""
    for line in reversed(output.splitlines()):
        if line.startswith("qemu-run: FAIL: "):
            return line[len("qemu-run: FAIL: "):]
    lines = output.strip().splitlines()
    return lines[-1] if lines else "qemu-run.py failed without a report"


def run_scenario(sc, elf, outdir, verbose, clean_text, old_disk=None):
    """Builds the scenario's ISO, boots it, checks it; returns a Result.
    With old_disk, the IDE disk is that image as a previous boot left it."""
    start = time.monotonic()
    iso = os.path.join(outdir, sc.name + ".iso")
    log = os.path.join(outdir, sc.name + ".log")
    report = os.path.join(outdir, sc.name + ".out")
    ppm = os.path.join(outdir, sc.name + ".ppm")
    disk = old_disk or os.path.join(outdir, sc.name + ".img")
    for stale in (log, report, ppm) + (() if old_disk else (disk,)):
        if os.path.exists(stale):
            os.unlink(stale)

    def result(passed, reason="", details=""):
        return Result(sc.name, passed, reason, details, time.monotonic() - start)

    if sc.prepare:
        reason = sc.prepare()
        if reason:
            return result(False, reason)
    try:
        copy_guest_modules(sc.modules)
        mkcmd = [MKIMAGE, "--out", iso, "--elf", elf, "--cmdline", sc.cmdline]
        for path, string in sc.modules:
            mkcmd += ["--module", os.path.join(REPO, path), string]
        mk = subprocess.run(mkcmd,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            timeout=MKIMAGE_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        return result(False, "mkimage.sh timed out")
    if mk.returncode != 0:
        text = mk.stdout.decode("utf-8", errors="replace")
        return result(False, "mkimage.sh failed: " + summary_reason(text), text)

    extra = []
    if sc.disk_bytes:
        if not old_disk:
            with open(disk, "wb") as f:
                f.truncate(sc.disk_bytes)
            reason = sc.fill_disk(disk) if sc.fill_disk else None
            if reason:
                return result(False, reason)
        extra = ["--qemu-arg=-drive", "--qemu-arg=if=ide,index=0,format=raw,file=" + disk]
    if sc.monitor:
        keys = MonitorKeys(sc.monitor, os.path.join(outdir, sc.name + ".mon"), ppm)
        cmd = qemu_run_command(sc, iso, log, True) + extra
        cmd += ["--qemu-arg=" + a for a in keys.qemu_args()]
        returncode, output = run_streaming(cmd, keys, sc.timeout + 60)
    else:
        cmd = qemu_run_command(sc, iso, log, verbose) + extra
        try:
            run = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                 timeout=sc.timeout + 60, check=False)
            output = run.stdout.decode("utf-8", errors="replace")
            returncode = run.returncode
        except subprocess.TimeoutExpired as exc:
            output = (exc.stdout or b"").decode("utf-8", errors="replace")
            output += "\nqemu-run: FAIL: qemu-run.py did not finish in time\n"
            returncode = -1
    with open(report, "w", encoding="utf-8") as f:
        f.write(output)
    if verbose:
        sys.stdout.write(output)
    if returncode != 0:
        return result(False, summary_reason(output), output)
    if sc.check_log or sc.check_disk:
        try:
            with open(log, "rb") as f:
                text = clean_text(f.read())
        except OSError as exc:
            return result(False, "cannot read the serial log: %s" % exc)
        reason = sc.check_log(text) if sc.check_log else None
        if reason:
            return result(False, reason, "see the serial log: " + log)
        reason = sc.check_disk(disk, text) if sc.check_disk else None
        if reason:
            return result(False, reason, "see the disk image: " + disk)
    if sc.reboot:
        second = run_scenario(sc.reboot, elf, outdir, verbose, clean_text, disk)
        if not second.passed:
            return result(False, "second boot (%s): %s" % (sc.reboot.name, second.reason),
                          second.details)
    if sc.disk_bytes and not old_disk:
        os.unlink(disk)     # passed: the sparse image is not kept
    if sc.check_screen:
        reason = sc.check_screen(ppm)
        if reason:
            return result(False, reason, "see the screen: " + ppm)
    return result(True)


def print_result(res):
    """One row per scenario, failure details indented under it."""
    if res.passed:
        print("PASS %s (%.1f s)" % (res.name, res.seconds))
    else:
        print("FAIL %s: %s" % (res.name, res.reason))
        for line in res.details.rstrip("\n").splitlines():
            if not line.startswith("qemu-run: FAIL: "):
                print("    " + line)
    sys.stdout.flush()


def parse_args(argv, names):
    p = argparse.ArgumentParser(description="Run Tern's QEMU scenarios.")
    p.add_argument("names", nargs="*", metavar="NAME",
                   help="scenarios to run (default: all): " + ", ".join(names))
    p.add_argument("--elf", default=os.path.join(REPO, "build", "hypervisor.elf"),
                   help="hypervisor image (default: build/hypervisor.elf)")
    p.add_argument("--outdir", default=os.path.join(REPO, "build", "scenarios"),
                   help="where ISOs, logs and reports go (default: build/scenarios)")
    p.add_argument("--jobs", "-j", type=int, default=1,
                   help="scenarios run at once (default: 1)")
    p.add_argument("--list", action="store_true", help="list the scenarios and exit")
    p.add_argument("--verbose", "-v", action="store_true",
                   help="show each scenario's serial output")
    args = p.parse_args(argv)
    unknown = [n for n in args.names if n not in names]
    if unknown:
        p.error("unknown scenario(s): %s (known: %s)" % (", ".join(unknown), ", ".join(names)))
    if args.jobs < 1:
        p.error("--jobs must be at least 1")
    return args


def main(argv):
    scenarios = all_scenarios()
    args = parse_args(argv, [sc.name for sc in scenarios])
    if args.list:
        for sc in scenarios:
            print(sc.name)
        return 0
    if args.names:
        scenarios = [sc for sc in scenarios if sc.name in args.names]
    clean_text = load_qemu_run().clean_text

    results = []
    if not os.path.isfile(args.elf):
        reason = "%s not found (run make first)" % args.elf
        results = [Result(sc.name, False, reason) for sc in scenarios]
        for res in results:
            print_result(res)
    else:
        os.makedirs(args.outdir, exist_ok=True)
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            futures = [pool.submit(run_scenario, sc, args.elf, args.outdir,
                                   args.verbose and args.jobs == 1, clean_text)
                       for sc in scenarios]
            for future in futures:
                res = future.result()
                print_result(res)
                results.append(res)

    passed = sum(1 for r in results if r.passed)
    failed = len(results) - passed
    print("scenarios: %d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
