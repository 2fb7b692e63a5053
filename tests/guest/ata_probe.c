/*
 * Test ata_probe: domain 0's ATA driver (guest-kernel/drivers/ata.c) on
 * the machine's IDE channels, through the I/O privilege set_iopl gives.
 *
 * What: the runner gives both boots a 4 MiB IDE disk (QEMU's "QEMU
 * HARDDISK", snapshot=on) as the primary master. With virtual IOPL 1,
 * ata_probe() on the four positions (0x1f0/0x3f6 and 0x170/0x376, master
 * and slave): the primary master is identified (model, 8192 sectors, no
 * LBA48 needed), the three others are empty or not ATA disks (Tern's
 * boot CD-ROM sits at the secondary master), and no probe times out or
 * reports a device error. Then 8 sectors of a pattern written at LBA 100,
 * FLUSH CACHE, read back equal; LBA 0 still reads as zeros; a read past
 * the end and a zero-sector write are refused before any command. Then
 * bus-master DMA (the PIIX IDE function's BAR4): 8 sectors written by
 * DMA at LBA 200 read back equal by PIO, and LBA 100 read by DMA equal
 * to what PIO wrote there.
 * Why: issue 14: domain 0 drives the IDE controller itself; the driver's
 * select/IDENTIFY/PIO/flush paths must reach the real device registers
 * on both hypervisors (a refused port reads all ones: "no drive").
 * Expected (real Xen 4.17): as above.
 */
#include "drivers/ata.h"
#include "kernel/lib.h"
#include "traptest.h"

static const char test_title[] = "ATA driver: identify, PIO, flush, DMA as domain 0";

#define DISK_SECTORS 8192u       /* tests/guest/run.py's 4 MiB image */
#define TEST_LBA     100u
#define TEST_SECTORS 8u

static uint8_t out[TEST_SECTORS * ATA_SECTOR_SIZE];
static uint8_t in[TEST_SECTORS * ATA_SECTOR_SIZE];

static long set_iopl(unsigned int iopl)
{
    struct physdev_set_iopl io = { .iopl = iopl };

    return HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &io);
}

/* The other positions: nothing there, or a drive that is not a disk. */
static void probe_other(unsigned int pos)
{
    static const char *const names[4] = { "", "ata0 slave", "ata1 master", "ata1 slave" };
    struct ata_disk d;
    int rc = ata_probe(&d, pos / 2, pos % 2);

    test_info("%s: %s (status %#x)", names[pos], ata_strerror(rc), d.status);
    check_true(names[pos], rc == ATA_E_NODEV || rc == ATA_E_NOT_ATA);
}

static bool probe_disk(struct ata_disk *d)
{
    int rc = ata_probe(d, 0, false);

    if (!check_rc("ata_probe(ata0 master)", rc, ATA_OK))
        return false;
    test_info("ata0 master: '%s', serial '%s', %lu sectors", d->id.model, d->id.serial,
              d->id.sectors);
    check_true("its model is QEMU HARDDISK", strcmp(d->id.model, "QEMU HARDDISK") == 0);
    check_rc("its sectors", (long)d->id.sectors, DISK_SECTORS);
    return true;
}

static void dma(struct ata_disk *d)
{
    if (!check_rc("ata_dma_enable", ata_dma_enable(d), ATA_OK))
        return;
    test_info("bus-master DMA registers at %#x", d->bm);
    for (size_t i = 0; i < sizeof(out); i++)
        out[i] = (uint8_t)(i * 13 + 1);
    check_rc("ata_dma_write 8 sectors at lba 200", ata_dma_write(d, 200, TEST_SECTORS, out),
             ATA_OK);
    check_rc("ata_read them back by PIO", ata_read(d, 200, TEST_SECTORS, in), ATA_OK);
    check_true("  ... equal to what DMA wrote", memcmp(in, out, sizeof(in)) == 0);
    for (size_t i = 0; i < sizeof(out); i++)
        out[i] = (uint8_t)(i * 7 + i / 512);
    check_rc("ata_dma_read lba 100", ata_dma_read(d, TEST_LBA, TEST_SECTORS, in), ATA_OK);
    check_true("  ... equal to what PIO wrote there", memcmp(in, out, sizeof(in)) == 0);
}

static void write_read(struct ata_disk *d)
{
    for (size_t i = 0; i < sizeof(out); i++)
        out[i] = (uint8_t)(i * 7 + i / 512);
    check_rc("ata_write 8 sectors at lba 100", ata_write(d, TEST_LBA, TEST_SECTORS, out),
             ATA_OK);
    check_rc("ata_flush", ata_flush(d), ATA_OK);
    check_rc("ata_read them back", ata_read(d, TEST_LBA, TEST_SECTORS, in), ATA_OK);
    check_true("  ... equal to what was written", memcmp(in, out, sizeof(in)) == 0);
    memset(out, 0, ATA_SECTOR_SIZE);
    check_rc("ata_read lba 0", ata_read(d, 0, 1, in), ATA_OK);
    check_true("  ... zeros", memcmp(in, out, ATA_SECTOR_SIZE) == 0);
    check_rc("ata_read past the end", ata_read(d, DISK_SECTORS - 1, 2, in), ATA_E_RANGE);
    check_rc("ata_write of 0 sectors", ata_write(d, 0, 0, out), ATA_E_RANGE);
}

static void test_main(void)
{
    struct ata_disk d;

    if (!check_rc("physdev_op(set_iopl, 1)", set_iopl(1), 0))
        return;
    for (unsigned int pos = 1; pos < 4; pos++)
        probe_other(pos);
    if (probe_disk(&d)) {
        write_read(&d);
        dma(&d);
    }
    check_rc("physdev_op(set_iopl, 0)", set_iopl(0), 0);
    test_success(NULL);
}

const struct guest_test test_ata_probe = { "ata_probe", test_title, test_main };
