/*
 * Tern guest kernel: the ATA/IDE disk driver, PIO and polled (ata.c),
 * for domain 0, which reaches the legacy IDE ports (primary channel
 * 0x1f0-0x1f7 and 0x3f6, secondary 0x170-0x177 and 0x376) through the
 * virtual I/O privilege physdev_op(set_iopl) gives it. An unprivileged
 * domain reads all ones there, which the driver reports as no drive.
 *
 * Every wait is bounded (time_now_ns(), and a poll count in case time
 * stands still): a drive that never answers is reported as
 * ATA_E_TIMEOUT, never waited on for ever. Functions return ATA_OK or an
 * enum ata_error (drivers/ata_cmd.h); the last status and error register
 * values are kept in the disk for reports.
 *
 * This is the API blkback uses: ata_read/ata_write of whole 512-byte
 * sectors at an LBA, ata_flush to make acknowledged writes stable.
 */
#ifndef GUEST_ATA_H
#define GUEST_ATA_H

#include <stdbool.h>
#include <stdint.h>
#include "drivers/ata_cmd.h"
#include "drivers/ata_prd.h"

#define ATA_CHANNELS 2

struct ata_disk {
    uint16_t io, ctl;            /* the channel's task file and control port */
    uint16_t bm;                 /* its bus-master registers (0: no DMA) */
    bool slave;
    struct ata_identity id;      /* valid after ata_probe() returned ATA_OK */
    uint8_t status, error;       /* the last status and error register read */
};

/* Sets virtual IOPL 1 (physdev_op set_iopl), so in/out reach the ports. */
int ata_enable_ports(void);

/* Looks for a drive on channel 0 (primary) or 1 (secondary), master or
 * slave, and identifies it: ATA_OK with d->id filled, ATA_E_NODEV (no
 * controller, all ones, or no drive), ATA_E_NOT_ATA (e.g. a CD drive),
 * ATA_E_IDENTIFY, ATA_E_TIMEOUT or ATA_E_DEVICE. */
int ata_probe(struct ata_disk *d, unsigned int channel, bool slave);

/* count sectors from lba into / out of buf (count * 512 bytes). The whole
 * range is checked against the disk first (ATA_E_RANGE); it is moved in
 * commands of up to 256 sectors. A write is acknowledged by the drive,
 * not yet stable: ata_flush() makes it so. */
int ata_read(struct ata_disk *d, uint64_t lba, uint32_t count, void *buf);
int ata_write(struct ata_disk *d, uint64_t lba, uint32_t count, const void *buf);

/* The drive's INTRQ to the channel's interrupt line on (nIEN clear) or
 * off (ata_probe leaves it off). The driver polls either way: its status
 * reads acknowledge the drive, and the edges the line gives are the
 * caller's to take (as a pirq) and count. */
void ata_irq(struct ata_disk *d, bool on);

/* FLUSH CACHE (EXT): every write acknowledged so far reaches the medium.
 * ATA_E_NOTSUP if the drive has no such command. */
int ata_flush(struct ata_disk *d);

/* Bus-master DMA (ata_dma.c): finds the PCI IDE controller, turns bus
 * mastering on and sets d->bm; ATA_E_NOTSUP without one (or with a
 * controller in native mode, whose channels are not the legacy ports). */
int ata_dma_enable(struct ata_disk *d);
/* As ata_read/ata_write, by DMA into the buffer's machine frames (below
 * 4 GiB, else ATA_E_RANGE); needs ata_dma_enable() first. */
int ata_dma_read(struct ata_disk *d, uint64_t lba, uint32_t count, void *buf);
int ata_dma_write(struct ata_disk *d, uint64_t lba, uint32_t count, const void *buf);

/* By DMA between lba and n regions of machine memory (drivers/ata_prd.h),
 * in one command: their bytes together whole sectors, at most 256 of
 * them, every region one the controller reads as meant (ata_prd_add),
 * else ATA_E_RANGE before the drive is touched; ATA_E_NOTSUP without
 * the engine. The caller holds the frames for as long as the call runs
 * (the engine is stopped when it returns, whatever happened). */
int ata_dma_regions(struct ata_disk *d, bool write, uint64_t lba,
                    const struct ata_region *r, unsigned int n);

/* TSC ticks spent so far polling for DMA commands to end: the device's
 * time, not the CPU's work. Under QEMU -icount the polls run for as long
 * as the host takes to do the I/O, so the benches subtract this to get
 * figures that do not depend on the host's speed or load. */
extern uint64_t ata_dma_wait_ticks;

/* For ata_dma.c: writes tf (the command last) once the drive is not
 * busy; and the error a state that ends a command early stands for. */
int ata_issue(struct ata_disk *d, const struct ata_taskfile *tf);
int ata_state_error(struct ata_disk *d, enum ata_state s);

#endif /* GUEST_ATA_H */
