/*
 * Tern guest kernel: the ATA/IDE PIO driver (see ata.h); the command
 * encoding and status decoding are drivers/ata_cmd.c's, pure and tested.
 *
 * Protocol, for every command: wait until BSY is clear, select the drive
 * (device register, then 400 ns: four reads of alternate status), write
 * the task file (the LBA48 high bytes first) and the command; then per
 * sector wait for BSY clear and DRQ and move 256 words through the data
 * register; at the end wait for BSY clear and check ERR and DF.
 * Interrupts are off (nIEN) unless the caller turns them on (ata_irq);
 * the driver polls either way.
 *
 * Invariants: no loop waits without a bound (a deadline on the guest's
 * clock and a poll count); a range is checked against the disk before
 * any command is sent; a data phase never moves more than the sectors
 * asked for (a drive still asserting DRQ afterwards is an error).
 */
#include "drivers/ata.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "kernel/portio.h"
#include "kernel/time.h"
#include "xen/hypercall.h"
#include <public/physdev.h>

#define CMD_TIMEOUT_NS   (5 * NS_PER_S)
#define FLUSH_TIMEOUT_NS (30 * NS_PER_S)
#define MAX_POLLS        20000000UL      /* if the clock stands still */
#define CHUNK_SECTORS    ATA_LBA28_MAX_COUNT

static const uint16_t channel_io[ATA_CHANNELS] = { 0x1f0, 0x170 };
static const uint16_t channel_ctl[ATA_CHANNELS] = { 0x3f6, 0x376 };

void ata_irq(struct ata_disk *d, bool on)
{
    port_outb(d->ctl, on ? 0 : ATA_CTL_NIEN);
}

int ata_enable_ports(void)
{
    struct physdev_set_iopl io = { .iopl = 1 };

    return (int)HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &io);
}

static uint8_t reg_in(struct ata_disk *d, unsigned int reg)
{
    return port_inb((uint16_t)(d->io + reg));
}

static void reg_out(struct ata_disk *d, unsigned int reg, uint8_t v)
{
    port_outb((uint16_t)(d->io + reg), v);
}

/* About 400 ns: what a drive needs after a select before its status is right. */
static void settle(struct ata_disk *d)
{
    for (int i = 0; i < 4; i++)
        (void)port_inb(d->ctl);
}

/* Polls the status until BSY clears; the state it then shows, or
 * ATA_ST_BUSY after timeout_ns (or too many polls). */
static enum ata_state wait_not_busy(struct ata_disk *d, uint64_t timeout_ns)
{
    uint64_t deadline = time_now_ns() + timeout_ns;
    unsigned long polls = 0;
    enum ata_state s;

    do {
        d->status = reg_in(d, ATA_REG_STATUS);
        s = ata_status_state(d->status);
    } while (!ata_wait_over(s, time_now_ns(), deadline, ++polls, MAX_POLLS));
    return s;
}

int ata_state_error(struct ata_disk *d, enum ata_state s)
{
    switch (s) {
    case ATA_ST_FLOATING: return ATA_E_NODEV;
    case ATA_ST_BUSY:     return ATA_E_TIMEOUT;
    case ATA_ST_FAULT:
    case ATA_ST_ERROR:
        d->error = reg_in(d, ATA_REG_ERROR);
        return ATA_E_DEVICE;
    default:
        return ATA_E_DEVICE;       /* no data phase where one was due, or one too many */
    }
}

/* Waits for the next sector's data phase. */
static int wait_drq(struct ata_disk *d)
{
    enum ata_state s = wait_not_busy(d, CMD_TIMEOUT_NS);

    return s == ATA_ST_DRQ ? ATA_OK : ata_state_error(d, s);
}

/* Waits for the command's end: BSY clear, no error, no more data. */
static int wait_done(struct ata_disk *d, uint64_t timeout_ns)
{
    enum ata_state s = wait_not_busy(d, timeout_ns);

    return s == ATA_ST_IDLE ? ATA_OK : ata_state_error(d, s);
}

static int select_drive(struct ata_disk *d, uint8_t device)
{
    enum ata_state s = wait_not_busy(d, CMD_TIMEOUT_NS);

    if (s == ATA_ST_BUSY || s == ATA_ST_FLOATING)
        return ata_state_error(d, s);
    reg_out(d, ATA_REG_DEVICE, device);
    settle(d);
    return ATA_OK;
}

int ata_issue(struct ata_disk *d, const struct ata_taskfile *tf)
{
    int rc = select_drive(d, tf->device);

    if (rc)
        return rc;
    if (tf->lba48) {
        reg_out(d, ATA_REG_FEATURES, 0);
        reg_out(d, ATA_REG_COUNT, tf->hob_count);
        reg_out(d, ATA_REG_LBA_LOW, tf->hob_lba_low);
        reg_out(d, ATA_REG_LBA_MID, tf->hob_lba_mid);
        reg_out(d, ATA_REG_LBA_HIGH, tf->hob_lba_high);
    }
    reg_out(d, ATA_REG_FEATURES, 0);
    reg_out(d, ATA_REG_COUNT, tf->count);
    reg_out(d, ATA_REG_LBA_LOW, tf->lba_low);
    reg_out(d, ATA_REG_LBA_MID, tf->lba_mid);
    reg_out(d, ATA_REG_LBA_HIGH, tf->lba_high);
    reg_out(d, ATA_REG_COMMAND, tf->command);
    return ATA_OK;
}

static void read_words(struct ata_disk *d, uint8_t *dst)
{
    for (unsigned int i = 0; i < ATA_WORDS; i++) {
        uint16_t w = port_inw(d->io);

        dst[2 * i] = (uint8_t)w;
        dst[2 * i + 1] = (uint8_t)(w >> 8);
    }
}

static void write_words(struct ata_disk *d, const uint8_t *src)
{
    for (unsigned int i = 0; i < ATA_WORDS; i++)
        port_outw(d->io, (uint16_t)(src[2 * i] | src[2 * i + 1] << 8));
}

/* IDENTIFY DEVICE into d->id, the drive already known to be there. */
static int identify(struct ata_disk *d)
{
    uint16_t id[ATA_WORDS];
    enum ata_state s;
    int rc;

    reg_out(d, ATA_REG_COMMAND, ATA_CMD_IDENTIFY);
    d->status = reg_in(d, ATA_REG_STATUS);
    if (d->status == 0 || d->status == 0xff)
        return ATA_E_NODEV;         /* no drive answers on this position */
    s = wait_not_busy(d, CMD_TIMEOUT_NS);
    if (s == ATA_ST_BUSY)
        return ATA_E_TIMEOUT;
    if (ata_signature(reg_in(d, ATA_REG_LBA_MID), reg_in(d, ATA_REG_LBA_HIGH)) != ATA_SIG_ATA)
        return ATA_E_NOT_ATA;
    rc = s == ATA_ST_DRQ ? ATA_OK : ata_state_error(d, s);
    if (rc)
        return rc;
    read_words(d, (uint8_t *)id);
    rc = wait_done(d, CMD_TIMEOUT_NS);
    return rc ? rc : ata_identify_parse(id, &d->id);
}

int ata_probe(struct ata_disk *d, unsigned int channel, bool slave)
{
    int rc;

    memset(d, 0, sizeof(*d));
    if (channel >= ATA_CHANNELS)
        return ATA_E_NODEV;
    d->io = channel_io[channel];
    d->ctl = channel_ctl[channel];
    d->slave = slave;
    d->status = reg_in(d, ATA_REG_STATUS);
    if (d->status == 0xff)
        return ATA_E_NODEV;         /* floating bus: no controller here */
    port_outb(d->ctl, ATA_CTL_NIEN);
    rc = select_drive(d, ATA_DEV_OBS | (slave ? ATA_DEV_SLAVE : 0));
    if (rc)
        return rc;
    reg_out(d, ATA_REG_COUNT, 0);
    reg_out(d, ATA_REG_LBA_LOW, 0);
    reg_out(d, ATA_REG_LBA_MID, 0);
    reg_out(d, ATA_REG_LBA_HIGH, 0);
    return identify(d);
}

static int read_chunk(struct ata_disk *d, uint64_t lba, uint32_t n, uint8_t *buf)
{
    struct ata_taskfile tf;
    int rc = ata_build_rw(&d->id, d->slave, false, lba, n, &tf);

    if (!rc)
        rc = ata_issue(d, &tf);
    for (uint32_t i = 0; !rc && i < n; i++) {
        rc = wait_drq(d);
        if (!rc)
            read_words(d, buf + i * ATA_SECTOR_SIZE);
    }
    return rc ? rc : wait_done(d, CMD_TIMEOUT_NS);
}

static int write_chunk(struct ata_disk *d, uint64_t lba, uint32_t n, const uint8_t *buf)
{
    struct ata_taskfile tf;
    int rc = ata_build_rw(&d->id, d->slave, true, lba, n, &tf);

    if (!rc)
        rc = ata_issue(d, &tf);
    for (uint32_t i = 0; !rc && i < n; i++) {
        rc = wait_drq(d);
        if (!rc)
            write_words(d, buf + i * ATA_SECTOR_SIZE);
    }
    return rc ? rc : wait_done(d, CMD_TIMEOUT_NS);
}

static uint32_t min_u32(uint32_t a, uint32_t b)
{
    return a < b ? a : b;
}

int ata_read(struct ata_disk *d, uint64_t lba, uint32_t count, void *buf)
{
    uint8_t *p = buf;
    int rc = ata_range_ok(&d->id, lba, count) ? ATA_OK : ATA_E_RANGE;

    while (!rc && count) {
        uint32_t n = min_u32(count, CHUNK_SECTORS);

        rc = read_chunk(d, lba, n, p);
        lba += n;
        p += (size_t)n * ATA_SECTOR_SIZE;
        count -= n;
    }
    return rc;
}

int ata_write(struct ata_disk *d, uint64_t lba, uint32_t count, const void *buf)
{
    const uint8_t *p = buf;
    int rc = ata_range_ok(&d->id, lba, count) ? ATA_OK : ATA_E_RANGE;

    while (!rc && count) {
        uint32_t n = min_u32(count, CHUNK_SECTORS);

        rc = write_chunk(d, lba, n, p);
        lba += n;
        p += (size_t)n * ATA_SECTOR_SIZE;
        count -= n;
    }
    return rc;
}

int ata_flush(struct ata_disk *d)
{
    struct ata_taskfile tf;
    int rc = ata_build_flush(&d->id, d->slave, &tf);

    if (!rc)
        rc = ata_issue(d, &tf);
    return rc ? rc : wait_done(d, FLUSH_TIMEOUT_NS);
}
