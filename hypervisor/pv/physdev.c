/*
 * physdev.c: physdev_op (#33), a domain's access to physical devices.
 * Today one sub-op: PHYSDEVOP_set_iopl, the virtual IOPL that guest-kernel
 * in/out, cli and sti need (any domain may set it, as on Xen: what the
 * ports then reach is ioport.c's decision); every other sub-op -ENOSYS.
 * Interrupts for domain 0's drivers (map_pirq, setup_gsi, eoi) land here.
 */
#include "err.h"
#include "hypercall.h"
#include <public/physdev.h>

int64_t do_physdev_op(struct vcpu *v, const struct hypercall_args *a)
{
    struct guest_space gs;
    struct physdev_set_iopl io;

    if (a->a1 != PHYSDEVOP_set_iopl)
        return unimpl_enosys(v->domain, UNIMPL_PHYSDEV_OP, a->a1);
    vcpu_guest_space(v, &gs);
    if (copy_from_guest(&gs, &io, a->a2, sizeof(io)))
        return -EFAULT;
    if (io.iopl > 3)
        return -EINVAL;
    v->iopl = io.iopl;                       /* any domain, as on Xen: ioport.c
                                                decides what it reaches */
    return 0;
}
