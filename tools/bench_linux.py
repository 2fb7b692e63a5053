"""tools/bench_linux.py: the Linux rows of `tools/bench.py --linux` (issue 17):
what paravirtualization costs against native, in instructions.

Debian 12's kernel (build/linux/vmlinux, tools/fetch-linux.sh) boots three
ways under the bench QEMU (-cpu max -icount shift=0,sleep=off, so the TSC
counts executed instructions), each with the same initramfs: /init is
tools/bench/linux-bench.c, a freestanding static program (build/bench/
linux-bench.cpio, its own file: the scenarios' busybox initramfs is not
touched). It prints the TSC at its first instruction, then times a null
system call (getppid), a page-touching loop and fork+exit+wait.

  Tern    domain 0 (256 MiB, console hvc0) of an ISO booted by GRUB, 1 GiB
          machine; at loglvl=debug Tern prints the TSC at its first entry
          into the guest ("boot: first guest entry at TSC N").
  Xen     Xen 4.17 by QEMU -kernel, the same as domain 0; with
          console_timestamps=raw each Xen line carries the TSC, and the last
          one before domain 0 runs, "Freed NkB init memory", stands for the
          entry (Xen runs a few thousand instructions more before it: noise
          against a boot of 10^9).
  native  QEMU -kernel of the same vmlinux by its PVH entry note (no
          decompressor runs, as on the hypervisors), -m 256M: the memory the
          domain 0 kernel gets, -append console=ttyS0. Its entry TSC is the
          firmware's share: tools/bench/tsc-kernel.S built with -DPVH, booted
          the same way with the same initramfs, prints the TSC at its first
          instruction.

Boot row: /init's TSC minus the entry TSC, i.e. the kernel's first
instruction to /init's. The TSC also runs while the CPU idles on a timer
(sleep=off skips that time, the clock still advances); /init prints Linux's
idle time so far (/proc/uptime) to show how much of a row that is.
"""

import os
import re
import subprocess
import threading

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(REPO, "build")
WORK = os.path.join(BUILD, "bench")
KERNEL = os.path.join(BUILD, "linux", "vmlinux")
BENCH_SRC = os.path.join(REPO, "tools", "bench", "linux-bench.c")
BENCH_TREE = os.path.join(WORK, "linux-bench-root")
INITRD = os.path.join(WORK, "linux-bench.cpio")
TSC_SRC = os.path.join(REPO, "tools", "bench", "tsc-kernel.S")
PVH_LDS = os.path.join(REPO, "tools", "bench", "tsc-pvh.ld")
PVH_ELF = os.path.join(WORK, "tsc-pvh.elf")

MACHINE_MEM = "1G"                      # Tern's and Xen's machine
DOM0 = "dom0_mem=256M"
NATIVE_MEM = "256M"                     # what domain 0 gets
CFLAGS = ["-O2", "-static", "-nostdlib", "-ffreestanding", "-fno-stack-protector",
          "-fno-pie", "-no-pie", "-fno-asynchronous-unwind-tables",
          "-Wall", "-Wextra", "-Werror"]
XEN_CMDLINE = ("console=com1 com1=115200,8n1 %s,max:256M x2apic=false loglvl=all "
               "guest_loglvl=all noreboot console_timestamps=raw" % DOM0)
DIRECT_QEMU = ["-machine", "pc", "-accel", "tcg", "-cpu", "max", "-smp", "1",
               "-nodefaults", "-display", "none", "-monitor", "none",
               "-serial", "stdio", "-no-reboot"]

DONE = "linux-bench: done"
INIT_RE = re.compile(r"linux-bench: init_tsc=(\d+)")
IDLE_RE = re.compile(r"linux-bench: idle_cs=(\d+)")
ROW_RE = re.compile(r"linux-bench: (\S+) per_op=([0-9.]+) iterations=(\d+) total=(\d+)")
TERN_ENTRY_RE = re.compile(r"boot: first guest entry at TSC (\d+)")
XEN_ENTRY_RE = re.compile(r"\[([0-9a-f]{16})\] Freed \d+kB init memory")
FIRMWARE_RE = re.compile(r"bench-firmware-tsc=([0-9a-f]{16})")
DEATH_RE = re.compile(r"Panic on CPU|Kernel panic")

ROWS = [
    ("boot", "Linux: first kernel instruction to /init"),
    ("getppid", "Linux: null system call (getppid)"),
    ("page_touch", "Linux: page touched (mmap 1 MiB, write, munmap), per page"),
    ("fork_exit", "Linux: fork + exit + wait4"),
]
COLUMNS = ("tern", "xen", "native")


def _run(cmd, what):
    out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True, errors="replace")
    if out.returncode != 0:
        raise SystemExit("bench: %s failed (exit %d):\n%s" % (what, out.returncode,
                                                             out.stdout[-3000:]))
    return out.stdout


def build():
    """The benchmark /init, its initramfs and the PVH firmware-share kernel."""
    os.makedirs(os.path.join(BENCH_TREE, "proc"), exist_ok=True)
    _run(["gcc"] + CFLAGS + ["-o", os.path.join(BENCH_TREE, "init"), BENCH_SRC],
         "compiling linux-bench.c")
    _run(["python3", os.path.join(REPO, "tools", "mkcpio.py"), BENCH_TREE, INITRD],
         "mkcpio linux-bench")
    obj = os.path.join(WORK, "tsc-pvh.o")
    _run(["gcc", "-m32", "-c", "-DPVH", TSC_SRC, "-o", obj], "assembling tsc-pvh")
    _run(["ld", "-m", "elf_i386", "-T", PVH_LDS, "-o", PVH_ELF, obj], "linking tsc-pvh")


def direct_boot(name, kernel, append, initrd, mem, until, timeout, qemu_args):
    """QEMU -kernel (no ISO): the serial output up to the first line matching
    until (or a panic, or the timeout); QEMU is then stopped, since neither
    Xen after domain 0 nor the trivial kernel ends by itself."""
    cmd = ([os.path.join(REPO, "tools", "qemu.sh")] + DIRECT_QEMU + ["-m", mem] +
           qemu_args + ["-kernel", kernel, "-initrd", initrd] +
           (["-append", append] if append else []))
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, errors="replace")
    timer = threading.Timer(timeout, proc.kill)
    timer.start()
    lines = []
    for line in proc.stdout:
        lines.append(line)
        if re.search(until, line) or DEATH_RE.search(line):
            break
    timer.cancel()
    proc.kill()
    proc.wait()
    text = "".join(lines)
    with open(os.path.join(WORK, name + ".log"), "w") as f:
        f.write(text)
    return text


def parse(text, entry):
    """{row: instructions} of one boot; entry is the kernel's entry TSC."""
    rows = {m.group(1): float(m.group(2)) for m in ROW_RE.finditer(text)}
    init = INIT_RE.search(text)
    if init and entry is not None:
        rows["boot"] = float(int(init.group(1)) - entry)
    idle = IDLE_RE.search(text)
    rows["idle_cs_at_init"] = int(idle.group(1)) if idle else None
    return rows


def _first(regex, text, base=10):
    m = regex.search(text)
    return int(m.group(1), base) if m else None


def measure_tern(hypervisor, iso, qemu_run, tern_cmdline):
    image = iso("tern-linux-bench", hypervisor,
                [(KERNEL, "console=hvc0"), (INITRD, "initramfs")],
                "%s loglvl=debug %s" % (tern_cmdline, DOM0))
    text = qemu_run(image, os.path.join(WORK, "tern-linux-bench.log"), DONE, MACHINE_MEM)
    return parse(text, _first(TERN_ENTRY_RE, text))


def measure_xen(timeout, qemu_args):
    xen = os.path.join(BUILD, "xen", "xen.elf")
    text = direct_boot("xen-linux-bench", xen, XEN_CMDLINE,
                       "%s console=hvc0,%s" % (KERNEL, INITRD), MACHINE_MEM, DONE,
                       timeout, qemu_args)
    return parse(text, _first(XEN_ENTRY_RE, text, 16))


def measure_native(timeout, qemu_args):
    fw = direct_boot("native-firmware", PVH_ELF, None, INITRD, NATIVE_MEM,
                     FIRMWARE_RE.pattern, timeout, qemu_args)
    text = direct_boot("native-linux-bench", KERNEL, "console=ttyS0", INITRD, NATIVE_MEM,
                       DONE, timeout, qemu_args)
    return parse(text, _first(FIRMWARE_RE, fw, 16))


def measure(hypervisor, iso, qemu_run, tern_cmdline, timeout, qemu_args):
    """{"tern": rows, "xen": rows, "native": rows}."""
    build()
    return {"tern": measure_tern(hypervisor, iso, qemu_run, tern_cmdline),
            "xen": measure_xen(timeout, qemu_args),
            "native": measure_native(timeout, qemu_args)}


def _fmt(v):
    return "-" if v is None else "{:,.0f}".format(v) if v >= 100 else "{:.1f}".format(v)


def _ratio(a, b):
    return "%.2f" % (a / b) if a is not None and b else "-"


def _overhead_ratio(t, x, n):
    """Tern's overhead over native as a share of Xen's (the target: <= 0.5)."""
    if None in (t, x, n) or x <= n:
        return "-"
    return "%.2f" % ((t - n) / (x - n))


def table(results):
    """Prints the three-column table; True when every cell was measured."""
    width = max(len(label) for _, label in ROWS)
    print("%-*s | %13s | %13s | %13s | %8s | %11s | %10s | %s" % (
        width, "Linux 6.1 (instructions)", "tern", "xen", "native", "ours/xen",
        "tern/native", "xen/native", "overhead ours/xen"))
    print("-|-".join(["-" * width] + ["-" * 13] * 3 + ["-" * 8, "-" * 11, "-" * 10,
                                                      "-" * 17]))
    complete = True
    for name, label in ROWS:
        t, x, n = (results[c].get(name) for c in COLUMNS)
        complete = complete and None not in (t, x, n)
        print("%-*s | %13s | %13s | %13s | %8s | %11s | %10s | %17s" % (
            width, label, _fmt(t), _fmt(x), _fmt(n), _ratio(t, x), _ratio(t, n),
            _ratio(x, n), _overhead_ratio(t, x, n)))
    print("Linux idle time at /init (centiseconds, counted in the boot row): " +
          ", ".join("%s %s" % (c, results[c].get("idle_cs_at_init")) for c in COLUMNS))
    return complete
