/*
 * console_io.c: the console_io hypercall (#18) and console input focus.
 *
 * Output: each domain's bytes are collected into lines and printed with
 * the domain's prefix, "(d0) ...", like Xen's. Control characters other
 * than newline and tab are dropped, so a guest cannot drive the terminal.
 * A line longer than the buffer is printed in pieces, never cut.
 *
 * Input: serial or keyboard input goes to the hypervisor's debug keys
 * until Ctrl-A is typed three times in a row, which moves it to domain 0,
 * then to each other running domain in turn, then back to the debug keys,
 * as on Xen. Characters for the focused domain wait in a small ring that
 * its CONSOLEIO_read drains (other domains read nothing), and each raises
 * VIRQ_CONSOLE on it; when the ring is full, new characters are dropped and
 * counted. Switching focus empties the ring.
 */
#include "console.h"
#include "console_io.h"
#include "err.h"
#include "hypercall.h"
#include "keyhandler.h"
#include "sched.h"

#define CHUNK     128
#define RING_SIZE 256
#define CTRL_A    0x01

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
}

static void guest_putc(struct domain *d, char c)
{
    if (c == '\n') {
        flush_line(d);
        return;
    }
    if ((unsigned char)c < ' ' && c != '\t')
        return;
    if (c == 0x7f)
        return;
    d->console_line[d->console_len++] = c;
    if (d->console_len == sizeof(d->console_line))
        flush_line(d);
}

void console_io_flush(struct domain *d)
{
    if (d->console_len)
        flush_line(d);
}

static int64_t console_write(struct vcpu *v, uint64_t buf, uint32_t count)
{
    struct guest_space gs;
    char chunk[CHUNK];

    vcpu_guest_space(v, &gs);
    for (uint32_t done = 0; done < count;) {
        uint32_t n = MIN(count - done, (uint32_t)CHUNK);
        if (copy_from_guest(&gs, chunk, buf + done, n))
            return -EFAULT;
        for (uint32_t i = 0; i < n; i++)
            guest_putc(v->domain, chunk[i]);
        done += n;
    }
    return 0;
}

static int64_t console_read(struct vcpu *v, uint64_t buf, uint32_t count)
{
    struct guest_space gs;
    char out[RING_SIZE];
    uint32_t n = 0;

    if (count > INT32_MAX)
        return -EINVAL;
    if (!focus_guest || v->domain->id != focus_id)
        return 0;                                /* input is someone else's */
    while (n < count && n < RING_SIZE && ring_head != ring_tail) {
        out[n++] = ring[ring_head];
        ring_head = (ring_head + 1) % RING_SIZE;
    }
    vcpu_guest_space(v, &gs);
    if (n && copy_to_guest(&gs, buf, out, n))
        return -EFAULT;       /* the characters are lost, as on a faulting read */
    return n;
}

int64_t do_console_io(struct vcpu *v, const struct hypercall_args *a)
{
    switch (a->a1) {
    case CONSOLEIO_write: return console_write(v, a->a3, (uint32_t)a->a2);
    case CONSOLEIO_read:  return console_read(v, a->a3, (uint32_t)a->a2);
    default:              return -ENOSYS;
    }
}

static void guest_input(char c)
{
    unsigned int next = (ring_tail + 1) % RING_SIZE;
    struct domain *d;

    if (next == ring_head) {
        ring_dropped++;
        return;
    }
    ring[ring_tail] = c;
    ring_tail = next;
    d = domain_by_id(focus_id);
    if (d)
        evtchn_send_virq(&evtchn_env, &d->evtchn, 0, VIRQ_CONSOLE);
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
