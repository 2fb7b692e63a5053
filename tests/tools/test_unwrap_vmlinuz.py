#!/usr/bin/env python3
"""Tests of tools/unwrap-vmlinuz.sh, the bzImage -> kernel ELF step that
tools/mkimage.sh applies to a /boot/vmlinuz module: synthetic bzImages
(setup header, xz or gzip payload, the kernel build's size trailer), one
accepted case per payload kind and one refused case per check, each refusal
leaving no output file. Prints "unwrap: N passed, M failed"."""
import gzip
import lzma
import os
import struct
import subprocess
import sys
import tempfile
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOL = os.path.join(REPO, "tools", "unwrap-vmlinuz.sh")
ELF = b"\x7fELF\x02\x01\x01" + bytes(57) + b"kernel text " * 300
SETUP_SECTS = 1


def xz_payload(data, trailer=None):
    size = len(data) if trailer is None else trailer
    return lzma.compress(data, format=lzma.FORMAT_XZ) + struct.pack("<I", size)


def bzimage(payload, version=0x20f, magic=b"HdrS", offset=64, length=None, pad=256):
    """Setup sectors, then the protected-mode part with the payload at offset."""
    head = bytearray((SETUP_SECTS + 1) * 512)
    head[0x1f1] = SETUP_SECTS
    head[0x202:0x206] = magic
    struct.pack_into("<H", head, 0x206, version)
    struct.pack_into("<II", head, 0x248, offset, len(payload) if length is None else length)
    return bytes(head) + bytes(offset) + payload + bytes(pad)


class Unwrap(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.out = os.path.join(self.dir.name, "vmlinux")

    def tearDown(self):
        self.dir.cleanup()

    def run_tool(self, image):
        path = os.path.join(self.dir.name, "vmlinuz")
        with open(path, "wb") as f:
            f.write(image)
        return subprocess.run([TOOL, path, self.out], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)

    def accepted(self, image, want):
        r = self.run_tool(image)
        self.assertEqual(r.returncode, 0, r.stdout)
        with open(self.out, "rb") as f:
            self.assertEqual(f.read(), want)

    def refused(self, image, why):
        r = self.run_tool(image)
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertIn(why, r.stdout)
        self.assertEqual(sorted(os.listdir(self.dir.name)), ["vmlinuz"])   # nothing left

    def test_xz_accepted(self):
        self.accepted(bzimage(xz_payload(ELF)), ELF)

    def test_gzip_accepted(self):
        self.accepted(bzimage(gzip.compress(ELF)), ELF)

    def test_not_a_bzimage(self):
        self.refused(bzimage(xz_payload(ELF), magic=b"Hdr!"), "not a bzImage")

    def test_too_short(self):
        self.refused(b"\x00" * 600, "too short")

    def test_old_boot_protocol(self):
        self.refused(bzimage(xz_payload(ELF), version=0x207), "2.08 needed")

    def test_payload_beyond_the_file(self):
        p = xz_payload(ELF)
        self.refused(bzimage(p, length=len(p) + 257), "not inside the file")

    def test_payload_offset_beyond_the_file(self):
        self.refused(bzimage(xz_payload(ELF), offset=0x7fffff00, pad=0)[:4096],
                     "not inside the file")

    def test_corrupt_xz(self):
        p = bytearray(xz_payload(ELF))
        p[len(p) // 2] ^= 0xff
        self.refused(bzimage(bytes(p)), "xz refused")

    def test_truncated_xz(self):
        p = xz_payload(ELF)
        self.refused(bzimage(p[:len(p) // 2] + p[-4:]), "xz refused")

    def test_wrong_size_trailer(self):
        self.refused(bzimage(xz_payload(ELF, trailer=len(ELF) + 1)), "trailer says")

    def test_corrupt_gzip(self):
        p = bytearray(gzip.compress(ELF))
        p[len(p) // 2] ^= 0xff
        self.refused(bzimage(bytes(p)), "gzip refused")

    def test_payload_not_elf(self):
        self.refused(bzimage(xz_payload(b"MZ" + ELF[2:])), "not an ELF image")

    def test_unknown_compression(self):
        self.refused(bzimage(b"BZh9" + bytes(100)), "not handled")


def main():
    suite = unittest.defaultTestLoader.loadTestsFromTestCase(Unwrap)
    result = unittest.TextTestRunner(stream=sys.stdout, verbosity=2).run(suite)
    failed = len(result.failures) + len(result.errors)
    passed = result.testsRun - failed - len(result.skipped)
    print("unwrap: %d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
