/*
 * physdev.c: physdev_op (#33), a domain's access to physical devices.
 * Decode as event_channel_op.c does: one table says, per sub-command, how
 * many bytes of argument are copied in, whether they go back out, and
 * what runs on the copy; a sub-command without an entry gets -ENOSYS
 * before guest memory is touched. Every size is that of a member of
 * union physdev_args, so no copy overruns it.
 *
 * set_iopl is any domain's (ioport.c decides what the ports reach); the
 * pirq sub-commands are pirq_glue.c's (pirq.h has their rules);
 * alloc_irq_vector answers the IRQ itself, as Xen does (vectors are the
 * hypervisor's); apic_read/apic_write: the I/O APICs are the
 * hypervisor's alone, so -EPERM for every domain (Linux then assumes a
 * plain I/O APIC).
 */
#include "err.h"
#include "hypercall.h"
#include "pirq_glue.h"
#include "vcpu_copy.h"
#include <public/physdev.h>

union physdev_args {
    struct physdev_set_iopl set_iopl;
    struct physdev_map_pirq map_pirq;
    struct physdev_unmap_pirq unmap_pirq;
    struct physdev_setup_gsi setup_gsi;
    struct physdev_irq_status_query status;
    struct physdev_eoi eoi;
    struct physdev_irq irq;
    struct physdev_apic apic;
};

typedef int (*physdev_fn)(struct vcpu *v, union physdev_args *u);

struct physdev_cmd {
    size_t size;                 /* bytes of argument copied in */
    bool copy_back;              /* the same bytes go back out (see below) */
    physdev_fn fn;               /* NULL: no such command */
};

static int op_set_iopl(struct vcpu *v, union physdev_args *u)
{
    if (u->set_iopl.iopl > 3)
        return -EINVAL;
    v->iopl = u->set_iopl.iopl;  /* any domain, as on Xen */
    return 0;
}

static int op_map_pirq(struct vcpu *v, union physdev_args *u)
{
    return pirq_op_map(v, &u->map_pirq);
}

static int op_unmap_pirq(struct vcpu *v, union physdev_args *u)
{
    return pirq_op_unmap(v, &u->unmap_pirq);
}

static int op_setup_gsi(struct vcpu *v, union physdev_args *u)
{
    return pirq_op_setup_gsi(v, &u->setup_gsi);
}

static int op_status(struct vcpu *v, union physdev_args *u)
{
    return pirq_op_status(v, &u->status);
}

static int op_eoi(struct vcpu *v, union physdev_args *u)
{
    return pirq_op_eoi(v, &u->eoi);
}

static int op_alloc_irq_vector(struct vcpu *v, union physdev_args *u)
{
    if (!v->domain->privileged)
        return -EPERM;
    u->irq.vector = u->irq.irq;
    return 0;
}

static int op_apic(struct vcpu *v, union physdev_args *u)
{
    (void)v;
    (void)u;
    return -EPERM;
}

#define ARG(m) sizeof(((union physdev_args *)NULL)->m)

/* map_pirq goes back even on failure, as Xen copies it out regardless. */
static const struct physdev_cmd physdev_cmds[] = {
    [PHYSDEVOP_irq_status_query] = { ARG(status),     true,  op_status },
    [PHYSDEVOP_set_iopl]         = { ARG(set_iopl),   false, op_set_iopl },
    [PHYSDEVOP_apic_read]        = { ARG(apic),       false, op_apic },
    [PHYSDEVOP_apic_write]       = { ARG(apic),       false, op_apic },
    [PHYSDEVOP_alloc_irq_vector] = { ARG(irq),        true,  op_alloc_irq_vector },
    [PHYSDEVOP_eoi]              = { ARG(eoi),        false, op_eoi },
    [PHYSDEVOP_map_pirq]         = { ARG(map_pirq),   true,  op_map_pirq },
    [PHYSDEVOP_unmap_pirq]       = { ARG(unmap_pirq), false, op_unmap_pirq },
    [PHYSDEVOP_setup_gsi]        = { ARG(setup_gsi),  false, op_setup_gsi },
};
#undef ARG

int64_t do_physdev_op(struct vcpu *v, const struct hypercall_args *a)
{
    const struct physdev_cmd *c = a->a1 < ARRAY_SIZE(physdev_cmds) ? &physdev_cmds[a->a1]
                                                                   : NULL;
    union physdev_args u;
    int rc;

    if (!c || !c->fn)
        return unimpl_enosys(v->domain, UNIMPL_PHYSDEV_OP, a->a1);
    if (vcpu_copy_from(v, &u, a->a2, c->size))
        return -EFAULT;
    rc = c->fn(v, &u);
    if (c->copy_back && (rc == 0 || a->a1 == PHYSDEVOP_map_pirq) &&
        vcpu_copy_to(v, a->a2, &u, c->size))
        return -EFAULT;
    return rc;
}
