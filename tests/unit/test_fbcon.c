/*
 * Unit tests for hypervisor/drivers/fbcon.c: the framebuffer console drawing into
 * a heap buffer that stands for video memory.
 *
 * The font is synthetic (8x16, each glyph row a different byte, space
 * blank, the replacement glyph solid), so every drawn cell can be checked
 * pixel by pixel. The buffer is larger than the text grid and its pitch
 * has padding; both margins are filled with a guard byte that must
 * survive, so nothing is drawn outside the grid.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "fbcon.h"
#include "err.h"

#define GUARD 0x5a

static uint8_t glyph_data[FONT_GLYPHS * 16];
static const struct font test_font = { 8, 16, 1, glyph_data, "test" };
static struct fbcon con;
static uint8_t *mem;
static struct boot_framebuffer fb;

static uint8_t glyph_row(char ch, unsigned int y)
{
    return font_glyph(&test_font, ch)[y];
}

static void make_font(void)
{
    for (unsigned int i = 0; i < FONT_GLYPHS; i++)
        for (unsigned int y = 0; y < 16; y++)
            glyph_data[i * 16 + y] = i == 0 ? 0 : i == FONT_GLYPHS - 1 ? 0xff
                                     : (uint8_t)(i * 5 + y * 3 + 1);
}

/* A framebuffer of w x h pixels at bpp with 12 bytes of line padding. */
static void make_fb(uint32_t w, uint32_t h, uint8_t bpp)
{
    memset(&fb, 0, sizeof(fb));
    fb.kind = BOOT_FB_RGB;
    fb.width = w;
    fb.height = h;
    fb.bpp = bpp;
    fb.bytes_per_pixel = (uint8_t)((bpp + 7) / 8);
    fb.pitch = w * fb.bytes_per_pixel + 12;
    if (bpp == 16) {
        fb.red_pos = 11, fb.red_size = 5, fb.green_pos = 5, fb.green_size = 6;
        fb.blue_pos = 0, fb.blue_size = 5;
    } else if (bpp == 15) {
        fb.red_pos = 10, fb.red_size = 5, fb.green_pos = 5, fb.green_size = 5;
        fb.blue_pos = 0, fb.blue_size = 5;
    } else {
        fb.red_pos = 16, fb.red_size = 8, fb.green_pos = 8, fb.green_size = 8;
        fb.blue_pos = 0, fb.blue_size = 8;
    }
    free(mem);
    mem = malloc((size_t)fb.pitch * h);
    assert_non_null(mem);
    memset(mem, GUARD, (size_t)fb.pitch * h);
}

static int setup(void **state)
{
    (void)state;
    make_font();
    mem = NULL;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(mem);
    mem = NULL;
    return 0;
}

static uint32_t pixel_at(unsigned int x, unsigned int y)
{
    const uint8_t *p = mem + (size_t)y * fb.pitch + (size_t)x * fb.bytes_per_pixel;
    uint32_t v = 0;

    for (unsigned int i = 0; i < fb.bytes_per_pixel; i++)
        v |= (uint32_t)p[i] << (8 * i);
    return v;
}

/* Cell (row, col) shows ch, with the cursor underline or not. */
static void assert_cell(unsigned int row, unsigned int col, char ch, bool cursor)
{
    for (unsigned int y = 0; y < 16; y++) {
        uint8_t bits = (cursor && y >= 14) ? 0xff : glyph_row(ch, y);
        for (unsigned int x = 0; x < 8; x++) {
            uint32_t want = (bits & (0x80 >> x)) ? con.fg : con.bg;
            uint32_t got = pixel_at(col * 8 + x, row * 16 + y);
            if (got != want)
                fail_msg("cell (%u,%u) '%c' pixel (%u,%u): %#x, want %#x", row, col, ch,
                         x, y, got, want);
        }
    }
    assert_int_equal(con.text[row][col], ch);
}

/* Nothing outside the grid (right margin, bottom margin, padding) drawn. */
static void assert_margins_untouched(void)
{
    size_t grid_bytes = (size_t)con.cols * 8 * fb.bytes_per_pixel;

    for (uint32_t y = 0; y < fb.height; y++) {
        const uint8_t *line = mem + (size_t)y * fb.pitch;
        size_t from = y < con.rows * 16 ? grid_bytes : 0;
        for (size_t i = from; i < fb.pitch; i++)
            if (line[i] != GUARD)
                fail_msg("byte %zu of line %u outside the grid was written", i, y);
    }
}

static void puts_con(const char *s)
{
    while (*s)
        fbcon_putc(&con, *s++);
}

static void init_con(uint32_t w, uint32_t h, uint8_t bpp)
{
    make_fb(w, h, bpp);
    assert_int_equal(fbcon_init(&con, mem, &fb, &test_font), 0);
}

/* ---- set-up --------------------------------------------------------------- */

static void test_init_grid_and_clear(void **state)
{
    (void)state;
    init_con(100, 50, 32);                 /* 12 x 3 cells, margins of 4 and 2 */
    assert_int_equal(con.cols, 12);
    assert_int_equal(con.rows, 3);
    assert_int_equal(con.fg, 0xaaaaaa);
    assert_int_equal(con.bg, 0);
    assert_cell(0, 0, ' ', true);
    for (unsigned int r = 0; r < 3; r++)
        for (unsigned int c = 0; c < 12; c++)
            if (r || c)
                assert_cell(r, c, ' ', false);
    assert_margins_untouched();
}

static void test_init_refusals(void **state)
{
    (void)state;
    make_fb(100, 50, 32);
    fb.kind = BOOT_FB_TEXT;
    assert_int_equal(fbcon_init(&con, mem, &fb, &test_font), -EINVAL);
    make_fb(7, 50, 32);                    /* not one glyph wide */
    assert_int_equal(fbcon_init(&con, mem, &fb, &test_font), -EINVAL);
    make_fb(100, 15, 32);                  /* not one glyph high */
    assert_int_equal(fbcon_init(&con, mem, &fb, &test_font), -EINVAL);
    make_fb(8, 16, 32);                    /* exactly one cell: fine */
    assert_int_equal(fbcon_init(&con, mem, &fb, &test_font), 0);
    assert_int_equal(con.cols, 1);
    assert_int_equal(con.rows, 1);
}

static void test_grid_capped(void **state)
{
    (void)state;
    init_con(FBCON_MAX_COLS * 8 + 64, FBCON_MAX_ROWS * 16 + 40, 32);
    assert_int_equal(con.cols, FBCON_MAX_COLS);
    assert_int_equal(con.rows, FBCON_MAX_ROWS);
    puts_con("x");
    assert_margins_untouched();
}

/* ---- pixels ---------------------------------------------------------------- */

static void test_pixel_formats(void **state)
{
    (void)state;
    make_fb(16, 16, 32);
    assert_int_equal(fbcon_pixel(&fb, 0x12, 0x34, 0x56), 0x123456);
    make_fb(16, 16, 16);
    assert_int_equal(fbcon_pixel(&fb, 0xff, 0, 0), 0xf800);
    assert_int_equal(fbcon_pixel(&fb, 0, 0xff, 0), 0x07e0);
    assert_int_equal(fbcon_pixel(&fb, 0xaa, 0xaa, 0xaa), 0xad55);
    make_fb(16, 16, 15);
    assert_int_equal(fbcon_pixel(&fb, 0xff, 0xff, 0xff), 0x7fff);
}

static void test_draw_32bpp(void **state)
{
    (void)state;
    init_con(100, 50, 32);
    puts_con("Hi");
    assert_cell(0, 0, 'H', false);
    assert_cell(0, 1, 'i', false);
    assert_cell(0, 2, ' ', true);
    assert_int_equal(con.col, 2);
    assert_margins_untouched();
}

static void test_draw_24_and_16bpp(void **state)
{
    (void)state;
    init_con(100, 50, 24);
    puts_con("A~");
    assert_cell(0, 0, 'A', false);
    assert_cell(0, 1, '~', false);
    assert_margins_untouched();
    init_con(100, 50, 16);
    puts_con("z");
    assert_int_equal(con.fg, 0xad55);
    assert_cell(0, 0, 'z', false);
    assert_margins_untouched();
}

static void test_unprintable_replacement(void **state)
{
    (void)state;
    init_con(100, 50, 32);
    fbcon_putc(&con, '\x01');
    fbcon_putc(&con, (char)0xe9);
    assert_cell(0, 0, '\x01', false);      /* drawn with the solid glyph */
    assert_int_equal(glyph_row('\x01', 3), 0xff);
    assert_cell(0, 1, (char)0xe9, false);
}

/* ---- layout ---------------------------------------------------------------- */

static void test_newline_and_return(void **state)
{
    (void)state;
    init_con(100, 50, 32);
    puts_con("ab\ncd\rX");
    assert_cell(0, 0, 'a', false);
    assert_cell(1, 0, 'X', false);
    assert_cell(1, 1, 'd', true);
    assert_int_equal(con.row, 1);
    assert_int_equal(con.col, 1);
}

static void test_wrap(void **state)
{
    (void)state;
    init_con(100, 50, 32);
    puts_con("0123456789AB");              /* exactly a line: no wrap yet */
    assert_int_equal(con.row, 0);
    assert_int_equal(con.col, 12);
    puts_con("C");
    assert_int_equal(con.row, 1);
    assert_cell(1, 0, 'C', false);
    assert_cell(0, 11, 'B', false);
    assert_cell(1, 1, ' ', true);
}

static void test_full_line_then_newline_no_blank_line(void **state)
{
    (void)state;
    init_con(100, 50, 32);
    puts_con("0123456789AB\nx");
    assert_int_equal(con.row, 1);
    assert_cell(1, 0, 'x', false);
}

static void test_tab(void **state)
{
    (void)state;
    init_con(100, 50, 32);
    puts_con("a\tb");
    assert_cell(0, 8, 'b', false);
    puts_con("\t");                        /* col 9 -> 12: end of line */
    assert_int_equal(con.col, 12);
    puts_con("\tc");                       /* a tab at the end wraps */
    assert_int_equal(con.row, 1);
    assert_cell(1, 8, 'c', false);
    assert_margins_untouched();
}

/* ---- scrolling -------------------------------------------------------------- */

static void test_scroll(void **state)
{
    (void)state;
    init_con(100, 50, 32);
    puts_con("one\ntwo\nthree\nfour");
    assert_int_equal(con.row, 2);
    assert_cell(0, 0, 't', false);
    assert_cell(0, 1, 'w', false);
    assert_cell(0, 2, 'o', false);
    assert_cell(1, 4, 'e', false);
    assert_cell(2, 0, 'f', false);
    assert_cell(2, 3, 'r', false);
    assert_cell(2, 4, ' ', true);
    assert_cell(2, 5, ' ', false);
    assert_margins_untouched();
}

static void test_scroll_redraws_only_changes(void **state)
{
    uint8_t *cell;

    (void)state;
    init_con(100, 50, 32);
    puts_con("x.\nx,\n");                  /* column 0 is 'x' in rows 0 and 1 */
    /* poison cell (0, 0): a redraw of it would overwrite the poison */
    cell = mem;
    for (unsigned int y = 0; y < 16; y++)
        memset(cell + (size_t)y * fb.pitch, 0x77, 8 * 4);
    puts_con("\n");                        /* scroll: row 1 moves up */
    assert_int_equal(mem[0], 0x77);        /* 'x' over 'x': not redrawn */
    assert_cell(0, 1, ',', false);         /* '.' became ',': redrawn */
    assert_cell(1, 0, ' ', false);
    assert_int_equal(con.text[0][0], 'x');
}

static void test_many_lines(void **state)
{
    char line[8];

    (void)state;
    init_con(100, 50, 32);
    for (unsigned int i = 0; i < 100; i++) {
        snprintf(line, sizeof(line), "%u\n", i);
        puts_con(line);
    }
    assert_cell(0, 0, '9', false);         /* "98" */
    assert_cell(0, 1, '8', false);
    assert_cell(1, 1, '9', false);         /* "99" */
    assert_cell(2, 0, ' ', true);
    assert_margins_untouched();
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_init_grid_and_clear),
        T(test_init_refusals),
        T(test_grid_capped),
        T(test_pixel_formats),
        T(test_draw_32bpp),
        T(test_draw_24_and_16bpp),
        T(test_unprintable_replacement),
        T(test_newline_and_return),
        T(test_wrap),
        T(test_full_line_then_newline_no_blank_line),
        T(test_tab),
        T(test_scroll),
        T(test_scroll_redraws_only_changes),
        T(test_many_lines),
    };

    return cmocka_run_group_tests_name("fbcon", tests, NULL, NULL);
}
