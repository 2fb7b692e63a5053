/*
 * trap_table.c: set_trap_table (#0), the guest's virtual IDT.
 *
 * As on Xen: entries are read one at a time until one with address 0;
 * each replaces its vector's entry (vectors not named keep theirs); a NULL
 * table clears them all; a non-canonical handler or one inside the
 * hypervisor range is refused with -EINVAL; a code selector's RPL is
 * raised to 3 (the guest kernel runs in ring 3). Entries read before a
 * fault or a refusal stay installed, as on Xen. guest_traps.c delivers
 * traps to these handlers.
 */
#include "bounce.h"
#include "err.h"
#include "hypercall.h"

#define MAX_TRAP_ENTRIES 4096      /* Xen preempts; we refuse an endless table */

static void clear_traps(struct vcpu *v)
{
    memset(v->traps, 0, sizeof(v->traps));
}

int64_t do_set_trap_table(struct vcpu *v, const struct hypercall_args *a)
{
    struct guest_space gs;
    struct trap_info t;

    if (a->a1 == 0) {
        clear_traps(v);
        return 0;
    }
    vcpu_guest_space(v, &gs);
    for (unsigned int i = 0; i < MAX_TRAP_ENTRIES; i++) {
        if (copy_from_guest(&gs, &t, a->a1 + i * sizeof(t), sizeof(t)))
            return -EFAULT;
        if (t.address == 0)
            return 0;
        if (trap_entry_fixup(&t))
            return -EINVAL;                      /* non-canonical or the hypervisor's */
        v->traps[t.vector] = t;
    }
    return -E2BIG;
}
