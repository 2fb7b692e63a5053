#!/usr/bin/env python3
"""tools/bench.py: instructions per operation, Tern next to real Xen 4.17 (`make bench`).

    tools/bench.py [--runs N] [--hypervisor ELF] [--no-build] [--json FILE]

The guest kernel booted with `bench` on its command line (guest-kernel/bench/bench.c)
times each operation with the TSC and prints "bench: NAME per_op=..." lines.
Every run is under QEMU with

    -cpu max -icount shift=0,sleep=off -rtc base=2025-01-01T00:00:00,clock=vm

so the guest's TSC counts executed instructions (one per virtual nanosecond;
idle time, which sleep=off skips, counts as the nanoseconds it lasted) and the
per-operation numbers are the same on every run and every host.

  Tern  an ISO from tools/mkimage.sh (hypervisor, guest module "bench"),
        booted by tools/qemu-run.py;
  Xen   tools/xen-run.py (Xen 4.17 with the guest as dom0, x2apic=false).

Events and timers (guest-kernel/bench/bench_events.c, `bench-events`) take one more
boot on each side. On Tern that boot has two domains, which also bounce
events (guest-kernel/demo/pingpong.c, `bench-pingpong`) for the ping-pong round
trip and the domain-switch rows; those are Tern's only (Xen's run has one).

Boot cost is the guest's TSC at its first instruction (head.S) minus the
TSC at the hypervisor's. Tern prints its own ("hypervisor entered at TSC N",
boot.S), so each run is exact: GRUB's share before it varies by millions
from run to run (the CD-ROM's I/O completes at host-dependent moments, and
GRUB polls for it), which a second boot subtracted could not cancel. Xen's
is the TSC at the first instruction of a trivial kernel (tools/bench/
tsc-kernel.S, built into build/bench/) that QEMU -kernel boots in Xen's
place, a deterministic path. The medians of --runs runs are used; the
spread is printed.

Linux (--linux, issue 17; tools/bench_linux.py): Debian 12's kernel booted as
domain 0 of each and natively by QEMU (no hypervisor), with a benchmark /init
(tools/bench/linux-bench.c): instructions from the kernel's first instruction
to /init, a null system call, a page touched, fork+exit+wait; a second table
with a native column. --only-linux measures those alone.

Prints the table `operation | ours | xen | ours/xen`, then one line
    bench: done
Exit status 0 when every row was measured on both, 1 otherwise.
"""

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import struct
import subprocess
import sys
import threading

sys.dont_write_bytecode = True   # no tools/__pycache__ in the tree
import bench_linux  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(REPO, "build")
WORK = os.path.join(BUILD, "bench")
GUEST_ELF = os.path.join(BUILD, "guest", "guest.elf")
HV_ELF = os.path.join(BUILD, "hypervisor.elf")
TSC_SRC = os.path.join(REPO, "tools", "bench", "tsc-kernel.S")
TSC_LDS = os.path.join(REPO, "tools", "bench", "tsc-kernel.ld")
TSC_ELF = os.path.join(WORK, "tsc-kernel.elf")

QEMU_ARGS = ["-icount", "shift=0,sleep=off", "-rtc", "base=2025-01-01T00:00:00,clock=vm"]
TERN_CMDLINE = "console=com1 after_boot=halt"   # serial only, as Xen's run
GUEST_ARGS = "bench"
TIMEOUT = 300

RESULT_RE = re.compile(r"bench: (\S+) per_op=([0-9.]+) iterations=(\d+) total=(\d+)")
ERROR_RE = re.compile(r"bench: (\S+) error=(-?\d+)")
BOOT_RE = re.compile(r"bench: boot_tsc=(\d+)")
HV_ENTRY_RE = re.compile(r"hypervisor entered at TSC (\d+)")
FIRMWARE_RE = re.compile(r"bench-firmware-tsc=([0-9a-f]{16})")

# (guest's name, row label); boot is added by hand.
ROWS = [
    ("null_hypercall", "null hypercall (xen_version)"),
    ("multicall_32_null_per_call", "multicall of 32 null calls (per call)"),
    ("grant_map_unmap", "grant map + unmap of one page"),
    ("grant_copy_4k", "grant copy of 4 KiB"),
    ("console_io_64", "console_io write, 64 bytes"),
    ("mmu_update_1", "mmu_update, 1 PTE"),
    ("mmu_update_512_per_pte", "mmu_update, 512 PTEs in 1 call (per PTE)"),
    ("mmu_update_512_unchanged_per_pte", "mmu_update, 512 unchanged PTEs (per PTE)"),
    ("update_va_mapping_invlpg", "update_va_mapping + UVMF_INVLPG"),
    ("pin_l1", "pin L1"),
    ("unpin_l1", "unpin L1"),
    ("new_baseptr", "NEW_BASEPTR (2 L4s alternating)"),
    ("new_baseptr_same", "NEW_BASEPTR to the current L4"),
    ("tlb_flush_local", "MMUEXT_TLB_FLUSH_LOCAL"),
    ("invlpg_local", "MMUEXT_INVLPG_LOCAL"),
    ("user_syscall", "user syscall -> guest kernel -> user"),
    ("user_softint", "kernel -> user -> kernel: iret + int $0x43"),
    ("bp_roundtrip", "#BP (int3) bounced to the guest and back"),
    ("ud_roundtrip", "#UD bounced to the guest and back"),
    ("pf_roundtrip", "#PF bounced to the guest and back"),
    ("iret_hypercall", "iret hypercall (kernel to kernel)"),
    ("mov_cr3", "emulated mov %cr3"),
]
BOOT_ROW = "boot: first hypervisor instruction to guest entry"
# Events and timers (guest-kernel/bench/bench_events.c, command-line word
# bench-events), one more boot on each side.
EVENT_ROWS = [
    ("evtchn_send_masked", "event send, far end masked (no upcall)"),
    ("evtchn_send_upcall", "event send + upcall delivered and returned"),
    ("evtchn_unmask", "EVTCHNOP_unmask, nothing pending"),
    ("timer_virq_latency", "timer VIRQ: deadline to handler (blocked)"),
]
EVENT_ARGS = "bench-events"
# Two domains (guest-kernel/demo/pingpong.c with bench-pingpong), Tern only: the
# Xen run has a single domain. Domain 0 also runs bench-events, so the same
# boot gives EVENT_ROWS.
PINGPONG_ROUNDS = 2000
PINGPONG_DOMAINS = [
    "%s pingpong=serve:1:%d bench-pingpong" % (EVENT_ARGS, PINGPONG_ROUNDS),
    "pingpong=connect:0:1:%d bench-pingpong" % PINGPONG_ROUNDS,
]
OURS_ONLY_ROWS = [
    ("pingpong_round_trip", "ping-pong round trip, two domains (ours only)"),
    ("domain_switch", "domain switch: SCHEDOP_yield to the other (ours only)"),
]
PEER_ELF = os.path.join(WORK, "guest-pong.elf")
# Domain 0 as a driver domain (guest-kernel/backend/) serving domain 1's
# xenstore and console rings (guest-kernel/bench/bench_xenstore.c), Tern only:
# the Xen run has no xenstored.
XENSTORE_DOMAINS = ["driver-domain", "console=ring bench-xenstore"]
OURS_ONLY_ROWS += [
    ("xenstore_read", "xenstore read round trip, domain 0 serving (ours only)"),
    ("xenstore_watch", "xenstore write + its watch event (ours only)"),
    ("console_ring_byte", "console ring, per byte drained by domain 0 (ours only)"),
]
# The PV network (guest-kernel/bench/bench_net.c), Tern only: domain 0 runs
# driver-domain (netback and its bridge), domain 1 answers, domain 2 pings it.
# Domain 2 also streams UDP to domain 1's byte counter and, through the
# bridge and the e1000, to the host's (UdpSink, on 127.0.0.1, which QEMU's
# user network shows as 10.0.2.2); domain 0 alone streams the same through
# its e1000 directly (guest-kernel/bench/bench_nic.c) as the baseline.
UDP_SINK_PORT = 47008
NET_DOMAINS = ["driver-domain vif.a=ip=10.0.2.16 vif.b=ip=10.0.2.17",
               "name=a -- netfront=60000",
               "name=b -- bench-net=10.0.2.16 bench-udp=10.0.2.2:%d" % UDP_SINK_PORT]
NIC_ARGS = "bench-nic=10.0.2.2:%d" % UDP_SINK_PORT
NET_QEMU = ["-nic", "user,model=e1000"]
OURS_ONLY_ROWS += [
    ("net_ping_round_trip", "PV network ping, domU to domU via dom0 (ours only)"),
    ("net_udp_domu_per_kib", "PV network UDP stream domU to domU, per KiB (ours only)"),
    ("net_udp_nic_pv_per_kib", "PV network UDP stream domU to the NIC, per KiB (ours only)"),
    ("net_udp_nic_direct_per_kib", "domain 0 direct: UDP stream to the NIC, per KiB (ours only)"),
]
# ---- Scale (issue 15), Tern only: the ping-pong round trip and the domain
# switch of domains 0 and 1 with 2, 16 and 128 domains present. The others
# are idle (guest-kernel/demo/idle.c: blocked for good, no timer; domain 0
# destroys them at its end), and the server starts the rounds once they
# are all blocked, so a hypervisor path that scans every domain (run queue,
# timer queue, event delivery) shows as a row growing with the count.
SCALE_COUNTS = (2, 16, 128)
SCALE_MEM = "1280M"                 # 8 MiB per idle domain (5.5 MiB image)
SCALE_DOMAINS = [
    "pingpong=serve:1:%d bench-pingpong idle-end=2" % PINGPONG_ROUNDS,
    "pingpong=connect:0:1:%d bench-pingpong" % PINGPONG_ROUNDS,
]
SCALE_IDLE = "mem=8M -- idle"
for _n in SCALE_COUNTS:
    OURS_ONLY_ROWS += [
        ("pingpong_round_trip_%ddom" % _n, "ping-pong round trip, %d domains (ours only)" % _n),
        ("domain_switch_%ddom" % _n, "domain switch, %d domains (ours only)" % _n),
    ]


def scale_iso(elf, n):
    """Domains 0 and 1 bounce events and yield; n - 2 idle ones, stripped."""
    shutil.copyfile(GUEST_ELF, PEER_ELF)
    modules = list(zip([GUEST_ELF, PEER_ELF], SCALE_DOMAINS))
    idle = os.path.join(WORK, "guest-idle.elf")     # one file, in the image once
    run(["objcopy", "--strip-all", GUEST_ELF, idle], "objcopy")
    modules += [(idle, SCALE_IDLE)] * (n - 2)
    return iso("tern-scale-%d" % n, elf, modules)


def measure_scale(elf):
    """The scale rows: {name_<n>dom: per_op} for each count."""
    rows = {}
    for n in SCALE_COUNTS:
        text = qemu_run(scale_iso(elf, n), os.path.join(WORK, "tern-scale-%d.log" % n),
                        "bench: done", mem=SCALE_MEM)
        got, _ = parse_bench(text)
        for name in ("pingpong_round_trip", "domain_switch"):
            rows["%s_%ddom" % (name, n)] = got.get(name)
    return rows


# The PV block device (guest-kernel/bench/bench_blk.c: domain 1's blkfront,
# domain 0's blkback by bus-master DMA) next to domain 0 reaching the same
# IDE disk directly by DMA (bench_disk.c, run once domain 1 has ended),
# per KiB, Tern only: the Xen run has no block backend. Under -icount the
# device's time is spent polling and lasts as long as the host takes to do
# the I/O, so each also has a _cpu_ row without it: disk-bench subtracts
# its own polling, and for the PV rows domain 0 (blk-wait-report) says at
# each of blk-bench's untimed flushes how long it has polled so far.
BLK_DOMAINS = ["driver-domain disk.blk=phy:ide0,xvda,w disk-bench blk-wait-report",
               "name=blk -- blk-bench"]
BLK_DISK_BYTES = 2 << 30
BLK_PAIRS = [
    ("blk_seq_read_64k_per_kib", "disk_seq_read_64k_dma_per_kib", "sequential 64 KiB reads"),
    ("blk_seq_write_64k_per_kib", "disk_seq_write_64k_dma_per_kib", "sequential 64 KiB writes"),
    ("blk_rand_read_4k_per_kib", "disk_rand_read_4k_dma_per_kib", "random 4 KiB reads"),
]
BLK_PAIRS += [(pv.replace("_per_kib", "_cpu_per_kib"), direct.replace("_per_kib", "_cpu_per_kib"),
               what + " without the device's time") for pv, direct, what in BLK_PAIRS]
for pv, direct, what in BLK_PAIRS:
    OURS_ONLY_ROWS += [(pv, "PV block: %s, per KiB (ours only)" % what),
                       (direct, "domain 0 direct (DMA): %s, per KiB (ours only)" % what)]
BLK_WAIT_RE = re.compile(r"blkback: ide0: device wait (\d+) TSC so far")
# The same PV rows on a RAM disk (domain 0's 4 MiB disk-image module): no
# device wait, so the figure is the split driver's own cost (ring, events,
# grant copy, domain switches) and the same on every host.
BLK_RAM_DOMAINS = ["driver-domain disk-image disk.blk=phy:module,xvda,w",
                   "name=blk -- blk-bench=ram"]
BLK_RAM_BYTES = 4 << 20
for pv, _, what in BLK_PAIRS[:3]:
    OURS_ONLY_ROWS.append((pv.replace("blk_", "blk_ram_"),
                           "PV block on a RAM disk: %s, per KiB (ours only)" % what))


def parse_args(argv):
    p = argparse.ArgumentParser(description="Benchmark Tern against real Xen 4.17 "
                                "in instructions per operation (QEMU -icount).")
    p.add_argument("--runs", type=int, default=3,
                   help="boots of the GRUB path for the boot-cost medians (default: 3)")
    p.add_argument("--hypervisor", default=HV_ELF, metavar="ELF",
                   help="the Tern image (default: build/hypervisor.elf, built by make)")
    p.add_argument("--no-build", action="store_true", help="do not run make first")
    p.add_argument("--linux", action="store_true",
                   help="also boot Debian's Linux as domain 0 of each and natively "
                   "(make linux)")
    p.add_argument("--only-linux", action="store_true",
                   help="only the Linux rows (implies --linux)")
    p.add_argument("--json", metavar="FILE",
                   help="also write the numbers as JSON (default: build/bench/results.json)",
                   default=os.path.join(WORK, "results.json"))
    args = p.parse_args(argv)
    if args.runs < 1:
        p.error("--runs must be at least 1")
    return args


def run(cmd, what):
    """Runs a command; returns its output (stdout and stderr), or exits."""
    out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True, errors="replace")
    if out.returncode != 0:
        print("bench: %s failed (exit %d):" % (what, out.returncode))
        print("\n".join("  | " + line for line in out.stdout.splitlines()[-30:]))
        sys.exit(1)
    return out.stdout


def loadable_bytes(elf):
    """Sum of the PT_LOAD file sizes of an ELF image (what GRUB reads)."""
    with open(elf, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF" or data[4] not in (1, 2):
        sys.exit("bench: %s is not an ELF image" % elf)
    if data[4] == 2:                                    # ELF64
        phoff, = struct.unpack_from("<Q", data, 0x20)
        phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
        layout, filesz_at = "<IIQQQQ", 5
    else:                                               # ELF32
        phoff, = struct.unpack_from("<I", data, 0x1c)
        phentsize, phnum = struct.unpack_from("<HH", data, 0x2a)
        layout, filesz_at = "<IIIIII", 4
    total = 0
    for i in range(phnum):
        ph = struct.unpack_from(layout, data, phoff + i * phentsize)
        if ph[0] == 1:
            total += ph[filesz_at]
    return total


def build_tsc_kernel(pad):
    obj = os.path.join(WORK, "tsc-kernel.o")
    run(["gcc", "-m32", "-c", "-DPAD=%d" % pad, TSC_SRC, "-o", obj], "assembling tsc-kernel")
    run(["ld", "-m", "elf_i386", "-T", TSC_LDS, "-o", TSC_ELF, obj], "linking tsc-kernel")


def build(args):
    if not args.no_build:
        targets = ["guest"] + (["all"] if os.path.abspath(args.hypervisor) == HV_ELF else [])
        run(["make", "--no-print-directory", "-s", "-C", REPO] + targets, "make")
    os.makedirs(WORK, exist_ok=True)
    build_tsc_kernel(0)                 # its own size, then padded to the hypervisor's
    build_tsc_kernel(max(0, loadable_bytes(args.hypervisor) - loadable_bytes(TSC_ELF)))


def iso(name, elf, modules=None, cmdline=TERN_CMDLINE):
    """An ISO of elf with modules [(path, string)] (default: the guest, bench)."""
    path = os.path.join(WORK, name + ".iso")
    cmd = [os.path.join(REPO, "tools", "mkimage.sh"), "--out", path, "--elf", elf,
           "--cmdline", cmdline]
    for module, string in modules or [(GUEST_ELF, GUEST_ARGS)]:
        cmd += ["--module", module, string]
    run(cmd, "mkimage " + name)
    return path


def events_iso(elf):
    """Two domains: domain 0 runs bench-events and serves the ping-pong."""
    shutil.copyfile(GUEST_ELF, PEER_ELF)        # mkimage wants distinct file names
    return iso("tern-events", elf, list(zip([GUEST_ELF, PEER_ELF], PINGPONG_DOMAINS)))


def xenstore_iso(elf):
    """Two domains: domain 0 serves, domain 1 runs bench-xenstore."""
    shutil.copyfile(GUEST_ELF, PEER_ELF)
    return iso("tern-xenstore", elf, list(zip([GUEST_ELF, PEER_ELF], XENSTORE_DOMAINS)))


def net_iso(elf):
    """Three domains: domain 0 bridges, domain 2 pings domain 1."""
    peers = [os.path.join(WORK, "guest-net%d.elf" % i) for i in (1, 2)]
    for p in peers:
        shutil.copyfile(GUEST_ELF, p)
    return iso("tern-net", elf, list(zip([GUEST_ELF] + peers, NET_DOMAINS)))


def nic_iso(elf):
    """Domain 0 alone, streaming through its e1000 directly."""
    return iso("tern-nic", elf, [(GUEST_ELF, NIC_ARGS)])


class UdpSink(threading.Thread):
    """The host's end of the UDP rows (guest-kernel/net/udp_sink.h): counts
    the payload bytes sent to 127.0.0.1:UDP_SINK_PORT and answers a query
    with the totals, so a guest measures what arrived."""
    QUERY, ANSWER = b"tern-sink?", b"tern-sink="

    def __init__(self):
        super().__init__(daemon=True)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
        self.sock.bind(("127.0.0.1", UDP_SINK_PORT))
        self.bytes = self.datagrams = 0

    def run(self):
        while True:
            try:
                data, peer = self.sock.recvfrom(65536)
            except OSError:
                return                                  # closed
            if data == self.QUERY:
                self.sock.sendto(self.ANSWER + struct.pack(">QI", self.bytes, self.datagrams),
                                 peer)
            else:
                self.bytes += len(data)
                self.datagrams += 1


def net_ratio(ours):
    """The PV stream to the NIC over domain 0's own, per KiB, one line."""
    p, d = ours.get("net_udp_nic_pv_per_kib"), ours.get("net_udp_nic_direct_per_kib")
    print("PV network UDP to the NIC over domain 0 direct, per KiB: %s" %
          ("%.2fx" % (p / d) if p and d else "-"))


def blk_iso(elf):
    """Two domains: domain 0 serves domain 1's PV disk, then benches it directly."""
    shutil.copyfile(GUEST_ELF, PEER_ELF)
    return iso("tern-blk", elf, list(zip([GUEST_ELF, PEER_ELF], BLK_DOMAINS)))


def blk_ram_iso(elf):
    """Domain 0 serves domain 1's PV disk from its disk-image module."""
    shutil.copyfile(GUEST_ELF, PEER_ELF)
    image = os.path.join(WORK, "blk-ram.img")
    with open(image, "wb") as f:
        f.write(bytes(BLK_RAM_BYTES))
    return iso("tern-blk-ram", elf, [(GUEST_ELF, BLK_RAM_DOMAINS[0]), (image, ""),
                                      (PEER_ELF, BLK_RAM_DOMAINS[1])])


def blk_disk():
    """A fresh sparse IDE disk image for the block rows (its -drive arguments)."""
    path = os.path.join(WORK, "tern-blk.img")
    with open(path, "wb") as f:
        f.truncate(BLK_DISK_BYTES)
    return ["-drive", "if=ide,index=0,format=raw,file=" + path]


def blk_cpu_rows(text):
    """The PV rows without domain 0's polling of the device: the waits it
    reported at the flushes before and after each phase, taken out."""
    waits = [int(w) for w in BLK_WAIT_RE.findall(text)]
    results = {m.group(1): (float(m.group(2)), int(m.group(3)), int(m.group(4)))
               for m in RESULT_RE.finditer(text)}
    rows = {}
    for i, (pv, _, _) in enumerate(BLK_PAIRS[:3]):
        if pv in results and len(waits) >= i + 2:
            _, kib, total = results[pv]
            rows[pv.replace("_per_kib", "_cpu_per_kib")] = (total - (waits[i + 1] - waits[i])) / kib
    return rows


def blk_ratios(ours):
    """PV block per KiB over domain 0's direct per KiB, one line."""
    parts = []
    for pv, direct, what in BLK_PAIRS:
        p, d = ours.get(pv), ours.get(direct)
        parts.append("%s %s" % (what, "%.2fx" % (p / d) if p and d else "-"))
    print("PV block over domain 0 direct (DMA), per KiB: " + ", ".join(parts))


def qemu_run(image, log, until, mem=None, extra=()):
    """Boots an ISO on the bench QEMU; returns the serial output."""
    cmd = [os.path.join(REPO, "tools", "qemu-run.py"), "--iso", image, "--cpu", "max",
           "--timeout", str(TIMEOUT), "--log", log, "--stop-on", until, "--expect", until]
    cmd += ["--mem", mem] if mem else []
    cmd += ["--qemu-arg=" + a for a in QEMU_ARGS + list(extra)]
    run(cmd, "qemu-run " + os.path.basename(image))
    with open(log, errors="replace") as f:
        return f.read()


def xen_run(log, until, kernel=None, guest_args=GUEST_ARGS):
    """Boots Xen (or, with kernel, that kernel in Xen's place); returns the output."""
    cmd = [os.path.join(REPO, "tools", "xen-run.py"), "--timeout", str(TIMEOUT),
           "--log", log, "--until", until, "--cpu", "max"]
    if kernel:
        cmd += ["--xen", kernel]
    cmd += ["--qemu-arg=" + a for a in QEMU_ARGS] + [guest_args]
    run(cmd, "xen-run" + (" (firmware share)" if kernel else ""))
    with open(log, "rb") as f:
        return f.read().decode("utf-8", "replace")


def parse_bench(text):
    """{name: per_op} and the boot TSC from a bench boot's output."""
    rows = {m.group(1): float(m.group(2)) for m in RESULT_RE.finditer(text)}
    for m in ERROR_RE.finditer(text):
        rows.setdefault(m.group(1), None)
    boot = BOOT_RE.search(text)
    return rows, int(boot.group(1)) if boot else None


def firmware_tsc(text):
    m = FIRMWARE_RE.search(text)
    if not m:
        sys.exit("bench: the trivial kernel printed no bench-firmware-tsc line")
    return int(m.group(1), 16)


def measure_tern(args):
    tern_iso = iso("tern", args.hypervisor)
    rows, boots, firmware = None, [], []
    for i in range(args.runs):
        text = qemu_run(tern_iso, os.path.join(WORK, "tern-%d.log" % i), "bench: done")
        r, boot = parse_bench(text)
        rows = rows or r
        boots.append(boot)
        entry = HV_ENTRY_RE.search(text)
        if not entry:
            sys.exit("bench: Tern printed no 'hypervisor entered at TSC' line")
        firmware.append(int(entry.group(1)))
    events, _ = parse_bench(qemu_run(events_iso(args.hypervisor),
                                     os.path.join(WORK, "tern-events.log"), "bench: done"))
    rows.update(events)
    xs, _ = parse_bench(qemu_run(xenstore_iso(args.hypervisor),
                                 os.path.join(WORK, "tern-xenstore.log"), "bench: done"))
    rows.update(xs)
    text = qemu_run(blk_iso(args.hypervisor), os.path.join(WORK, "tern-blk.log"),
                    "disk-bench: done", extra=blk_disk())
    rows.update(parse_bench(text)[0])
    rows.update(blk_cpu_rows(text))
    ram, _ = parse_bench(qemu_run(blk_ram_iso(args.hypervisor),
                                  os.path.join(WORK, "tern-blk-ram.log"), "blk-bench: done"))
    rows.update(ram)
    sink = UdpSink()
    sink.start()
    try:
        for image, log in ((net_iso(args.hypervisor), "tern-net.log"),
                           (nic_iso(args.hypervisor), "tern-nic.log")):
            net, _ = parse_bench(qemu_run(image, os.path.join(WORK, log), "bench: done",
                                          extra=NET_QEMU))
            rows.update(net)
    finally:
        sink.sock.close()
    rows.update(measure_scale(args.hypervisor))
    return rows, boots, firmware


def measure_xen():
    rows, boot = parse_bench(xen_run(os.path.join(WORK, "xen.log"), "bench: done"))
    events, _ = parse_bench(xen_run(os.path.join(WORK, "xen-events.log"), "bench: done",
                                    guest_args=EVENT_ARGS))
    rows.update(events)
    firmware = firmware_tsc(xen_run(os.path.join(WORK, "xen-firmware.log"),
                                    FIRMWARE_RE.pattern, TSC_ELF))
    return rows, [boot], [firmware]


def measure_linux(args):
    """The Linux table's cells: Tern, Xen and native boots of Debian's kernel."""
    run([os.path.join(REPO, "tools", "fetch-linux.sh")], "tools/fetch-linux.sh")
    return bench_linux.measure(args.hypervisor, iso, qemu_run, TERN_CMDLINE, TIMEOUT,
                               QEMU_ARGS)


def boot_cost(boots, entries):
    """Median boot cost, run by run the guest's TSC minus the hypervisor's
    entry TSC of the same run, and a note on the spread of those costs."""
    if None in boots:
        return None, "no boot_tsc"
    costs = [b - e for b, e in zip(boots, entries)]
    cost = statistics.median(costs)
    spread = max(costs) - min(costs)
    note = "exact" if spread == 0 else "+-%d over %d runs" % (spread, len(boots))
    return cost, note


def fmt(v):
    if v is None:
        return "-"
    return "{:,.0f}".format(v) if v >= 100 else "{:.1f}".format(v)


def table(ours, xen, boot_ours, boot_xen):
    lines = [(label, ours.get(name), xen.get(name)) for name, label in ROWS + EVENT_ROWS]
    lines.append((BOOT_ROW, boot_ours, boot_xen))
    ours_only = [(label, ours.get(name), None) for name, label in OURS_ONLY_ROWS]
    width = max(len(label) for label, _, _ in lines + ours_only)
    print("%-*s | %13s | %13s | %s" % (width, "operation (instructions)", "ours", "xen",
                                         "ours/xen"))
    print("%s-|-%s-|-%s-|-%s" % ("-" * width, "-" * 13, "-" * 13, "-" * 8))
    for label, o, x in lines + ours_only:
        ratio = "%.2f" % (o / x) if o is not None and x else "-"
        print("%-*s | %13s | %13s | %8s" % (width, label, fmt(o), fmt(x), ratio))
    return (all(o is not None and x is not None for _, o, x in lines) and
            all(o is not None for _, o, _ in ours_only))


def main_linux(args):
    """--only-linux: the Linux table alone."""
    linux = measure_linux(args)
    complete = bench_linux.table(linux)
    with open(args.json, "w") as f:
        json.dump({"linux": linux}, f, indent=1)
    print("bench: done")
    return 0 if complete else 1


def main(argv):
    args = parse_args(argv)
    build(args)
    if args.only_linux:
        return main_linux(args)
    ours, boots, fw = measure_tern(args)
    boot_ours, note_ours = boot_cost(boots, fw)
    xen, xboots, xfw = measure_xen()
    boot_xen, note_xen = boot_cost(xboots, xfw)
    linux = measure_linux(args) if args.linux else None
    complete = table(ours, xen, boot_ours, boot_xen)
    if linux:
        complete = bench_linux.table(linux) and complete
    blk_ratios(ours)
    net_ratio(ours)
    print("boot cost: ours %s (hypervisor entry at TSC %s), xen %s (at TSC %s)" % (
        note_ours, fmt(statistics.median(fw)), note_xen, fmt(statistics.median(xfw))))
    with open(args.json, "w") as f:
        json.dump({"ours": ours, "xen": xen, "boot": {"ours": boot_ours, "xen": boot_xen},
                   "linux": linux,
                   "raw": {"ours_boot_tsc": boots, "ours_firmware_tsc": fw,
                           "xen_boot_tsc": xboots, "xen_firmware_tsc": xfw}}, f, indent=1)
    print("bench: done")
    return 0 if complete else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
