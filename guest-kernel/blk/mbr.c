/*
 * Tern guest kernel: the MBR partition table (see mbr.h). Invariants:
 * the table is checked whole before any entry is handed out, so a
 * partition served is inside the disk, after the table's sector and
 * shares no sector with any other entry; every field is read byte by
 * byte (little-endian, no unaligned loads), and the sums are done in 64
 * bits, so no 32-bit LBA + count can wrap.
 */
#include "blk/mbr.h"

#define SIG_OFFSET 510u

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static struct mbr_part entry(const uint8_t *sector, unsigned int i, uint8_t *flag)
{
    const uint8_t *e = sector + MBR_TABLE + i * MBR_ENTRY;

    *flag = e[0];
    return (struct mbr_part){ .type = e[4], .first = le32(e + 8), .count = le32(e + 12) };
}

static bool is_extended(uint8_t type)
{
    return type == 0x05 || type == 0x0f || type == 0x85;
}

/* Rules 2-4 for one used entry. */
static int check_entry(const struct mbr_part *p, uint8_t flag, uint64_t disk_sectors)
{
    if (flag != 0x00 && flag != 0x80)
        return MBR_E_BOOT_FLAG;
    if (p->type == MBR_TYPE_GPT)
        return MBR_E_GPT;
    if (p->count == 0)
        return MBR_E_EMPTY;
    if (p->first == 0)
        return MBR_E_AT_ZERO;
    if (p->first > disk_sectors || p->count > disk_sectors - p->first)
        return MBR_E_BEYOND;
    return MBR_OK;
}

static bool overlap(const struct mbr_part *a, const struct mbr_part *b)
{
    return a->first < b->first + b->count && b->first < a->first + a->count;
}

/* Rules 1-5 over the whole table; the entries into p[]. */
static int check_table(const uint8_t *sector, uint64_t disk_sectors, struct mbr_part *p)
{
    uint8_t flag;

    if (sector[SIG_OFFSET] != 0x55 || sector[SIG_OFFSET + 1] != 0xaa)
        return MBR_E_SIGNATURE;
    for (unsigned int i = 0; i < MBR_ENTRIES; i++) {
        int rc;

        p[i] = entry(sector, i, &flag);
        if (p[i].type == 0)
            continue;
        rc = check_entry(&p[i], flag, disk_sectors);
        if (rc)
            return rc;
        for (unsigned int j = 0; j < i; j++)
            if (p[j].type && overlap(&p[i], &p[j]))
                return MBR_E_OVERLAP;
    }
    return MBR_OK;
}

int mbr_partition(const uint8_t *sector, uint64_t disk_sectors, unsigned int number,
                  struct mbr_part *out)
{
    struct mbr_part p[MBR_ENTRIES];
    int rc = check_table(sector, disk_sectors, p);

    if (rc)
        return rc;
    if (number < 1 || number > MBR_ENTRIES)
        return MBR_E_NUMBER;
    if (p[number - 1].type == 0)
        return MBR_E_UNUSED;
    if (is_extended(p[number - 1].type))
        return MBR_E_EXTENDED;
    *out = p[number - 1];
    return MBR_OK;
}

const char *mbr_strerror(int e)
{
    static const char *const why[] = {
        [MBR_OK] = "ok",
        [MBR_E_SIGNATURE] = "no MBR signature (0x55 0xaa) in sector 0",
        [MBR_E_BOOT_FLAG] = "an entry's boot flag is neither 0x00 nor 0x80",
        [MBR_E_GPT] = "a GPT's protective MBR (GPT is not read)",
        [MBR_E_EMPTY] = "a used entry has no sectors",
        [MBR_E_AT_ZERO] = "an entry starts at sector 0, the table itself",
        [MBR_E_BEYOND] = "an entry ends past the disk",
        [MBR_E_OVERLAP] = "two entries overlap",
        [MBR_E_NUMBER] = "want a primary partition 1..4 (logical ones are not served)",
        [MBR_E_UNUSED] = "that partition is unused",
        [MBR_E_EXTENDED] = "that is an extended partition (logical ones are not served)",
    };

    return e >= 0 && e <= MBR_E_EXTENDED ? why[e] : "unknown MBR error";
}
