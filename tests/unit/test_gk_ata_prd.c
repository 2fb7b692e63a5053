/*
 * Unit tests for guest-kernel/drivers/ata_prd.c, bus-master DMA
 * descriptors. Rules, each accepted and refused: a region is non-empty,
 * even in start and length, at most 64 KiB (65536 encoded as 0), inside
 * one 64 KiB block and below 4 GiB (no wrap); only the last entry has
 * the end-of-table bit; the table holds at most ATA_PRD_MAX; DRQ while
 * the engine is active is busy, an engine error is an error; the DMA
 * commands replace the PIO ones for the same range rules (LBA28 / EXT);
 * a list of regions (blkback's zero copy) counts every region's bytes,
 * none twice and none left out.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "drivers/ata_prd.h"

static struct ata_prd entries[ATA_PRD_MAX];
static struct ata_prd_table t;

static int setup(void **state)
{
    (void)state;
    memset(entries, 0xee, sizeof(entries));
    t = (struct ata_prd_table){ .e = entries, .n = 0 };
    return 0;
}

static void test_add_and_eot(void **state)
{
    (void)state;
    assert_int_equal(ata_prd_add(&t, 0x123000, 4096), ATA_OK);
    assert_int_equal(entries[0].addr, 0x123000);
    assert_int_equal(entries[0].count, 4096);
    assert_int_equal(entries[0].flags, ATA_PRD_EOT);
    assert_int_equal(ata_prd_add(&t, 0x456200, 512), ATA_OK);
    assert_int_equal(entries[0].flags, 0);                /* EOT moved */
    assert_int_equal(entries[1].flags, ATA_PRD_EOT);
    assert_int_equal(t.n, 2);
    assert_int_equal(ata_prd_bytes(&t), 4608);
}

static void test_regions_bytes(void **state)
{
    static const struct ata_region r[] = {
        { 0x123000, 4096 }, { 0x456200, 512 }, { 0x789000, 0x10000 } };

    (void)state;
    assert_int_equal(ata_regions_bytes(r, 0), 0);
    assert_int_equal(ata_regions_bytes(r, 1), 4096);
    assert_int_equal(ata_regions_bytes(r, 3), 4096 + 512 + 0x10000);
}

static void test_region_refusals(void **state)
{
    (void)state;
    assert_int_equal(ata_prd_add(&t, 0x1000, 0), ATA_E_RANGE);
    assert_int_equal(ata_prd_add(&t, 0x1001, 512), ATA_E_RANGE);        /* odd start */
    assert_int_equal(ata_prd_add(&t, 0x1000, 511), ATA_E_RANGE);        /* odd length */
    assert_int_equal(ata_prd_add(&t, 0xff00, 0x200), ATA_E_RANGE);      /* crosses 64 KiB */
    assert_int_equal(ata_prd_add(&t, 0xff00, 0x100), ATA_OK);           /* ends at it */
    assert_int_equal(ata_prd_add(&t, 0x10000, 0x10001), ATA_E_RANGE);   /* too long */
    assert_int_equal(ata_prd_add(&t, 0xfffff000, 0x1000), ATA_OK);      /* last page < 4 GiB */
    assert_int_equal(ata_prd_add(&t, 0x100000000ULL, 512), ATA_E_RANGE);
    assert_int_equal(ata_prd_add(&t, 0xfffffe00, 0x400), ATA_E_RANGE);  /* crosses 4 GiB */
    assert_int_equal(ata_prd_add(&t, UINT64_MAX - 1, 2), ATA_E_RANGE);  /* wraps */
    assert_int_equal(t.n, 2);
    assert_int_equal(entries[2].addr, 0xeeeeeeee);      /* nothing written on refusal */
}

static void test_full_64k(void **state)
{
    (void)state;
    assert_int_equal(ata_prd_add(&t, 0x20000, 0x10000), ATA_OK);
    assert_int_equal(entries[0].count, 0);              /* 65536 */
    assert_int_equal(ata_prd_bytes(&t), 0x10000);
}

static void test_table_full(void **state)
{
    (void)state;
    for (unsigned int i = 0; i < ATA_PRD_MAX; i++)
        assert_int_equal(ata_prd_add(&t, 0x100000 + i * 0x1000ULL, 0x1000), ATA_OK);
    assert_int_equal(ata_prd_add(&t, 0x900000, 0x1000), ATA_E_RANGE);
    assert_int_equal(entries[ATA_PRD_MAX - 1].flags, ATA_PRD_EOT);
    assert_int_equal(entries[ATA_PRD_MAX - 2].flags, 0);
}

static void test_dma_state(void **state)
{
    (void)state;
    assert_int_equal(ata_dma_state(0x58, ATA_BM_ST_ACTIVE), ATA_ST_BUSY);    /* moving */
    assert_int_equal(ata_dma_state(0x58, 0), ATA_ST_DRQ);   /* engine stopped, DRQ left */
    assert_int_equal(ata_dma_state(0x50, 0), ATA_ST_IDLE);                  /* done */
    assert_int_equal(ata_dma_state(0x50, ATA_BM_ST_ERROR), ATA_ST_ERROR);
    assert_int_equal(ata_dma_state(0x80, 0), ATA_ST_BUSY);
    assert_int_equal(ata_dma_state(0x51, 0), ATA_ST_ERROR);
    assert_int_equal(ata_dma_state(0xff, ATA_BM_ST_ACTIVE), ATA_ST_FLOATING);
}

static void test_dma_commands(void **state)
{
    struct ata_identity id = { .sectors = 1ULL << 30, .lba48 = true };
    struct ata_taskfile tf;

    (void)state;
    assert_int_equal(ata_build_dma(&id, false, false, 0, 8, &tf), ATA_OK);
    assert_int_equal(tf.command, 0xc8);
    assert_int_equal(ata_build_dma(&id, false, true, 0, 8, &tf), ATA_OK);
    assert_int_equal(tf.command, 0xca);
    assert_int_equal(ata_build_dma(&id, false, false, 1ULL << 28, 8, &tf), ATA_OK);
    assert_int_equal(tf.command, 0x25);
    assert_true(tf.lba48);
    assert_int_equal(ata_build_dma(&id, true, true, 1ULL << 28, 8, &tf), ATA_OK);
    assert_int_equal(tf.command, 0x35);
    assert_int_equal(ata_build_dma(&id, false, false, id.sectors, 1, &tf), ATA_E_RANGE);
    assert_int_equal(ata_build_dma(&id, false, true, 0, 0, &tf), ATA_E_RANGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_add_and_eot, setup),
        cmocka_unit_test_setup(test_region_refusals, setup),
        cmocka_unit_test_setup(test_full_64k, setup),
        cmocka_unit_test_setup(test_table_full, setup),
        cmocka_unit_test_setup(test_dma_state, setup),
        cmocka_unit_test_setup(test_dma_commands, setup),
        cmocka_unit_test_setup(test_regions_bytes, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
