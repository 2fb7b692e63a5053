/*
 * Tern guest kernel: the ATA (IDE) command layer, pure: what the PIO
 * driver (ata.c) writes into a channel's task-file registers and how it
 * reads what the drive answers. No port I/O here, so every rule is a
 * unit test (tests/unit/test_gk_ata_cmd.c).
 *
 * Facts from the ATA/ATAPI standard (ATA-8 ACS) a legacy IDE channel
 * follows: registers at io base + 0..7 (data, error/features, sector
 * count, LBA low, mid, high, device, status/command) and control base + 0
 * (alternate status / device control); status bits BSY, DRDY, DF, DRQ,
 * ERR; IDENTIFY DEVICE's 256 words (model in words 27-46, byte-swapped;
 * LBA in word 49 bit 9; 28-bit capacity in words 60-61; 48-bit support
 * in word 83 bit 10 and capacity in words 100-103; FLUSH CACHE (EXT) in
 * word 83 bits 12/13; the logical sector size in words 106, 117-118).
 * LBA28 commands address sectors below 2^28 and move 1-256 sectors (a
 * count of 0 means 256); the EXT commands of LBA48 address sectors below
 * 2^48 and move 1-65536 (0 means 65536), their high bytes written first.
 */
#ifndef GUEST_ATA_CMD_H
#define GUEST_ATA_CMD_H

#include <stdbool.h>
#include <stdint.h>

/* Registers, as offsets from the channel's io base. */
#define ATA_REG_DATA     0
#define ATA_REG_ERROR    1   /* read */
#define ATA_REG_FEATURES 1   /* write */
#define ATA_REG_COUNT    2
#define ATA_REG_LBA_LOW  3
#define ATA_REG_LBA_MID  4
#define ATA_REG_LBA_HIGH 5
#define ATA_REG_DEVICE   6
#define ATA_REG_STATUS   7   /* read */
#define ATA_REG_COMMAND  7   /* write */

#define ATA_SR_BSY  0x80
#define ATA_SR_DRDY 0x40
#define ATA_SR_DF   0x20
#define ATA_SR_DRQ  0x08
#define ATA_SR_ERR  0x01

#define ATA_CTL_NIEN 0x02    /* device control: no interrupts, we poll */
#define ATA_CTL_SRST 0x04

#define ATA_DEV_LBA   0x40   /* device register: LBA addressing */
#define ATA_DEV_SLAVE 0x10
#define ATA_DEV_OBS   0xa0   /* obsolete bits 7 and 5, set for old drives */

#define ATA_CMD_READ_SECTORS      0x20
#define ATA_CMD_READ_SECTORS_EXT  0x24
#define ATA_CMD_WRITE_SECTORS     0x30
#define ATA_CMD_WRITE_SECTORS_EXT 0x34
#define ATA_CMD_FLUSH_CACHE       0xe7
#define ATA_CMD_FLUSH_CACHE_EXT   0xea
#define ATA_CMD_IDENTIFY          0xec

#define ATA_SECTOR_SIZE   512u
#define ATA_WORDS         256u       /* an IDENTIFY block, one sector */
#define ATA_LBA28_LIMIT   (1ULL << 28)
#define ATA_LBA48_LIMIT   (1ULL << 48)
#define ATA_LBA28_MAX_COUNT 256u
#define ATA_LBA48_MAX_COUNT 65536u

/* Errors every ATA function returns (negative; 0 is success). */
enum ata_error {
    ATA_OK = 0,
    ATA_E_NODEV = -1,      /* no controller (floating bus) or no drive */
    ATA_E_NOT_ATA = -2,    /* a drive, but ATAPI/SATA/unknown signature */
    ATA_E_IDENTIFY = -3,   /* IDENTIFY data we cannot use */
    ATA_E_TIMEOUT = -4,    /* BSY or no DRQ for too long */
    ATA_E_DEVICE = -5,     /* the drive set ERR or DF */
    ATA_E_RANGE = -6,      /* a sector range outside the disk, or a count of 0 */
    ATA_E_NOTSUP = -7,     /* the drive lacks the command (e.g. no FLUSH CACHE) */
};

/* What one status byte says, most urgent first. */
enum ata_state {
    ATA_ST_FLOATING,   /* 0xff: nothing drives the bus (no controller) */
    ATA_ST_BUSY,       /* BSY: every other bit is meaningless */
    ATA_ST_FAULT,      /* DF: device fault */
    ATA_ST_ERROR,      /* ERR: the command failed; see the error register */
    ATA_ST_DRQ,        /* ready to move a sector of data */
    ATA_ST_IDLE,       /* none of the above: done, or no data wanted */
};

/* The device type a drive's signature (LBA mid, LBA high after reset or
 * a refused IDENTIFY) gives. */
enum ata_signature {
    ATA_SIG_ATA, ATA_SIG_ATAPI, ATA_SIG_SATA, ATA_SIG_SATAPI, ATA_SIG_UNKNOWN,
};

/* What IDENTIFY DEVICE told us. */
struct ata_identity {
    char model[41];          /* trimmed, NUL-terminated */
    char serial[21];
    uint64_t sectors;        /* addressable 512-byte sectors */
    bool lba48;              /* 48-bit commands supported */
    bool flush;              /* FLUSH CACHE */
    bool flush_ext;          /* FLUSH CACHE EXT */
};

/* One command as register values. The driver writes, in this order:
 * (if lba48) features/count/LBA high bytes (hob), then features, count,
 * LBA low/mid/high, device, and last the command. */
struct ata_taskfile {
    uint8_t command;
    uint8_t device;
    bool lba48;
    uint8_t count, lba_low, lba_mid, lba_high;
    uint8_t hob_count, hob_lba_low, hob_lba_mid, hob_lba_high;
};

enum ata_state ata_status_state(uint8_t status);

/* After one poll of the status in a wait for BSY to clear: is the wait
 * over? Yes when the drive is no longer busy, when system time `now` has
 * passed `deadline`, or after max_polls polls (a clock that stands still
 * must not make the wait endless). The caller then acts on the last
 * state: still ATA_ST_BUSY means a timeout. */
bool ata_wait_over(enum ata_state s, uint64_t now, uint64_t deadline, unsigned long polls,
                   unsigned long max_polls);
enum ata_signature ata_signature(uint8_t lba_mid, uint8_t lba_high);

/* Parses IDENTIFY DEVICE data. ATA_E_IDENTIFY when it is not an ATA
 * device's (word 0 bit 15), has no LBA, a capacity of 0, or a logical
 * sector other than 512 bytes (this driver's unit). */
int ata_identify_parse(const uint16_t id[ATA_WORDS], struct ata_identity *out);

/* The READ/WRITE SECTORS (EXT) command for count sectors at lba on the
 * master (slave false) or slave: LBA28 when the whole range is below
 * 2^28 and count <= 256, else LBA48 if the drive has it. ATA_E_RANGE for
 * count 0, a range outside the disk (no wrap) or too long for one
 * command (ata_max_count). */
int ata_build_rw(const struct ata_identity *id, bool slave, bool write, uint64_t lba,
                 uint32_t count, struct ata_taskfile *tf);

/* Is [lba, lba + count) a non-empty range inside the disk (no wrap)? */
bool ata_range_ok(const struct ata_identity *id, uint64_t lba, uint64_t count);

/* The most sectors one command may move on this drive. */
uint32_t ata_max_count(const struct ata_identity *id);

/* FLUSH CACHE EXT on a 48-bit drive offering it, else FLUSH CACHE;
 * ATA_E_NOTSUP if the drive offers neither. */
int ata_build_flush(const struct ata_identity *id, bool slave, struct ata_taskfile *tf);

/* A short name for an ata_error. */
const char *ata_strerror(int err);

#endif /* GUEST_ATA_CMD_H */
