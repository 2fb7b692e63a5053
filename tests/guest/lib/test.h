/*
 * Tern guest tests: what every test file includes.
 *
 * A test is one file tests/guest/<name>.c with a header comment (what is
 * tested, why, the expected outcome), a `test_title`, a `test_main()` and
 * one `const struct guest_test test_<name>` that runner.c lists.
 * test_main() reports through report.h and ends with test_success(NULL)
 * (which cannot undo an earlier failure).
 */
#ifndef TESTS_GUEST_TEST_H
#define TESTS_GUEST_TEST_H

#include <stddef.h>
#include <stdint.h>
#include <public/errno.h>
#include <public/xen.h>
#include "xen/hypercall.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "report.h"

struct guest_test {
    const char *name;        /* what test=NAME selects */
    const char *title;       /* one line: what it checks */
    void (*main)(void);
};

/* Guest addresses no hypercall may accept as a buffer:
 * NONCANONICAL  bits 47-63 not a sign extension;
 * UNMAPPED      a low guest address the builder never maps (everything it
 *               maps lies at VIRT_BASE and above);
 * HYPERVISOR    the read-only M2P: the guest can read it, but it lies in
 *               the hypervisor's range, which is never a valid buffer. */
#define BAD_VA_NONCANONICAL  0x8000000000000000ULL
#define BAD_VA_UNMAPPED      0x0000000000001000ULL
#define BAD_VA_HYPERVISOR    MACH2PHYS_VIRT_START

static inline void *bad_ptr(uint64_t va)
{
    return (void *)(uintptr_t)va;
}

#endif /* TESTS_GUEST_TEST_H */
