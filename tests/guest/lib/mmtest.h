/*
 * Tern guest tests: helpers for the memory-management tests.
 *
 * Pages come from the guest kernel's allocator (guest-kernel/kernel/mm.h), so a
 * test can give every page back and the next test starts from the same
 * state. Experiments map pages at TEST_VA, an L4 slot the kernel never
 * uses; the tables created there stay for the rest of the boot.
 * Every helper that can fail reports ERROR itself (the environment went
 * wrong, not the hypervisor under test) and returns false.
 */
#ifndef TESTS_GUEST_MMTEST_H
#define TESTS_GUEST_MMTEST_H

#include <stdbool.h>
#include "kernel/mm.h"
#include "test.h"

#define TEST_VA  0x0000100000000000UL      /* L4 slot 32 */

static inline uint64_t test_va(unsigned int i)
{
    return TEST_VA + (uint64_t)i * PAGE_SIZE;
}

static inline volatile uint64_t *test_ptr(unsigned int i)
{
    return (volatile uint64_t *)(uintptr_t)test_va(i);
}

/* The first VA of the 2 MiB (L2 entry k) or 1 GiB (L3 entry k) region k
 * of the test slot: test_va() uses region 0, so k >= 1 starts empty. */
static inline uint64_t test_va_l2(unsigned int k)
{
    return TEST_VA + ((uint64_t)k << 21);
}

static inline uint64_t test_va_l3(unsigned int k)
{
    return TEST_VA + ((uint64_t)k << 30);
}

struct test_page {
    uint64_t pfn, mfn;
    uint64_t *va;                /* in the direct map */
    bool table;                  /* made read-only by tp_alloc_table */
};

/* A zeroed page, writable in the direct map. */
bool tp_alloc(struct test_page *p);

/* A zeroed page made read-only in the direct map: it can become a table. */
bool tp_alloc_table(struct test_page *p);

/* Writable again (if it was made read-only) and back to the allocator.
 * The page must not be mapped anywhere else nor be a table any more. */
void tp_free(struct test_page *p);

/* Maps mfn at va in the current address space: as_map's answer. */
long map_at(uint64_t va, uint64_t mfn, uint64_t flags);

/* Unmaps va (reports ERROR when the hypervisor refuses). */
void unmap_at(uint64_t va);

/* Machine address of the level-n entry for va in the current space;
 * reports ERROR and returns 0 when a table above is missing. */
uint64_t entry_maddr(uint64_t va, unsigned int level);

/* Frame of the level-n table that maps va in the current space
 * (level 4: the L4 itself). */
uint64_t table_mfn(uint64_t va, unsigned int level);

/* MMUEXT_INVLPG_LOCAL of va (reports ERROR when refused). */
void invlpg(uint64_t va);

/* One mmu_update request (no pdone); returns the hypercall's answer. */
long mmu_update1(uint64_t ptr, uint64_t val);

/* One mmuext_op with a frame, for pin/unpin/baseptr/clear. */
long mmuext1(unsigned int cmd, uint64_t mfn);

/* A frame the hypervisor keeps for itself: the L3 behind one of its L4
 * slots in our L4 (readable there). Checks with the M2P that it is not
 * ours; 0 and ERROR when no such frame is found. */
uint64_t hypervisor_frame(void);

#endif /* TESTS_GUEST_MMTEST_H */
