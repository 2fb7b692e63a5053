/*
 * unimpl_seen.c: whether a domain has been told about a number already,
 * and the names the console line uses (pure; see unimpl.h).
 *
 * Invariants: a (kind, number) is first at most once per struct, numbers
 * from UNIMPL_NUMBERS up counting as one; a kind out of range is never
 * first (nothing is written outside the bitmap).
 */
#include "unimpl.h"
#include <public/xen.h>

static unsigned int bit_of(uint64_t nr)
{
    return nr < UNIMPL_NUMBERS ? (unsigned int)nr : UNIMPL_NUMBERS;
}

bool unimpl_first(struct unimpl_seen *s, unsigned int kind, uint64_t nr)
{
    unsigned int bit = bit_of(nr);
    uint64_t mask = 1ULL << (bit % 64);
    uint64_t *word;

    if (kind >= NR_UNIMPL_KINDS)
        return false;
    word = &s->bits[kind][bit / 64];
    if (*word & mask)
        return false;
    *word |= mask;
    return true;
}

static const char *const kind_names[NR_UNIMPL_KINDS] = {
    [UNIMPL_HYPERCALL]        = "hypercall",
    [UNIMPL_MEMORY_OP]        = "memory_op",
    [UNIMPL_MMU_UPDATE]       = "mmu_update",
    [UNIMPL_MMUEXT_OP]        = "mmuext_op",
    [UNIMPL_EVENT_CHANNEL_OP] = "event_channel_op",
    [UNIMPL_VCPU_OP]          = "vcpu_op",
    [UNIMPL_SCHED_OP]         = "sched_op",
    [UNIMPL_SCHED_OP_COMPAT]  = "sched_op_compat",
    [UNIMPL_PHYSDEV_OP]       = "physdev_op",
    [UNIMPL_CONSOLE_IO]       = "console_io",
    [UNIMPL_XEN_VERSION]      = "xen_version",
    [UNIMPL_CALLBACK_OP]      = "callback_op",
    [UNIMPL_NMI_OP]           = "nmi_op",
    [UNIMPL_VM_ASSIST]        = "vm_assist",
    [UNIMPL_DOMCTL]           = "domctl",
    [UNIMPL_SYSCTL]           = "sysctl",
    [UNIMPL_GRANT_TABLE_OP]   = "grant_table_op",
    [UNIMPL_PLATFORM_OP]      = "platform_op",
};

const char *unimpl_kind_name(unsigned int kind)
{
    return kind < NR_UNIMPL_KINDS ? kind_names[kind] : "?";
}

#define NAME(x) [__HYPERVISOR_##x] = #x
static const char *const hypercall_names[] = {
    NAME(set_trap_table), NAME(mmu_update), NAME(set_gdt), NAME(stack_switch),
    NAME(set_callbacks), NAME(fpu_taskswitch), NAME(sched_op_compat), NAME(platform_op),
    NAME(set_debugreg), NAME(get_debugreg), NAME(update_descriptor), NAME(memory_op),
    NAME(multicall), NAME(update_va_mapping), NAME(set_timer_op),
    NAME(event_channel_op_compat), NAME(xen_version), NAME(console_io),
    NAME(physdev_op_compat), NAME(grant_table_op), NAME(vm_assist),
    NAME(update_va_mapping_otherdomain), NAME(iret), NAME(vcpu_op), NAME(set_segment_base),
    NAME(mmuext_op), NAME(xsm_op), NAME(nmi_op), NAME(sched_op), NAME(callback_op),
    NAME(xenoprof_op), NAME(event_channel_op), NAME(physdev_op), NAME(hvm_op), NAME(sysctl),
    NAME(domctl), NAME(kexec_op), NAME(tmem_op), NAME(argo_op), NAME(xenpmu_op), NAME(dm_op),
    NAME(hypfs_op), NAME(arch_0), NAME(arch_1), NAME(arch_2), NAME(arch_3), NAME(arch_4),
    NAME(arch_5), NAME(arch_6), NAME(arch_7),
};
#undef NAME

const char *hypercall_name(uint64_t nr)
{
    return nr < ARRAY_SIZE(hypercall_names) ? hypercall_names[nr] : NULL;
}
