/*
 * Tern guest kernel: a hostile domain (command line fuzz=<count>): count
 * hypercalls with random numbers 0-63 and random arguments, to show that
 * the hypervisor and the other domains survive it. It prints a final line
 * and powers off; the scenario checks that line and the others' results.
 *
 * Each argument is, at random, a small number (0-31), a random 64-bit
 * value, a small negative number, a wild pointer (NULL, unmapped, not
 * canonical, the hypervisor's ranges, the top of the address space), or a
 * pointer into a scratch buffer refilled with random non-canonical words
 * before every call, so that any pointer a hypercall finds inside a
 * struct there is wild as well.
 *
 * Left out, so that the domain keeps running: iret, multicall (an array
 * the fuzzer points at may hold any call, iret too), and sched_op (and its
 * compat form) block, shutdown, poll, remote_shutdown, shutdown_code,
 * watchdog and pin_override (turned into yield); VCPUOP_down (turned into
 * is_up). update_va_mapping never gets one of the kernel's own addresses
 * (it could unmap the kernel). What a call may have changed in the
 * domain's own CPU state (trap table and callbacks, FPU TS, debug
 * registers, segment bases, vm_assist, GDT) is put back right after it.
 * A grant_table_op batch is kept short: its uops (and their statuses,
 * written back) stay inside the scratch buffer.
 * Events stay masked throughout and no port is bound: a callback address
 * is never used between a call that changed it and its repair.
 */
#include <public/callback.h>
#include <public/errno.h>
#include "kernel/events.h"
#include "xen/hypercall.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "demo/roles.h"
#include "kernel/time.h"

#define SCRATCH_WORDS     1024                      /* 8 KiB */
#define KERNEL_RANGE      (1UL << 30)               /* VIRT_BASE onwards */
#define GUEST_KERNEL_BASE 0xffffffff80000000UL
#define MAX_NR            64
#define SEED              0x7e27f022a6a5d1c3UL

enum arg_kind { ARG_SMALL, ARG_RANDOM, ARG_NEGATIVE, ARG_WILD, ARG_SCRATCH, ARG_KINDS };

static uint64_t scratch[SCRATCH_WORDS] __attribute__((aligned(4096)));
static uint64_t rng;

static const uint64_t wild_pointers[] = {
    0,                              /* NULL */
    0x1000,                         /* never mapped */
    0x00007ffffffff000UL,           /* top of the lower half, unmapped */
    0x0000800000000000UL,           /* first non-canonical address */
    0x8000000000000000UL,           /* non-canonical */
    0xffff800000000000UL,           /* HYPERVISOR_VIRT_START: the M2P */
    0xffff82d040000000UL,           /* the hypervisor image */
    0xffff830000000000UL,           /* the hypervisor's direct map */
    0xffff880000000000UL,           /* first guest slot above the hypervisor */
    0xfffffffffffff000UL,           /* the last page */
};

static uint64_t rnd(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return rng * 0x2545f4914f6cdd1dUL;
}

static void fill_scratch(void)
{
    for (unsigned int i = 0; i < SCRATCH_WORDS; i++)
        scratch[i] = (rnd() | (1UL << 63)) & ~(1UL << 62);   /* never canonical */
}

static uint64_t random_arg(void)
{
    switch (rnd() % ARG_KINDS) {
    case ARG_SMALL:    return rnd() % 32;
    case ARG_RANDOM:   return rnd();
    case ARG_NEGATIVE: return (uint64_t)-(int64_t)(1 + rnd() % 16);
    case ARG_WILD:     return wild_pointers[rnd() % (sizeof(wild_pointers) / 8)];
    default:           return (uint64_t)(uintptr_t)&scratch[rnd() % (SCRATCH_WORDS / 2)];
    }
}

static bool in_kernel(uint64_t va)
{
    return va >= GUEST_KERNEL_BASE && va - GUEST_KERNEL_BASE < KERNEL_RANGE;
}

/* Changes what would end or stop the domain; false: skip this number. */
static bool make_survivable(unsigned int nr, uint64_t a[5])
{
    uint32_t cmd = (uint32_t)a[0];

    switch (nr) {
    case __HYPERVISOR_iret:
    case __HYPERVISOR_multicall:
        return false;
    case __HYPERVISOR_sched_op:
    case __HYPERVISOR_sched_op_compat:
        if (cmd >= SCHEDOP_block && cmd <= SCHEDOP_pin_override)
            a[0] = SCHEDOP_yield;
        return true;
    case __HYPERVISOR_vcpu_op:
        if (cmd == VCPUOP_down)
            a[0] = VCPUOP_is_up;
        return true;
    case __HYPERVISOR_console_io:
        a[1] %= 32;                  /* a short write of noise, not pages of it */
        return true;
    case __HYPERVISOR_grant_table_op:
        a[2] %= 8;                   /* each uop's status is written back: a long
                                        array from scratch would run into our own
                                        variables beyond it */
        return true;
    case __HYPERVISOR_update_va_mapping:
    case __HYPERVISOR_update_va_mapping_otherdomain:
        while (in_kernel(a[0]))
            a[0] = rnd();
        return true;
    default:
        return true;
    }
}

/* Puts back the domain's own CPU state a call of number nr may have changed. */
static void repair(unsigned int nr, const uint64_t a[5], long rc)
{
    switch (nr) {
    case __HYPERVISOR_set_trap_table:
    case __HYPERVISOR_set_callbacks:
    case __HYPERVISOR_callback_op:
    case __HYPERVISOR_nmi_op:
        traps_init();
        break;
    case __HYPERVISOR_fpu_taskswitch:
        HYPERVISOR_fpu_taskswitch(0);
        break;
    case __HYPERVISOR_set_debugreg:
        HYPERVISOR_set_debugreg(7, 0);
        break;
    case __HYPERVISOR_set_segment_base:
        for (unsigned int which = 0; which < 4; which++)
            HYPERVISOR_set_segment_base(which, 0);
        break;
    case __HYPERVISOR_set_gdt:
        if (rc == 0)
            HYPERVISOR_set_gdt(NULL, 0);
        break;
    case __HYPERVISOR_vm_assist:
        if (rc == 0 && a[0] == VMASST_CMD_enable)
            HYPERVISOR_vm_assist(VMASST_CMD_disable, (unsigned int)a[1]);
        break;
    default:
        break;
    }
}

struct fuzz_stats {
    uint64_t calls, zero, positive, efault, einval, enosys, eperm, other;
};

static void count(struct fuzz_stats *s, long rc)
{
    s->calls++;
    if (rc == 0)
        s->zero++;
    else if (rc > 0)
        s->positive++;
    else if (rc == -XEN_EFAULT)
        s->efault++;
    else if (rc == -XEN_EINVAL)
        s->einval++;
    else if (rc == -XEN_ENOSYS)
        s->enosys++;
    else if (rc == -XEN_EPERM)
        s->eperm++;
    else
        s->other++;
}

void fuzz_run(uint64_t total)
{
    struct fuzz_stats s = { 0 };
    uint64_t quarter = total / 4 ? total / 4 : 1;

    rng = SEED;
    events_disable();
    printk("fuzz: %lu random hypercalls (numbers 0-%u, seed %#lx), events masked\n",
           total, MAX_NR - 1, SEED);
    while (s.calls < total) {
        unsigned int nr = (unsigned int)(rnd() % MAX_NR);
        uint64_t a[5];
        long rc;

        for (unsigned int i = 0; i < 5; i++)
            a[i] = random_arg();
        if (!make_survivable(nr, a))
            continue;
        fill_scratch();
        rc = hypercall_raw(nr, a[0], a[1], a[2], a[3], a[4]);
        repair(nr, a, rc);
        count(&s, rc);
        if (s.calls % quarter == 0 && s.calls < total)
            printk("fuzz: %lu of %lu hypercalls made\n", s.calls, total);
    }
    printk("fuzz: %lu random hypercalls survived: %lu returned 0, %lu > 0, %lu -EFAULT, "
           "%lu -EINVAL, %lu -ENOSYS, %lu -EPERM, %lu other errors\n", s.calls, s.zero,
           s.positive, s.efault, s.einval, s.enosys, s.eperm, s.other);
}
