/*
 * xenpmu.c: xenpmu_op (hypercall 40), the virtual PMU, answered as Xen
 * 4.17 answers it with its default vpmu=off (pure).
 *
 * Invariant: every op, with any argument, from any domain, gets
 * -EOPNOTSUPP and nothing is read or written. Xen checks whether the
 * vPMU is enabled before it looks at the op or its argument, so that is
 * the whole answer (checked on Xen 4.17 by the guest test xenpmu_op).
 * Why not -ENOSYS: Linux asks XENPMU_init for every vCPU at boot and says
 * "VPMU disabled by hypervisor." for either, but -EOPNOTSUPP is what a
 * guest that checks the code sees on Xen: the call exists, the PMU is off.
 * Tern never gives a guest the performance counters.
 */
#include "hypercall.h"
#include "err.h"

int64_t do_xenpmu_op(struct vcpu *v, const struct hypercall_args *a)
{
    (void)v;
    (void)a;                                 /* not even the op: Xen's order */
    return -EOPNOTSUPP;
}
