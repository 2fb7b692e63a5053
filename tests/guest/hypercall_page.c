/*
 * Test hypercall_page: the builder filled the hypercall page as documented.
 *
 * What: every 32-byte stub n (0..127) of the page named by the
 * HYPERCALL_PAGE note. For n != 23: push %rcx; push %r11; mov $n,%eax;
 * syscall; pop %r11; pop %rcx; ret, then 0xCC up to 32 bytes. For n = 23
 * (iret): push %rcx; push %r11; push %rax; mov $23,%eax; syscall, then 0xCC.
 * Why: every other test goes through these stubs, and a guest may rely on
 * the exact bytes (XTF checks that the page was written; stubs must keep rcx
 * and r11). Expected: all 128 stubs match (they do on Xen 4.17).
 */
#include "test.h"

static const char test_title[] = "the builder's hypercall page holds the documented stubs";

/* Builds the expected 32 bytes of stub n. */
static void expected_stub(unsigned int n, uint8_t *s)
{
    static const uint8_t tail[] = { 0x0f, 0x05, 0x41, 0x5b, 0x59, 0xc3 };
    unsigned int i = 0;

    memset(s, 0xcc, HYPERCALL_STUB_SIZE);
    s[i++] = 0x51;                      /* push %rcx */
    s[i++] = 0x41;                      /* push %r11 */
    s[i++] = 0x53;
    if (n == __HYPERVISOR_iret)
        s[i++] = 0x50;                  /* push %rax */
    s[i++] = 0xb8;                      /* mov $n, %eax */
    s[i++] = (uint8_t)n;
    s[i++] = 0;
    s[i++] = 0;
    s[i++] = 0;
    if (n == __HYPERVISOR_iret) {
        s[i++] = 0x0f;                  /* syscall; never returns */
        s[i++] = 0x05;
        return;
    }
    memcpy(&s[i], tail, sizeof(tail));  /* syscall; pop %r11; pop %rcx; ret */
}

static void test_main(void)
{
    uint8_t want[HYPERCALL_STUB_SIZE];
    unsigned int n, bad = 0;

    for (n = 0; n < HYPERCALL_PAGE_STUBS; n++) {
        const uint8_t *got = &hypercall_page[n * HYPERCALL_STUB_SIZE];

        expected_stub(n, want);
        if (memcmp(got, want, sizeof(want)) != 0) {
            if (bad++ < 4)
                test_failure("stub %u differs: first bytes %02x %02x %02x %02x %02x",
                             n, got[0], got[1], got[2], got[3], got[4]);
        }
    }
    if (bad)
        test_failure("%u of %u stubs differ from the documented bytes", bad,
                     HYPERCALL_PAGE_STUBS);
    else
        test_success("all %u stubs match (stub 23 is the iret stub)",
                     HYPERCALL_PAGE_STUBS);
}

const struct guest_test test_hypercall_page = { "hypercall_page", test_title, test_main };
