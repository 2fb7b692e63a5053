#!/usr/bin/env python3
"""tests/guest/run.py: runs the guest kernel's built-in tests on real Xen and/or Tern.

    tests/guest/run.py [--on xen|tern|both] [--timeout S] [--hypervisor ELF] [TEST...]

Without TEST names one boot runs every test (`test=all`); with names, one boot
per name (`test=NAME`). Each boot is one run:

  --on xen   tools/xen-run.py: the guest as dom0 of real Xen 4.17 (the oracle)
  --on tern  an ISO from tools/mkimage.sh (hypervisor with after_boot=halt, the
             guest as its module) booted by tools/qemu-run.py, which must see
             'Test result: SUCCESS' and a power-off; then the leak check:
             Tern's "domain 0 destroyed: N of M frames returned to the
             allocator (free frames A -> B)" must have N == M, and B must
             equal X of "free frames before domain 0: X" when Tern prints it,
             and the frame-table check after the teardown must not report a
             broken invariant

Builds what it needs first (make guest; for tern also the hypervisor).
Prints a row per run, the per-test verdicts under it (and the tail of the
output when the run failed), then exactly one line
    guest: N passed, M failed
counting runs. Exit status 0 only when every run passed.
"""

import argparse
import os
import re
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.join(REPO, "build")
GUEST_ELF = os.path.join(BUILD, "guest", "guest.elf")
HV_ELF = os.path.join(BUILD, "hypervisor.elf")
WORK = os.path.join(BUILD, "guest-tests")

# The guest's lines may carry a prefix: "(tern) (d0) " on Tern, "  " from xen-run.
TEST_LINE_RE = re.compile(r"(?:^|\s)test (\S+): (SUCCESS|SKIP|ERROR|FAILURE)\s*$")
RESULT_RE = re.compile(r"(?:^|\s)Test result: (SUCCESS|SKIP|ERROR|FAILURE)\s*$")
FAIL_LINE_RE = re.compile(r"^(?:\(tern\) \(d0\) )?\s+(?:FAIL|ERROR) ")
DESTROYED_RE = re.compile(r"domain 0 destroyed: (\d+) of (\d+) frames returned to the "
                          r"allocator \(free frames (\d+) -> (\d+)\)")
FREE_BEFORE_RE = re.compile(r"free frames before domain 0: (\d+)")
TAIL_LINES = 15
# Both boots get the same IDE disk as the primary master, for the ATA
# driver's test (tests/guest/ata_probe.c): 4 MiB of zeros, opened with
# snapshot=on, so the guest's writes never reach the file.
DISK_IMG = os.path.join(WORK, "ide-disk.img")
DISK_BYTES = 4 << 20


def disk_args():
    """The QEMU arguments (for --qemu-arg=) of that disk, made if missing."""
    os.makedirs(WORK, exist_ok=True)
    if not os.path.exists(DISK_IMG) or os.path.getsize(DISK_IMG) != DISK_BYTES:
        with open(DISK_IMG, "wb") as f:
            f.truncate(DISK_BYTES)
    return ["--qemu-arg=-drive",
            "--qemu-arg=if=ide,index=0,format=raw,snapshot=on,file=" + DISK_IMG]


# ... and QEMU's user network on an e1000 (its default NIC on pc, named
# here), for the e1000 driver's test (tests/guest/e1000_ping.c), which
# sends only to the user network's gateway 10.0.2.2.
NIC_ARGS = ["--qemu-arg=-nic", "--qemu-arg=user,model=e1000"]


def parse_args(argv):
    p = argparse.ArgumentParser(description="Run the guest kernel's built-in tests "
                                "on real Xen and/or Tern.")
    p.add_argument("tests", nargs="*", metavar="TEST",
                   help="test names (default: all of them in one boot)")
    p.add_argument("--on", choices=("xen", "tern", "both"), default="xen",
                   help="where to run (default: xen)")
    p.add_argument("--timeout", type=float, default=180.0,
                   help="seconds per boot before it is a TIMEOUT (default: 180)")
    p.add_argument("--no-build", action="store_true",
                   help="do not run make first")
    p.add_argument("--hypervisor", default=HV_ELF, metavar="ELF",
                   help="the Tern image for --on tern (default: build/hypervisor.elf, "
                        "built by make; another one is used as it is)")
    return p.parse_args(argv)


def build(platforms, hypervisor):
    """Runs make for the guest (and the hypervisor for tern); False on failure."""
    own_hv = "tern" in platforms and os.path.abspath(hypervisor) == HV_ELF
    targets = ["guest"] + (["all"] if own_hv else [])
    rc = subprocess.call(["make", "--no-print-directory", "-s", "-C", REPO] + targets)
    if rc != 0:
        print("guest: make %s failed" % " ".join(targets))
    return rc == 0


def run_xen(selection, timeout):
    """Boots the guest on real Xen; returns (passed, output text)."""
    cmd = [os.path.join(REPO, "tools", "xen-run.py"), "--timeout", str(timeout),
           "--qemu-arg=-icount", "--qemu-arg=shift=0,sleep=off"] + disk_args() + NIC_ARGS + [
           "test=" + selection]
    out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True, errors="replace")
    return out.returncode == 0, out.stdout


def leak_check(text):
    """Tern's frame accounting around domain 0; returns a problem or None."""
    done = DESTROYED_RE.findall(text)
    if "frame table invariant broken" in text:
        return "the frame table's invariants broke (see 'frame table invariant broken')"
    if not done:
        return "no 'domain 0 destroyed: N of M frames returned' line"
    freed, held, _, after = (int(x) for x in done[-1])
    if freed != held:
        return "leak: only %d of %d frames returned to the allocator" % (freed, held)
    before = FREE_BEFORE_RE.findall(text)
    if before and int(before[-1]) != after:
        return ("leak: %s free frames before domain 0, %d after it was destroyed"
                % (before[-1], after))
    return None


def run_tern(selection, timeout, hypervisor):
    """Boots the guest on Tern; returns (passed, output text)."""
    os.makedirs(WORK, exist_ok=True)
    iso = os.path.join(WORK, "tern-%s.iso" % selection)
    log = os.path.join(WORK, "tern-%s.log" % selection)
    mk = subprocess.run([os.path.join(REPO, "tools", "mkimage.sh"), "--out", iso,
                         "--elf", hypervisor, "--cmdline", "after_boot=halt",
                         "--module", GUEST_ELF, "test=" + selection],
                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                        text=True, errors="replace")
    if mk.returncode != 0:
        return False, "mkimage.sh failed:\n" + mk.stdout
    cmd = [os.path.join(REPO, "tools", "qemu-run.py"), "--iso", iso,
           "--timeout", str(timeout), "--log", log,
           "--expect", "Test result: SUCCESS", "--expect-exit", "poweroff",
           # Guest time = instructions executed (here and on Xen), so the
           # timer tests see the same periods however busy the host is.
           "--qemu-arg=-icount", "--qemu-arg=shift=0,sleep=off"] + disk_args() + NIC_ARGS
    out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True, errors="replace")
    text = out.stdout
    if os.path.exists(log):             # the whole serial output, and the verdict
        with open(log, errors="replace") as f:
            text = f.read() + "\n" + "\n".join(
                line for line in out.stdout.splitlines() if line.startswith("qemu-run:"))
    problem = leak_check(text)
    if problem:
        text += "\nguest: leak check: " + problem
    else:
        text += "\nguest: leak check: every frame of domain 0 returned"
    return out.returncode == 0 and problem is None, text


def report(platform, selection, passed, text, seconds):
    """Prints the row of one run and what the guest said per test."""
    lines = text.replace("\r", "").splitlines()
    verdicts = [m.groups() for m in map(TEST_LINE_RE.search, lines) if m]
    result = [m.group(1) for m in map(RESULT_RE.search, lines) if m]
    verdict = result[-1] if result else "no result line"
    print("  %-4s  test=%-20s %-8s %-16s %6.1f s" % (
        platform, selection, "PASS" if passed else "FAIL", verdict, seconds))
    for name, status in verdicts:
        print("          %-28s %s" % (name, status))
    for line in lines:
        if line.startswith("guest: leak check: "):
            print("          " + line[len("guest: "):])
    if not passed:
        failed = [line for line in lines if FAIL_LINE_RE.search(line)]
        if failed:
            print("        failed checks:")
            for line in failed:
                print("        | " + line)
        print("        last lines:")
        for line in lines[-TAIL_LINES:]:
            print("        | " + line)


def main(argv):
    args = parse_args(argv)
    platforms = ["xen", "tern"] if args.on == "both" else [args.on]
    if not args.no_build and not build(platforms, args.hypervisor):
        print("guest: 0 passed, 1 failed")
        return 1
    selections = args.tests or ["all"]
    runners = {"xen": run_xen,
               "tern": lambda sel, t: run_tern(sel, t, args.hypervisor)}
    passed = failed = 0
    for platform in platforms:
        for selection in selections:
            start = time.monotonic()
            ok, text = runners[platform](selection, args.timeout)
            report(platform, selection, ok, text, time.monotonic() - start)
            passed += ok
            failed += not ok
    print("guest: %d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
