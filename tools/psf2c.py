#!/usr/bin/env python3
"""tools/psf2c.py: turns a Linux console font (PSF1 or PSF2, optionally
gzipped, as Debian's console-setup-linux ships in /usr/share/consolefonts)
into the C source of the hypervisor's built-in font (hypervisor/drivers/font.h).

    tools/psf2c.py FONT.psf[.gz] > build/gen/console_font.c

The output holds the glyphs of the 95 printable ASCII characters, found
through the font's Unicode table when it has one (console fonts are not in
ASCII order), plus a replacement glyph (U+FFFD, else '?') for everything
else: FONT_GLYPHS glyphs of height * ((width + 7) // 8) bytes, rows top to
bottom, the leftmost pixel in the most significant bit.

Every field is checked before it is used; a font that breaks a rule is
refused with a one-line reason on stderr and exit status 1, and no output.
Standard library only.
"""

import gzip
import os
import struct
import sys

PSF1_MAGIC = b"\x36\x04"
PSF1_MODE512 = 0x01
PSF1_MODEHASTAB = 0x02
PSF1_MODESEQ = 0x04
PSF1_SEPARATOR = 0xFFFF
PSF1_STARTSEQ = 0xFFFE

PSF2_MAGIC = b"\x72\xb5\x4a\x86"
PSF2_HAS_UNICODE_TABLE = 0x01
PSF2_SEPARATOR = 0xFF
PSF2_STARTSEQ = 0xFE
PSF2_HEADER_LEN = 32

MAX_WIDTH = 32          # what the console draws
MAX_HEIGHT = 64
MAX_GLYPHS = 65536
ASCII = range(0x20, 0x7F)
REPLACEMENT = (0xFFFD, ord("?"))


class FontError(Exception):
    """A font that breaks one of the rules; the message names it."""


class Font:
    """A parsed font: dimensions, raw glyph bitmaps and a codepoint map."""

    def __init__(self, width, height, glyphs, unicode_map):
        self.width = width
        self.height = height
        self.glyphs = glyphs            # list of bytes, one per glyph
        self.unicode_map = unicode_map  # codepoint -> glyph index, or None

    def glyph_for(self, codepoint):
        """The glyph index for codepoint, or None."""
        if self.unicode_map is None:
            return codepoint if codepoint < len(self.glyphs) else None
        return self.unicode_map.get(codepoint)


def read_font_file(path):
    """The font's bytes, gunzipped when the file is gzip."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise FontError("bad gzip data: %s" % exc)
    return data


def split_glyphs(data, offset, count, size):
    """count glyphs of size bytes from offset; refuses a short file."""
    end = offset + count * size
    if end > len(data):
        raise FontError("glyph data needs %d bytes, the file has %d" % (end, len(data)))
    return [data[offset + i * size:offset + (i + 1) * size] for i in range(count)], end


def add_mapping(mapping, codepoint, glyph):
    """Maps codepoint to glyph; the first glyph listed for it wins."""
    if codepoint > 0x10FFFF or 0xD800 <= codepoint <= 0xDFFF:
        raise FontError("Unicode table names an invalid codepoint U+%X" % codepoint)
    mapping.setdefault(codepoint, glyph)


def psf1_table(data, pos, count):
    """PSF1 Unicode table: per glyph, u16 codepoints, sequences after 0xFFFE,
    ended by 0xFFFF."""
    mapping = {}
    for glyph in range(count):
        in_seq = False
        while True:
            if pos + 2 > len(data):
                raise FontError("Unicode table ends inside the entry of glyph %d" % glyph)
            (value,) = struct.unpack_from("<H", data, pos)
            pos += 2
            if value == PSF1_SEPARATOR:
                break
            if value == PSF1_STARTSEQ:
                in_seq = True
            elif not in_seq:
                add_mapping(mapping, value, glyph)
    return mapping


def parse_psf1(data):
    if len(data) < 4:
        raise FontError("PSF1 header is truncated")
    mode, height = data[2], data[3]
    if mode & ~(PSF1_MODE512 | PSF1_MODEHASTAB | PSF1_MODESEQ):
        raise FontError("PSF1 mode byte %#x has unknown bits" % mode)
    if not 1 <= height <= MAX_HEIGHT:
        raise FontError("PSF1 glyph height %d is not 1-%d" % (height, MAX_HEIGHT))
    count = 512 if mode & PSF1_MODE512 else 256
    glyphs, end = split_glyphs(data, 4, count, height)
    has_table = mode & (PSF1_MODEHASTAB | PSF1_MODESEQ)
    mapping = psf1_table(data, end, count) if has_table else None
    return Font(8, height, glyphs, mapping)


def utf8_codepoints(raw, glyph):
    """Decodes one run of UTF-8 from the PSF2 table strictly."""
    try:
        return [ord(ch) for ch in raw.decode("utf-8", errors="strict")]
    except UnicodeDecodeError:
        raise FontError("Unicode table entry of glyph %d is not valid UTF-8" % glyph)


def psf2_table(data, pos, count):
    """PSF2 Unicode table: per glyph, UTF-8 codepoints, sequences after each
    0xFE, ended by 0xFF."""
    mapping = {}
    for glyph in range(count):
        end = data.find(bytes([PSF2_SEPARATOR]), pos)
        if end < 0:
            raise FontError("Unicode table ends inside the entry of glyph %d" % glyph)
        singles = data[pos:end].split(bytes([PSF2_STARTSEQ]))[0]
        for cp in utf8_codepoints(singles, glyph):
            add_mapping(mapping, cp, glyph)
        pos = end + 1
    return mapping


def parse_psf2(data):
    if len(data) < PSF2_HEADER_LEN:
        raise FontError("PSF2 header is truncated")
    (version, header_len, flags, count, size, height, width) = struct.unpack_from(
        "<7I", data, 4)
    if version != 0:
        raise FontError("PSF2 version %d is not 0" % version)
    if header_len < PSF2_HEADER_LEN or header_len > len(data):
        raise FontError("PSF2 header size %d is not usable" % header_len)
    if not 1 <= width <= MAX_WIDTH or not 1 <= height <= MAX_HEIGHT:
        raise FontError("PSF2 glyphs of %dx%d are not 1-%d x 1-%d"
                        % (width, height, MAX_WIDTH, MAX_HEIGHT))
    if size != height * ((width + 7) // 8):
        raise FontError("PSF2 glyph size %d does not match %dx%d" % (size, width, height))
    if not 1 <= count <= MAX_GLYPHS:
        raise FontError("PSF2 glyph count %d is not 1-%d" % (count, MAX_GLYPHS))
    glyphs, end = split_glyphs(data, header_len, count, size)
    mapping = psf2_table(data, end, count) if flags & PSF2_HAS_UNICODE_TABLE else None
    return Font(width, height, glyphs, mapping)


def parse_font(data):
    """A Font from PSF1 or PSF2 bytes."""
    if data[:4] == PSF2_MAGIC:
        return parse_psf2(data)
    if data[:2] == PSF1_MAGIC:
        return parse_psf1(data)
    raise FontError("not a PSF1 or PSF2 font (bad magic)")


def ascii_glyphs(font):
    """The glyph bitmaps for 0x20-0x7e and then the replacement glyph."""
    out = []
    for cp in ASCII:
        index = font.glyph_for(cp)
        if index is None:
            raise FontError("the font has no glyph for %r (U+%04X)" % (chr(cp), cp))
        out.append(font.glyphs[index])
    for cp in REPLACEMENT:
        index = font.glyph_for(cp)
        if index is not None:
            out.append(font.glyphs[index])
            return out
    raise FontError("the font has neither U+FFFD nor '?' for a replacement")


def c_source(font, glyphs, name):
    """The generated C file."""
    row_bytes = (font.width + 7) // 8
    lines = [
        "/* Generated by tools/psf2c.py from %s: do not edit. */" % name,
        '#include "font.h"',
        "",
        "_Static_assert(FONT_GLYPHS == %d, \"glyph count\");" % len(glyphs),
        "",
        "static const uint8_t glyph_bits[%d] = {" % (len(glyphs) * len(glyphs[0])),
    ]
    for i, g in enumerate(glyphs):
        label = repr(chr(0x20 + i)) if i < len(ASCII) else "replacement"
        lines.append("    /* %s */ %s," % (label.replace("*/", "* /"),
                                          ", ".join("0x%02x" % b for b in g)))
    lines += [
        "};",
        "",
        "const struct font console_font = {",
        "    .width = %d," % font.width,
        "    .height = %d," % font.height,
        "    .row_bytes = %d," % row_bytes,
        "    .glyphs = glyph_bits,",
        '    .name = "%s",' % name,
        "};",
        "",
    ]
    return "\n".join(lines)


def convert(path):
    """The C source for the font at path; raises FontError."""
    font = parse_font(read_font_file(path))
    name = os.path.basename(path)
    for suffix in (".gz", ".psfu", ".psf"):
        if name.endswith(suffix):
            name = name[:-len(suffix)]
    return c_source(font, ascii_glyphs(font), name)


def main(argv):
    if len(argv) != 1:
        print("usage: tools/psf2c.py FONT.psf[.gz] > console_font.c", file=sys.stderr)
        return 2
    try:
        source = convert(argv[0])
    except (OSError, FontError) as exc:
        print("psf2c: %s: %s" % (argv[0], exc), file=sys.stderr)
        return 1
    sys.stdout.write(source)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
