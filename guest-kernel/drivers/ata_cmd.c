/*
 * Tern guest kernel: the ATA command layer (see ata_cmd.h).
 *
 * Invariants: a command is built only for a range inside the disk (lba <
 * sectors and count <= sectors - lba, so no sum wraps), with a count the
 * command can encode (1..256 for LBA28, 1..65536 for LBA48); an LBA28
 * command is built only when its last sector is below 2^28; the IDENTIFY
 * data is trusted for nothing it does not say consistently (a 48-bit
 * capacity only when word 83 is valid and says 48-bit, clipped to 2^48).
 */
#include "drivers/ata_cmd.h"

#define ID_CONFIG        0
#define ID_SERIAL        10
#define ID_SERIAL_WORDS  10
#define ID_MODEL         27
#define ID_MODEL_WORDS   20
#define ID_CAPS          49
#define ID_LBA28_CAP     60
#define ID_CMDSET2       83
#define ID_LBA48_CAP     100
#define ID_SECTOR_SIZE   106
#define ID_LOGICAL_WORDS 117

#define CONFIG_NOT_ATA   0x8000
#define CAPS_LBA         0x0200
#define CMDSET2_LBA48    0x0400
#define CMDSET2_FLUSH    0x1000
#define CMDSET2_FLUSH_EXT 0x2000
#define WORD_VALID_MASK  0xc000     /* words 83, 106: bits 15:14 = 01 */
#define WORD_VALID       0x4000
#define SIZE_LOGICAL_BIG 0x1000     /* word 106: logical sector > 256 words */

enum ata_state ata_status_state(uint8_t status)
{
    if (status == 0xff)
        return ATA_ST_FLOATING;
    if (status & ATA_SR_BSY)
        return ATA_ST_BUSY;
    if (status & ATA_SR_DF)
        return ATA_ST_FAULT;
    if (status & ATA_SR_ERR)
        return ATA_ST_ERROR;
    if (status & ATA_SR_DRQ)
        return ATA_ST_DRQ;
    return ATA_ST_IDLE;
}

bool ata_wait_over(enum ata_state s, uint64_t now, uint64_t deadline, unsigned long polls,
                   unsigned long max_polls)
{
    return s != ATA_ST_BUSY || now > deadline || polls >= max_polls;
}

enum ata_signature ata_signature(uint8_t lba_mid, uint8_t lba_high)
{
    if (lba_mid == 0x00 && lba_high == 0x00)
        return ATA_SIG_ATA;
    if (lba_mid == 0x14 && lba_high == 0xeb)
        return ATA_SIG_ATAPI;
    if (lba_mid == 0x3c && lba_high == 0xc3)
        return ATA_SIG_SATA;
    if (lba_mid == 0x69 && lba_high == 0x96)
        return ATA_SIG_SATAPI;
    return ATA_SIG_UNKNOWN;
}

/* An IDENTIFY string: each word holds two characters, the first in its
 * high byte; trailing spaces are padding. out has room for 2 * words + 1. */
static void id_string(const uint16_t *w, unsigned int words, char *out)
{
    unsigned int n = 0;

    for (unsigned int i = 0; i < words; i++) {
        out[n++] = (char)(w[i] >> 8);
        out[n++] = (char)(w[i] & 0xff);
    }
    while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '\0'))
        n--;
    out[n] = '\0';
}

static uint64_t id_u32(const uint16_t *id, unsigned int at)
{
    return (uint64_t)id[at] | (uint64_t)id[at + 1] << 16;
}

static uint64_t id_u64(const uint16_t *id, unsigned int at)
{
    return id_u32(id, at) | id_u32(id, at + 2) << 32;
}

static bool word_valid(uint16_t w)
{
    return (w & WORD_VALID_MASK) == WORD_VALID;
}

/* A logical sector other than 512 bytes (word 106 bit 12, words 117-118)? */
static bool big_sectors(const uint16_t *id)
{
    return word_valid(id[ID_SECTOR_SIZE]) && (id[ID_SECTOR_SIZE] & SIZE_LOGICAL_BIG) &&
           id_u32(id, ID_LOGICAL_WORDS) != ATA_SECTOR_SIZE / 2;
}

int ata_identify_parse(const uint16_t id[ATA_WORDS], struct ata_identity *out)
{
    uint16_t cmdset2 = id[ID_CMDSET2];
    bool set2 = word_valid(cmdset2);

    if ((id[ID_CONFIG] & CONFIG_NOT_ATA) || !(id[ID_CAPS] & CAPS_LBA) || big_sectors(id))
        return ATA_E_IDENTIFY;
    id_string(&id[ID_MODEL], ID_MODEL_WORDS, out->model);
    id_string(&id[ID_SERIAL], ID_SERIAL_WORDS, out->serial);
    out->lba48 = set2 && (cmdset2 & CMDSET2_LBA48);
    out->flush = set2 && (cmdset2 & CMDSET2_FLUSH);
    out->flush_ext = out->lba48 && (cmdset2 & CMDSET2_FLUSH_EXT);
    out->sectors = id_u32(id, ID_LBA28_CAP);
    if (out->lba48 && id_u64(id, ID_LBA48_CAP) > out->sectors)
        out->sectors = id_u64(id, ID_LBA48_CAP);
    if (out->sectors > ATA_LBA48_LIMIT)
        out->sectors = ATA_LBA48_LIMIT;
    return out->sectors ? ATA_OK : ATA_E_IDENTIFY;
}

uint32_t ata_max_count(const struct ata_identity *id)
{
    return id->lba48 ? ATA_LBA48_MAX_COUNT : ATA_LBA28_MAX_COUNT;
}

static uint8_t byte_of(uint64_t v, unsigned int n)
{
    return (uint8_t)(v >> (8 * n));
}

static void fill_lba28(struct ata_taskfile *tf, uint64_t lba, uint32_t count)
{
    tf->count = (uint8_t)count;                    /* 256 -> 0 */
    tf->lba_low = byte_of(lba, 0);
    tf->lba_mid = byte_of(lba, 1);
    tf->lba_high = byte_of(lba, 2);
    tf->device |= (uint8_t)((lba >> 24) & 0x0f);
}

static void fill_lba48(struct ata_taskfile *tf, uint64_t lba, uint32_t count)
{
    tf->lba48 = true;
    tf->count = (uint8_t)count;                    /* 65536 -> 0, 0 */
    tf->hob_count = (uint8_t)(count >> 8);
    tf->lba_low = byte_of(lba, 0);
    tf->lba_mid = byte_of(lba, 1);
    tf->lba_high = byte_of(lba, 2);
    tf->hob_lba_low = byte_of(lba, 3);
    tf->hob_lba_mid = byte_of(lba, 4);
    tf->hob_lba_high = byte_of(lba, 5);
}

static void tf_init(struct ata_taskfile *tf, bool slave, uint8_t command)
{
    *tf = (struct ata_taskfile){ .command = command,
                                 .device = ATA_DEV_OBS | ATA_DEV_LBA |
                                           (slave ? ATA_DEV_SLAVE : 0) };
}

bool ata_range_ok(const struct ata_identity *id, uint64_t lba, uint64_t count)
{
    return count != 0 && lba < id->sectors && count <= id->sectors - lba;
}

int ata_build_rw(const struct ata_identity *id, bool slave, bool write, uint64_t lba,
                 uint32_t count, struct ata_taskfile *tf)
{
    bool small;

    if (count > ata_max_count(id) || !ata_range_ok(id, lba, count))
        return ATA_E_RANGE;
    small = lba + count <= ATA_LBA28_LIMIT && count <= ATA_LBA28_MAX_COUNT;
    if (small) {
        tf_init(tf, slave, write ? ATA_CMD_WRITE_SECTORS : ATA_CMD_READ_SECTORS);
        fill_lba28(tf, lba, count);
        return ATA_OK;
    }
    if (!id->lba48)
        return ATA_E_RANGE;
    tf_init(tf, slave, write ? ATA_CMD_WRITE_SECTORS_EXT : ATA_CMD_READ_SECTORS_EXT);
    fill_lba48(tf, lba, count);
    return ATA_OK;
}

int ata_build_flush(const struct ata_identity *id, bool slave, struct ata_taskfile *tf)
{
    if (id->flush_ext) {
        tf_init(tf, slave, ATA_CMD_FLUSH_CACHE_EXT);
        return ATA_OK;
    }
    if (!id->flush)
        return ATA_E_NOTSUP;
    tf_init(tf, slave, ATA_CMD_FLUSH_CACHE);
    return ATA_OK;
}

const char *ata_strerror(int err)
{
    switch (err) {
    case ATA_OK:         return "ok";
    case ATA_E_NODEV:    return "no drive";
    case ATA_E_NOT_ATA:  return "not an ATA disk";
    case ATA_E_IDENTIFY: return "unusable IDENTIFY data";
    case ATA_E_TIMEOUT:  return "timed out";
    case ATA_E_DEVICE:   return "device error";
    case ATA_E_RANGE:    return "sector range refused";
    case ATA_E_NOTSUP:   return "command not supported";
    default:             return "unknown error";
    }
}
