/*
 * Tern guest kernel: the unimpl-probe role, calls that Tern does not
 * implement, each made twice (tests/scenarios: unimpl-debug).
 *
 *   unimpl-probe   hypercall 11 (no hypercall has it) and 42 (hypfs_op)
 *                  through the page, memory_op 63 and physdev_op 99,
 *                  and raw syscalls with rax 2^32 + 17 and 1000
 *
 * Every call must answer -ENOSYS; at loglvl=debug the hypervisor names
 * each number once for this domain (the two high ones in one line), which
 * the scenario counts. Prints one summary line.
 */
#include "xen/hypercall.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "demo/roles.h"
#include <public/errno.h>

#define OPTION_LEN 16
#define ROUNDS     2

/* One round of the calls; how many answered -ENOSYS. */
static unsigned int one_round(void)
{
    long rc[] = {
        hypercall_raw(11, 0, 0, 0, 0, 0),
        hypercall_raw(__HYPERVISOR_hypfs_op, 0, 0, 0, 0, 0),
        HYPERVISOR_memory_op(63, NULL),
        HYPERVISOR_physdev_op(99, NULL),
        hypercall_syscall((1ULL << 32) + 17, 0, 0, 0, 0, 0),
        hypercall_syscall(1000, 0, 0, 0, 0, 0),
    };
    unsigned int n = 0;

    for (unsigned int i = 0; i < sizeof(rc) / sizeof(rc[0]); i++)
        n += rc[i] == -XEN_ENOSYS;
    return n;
}

bool unimpl_probe_run(void)
{
    char buf[OPTION_LEN];
    unsigned int enosys = 0;

    if (!cmdline_option("unimpl-probe", buf, sizeof(buf)))
        return false;
    for (unsigned int r = 0; r < ROUNDS; r++)
        enosys += one_round();
    printk("unimpl-probe: %u of %u calls answered -ENOSYS\n", enosys, 6 * ROUNDS);
    return true;
}
