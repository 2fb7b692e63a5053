#!/usr/bin/env python3
"""tools/qemu-run.py: boots a Tern ISO under QEMU (TCG) and checks its serial output.

QEMU is started through tools/qemu.sh (the QEMU 10 in build/qemu) with the
serial port on a pipe that this script reads and writes. The run ends when
QEMU exits by itself (ACPI power-off, or a reset, which -no-reboot turns into
an exit), when a --stop-on pattern has appeared (QEMU is then killed), when a
--reject pattern has appeared, or at the --timeout (QEMU is killed: TIMEOUT).

How QEMU ended is told from what the hypervisor printed last: a line with
"Powering off" means power-off, one with "Rebooting" means reboot.

Exit status 0 only when every expectation holds; otherwise the failed
expectations and the last 40 lines of serial output are printed, and the exit
status is 1. The last line printed is always one summary line:
    qemu-run: PASS (<how it ended> after <seconds> s)
    qemu-run: FAIL: <first failure>

--interactive instead hands the terminal to QEMU (`-serial mon:stdio`, no
timeout, no checks): Ctrl-A x quits, Ctrl-A c switches to the monitor.

The image is attached as --media says (default: a CD-ROM). The ISO is a GRUB
hybrid image, so the same file also boots as a USB stick (usb-storage on a
UHCI, EHCI or xHCI controller) or as a hard disk written with dd (IDE or
AHCI); those attach it with snapshot=on, so the file is never written. The
boot device gets bootindex=0. --firmware uefi boots OVMF (Debian's ovmf
package) instead of SeaBIOS, with a private copy of its variable store.
"""

import argparse
import codecs
import ctypes
import os
import re
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
QEMU_WRAPPER = os.path.join(REPO, "tools", "qemu.sh")

POWEROFF_MARK = "Powering off"
REBOOT_MARK = "Rebooting"
STOP_GRACE_SECONDS = 0.5
ESC_MAX = 32            # longest terminal escape sequence held back
REJECT_OVERLAP = 4096   # text re-scanned for --reject patterns
TAIL_LINES = 40

# UEFI firmware (Debian's ovmf package): read-only code, and a variable store
# template of which each run gets its own writable copy.
OVMF_CODE = "/usr/share/OVMF/OVMF_CODE_4M.fd"
OVMF_VARS = "/usr/share/OVMF/OVMF_VARS_4M.fd"
INTERACTIVE_VARS = os.path.join(REPO, "build", "ovmf", "OVMF_VARS_4M.fd")

# How the image is attached: the USB host controllers by their QEMU device.
USB_CONTROLLERS = {"usb-uhci": "piix3-usb-uhci", "usb-ehci": "usb-ehci",
                   "usb-xhci": "qemu-xhci"}
MEDIA = ("cdrom",) + tuple(USB_CONTROLLERS) + ("disk-ide", "disk-ahci")

# Terminal control sequences (GRUB draws its menu with them) and carriage
# returns are removed before patterns are matched.
ANSI_RE = re.compile(r"\x1b(\[[0-9;?]*[ -/]*[@-~]|[@-Z\\-_])")


def parse_args(argv):
    """Parses the command line into an argparse namespace."""
    p = argparse.ArgumentParser(
        description="Boot a Tern ISO under QEMU (TCG) and check the serial output.")
    p.add_argument("--iso", required=True, help="ISO image to boot from (-cdrom)")
    p.add_argument("--machine", default="pc", help="QEMU machine (default: pc)")
    p.add_argument("--cpu", default="qemu64", help="QEMU CPU model (default: qemu64)")
    p.add_argument("--mem", default="256M", help="guest memory, as for -m (default: 256M)")
    p.add_argument("--smp", type=int, default=1, help="number of CPUs (default: 1)")
    p.add_argument("--media", choices=MEDIA, default="cdrom",
                   help="how the image is attached: a CD-ROM (default), a USB stick "
                        "behind a UHCI, EHCI or xHCI controller, or a hard disk on "
                        "IDE or AHCI")
    p.add_argument("--firmware", choices=("bios", "uefi"), default="bios",
                   help="SeaBIOS (default) or UEFI (OVMF)")
    p.add_argument("--ovmf-code", default=OVMF_CODE,
                   help="UEFI firmware code (default: %s)" % OVMF_CODE)
    p.add_argument("--ovmf-vars", default=OVMF_VARS,
                   help="UEFI variable store template, copied for each run "
                        "(default: %s)" % OVMF_VARS)
    p.add_argument("--timeout", type=float, default=60.0,
                   help="seconds before QEMU is killed and the run is a TIMEOUT (default: 60)")
    p.add_argument("--log", help="save the full serial output to this file")
    p.add_argument("--interactive", action="store_true",
                   help="serial on this terminal (-serial mon:stdio), no timeout, no checks")
    p.add_argument("--expect", action="append", default=[], metavar="REGEX",
                   help="must appear in the serial output (repeatable, any order)")
    p.add_argument("--reject", action="append", default=[], metavar="REGEX",
                   help="must not appear in the serial output (repeatable)")
    p.add_argument("--send-after", action="append", nargs=2, default=[],
                   metavar=("REGEX", "KEYS"),
                   help="once REGEX has appeared, write KEYS (Python escapes allowed) "
                        "to the serial input; repeatable, handled in order, each "
                        "REGEX matched in the output after the previous send")
    p.add_argument("--stop-on", action="append", default=[], metavar="REGEX",
                   help="once REGEX has appeared (after every --send-after has been "
                        "sent), wait 0.5 s, kill QEMU and end normally")
    p.add_argument("--expect-exit", choices=("poweroff", "reboot", "any"),
                   help="QEMU must exit by itself: by power-off, by reboot, or either")
    p.add_argument("--qemu-arg", action="append", default=[], metavar="ARG",
                   help="extra argument for QEMU (repeatable; write --qemu-arg=-opt "
                        "for one that starts with a dash)")
    p.add_argument("--verbose", "-v", action="store_true",
                   help="copy the serial output to stdout as it arrives")
    args = p.parse_args(argv)
    if args.smp < 1:
        p.error("--smp must be at least 1")
    for pattern in (args.expect + args.reject + args.stop_on
                    + [s[0] for s in args.send_after]):
        try:
            re.compile(pattern)
        except re.error as exc:
            p.error("bad regular expression %r: %s" % (pattern, exc))
    return args


def media_args(media, image):
    """QEMU arguments that attach the image as the boot device."""
    if media == "cdrom":
        return ["-drive", "if=none,id=boot,format=raw,media=cdrom,readonly=on,file=" + image,
                "-device", "ide-cd,drive=boot,bootindex=0"]
    # A stick or a disk is writable hardware; snapshot=on keeps the file as it
    # is (an IDE disk refuses a read-only drive).
    drive = ["-drive", "if=none,id=boot,format=raw,snapshot=on,file=" + image]
    if media in USB_CONTROLLERS:
        return (["-device", USB_CONTROLLERS[media] + ",id=usb"] + drive +
                ["-device", "usb-storage,bus=usb.0,drive=boot,removable=on,bootindex=0"])
    if media == "disk-ahci":
        return (["-device", "ahci,id=sata"] + drive +
                ["-device", "ide-hd,bus=sata.0,drive=boot,bootindex=0"])
    return drive + ["-device", "ide-hd,drive=boot,bootindex=0"]


def firmware_args(args, vars_file):
    """QEMU arguments for the firmware: none for SeaBIOS, OVMF's two flash
    chips for UEFI (vars_file: the writable variable store of this run)."""
    if args.firmware != "uefi":
        return []
    return ["-drive", "if=pflash,format=raw,readonly=on,file=" + args.ovmf_code,
            "-drive", "if=pflash,format=raw,file=" + vars_file]


def uefi_vars_copy(args, path):
    """Copies the OVMF variable store template to path; returns path."""
    for fw in (args.ovmf_code, args.ovmf_vars):
        if not os.path.isfile(fw):
            raise OSError("UEFI firmware %s not found (Debian package ovmf; "
                          "run tools/install-deps.sh)" % fw)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    shutil.copyfile(args.ovmf_vars, path)
    return path


def qemu_command(args, serial, vars_file=None):
    """Returns the QEMU command line; serial is the value for -serial."""
    cmd = [QEMU_WRAPPER,
           "-machine", args.machine,
           "-cpu", args.cpu,
           "-m", args.mem,
           "-smp", str(args.smp),
           "-accel", "tcg",
           "-display", "none",
           "-no-reboot"]
    cmd += firmware_args(args, vars_file)
    cmd += media_args(args.media, args.iso)
    cmd += serial
    if not args.interactive:
        cmd += ["-monitor", "none"]
    return cmd + args.qemu_arg


def run_interactive(args):
    """Replaces this process with QEMU on the user's terminal."""
    if args.log:
        # The serial chardev logs everything it carries; the monitor shares it.
        serial = ["-chardev", "stdio,id=ser0,mux=on,signal=off,logfile=" + args.log,
                  "-serial", "chardev:ser0", "-mon", "chardev=ser0"]
    else:
        serial = ["-serial", "mon:stdio"]
    vars_file = None
    if args.firmware == "uefi":
        try:
            vars_file = uefi_vars_copy(args, INTERACTIVE_VARS)
        except OSError as exc:
            sys.exit("qemu-run: %s" % exc)
    cmd = qemu_command(args, serial, vars_file)
    print("qemu-run: interactive; Ctrl-A x quits, Ctrl-A c toggles the monitor",
          file=sys.stderr)
    sys.stderr.flush()
    os.execv(cmd[0], cmd)


def die_with_parent():
    """In the child before exec: have the kernel kill QEMU if this script dies."""
    try:
        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


def on_sigterm(signum, frame):
    """Turns SIGTERM into SystemExit so that QEMU is cleaned up."""
    raise SystemExit(128 + signum)


def clean_text(raw):
    """Serial bytes as text, without terminal control sequences or CRs."""
    text = raw.decode("utf-8", errors="replace")
    return ANSI_RE.sub("", text).replace("\r", "")


def decode_keys(keys):
    """Turns KEYS with Python escape sequences into the bytes to send."""
    return codecs.decode(keys, "unicode_escape").encode("latin-1")


class SerialSession:
    """One QEMU process whose serial line is read, matched and written to."""

    def __init__(self, args):
        self.args = args
        self.raw = bytearray()
        self.stderr = bytearray()
        # Cleaned serial text, grown chunk by chunk; an escape sequence cut
        # by a chunk boundary waits in pending for the rest of it.
        self.decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self.clean = ""
        self.pending = ""
        self.reject_from = 0
        self.sends = [(re.compile(r, re.M), decode_keys(k)) for r, k in args.send_after]
        self.stops = [re.compile(r, re.M) for r in args.stop_on]
        self.rejects = [re.compile(r, re.M) for r in args.reject]
        self.search_from = 0          # sends and stops match after this offset
        self.sent = 0                 # how many --send-after have fired
        self.ending = None            # (reason, kill deadline) once decided
        self.proc = None
        self.vars_file = None         # this run's UEFI variable store

    def feed(self, chunk):
        """Adds serial bytes; returns the newly cleaned text."""
        self.raw.extend(chunk)
        text = self.pending + self.decoder.decode(chunk)
        cut = len(text)
        esc = text.rfind("\x1b", max(0, len(text) - ESC_MAX))
        if esc >= 0 and not ANSI_RE.match(text, esc):
            cut = esc
        self.pending = text[cut:]
        new = ANSI_RE.sub("", text[:cut]).replace("\r", "")
        self.clean += new
        return new

    def start(self):
        """Starts QEMU with the serial line on pipes."""
        cmd = qemu_command(self.args, ["-serial", "stdio"], self.vars_file)
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     preexec_fn=die_with_parent)

    def send(self, data):
        """Writes bytes to QEMU's serial input; QEMU may already be gone."""
        try:
            self.proc.stdin.write(data)
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            pass

    def react(self, now):
        """Fires due --send-after entries and notices stop/reject patterns."""
        text = self.clean
        while self.sent < len(self.sends):
            pattern, keys = self.sends[self.sent]
            m = pattern.search(text, self.search_from)
            if not m:
                break
            self.search_from = m.end()
            self.sent += 1
            self.send(keys)
            if self.args.verbose:
                print("[qemu-run: sent %r]" % keys, flush=True)
        if self.ending:
            return
        # Reject patterns are looked for in the new text, with an overlap.
        start = max(0, self.reject_from - REJECT_OVERLAP)
        self.reject_from = len(text)
        for pattern in self.rejects:
            if pattern.search(text, start):
                self.ending = ("rejected", now + STOP_GRACE_SECONDS)
                return
        if self.sent == len(self.sends):
            for pattern in self.stops:
                if pattern.search(text, self.search_from):
                    self.ending = ("stopped", now + STOP_GRACE_SECONDS)
                    return

    def kill(self):
        """Ends QEMU: SIGTERM, then SIGKILL if it lingers."""
        if self.proc is None or self.proc.poll() is not None:
            return
        for stop, wait in ((self.proc.terminate, 2.0), (self.proc.kill, 5.0)):
            try:
                stop()
                self.proc.wait(timeout=wait)
                return
            except ProcessLookupError:
                return
            except subprocess.TimeoutExpired:
                continue

    def run(self):
        """Runs QEMU to its end; returns (how it ended, seconds taken)."""
        start = time.monotonic()
        deadline = start + self.args.timeout
        self.start()
        sel = selectors.DefaultSelector()
        sel.register(self.proc.stdout, selectors.EVENT_READ, "serial")
        sel.register(self.proc.stderr, selectors.EVENT_READ, "stderr")
        open_streams = 2
        how = None
        while open_streams:
            now = time.monotonic()
            if self.ending and now >= self.ending[1]:
                how = self.ending[0]
                break
            if now >= deadline:
                how = "timeout"
                break
            limit = min(deadline, self.ending[1] if self.ending else deadline)
            for key, _ in sel.select(timeout=max(0.0, min(0.2, limit - now))):
                chunk = os.read(key.fd, 65536)
                if not chunk:
                    sel.unregister(key.fileobj)
                    open_streams -= 1
                    continue
                if key.data == "stderr":
                    self.stderr.extend(chunk)
                    continue
                new = self.feed(chunk)
                if self.args.verbose:
                    sys.stdout.write(new)
                    sys.stdout.flush()
            self.react(time.monotonic())
        sel.close()
        if how is None:
            how = "exited"
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        self.kill()
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            try:
                stream.close()
            except OSError:
                pass
        return how, time.monotonic() - start


def exit_kind(text):
    """'poweroff' or 'reboot' by the last such message printed, else None."""
    off = text.rfind(POWEROFF_MARK)
    reboot = text.rfind(REBOOT_MARK)
    if off < 0 and reboot < 0:
        return None
    return "poweroff" if off > reboot else "reboot"


def describe_end(how, text, returncode):
    """A short phrase for how the run ended."""
    if how == "exited":
        kind = exit_kind(text)
        if kind:
            return kind
        return "QEMU exit (status %s, no power-off/reboot message)" % returncode
    return {"stopped": "stop-on", "rejected": "reject pattern",
            "timeout": "TIMEOUT"}[how]


def check(args, how, text, returncode, stderr_text):
    """Returns the list of failed expectations (empty when all hold)."""
    failures = []
    if how == "timeout":
        failures.append("TIMEOUT: QEMU still running after %g s" % args.timeout)
    if how == "exited" and returncode not in (0, None):
        failures.append("QEMU exited with status %s" % returncode)
    for pattern in args.reject:
        m = re.search(pattern, text, re.M)
        if m:
            failures.append("rejected pattern /%s/ appeared: %r" % (pattern, m.group(0)))
    for pattern in args.expect:
        if not re.search(pattern, text, re.M):
            failures.append("expected pattern /%s/ not found" % pattern)
    sent = 0
    pos = 0
    for pattern, keys in args.send_after:
        m = re.compile(pattern, re.M).search(text, pos)
        if not m:
            failures.append("--send-after /%s/ never matched, so %r was not sent"
                            % (pattern, keys))
            break
        pos = m.end()
        sent += 1
    if args.stop_on and how not in ("stopped", "rejected") and sent == len(args.send_after):
        if not any(re.search(p, text[pos:], re.M) for p in args.stop_on):
            failures.append("--stop-on pattern never appeared")
    if args.expect_exit:
        kind = exit_kind(text) if how == "exited" else None
        if how != "exited":
            failures.append("expected QEMU to exit by %s, but it was killed (%s)"
                            % (args.expect_exit, describe_end(how, text, returncode)))
        elif args.expect_exit != "any" and kind != args.expect_exit:
            failures.append("expected exit by %s, got %s"
                            % (args.expect_exit, describe_end(how, text, returncode)))
    if failures and stderr_text.strip():
        failures.append("QEMU stderr: " + stderr_text.strip().replace("\n", " | ")[:500])
    return failures


def tail(text, count):
    """The last count lines of text."""
    return "\n".join(text.rstrip("\n").split("\n")[-count:])


def run_checked(args):
    """Runs QEMU non-interactively and reports; returns the exit status."""
    if not os.path.isfile(args.iso):
        print("qemu-run: FAIL: ISO %s not found" % args.iso)
        return 1
    session = SerialSession(args)
    signal.signal(signal.SIGTERM, on_sigterm)
    tmpdir = None
    try:
        if args.firmware == "uefi":
            tmpdir = tempfile.mkdtemp(prefix="qemu-run-ovmf.")
            try:
                session.vars_file = uefi_vars_copy(
                    args, os.path.join(tmpdir, os.path.basename(args.ovmf_vars)))
            except OSError as exc:
                print("qemu-run: FAIL: %s" % exc)
                return 1
        how, seconds = session.run()
    except OSError as exc:
        print("qemu-run: FAIL: cannot run %s: %s" % (QEMU_WRAPPER, exc))
        return 1
    finally:
        session.kill()
        if tmpdir:
            shutil.rmtree(tmpdir, ignore_errors=True)
    raw = bytes(session.raw)
    text = clean_text(raw)
    if args.log:
        os.makedirs(os.path.dirname(os.path.abspath(args.log)), exist_ok=True)
        with open(args.log, "wb") as f:
            f.write(raw)
    returncode = session.proc.returncode
    stderr_text = bytes(session.stderr).decode("utf-8", errors="replace")
    failures = check(args, how, text, returncode, stderr_text)
    end = describe_end(how, text, returncode)
    if not failures:
        print("qemu-run: PASS (%s after %.1f s)" % (end, seconds))
        return 0
    for failure in failures:
        print("qemu-run: failed: " + failure)
    print("qemu-run: --- last %d lines of serial output ---" % TAIL_LINES)
    print(tail(text, TAIL_LINES))
    print("qemu-run: --- end of serial output ---")
    print("qemu-run: FAIL: %s (%s after %.1f s)" % (failures[0], end, seconds))
    return 1


def main(argv):
    args = parse_args(argv)
    if args.interactive:
        run_interactive(args)
    return run_checked(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
