/*
 * heap.c: size-class allocator for hypervisor objects. Pure.
 *
 * Each page starts with a header: a magic number, and either the size class
 * and a bitmap of live objects (small pages) or the page count (large
 * allocations). A pointer's header is found by rounding it down to its page,
 * so freeing needs no size. The bitmap is what makes a double free or a
 * stray pointer detectable. Freed small pages stay with their class for
 * reuse; large ones go back to the provider when it can take them (so a
 * domain's bookkeeping leaves no trace once it is destroyed), else they
 * are kept on a free list by size.
 */
#include "heap.h"
#include "err.h"

#define MAGIC_SMALL 0x534c4142u        /* "SLAB" */
#define MAGIC_LARGE 0x4c415247u        /* "LARG" */
#define HDR_SIZE    128                /* keeps objects 16-aligned */
#define NR_CLASSES  8                  /* 16, 32, ... 2048 */
#define MAX_OBJS    ((PAGE_SIZE - HDR_SIZE) / 16)

struct page_hdr {
    uint32_t magic;
    uint32_t obj_size;                 /* small: class size; large: 0 */
    uint64_t npages;                   /* large: pages in this allocation */
    uint32_t nr_objs, used;
    struct page_hdr *next;             /* next page of the class / free list */
    uint64_t live[(MAX_OBJS + 63) / 64];
};
_Static_assert(sizeof(struct page_hdr) <= HDR_SIZE, "page header too big");

static struct heap_pages provider;
static struct page_hdr *classes[NR_CLASSES];
static struct page_hdr *free_large;
static struct heap_stats stats;

void heap_init(const struct heap_pages *pages)
{
    provider = *pages;
    memset(classes, 0, sizeof(classes));
    free_large = NULL;
    memset(&stats, 0, sizeof(stats));
}

static unsigned int class_of(size_t size)
{
    unsigned int c = 0;

    while ((16u << c) < size)
        c++;
    return c;
}

static struct page_hdr *new_small_page(unsigned int c)
{
    struct page_hdr *h = provider.alloc(provider.ctx, 1);

    if (!h)
        return NULL;
    stats.pages++;
    memset(h, 0, HDR_SIZE);
    h->magic = MAGIC_SMALL;
    h->obj_size = 16u << c;
    h->nr_objs = (uint32_t)((PAGE_SIZE - HDR_SIZE) / h->obj_size);
    h->next = classes[c];
    classes[c] = h;
    return h;
}

static void *take_object(struct page_hdr *h)
{
    for (uint32_t i = 0; i < h->nr_objs; i++) {
        if (h->live[i / 64] & (1ULL << (i % 64)))
            continue;
        h->live[i / 64] |= 1ULL << (i % 64);
        h->used++;
        stats.objects++;
        return (uint8_t *)h + HDR_SIZE + (size_t)i * h->obj_size;
    }
    return NULL;
}

static void *alloc_small(size_t size)
{
    unsigned int c = class_of(size);
    struct page_hdr *h;

    for (h = classes[c]; h; h = h->next)
        if (h->used < h->nr_objs)
            return take_object(h);
    h = new_small_page(c);
    return h ? take_object(h) : NULL;
}

static struct page_hdr *reuse_large(uint64_t npages)
{
    for (struct page_hdr **pp = &free_large; *pp; pp = &(*pp)->next) {
        struct page_hdr *h = *pp;
        if (h->npages == npages) {
            *pp = h->next;
            return h;
        }
    }
    return NULL;
}

static void *alloc_large(size_t size)
{
    uint64_t npages = (size + HDR_SIZE + PAGE_SIZE - 1) / PAGE_SIZE;
    struct page_hdr *h = reuse_large(npages);

    if (!h) {
        h = provider.alloc(provider.ctx, (size_t)npages);
        if (!h)
            return NULL;
        stats.pages += npages;
    }
    memset(h, 0, HDR_SIZE);
    h->magic = MAGIC_LARGE;
    h->npages = npages;
    h->used = 1;
    stats.objects++;
    return (uint8_t *)h + HDR_SIZE;
}

void *heap_alloc(size_t size)
{
    if (size == 0 || size > (SIZE_MAX / 2))
        return NULL;
    return size <= HEAP_MAX_SMALL ? alloc_small(size) : alloc_large(size);
}

void *heap_zalloc(size_t size)
{
    void *p = heap_alloc(size);

    if (p)
        memset(p, 0, size);
    return p;
}

static int free_small(struct page_hdr *h, uintptr_t off)
{
    uint64_t i;

    if (off < HDR_SIZE || (off - HDR_SIZE) % h->obj_size)
        return -EINVAL;
    i = (off - HDR_SIZE) / h->obj_size;
    if (i >= h->nr_objs || !(h->live[i / 64] & (1ULL << (i % 64))))
        return -EINVAL;
    h->live[i / 64] &= ~(1ULL << (i % 64));
    h->used--;
    stats.objects--;
    return 0;
}

int heap_free(void *p)
{
    uintptr_t addr = (uintptr_t)p;
    struct page_hdr *h = (struct page_hdr *)ALIGN_DOWN(addr, PAGE_SIZE);

    if (!p)
        return 0;
    if (h->magic == MAGIC_SMALL)
        return free_small(h, addr - (uintptr_t)h);
    if (h->magic != MAGIC_LARGE || addr - (uintptr_t)h != HDR_SIZE || !h->used)
        return -EINVAL;
    h->used = 0;
    stats.objects--;
    if (provider.free) {
        h->magic = 0;                    /* a second free must not recognise it */
        stats.pages -= h->npages;
        provider.free(provider.ctx, h, (size_t)h->npages);
        return 0;
    }
    h->next = free_large;
    free_large = h;
    return 0;
}

void heap_get_stats(struct heap_stats *st)
{
    *st = stats;
}
