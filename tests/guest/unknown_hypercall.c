/*
 * Test unknown_hypercall: numbers that name no hypercall.
 *
 * What: the page stubs of unused numbers 11, 43, 60 and 127; `syscall`
 * straight from guest kernel mode with rax = 128, 0xffff and 2^32 + 17.
 * Why: the dispatch table must be bounds-checked on the full number (a
 * guest controls all of rax), and an empty slot must answer, not crash.
 * Expected (real Xen 4.17): -ENOSYS for every one.
 */
#include "test.h"

static const char test_title[] = "unknown hypercall numbers via the page and via raw syscall";

static void test_main(void)
{
    static const unsigned int via_page[] = { 11, 43, 60, 127 };
    static const uint64_t via_syscall[] = { 128, 0xffff, (1ULL << 32) + 17 };
    char what[64];
    unsigned int i;

    for (i = 0; i < sizeof(via_page) / sizeof(via_page[0]); i++) {
        snprintf(what, sizeof(what), "hypercall %u via the page", via_page[i]);
        check_rc(what, hypercall_raw(via_page[i], 0, 0, 0, 0, 0), -XEN_ENOSYS);
    }
    for (i = 0; i < sizeof(via_syscall) / sizeof(via_syscall[0]); i++) {
        snprintf(what, sizeof(what), "syscall with rax = %#lx", via_syscall[i]);
        check_rc(what, hypercall_syscall(via_syscall[i], 0, 0, 0, 0, 0), -XEN_ENOSYS);
    }
    test_success(NULL);
}

const struct guest_test test_unknown_hypercall = { "unknown_hypercall", test_title, test_main };
