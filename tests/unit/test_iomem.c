/*
 * Unit tests for hypervisor/mm/iomem.c: which machine frames are I/O
 * memory a privileged domain may map (page_types rule 11). Each rule has
 * an accepted and a refused case on a map shaped like QEMU's: RAM below
 * 640 KiB and from 1 MiB, ACPI and reserved ranges, a hole for PCI.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "iomem.h"
#include "err.h"

static const struct mem_range qemu_map[] = {
    { 0x0, 0x9fc00, MB2_MEM_RAM },
    { 0x9fc00, 0x400, 2 },                          /* EBDA: reserved */
    { 0xf0000, 0x10000, 2 },                        /* BIOS */
    { 0x100000, 0x3fee0000, MB2_MEM_RAM },          /* to 0x3ffe0000 */
    { 0x3ffe0000, 0x20000, 3 },                     /* ACPI tables */
    { 0xfffc0000, 0x40000, 2 },                     /* flash */
};

static struct iomem_policy policy;

static int setup(void **state)
{
    (void)state;
    policy = (struct iomem_policy){ qemu_map, 6, 1ULL << (40 - PAGE_SHIFT), {{0}}, 0 };
    return 0;
}

#define KIND(mfn) iomem_kind_of(&policy, (mfn))

/* Rule 3: the whole first MiB, RAM or not (BDA, EBDA, option ROMs, BIOS). */
static void test_first_mib_mappable(void **state)
{
    (void)state;
    assert_int_equal(KIND(0x0), IOMEM_MAPPABLE);
    assert_int_equal(KIND(0x9f), IOMEM_MAPPABLE);
    assert_int_equal(KIND(0xf0), IOMEM_MAPPABLE);
    assert_int_equal(KIND(0xff), IOMEM_MAPPABLE);
    assert_int_equal(KIND(0x100), IOMEM_NOT_IO);       /* the first frame after it */
}

/* Rules 4-5: RAM above 1 MiB is RAM; ACPI, reserved and holes are I/O. */
static void test_ram_and_holes(void **state)
{
    (void)state;
    assert_int_equal(KIND(0x3ffdf), IOMEM_NOT_IO);     /* last RAM frame */
    assert_int_equal(KIND(0x3ffe0), IOMEM_MAPPABLE);   /* ACPI tables */
    assert_int_equal(KIND(0x40000), IOMEM_MAPPABLE);   /* PCI hole */
    assert_int_equal(KIND(0xfebf0), IOMEM_MAPPABLE);   /* a device BAR */
    assert_int_equal(KIND(0xfffff), IOMEM_MAPPABLE);   /* flash */
    assert_int_equal(KIND(0xfd00000), IOMEM_MAPPABLE); /* above 4 GiB */
}

/* A frame only partly RAM (a range ending inside it) is RAM. */
static void test_partial_ram_frame_is_ram(void **state)
{
    static const struct mem_range odd[] = { { 0x200000, 0x1800, MB2_MEM_RAM } };

    (void)state;
    policy.map = odd;
    policy.nr_map = 1;
    assert_int_equal(KIND(0x200), IOMEM_NOT_IO);
    assert_int_equal(KIND(0x201), IOMEM_NOT_IO);
    assert_int_equal(KIND(0x202), IOMEM_MAPPABLE);
    assert_int_equal(KIND(0x1ff), IOMEM_MAPPABLE);
}

/* Rule 2: denied ranges win over every other rule, in the first MiB too,
 * and cover every frame they touch. */
static void test_denied_ranges(void **state)
{
    (void)state;
    assert_int_equal(iomem_deny(&policy, 0xfee00000, 0x100000), 0);   /* MSI */
    assert_int_equal(iomem_deny(&policy, 0xfec00000, 0x1000), 0);     /* I/O APIC */
    assert_int_equal(iomem_deny(&policy, 0xb8000, 0x8000), 0);        /* a low device */
    assert_int_equal(iomem_deny(&policy, 0x9000, 0x10), 0);           /* boot data */
    assert_int_equal(KIND(0xfee00), IOMEM_DENIED);
    assert_int_equal(KIND(0xfeeff), IOMEM_DENIED);
    assert_int_equal(KIND(0xfef00), IOMEM_MAPPABLE);
    assert_int_equal(KIND(0xfedff), IOMEM_MAPPABLE);
    assert_int_equal(KIND(0xfec00), IOMEM_DENIED);
    assert_int_equal(KIND(0xfec01), IOMEM_MAPPABLE);
    assert_int_equal(KIND(0xb7), IOMEM_MAPPABLE);
    assert_int_equal(KIND(0xb8), IOMEM_DENIED);
    assert_int_equal(KIND(0xbf), IOMEM_DENIED);
    assert_int_equal(KIND(0xc0), IOMEM_MAPPABLE);
    assert_int_equal(KIND(0x9), IOMEM_DENIED);
    assert_int_equal(KIND(0xa), IOMEM_MAPPABLE);
}

/* Rule 1: nothing at or above the CPU's physical address width. */
static void test_beyond_physical_width(void **state)
{
    (void)state;
    assert_int_equal(KIND((1ULL << 28) - 1), IOMEM_MAPPABLE);
    assert_int_equal(KIND(1ULL << 28), IOMEM_DENIED);
    assert_int_equal(KIND(UINT64_MAX >> PAGE_SHIFT), IOMEM_DENIED);
}

/* iomem_deny refuses empty and wrapping ranges and a full list; a map
 * range running to the top of the address space is cut there. */
static void test_deny_list_limits(void **state)
{
    static const struct mem_range top[] = { { 0xfffffffffffff000ULL, 0x2000, MB2_MEM_RAM } };

    (void)state;
    assert_int_equal(iomem_deny(&policy, 0x1000, 0), -EINVAL);
    assert_int_equal(iomem_deny(&policy, UINT64_MAX - 0xfff, 0x2000), -EINVAL);
    for (unsigned int i = 0; i < IOMEM_MAX_DENY; i++)
        assert_int_equal(iomem_deny(&policy, 0x100000000ULL + i * 0x2000ULL, 0x1000), 0);
    assert_int_equal(iomem_deny(&policy, 0x200000000ULL, 0x1000), -ENOSPC);
    assert_int_equal(KIND(0x100000), IOMEM_DENIED);
    policy.map = top;
    policy.nr_map = 1;
    policy.limit_mfn = UINT64_MAX;
    assert_int_equal(KIND(0xfffffffffffffULL), IOMEM_NOT_IO);
    assert_int_equal(KIND(0xffffffffffffeULL), IOMEM_MAPPABLE);
}

/* Back-to-back boot modules (ends not page-aligned) take one entry and
 * deny exactly their frames; one free frame between two keeps them apart
 * and that frame undenied; a touching range below the last merges too. */
static void test_touching_denials_merge(void **state)
{
    (void)state;
    assert_int_equal(iomem_deny(&policy, 0x1000000, 0x5c2b8), 0);      /* frames 1000-105c */
    assert_int_equal(iomem_deny(&policy, 0x105d000, 0x2f), 0);          /* frame 105d */
    assert_int_equal(iomem_deny(&policy, 0x105e000, 0x1000), 0);        /* frame 105e */
    assert_int_equal(policy.nr_deny, 1);
    assert_int_equal(iomem_deny(&policy, 0x1060000, 0x1000), 0);        /* 105f stays out */
    assert_int_equal(policy.nr_deny, 2);
    assert_int_equal(iomem_deny(&policy, 0x105f800, 0x10), 0);          /* now 105f too */
    assert_int_equal(policy.nr_deny, 2);
    assert_int_equal(KIND(0xfff), IOMEM_NOT_IO);
    for (uint64_t mfn = 0x1000; mfn <= 0x1060; mfn++)
        assert_int_equal(KIND(mfn), IOMEM_DENIED);
    assert_int_equal(KIND(0x1061), IOMEM_NOT_IO);
}

/* A gap of one frame is not bridged. */
static void test_gap_not_merged(void **state)
{
    (void)state;
    assert_int_equal(iomem_deny(&policy, 0x1000000, 0x1000), 0);
    assert_int_equal(iomem_deny(&policy, 0x1002000, 0x1000), 0);
    assert_int_equal(policy.nr_deny, 2);
    assert_int_equal(KIND(0x1001), IOMEM_NOT_IO);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_first_mib_mappable, setup),
        cmocka_unit_test_setup(test_touching_denials_merge, setup),
        cmocka_unit_test_setup(test_gap_not_merged, setup),
        cmocka_unit_test_setup(test_ram_and_holes, setup),
        cmocka_unit_test_setup(test_partial_ram_frame_is_ram, setup),
        cmocka_unit_test_setup(test_denied_ranges, setup),
        cmocka_unit_test_setup(test_beyond_physical_width, setup),
        cmocka_unit_test_setup(test_deny_list_limits, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
