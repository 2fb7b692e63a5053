/*
 * The machine frame allocator (frame_alloc.c, pure).
 *
 * Two bitmaps over frames [0, nr_frames): "managed" (usable RAM handed to the
 * allocator, minus what was reserved) and "free". Invariants, checked by
 * fa_check(): free implies managed; nr_free and nr_managed equal the bit
 * counts; a frame is freed only if it is managed and allocated, so a double
 * free or a free of a hole, a reserved frame or an out-of-range number is
 * refused and changes nothing.
 */
#ifndef FRAME_ALLOC_H
#define FRAME_ALLOC_H

#include "lib.h"

struct frame_alloc {
    uint64_t *managed;
    uint64_t *free;
    uint64_t nr_frames;
    uint64_t nr_managed;
    uint64_t nr_free;
    uint64_t hint;              /* where the next search starts */
};

/* Bytes of storage fa_init needs for nr_frames (both bitmaps). */
uint64_t fa_storage_bytes(uint64_t nr_frames);
void fa_init(struct frame_alloc *fa, void *storage, uint64_t nr_frames);

/* Hand [first, first+count) to the allocator as free RAM. -ERANGE if it goes
 * past nr_frames, -EEXIST if any of it is already managed (no change then). */
int fa_add_ram(struct frame_alloc *fa, uint64_t first, uint64_t count);
/* Take [first, first+count) away for good (image, modules, tables).
 * Unmanaged frames in the range are skipped; -EBUSY if any is allocated. */
int fa_reserve(struct frame_alloc *fa, uint64_t first, uint64_t count);

/* A free frame number, or -ENOMEM. _below: only frames < limit. */
int64_t fa_alloc(struct frame_alloc *fa);
int64_t fa_alloc_below(struct frame_alloc *fa, uint64_t limit);
/* n free frames into out[], in the order n fa_alloc calls would give them
 * (next fit from the hint, wrapping once), a bitmap word at a time: 0, or
 * -ENOMEM with nothing taken when fewer than n are free. */
int fa_alloc_many(struct frame_alloc *fa, uint64_t *out, uint64_t n);
/* count contiguous free frames, first one returned, or -ENOMEM. */
int64_t fa_alloc_contig(struct frame_alloc *fa, uint64_t count, uint64_t limit);
/* 2^order contiguous free frames starting at a multiple of 2^order, below
 * limit: the first one, or -ENOMEM (-EINVAL for order > 20). */
int64_t fa_alloc_aligned(struct frame_alloc *fa, unsigned int order, uint64_t limit);
/* 0; -ENOENT if mfn is not a managed frame; -EINVAL if it is already free. */
int fa_free(struct frame_alloc *fa, uint64_t mfn);

bool fa_is_free(const struct frame_alloc *fa, uint64_t mfn);
bool fa_is_managed(const struct frame_alloc *fa, uint64_t mfn);
/* 0 if every invariant above holds, else -EINVAL. */
int fa_check(const struct frame_alloc *fa);

/*
 * Find size bytes, aligned, inside a RAM range of ranges[] and below limit,
 * avoiding every non-RAM range and every range in avoid[] (base/len only).
 * Used before the allocator exists, to place its own bitmaps.
 * Returns 0 and *out, or -ENOMEM.
 */
struct mem_range;
int memmap_find_free(const struct mem_range *ranges, unsigned int nr,
                     const struct mem_range *avoid, unsigned int nr_avoid,
                     uint64_t size, uint64_t align, uint64_t min, uint64_t limit,
                     uint64_t *out);

#endif /* FRAME_ALLOC_H */
