/*
 * Tern guest kernel: the ide-probe role, an unprivileged domain at the
 * IDE disk's ports (issue 14's refused case).
 *
 * With virtual IOPL 1 (any PV domain may set it, as on Xen) it reads
 * every register of both legacy IDE channels, asks the ATA driver to
 * probe the four drive positions, and then sends a WRITE SECTORS of one
 * sector of 0x5a bytes to LBA 4096 of the primary master blindly,
 * without waiting on the status. On Tern and on Xen an unprivileged
 * domain reaches no port: every read must give all ones, every probe
 * must find no drive, and the write must never reach the disk (the
 * scenario reads LBA 4096 of the image afterwards: still zeros).
 * Each refused check prints "ide-probe: FAIL: ..."; one line says how
 * many held.
 */
#include "drivers/ata.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "kernel/portio.h"
#include "demo/roles.h"

#define BLIND_LBA 4096u

static const uint16_t ide_ports[] = {
    0x1f0, 0x1f1, 0x1f2, 0x1f3, 0x1f4, 0x1f5, 0x1f6, 0x1f7, 0x3f6,
    0x170, 0x171, 0x172, 0x173, 0x174, 0x175, 0x176, 0x177, 0x376,
};

struct tally {
    unsigned int checks, failed;
};

static void expect(struct tally *t, bool held, const char *what, unsigned int value)
{
    t->checks++;
    if (held)
        return;
    t->failed++;
    printk("ide-probe: FAIL: %s: %#x\n", what, value);
}

static void probe_registers(struct tally *t)
{
    for (size_t i = 0; i < sizeof(ide_ports) / sizeof(ide_ports[0]); i++) {
        uint8_t v = port_inb(ide_ports[i]);

        expect(t, v == 0xff, "an IDE register read", ide_ports[i] << 8 | v);
    }
    expect(t, port_inw(0x1f0) == 0xffff, "the primary data register (16 bits)", 0x1f0);
}

static void probe_drives(struct tally *t)
{
    for (unsigned int pos = 0; pos < 4; pos++) {
        struct ata_disk d;
        int rc = ata_probe(&d, pos / 2, pos % 2);

        expect(t, rc == ATA_E_NODEV, "ata_probe found something", pos);
    }
}

/* WRITE SECTORS, LBA28, one sector, master, then the data: no waits. */
static void blind_write(void)
{
    port_outb(0x3f6, ATA_CTL_NIEN);
    port_outb(0x1f6, ATA_DEV_OBS | ATA_DEV_LBA);
    port_outb(0x1f2, 1);
    port_outb(0x1f3, (uint8_t)BLIND_LBA);
    port_outb(0x1f4, (uint8_t)(BLIND_LBA >> 8));
    port_outb(0x1f5, (uint8_t)(BLIND_LBA >> 16));
    port_outb(0x1f7, ATA_CMD_WRITE_SECTORS);
    for (unsigned int i = 0; i < ATA_WORDS; i++)
        port_outw(0x1f0, 0x5a5a);
    port_outb(0x1f7, ATA_CMD_FLUSH_CACHE);
}

bool ide_probe_run(void)
{
    char buf[8];
    struct tally t = { 0, 0 };
    int rc;

    if (!cmdline_option("ide-probe", buf, sizeof(buf)))
        return false;
    rc = ata_enable_ports();
    if (rc) {
        printk("ide-probe: FAIL: physdev_op(set_iopl, 1) = %d\n", rc);
        return true;
    }
    probe_registers(&t);
    probe_drives(&t);
    blind_write();
    printk("ide-probe: %u of %u checks held%s; a blind write sent to lba %u\n",
           t.checks - t.failed, t.checks, t.failed ? "" : ": the IDE ports are denied",
           BLIND_LBA);
    return true;
}
