/*
 * Unit tests for guest-kernel/blk/mbr.c, the MBR partition table blkback
 * serves partitions from. Rules, each accepted and refused: the 0x55 0xaa
 * signature; a used entry's boot flag 0x00 or 0x80; no GPT protective
 * entry; a used entry non-empty, after sector 0, inside the disk (32-bit
 * fields near their top do not wrap); no two used entries overlap
 * (touching is fine, extended entries count); the entry asked for is
 * 1..4, used, not extended; a malformed entry refuses the whole table,
 * even when the entry asked for is sound.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "blk/mbr.h"

#define DISK 131072u               /* 64 MiB */

static uint8_t sec[MBR_SECTOR];
static struct mbr_part p;

static void put32(uint8_t *q, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        q[i] = (uint8_t)(v >> (8 * i));
}

static void set(unsigned int n, uint8_t flag, uint8_t type, uint32_t first, uint32_t count)
{
    uint8_t *e = sec + MBR_TABLE + (n - 1) * MBR_ENTRY;

    memset(e, 0, MBR_ENTRY);
    e[0] = flag;
    e[1] = 0xfe;                   /* CHS junk: ignored */
    e[4] = type;
    put32(e + 8, first);
    put32(e + 12, count);
}

/* Two partitions, an extended one, one unused. */
static int setup(void **state)
{
    (void)state;
    memset(sec, 0xcc, sizeof(sec));             /* boot code: anything */
    memset(sec + MBR_TABLE, 0, 4 * MBR_ENTRY);
    sec[510] = 0x55;
    sec[511] = 0xaa;
    set(1, 0x80, 0x83, 2048, 4096);
    set(2, 0x00, 0x83, 8192, 4096);
    set(3, 0x00, 0x05, 16384, 8192);
    memset(&p, 0, sizeof(p));
    return 0;
}

static int part(unsigned int n)
{
    return mbr_partition(sec, DISK, n, &p);
}

static void good_table(void **state)
{
    (void)state;
    assert_int_equal(part(1), MBR_OK);
    assert_int_equal(p.first, 2048);
    assert_int_equal(p.count, 4096);
    assert_int_equal(p.type, 0x83);
    assert_int_equal(part(2), MBR_OK);
    assert_int_equal(p.first, 8192);
    assert_int_equal(p.count, 4096);
}

static void signature(void **state)
{
    (void)state;
    sec[511] = 0xab;
    assert_int_equal(part(1), MBR_E_SIGNATURE);
    sec[511] = 0xaa;
    sec[510] = 0;
    assert_int_equal(part(1), MBR_E_SIGNATURE);
}

static void boot_flag(void **state)
{
    (void)state;
    set(2, 0x81, 0x83, 8192, 4096);
    assert_int_equal(part(1), MBR_E_BOOT_FLAG);    /* the table, not just entry 2 */
    set(4, 0x7f, 0, 0, 0);                          /* unused: its flag is not read */
    set(2, 0x00, 0x83, 8192, 4096);
    assert_int_equal(part(1), MBR_OK);
}

static void gpt(void **state)
{
    (void)state;
    set(4, 0x00, MBR_TYPE_GPT, 1, DISK - 1);
    set(1, 0, 0, 0, 0);
    set(2, 0, 0, 0, 0);
    set(3, 0, 0, 0, 0);
    assert_int_equal(part(4), MBR_E_GPT);
}

static void sizes(void **state)
{
    (void)state;
    set(4, 0x00, 0x83, 40000, 0);
    assert_int_equal(part(1), MBR_E_EMPTY);
    set(4, 0x00, 0x83, 0, 1024);
    assert_int_equal(part(1), MBR_E_AT_ZERO);
    set(4, 0x00, 0x83, DISK - 8, 8);                /* the last sectors: fine */
    assert_int_equal(part(4), MBR_OK);
    set(4, 0x00, 0x83, DISK - 8, 9);
    assert_int_equal(part(1), MBR_E_BEYOND);
    set(4, 0x00, 0x83, DISK, 1);
    assert_int_equal(part(1), MBR_E_BEYOND);
    set(4, 0x00, 0x83, 0xffffffffu, 0xffffffffu);   /* would wrap in 32 bits */
    assert_int_equal(mbr_partition(sec, 0xffffffffULL, 1, &p), MBR_E_BEYOND);
}

static void overlaps(void **state)
{
    (void)state;
    set(2, 0x00, 0x83, 6143, 4096);                 /* one sector into entry 1 */
    assert_int_equal(part(1), MBR_E_OVERLAP);
    set(2, 0x00, 0x83, 6144, 2048);                 /* touching: fine */
    assert_int_equal(part(2), MBR_OK);
    set(2, 0x00, 0x83, 2048, 4096);                 /* the same range */
    assert_int_equal(part(1), MBR_E_OVERLAP);
    set(2, 0x00, 0x83, 1024, 20000);                /* around entry 1 */
    assert_int_equal(part(1), MBR_E_OVERLAP);
    set(2, 0x00, 0x83, 8192, 4096);
    set(4, 0x00, 0x83, 20000, 100);                 /* inside the extended one */
    assert_int_equal(part(1), MBR_E_OVERLAP);
}

static void which_entry(void **state)
{
    (void)state;
    assert_int_equal(part(0), MBR_E_NUMBER);
    assert_int_equal(part(5), MBR_E_NUMBER);
    assert_int_equal(part(4), MBR_E_UNUSED);
    assert_int_equal(part(3), MBR_E_EXTENDED);
    set(3, 0x00, 0x0f, 16384, 8192);
    assert_int_equal(part(3), MBR_E_EXTENDED);
    set(3, 0x00, 0x85, 16384, 8192);
    assert_int_equal(part(3), MBR_E_EXTENDED);
    set(3, 0x00, 0x07, 16384, 8192);                /* not extended: served */
    assert_int_equal(part(3), MBR_OK);
}

static void reasons(void **state)
{
    (void)state;
    for (int e = MBR_OK; e <= MBR_E_EXTENDED; e++)
        assert_non_null(mbr_strerror(e));
    assert_string_equal(mbr_strerror(99), "unknown MBR error");
    assert_string_equal(mbr_strerror(-1), "unknown MBR error");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(good_table, setup),
        cmocka_unit_test_setup(signature, setup),
        cmocka_unit_test_setup(boot_flag, setup),
        cmocka_unit_test_setup(gpt, setup),
        cmocka_unit_test_setup(sizes, setup),
        cmocka_unit_test_setup(overlaps, setup),
        cmocka_unit_test_setup(which_entry, setup),
        cmocka_unit_test_setup(reasons, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
