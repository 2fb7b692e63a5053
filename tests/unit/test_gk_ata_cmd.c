/*
 * Unit tests for guest-kernel/drivers/ata_cmd.c, the ATA command layer.
 * Rules, each accepted and refused: the status byte's meaning (floating
 * bus, BSY over everything, DF, ERR, DRQ, idle); when a wait for BSY
 * ends (not busy, the deadline passed, the poll bound); the four signatures;
 * IDENTIFY parsing (model and serial byte-swapped and trimmed, LBA28 and
 * LBA48 capacity, word 83 only when valid, refusal of non-ATA, no-LBA,
 * empty and 4 KiB-logical-sector drives); READ/WRITE SECTORS for ranges
 * below 2^28, the EXT commands above, the count encodings (256 -> 0,
 * 65536 -> 0/0), no range outside the disk and no wrap at 2^64; FLUSH
 * CACHE EXT / FLUSH CACHE / none.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "drivers/ata_cmd.h"

static uint16_t id[ATA_WORDS];
static struct ata_identity ident;
static struct ata_taskfile tf;

/* Puts s, two characters a word with the first in the high byte, padded
 * with spaces, into words [at, at + words). */
static void put_string(unsigned int at, unsigned int words, const char *s)
{
    size_t len = strlen(s);

    for (unsigned int i = 0; i < words; i++) {
        char hi = 2 * i < len ? s[2 * i] : ' ';
        char lo = 2 * i + 1 < len ? s[2 * i + 1] : ' ';

        id[at + i] = (uint16_t)((uint8_t)hi << 8 | (uint8_t)lo);
    }
}

static void put_u64(unsigned int at, uint64_t v)
{
    for (unsigned int i = 0; i < 4; i++)
        id[at + i] = (uint16_t)(v >> (16 * i));
}

/* QEMU's IDE disk of `sectors`, 48-bit when lba48. */
static void qemu_disk(uint64_t sectors, bool lba48)
{
    memset(id, 0, sizeof(id));
    id[0] = 0x0040;
    put_string(10, 10, "QM00001");
    put_string(27, 20, "QEMU HARDDISK");
    id[49] = 0x0300;
    id[60] = (uint16_t)(sectors < (1u << 28) ? sectors : 0x0fffffff);
    id[61] = (uint16_t)((sectors < (1u << 28) ? sectors : 0x0fffffff) >> 16);
    id[83] = (uint16_t)(0x4000 | 0x1000 | (lba48 ? 0x0400 | 0x2000 : 0));
    if (lba48)
        put_u64(100, sectors);
}

static int setup(void **state)
{
    (void)state;
    memset(&tf, 0, sizeof(tf));
    qemu_disk(1u << 20, true);
    assert_int_equal(ata_identify_parse(id, &ident), ATA_OK);
    return 0;
}

static void test_status(void **state)
{
    (void)state;
    assert_int_equal(ata_status_state(0xff), ATA_ST_FLOATING);
    assert_int_equal(ata_status_state(0x80), ATA_ST_BUSY);
    assert_int_equal(ata_status_state(0x80 | ATA_SR_ERR | ATA_SR_DRQ), ATA_ST_BUSY);
    assert_int_equal(ata_status_state(0x40 | ATA_SR_DF | ATA_SR_ERR), ATA_ST_FAULT);
    assert_int_equal(ata_status_state(0x40 | ATA_SR_ERR | ATA_SR_DRQ), ATA_ST_ERROR);
    assert_int_equal(ata_status_state(0x58), ATA_ST_DRQ);
    assert_int_equal(ata_status_state(0x50), ATA_ST_IDLE);
    assert_int_equal(ata_status_state(0x00), ATA_ST_IDLE);
    assert_int_equal(ata_status_state(0x7f), ATA_ST_FAULT);
}

/* A wait ends when the drive is not busy, at the deadline, or at the poll
 * bound; never earlier while BSY. */
static void test_wait_over(void **state)
{
    (void)state;
    assert_false(ata_wait_over(ATA_ST_BUSY, 100, 200, 1, 10));
    assert_false(ata_wait_over(ATA_ST_BUSY, 200, 200, 9, 10));     /* at the deadline */
    assert_true(ata_wait_over(ATA_ST_BUSY, 201, 200, 1, 10));      /* past it */
    assert_true(ata_wait_over(ATA_ST_BUSY, 0, 200, 10, 10));       /* clock stands still */
    assert_true(ata_wait_over(ATA_ST_DRQ, 0, 200, 1, 10));
    assert_true(ata_wait_over(ATA_ST_IDLE, 0, 200, 1, 10));
    assert_true(ata_wait_over(ATA_ST_ERROR, 0, 200, 1, 10));
    assert_true(ata_wait_over(ATA_ST_FLOATING, 0, 200, 1, 10));
}

static void test_signature(void **state)
{
    (void)state;
    assert_int_equal(ata_signature(0x00, 0x00), ATA_SIG_ATA);
    assert_int_equal(ata_signature(0x14, 0xeb), ATA_SIG_ATAPI);
    assert_int_equal(ata_signature(0x3c, 0xc3), ATA_SIG_SATA);
    assert_int_equal(ata_signature(0x69, 0x96), ATA_SIG_SATAPI);
    assert_int_equal(ata_signature(0xff, 0xff), ATA_SIG_UNKNOWN);
    assert_int_equal(ata_signature(0x14, 0x00), ATA_SIG_UNKNOWN);
}

static void test_identify_lba48(void **state)
{
    (void)state;
    qemu_disk(400ULL << 21, true);              /* 400 GiB: past LBA28 */
    assert_int_equal(ata_identify_parse(id, &ident), ATA_OK);
    assert_string_equal(ident.model, "QEMU HARDDISK");
    assert_string_equal(ident.serial, "QM00001");
    assert_int_equal(ident.sectors, 400ULL << 21);
    assert_true(ident.lba48);
    assert_true(ident.flush);
    assert_true(ident.flush_ext);
}

static void test_identify_lba28(void **state)
{
    (void)state;
    qemu_disk(20000, false);
    put_u64(100, 1ULL << 40);                   /* ignored: no 48-bit */
    assert_int_equal(ata_identify_parse(id, &ident), ATA_OK);
    assert_int_equal(ident.sectors, 20000);
    assert_false(ident.lba48);
    assert_false(ident.flush_ext);
    id[83] = 0x0400 | 0x1000;                   /* word 83 not valid (bit 14 clear) */
    assert_int_equal(ata_identify_parse(id, &ident), ATA_OK);
    assert_false(ident.flush);
    qemu_disk(20000, true);
    id[83] |= 0x8000;                           /* bits 15:14 = 11: not valid */
    assert_int_equal(ata_identify_parse(id, &ident), ATA_OK);
    assert_false(ident.lba48);
    assert_int_equal(ident.sectors, 20000);
    qemu_disk(20000, false);
    id[83] |= 0x2000;                           /* FLUSH CACHE EXT without 48-bit */
    assert_int_equal(ata_identify_parse(id, &ident), ATA_OK);
    assert_false(ident.flush_ext);
}

static void test_identify_refusals(void **state)
{
    (void)state;
    qemu_disk(1000, true);
    id[0] = 0x85c0;                             /* ATAPI's word 0 */
    assert_int_equal(ata_identify_parse(id, &ident), ATA_E_IDENTIFY);
    qemu_disk(1000, true);
    id[49] = 0x0100;                            /* no LBA */
    assert_int_equal(ata_identify_parse(id, &ident), ATA_E_IDENTIFY);
    qemu_disk(0, true);
    assert_int_equal(ata_identify_parse(id, &ident), ATA_E_IDENTIFY);
    qemu_disk(1000, true);
    id[106] = 0x4000 | 0x1000;                  /* 4 KiB logical sectors */
    id[117] = 2048;
    assert_int_equal(ata_identify_parse(id, &ident), ATA_E_IDENTIFY);
    id[117] = 256;                              /* says big, is 512: fine */
    assert_int_equal(ata_identify_parse(id, &ident), ATA_OK);
    qemu_disk(1000, true);
    put_u64(100, UINT64_MAX);                   /* clipped to 2^48 */
    assert_int_equal(ata_identify_parse(id, &ident), ATA_OK);
    assert_int_equal(ident.sectors, ATA_LBA48_LIMIT);
}

static void test_identify_strings_all_spaces(void **state)
{
    (void)state;
    qemu_disk(1000, true);
    put_string(27, 20, "");
    put_string(10, 10, "ABCDEFGHIJKLMNOPQRST");     /* all 20 characters */
    assert_int_equal(ata_identify_parse(id, &ident), ATA_OK);
    assert_string_equal(ident.model, "");
    assert_string_equal(ident.serial, "ABCDEFGHIJKLMNOPQRST");
}

static void test_rw_lba28(void **state)
{
    (void)state;
    qemu_disk(1u << 27, true);
    assert_int_equal(ata_identify_parse(id, &ident), ATA_OK);
    assert_int_equal(ata_build_rw(&ident, false, false, 0x0abcdef, 1, &tf), ATA_OK);
    assert_int_equal(tf.command, ATA_CMD_READ_SECTORS);
    assert_false(tf.lba48);
    assert_int_equal(tf.count, 1);
    assert_int_equal(tf.lba_low, 0xef);
    assert_int_equal(tf.lba_mid, 0xcd);
    assert_int_equal(tf.lba_high, 0xab);
    assert_int_equal(tf.device, 0xe0);          /* LBA, master, bits 27:24 = 0 */
    assert_int_equal(ata_build_rw(&ident, true, true, 5, 256, &tf), ATA_OK);
    assert_int_equal(tf.command, ATA_CMD_WRITE_SECTORS);
    assert_int_equal(tf.count, 0);              /* 256 */
    assert_int_equal(tf.device, 0xf0);          /* slave */
}

static void test_rw_lba28_high_nibble(void **state)
{
    (void)state;
    qemu_disk(1u << 28, false);
    assert_int_equal(ata_identify_parse(id, &ident), ATA_OK);
    ident.sectors = 1u << 28;
    assert_int_equal(ata_build_rw(&ident, false, false, (1u << 28) - 1, 1, &tf), ATA_OK);
    assert_int_equal(tf.command, ATA_CMD_READ_SECTORS);
    assert_int_equal(tf.device, 0xef);          /* bits 27:24 of the LBA */
    assert_int_equal(ata_build_rw(&ident, false, false, (1u << 28) - 1, 2, &tf),
                     ATA_E_RANGE);              /* past the disk */
}

static void test_rw_lba48(void **state)
{
    (void)state;
    qemu_disk(1ULL << 40, true);
    assert_int_equal(ata_identify_parse(id, &ident), ATA_OK);
    /* The last sector below 2^28 is LBA28; one more crosses into EXT. */
    assert_int_equal(ata_build_rw(&ident, false, false, (1u << 28) - 1, 1, &tf), ATA_OK);
    assert_false(tf.lba48);
    assert_int_equal(ata_build_rw(&ident, false, false, (1u << 28) - 1, 2, &tf), ATA_OK);
    assert_true(tf.lba48);
    assert_int_equal(tf.command, ATA_CMD_READ_SECTORS_EXT);
    assert_int_equal(ata_build_rw(&ident, false, true, 0x123456789aULL, 65536, &tf), ATA_OK);
    assert_int_equal(tf.command, ATA_CMD_WRITE_SECTORS_EXT);
    assert_int_equal(tf.device, 0xe0);          /* no LBA bits in the device register */
    assert_int_equal(tf.count, 0);
    assert_int_equal(tf.hob_count, 0);          /* 65536 */
    assert_int_equal(tf.lba_low, 0x9a);
    assert_int_equal(tf.lba_mid, 0x78);
    assert_int_equal(tf.lba_high, 0x56);
    assert_int_equal(tf.hob_lba_low, 0x34);
    assert_int_equal(tf.hob_lba_mid, 0x12);
    assert_int_equal(tf.hob_lba_high, 0x00);
    assert_int_equal(ata_build_rw(&ident, false, false, 0, 300, &tf), ATA_OK);
    assert_true(tf.lba48);                      /* > 256 sectors needs EXT */
    assert_int_equal(tf.count, 300 & 0xff);
    assert_int_equal(tf.hob_count, 1);
}

static void test_rw_refusals(void **state)
{
    (void)state;
    assert_int_equal(ata_build_rw(&ident, false, false, 0, 0, &tf), ATA_E_RANGE);
    assert_int_equal(ata_build_rw(&ident, false, false, 0, 65537, &tf), ATA_E_RANGE);
    assert_int_equal(ata_build_rw(&ident, false, false, ident.sectors, 1, &tf), ATA_E_RANGE);
    assert_int_equal(ata_build_rw(&ident, false, false, ident.sectors - 1, 1, &tf), ATA_OK);
    assert_int_equal(ata_build_rw(&ident, false, false, ident.sectors - 1, 2, &tf), ATA_E_RANGE);
    assert_int_equal(ata_build_rw(&ident, false, false, UINT64_MAX, 2, &tf), ATA_E_RANGE);
    assert_int_equal(ata_build_rw(&ident, false, false, UINT64_MAX - 1, 65536, &tf), ATA_E_RANGE);
    qemu_disk(20000, false);                    /* no LBA48: at most 256 */
    assert_int_equal(ata_identify_parse(id, &ident), ATA_OK);
    assert_int_equal(ata_max_count(&ident), 256);
    assert_int_equal(ata_build_rw(&ident, false, false, 0, 257, &tf), ATA_E_RANGE);
    assert_int_equal(ata_build_rw(&ident, false, false, 0, 256, &tf), ATA_OK);
}

static void test_range_ok(void **state)
{
    (void)state;
    assert_true(ata_range_ok(&ident, 0, ident.sectors));
    assert_false(ata_range_ok(&ident, 0, ident.sectors + 1));
    assert_false(ata_range_ok(&ident, 1, ident.sectors));
    assert_false(ata_range_ok(&ident, 5, 0));
    assert_false(ata_range_ok(&ident, 2, UINT64_MAX));
    assert_false(ata_range_ok(&ident, ident.sectors, 1));
}

static void test_flush(void **state)
{
    (void)state;
    assert_int_equal(ata_build_flush(&ident, false, &tf), ATA_OK);
    assert_int_equal(tf.command, ATA_CMD_FLUSH_CACHE_EXT);
    ident.flush_ext = false;
    assert_int_equal(ata_build_flush(&ident, true, &tf), ATA_OK);
    assert_int_equal(tf.command, ATA_CMD_FLUSH_CACHE);
    assert_int_equal(tf.device, 0xf0);
    ident.flush = false;
    assert_int_equal(ata_build_flush(&ident, false, &tf), ATA_E_NOTSUP);
}

static void test_strerror(void **state)
{
    (void)state;
    assert_string_equal(ata_strerror(ATA_E_TIMEOUT), "timed out");
    assert_string_equal(ata_strerror(-99), "unknown error");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_status, setup),
        cmocka_unit_test_setup(test_wait_over, setup),
        cmocka_unit_test_setup(test_signature, setup),
        cmocka_unit_test_setup(test_identify_lba48, setup),
        cmocka_unit_test_setup(test_identify_lba28, setup),
        cmocka_unit_test_setup(test_identify_refusals, setup),
        cmocka_unit_test_setup(test_identify_strings_all_spaces, setup),
        cmocka_unit_test_setup(test_rw_lba28, setup),
        cmocka_unit_test_setup(test_rw_lba28_high_nibble, setup),
        cmocka_unit_test_setup(test_rw_lba48, setup),
        cmocka_unit_test_setup(test_rw_refusals, setup),
        cmocka_unit_test_setup(test_range_ok, setup),
        cmocka_unit_test_setup(test_flush, setup),
        cmocka_unit_test_setup(test_strerror, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
