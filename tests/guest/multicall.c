/*
 * Test multicall: what a batch of hypercalls does, entry by entry (#13).
 *
 * What:
 *  - mixed calls: xen_version, a vm_assist of an invalid type, memory_op
 *    current_reservation, an mmu_update that remaps a test page, op 11 (no
 *    hypercall), op 128 and op 2^32 + 17: each result in its own entry
 *    (the same values as the direct calls, -EINVAL, -ENOSYS), the remap
 *    done, the multicall 0;
 *  - 0 entries: 0 for a mapped array and for an unmapped guest address,
 *    -EFAULT for a non-canonical one and for the hypervisor's range;
 *  - an unreadable array: -EFAULT at once for an unmapped one; an array
 *    running into an unmapped page: the entries before it run and answer,
 *    then -EFAULT; a read-only array: the first entry runs (its event is
 *    pending) but its result cannot be written: -EFAULT, nothing after it;
 *  - a multicall inside a multicall: -EINVAL in that entry, its inner
 *    entries never run, the outer batch goes on;
 *  - an iret inside a multicall (kernel to kernel, a frame we built at
 *    %rsp): the guest resumes at the frame's rip with its rcx, r11 and
 *    rsp, and with rax = the frame's rax cut to an int (Xen's do_multicall
 *    returns it through an int: its low 32 bits, sign-extended); the
 *    entries before it answered, the iret's entry holds all of the frame's
 *    rax, the entries after it never ran (XSA-213);
 *  - SCHEDOP_shutdown with an unreadable argument: -EFAULT in its entry,
 *    the domain lives and the batch goes on. (A shutdown that happens ends
 *    the batch and the domain: the scenario multicall-exits.)
 * Why: multicall runs guest-chosen hypercalls from a guest-written array
 * that it reads and writes while they run; every per-entry answer, the
 * bounds of the array and the calls that do not return normally must be
 * exactly Xen's, or a batching kernel (Linux) misreads its own results.
 * Expected (real Xen 4.17, release build): as above.
 */
#include "evtest.h"
#include "mmtest.h"
#include <public/memory.h>

static const char test_title[] = "multicall: per-entry results, bounds, nesting, iret";

#define SENTINEL     0x5e5e5e5e5e5e5e5eUL
#define MAGIC_RAX    0x0dd0c0ffee15900dUL
#define MAGIC_RCX    0x5ca1ab1e0ddba11cUL
#define MAGIC_R11    0x0b5e55ed0ddc0dedUL
#define PER_PAGE     (PAGE_SIZE / sizeof(struct multicall_entry))

static struct multicall_entry calls[8], inner[1];
static long version;

static struct multicall_entry entry(uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2,
                                    uint64_t a3)
{
    return (struct multicall_entry){ .op = op, .result = SENTINEL, .args = { a0, a1, a2, a3 } };
}

static struct multicall_entry xen_version_entry(void)
{
    return entry(__HYPERVISOR_xen_version, XENVER_version, 0, 0, 0);
}

static void check_result(const char *what, const struct multicall_entry *e, long want)
{
    check_rc(what, (long)e->result, want);
}

static void check_not_run(const char *what, const struct multicall_entry *e)
{
    check_true(what, e->result == SENTINEL);
}

/* ---- mixed calls ----------------------------------------------------------- */

struct remap {
    struct test_page a, b;
    struct mmu_update req;
};

/* test_va(0) maps page a; the request remaps it to page b. */
static bool remap_setup(struct remap *r)
{
    if (!tp_alloc(&r->a))
        return false;
    if (!tp_alloc(&r->b)) {
        tp_free(&r->a);
        return false;
    }
    r->a.va[0] = 0xaaaa;
    r->b.va[0] = 0xbbbb;
    if (map_at(test_va(0), r->a.mfn, PTE_PAGE_RW) != 0) {
        test_error("mapping a test page failed");
        tp_free(&r->a);
        tp_free(&r->b);
        return false;
    }
    r->req = (struct mmu_update){ entry_maddr(test_va(0), 1), mfn_pte(r->b.mfn, PTE_PAGE_RW) };
    return r->req.ptr != 0;
}

static void remap_cleanup(struct remap *r)
{
    unmap_at(test_va(0));
    tp_free(&r->a);
    tp_free(&r->b);
}

static void test_mixed(void)
{
    domid_t self = DOMID_SELF;
    long pages = HYPERVISOR_memory_op(XENMEM_current_reservation, &self);
    struct remap r;

    test_info("mixed calls");
    if (!remap_setup(&r))
        return;
    calls[0] = xen_version_entry();
    calls[1] = entry(__HYPERVISOR_vm_assist, VMASST_CMD_enable, 99, 0, 0);
    calls[2] = entry(__HYPERVISOR_memory_op, XENMEM_current_reservation, hc_ptr(&self), 0, 0);
    calls[3] = entry(__HYPERVISOR_mmu_update, hc_ptr(&r.req), 1, 0, DOMID_SELF);
    calls[4] = entry(11, 0, 0, 0, 0);
    calls[5] = entry(128, 0, 0, 0, 0);
    calls[6] = entry((1ULL << 32) + __HYPERVISOR_xen_version, 0, 0, 0, 0);
    calls[7] = xen_version_entry();
    check_rc("multicall of 8 mixed entries", HYPERVISOR_multicall(calls, 8), 0);
    check_result("  [0] xen_version(XENVER_version)", &calls[0], version);
    check_result("  [1] vm_assist(enable, type 99)", &calls[1], -XEN_EINVAL);
    check_result("  [2] memory_op(current_reservation)", &calls[2], pages);
    check_result("  [3] mmu_update(1 PTE)", &calls[3], 0);
    check_result("  [4] op 11 (no hypercall)", &calls[4], -XEN_ENOSYS);
    check_result("  [5] op 128", &calls[5], -XEN_ENOSYS);
    check_result("  [6] op 2^32 + 17", &calls[6], -XEN_ENOSYS);
    check_result("  [7] xen_version after them", &calls[7], version);
    invlpg(test_va(0));
    check_true("  the mmu_update entry remapped the test page", *test_ptr(0) == 0xbbbb);
    remap_cleanup(&r);
}

/* ---- bounds of the array ----------------------------------------------- */

static void test_zero_entries(void)
{
    test_info("0 entries, and where the array may be");
    check_rc("multicall(calls, 0)", HYPERVISOR_multicall(calls, 0), 0);
    check_rc("multicall(unmapped, 0)", HYPERVISOR_multicall(bad_ptr(BAD_VA_UNMAPPED), 0), 0);
    check_rc("multicall(non-canonical, 0)",
             HYPERVISOR_multicall(bad_ptr(BAD_VA_NONCANONICAL), 0), -XEN_EFAULT);
    check_rc("multicall(hypervisor range, 0)",
             HYPERVISOR_multicall(bad_ptr(BAD_VA_HYPERVISOR), 0), -XEN_EFAULT);
    check_rc("multicall(unmapped, 2)", HYPERVISOR_multicall(bad_ptr(BAD_VA_UNMAPPED), 2),
             -XEN_EFAULT);
}

/* Two entries at the end of a mapped page, a third on the unmapped page
 * after it. */
static void test_runs_into_unmapped(void)
{
    struct test_page p;
    struct multicall_entry *mc = (struct multicall_entry *)(uintptr_t)test_va(0);

    test_info("an array that runs into an unmapped page");
    if (!tp_alloc(&p))
        return;
    if (map_at(test_va(0), p.mfn, PTE_PAGE_RW) != 0) {
        test_error("mapping a test page failed");
        tp_free(&p);
        return;
    }
    unmap_at(test_va(1));                 /* in the same L1: nothing there */
    mc[PER_PAGE - 2] = xen_version_entry();
    mc[PER_PAGE - 1] = xen_version_entry();
    check_rc("multicall(3 entries, the 3rd unmapped)",
             HYPERVISOR_multicall(&mc[PER_PAGE - 2], 3), -XEN_EFAULT);
    check_result("  [0] ran", &mc[PER_PAGE - 2], version);
    check_result("  [1] ran", &mc[PER_PAGE - 1], version);
    unmap_at(test_va(0));
    tp_free(&p);
}

/* The array mapped read-only: entry 0 runs (an event send we can see),
 * then its result cannot be written. */
static void test_read_only_array(void)
{
    struct multicall_entry *ro = (struct multicall_entry *)(uintptr_t)test_va(1);
    struct multicall_entry *rw;
    struct ev_loopback l;
    struct evtchn_send send;
    struct test_page p;

    test_info("a read-only array");
    if (!ev_loopback_open(&l) || !tp_alloc(&p)) {
        ev_cleanup();
        return;
    }
    rw = (struct multicall_entry *)p.va;
    send.port = l.far;
    rw[0] = entry(__HYPERVISOR_event_channel_op, EVTCHNOP_send, hc_ptr(&send), 0, 0);
    rw[1] = entry(__HYPERVISOR_event_channel_op, EVTCHNOP_send, hc_ptr(&send), 0, 0);
    if (map_at(test_va(1), p.mfn, PTE_PAGE_RO) != 0) {
        test_error("mapping a test page read-only failed");
        tp_free(&p);
        ev_cleanup();
        return;
    }
    check_rc("multicall(read-only array, 2)", HYPERVISOR_multicall(ro, 2), -XEN_EFAULT);
    check_true("  [0] ran: its event is pending", gk_evtchn_port_pending(l.near));
    check_not_run("  [0] holds no result", &rw[0]);
    check_not_run("  [1] never ran", &rw[1]);
    unmap_at(test_va(1));
    tp_free(&p);
    ev_cleanup();
}

/* ---- calls that are refused or do not return normally ------------------ */

static void test_nested(void)
{
    test_info("a multicall inside a multicall");
    inner[0] = xen_version_entry();
    calls[0] = xen_version_entry();
    calls[1] = entry(__HYPERVISOR_multicall, hc_ptr(inner), 1, 0, 0);
    calls[2] = xen_version_entry();
    check_rc("multicall(version, multicall(version), version)", HYPERVISOR_multicall(calls, 3),
             0);
    check_result("  [0]", &calls[0], version);
    check_result("  [1] the nested multicall", &calls[1], -XEN_EINVAL);
    check_not_run("  the nested multicall's entry never ran", &inner[0]);
    check_result("  [2] the outer batch went on", &calls[2], version);
}

static void test_shutdown_bad_argument(void)
{
    test_info("SCHEDOP_shutdown with an unreadable argument");
    calls[0] = entry(__HYPERVISOR_sched_op, SCHEDOP_shutdown, BAD_VA_UNMAPPED, 0, 0);
    calls[1] = xen_version_entry();
    check_rc("multicall(shutdown(unmapped), version)", HYPERVISOR_multicall(calls, 2), 0);
    check_result("  [0] SCHEDOP_shutdown", &calls[0], -XEN_EFAULT);
    check_result("  [1] the batch went on", &calls[1], version);
}

struct iret_out {
    uint64_t rax, rcx, r11, rsp, rsp_before, returned;
};

/*
 * mc_iret_probe(calls, nr, out): a multicall made with an iret frame at
 * %rsp (kernel to kernel: CS 0xe030, flags 0) whose rip is the label 1,
 * whose rsp is the caller's and whose rax, rcx and r11 are MAGIC_*. At the
 * label, records rax, rcx, r11 and rsp; if the multicall returned instead
 * (out->returned = 1), puts rsp back first.
 */
void mc_iret_probe(struct multicall_entry *mc, unsigned long nr, struct iret_out *out);
__asm__(
    "    .pushsection .text, \"ax\", @progbits\n"
    "    .globl mc_iret_probe\n"
    "mc_iret_probe:\n"
    "    push %rbx; push %rbp; push %r12; push %r13; push %r14; push %r15\n"
    "    mov %rdx, %r14\n"
    "    mov %rsp, %r12\n"
    "    lea 1f(%rip), %r13\n"
    "    pushq $0xe02b\n"                    /* ss */
    "    push %r12\n"                        /* rsp */
    "    pushfq\n"                           /* rflags (IF set) */
    "    pushq $0xe030\n"                    /* cs: stay in kernel mode */
    "    push %r13\n"                        /* rip */
    "    pushq $0\n"                         /* flags: rcx and r11 from here */
    "    movabs $0x5ca1ab1e0ddba11c, %rax; push %rax\n"    /* rcx */
    "    movabs $0x0b5e55ed0ddc0ded, %rax; push %rax\n"    /* r11 */
    "    movabs $0x0dd0c0ffee15900d, %rax; push %rax\n"    /* rax */
    "    mov $13, %eax\n"
    "    syscall\n"
    "    mov %r12, %rsp\n"                   /* the multicall came back */
    "    movq $1, 40(%r14)\n"
    "    jmp 2f\n"
    "1:  movq $0, 40(%r14)\n"
    "2:  mov %rax, 0(%r14)\n"
    "    mov %rcx, 8(%r14)\n"
    "    mov %r11, 16(%r14)\n"
    "    mov %rsp, 24(%r14)\n"
    "    mov %r12, 32(%r14)\n"
    "    pop %r15; pop %r14; pop %r13; pop %r12; pop %rbp; pop %rbx\n"
    "    ret\n"
    "    .popsection\n");

static void test_iret_inside(void)
{
    struct iret_out out;

    test_info("an iret inside a multicall (kernel to kernel)");
    calls[0] = xen_version_entry();
    calls[1] = entry(__HYPERVISOR_iret, 0, 0, 0, 0);
    calls[2] = xen_version_entry();
    mc_iret_probe(calls, 3, &out);
    if (!check_true("  the guest resumed at the frame's rip", !out.returned)) {
        test_info("the multicall returned %s", rc_name((long)out.rax));
        return;
    }
    test_info("rax %#lx, rcx %#lx, r11 %#lx at the frame's rip", out.rax, out.rcx, out.r11);
    check_true("  with the frame's rax cut to an int", out.rax == (uint64_t)(int32_t)MAGIC_RAX);
    check_true("  with the frame's rcx and r11", out.rcx == MAGIC_RCX && out.r11 == MAGIC_R11);
    check_true("  with the frame's rsp", out.rsp == out.rsp_before);
    check_result("  [0] answered before the iret", &calls[0], version);
    check_true("  [1] the iret's entry holds the frame's rax", calls[1].result == MAGIC_RAX);
    check_not_run("  [2] after the iret never ran", &calls[2]);
}

static void test_main(void)
{
    if (!ev_require_shared_info())
        return;
    version = HYPERVISOR_xen_version(XENVER_version, NULL);
    test_mixed();
    test_zero_entries();
    test_runs_into_unmapped();
    test_read_only_array();
    test_nested();
    test_shutdown_bad_argument();
    test_iret_inside();
    test_success(NULL);
}

const struct guest_test test_multicall = { "multicall", test_title, test_main };
