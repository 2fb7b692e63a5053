/*
 * Test segment_base: set_segment_base (#25) and the FS/GS bases in kernel
 * and user mode.
 *
 * What: SEGBASE_FS sets the FS base (rdmsr FS_BASE reads it back, %fs:8
 * reads through it, and a user process sees the same FS base);
 * SEGBASE_GS_KERNEL sets the GS base used in kernel mode (rdmsr GS_BASE,
 * %gs:8); SEGBASE_GS_USER sets the one used in user mode, which is the
 * inactive one while the kernel runs (rdmsr SHADOW_GS_BASE; a user process
 * reads through it, and the kernel's is still in place afterwards);
 * SEGBASE_GS_USER_SEL with the null selector is accepted; a non-canonical
 * base and an unknown `which` are -EINVAL. Every base is 0 again at the end.
 * Why: xen-pv-abi.md 2.5, 2.6: the hypervisor swaps the two GS bases on
 * every kernel/user switch (swapgs); a guest's TLS depends on it.
 * Expected (real Xen 4.17): as above.
 */
#include "traptest.h"

static const char test_title[] = "set_segment_base: FS, kernel GS, user GS; user mode sees its own";

#define MSR_FS_BASE        0xc0000100U
#define MSR_GS_BASE        0xc0000101U
#define MSR_SHADOW_GS_BASE 0xc0000102U

extern const uint8_t __user_start[];            /* guest.ld: the user programs */

static const uint64_t kernel_words[2] = { 0x1111111111111111UL, 0xfeedfacecafebeefUL };

static uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;

    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}

/* The word at offset off of the user programs (user address USER_CODE_BASE + off). */
static uint64_t user_word(uint64_t off)
{
    return *(const uint64_t *)(uintptr_t)(__user_start + off);
}

static void test_fs(void)
{
    uint64_t base = (uint64_t)(uintptr_t)kernel_words, v;
    struct probe_run run;

    check_rc("set_segment_base(FS, kernel buffer)",
             HYPERVISOR_set_segment_base(SEGBASE_FS, base), 0);
    check_hex("rdmsr FS_BASE", rdmsr(MSR_FS_BASE), base);
    __asm__ volatile("mov %%fs:8, %0" : "=r"(v));
    check_hex("%fs:8", v, kernel_words[1]);
    check_rc("set_segment_base(FS, user code)",
             HYPERVISOR_set_segment_base(SEGBASE_FS, USER_CODE_BASE), 0);
    if (probe_run(PROBE_READ_FS, 16, &run) == 0 && check_rc("user probe: exit", run.status, 0))
        check_hex("  ... user %fs:16 (the same FS base in user mode)", run.report[0],
                  user_word(16));
    check_rc("set_segment_base(FS, 0)", HYPERVISOR_set_segment_base(SEGBASE_FS, 0), 0);
}

static void test_gs(void)
{
    uint64_t base = (uint64_t)(uintptr_t)kernel_words, v;
    struct probe_run run;

    check_rc("set_segment_base(GS_KERNEL, kernel buffer)",
             HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL, base), 0);
    check_hex("rdmsr GS_BASE", rdmsr(MSR_GS_BASE), base);
    __asm__ volatile("mov %%gs:8, %0" : "=r"(v));
    check_hex("%gs:8", v, kernel_words[1]);
    check_rc("set_segment_base(GS_USER, user code + 8)",
             HYPERVISOR_set_segment_base(SEGBASE_GS_USER, USER_CODE_BASE + 8), 0);
    check_hex("rdmsr SHADOW_GS_BASE (the inactive, user one)", rdmsr(MSR_SHADOW_GS_BASE),
              USER_CODE_BASE + 8);
    check_hex("rdmsr GS_BASE unchanged", rdmsr(MSR_GS_BASE), base);
    if (probe_run(PROBE_READ_GS, 16, &run) == 0 && check_rc("user probe: exit", run.status, 0))
        check_hex("  ... user %gs:16 (through the user GS base)", run.report[0],
                  user_word(24));
    check_hex("after user mode: rdmsr GS_BASE", rdmsr(MSR_GS_BASE), base);
    __asm__ volatile("mov %%gs:8, %0" : "=r"(v));
    check_hex("after user mode: %gs:8", v, kernel_words[1]);
    check_hex("after user mode: rdmsr SHADOW_GS_BASE", rdmsr(MSR_SHADOW_GS_BASE),
              USER_CODE_BASE + 8);
    check_rc("set_segment_base(GS_USER_SEL, null selector)",
             HYPERVISOR_set_segment_base(SEGBASE_GS_USER_SEL, 0), 0);
    test_info("rdmsr SHADOW_GS_BASE after loading the null selector: %#lx",
              rdmsr(MSR_SHADOW_GS_BASE));
}

static void test_refused(void)
{
    check_rc("set_segment_base(FS, non-canonical)",
             HYPERVISOR_set_segment_base(SEGBASE_FS, BAD_VA_NONCANONICAL), -XEN_EINVAL);
    check_rc("set_segment_base(GS_KERNEL, non-canonical)",
             HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL, BAD_VA_NONCANONICAL), -XEN_EINVAL);
    check_rc("set_segment_base(GS_USER, non-canonical)",
             HYPERVISOR_set_segment_base(SEGBASE_GS_USER, BAD_VA_NONCANONICAL), -XEN_EINVAL);
    check_rc("set_segment_base(4, 0)", HYPERVISOR_set_segment_base(4, 0), -XEN_EINVAL);
    check_hex("rdmsr FS_BASE untouched by the refusals", rdmsr(MSR_FS_BASE), 0);
}

static void test_main(void)
{
    test_fs();
    test_gs();
    test_refused();
    HYPERVISOR_set_segment_base(SEGBASE_FS, 0);
    HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL, 0);
    HYPERVISOR_set_segment_base(SEGBASE_GS_USER, 0);
    test_success(NULL);
}

const struct guest_test test_segment_base = { "segment_base", test_title, test_main };
