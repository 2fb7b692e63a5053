/*
 * The framebuffer console (fbcon.c, pure): text drawn with the built-in
 * font into a linear direct-colour framebuffer of 15, 16, 24 or 32 bpp.
 *
 * It keeps a shadow of the characters on screen, so scrolling redraws only
 * the cells whose character changes and never reads the framebuffer (video
 * memory is slow to read, and may be uncached). The text area is the
 * largest whole grid of glyphs that fits, at most FBCON_MAX_COLS x
 * FBCON_MAX_ROWS, in the top-left corner. The cursor is an underline in
 * the cell where the next character goes.
 */
#ifndef FBCON_H
#define FBCON_H

#include "font.h"
#include "multiboot2.h"

#define FBCON_MAX_COLS 256
#define FBCON_MAX_ROWS 128

struct fbcon {
    uint8_t *base;                   /* the mapped framebuffer */
    uint32_t pitch;
    uint8_t bytes_per_pixel;
    uint32_t fg, bg;                 /* pixel values */
    const struct font *font;
    unsigned int cols, rows;         /* the text grid */
    unsigned int col, row;           /* the cursor: col <= cols, row < rows */
    char text[FBCON_MAX_ROWS][FBCON_MAX_COLS];   /* what each cell shows */
};

/*
 * Set c up on the validated RGB framebuffer fb, mapped at base, and clear
 * the text area. Returns 0, or -EINVAL when fb is not BOOT_FB_RGB or not
 * even one glyph fits.
 */
int fbcon_init(struct fbcon *c, void *base, const struct boot_framebuffer *fb,
               const struct font *font);

/* Write one character: '\n' newline, '\r' column 0, '\t' to the next
 * multiple of 8, others drawn (unprintable ones as the replacement glyph).
 * Scrolls at the bottom. */
void fbcon_putc(struct fbcon *c, char ch);

/* A pixel value of colour (r, g, b), 8 bits each, for fb's layout. */
uint32_t fbcon_pixel(const struct boot_framebuffer *fb, uint8_t r, uint8_t g, uint8_t b);

#endif /* FBCON_H */
