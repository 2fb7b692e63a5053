#!/usr/bin/env python3
"""tools/xen-run.py: runs the Tern guest kernel on REAL Xen 4.17 under QEMU.

Real Xen is the oracle for the guest ABI: the same build/guest/guest.elf that
Tern runs is booted here as Xen's dom0, and its built-in tests must pass.

    tools/xen-run.py [options] [GUEST ARGS...]      e.g.  tools/xen-run.py test=all

QEMU 10 (tools/qemu.sh) loads build/xen/xen.elf (unpacked by
tools/install-deps.sh; a 32-bit multiboot1 ELF) with -kernel and the guest
with -initrd "GUEST ARGS". Xen drops the module string's first word (the
path), so the guest's command line is exactly GUEST ARGS. QEMU splits
-initrd at commas, so GUEST ARGS may not contain one.

The run ends when the guest prints its "Test result: <STATUS>" line (or the
--until pattern appears), when Xen or dom0 dies, or at the timeout. After
dom0 powers off Xen only halts, so QEMU is then killed. Printed: the guest's
own lines (everything from its banner on; all serial output with -v), then one
summary line
    xen-run: <STATUS> (<seconds> s)
Exit status 0 only for SUCCESS (or SKIP with --accept-skip, or the --until
pattern seen); 1 otherwise (FAILURE, ERROR, CRASH, TIMEOUT); 2 on bad usage.
"""

import argparse
import ctypes
import os
import re
import selectors
import signal
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
QEMU = os.path.join(REPO, "tools", "qemu.sh")
XEN_CMDLINE = ("console=com1 com1=115200,8n1 dom0_mem=32M,max:32M x2apic=false "
               "loglvl=all guest_loglvl=all noreboot")

RESULT_RE = re.compile(r"^Test result: (SUCCESS|SKIP|FAILURE|ERROR)\s*$")
GUEST_START_RE = re.compile(r"Tern guest kernel")
# Lines after which nothing good can follow.
DEATH_RE = re.compile(r"Panic on CPU|Hardware Dom0 crashed|PANIC: |"
                      r"domain_crash|Domain 0 crashed|Dom0 crashed")
ANSI_RE = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")
GRACE_SECONDS = 0.5


def parse_args(argv):
    p = argparse.ArgumentParser(description="Run the Tern guest kernel as dom0 "
                                "of real Xen 4.17 under QEMU.")
    p.add_argument("guest_args", nargs="*", metavar="GUEST ARGS",
                   help="the guest's command line words, e.g. test=all")
    p.add_argument("--guest", default=os.path.join(REPO, "build", "guest", "guest.elf"),
                   help="guest kernel ELF (default: build/guest/guest.elf)")
    p.add_argument("--xen", default=os.path.join(REPO, "build", "xen", "xen.elf"),
                   help="Xen image (default: build/xen/xen.elf)")
    p.add_argument("--xen-cmdline", default=XEN_CMDLINE,
                   help="Xen's command line (default: %(default)s)")
    p.add_argument("--cpu", default="max", help="QEMU CPU model (default: max)")
    p.add_argument("--mem", default="256M", help="RAM, as for -m (default: 256M)")
    p.add_argument("--timeout", type=float, default=120.0,
                   help="seconds before QEMU is killed: TIMEOUT (default: 120)")
    p.add_argument("--until", metavar="REGEX",
                   help="end successfully when REGEX appears, instead of waiting "
                        "for the Test result line and stopping at a crash (e.g. "
                        "'Dom0 halted' for the demo run, 'Dom0 crashed' for `crash`)")
    p.add_argument("--accept-skip", action="store_true",
                   help="exit 0 for 'Test result: SKIP' too")
    p.add_argument("--qemu-arg", action="append", default=[], metavar="ARG",
                   help="extra argument for QEMU (repeatable; write --qemu-arg=-opt "
                        "for one that starts with '-'), e.g. --qemu-arg=-icount "
                        "--qemu-arg=shift=0,sleep=off")
    p.add_argument("--log", help="save the whole serial output to this file")
    p.add_argument("--verbose", "-v", action="store_true",
                   help="print all serial output (Xen's too) as it arrives")
    args = p.parse_args(argv)
    module = " ".join([args.guest] + args.guest_args)
    if "," in module:
        p.error("the guest path and arguments may not contain ',' "
                "(QEMU splits -initrd at commas)")
    for path, what in ((args.xen, "Xen image"), (args.guest, "guest kernel")):
        if not os.path.isfile(path):
            hint = ("run tools/install-deps.sh" if what == "Xen image"
                    else "run make guest")
            p.error(f"{what} {path} not found ({hint})")
    args.module = module
    return args


def qemu_command(args):
    return [QEMU, "-machine", "pc", "-accel", "tcg", "-cpu", args.cpu,
            "-m", args.mem, "-smp", "1",
            "-nodefaults", "-display", "none", "-monitor", "none",
            "-serial", "stdio", "-no-reboot",
            "-kernel", args.xen, "-append", args.xen_cmdline,
            "-initrd", args.module] + args.qemu_arg


class Run:
    """Reads QEMU's serial output line by line and decides the outcome."""

    def __init__(self, args):
        self.args = args
        self.until = re.compile(args.until) if args.until else None
        self.lines = []
        self.guest_started = False
        self.status = None          # SUCCESS/SKIP/FAILURE/ERROR/CRASH/TIMEOUT/DONE

    def feed_line(self, line):
        line = ANSI_RE.sub("", line).replace("\r", "")
        self.lines.append(line)
        if GUEST_START_RE.search(line):
            self.guest_started = True
        if self.args.verbose:
            print(line, flush=True)
        elif self.guest_started:
            print("  " + line, flush=True)
        m = RESULT_RE.match(line)
        if m and self.status is None and not self.until:
            self.status = m.group(1)
        elif self.until and self.until.search(line) and self.status is None:
            self.status = "DONE"
        elif DEATH_RE.search(line) and self.status is None and not self.until:
            self.status = "CRASH"


def kill_with_parent():
    """In the child, before exec: the kernel kills QEMU if this script dies."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def on_sigterm(signum, frame):
    """SIGTERM becomes SystemExit, so the finally clause below kills QEMU."""
    raise SystemExit(128 + signum)


def run_qemu(args, run):
    """Runs QEMU until run.status is set, QEMU exits, or the timeout."""
    signal.signal(signal.SIGTERM, on_sigterm)
    proc = subprocess.Popen(qemu_command(args), stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            preexec_fn=kill_with_parent)
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + args.timeout
    buf = b""
    raw = []
    try:
        while run.status is None:
            left = deadline - time.monotonic()
            if left <= 0:
                run.status = "TIMEOUT"
                break
            if not sel.select(timeout=min(left, 1.0)):
                continue
            chunk = os.read(proc.stdout.fileno(), 4096)
            if not chunk:
                if run.status is None:
                    run.status = "CRASH"     # QEMU exited before a verdict
                break
            raw.append(chunk)
            buf += chunk
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                run.feed_line(line.decode("utf-8", "replace"))
        if run.status not in ("TIMEOUT", "CRASH"):
            time.sleep(GRACE_SECONDS)        # let Xen print its halt line
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        sel.close()
    if buf:
        run.feed_line(buf.decode("utf-8", "replace"))
    return b"".join(raw)


def main(argv):
    args = parse_args(argv)
    run = Run(args)
    start = time.monotonic()
    raw = run_qemu(args, run)
    elapsed = time.monotonic() - start
    if args.log:
        with open(args.log, "wb") as f:
            f.write(raw)
    if not run.guest_started and not args.verbose:
        print("xen-run: the guest printed nothing; last serial lines:")
        for line in run.lines[-30:]:
            print("  " + line)
    ok = run.status in ("SUCCESS", "DONE") or (run.status == "SKIP" and args.accept_skip)
    print(f"xen-run: {run.status} ({elapsed:.1f} s)", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
