/*
 * Test trap_table_hostile: trap tables and callbacks a hostile kernel
 * registers.
 *
 * What:
 *  - a trap table of 32 entries, every handler non-canonical: -EINVAL,
 *    and the kernel's own handlers still work afterwards (int3 reaches
 *    our #BP handler);
 *  - a table whose third entry is non-canonical: -EINVAL, the two entries
 *    before it are installed (int $0x41 and $0x42 reach them), the third
 *    vector is not (int $0x43: #GP);
 *  - a handler inside the hypervisor's range (canonical): what Xen says;
 *  - callback_op register: a non-canonical address is -EINVAL, an unknown
 *    type -ENOSYS; unregistering anything but the NMI callback is -EINVAL;
 *    an unknown callback_op or nmi_op command is -ENOSYS; set_callbacks
 *    returns 0 even when one address is non-canonical (Xen registers each
 *    of the three on its own and ignores a refusal); a hypervisor-range
 *    address: what Xen says.
 * The kernel's table and callbacks are put back at the end (traps_init).
 * Why: these are the inputs through which a guest could aim the CPU at
 * the hypervisor or at garbage (xen-pv-abi.md 2.1, 2.3).
 * Expected (real Xen 4.17): as above; Xen checks only that addresses are
 * canonical, so hypervisor-range handlers and callbacks are accepted (0).
 */
#include "traptest.h"

static const char test_title[] = "hostile trap tables and callbacks: refused, contained";

#define NONCANON(i) (0x8000000000000000UL + (i) * 16)
#define HV_TEXT     0xffff82d040000000UL       /* where Xen's (and Tern's) code lives */

static void test_all_noncanonical(void)
{
    struct trap_info t[33];
    struct trap_site s;
    uint64_t n;

    for (unsigned int i = 0; i < 32; i++)
        t[i] = (struct trap_info){ .vector = (uint8_t)i, .cs = FLAT_KERNEL_CS,
                                   .address = NONCANON(i) };
    t[32] = (struct trap_info){ .address = 0 };
    check_rc("set_trap_table(32 non-canonical handlers)", HYPERVISOR_set_trap_table(t),
             -XEN_EINVAL);
    n = traps_seen();
    TRAP_AT(s, "", "int3");
    check_kernel_trap("int3 still reaches the kernel's handler", n, X86_BP, 0, s, true);
}

static void test_partial(void)
{
    struct trap_info t[] = {
        trap_entry(0x41, 3), trap_entry(0x42, 3),
        { .vector = 0x43, .flags = 3, .cs = FLAT_KERNEL_CS, .address = NONCANON(1) },
        trap_entry(0x44, 3),
        { .address = 0 },
    };
    struct trap_site s;
    uint64_t n;

    check_rc("set_trap_table(2 good, 1 non-canonical, 1 good)",
             HYPERVISOR_set_trap_table(t), -XEN_EINVAL);
    n = traps_seen();
    TRAP_AT(s, "", "int $0x41");
    check_kernel_trap("int $0x41 (entry before the bad one)", n, 0x41, 0, s, true);
    n = traps_seen();
    TRAP_AT(s, "", "int $0x42");
    check_kernel_trap("int $0x42 (entry before the bad one)", n, 0x42, 0, s, true);
    n = traps_seen();
    FAULT_AT(s, "", "int $0x43");
    check_kernel_trap("int $0x43 (the bad entry: not installed)", n, X86_GP,
                      (0x43 << 3) | 2, s, true);
    n = traps_seen();
    FAULT_AT(s, "", "int $0x44");
    check_kernel_trap("int $0x44 (after the bad one: not read)", n, X86_GP,
                      (0x44 << 3) | 2, s, true);
}

static void test_hypervisor_handler(void)
{
    struct trap_info t[] = {
        { .vector = 0x45, .flags = 0, .cs = FLAT_KERNEL_CS, .address = HV_TEXT },
        { .address = 0 },
    };

    check_rc("set_trap_table(handler in the hypervisor's range, never raised)",
             HYPERVISOR_set_trap_table(t), 0);
}

static long reg_callback(uint16_t type, uint64_t address)
{
    struct callback_register cb = { .type = type, .flags = 0, .address = address };

    return HYPERVISOR_callback_op(CALLBACKOP_register, &cb);
}

static long unreg_callback(uint16_t type)
{
    struct callback_unregister cb = { .type = type };

    return HYPERVISOR_callback_op(CALLBACKOP_unregister, &cb);
}

static void test_callbacks(void)
{
    uint64_t good = (uint64_t)(uintptr_t)event_callback_entry;
    struct xennmi_callback nmi = { .handler_address = (uint64_t)(uintptr_t)nmi_callback_entry };

    check_rc("callback_op(register event, non-canonical)",
             reg_callback(CALLBACKTYPE_event, NONCANON(0)), -XEN_EINVAL);
    check_rc("callback_op(register syscall, non-canonical)",
             reg_callback(CALLBACKTYPE_syscall, NONCANON(1)), -XEN_EINVAL);
    check_rc("callback_op(register type 6)", reg_callback(6, good), -XEN_ENOSYS);
    check_rc("callback_op(register type 100)", reg_callback(100, good), -XEN_ENOSYS);
    check_rc("callback_op(register failsafe, hypervisor range)",
             reg_callback(CALLBACKTYPE_failsafe, HV_TEXT), 0);
    check_rc("callback_op(unregister event)", unreg_callback(CALLBACKTYPE_event), -XEN_EINVAL);
    check_rc("callback_op(unregister syscall)", unreg_callback(CALLBACKTYPE_syscall),
             -XEN_EINVAL);
    check_rc("callback_op(unregister NMI)", unreg_callback(CALLBACKTYPE_nmi), 0);
    check_rc("callback_op(cmd 2)", HYPERVISOR_callback_op(2, NULL), -XEN_ENOSYS);
    check_rc("callback_op(register, unmapped argument)",
             HYPERVISOR_callback_op(CALLBACKOP_register, bad_ptr(BAD_VA_UNMAPPED)), -XEN_EFAULT);
    check_rc("nmi_op(register)", HYPERVISOR_nmi_op(XENNMI_register_callback, &nmi), 0);
    check_rc("nmi_op(unregister)", HYPERVISOR_nmi_op(XENNMI_unregister_callback, NULL), 0);
    check_rc("nmi_op(cmd 2)", HYPERVISOR_nmi_op(2, NULL), -XEN_ENOSYS);
    check_rc("set_callbacks(good, good, non-canonical): Xen ignores each refusal",
             HYPERVISOR_set_callbacks(good, good, NONCANON(2)), 0);
    check_rc("set_callbacks(good, good, good)", HYPERVISOR_set_callbacks(good, good, good), 0);
}

static void test_main(void)
{
    test_all_noncanonical();
    test_partial();
    test_hypervisor_handler();
    test_callbacks();
    traps_init();                 /* the kernel's own table and callbacks again */
    test_success(NULL);
}

const struct guest_test test_trap_table_hostile = {
    "trap_table_hostile", test_title, test_main
};
