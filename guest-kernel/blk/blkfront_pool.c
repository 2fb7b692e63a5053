/*
 * Tern guest kernel: blkfront's persistent grants (feature-persistent,
 * public/io/blkif.h). When the backend offers them, a pool of
 * BLKFRONT_POOL_PAGES pages (taken from the page allocator at connect,
 * so a domain without a disk pays nothing) is granted to it once,
 * writable (blkif.h note 8: the backend may keep one writable mapping
 * for reads and writes), together with each shadow slot's indirect
 * page, and the same references serve every request until the device
 * closes. The block API hands out runs of pool pages (blkfront_buf_get,
 * as a buffer cache would): I/O on them moves no byte in this domain and
 * takes no grant hypercall or grant entry write; any other buffer is
 * copied through the pool (blkfront.c). Invariants: the pool is granted
 * whole or not at all (a page or grant that fails gives back the ones
 * taken and the device runs without the feature); its grants are ended
 * only once the backend has let go (Closing or Closed), and a page the
 * backend still maps is reported and never reused nor freed; a page is
 * handed out at most once until it is given back.
 */
#include "blk/blkfront_dev.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "kernel/mm.h"
#include "xen/gnttab.h"

static uint64_t pool_pfn[BLKFRONT_POOL_PAGES];
static grant_ref_t pool_gref[BLKFRONT_POOL_PAGES];
static bool taken[BLKFRONT_POOL_PAGES];
static unsigned int granted;             /* pool pages taken and granted */
static unsigned int indirect_granted;    /* shadow slots' indirect pages */

/* Ends the pool's grants and the indirect pages' and frees the pool's
 * pages; how many the backend still held (those stay, never reused). */
static unsigned int end_all(void)
{
    unsigned int held = 0;

    for (unsigned int i = 0; i < granted; i++) {
        bool ended = gnttab_end(pool_gref[i]);

        if (ended)
            page_free(pool_pfn[i]);
        held += !ended;
    }
    for (unsigned int i = 0; i < indirect_granted; i++)
        held += !gnttab_end(blkfront.shadow[i].indirect_gref);
    granted = indirect_granted = 0;
    return held;
}

/* Every shadow slot's indirect page, granted read-only (the backend
 * only reads descriptors): false when a grant failed. */
static bool grant_indirect(void)
{
    for (indirect_granted = 0; indirect_granted < BLKIF_RING_SIZE; indirect_granted++) {
        struct blkfront_shadow *s = &blkfront.shadow[indirect_granted];
        int ref = s->indirect ? gnttab_grant(blkfront.backend_id, virt_to_mfn(s->indirect), true)
                              : -1;

        if (ref < 0)
            return false;
        s->indirect_gref = (grant_ref_t)ref;
    }
    return true;
}

/* One more pool page, taken and granted: false if either failed. */
static bool grow(void)
{
    long pfn = page_alloc();
    int ref = pfn < 0 ? -1 : gnttab_grant(blkfront.backend_id, pfn_to_mfn((uint64_t)pfn), false);

    if (ref < 0) {
        if (pfn >= 0)
            page_free((uint64_t)pfn);
        return false;
    }
    pool_pfn[granted] = (uint64_t)pfn;
    pool_gref[granted] = (grant_ref_t)ref;
    taken[granted++] = false;
    return true;
}

bool blkfront_pool_grant(void)
{
    while (granted < BLKFRONT_POOL_PAGES && grow())
        ;
    if (granted == BLKFRONT_POOL_PAGES && grant_indirect())
        return true;
    end_all();
    return false;
}

void blkfront_pool_end(void)
{
    unsigned int held = end_all();

    if (held)
        printk("blkfront: the backend still maps %u of our reused pages\n", held);
}

grant_ref_t blkfront_pool_ref(uint32_t i)
{
    return pool_gref[i];
}

void *blkfront_buf_page(const struct blkfront_buf *b, uint32_t i)
{
    return pfn_to_virt(pool_pfn[b->first + i]);
}

/* The first run of n free pool pages: its index, or -1. */
static int free_run(uint32_t n)
{
    for (uint32_t i = 0, run = 0; i < granted; i++) {
        run = taken[i] ? 0 : run + 1;
        if (run == n)
            return (int)(i + 1 - n);
    }
    return -1;
}

bool blkfront_buf_get(struct blkfront_buf *b, uint32_t pages)
{
    int first = pages ? free_run(pages) : -1;

    if (first < 0)
        return false;
    *b = (struct blkfront_buf){ .first = (uint32_t)first, .pages = pages };
    for (uint32_t i = 0; i < pages; i++)
        taken[b->first + i] = true;
    return true;
}

void blkfront_buf_put(const struct blkfront_buf *b)
{
    for (uint32_t i = 0; i < b->pages && b->first + i < BLKFRONT_POOL_PAGES; i++)
        taken[b->first + i] = false;
}
