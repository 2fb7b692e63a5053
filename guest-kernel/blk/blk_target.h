/*
 * Tern guest kernel: blkback's target syntax, pure: what a vbd's backend
 * `params` node (the `target` of xl's disk spec) names on domain 0.
 *
 *   ide<N>                    the whole ATA disk at IDE position N: 0 ata0
 *                             master, 1 ata0 slave, 2 ata1 master, 3 ata1
 *                             slave (as QEMU's -drive if=ide,index=N)
 *   ide<N>:<first>+<count>    count 512-byte sectors of it from sector
 *                             first (a byte range of the disk: two domains
 *                             on two ranges of one disk never see each
 *                             other's data)
 *   ide<N>p<K>                primary partition K (1..4) of that disk's
 *                             MBR (blk/mbr.h: read when the vbd is set
 *                             up; a malformed table is refused whole)
 *   module                    domain 0's disk-image module (its initrd
 *                             when it is not a configuration module);
 *                             writes to it are lost at power-off
 *   module:<first>+<count>    a range of that image
 *   modulep<K>                a primary partition of that image
 *
 * Numbers are decimal, at most 19 digits (no overflow); nothing may
 * follow. Whether the range fits the disk is blk_vdisk_valid's to say.
 */
#ifndef GUEST_BLK_TARGET_H
#define GUEST_BLK_TARGET_H

#include <stdbool.h>
#include <stdint.h>

#define BLK_TARGET_IDE_MAX 4
#define BLK_TARGET_MODULE  BLK_TARGET_IDE_MAX   /* pos of the module image */

struct blk_target {
    unsigned int pos;            /* 0..3: IDE position; BLK_TARGET_MODULE */
    bool whole;                  /* no range and no partition given */
    unsigned int partition;      /* 1..4: that MBR primary partition; 0: none */
    uint64_t first, count;       /* the range, in 512-byte sectors */
};

/* Parses s (NUL-ended); false, with *why set, when it is not a target. */
bool blk_target_parse(const char *s, struct blk_target *t, const char **why);

#endif /* GUEST_BLK_TARGET_H */
