/*
 * Tern guest kernel: the MBR partition table, pure (no I/O: the caller
 * reads sector 0 and passes its 512 bytes). blkback serves a primary
 * partition of a disk as a virtual disk (target `ide<N>p<K>`,
 * blk/blk_target.h), so the table decides which sectors a domain may
 * reach: it is read as hostile input, and a table that is malformed
 * anywhere is refused as a whole, not just the entry asked for.
 *
 * The layout: four 16-byte entries at byte 446 (boot flag, CHS start,
 * type, CHS end, then the first sector and the sector count as 32-bit
 * little-endian LBAs), the signature 0x55 0xaa at byte 510. CHS fields
 * are ignored, as Linux does. An entry of type 0 is unused.
 *
 * Rules (a table breaking any is refused, with the reason):
 *   1. the signature is there;
 *   2. a used entry's boot flag is 0x00 or 0x80;
 *   3. no entry has type 0xee (a GPT's protective MBR: the GPT behind it
 *      is not read, so its partitions are not served either);
 *   4. a used entry has at least one sector, starts after sector 0 (the
 *      table itself) and ends inside the disk;
 *   5. no two used entries overlap (extended ones included).
 * The entry asked for must then be 1..4 (logical partitions, inside an
 * extended one, are not served), used, and not itself an extended
 * partition (types 0x05, 0x0f, 0x85: a container, not a disk).
 */
#ifndef GUEST_MBR_H
#define GUEST_MBR_H

#include <stdbool.h>
#include <stdint.h>

#define MBR_SECTOR    512u
#define MBR_ENTRIES   4u
#define MBR_TABLE     446u            /* byte offset of entry 1 */
#define MBR_ENTRY     16u
#define MBR_TYPE_GPT  0xee

enum mbr_error {
    MBR_OK,
    MBR_E_SIGNATURE,      /* rule 1 */
    MBR_E_BOOT_FLAG,      /* rule 2 */
    MBR_E_GPT,            /* rule 3 */
    MBR_E_EMPTY,          /* rule 4: no sectors */
    MBR_E_AT_ZERO,        /* rule 4: starts at the table's sector */
    MBR_E_BEYOND,         /* rule 4: ends past the disk */
    MBR_E_OVERLAP,        /* rule 5 */
    MBR_E_NUMBER,         /* not 1..4 */
    MBR_E_UNUSED,         /* that entry is unused */
    MBR_E_EXTENDED,       /* that entry is an extended partition */
};

struct mbr_part {
    uint8_t type;
    uint64_t first, count;        /* in 512-byte sectors */
};

/* Checks the whole table in sector (512 bytes) against a disk of
 * disk_sectors; then, for number (1..4), its first sector and count into
 * *out. MBR_OK or the first rule broken (entries checked in order). */
int mbr_partition(const uint8_t *sector, uint64_t disk_sectors, unsigned int number,
                  struct mbr_part *out);

/* A short reason for an enum mbr_error. */
const char *mbr_strerror(int e);

#endif /* GUEST_MBR_H */
