/*
 * fbcon.c: a text console on a linear framebuffer. Pure: it writes only
 * through the pointer it was given, so the unit test runs it on a buffer.
 *
 * Invariants between calls: row < rows; col <= cols (col == cols means the
 * line is full and the next printable character wraps first); text[][]
 * holds exactly what is drawn in every cell of the grid; the cursor
 * underline is drawn in cell (row, col) when col < cols.
 * Pixels are written whole, little-endian, bytes_per_pixel bytes each;
 * nothing is ever read back from the framebuffer.
 */
#include "fbcon.h"
#include "err.h"

#define TAB_WIDTH      8
#define CURSOR_LINES   2

uint32_t fbcon_pixel(const struct boot_framebuffer *fb, uint8_t r, uint8_t g, uint8_t b)
{
    return (uint32_t)(r >> (8 - fb->red_size)) << fb->red_pos |
           (uint32_t)(g >> (8 - fb->green_size)) << fb->green_pos |
           (uint32_t)(b >> (8 - fb->blue_size)) << fb->blue_pos;
}

static void put_pixel(const struct fbcon *c, uint8_t *p, uint32_t v)
{
    for (unsigned int i = 0; i < c->bytes_per_pixel; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* One glyph row into the framebuffer: bits set in fg, clear in bg. */
static void draw_row(const struct fbcon *c, uint8_t *p, const uint8_t *bits, bool solid)
{
    for (unsigned int x = 0; x < c->font->width; x++) {
        bool on = solid || (bits[x / 8] & (0x80 >> (x % 8)));
        put_pixel(c, p + (size_t)x * c->bytes_per_pixel, on ? c->fg : c->bg);
    }
}

/* Draw cell (row, col) with its character, underlined if cursor. */
static void draw_cell(const struct fbcon *c, unsigned int row, unsigned int col, bool cursor)
{
    const struct font *f = c->font;
    const uint8_t *glyph = font_glyph(f, c->text[row][col]);
    uint8_t *p = c->base + (size_t)row * f->height * c->pitch +
                 (size_t)col * f->width * c->bytes_per_pixel;

    for (unsigned int y = 0; y < f->height; y++, p += c->pitch)
        draw_row(c, p, glyph + y * f->row_bytes, cursor && y >= f->height - CURSOR_LINES);
}

static void show_cursor(const struct fbcon *c, bool on)
{
    if (c->col < c->cols)
        draw_cell(c, c->row, c->col, on);
}

/* Set a cell, drawing it only when its character changes. */
static void set_cell(struct fbcon *c, unsigned int row, unsigned int col, char ch)
{
    if (c->text[row][col] == ch)
        return;
    c->text[row][col] = ch;
    draw_cell(c, row, col, false);
}

static void scroll(struct fbcon *c)
{
    for (unsigned int r = 0; r + 1 < c->rows; r++)
        for (unsigned int col = 0; col < c->cols; col++)
            set_cell(c, r, col, c->text[r + 1][col]);
    for (unsigned int col = 0; col < c->cols; col++)
        set_cell(c, c->rows - 1, col, ' ');
}

static void newline(struct fbcon *c)
{
    c->col = 0;
    if (c->row + 1 < c->rows)
        c->row++;
    else
        scroll(c);
}

int fbcon_init(struct fbcon *c, void *base, const struct boot_framebuffer *fb,
               const struct font *font)
{
    if (fb->kind != BOOT_FB_RGB || !font->width || !font->height ||
        fb->width < font->width || fb->height < font->height)
        return -EINVAL;
    memset(c, 0, sizeof(*c));
    c->base = base;
    c->pitch = fb->pitch;
    c->bytes_per_pixel = fb->bytes_per_pixel;
    c->font = font;
    c->cols = MIN(fb->width / font->width, (uint32_t)FBCON_MAX_COLS);
    c->rows = MIN(fb->height / font->height, (uint32_t)FBCON_MAX_ROWS);
    c->fg = fbcon_pixel(fb, 0xaa, 0xaa, 0xaa);        /* VGA's light grey */
    c->bg = fbcon_pixel(fb, 0, 0, 0);
    for (unsigned int r = 0; r < c->rows; r++) {
        memset(c->text[r], ' ', c->cols);
        for (unsigned int col = 0; col < c->cols; col++)
            draw_cell(c, r, col, false);
    }
    show_cursor(c, true);
    return 0;
}

static void put_printable(struct fbcon *c, char ch)
{
    if (c->col == c->cols)
        newline(c);
    c->text[c->row][c->col] = ch;
    draw_cell(c, c->row, c->col, false);
    c->col++;
}

void fbcon_putc(struct fbcon *c, char ch)
{
    show_cursor(c, false);
    if (ch == '\n') {
        newline(c);
    } else if (ch == '\r') {
        c->col = 0;
    } else if (ch == '\t') {
        if (c->col == c->cols)
            newline(c);
        c->col = MIN(ALIGN_UP(c->col + 1, TAB_WIDTH), c->cols);
    } else {
        put_printable(c, ch);
    }
    show_cursor(c, true);
}
