/*
 * console_budget.c: how much an unprivileged domain may print (pure:
 * console_io.c charges it, tests/unit/test_console_budget.c checks it).
 *
 * Why a budget: Xen refuses console_io to unprivileged domains in its
 * release builds (-EPERM under the default XSM policy); they print
 * through a console ring and a backend instead. Tern has no console ring
 * yet and its demo domains print through console_io, so instead of
 * refusing, it bounds how fast they may print: the serial line is shared
 * and every byte a guest asks for is work done with interrupts off.
 * Privileged domains (domain 0) are not limited, as on Xen.
 *
 * The rules:
 *  - a token bucket of CONSOLE_BUDGET_BURST (8 KiB) that refills at one
 *    byte per CONSOLE_BUDGET_NS_PER_BYTE (1000 bytes a second, under a
 *    tenth of a 115200-baud line); every byte a write reads is charged,
 *    printed or not (a NUL costs the same work as a letter), and every
 *    line printed costs CONSOLE_BUDGET_LINE_COST more, what its prefix
 *    and line end cost on the serial line: otherwise a newline, one byte,
 *    would print fourteen, and a domain's budget of newlines could keep
 *    a real serial line (and the CPU waiting on it) busy;
 *  - a write that asks for more than the bucket holds gets what it holds;
 *    the rest of it is dropped without being read, so a call does at most
 *    a bucket's worth of work whatever its count;
 *  - once a write overran, the domain is muted: everything it writes is
 *    dropped unread until the bucket is full again (8.2 s without a
 *    charge: dropped bytes cost nothing), and then one line reports how
 *    many bytes were dropped. So a flood costs at most 8 KiB of output
 *    and one report line per 8.2 s, and nothing is truncated silently.
 * The existing roles print tens of lines (a few KiB at most) per domain,
 * far below the burst, and never meet the limit.
 *
 * The bucket is kept as the time at which it is full again (the virtual
 * scheduling form of GCRA): it holds (burst * cost - debt) / cost bytes,
 * debt being how far that time is ahead of now, so refilling needs no
 * periodic work and loses no fraction of a byte between calls.
 */
#include "console_budget.h"

#define BUDGET_NS (CONSOLE_BUDGET_BURST * CONSOLE_BUDGET_NS_PER_BYTE)

/* How far the bucket is from full at now, in ns (never above BUDGET_NS). */
static uint64_t debt_ns(const struct console_budget *b, uint64_t now)
{
    return b->full_ns > now ? b->full_ns - now : 0;
}

uint64_t console_budget_available(const struct console_budget *b, uint64_t now)
{
    if (b->muted)
        return 0;
    return (BUDGET_NS - MIN(debt_ns(b, now), BUDGET_NS)) / CONSOLE_BUDGET_NS_PER_BYTE;
}

uint64_t console_budget_take(struct console_budget *b, uint64_t now, uint64_t want,
                             uint64_t left)
{
    uint64_t grant = MIN(want, console_budget_available(b, now));

    if (grant)
        b->full_ns = now + debt_ns(b, now) + grant * CONSOLE_BUDGET_NS_PER_BYTE;
    if (grant < want) {
        b->dropped += MAX(left, want) - grant;
        b->muted = true;
    }
    return grant;
}

void console_budget_charge(struct console_budget *b, uint64_t now, uint64_t units)
{
    uint64_t more = MIN(units, CONSOLE_BUDGET_BURST) * CONSOLE_BUDGET_NS_PER_BYTE;

    b->full_ns = now + MIN(debt_ns(b, now) + more, BUDGET_NS);
}

uint64_t console_budget_resume(struct console_budget *b, uint64_t now)
{
    if (!b->muted || debt_ns(b, now))
        return 0;
    b->muted = false;
    return console_budget_flush(b);
}

uint64_t console_budget_flush(struct console_budget *b)
{
    uint64_t n = b->dropped;

    b->dropped = 0;
    return n;
}
