/*
 * console_io.c: the console_io hypercall (#18) and console input focus.
 *
 * Output: each domain's bytes are collected into lines and printed with
 * the domain's prefix, "(d0) ...", like Xen's. Only the bytes
 * console_filter.c keeps reach the line: no C0 or C1 control, so a guest
 * cannot drive the user's terminal. A line longer than the buffer is
 * printed in pieces, never cut.
 *
 * A write's count is the guest's choice, up to 4 GiB, and the hypervisor
 * runs it with interrupts off, so the write never runs long:
 *  - it reads CHUNK bytes at a time and, after CONTINUE_AFTER bytes, asks
 *    to be restarted with the buffer advanced and the count reduced (as
 *    Xen's guest_console_write does, whose hypercall_create_continuation
 *    rewrites the same three registers): the guest re-enters at its
 *    syscall, so interrupts, events and other domains get their turn
 *    between two steps. Xen continues only when an event or softirq is
 *    pending; Tern cannot see that with interrupts off, so it continues
 *    every step, which costs one extra guest entry per 256 bytes. A step
 *    is then at most 256 bytes read and the lines they end printed, all
 *    with interrupts off (printk waits for the UART: on a real 115200-baud
 *    line, 256 newlines, each printed as a prefixed empty line, take
 *    about 0.3 s; under QEMU the line costs nothing);
 *  - an unprivileged domain pays for every byte read, and 16 more for
 *    each line printed, from its console budget (console_budget.c: 8 KiB
 *    burst, 1000 a second). What the budget does not cover is dropped
 *    without being read, and counted; the call still returns 0, as the
 *    bytes were accepted. Once the budget is full again (or the domain
 *    shuts down), one line "(dN) [console: <n> bytes dropped by the rate
 *    limit]" says how many were lost. Xen refuses console_io to
 *    unprivileged domains in release builds (-EPERM); Tern's demo domains
 *    have no other console yet, so Tern limits them instead. A privileged
 *    domain (domain 0, or one given `privileged`) is not limited.
 * A fault in the buffer ends the write with -EFAULT, as on Xen; what came
 * before it stays written (and bytes the budget dropped are not read, so
 * they cannot fault).
 *
 * Input: serial or keyboard input goes to the hypervisor's debug keys
 * until Ctrl-A is typed three times in a row, which moves it to domain 0,
 * then to each other running domain in turn, then back to the debug keys,
 * as on Xen. Characters for the focused domain wait in a small ring that
 * its CONSOLEIO_read drains (other domains read nothing), or its console
 * backend with domctl tern_console_input (to put them into the domain's
 * console ring, for a guest that reads only its ring, like Linux's hvc0),
 * and each raises VIRQ_CONSOLE on it and on its console backend; when the ring is full, new characters are dropped and
 * counted. Switching focus empties the ring.
 */
#include "evtchn_glue.h"
#include "console.h"
#include "console_filter.h"
#include "console_io.h"
#include "err.h"
#include "hypercall.h"
#include "keyhandler.h"
#include "sched.h"
#include "timer.h"
#include "vcpu_copy.h"
#include <public/domctl.h>

#define CHUNK          128
#define CONTINUE_AFTER 256            /* bytes read before the write continues */
#define RING_SIZE      256
#define CTRL_A         0x01

static char ring[RING_SIZE];
static unsigned int ring_head, ring_tail;      /* head: next read, tail: next write */
static unsigned long ring_dropped;
static bool focus_guest;
static domid_t focus_id;                        /* valid while focus_guest */
static unsigned int ctrl_a_run;

static void flush_line(struct domain *d)
{
    printk("(d%u) %.*s\n", d->id, (int)d->console_len, d->console_line);
    d->console_len = 0;
    if (!d->privileged)
        console_budget_charge(&d->console_budget, now_ns(), CONSOLE_BUDGET_LINE_COST);
}

/* Appends s[0..n) to d's line: kept runs are copied whole, a newline
 * ends the line, a dropped byte is skipped, a full line is printed. */
static void guest_put(struct domain *d, const char *s, size_t n)
{
    while (n) {
        size_t room = sizeof(d->console_line) - d->console_len;
        size_t k = MIN(console_keep_span(s, n), room);

        memcpy(d->console_line + d->console_len, s, k);
        d->console_len += k;
        s += k;
        n -= k;
        if (d->console_len == sizeof(d->console_line)) {
            flush_line(d);
        } else if (n) {
            if (console_filter((uint8_t)*s) == CONSOLE_BYTE_NEWLINE)
                flush_line(d);
            s++;
            n--;
        }
    }
}

static void report_dropped(const struct domain *d, uint64_t n)
{
    if (n)
        printk("(d%u) [console: %lu bytes dropped by the rate limit]\n", d->id, n);
}

void console_io_flush(struct domain *d)
{
    if (d->console_len)
        flush_line(d);
    report_dropped(d, console_budget_flush(&d->console_budget));
}

/* Of the next `want` bytes of a write with `left` to go, how many d may
 * read now: all for a privileged domain, else what its budget allows. */
static uint32_t budget_grant(struct domain *d, uint32_t want, uint32_t left)
{
    if (d->privileged)
        return want;
    return (uint32_t)console_budget_take(&d->console_budget, now_ns(), want, left);
}

/* Restart the write at buf with left bytes to go ("iih", as Xen's). */
static int64_t continue_write(struct vcpu *v, uint64_t buf, uint32_t left)
{
    const struct hypercall_args next = { CONSOLEIO_write, left, buf, 0, 0, NULL };

    hypercall_continue(v, &next);
    return 0;
}

/* The buffer is the calling vCPU's own memory (vcpu_copy.h). */
static int write_chunk(struct vcpu *v, uint64_t buf, uint32_t n)
{
    char chunk[CHUNK];

    if (vcpu_copy_from(v, chunk, buf, n))
        return -EFAULT;
    guest_put(v->domain, chunk, n);
    return 0;
}

static int64_t console_write(struct vcpu *v, uint64_t buf, uint32_t count)
{
    struct domain *d = v->domain;

    if (!d->privileged)
        report_dropped(d, console_budget_resume(&d->console_budget, now_ns()));
    for (uint32_t done = 0; done < count;) {
        uint32_t want = MIN(count - done, (uint32_t)CHUNK), n;

        if (done >= CONTINUE_AFTER)
            return continue_write(v, buf + done, count - done);
        n = budget_grant(d, want, count - done);
        if (n && write_chunk(v, buf + done, n))
            return -EFAULT;
        if (n < want) {                  /* the budget dropped the rest */
            if (d->console_len)
                flush_line(d);           /* not joined to what comes after */
            return 0;
        }
        done += n;
    }
    return 0;
}

/* Up to max characters waiting for the focused domain d. */
static uint32_t take_input(const struct domain *d, char *out, uint32_t max)
{
    uint32_t n = 0;

    if (!focus_guest || d->id != focus_id)
        return 0;                                /* input is someone else's */
    while (n < max && ring_head != ring_tail) {
        out[n++] = ring[ring_head];
        ring_head = (ring_head + 1) % RING_SIZE;
    }
    return n;
}

int64_t console_input_take(const struct domain *backend, const struct domain *d,
                           struct xen_domctl_tern_console_input *out)
{
    if (!d->rings.present || d->rings.backend != backend->id)
        return -EPERM;
    memset(out, 0, sizeof(*out));
    out->len = take_input(d, out->bytes, sizeof(out->bytes));
    return 0;
}

static int64_t console_read(struct vcpu *v, uint64_t buf, uint32_t count)
{
    char out[RING_SIZE];
    uint32_t n;

    if (count > INT32_MAX)
        return -E2BIG;                           /* as Xen: rc could not count it */
    n = take_input(v->domain, out, MIN(count, (uint32_t)RING_SIZE));
    if (n && vcpu_copy_to(v, buf, out, n))
        return -EFAULT;       /* the characters are lost, as on a faulting read */
    return n;
}

int64_t do_console_io(struct vcpu *v, const struct hypercall_args *a)
{
    switch ((uint32_t)a->a1) {                   /* cmd and count: unsigned int, as Xen's */
    case CONSOLEIO_write: return console_write(v, a->a3, (uint32_t)a->a2);
    case CONSOLEIO_read:  return console_read(v, a->a3, (uint32_t)a->a2);
    default:              return unimpl_enosys(v->domain, UNIMPL_CONSOLE_IO, (uint32_t)a->a1);
    }
}

static void guest_input(char c)
{
    unsigned int next = (ring_tail + 1) % RING_SIZE;
    struct domain *d, *backend;

    if (next == ring_head) {
        ring_dropped++;
        return;
    }
    ring[ring_tail] = c;
    ring_tail = next;
    d = domain_by_id(focus_id);
    if (!d)
        return;
    evtchn_send_virq(&evtchn_env, &d->evtchn, 0, VIRQ_CONSOLE);
    backend = d->rings.present ? domain_by_id(d->rings.backend) : NULL;
    if (backend && backend != d)
        evtchn_send_virq(&evtchn_env, &backend->evtchn, 0, VIRQ_CONSOLE);
}

/* The running domain after the focused one in id order, or none (the
 * debug keys). */
static void advance_focus(void)
{
    struct domain *best = NULL;

    for (unsigned int i = 0; i < MAX_DOMAINS; i++) {
        struct domain *d = domains[i];
        if (!d || d->state != DOMAIN_RUNNING || (focus_guest && d->id <= focus_id))
            continue;
        if (!best || d->id < best->id)
            best = d;
    }
    focus_guest = best != NULL;
    focus_id = best ? best->id : 0;
    ring_head = ring_tail = 0;
}

void console_input(char c, struct cpu_regs *regs)
{
    if (c == CTRL_A && ++ctrl_a_run == 3) {
        ctrl_a_run = 0;
        advance_focus();
        if (focus_guest)
            printk("*** console input -> domain %u (type Ctrl-A three times to switch)\n",
                   focus_id);
        else
            printk("*** console input -> Tern debug keys (type Ctrl-A three times "
                   "to switch)\n");
        return;
    }
    if (c != CTRL_A)
        ctrl_a_run = 0;
    if (focus_guest)
        guest_input(c);
    else if (c != CTRL_A)
        handle_keypress(c, regs);
}
