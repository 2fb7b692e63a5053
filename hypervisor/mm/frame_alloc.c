/*
 * frame_alloc.c: bitmap allocator of machine frames. Pure; the invariants
 * are stated in frame_alloc.h. Searches start at a moving hint (next fit)
 * so repeated allocations do not rescan the low frames.
 */
#include "frame_alloc.h"
#include "multiboot2.h"
#include "err.h"

#define BITS 64

static bool test_bit(const uint64_t *map, uint64_t n)
{
    return (map[n / BITS] >> (n % BITS)) & 1;
}

static void set_bit(uint64_t *map, uint64_t n)
{
    map[n / BITS] |= 1ULL << (n % BITS);
}

static void clear_bit(uint64_t *map, uint64_t n)
{
    map[n / BITS] &= ~(1ULL << (n % BITS));
}

/* Bits set in x (no libgcc in the image, so no __builtin_popcount). */
static uint64_t popcount64(uint64_t x)
{
    x = x - ((x >> 1) & 0x5555555555555555ULL);
    x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
    return (x * 0x0101010101010101ULL) >> 56;
}

static uint64_t words(uint64_t nr_frames)
{
    return (nr_frames + BITS - 1) / BITS;
}

uint64_t fa_storage_bytes(uint64_t nr_frames)
{
    return 2 * words(nr_frames) * sizeof(uint64_t);
}

void fa_init(struct frame_alloc *fa, void *storage, uint64_t nr_frames)
{
    fa->managed = storage;
    fa->free = fa->managed + words(nr_frames);
    fa->nr_frames = nr_frames;
    fa->nr_managed = fa->nr_free = fa->hint = 0;
    memset(storage, 0, fa_storage_bytes(nr_frames));
}

static bool range_ok(const struct frame_alloc *fa, uint64_t first, uint64_t count)
{
    return first <= fa->nr_frames && count <= fa->nr_frames - first;
}

/* The bits of bitmap word w that frames [first, end) cover (end > first,
 * and w one of the words they span). Ranges are handled a word at a time:
 * the boot adds and reserves every RAM frame, 64 per word. */
static uint64_t word_mask(uint64_t w, uint64_t first, uint64_t end)
{
    uint64_t lo = MAX(first, w * BITS), n = MIN(end, (w + 1) * BITS) - lo;

    return (n == BITS ? ~0ULL : (1ULL << n) - 1) << (lo % BITS);
}

/* Does any frame of [first, first + count) have its bit set in map? */
static bool any_bit(const uint64_t *map, uint64_t first, uint64_t count)
{
    uint64_t end = first + count;

    for (uint64_t w = first / BITS; count && w <= (end - 1) / BITS; w++)
        if (map[w] & word_mask(w, first, end))
            return true;
    return false;
}

int fa_add_ram(struct frame_alloc *fa, uint64_t first, uint64_t count)
{
    uint64_t end = first + count;

    if (!range_ok(fa, first, count))
        return -ERANGE;
    if (any_bit(fa->managed, first, count))
        return -EEXIST;
    for (uint64_t w = first / BITS; count && w <= (end - 1) / BITS; w++) {
        fa->managed[w] |= word_mask(w, first, end);
        fa->free[w] |= word_mask(w, first, end);
    }
    fa->nr_managed += count;
    fa->nr_free += count;
    return 0;
}

/* Managed but not free: in use. */
static bool any_in_use(const struct frame_alloc *fa, uint64_t first, uint64_t count)
{
    uint64_t end = first + count;

    for (uint64_t w = first / BITS; count && w <= (end - 1) / BITS; w++)
        if (fa->managed[w] & ~fa->free[w] & word_mask(w, first, end))
            return true;
    return false;
}

int fa_reserve(struct frame_alloc *fa, uint64_t first, uint64_t count)
{
    uint64_t end, gone;

    if (!range_ok(fa, first, count))
        count = first < fa->nr_frames ? fa->nr_frames - first : 0;
    if (any_in_use(fa, first, count))
        return -EBUSY;
    end = first + count;
    for (uint64_t w = first / BITS; count && w <= (end - 1) / BITS; w++) {
        gone = popcount64(fa->managed[w] & word_mask(w, first, end));
        fa->managed[w] &= ~word_mask(w, first, end);
        fa->free[w] &= ~word_mask(w, first, end);
        fa->nr_managed -= gone;
        fa->nr_free -= gone;                 /* every one was free: any_in_use */
    }
    return 0;
}

/* First free frame in [from, to), or to if none. Skips empty words whole. */
static uint64_t find_free(const struct frame_alloc *fa, uint64_t from, uint64_t to)
{
    uint64_t i = from;

    while (i < to) {
        if (i % BITS == 0 && fa->free[i / BITS] == 0) {
            i += BITS;
            continue;
        }
        if (test_bit(fa->free, i))
            return i;
        i++;
    }
    return to;
}

static int64_t take(struct frame_alloc *fa, uint64_t mfn)
{
    clear_bit(fa->free, mfn);
    fa->nr_free--;
    fa->hint = mfn + 1;
    return (int64_t)mfn;
}

int64_t fa_alloc_below(struct frame_alloc *fa, uint64_t limit)
{
    uint64_t top = MIN(limit, fa->nr_frames);
    uint64_t start = fa->hint < top ? fa->hint : 0;
    uint64_t mfn = find_free(fa, start, top);

    if (mfn == top && start)
        mfn = find_free(fa, 0, start);
    if (mfn >= top || !test_bit(fa->free, mfn))
        return -ENOMEM;
    return take(fa, mfn);
}

int64_t fa_alloc(struct frame_alloc *fa)
{
    return fa_alloc_below(fa, fa->nr_frames);
}

/* Index of the lowest set bit of x (x != 0); an inline bsf, no libgcc. */
static uint64_t lowest_bit(uint64_t x)
{
    return (uint64_t)__builtin_ctzll(x);
}

/* Take the free frames of [from, to) lowest first, a bitmap word at a time,
 * into out[got..n); the new got. */
static uint64_t take_range(struct frame_alloc *fa, uint64_t from, uint64_t to, uint64_t *out,
                           uint64_t got, uint64_t n)
{
    for (uint64_t w = from / BITS; got < n && from < to && w <= (to - 1) / BITS; w++) {
        uint64_t bits = fa->free[w] & word_mask(w, from, to);
        for (; bits && got < n; bits &= bits - 1)
            out[got++] = (uint64_t)take(fa, w * BITS + lowest_bit(bits));
    }
    return got;
}

int fa_alloc_many(struct frame_alloc *fa, uint64_t *out, uint64_t n)
{
    uint64_t start = fa->hint < fa->nr_frames ? fa->hint : 0, got;

    if (n > fa->nr_free)
        return -ENOMEM;
    got = take_range(fa, start, fa->nr_frames, out, 0, n);
    got = take_range(fa, 0, start, out, got, n);
    return got == n ? 0 : -EINVAL;          /* only with nr_free wrong (fa_check) */
}

int64_t fa_alloc_contig(struct frame_alloc *fa, uint64_t count, uint64_t limit)
{
    uint64_t top = MIN(limit, fa->nr_frames), run = 0;

    if (count == 0)
        return -EINVAL;
    for (uint64_t i = 0; i < top; i++) {
        if (run == 0 && i % BITS == 0 && fa->free[i / BITS] == 0) {
            i += BITS - 1;               /* a word with nothing free: skip it whole, */
            continue;                    /* or a full memory makes each heap page O(frames) */
        }
        run = test_bit(fa->free, i) ? run + 1 : 0;
        if (run == count) {
            uint64_t first = i + 1 - count;
            for (uint64_t j = first; j <= i; j++)
                take(fa, j);
            return (int64_t)first;
        }
    }
    return -ENOMEM;
}

static bool run_free(const struct frame_alloc *fa, uint64_t first, uint64_t n)
{
    for (uint64_t i = first; i < first + n; i++)
        if (!test_bit(fa->free, i))
            return false;
    return true;
}

int64_t fa_alloc_aligned(struct frame_alloc *fa, unsigned int order, uint64_t limit)
{
    uint64_t n, top = MIN(limit, fa->nr_frames);

    if (order > 20)
        return -EINVAL;
    n = 1ULL << order;
    for (uint64_t first = 0; first + n <= top; first += n) {
        if (!run_free(fa, first, n))
            continue;
        for (uint64_t j = first; j < first + n; j++)
            take(fa, j);
        return (int64_t)first;
    }
    return -ENOMEM;
}

int fa_free(struct frame_alloc *fa, uint64_t mfn)
{
    if (mfn >= fa->nr_frames || !test_bit(fa->managed, mfn))
        return -ENOENT;
    if (test_bit(fa->free, mfn))
        return -EINVAL;
    set_bit(fa->free, mfn);
    fa->nr_free++;
    return 0;
}

bool fa_is_free(const struct frame_alloc *fa, uint64_t mfn)
{
    return mfn < fa->nr_frames && test_bit(fa->free, mfn);
}

bool fa_is_managed(const struct frame_alloc *fa, uint64_t mfn)
{
    return mfn < fa->nr_frames && test_bit(fa->managed, mfn);
}

int fa_check(const struct frame_alloc *fa)
{
    uint64_t managed = 0, free = 0;

    for (uint64_t w = 0; w < words(fa->nr_frames); w++) {
        if (fa->free[w] & ~fa->managed[w])
            return -EINVAL;
        managed += popcount64(fa->managed[w]);
        free += popcount64(fa->free[w]);
    }
    return (managed == fa->nr_managed && free == fa->nr_free) ? 0 : -EINVAL;
}

/* The lowest aligned address >= *pos that avoids every blocker; false when
 * it would end past end. */
static bool skip_blockers(uint64_t *pos, uint64_t size, uint64_t align, uint64_t end,
                          const struct mem_range *ranges, unsigned int nr,
                          const struct mem_range *avoid, unsigned int nr_avoid)
{
    bool moved = true;

    while (moved) {
        moved = false;
        if (*pos > end || size > end - *pos)
            return false;
        for (unsigned int i = 0; i < nr + nr_avoid; i++) {
            const struct mem_range *b = i < nr ? &ranges[i] : &avoid[i - nr];
            if ((i < nr && b->type == MB2_MEM_RAM) || !b->len)
                continue;
            if (*pos < b->base + b->len && b->base < *pos + size) {
                *pos = ALIGN_UP(b->base + b->len, align);
                moved = true;
            }
        }
    }
    return true;
}

int memmap_find_free(const struct mem_range *ranges, unsigned int nr,
                     const struct mem_range *avoid, unsigned int nr_avoid,
                     uint64_t size, uint64_t align, uint64_t min, uint64_t limit,
                     uint64_t *out)
{
    for (unsigned int i = 0; i < nr; i++) {
        const struct mem_range *r = &ranges[i];
        uint64_t pos, end;
        if (r->type != MB2_MEM_RAM)
            continue;
        pos = ALIGN_UP(MAX(r->base, min), align);
        end = MIN(r->base + r->len, limit);
        if (skip_blockers(&pos, size, align, end, ranges, nr, avoid, nr_avoid)) {
            *out = pos;
            return 0;
        }
    }
    return -ENOMEM;
}
