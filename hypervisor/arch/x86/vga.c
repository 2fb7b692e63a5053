/*
 * vga.c: the 80x25 colour text screen at physical 0xb8000, reached through
 * the direct map. Scrolls at the bottom; the hardware cursor follows.
 * Invariant: row < ROWS and col < COLS between calls.
 */
#include "vga.h"
#include "lib.h"
#include "directmap.h"
#include <asm/io.h>

#define COLS 80
#define ROWS 25
#define ATTR 0x07               /* light grey on black */
#define BLANK ((uint16_t)(ATTR << 8 | ' '))

static volatile uint16_t *screen;
static unsigned int row, col;

static void move_cursor(void)
{
    uint16_t pos = (uint16_t)(row * COLS + col);

    outb(0x3d4, 0x0e);
    outb(0x3d5, (uint8_t)(pos >> 8));
    outb(0x3d4, 0x0f);
    outb(0x3d5, (uint8_t)pos);
}

static void scroll(void)
{
    for (unsigned int i = 0; i < (ROWS - 1) * COLS; i++)
        screen[i] = screen[i + COLS];
    for (unsigned int i = (ROWS - 1) * COLS; i < ROWS * COLS; i++)
        screen[i] = BLANK;
}

void vga_init(void)
{
    screen = phys_to_virt(0xb8000);
    for (unsigned int i = 0; i < ROWS * COLS; i++)
        screen[i] = BLANK;
    row = col = 0;
    move_cursor();
}

/* The cursor moves only at line ends: port I/O per character is slow. */
static void newline(void)
{
    col = 0;
    if (++row == ROWS) {
        scroll();
        row = ROWS - 1;
    }
    move_cursor();
}

void vga_putc(char c)
{
    if (!screen)
        return;
    if (c == '\n') {
        newline();
    } else if (c == '\r') {
        col = 0;
    } else if (c == '\t') {
        col = (col + 8) & ~7u;
        if (col >= COLS)
            newline();
    } else {
        screen[row * COLS + col] = (uint16_t)(ATTR << 8 | (uint8_t)c);
        if (++col == COLS)
            newline();
    }
}
