#!/usr/bin/env python3
"""tools/linux-io.py: what Debian's Linux needs for its PV disk and network
as an unprivileged domain of Tern (scenario linux-domu-io, make run-linux).

  linux-io.py initramfs
      build/linux/initramfs-io.cpio: busybox, the modules Debian builds
      xen-blkfront, xen-netfront and ext4 as (with every module they depend
      on, in load order), and the /init below. The kernel package is the one
      tools/fetch-linux.sh downloaded (build/linux/debs/); its modules are
      read straight from the .deb (they are not xz-compressed in Debian 12:
      CONFIG_MODULE_COMPRESS_NONE), never installed.
  linux-io.py disk IMAGE
      IMAGE (an existing file: the IDE disk) becomes an ext4 file system
      (mke2fs -d, e2fsprogs) holding /hello, which /init reads back.
  linux-io.py check IMAGE
      After the run: /from-linux holds what /init wrote, and e2fsck finds
      the file system clean (Linux unmounted it before powering off).

The initramfs is rebuilt only when this script or the kernel package is
newer than it; it has its own name, so build/linux/initramfs.cpio (the plain
/init of fetch-linux.sh) is untouched. Any failure exits non-zero."""

import glob
import os
import shutil
import struct
import subprocess
import sys
import tarfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LINUX = os.path.join(os.environ.get("BUILD", os.path.join(ROOT, "build")), "linux")
OUT = os.path.join(LINUX, "initramfs-io.cpio")
HELLO = "tern-linux: hello from the host's ext4 image\n"
FROM_LINUX = "tern-linux: written by Linux on xvda\n"
# What /init loads: each with its dependencies before it.
WANTED = ["xen-blkfront", "xen-netfront", "ext4"]

INIT = r"""#!/bin/busybox sh
# /init of initramfs-io.cpio (tools/linux-io.py): Linux's PV disk and
# network on Tern. Kernel parameters it reads (unknown ones reach init
# as environment variables): tern_ip=A.B.C.D/N, tern_ping=ADDR,ADDR...,
# tern_http=ADDR:PORT (a page fetched over TCP with nc).
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
say() { echo "tern-linux: $*"; }

# Only the devices the toolstack gave this domain: a frontend whose
# backend never answers keeps Linux waiting.
has() { ls /sys/bus/xen/devices/ 2>/dev/null | grep -q "^$1-"; }

load() {
    for m in $(cat /lib/modules/$1.order); do
        grep -q "^$(basename $m .ko | tr - _) " /proc/modules ||
            insmod /lib/modules/$m || say "insmod $m failed"
    done
}

# Waits up to $2 tenths of a second for $1 to exist.
wait_for() {
    n=0
    while [ ! -e "$1" ] && [ $n -lt $2 ]; do sleep 0.1; n=$((n + 1)); done
    [ -e "$1" ]
}

disk() {
    load xen-blkfront
    wait_for /dev/xvda 100 || { say "FAIL: no /dev/xvda"; return; }
    say "xvda: $(cat /sys/block/xvda/size) sectors"
    load ext4
    mkdir -p /mnt
    mount -t ext4 /dev/xvda /mnt || { say "FAIL: mount xvda"; return; }
    say "xvda: $(cat /mnt/hello)"
    echo "tern-linux: written by Linux on xvda" >/mnt/from-linux
    sync
    umount /mnt && say "xvda: written, synced, unmounted"
}

net() {
    load xen-netfront
    wait_for /sys/class/net/eth0 100 || { say "FAIL: no eth0"; return; }
    ip link set eth0 up
    ip addr add ${tern_ip:-10.0.2.15/24} dev eth0
    say "eth0: $(cat /sys/class/net/eth0/address) ${tern_ip:-10.0.2.15/24}"
    for a in $(echo "$tern_ping" | tr , ' '); do
        if ping -c 3 -W 5 $a >/tmp/ping 2>&1; then
            say "ping $a: $(grep 'packets transmitted' /tmp/ping)"
        else
            say "FAIL: ping $a: $(tail -n 2 /tmp/ping | tr '\n' ' ')"
        fi
    done
    # TCP (and UDP) leave Linux's netfront with the checksum left to the
    # backend (NETTXF_csum_blank): a page fetched over TCP shows it was
    # filled. (nc, not busybox-static's wget: that one crashes on Debian's
    # own host too.)
    if [ -n "$tern_http" ]; then
        printf 'GET / HTTP/1.0\r\n\r\n' |
            timeout 30 nc -w 10 ${tern_http%:*} ${tern_http#*:} >/tmp/http 2>&1
        if grep -q '^HTTP/1.0 200' /tmp/http; then
            say "http $tern_http: $(tail -n 1 /tmp/http)"
        else
            say "FAIL: http $tern_http: $(head -c 200 /tmp/http | tr '\r\n' '  ')"
        fi
    fi
    ip link set eth0 down
}

say "/init reached"
has vbd && disk
has vif && net
say "powering off"
poweroff -f
"""


def die(msg):
    sys.exit("linux-io: error: " + msg)


def kernel_deb():
    debs = glob.glob(os.path.join(LINUX, "debs", "linux-image-6.1*-amd64_*.deb"))
    if len(debs) != 1:
        die("want one linux-image-6.1 package in %s/debs (run tools/fetch-linux.sh)" % LINUX)
    return debs[0]


def ko_members(deb):
    """(path under /lib/modules/<version>/, bytes) of every .ko of the
    package, streamed (4000 modules, 300 MB: never all in memory)."""
    tar = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", deb], stdout=subprocess.PIPE)
    with tarfile.open(fileobj=tar.stdout, mode="r|") as t:
        for m in t:
            if m.isfile() and m.name.endswith(".ko"):
                rel = m.name.split("/lib/modules/", 1)[1].split("/", 1)[1]
                yield rel, t.extractfile(m).read()
    if tar.wait() != 0:
        die("dpkg-deb --fsys-tarfile %s failed" % deb)


def modules_of(deb):
    """{module name: (path, what it needs)} for every module, with
    modinfo's '-' and '_' made one."""
    return {rel_key(rel): (rel, needs(elf)) for rel, elf in ko_members(deb)}


def section(elf, name):
    """The bytes of an ELF64 little-endian file's section NAME, or b""."""
    shoff, = struct.unpack_from("<Q", elf, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", elf, 0x3a)

    def header(i):
        return struct.unpack_from("<IIQQQQ", elf, shoff + i * shentsize)
    strtab = header(shstrndx)
    for i in range(shnum):
        sh_name, _, _, _, off, size = header(i)
        start = strtab[4] + sh_name
        if elf[start:elf.index(b"\0", start)] == name:
            return elf[off:off + size]
    return b""


def needs(elf):
    """A module's depends= names (its softdeps are aliases such as
    crypto-crc32c, which build_tree answers by name)."""
    out = []
    for entry in section(elf, b".modinfo").split(b"\0"):
        key, _, value = entry.decode("ascii", "replace").partition("=")
        if key == "depends" and value:
            out += value.split(",")
    return [n.replace("-", "_") for n in out]


def load_order(mods, name, done, order):
    """Depth first: what NAME needs, then NAME (each once)."""
    key = name.replace("-", "_")
    if key in done:
        return
    done.add(key)
    if key not in mods:
        die("module %s is not in the kernel package" % name)
    for dep in mods[key][1]:
        load_order(mods, dep, done, order)
    order.append(mods[key][0])


def build_tree(tree, deb):
    for d in ("bin", "proc", "sys", "dev", "tmp", "lib/modules"):
        os.makedirs(os.path.join(tree, d))
    shutil.copy(os.path.join(LINUX, "root", "bin", "busybox"), os.path.join(tree, "bin"))
    os.symlink("busybox", os.path.join(tree, "bin", "sh"))
    mods, wanted = modules_of(deb), set()
    for name in WANTED:
        order = []
        load_order(mods, name, set(), order)
        if name == "ext4":      # crc32c: what ext4 and jbd2 ask the crypto API for
            order = ["kernel/crypto/crc32c_generic.ko"] + order
        with open(os.path.join(tree, "lib/modules", name + ".order"), "w") as f:
            f.write("".join(rel + "\n" for rel in order))
        wanted.update(order)
        print("linux-io: %s: %s" % (name, " ".join(os.path.basename(r) for r in order)))
    for rel, elf in ko_members(deb):
        if rel in wanted:
            path = os.path.join(tree, "lib/modules", rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(elf)
            wanted.discard(rel)
    if wanted:
        die("not found on the second pass: " + " ".join(sorted(wanted)))
    with open(os.path.join(tree, "init"), "w") as f:
        f.write(INIT)
    os.chmod(os.path.join(tree, "init"), 0o755)


def rel_key(rel):
    return os.path.basename(rel)[:-3].replace("-", "_")


def initramfs():
    deb = kernel_deb()
    if os.path.exists(OUT) and os.path.getmtime(OUT) > max(
            os.path.getmtime(deb), os.path.getmtime(os.path.abspath(__file__))):
        print("linux-io: %s is up to date" % OUT)
        return
    tree = OUT + ".tree"
    shutil.rmtree(tree, ignore_errors=True)
    build_tree(tree, deb)
    subprocess.run([sys.executable, os.path.join(ROOT, "tools", "mkcpio.py"), tree, OUT + ".tmp"],
                   check=True)
    shutil.rmtree(tree)
    os.replace(OUT + ".tmp", OUT)
    print("linux-io: %s built" % OUT)


def disk(image):
    tree = image + ".root"
    shutil.rmtree(tree, ignore_errors=True)
    os.makedirs(tree)
    with open(os.path.join(tree, "hello"), "w") as f:
        f.write(HELLO)
    run = subprocess.run(["mke2fs", "-q", "-F", "-t", "ext4", "-L", "tern", "-d", tree, image],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
    shutil.rmtree(tree)
    if run.returncode != 0:
        die("mke2fs: " + run.stdout.decode("utf-8", "replace").strip())


def check(image):
    """Prints the failure and exits 1, or returns quietly."""
    fsck = subprocess.run(["e2fsck", "-fn", image], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, check=False)
    if fsck.returncode != 0:
        die("e2fsck -fn found the file system unclean: " +
            fsck.stdout.decode("utf-8", "replace").strip()[-300:])
    got = subprocess.run(["debugfs", "-R", "cat /from-linux", image], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, check=False).stdout.decode("utf-8", "replace")
    if got != FROM_LINUX:
        die("/from-linux holds %r, not %r" % (got, FROM_LINUX))


def main():
    if len(sys.argv) == 2 and sys.argv[1] == "initramfs":
        initramfs()
    elif len(sys.argv) == 3 and sys.argv[1] in ("disk", "check"):
        {"disk": disk, "check": check}[sys.argv[1]](sys.argv[2])
    else:
        sys.exit("usage: linux-io.py initramfs | disk IMAGE | check IMAGE")


if __name__ == "__main__":
    main()
