/*
 * Test trap_pf: page faults, their error codes and CR2, from guest kernel
 * and guest user mode.
 *
 * What: in kernel mode, a read of an unmapped address (error code 0), a
 * write to a read-only page (our L4: P|W = 3) and an instruction fetch
 * from a no-execute page (P|I = 0x11); in user mode (a probe process), a
 * read of a kernel address (absent from the user L4: U = 4), a write to
 * the read-only program code (P|W|U = 7) and a fetch from a no-execute
 * data page (P|U|I = 0x15). Each time the address is in
 * vcpu_info.arch.cr2 when the handler runs, and an emulated `mov %cr2`
 * (kernel mode) returns it too. The U/S bit follows the guest's virtual
 * mode, not the CPU's (the guest kernel runs at CPL 3 too). A user read
 * of the M2P through a user-only L4 (one never loaded as a kernel L4)
 * faults: Xen puts the M2P only into kernel root tables (xen-pv-abi.md
 * 0.9). A user read of the hypervisor's direct map faults (whether the
 * error code says present depends on Xen's XPTI: info only).
 * Why: xen-pv-abi.md 2.2 rule 6 and 2.7; demand paging and the user/kernel
 * split of every PV kernel rest on them.
 * Expected (real Xen 4.17): the error codes and addresses above; the M2P
 * read is killed with error code 4; the direct-map read with 5 (XPTI off).
 */
#include "traptest.h"

static const char test_title[] = "#PF: error codes (U/S from the virtual mode), CR2";

#define PTE_KERNEL_NX (PTE_PRESENT | PTE_RW | PTE_ACCESSED | PTE_DIRTY | PTE_NX)

static uint64_t nx_target;

/* The fetch fault from a `call` into the no-execute page: return to the
 * caller as if the callee had returned. */
static bool nx_fetch_hook(struct regs *r)
{
    if (r->rip != nx_target || regs_user_mode(r))
        return false;
    r->rip = *(uint64_t *)(uintptr_t)r->rsp;
    r->rsp += 8;
    return true;
}

static void check_cr2(const char *what, uint64_t want)
{
    if (trap_last.cr2 != want)
        test_failure("%s: vcpu_info.arch.cr2 = %#lx in the handler, expected %#lx", what,
                     trap_last.cr2, want);
    else if (read_cr2() != want)
        test_failure("%s: mov %%cr2 = %#lx, expected %#lx", what, read_cr2(), want);
    else
        printk("  ok   %s: CR2 %#lx (vcpu_info and mov %%cr2)\n", what, want);
}

static void kernel_read_unmapped(void)
{
    struct trap_site s;
    uint64_t n = traps_seen();

    FAULT_AT(s, "mov $" "0x1000" ", %%eax", "mov (%%rax), %%rax");
    check_kernel_trap("kernel read of an unmapped address", n, X86_PF, 0, s, true);
    check_cr2("kernel read of an unmapped address", BAD_VA_UNMAPPED);
}

static void kernel_write_readonly(void)
{
    struct trap_site s;
    uint64_t n = traps_seen();
    volatile uint64_t *l4 = (volatile uint64_t *)(uintptr_t)start_info.pt_base;
    uint64_t slot0 = l4[0];

    __asm__ volatile("lea 1f(%%rip), %0\n\t"
                     "mov %%rsp, %1\n\t"
                     "movabs $" MAGIC_RCX ", %%rcx\n\t"
                     "movabs $" MAGIC_R11 ", %%r11\n\t"
                     "1: mov %2, (%3)\n\t"
                     "2:\n\t" EXTABLE(1b, 2b)
                     : "=&r"(s.rip), "=&r"(s.rsp) : "r"(slot0), "r"(l4)
                     : "rcx", "r11", "memory");
    check_kernel_trap("kernel write to its read-only L4", n, X86_PF,
                      PFEC_PRESENT | PFEC_WRITE, s, true);
    check_cr2("kernel write to its read-only L4", start_info.pt_base);
}

static void kernel_fetch_nx(void)
{
    long pfn = page_alloc();
    uint8_t *page;
    uint64_t n, va, pte;
    long rc;

    if (pfn < 0) {
        test_error("page_alloc: %s", rc_name(pfn));
        return;
    }
    page = pfn_to_virt((uint64_t)pfn);
    page[0] = 0xc3;                                  /* ret */
    va = (uint64_t)(uintptr_t)page;
    pte = mfn_pte(pfn_to_mfn((uint64_t)pfn), PTE_KERNEL_NX);
    rc = HYPERVISOR_update_va_mapping(va, pte, UVMF_INVLPG);
    if (!check_rc("update_va_mapping(page, RW|NX)", rc, 0))
        goto out;
    nx_target = va;
    trap_set_hook(X86_PF, nx_fetch_hook);
    n = traps_seen();
    ((void (*)(void))page)();
    trap_set_hook(X86_PF, NULL);
    check_kernel_trap("kernel fetch from a no-execute page", n, X86_PF,
                      PFEC_PRESENT | PFEC_FETCH, (struct trap_site){ va, 0 }, false);
    check_cr2("kernel fetch from a no-execute page", va);
out:
    check_rc("remap it executable, writable", pfn_set_writable((uint64_t)pfn), 0);
    page_free((uint64_t)pfn);
}

static void user_faults(void)
{
    struct probe_run run;

    if (probe_run(PROBE_READ, VIRT_BASE, &run) == 0 &&
        check_user_kill("user read of kernel memory", &run, X86_PF, PFEC_USER, 0))
        check_true("  ... with CR2 = the kernel address", run.trap.cr2 == VIRT_BASE);
    if (probe_run(PROBE_WRITE, USER_CODE_BASE, &run) == 0 &&
        check_user_kill("user write to its read-only code", &run, X86_PF,
                        PFEC_PRESENT | PFEC_WRITE | PFEC_USER, 0))
        check_true("  ... with CR2 = the code address", run.trap.cr2 == USER_CODE_BASE);
    if (probe_run(PROBE_EXEC, USER_DZ_BASE, &run) == 0 &&
        check_user_kill("user fetch from a no-execute data page", &run, X86_PF,
                        PFEC_PRESENT | PFEC_USER | PFEC_FETCH, USER_DZ_BASE))
        check_true("  ... with CR2 = the data address", run.trap.cr2 == USER_DZ_BASE);
}

/* The read-only M2P appears only in L4s that have been a kernel root table
 * (or, with m2p_strict, is taken out of user ones): a user L4 that was
 * never a kernel L4 does not map it. The hypervisor's own mappings are
 * never user-accessible; whether they are present (P in the error code)
 * depends on Xen's XPTI, so only the fault itself is checked. */
static void user_hypervisor_range(void)
{
    struct probe_run run;

    if (probe_run(PROBE_READ, MACH2PHYS_VIRT_START, &run) == 0)
        check_user_kill("user read of the M2P from a user-only L4", &run, X86_PF, PFEC_USER,
                        0);
    if (probe_run(PROBE_READ, 0xffff830000000000UL, &run) == 0 &&
        check_user_kill("user read of the hypervisor's direct map", &run, X86_PF, ~0UL, 0))
        test_info("  ... error code %#lx (P depends on Xen's XPTI)", run.trap.error_code);
}

static void test_main(void)
{
    kernel_read_unmapped();
    kernel_write_readonly();
    kernel_fetch_nx();
    user_faults();
    user_hypervisor_range();
    test_success(NULL);
}

const struct guest_test test_trap_pf = { "trap_pf", test_title, test_main };
