/*
 * Tern guest kernel: crashing on purpose, for the hypervisor's tests of a
 * guest it must contain (command line `crash=<how>`, tests/scenarios).
 * Each way is something a broken or hostile PV kernel can do to itself;
 * the hypervisor must crash this domain alone, with one line saying why,
 * and take back every frame. None of them returns.
 *
 *   no-handler           an exception with no trap table installed
 *   stack-in-hypervisor  an exception while %rsp points into the
 *                        hypervisor's range, where no frame may be written
 *   fault-storm          a #PF handler that itself faults, endlessly
 *   iret-no-user-l4      the iret hypercall to user mode with no user L4
 *   bad-iret             the iret hypercall with the hypervisor's own CS
 *   iret-frame-unmapped  the iret hypercall with its frame (%rsp) at 0x1000
 *   iret-frame-half      ... with the frame's first 24 bytes on a page just
 *                        unmapped and the rest on the mapped page above
 *   iret-frame-hv        ... with the frame in the hypervisor's range
 *   iret-frame-top       ... with a frame running past the lower half's end
 * (the last four read nothing the hypervisor may read: the direct loads of
 * its fast path fault or are refused, and its C path crashes the domain)
 *   ud-stack-unmapped    #UD in kernel mode with %rsp at 0x1040, never mapped
 *   bp-stack-top         int3 in kernel mode with %rsp at 0x0000800000000000
 *                        (non-canonical: the frame would end past 2^47)
 *   softint-stack-unmapped  int $0x43 (an entry with DPL 3) in kernel mode
 *                        with %rsp at 0x1040: the DPL 3 gate's fast path
 *                        (softint_fast.S) takes the store's fault
 * (A bare `crash` is panic(): SHUTDOWN_crash, the guest's own choice.)
 */
#include "xen/hypercall.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "kernel/traps.h"

#define STORM_STACK_SIZE (128 * 1024)
#define HV_CODE_SELECTOR 0xe008        /* the hypervisor's ring-0 CS */

static uint8_t storm_stack[STORM_STACK_SIZE] __attribute__((aligned(16)));

/* The fault storm's #PF handler: touches address 0 (never mapped). */
void crash_storm_handler(void);
__asm__(
    "    .pushsection .text, \"ax\", @progbits\n"
    "    .globl crash_storm_handler\n"
    "crash_storm_handler:\n"
    "    movq 0, %rax\n"
    "    jmp crash_storm_handler\n"
    "    .popsection\n");

_Noreturn static void crash_no_handler(void)
{
    HYPERVISOR_set_trap_table(NULL);
    __asm__ volatile("ud2");
    panic("crash=no-handler: #UD without a handler came back");
}

_Noreturn static void crash_stack_in_hypervisor(void)
{
    uint64_t sp = HYPERVISOR_VIRT_START + 0x100000;

    __asm__ volatile("mov %0, %%rsp\n\tud2" : : "r"(sp) : "memory");
    __builtin_unreachable();
}

_Noreturn static void crash_fault_storm(void)
{
    struct trap_info t[2] = {
        { .vector = 14, .flags = 0, .cs = FLAT_KERNEL_CS,
          .address = (uint64_t)(uintptr_t)crash_storm_handler },
        { .address = 0 },
    };
    uint64_t sp = (uint64_t)(uintptr_t)&storm_stack[STORM_STACK_SIZE];

    if (HYPERVISOR_set_trap_table(t))
        panic("crash=fault-storm: set_trap_table refused the handler");
    __asm__ volatile("mov %0, %%rsp\n\tjmp crash_storm_handler" : : "r"(sp) : "memory");
    __builtin_unreachable();
}

/* Jumps to the iret stub with {flags 0, rip, cs, rflags, rsp, ss}. */
_Noreturn static void iret_to(uint64_t cs, uint64_t rip)
{
    uint64_t frame[6] __attribute__((aligned(16))) = {
        0, rip, cs, RFLAGS_IF | 2, (uint64_t)(uintptr_t)&storm_stack[STORM_STACK_SIZE],
        FLAT_USER_SS,
    };

    __asm__ volatile("mov %0, %%rsp\n\tjmp hypercall_page + %c1"
                     : : "r"(frame), "i"(HYPERCALL_IRET_OFFSET) : "memory");
    __builtin_unreachable();
}

/* An exception in kernel mode with %rsp = sp, where no frame fits. */
_Noreturn static void trap_with_rsp(uint64_t sp, bool bp)
{
    if (bp)
        __asm__ volatile("mov %0, %%rsp\n\tint3" : : "r"(sp) : "memory");
    else
        __asm__ volatile("mov %0, %%rsp\n\tud2" : : "r"(sp) : "memory");
    __builtin_unreachable();
}

/* int $0x43 through a DPL 3 trap-table entry with %rsp = sp. */
_Noreturn static void softint_with_rsp(uint64_t sp)
{
    struct trap_info t[] = {
        { .vector = 0x43, .flags = 3, .cs = FLAT_KERNEL_CS, .address = trap_stub_address(0x43) },
        { .address = 0 },
    };

    if (HYPERVISOR_set_trap_table(t))
        panic("crash=softint-stack-unmapped: set_trap_table failed");
    __asm__ volatile("mov %0, %%rsp\n\tint $0x43" : : "r"(sp) : "memory");
    __builtin_unreachable();
}

/* The iret hypercall made directly (the stub would first push below
 * frame itself) with %rsp = frame. */
_Noreturn static void iret_at(uint64_t frame)
{
    __asm__ volatile("mov %0, %%rsp\n\tmov %1, %%eax\n\tsyscall"
                     : : "r"(frame), "i"(__HYPERVISOR_iret) : "memory");
    __builtin_unreachable();
}

/* A frame straddling a page of storm_stack made absent and the next one. */
_Noreturn static void iret_frame_half(void)
{
    uint64_t page = ((uint64_t)(uintptr_t)storm_stack + 2 * PAGE_SIZE) & ~(PAGE_SIZE - 1);

    if (HYPERVISOR_update_va_mapping(page, 0, UVMF_INVLPG))
        panic("crash=iret-frame-half: cannot unmap %#lx", page);
    iret_at(page + PAGE_SIZE - 24);
}

void crash_on_purpose(const char *how)
{
    uint64_t here = (uint64_t)(uintptr_t)crash_on_purpose;

    printk("crash=%s: crashing on purpose\n", how);
    if (strcmp(how, "no-handler") == 0)
        crash_no_handler();
    if (strcmp(how, "stack-in-hypervisor") == 0)
        crash_stack_in_hypervisor();
    if (strcmp(how, "fault-storm") == 0)
        crash_fault_storm();
    if (strcmp(how, "iret-no-user-l4") == 0)
        iret_to(FLAT_USER_CS, here);
    if (strcmp(how, "bad-iret") == 0)
        iret_to(HV_CODE_SELECTOR, here);
    if (strcmp(how, "iret-frame-unmapped") == 0)
        iret_at(0x1000);
    if (strcmp(how, "iret-frame-half") == 0)
        iret_frame_half();
    if (strcmp(how, "iret-frame-hv") == 0)
        iret_at(HYPERVISOR_VIRT_START + 0x100000);
    if (strcmp(how, "iret-frame-top") == 0)
        iret_at(0x00007fffffffffc0);
    if (strcmp(how, "ud-stack-unmapped") == 0)
        trap_with_rsp(0x1040, false);
    if (strcmp(how, "bp-stack-top") == 0)
        trap_with_rsp(0x0000800000000000, true);
    if (strcmp(how, "softint-stack-unmapped") == 0)
        softint_with_rsp(0x1040);
    panic("crash=%s: no such way to crash (no-handler, stack-in-hypervisor, "
          "fault-storm, iret-no-user-l4, bad-iret, iret-frame-unmapped, iret-frame-half, "
          "iret-frame-hv, iret-frame-top, ud-stack-unmapped, bp-stack-top, "
          "softint-stack-unmapped)", how);
}
