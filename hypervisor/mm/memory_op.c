/*
 * memory_op.c: memory_op (#12), the queries a booting PV kernel makes.
 * The low 6 bits of cmd are the sub-op (the rest is a continuation offset
 * for the batched sub-ops, in memory_reservation.c).
 */
#include "err.h"
#include "hypercall.h"
#include "memory_setup.h"
#include "memory_op.h"
#include "vcpu_copy.h"
#include <asm/paging.h>
#include <public/memory.h>

/* The domain a domid_t argument names, as the caller may see it. */
static int64_t lookup_domain(struct vcpu *v, uint64_t arg, struct domain **out)
{
    domid_t id;

    if (vcpu_copy_from(v, &id, arg, sizeof(id)))
        return -EFAULT;
    if (id == DOMID_SELF || id == v->domain->id) {
        *out = v->domain;
        return 0;
    }
    if (!v->domain->privileged)
        return -EPERM;
    return -ESRCH;                         /* only one domain exists yet */
}

static int64_t reservation(struct vcpu *v, uint64_t arg, bool maximum)
{
    struct domain *d;
    int64_t rc = lookup_domain(v, arg, &d);

    if (rc)
        return rc;
    return (int64_t)(maximum ? d->max_pages : d->nr_pages);
}

/* A PV domain's pseudo-physical map, as xl sets it for a PV domain
 * (libxl's xc_domain_set_memmap_limit): one RAM entry from pfn 0 up to
 * how far the domain may grow (max_mem=), so a kernel started with less
 * (mem=) finds the rest as room to balloon into. As Xen, the answer
 * holds min(asked, 1) entries: a buffer of none is told none. */
static int64_t memory_map(struct vcpu *v, uint64_t arg)
{
    struct xen_memory_map map;
    struct xen_e820_entry e = { 0, v->domain->max_pages << PAGE_SHIFT, E820_RAM };

    if (vcpu_copy_from(v, &map, arg, sizeof(map)))
        return -EFAULT;
    map.nr_entries = MIN(map.nr_entries, 1u);
    if (map.nr_entries && vcpu_copy_to(v, map.buffer, &e, sizeof(e)))
        return -EFAULT;
    return vcpu_copy_to(v, arg, &map, sizeof(map));
}

/* The host's map for a privileged domain (Linux's domain 0 reads it to
 * find its ACPI tables and device memory), as Xen: -EPERM to others, a
 * buffer that cannot hold every entry and one more -EINVAL. Unlike Xen,
 * the I/O memory the domain may map is not added to it. */
static int64_t machine_memory_map(struct vcpu *v, uint64_t arg)
{
    struct xen_memory_map map;
    unsigned int nr;
    const struct mem_range *r = host_memory_map(&nr);

    if (!v->domain->privileged)
        return -EPERM;
    if (vcpu_copy_from(v, &map, arg, sizeof(map)))
        return -EFAULT;
    if (map.nr_entries < nr + 1)
        return -EINVAL;
    for (unsigned int i = 0; i < nr; i++) {
        struct xen_e820_entry e = { r[i].base, r[i].len, r[i].type };

        if (vcpu_copy_to(v, map.buffer + i * sizeof(e), &e, sizeof(e)))
            return -EFAULT;
    }
    map.nr_entries = nr;
    return vcpu_copy_to(v, arg, &map, sizeof(map));
}

static int64_t machphys_mapping(struct vcpu *v, uint64_t arg)
{
    const struct xen_machphys_mapping m = {
        MACH2PHYS_VIRT_START, MACH2PHYS_VIRT_START + m2p_size() * sizeof(uint64_t),
        m2p_size() - 1,
    };

    return vcpu_copy_to(v, arg, &m, sizeof(m));
}

int64_t do_memory_op(struct vcpu *v, const struct hypercall_args *a)
{
    uint64_t cmd = a->a1 & MEMOP_CMD_MASK;

    switch (cmd) {
    case XENMEM_increase_reservation:
    case XENMEM_decrease_reservation:
    case XENMEM_populate_physmap:     return memory_reservation(v, a->a1, a->a2);
    case XENMEM_maximum_ram_page:     return (int64_t)machine_frames.nr_frames;
    case XENMEM_current_reservation:  return reservation(v, a->a2, false);
    case XENMEM_maximum_reservation:  return reservation(v, a->a2, true);
    case XENMEM_memory_map:           return memory_map(v, a->a2);
    case XENMEM_machine_memory_map:   return machine_memory_map(v, a->a2);
    case XENMEM_machphys_mapping:     return machphys_mapping(v, a->a2);
    case XENMEM_exchange:             return memory_exchange(v, a->a2);
    default:                          return unimpl_enosys(v->domain, UNIMPL_MEMORY_OP, cmd);
    }
}
