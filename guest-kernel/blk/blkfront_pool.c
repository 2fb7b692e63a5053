/*
 * Tern guest kernel: blkfront's persistent grants (feature-persistent,
 * public/io/blkif.h). When the backend offers them, a pool of
 * BLKFRONT_POOL_PAGES pages of ours is granted to it once, writable
 * (blkif.h note 8: the backend may keep one writable mapping for reads
 * and writes), together with each shadow slot's indirect page, and the
 * same references serve every request until the device closes. The
 * block API hands out buffers from the pool (blkfront_buffer, as a
 * buffer cache would): I/O on them moves no byte in this domain and
 * takes no grant hypercall or grant entry write; any other buffer is
 * copied through the pool (blkfront.c). Invariants: the pool is granted
 * whole or not at all (a grant that fails ends the ones made and the
 * device runs without the feature); its grants are ended only once the
 * backend has let go (Closing or Closed), and one the backend still
 * maps is reported, never reused; a buffer is handed out at most once
 * until it is given back.
 */
#include "blk/blkfront_dev.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "kernel/mm.h"
#include "xen/gnttab.h"

static uint8_t pool[BLKFRONT_POOL_PAGES][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static grant_ref_t pool_gref[BLKFRONT_POOL_PAGES];
static bool taken[BLKFRONT_POOL_PAGES];
static unsigned int granted;             /* pool pages granted so far */
static unsigned int indirect_granted;    /* shadow slots' indirect pages */

/* Ends the first n pool grants and indirect_n indirect ones; how many
 * the backend still held (those stay granted, never reused). */
static unsigned int end_all(unsigned int n, unsigned int indirect_n)
{
    unsigned int held = 0;

    for (unsigned int i = 0; i < n; i++)
        held += !gnttab_end(pool_gref[i]);
    for (unsigned int i = 0; i < indirect_n; i++)
        held += !gnttab_end(blkfront.shadow[i].indirect_gref);
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

bool blkfront_pool_grant(void)
{
    for (granted = 0; granted < BLKFRONT_POOL_PAGES; granted++) {
        int ref = gnttab_grant(blkfront.backend_id, virt_to_mfn(pool[granted]), false);

        if (ref < 0)
            break;
        pool_gref[granted] = (grant_ref_t)ref;
        taken[granted] = false;
    }
    if (granted == BLKFRONT_POOL_PAGES && grant_indirect())
        return true;
    end_all(granted, indirect_granted);
    granted = indirect_granted = 0;
    return false;
}

void blkfront_pool_end(void)
{
    unsigned int held = end_all(granted, indirect_granted);

    if (held)
        printk("blkfront: the backend still maps %u of our reused pages\n", held);
    granted = indirect_granted = 0;
}

bool blkfront_pool_gref(const void *p, grant_ref_t *gref)
{
    uintptr_t off = (uintptr_t)p - (uintptr_t)pool;

    if (!granted || (uintptr_t)p < (uintptr_t)pool || off >= sizeof(pool))
        return false;
    *gref = pool_gref[off / PAGE_SIZE];
    return true;
}

/* The first run of n free pool pages: its index, or -1. */
static int free_run(size_t n)
{
    for (size_t i = 0, run = 0; i < BLKFRONT_POOL_PAGES; i++) {
        run = taken[i] ? 0 : run + 1;
        if (run == n)
            return (int)(i + 1 - n);
    }
    return -1;
}

void *blkfront_buffer(size_t pages)
{
    int first = granted && pages && pages <= BLKFRONT_POOL_PAGES ? free_run(pages) : -1;

    if (first < 0)
        return NULL;
    for (size_t i = 0; i < pages; i++)
        taken[(size_t)first + i] = true;
    return pool[first];
}

void blkfront_buffer_free(void *buf, size_t pages)
{
    size_t first = (size_t)((uint8_t *)buf - pool[0]) / PAGE_SIZE;

    for (size_t i = 0; i < pages && first + i < BLKFRONT_POOL_PAGES; i++)
        taken[first + i] = false;
}
