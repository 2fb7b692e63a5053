/*
 * multicall.c: multicall (#13), several hypercalls in one.
 *
 * The loop and its rules are multicall_batch.c's; this file backs them
 * with the calling vCPU: entries are read and answered through the
 * checked guest-memory interface, each one runs through the same table as
 * a direct hypercall (hypercall_call), and the step ends early when the
 * scheduler wants the CPU or an event can be delivered.
 *
 * Invariants: the guest's address space is taken afresh after every entry
 * that may change a mapping or the page table (it may remap or unmap the
 * array itself: no translation from before such a call is used after
 * it); after the others (mc_keeps_translations) the translation of the
 * array's page is kept, and the entries of that page are read and
 * answered through its frame in the direct map, found by the same
 * checked walk that copy_from_guest and copy_to_guest do (the generic
 * copies cost more than a null hypercall itself); a continuation
 * an entry asked for never reaches the guest's registers (it is moved into
 * the entry, and the multicall is continued instead).
 */
#include "err.h"
#include "hypercall.h"
#include "multicall_batch.h"
#include "sched.h"
#include "timer.h"
#include <asm/guest.h>

/* The page of the array the last access was in: its frame through the
 * direct map, found by the checked walk (guest_translate, the frame
 * callback) and kept exactly as long as the translation itself. */
struct mc_window {
    uint64_t page;                       /* guest VA of the page; 1: none */
    uint8_t *bytes;
    bool writable;                       /* walked for a write */
};

struct mc_vcpu {
    struct vcpu *v;
    struct cpu_regs *regs;               /* the guest frame, for an iret entry */
    struct guest_space gs;
    struct mc_window win;
};

static void mc_fresh_space(struct mc_vcpu *m)
{
    vcpu_guest_space(m->v, &m->gs);
    m->win.page = 1;
}

/* The bytes at va, for len bytes within its page, or NULL. */
static uint8_t *mc_window_at(struct mc_vcpu *m, uint64_t va, bool write)
{
    uint64_t page = va & ~(PAGE_SIZE - 1), maddr;
    uint8_t *frame;

    if (page != m->win.page || (write && !m->win.writable)) {
        if (guest_translate(&m->gs, page, write, &maddr))
            return NULL;
        frame = m->gs.frame(m->gs.ctx, maddr >> PAGE_SHIFT);
        if (!frame)
            return NULL;
        m->win = (struct mc_window){ page, frame, write };
    }
    return m->win.bytes + (va - page);
}

static bool in_one_page(uint64_t va, size_t len)
{
    return (va & (PAGE_SIZE - 1)) + len <= PAGE_SIZE;
}

/* An entry within one page comes through the window; one that straddles
 * two pages through the plain copy. */
static int mc_read(void *ctx, uint64_t va, struct multicall_entry *e)
{
    struct mc_vcpu *m = ctx;
    const uint8_t *p;

    if (!in_one_page(va, sizeof(*e)))
        return copy_from_guest(&m->gs, e, va, sizeof(*e));
    p = mc_window_at(m, va, false);
    if (!p)
        return -EFAULT;
    memcpy(e, p, sizeof(*e));
    return 0;
}

static int mc_write(void *ctx, uint64_t va, const void *src, size_t len)
{
    struct mc_vcpu *m = ctx;
    uint8_t *p;

    if (!in_one_page(va, len))
        return copy_to_guest(&m->gs, va, src, len);
    p = mc_window_at(m, va, true);
    if (!p)
        return -EFAULT;
    memcpy(p, src, len);
    return 0;
}

/* An entry that asked to be continued gets its continuation's arguments. */
static bool mc_call(void *ctx, struct multicall_entry *e)
{
    struct mc_vcpu *m = ctx;
    const struct hypercall_args a = {
        e->args[0], e->args[1], e->args[2], e->args[3], e->args[4], m->regs,
    };

    e->result = (uint64_t)hypercall_call(m->v, e->op, &a);
    if (!mc_keeps_translations(e->op) || m->gs.cr3 != m->v->cr3)
        mc_fresh_space(m);
    if (!m->v->continuation)
        return false;
    m->v->continuation = false;
    memcpy(e->args, m->v->continuation_args, sizeof(m->v->continuation_args));
    return true;
}

static bool mc_kernel_mode(void *ctx)
{
    const struct mc_vcpu *m = ctx;

    return m->v->kernel_mode;
}

/* As Xen's hypercall_preempt_check: the scheduler has work (a block, a
 * yield, a shutdown, a pause) or an event is deliverable. */
static bool mc_must_yield(void *ctx)
{
    const struct mc_vcpu *m = ctx;

    return !sched_current_goes_on() || vcpu_upcall_deliverable(m->v);
}

static uint64_t mc_now(void *ctx)
{
    (void)ctx;
    return now_ns();
}

static const struct mc_ops mc_vcpu_ops = {
    mc_read, mc_write, mc_call, mc_kernel_mode, mc_must_yield, mc_now,
};

int64_t do_multicall(struct vcpu *v, const struct hypercall_args *a)
{
    struct mc_vcpu m = { .v = v, .regs = a->regs };
    struct mc_next next;
    int64_t rc;

    mc_fresh_space(&m);
    rc = mc_run(&mc_vcpu_ops, &m, &v->in_multicall, a->a1, (uint32_t)a->a2, &next);
    if (next.resume) {
        const struct hypercall_args again = { next.calls, next.nr_calls, 0, 0, 0, NULL };
        hypercall_continue(v, &again);
    }
    return rc;
}
