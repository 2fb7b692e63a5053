/*
 * test_cpuid_policy.c: what a PV guest's forced CPUID says
 * (hypervisor/pv/cpuid_policy.c), for a CPU that offers everything and
 * one that offers nothing.
 *
 * Why: a guest told of superpages, global pages, MTRRs or XSAVE builds on
 * them and fails (Linux 6.1 panics after its superpage updates are
 * refused); a guest told of VT-x or SVM may try them. Every bit the policy
 * hides must stay hidden, every other bit must pass through unchanged, and
 * nothing may be invented on a CPU that lacks it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "cpuid_policy.h"

#define ALL  0xffffffffu
#define B(n) (1u << (n))

static struct cpuid_leaf ask(uint32_t leaf, uint32_t subleaf, uint32_t fill)
{
    struct cpuid_leaf c = { fill, fill, fill, fill };

    cpuid_policy(leaf, subleaf, &c);
    return c;
}

static void test_leaf1_hidden_and_kept(void **state)
{
    struct cpuid_leaf c = ask(1, 0, ALL);

    (void)state;
    /* hidden: PSE MTRR PGE PSE36; MONITOR VMX SMX FMA PCID XSAVE OSXSAVE AVX */
    assert_int_equal(c.edx & (B(3) | B(12) | B(13) | B(17)), 0);
    assert_int_equal(c.ecx & (B(3) | B(5) | B(6) | B(12) | B(17) | B(26) | B(27) | B(28)), 0);
    /* kept: FPU TSC MSR PAE CX8 APIC PAT CLFLUSH SSE SSE2; SSE3 SSSE3 CX16 */
    assert_int_equal(c.edx, ALL & ~(B(3) | B(12) | B(13) | B(17)));
    assert_int_equal(c.ecx, ALL & ~(B(3) | B(5) | B(6) | B(12) | B(17) | B(26) | B(27) | B(28)));
    assert_int_equal(c.eax, ALL);
    assert_int_equal(c.ebx, ALL);
}

static void test_leaf1_hypervisor_bit_only_addition(void **state)
{
    struct cpuid_leaf c = ask(1, 0, 0);

    (void)state;
    assert_int_equal(c.ecx, B(31));
    assert_int_equal(c.edx, 0);
    assert_int_equal(c.eax | c.ebx, 0);
}

static void test_extended_leaf(void **state)
{
    struct cpuid_leaf c = ask(0x80000001, 0, ALL);

    (void)state;
    assert_int_equal(c.edx, ALL & ~B(26));            /* PDPE1GB hidden, NX/LM kept */
    assert_int_equal(c.ecx, ALL & ~B(2));             /* SVM hidden */
    c = ask(0x80000001, 0, 0);
    assert_int_equal(c.eax | c.ebx | c.ecx | c.edx, 0);
}

static void test_leaf7_avx_roots(void **state)
{
    struct cpuid_leaf c = ask(7, 0, ALL);

    (void)state;
    /* AVX2 AVX512F; FSGSBASE SMEP INVPCID SMAP */
    assert_int_equal(c.ebx, ALL & ~(B(5) | B(16) | B(0) | B(7) | B(10) | B(20)));
    /* UMIP PKU OSPKE CET_SS LA57 */
    assert_int_equal(c.ecx, ALL & ~(B(2) | B(3) | B(4) | B(7) | B(16)));
    assert_int_equal(c.edx, ALL & ~B(20));            /* CET_IBT */
    assert_int_equal(c.eax, ALL);
    c = ask(7, 1, ALL);                               /* another subleaf: unchanged */
    assert_int_equal(c.ebx, ALL);
    assert_int_equal(c.ecx, ALL);
}

static void test_xsave_leaf_empty(void **state)
{
    struct cpuid_leaf c;

    (void)state;
    for (uint32_t sub = 0; sub < 4; sub++) {
        c = ask(0xd, sub, ALL);
        assert_int_equal(c.eax | c.ebx | c.ecx | c.edx, 0);
    }
}

static void test_other_leaves_pass_through(void **state)
{
    static const uint32_t leaves[] = { 0, 2, 4, 0xb, 0x80000000, 0x80000008, 0x3fffffff,
                                       0x40000100 };
    struct cpuid_leaf c;

    (void)state;
    for (size_t i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++) {
        c = ask(leaves[i], 0, 0x12345678);
        assert_int_equal(c.eax, 0x12345678);
        assert_int_equal(c.edx, 0x12345678);
    }
}

static void test_xen_leaves(void **state)
{
    struct cpuid_leaf c = ask(0x40000000, 0, ALL);

    (void)state;
    assert_int_equal(c.eax, 0x40000005);
    assert_int_equal(c.ebx, 0x566e6558);              /* "XenV" */
    assert_int_equal(c.ecx, 0x65584d4d);              /* "MMXe" */
    assert_int_equal(c.edx, 0x4d4d566e);              /* "nVMM" */
    c = ask(0x40000001, 0, ALL);
    assert_int_equal(c.eax, (4 << 16) | 17);
    assert_int_equal(c.ebx | c.ecx | c.edx, 0);
    c = ask(0x40000002, 0, ALL);
    assert_int_equal(c.eax, 1);
    assert_int_equal(c.ebx, 0x40000000);
    c = ask(0x400000ff, 0, ALL);                      /* the CPU's bits never leak here */
    assert_int_equal(c.eax | c.ebx | c.ecx | c.edx, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_leaf1_hidden_and_kept),
        cmocka_unit_test(test_leaf1_hypervisor_bit_only_addition),
        cmocka_unit_test(test_extended_leaf),
        cmocka_unit_test(test_leaf7_avx_roots),
        cmocka_unit_test(test_xsave_leaf_empty),
        cmocka_unit_test(test_other_leaves_pass_through),
        cmocka_unit_test(test_xen_leaves),
    };

    return cmocka_run_group_tests_name("cpuid_policy", tests, NULL, NULL);
}
