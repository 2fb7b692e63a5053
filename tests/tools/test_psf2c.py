#!/usr/bin/env python3
"""tests/tools/test_psf2c.py: tests of tools/psf2c.py, the build-time font
converter. Synthetic PSF1 and PSF2 fonts are built here byte by byte; each
rule the converter enforces has a font that passes it and one refused for
it (checked by a substring of the reason). When Debian's console fonts are
installed, the font the build uses is converted too.

Prints one line per test and then "tools: N passed, M failed"; exit status
non-zero on any failure.
"""

import gzip
import importlib.util
import os
import struct
import sys
import tempfile
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.dont_write_bytecode = True
_spec = importlib.util.spec_from_file_location(
    "psf2c", os.path.join(REPO, "tools", "psf2c.py"))
psf2c = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(psf2c)

DEBIAN_FONT = "/usr/share/consolefonts/Lat15-Fixed16.psf.gz"


def glyph_bytes(index, size):
    """A recognisable bitmap for glyph index."""
    return bytes((index * 7 + i) & 0xFF for i in range(size))


def psf1(count=256, height=16, mode=0x02, table=None, truncate=0):
    """A PSF1 font; table maps glyph -> list of codepoints (default: the
    glyphs in reverse ASCII order, so the table must be used)."""
    data = bytearray(b"\x36\x04" + bytes([mode, height]))
    for i in range(count):
        data += glyph_bytes(i, height)
    if mode & 0x06:
        if table is None:
            table = {count - 1 - cp: [cp] for cp in range(0x20, 0x80)}
        for g in range(count):
            for cp in table.get(g, []):
                data += struct.pack("<H", cp)
            data += b"\xff\xff"
    return bytes(data[:len(data) - truncate])


def psf2(count=128, width=8, height=16, flags=1, table=None, version=0,
         header_len=32, size=None, seq_glyph=None):
    """A PSF2 font; table maps glyph -> string (UTF-8 encoded here)."""
    row = (width + 7) // 8
    size = height * row if size is None else size
    data = bytearray(b"\x72\xb5\x4a\x86")
    data += struct.pack("<7I", version, header_len, flags, count, size, height, width)
    data += bytes(max(0, header_len - 32))
    for i in range(count):
        data += glyph_bytes(i, height * row)
    if flags & 1:
        if table is None:
            table = {i: chr(i) for i in range(count)}
        for g in range(count):
            data += table.get(g, "").encode("utf-8")
            if g == seq_glyph:
                data += b"\xfe" + "e\u0301".encode("utf-8")
            data += b"\xff"
    return bytes(data)


class Converter(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.dir.cleanup()

    def write(self, data, name="font.psf", gz=False):
        path = os.path.join(self.dir.name, name)
        with open(path, "wb") as f:
            f.write(gzip.compress(data) if gz else data)
        return path

    def convert(self, data, **kw):
        return psf2c.convert(self.write(data, **kw))

    def refused(self, data, reason):
        with self.assertRaises(psf2c.FontError) as ctx:
            self.convert(data)
        self.assertIn(reason, str(ctx.exception))

    def glyphs(self, data):
        font = psf2c.parse_font(data)
        return font, psf2c.ascii_glyphs(font)

    # ---- PSF1 ----------------------------------------------------------------

    def test_psf1_table_used(self):
        font, glyphs = self.glyphs(psf1())
        self.assertEqual((font.width, font.height), (8, 16))
        self.assertEqual(glyphs[ord("A") - 0x20], glyph_bytes(255 - ord("A"), 16))
        self.assertEqual(len(glyphs), 96)

    def test_psf1_without_table_is_ascii_order(self):
        _, glyphs = self.glyphs(psf1(mode=0))
        self.assertEqual(glyphs[ord("h") - 0x20], glyph_bytes(ord("h"), 16))
        self.assertEqual(glyphs[-1], glyph_bytes(ord("?"), 16))  # no U+FFFD

    def test_psf1_512_glyphs(self):
        table = {300 + cp: [cp] for cp in range(0x20, 0x80)}
        _, glyphs = self.glyphs(psf1(count=512, mode=0x03, table=table))
        self.assertEqual(glyphs[0], glyph_bytes(300 + 0x20, 16))

    def test_psf1_sequences_skipped(self):
        table = {cp: [cp] for cp in range(0x20, 0x80)}
        table[0x41] = [0x41, 0xFFFE, 0x42, 0x43]      # 'A', then a sequence B C
        table[0x42] = [0x42]
        _, glyphs = self.glyphs(psf1(mode=0x06, table=table))
        self.assertEqual(glyphs[ord("B") - 0x20], glyph_bytes(0x42, 16))

    def test_psf1_replacement_glyph(self):
        table = {cp: [cp] for cp in range(0x20, 0x80)}
        table[200] = [0xFFFD]
        _, glyphs = self.glyphs(psf1(table=table))
        self.assertEqual(glyphs[-1], glyph_bytes(200, 16))

    def test_psf1_gzip(self):
        self.assertIn("console_font", self.convert(psf1(), gz=True, name="x.psf.gz"))

    def test_psf1_truncated_header_refused(self):
        self.refused(b"\x36\x04\x02", "header is truncated")

    def test_psf1_bad_height_refused(self):
        self.refused(psf1(height=0), "height 0")
        self.refused(b"\x36\x04\x00\x41" + bytes(256 * 0x41), "height 65")

    def test_psf1_unknown_mode_refused(self):
        self.refused(psf1(mode=0x0a), "unknown bits")

    def test_psf1_short_glyph_data_refused(self):
        self.refused(psf1(mode=0)[:-1], "glyph data needs")

    def test_psf1_truncated_table_refused(self):
        self.refused(psf1(truncate=1), "Unicode table ends")
        self.refused(psf1(truncate=2), "Unicode table ends")

    def test_psf1_surrogate_refused(self):
        table = {cp: [cp] for cp in range(0x20, 0x80)}
        table[1] = [0xD800]
        self.refused(psf1(table=table), "invalid codepoint")

    def test_missing_ascii_refused(self):
        table = {cp: [cp] for cp in range(0x20, 0x80) if cp != ord("q")}
        self.refused(psf1(table=table), "no glyph for 'q'")

    def test_no_replacement_refused(self):
        table = {cp: [cp] for cp in range(0x20, 0x80) if cp != ord("?")}
        table[ord("?")] = [0x2E2E]                    # '?' glyph named otherwise
        self.refused(psf1(table=table), "no glyph for '?'")

    # ---- PSF2 ----------------------------------------------------------------

    def test_psf2_accepted(self):
        font, glyphs = self.glyphs(psf2())
        self.assertEqual((font.width, font.height), (8, 16))
        self.assertEqual(glyphs[ord("z") - 0x20], glyph_bytes(ord("z"), 16))

    def test_psf2_wide_glyphs(self):
        source = self.convert(psf2(width=12, height=24))
        self.assertIn(".width = 12", source)
        self.assertIn(".row_bytes = 2", source)
        self.assertIn("glyph_bits[%d]" % (96 * 48), source)

    def test_psf2_longer_header(self):
        _, glyphs = self.glyphs(psf2(header_len=40))
        self.assertEqual(glyphs[0], glyph_bytes(0x20, 16))

    def test_psf2_utf8_table_and_sequences(self):
        table = {i: chr(i) for i in range(128)}
        table[5] = "\u00e9\ufffd"
        _, glyphs = self.glyphs(psf2(table=table, seq_glyph=ord("e")))
        self.assertEqual(glyphs[-1], glyph_bytes(5, 16))
        self.assertEqual(glyphs[ord("e") - 0x20], glyph_bytes(ord("e"), 16))

    def test_psf2_without_table(self):
        _, glyphs = self.glyphs(psf2(flags=0))
        self.assertEqual(glyphs[ord("A") - 0x20], glyph_bytes(ord("A"), 16))

    def test_psf2_truncated_header_refused(self):
        self.refused(psf2()[:31], "header is truncated")

    def test_psf2_bad_version_refused(self):
        self.refused(psf2(version=1), "version 1")

    def test_psf2_bad_header_size_refused(self):
        self.refused(psf2(header_len=16), "header size 16")

    def test_psf2_bad_dimensions_refused(self):
        self.refused(psf2(width=0), "are not")
        self.refused(psf2(width=33), "are not")
        self.refused(psf2(height=65), "are not")

    def test_psf2_size_mismatch_refused(self):
        self.refused(psf2(size=15), "does not match")

    def test_psf2_bad_count_refused(self):
        self.refused(psf2(count=0, flags=0), "glyph count 0")

    def test_psf2_short_glyph_data_refused(self):
        self.refused(psf2(flags=0)[:-3], "glyph data needs")

    def test_psf2_unterminated_table_refused(self):
        self.refused(psf2()[:-1], "Unicode table ends")

    def test_psf2_bad_utf8_refused(self):
        data = bytearray(psf2())
        data[data.index(b"A\xff")] = 0xC3             # a lead byte with no continuation
        self.refused(bytes(data), "not valid UTF-8")

    # ---- files ---------------------------------------------------------------

    def test_bad_magic_refused(self):
        self.refused(b"\x00\x00\x00\x00" + bytes(64), "bad magic")

    def test_bad_gzip_refused(self):
        self.refused(b"\x1f\x8b" + bytes(20), "gzip")

    def test_main_refuses_with_status_1(self):
        path = self.write(b"nonsense")
        self.assertEqual(psf2c.main([path]), 1)

    @unittest.skipUnless(os.path.exists(DEBIAN_FONT), "console-setup-linux not installed")
    def test_debian_font(self):
        source = psf2c.convert(DEBIAN_FONT)
        self.assertIn('.name = "Lat15-Fixed16"', source)
        self.assertIn(".height = 16", source)


def main():
    suite = unittest.defaultTestLoader.loadTestsFromTestCase(Converter)
    result = unittest.TextTestRunner(stream=sys.stdout, verbosity=2).run(suite)
    failed = len(result.failures) + len(result.errors)
    passed = result.testsRun - failed - len(result.skipped)
    print("tools: %d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
