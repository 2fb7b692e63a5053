/*
 * Test set_trap_table: hypercall 0, installing the virtual IDT.
 *
 * What: a valid table ended by a zero entry; an empty table (just the
 * terminator); NULL; non-canonical, unmapped and hypervisor-range table
 * pointers; an entry whose handler address is not canonical.
 * No trap is raised: this only checks what the hypercall accepts. The
 * table is cleared (NULL) at the end, as the kernel has none.
 * Why: the trap table is the first thing XTF and Mini-OS install, and the
 * hypervisor reads an unbounded guest array for it.
 * Expected (real Xen 4.17): valid -> 0, empty -> 0, NULL -> 0 (clears the
 * table), bad table pointers -> -EFAULT, non-canonical handler -> -EINVAL.
 */
#include "test.h"

static const char test_title[] = "set_trap_table: valid, empty, NULL, bad pointers, bad handler";

/* Never entered: no trap is raised while the test's table is installed. */
static void trap_handler_unused(void)
{
    panic("set_trap_table test: a trap reached the test's dummy handler");
}

static void test_main(void)
{
    uint64_t handler = (uint64_t)(uintptr_t)trap_handler_unused;
    struct trap_info table[] = {
        { .vector = 3, .flags = 3, .cs = FLAT_KERNEL_CS, .address = handler },
        { .vector = 14, .flags = TI_IF, .cs = FLAT_KERNEL_CS, .address = handler },
        { .vector = 0, .flags = 0, .cs = 0, .address = 0 },
    };
    struct trap_info bad_handler[] = {
        { .vector = 6, .flags = 0, .cs = FLAT_KERNEL_CS, .address = BAD_VA_NONCANONICAL },
        { .vector = 0, .flags = 0, .cs = 0, .address = 0 },
    };

    check_rc("set_trap_table(valid table of 2)", HYPERVISOR_set_trap_table(table), 0);
    check_rc("set_trap_table(empty table)", HYPERVISOR_set_trap_table(&table[2]), 0);
    check_rc("set_trap_table(NULL)", HYPERVISOR_set_trap_table(NULL), 0);
    check_rc("set_trap_table(non-canonical pointer)",
             HYPERVISOR_set_trap_table(bad_ptr(BAD_VA_NONCANONICAL)), -XEN_EFAULT);
    check_rc("set_trap_table(unmapped pointer)",
             HYPERVISOR_set_trap_table(bad_ptr(BAD_VA_UNMAPPED)), -XEN_EFAULT);
    check_rc("set_trap_table(hypervisor-range pointer)",
             HYPERVISOR_set_trap_table(bad_ptr(BAD_VA_HYPERVISOR)), -XEN_EFAULT);
    check_rc("set_trap_table(non-canonical handler)",
             HYPERVISOR_set_trap_table(bad_handler), -XEN_EINVAL);
    check_rc("set_trap_table(NULL) to clean up", HYPERVISOR_set_trap_table(NULL), 0);
    test_success(NULL);
}

const struct guest_test test_set_trap_table = { "set_trap_table", test_title, test_main };
