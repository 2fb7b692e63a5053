/*
 * Test vm_assist: hypercall 21, turning hypervisor assists on and off.
 *
 * What: enable then disable each type valid for a 64-bit PV guest; types
 * that are not valid; an unknown command with a valid and an invalid type.
 * Why: Linux enables writable_pagetables at boot and refuses to run if that
 * fails; the set of accepted types is part of the ABI.
 * Expected (real Xen 4.17, PV64_VM_ASSIST_MASK): types 0-5 and 32 -> 0
 * for enable and disable (including the 32-bit-only 4gb_segments,
 * 4gb_segments_notify and pae_extended_cr3, accepted so old kernels keep
 * working); types 6, 31, 33, 63, 64 -> -EINVAL; cmd 2 with a valid type ->
 * -ENOSYS.
 * Fact: the type is checked before the command, so an unknown command with
 * an invalid type gives -EINVAL, not -ENOSYS.
 * Every assist is left disabled, as at boot.
 */
#include "test.h"

static const char test_title[] = "vm_assist: valid and invalid types, unknown commands";

static const unsigned int valid_types[] = {
    VMASST_TYPE_4gb_segments, VMASST_TYPE_4gb_segments_notify,
    VMASST_TYPE_writable_pagetables, VMASST_TYPE_pae_extended_cr3,
    VMASST_TYPE_architectural_iopl, VMASST_TYPE_runstate_update_flag,
    VMASST_TYPE_m2p_strict,
};

static const unsigned int invalid_types[] = { 6, 31, 33, 63, 64, 0xffffffff };

static void test_main(void)
{
    char what[64];
    unsigned int i, t;

    for (i = 0; i < sizeof(valid_types) / sizeof(valid_types[0]); i++) {
        t = valid_types[i];
        snprintf(what, sizeof(what), "vm_assist(enable, type %u)", t);
        check_rc(what, HYPERVISOR_vm_assist(VMASST_CMD_enable, t), 0);
        snprintf(what, sizeof(what), "vm_assist(disable, type %u)", t);
        check_rc(what, HYPERVISOR_vm_assist(VMASST_CMD_disable, t), 0);
    }
    for (i = 0; i < sizeof(invalid_types) / sizeof(invalid_types[0]); i++) {
        t = invalid_types[i];
        snprintf(what, sizeof(what), "vm_assist(enable, type %u)", t);
        check_rc(what, HYPERVISOR_vm_assist(VMASST_CMD_enable, t), -XEN_EINVAL);
    }
    check_rc("vm_assist(cmd 2, writable_pagetables)",
             HYPERVISOR_vm_assist(2, VMASST_TYPE_writable_pagetables), -XEN_ENOSYS);
    check_rc("vm_assist(cmd 2, type 6)", HYPERVISOR_vm_assist(2, 6), -XEN_EINVAL);
    test_success(NULL);
}

const struct guest_test test_vm_assist = { "vm_assist", test_title, test_main };
