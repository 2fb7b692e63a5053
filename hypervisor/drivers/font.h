/*
 * The built-in console font: generated at build time by tools/psf2c.py
 * from one of Debian's console fonts (build/gen/console_font.c), never
 * typed in. It holds FONT_GLYPHS glyphs: printable ASCII 0x20-0x7e in
 * order, then a replacement glyph for every other byte. A glyph is height
 * rows of row_bytes bytes, top row first, leftmost pixel in the top bit.
 */
#ifndef FONT_H
#define FONT_H

#include "lib.h"

#define FONT_FIRST_CHAR  0x20
#define FONT_GLYPHS      96            /* 95 printable + the replacement */

struct font {
    unsigned int width, height;        /* pixels: width <= 32, height <= 64 */
    unsigned int row_bytes;            /* (width + 7) / 8 */
    const uint8_t *glyphs;             /* FONT_GLYPHS * height * row_bytes */
    const char *name;
};

extern const struct font console_font;

/* The glyph for c: its own for printable ASCII, else the replacement. */
static inline const uint8_t *font_glyph(const struct font *f, char c)
{
    unsigned int i = (unsigned char)c;

    i = (i >= FONT_FIRST_CHAR && i < FONT_FIRST_CHAR + FONT_GLYPHS - 1)
            ? i - FONT_FIRST_CHAR : FONT_GLYPHS - 1;
    return f->glyphs + (size_t)i * f->height * f->row_bytes;
}

#endif /* FONT_H */
