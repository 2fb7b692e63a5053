/*
 * console_filter.c: the bytes a guest may put on the user's terminal
 * (pure: console_io.c applies it, tests/unit/test_console_filter.c checks
 * every one of the 256 values).
 *
 * Kept: printable ASCII (0x20-0x7e), tab, and 0xa0-0xff. A newline ends
 * the line. Dropped: the other C0 controls (0x00-0x1f: ESC starts every
 * 7-bit escape sequence, and BEL, BS, CR, FF... move or clear what the
 * user reads), DEL (0x7f) and the C1 controls (0x80-0x9f). A terminal in
 * 8-bit mode (many serial terminals, xterm with eightBitControl) reads
 * 0x9b as CSI and 0x9d as OSC exactly as it reads ESC [ and ESC ]: a
 * guest could move the cursor, retitle the window, rewrite the
 * hypervisor's lines above, or make the terminal answer with bytes that
 * arrive as typed input (to the debug keys).
 *
 * The cost: UTF-8 continuation bytes are 0x80-0xbf, half of them C1, so
 * a multi-byte character with a continuation byte in 0x80-0x9f loses it
 * (U+00C0 is c3 80, the euro sign e2 82 ac) and shows as a replacement
 * character; ASCII text is untouched. It is still right: the hypervisor
 * cannot know whether the terminal decodes UTF-8 or 8-bit controls;
 * passing only well-formed UTF-8 would need a decoder here and would not
 * be enough, since terminals in UTF-8 mode (xterm) take the encoded C1
 * range (c2 80 - c2 9f) as controls as well; and console_io output is a
 * debug log, where the user's terminal matters more than non-ASCII text.
 * Xen 4.17 filters a domU's output the same way (isprint() over its
 * Latin-1 ctype table, plus tab and newline: 0x80-0x9f are dropped,
 * 0xa0-0xff kept); it passes domain 0's bytes through untouched, where
 * Tern filters every domain alike.
 */
#include "console_filter.h"

/* Printable ASCII first: it is nearly every byte, and the run below
 * then costs a handful of instructions per byte. */
static bool kept(uint8_t c)
{
    if (__builtin_expect((uint8_t)(c - 0x20) <= 0x7e - 0x20, 1))
        return true;
    return c >= 0xa0 || c == '\t';
}

enum console_byte console_filter(uint8_t c)
{
    if (c == '\n')
        return CONSOLE_BYTE_NEWLINE;
    return kept(c) ? CONSOLE_BYTE_KEEP : CONSOLE_BYTE_DROP;
}

#define ONES  0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

/* Are all eight bytes of w printable ASCII (0x20-0x7e)? Per byte b, with
 * l = b & 0x7f (neither sum below carries out of a byte: l + 1 <= 0x80,
 * l + 0x60 <= 0xdf):
 *   b >= 0x80        bit 7 of b
 *   l == 0x7f (DEL)  bit 7 of l + 1
 *   l < 0x20         bit 7 of l + 0x60 clear
 * Any of them set in any byte: not a word of plain text. */
static bool word_printable(uint64_t w)
{
    uint64_t l = w & ~HIGHS;

    return !((w | (l + ONES) | ~(l + 0x60 * ONES)) & HIGHS);
}

/* Eight bytes at a time while the text is plain ASCII (the usual case),
 * then byte by byte to the exact end of the run. */
size_t console_keep_span(const char *s, size_t n)
{
    size_t i = 0;
    uint64_t w;

    while (n - i >= sizeof(w)) {
        __builtin_memcpy(&w, s + i, sizeof(w));
        if (!word_printable(w))
            break;
        i += sizeof(w);
    }
    while (i < n && kept((uint8_t)s[i]))
        i++;
    return i;
}
