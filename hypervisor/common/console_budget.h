/*
 * The console output budget of an unprivileged domain (console_budget.c,
 * pure): a token bucket in bytes over system time. See the file's top
 * comment for the rules and the numbers.
 */
#ifndef CONSOLE_BUDGET_H
#define CONSOLE_BUDGET_H

#include "lib.h"

#define CONSOLE_BUDGET_BURST        8192ULL     /* bytes a full bucket holds */
#define CONSOLE_BUDGET_NS_PER_BYTE  1000000ULL  /* refill: 1000 bytes a second */
#define CONSOLE_BUDGET_LINE_COST    16ULL       /* what a printed line adds: its
                                                   "(tern) (dN) " prefix and CR LF */

/* All zero is a full bucket, nothing dropped. */
struct console_budget {
    uint64_t full_ns;       /* system time at which the bucket is full again */
    uint64_t dropped;       /* bytes dropped since the last report */
    bool muted;             /* overran: every byte dropped until full again */
};

/* Bytes the bucket holds at time now (0 while muted). */
uint64_t console_budget_available(const struct console_budget *b, uint64_t now);

/* A write has `left` bytes to go and asks for the next `want` of them
 * (want <= left): returns how many of those it may read now. When that
 * is fewer than want, the write must end after them: the rest of it
 * (left minus the grant) is counted as dropped and the budget is muted. */
uint64_t console_budget_take(struct console_budget *b, uint64_t now, uint64_t want,
                             uint64_t left);

/* Charges `units` more (a line printed), after the bytes were granted:
 * the bucket empties at most, it never goes below empty. */
void console_budget_charge(struct console_budget *b, uint64_t now, uint64_t units);

/* Call before each write: when a muted budget's bucket is full again at
 * now, unmutes it and returns the bytes dropped meanwhile, to be
 * reported once; otherwise 0. */
uint64_t console_budget_resume(struct console_budget *b, uint64_t now);

/* The domain is going away: the bytes dropped and not yet reported. */
uint64_t console_budget_flush(struct console_budget *b);

#endif /* CONSOLE_BUDGET_H */
