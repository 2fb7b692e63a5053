/*
 * Test multicall_preempt: a multicall is continued like any long
 * hypercall (#13).
 *
 * A continued hypercall returns to the guest with its rip back on the
 * `syscall` and its arguments advanced; an event pending then is
 * delivered first, so an upcall whose interrupted rip is the multicall
 * stub's `syscall` shows where the batch will resume: rdi is the first
 * entry not done, rsi the entries left. What:
 *  - an event made deliverable by an entry (a send on a loopback port we
 *    handle): the batch stops before the next entry, the upcall comes at
 *    the syscall with rdi = calls + 1 entry and rsi = 1, and the rest runs;
 *  - SCHEDOP_block as an entry, a timer 2 ms ahead: the vCPU sleeps, wakes
 *    at the syscall with the same registers, and the rest runs;
 *  - an entry that is itself continued (mmu_update of 1024 M2P requests,
 *    called with an event already pending and deliverable, which Xen's
 *    mmu_update yields to at once and Tern's after 512): the upcall comes
 *    at the syscall with rdi = calls (the same entry) and the entry was
 *    rewritten with its continuation's arguments (the requests advanced,
 *    the count reduced and marked MMU_UPDATE_PREEMPTED, pdone = the
 *    requests done); then every request completes (pdone 1024);
 *  - a long batch (1024 xen_version entries, again and again, under a
 *    1 ms periodic timer): a tick interrupts one at the syscall with
 *    0 < rsi < 1024 and rdi = calls + (1024 - rsi) entries, and every
 *    entry of every batch has its answer.
 * Why: a guest-sized batch must not hold the CPU, and a continued batch
 * must neither skip nor repeat an entry; an entry's own continuation must
 * land in the array, since the guest's registers carry the multicall's.
 * Expected (real Xen 4.17, whose hypercall_preempt_check sees the pending
 * event, the blocked vCPU's softirq or the tick; Tern, which checks the
 * same between entries and also ends a step every 128 entries or 1 ms):
 * as above. The outcomes depend on no speed, except the last, which
 * needs a tick to fall inside a multicall (almost all of the loop's time).
 */
#include "evtest.h"
#include "mmtest.h"

static const char test_title[] = "multicall: continued at events, blocks, entries and ticks";

#define SENTINEL    0x5e5e5e5e5e5e5e5eUL
#define LONG_NR     1024
#define MMU_NR      1024
#define MAX_ROUNDS  200
#define STUB_BYTES  32
#define ENTRY       sizeof(struct multicall_entry)

static struct multicall_entry calls[LONG_NR];
static struct mmu_update reqs[MMU_NR];
static unsigned int pdone;
static long version;

/* What upcalls saw: the first at the multicall's syscall (with rsi below
 * min_left, for the tick, which may also come before a fresh call). */
struct at_syscall {
    uint64_t syscall_va;
    uint64_t min_left;
    volatile uint64_t upcalls, seen;
    volatile uint64_t rax, rdi, rsi;
    volatile unsigned int pdone;
    struct multicall_entry entry0;
};

static struct at_syscall at;

static uint64_t stub_syscall_va(void)
{
    const uint8_t *stub = &hypercall_page[__HYPERVISOR_multicall * HYPERCALL_STUB_SIZE];

    for (unsigned int i = 0; i + 1 < STUB_BYTES; i++)
        if (stub[i] == 0x0f && stub[i + 1] == 0x05)
            return (uint64_t)(uintptr_t)&stub[i];
    return 0;
}

static void on_upcall(evtchn_port_t port, struct regs *r, void *data)
{
    struct at_syscall *s = data;

    (void)port;
    s->upcalls++;
    if (r->rip != s->syscall_va || r->rsi >= s->min_left || s->seen++)
        return;
    s->rax = r->rax;
    s->rdi = r->rdi;
    s->rsi = r->rsi;
    s->pdone = pdone;
    s->entry0 = calls[0];
}

static void at_reset(uint64_t min_left)
{
    uint64_t va = at.syscall_va;

    memset(&at, 0, sizeof(at));
    at.syscall_va = va;
    at.min_left = min_left;
}

static struct multicall_entry entry(uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2,
                                    uint64_t a3)
{
    return (struct multicall_entry){ .op = op, .result = SENTINEL, .args = { a0, a1, a2, a3 } };
}

static struct multicall_entry xen_version_entry(void)
{
    return entry(__HYPERVISOR_xen_version, XENVER_version, 0, 0, 0);
}

/* The first upcall at the syscall had the batch resume at entry `at_entry`
 * with `left` entries. */
static void check_resume(unsigned int at_entry, uint64_t left)
{
    if (!check_true("  an upcall came at the multicall's syscall", at.seen > 0)) {
        test_info("%lu upcalls, none there", at.upcalls);
        return;
    }
    test_info("there: rax %lu, rdi calls + %ld entries, rsi %lu", at.rax,
              (long)(at.rdi - hc_ptr(calls)) / (long)ENTRY, at.rsi);
    check_true("  rax is multicall's number", at.rax == __HYPERVISOR_multicall);
    check_true("  rdi is the entry the batch resumes at", at.rdi == hc_ptr(&calls[at_entry]));
    check_true("  rsi is the entries left", at.rsi == left);
}

static void test_event_cut(void)
{
    struct ev_loopback l;
    struct evtchn_send send;

    test_info("an entry makes an event deliverable");
    at_reset(UINT64_MAX);
    if (!ev_loopback_open(&l))
        return;
    gk_evtchn_attach(l.near, on_upcall, &at);
    send.port = l.far;
    calls[0] = entry(__HYPERVISOR_event_channel_op, EVTCHNOP_send, hc_ptr(&send), 0, 0);
    calls[1] = xen_version_entry();
    check_rc("multicall(send to our own port, version)", HYPERVISOR_multicall(calls, 2), 0);
    check_resume(1, 1);
    check_rc("  [0] send", (long)calls[0].result, 0);
    check_rc("  [1] version, after the upcall", (long)calls[1].result, version);
    ev_cleanup();
}

static void test_block(void)
{
    evtchn_port_t port;

    test_info("SCHEDOP_block as an entry");
    at_reset(UINT64_MAX);
    port = ev_bind_virq(VIRQ_TIMER);
    if (!port)
        return;
    gk_evtchn_attach(port, on_upcall, &at);
    calls[0] = entry(__HYPERVISOR_sched_op, SCHEDOP_block, 0, 0, 0);
    calls[1] = xen_version_entry();
    HYPERVISOR_set_timer_op(time_now_ns() + 2 * MS);
    check_rc("multicall(block, version)", HYPERVISOR_multicall(calls, 2), 0);
    check_resume(1, 1);
    check_rc("  [0] block", (long)calls[0].result, 0);
    check_rc("  [1] version, after the wake-up", (long)calls[1].result, version);
    ev_cleanup();
}

/* One multicall whose mmu_update entry starts with an event pending and
 * deliverable: masked while we send it, unmasked by hand just before the
 * syscall, so no upcall can come in between (unless an interrupt does:
 * then the caller tries again). */
static long pending_event_multicall(evtchn_port_t far)
{
    struct vcpu_info *vi = ev_vcpu();

    events_disable();
    gk_evtchn_send(far);
    __asm__ volatile("" ::: "memory");
    vi->evtchn_upcall_mask = 0;
    __asm__ volatile("" ::: "memory");
    return HYPERVISOR_multicall(calls, 2);
}

/* In the continued entry's unused sixth argument: the entry is written
 * back whole, so it must come back as the guest wrote it. */
#define SIXTH_MARK 0x5157e5a6d1a9b00cULL

static void check_continued_entry(void)
{
    const struct multicall_entry *e = &at.entry0;
    uint64_t left = e->args[1] & ~(uint64_t)MMU_UPDATE_PREEMPTED, done = MMU_NR - left;

    test_info("entry 0 then: requests +%ld, count %#lx, pdone %u",
              (long)(e->args[0] - hc_ptr(reqs)) / (long)sizeof(reqs[0]), e->args[1], at.pdone);
    check_true("  entry 0 is still the mmu_update", e->op == __HYPERVISOR_mmu_update);
    check_true("  its count is marked MMU_UPDATE_PREEMPTED",
               (e->args[1] & MMU_UPDATE_PREEMPTED) != 0);
    check_true("  part of the requests done", left > 0 && left < MMU_NR);
    check_true("  its requests advanced by those done",
               e->args[0] == hc_ptr(&reqs[done]));
    check_true("  pdone and foreigndom kept", e->args[2] == hc_ptr(&pdone) &&
               e->args[3] == DOMID_SELF);
    check_true("  pdone counted the requests done", at.pdone == done);
    check_true("  its unused sixth argument kept", e->args[5] == SIXTH_MARK);
}

static void test_continued_entry(void)
{
    struct ev_loopback l;
    struct test_page p;
    long rc = 0;

    test_info("an entry that is continued itself");
    if (!ev_loopback_open(&l) || !tp_alloc(&p)) {
        ev_cleanup();
        return;
    }
    for (unsigned int i = 0; i < MMU_NR; i++)
        reqs[i] = (struct mmu_update){ (p.mfn << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE, p.pfn };
    gk_evtchn_attach(l.near, on_upcall, &at);
    for (unsigned int tries = 0; tries < 5; tries++) {
        at_reset(UINT64_MAX);
        pdone = 0;
        calls[0] = entry(__HYPERVISOR_mmu_update, hc_ptr(reqs), MMU_NR, hc_ptr(&pdone),
                         DOMID_SELF);
        calls[0].args[5] = SIXTH_MARK;
        calls[1] = xen_version_entry();
        rc = pending_event_multicall(l.far);
        if (at.seen || rc != 0)
            break;
    }
    check_rc("multicall(mmu_update of 1024 M2P requests, version)", rc, 0);
    check_resume(0, 2);
    if (at.seen)
        check_continued_entry();
    check_rc("  [0] mmu_update in the end", (long)calls[0].result, 0);
    check_rc("  pdone in the end", pdone, MMU_NR);
    check_rc("  [1] version", (long)calls[1].result, version);
    tp_free(&p);
    ev_cleanup();
}

/* Every entry of the long batch answered, none twice or skipped. */
static bool long_batch_answered(void)
{
    for (unsigned int i = 0; i < LONG_NR; i++)
        if (calls[i].result != (uint64_t)version) {
            test_failure("entry %u of %u: result %s", i, LONG_NR, rc_name((long)calls[i].result));
            return false;
        }
    return true;
}

static void test_long_batch(void)
{
    struct vcpu_set_periodic_timer period = { .period_ns = MS };
    evtchn_port_t port;
    unsigned int round;

    test_info("a long batch under a 1 ms tick");
    at_reset(LONG_NR);
    port = ev_bind_virq(VIRQ_TIMER);
    if (!port)
        return;
    gk_evtchn_attach(port, on_upcall, &at);
    check_rc("VCPUOP_set_periodic_timer(1 ms)",
             HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, 0, &period), 0);
    for (round = 0; round < MAX_ROUNDS && !at.seen; round++) {
        for (unsigned int i = 0; i < LONG_NR; i++)
            calls[i] = xen_version_entry();
        if (!check_rc("multicall of 1024 xen_version", HYPERVISOR_multicall(calls, LONG_NR), 0) ||
            !long_batch_answered())
            break;
    }
    test_info("%u batches of %u, %lu ticks", round, LONG_NR, at.upcalls);
    check_resume((unsigned int)(LONG_NR - at.rsi), at.rsi);
    check_true("  part of the batch was done", at.rsi > 0 && at.rsi < LONG_NR);
    ev_cleanup();
}

static void test_main(void)
{
    if (!ev_require_shared_info())
        return;
    at.syscall_va = stub_syscall_va();
    if (!at.syscall_va) {
        test_error("no syscall instruction in the multicall stub");
        return;
    }
    version = HYPERVISOR_xen_version(XENVER_version, NULL);
    test_event_cut();
    test_block();
    test_continued_entry();
    test_long_batch();
    test_success(NULL);
}

const struct guest_test test_multicall_preempt = {
    "multicall_preempt", test_title, test_main,
};
