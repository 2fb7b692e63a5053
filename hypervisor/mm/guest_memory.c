/*
 * guest_memory.c: copy to and from guest virtual memory. Pure; the rules
 * are in guest_memory.h. Copies go page by page, re-walking for each page,
 * because consecutive virtual pages may lie in any machine frames.
 */
#include "guest_address.h"
#include "guest_memory.h"
#include "err.h"
#include "layout.h"

#define LEVELS 4

static unsigned int index_at(uint64_t gva, unsigned int level)
{
    return (unsigned int)((gva >> (12 + 9 * (level - 1))) & 511);
}

/* The entry the walk needs at level, or 0 if the table frame is unreachable. */
static uint64_t read_entry(struct guest_space *gs, uint64_t table_maddr,
                           uint64_t gva, unsigned int level)
{
    const uint64_t *t = gs->frame(gs->ctx, table_maddr >> PAGE_SHIFT);

    return t ? t[index_at(gva, level)] : 0;
}

static bool entry_allows(uint64_t e, bool write)
{
    if (!(e & PTE_P) || !(e & PTE_US))
        return false;
    return !write || (e & PTE_RW);
}

static bool cache_hit(const struct guest_space *gs, uint64_t gva, bool write, uint64_t *maddr)
{
    if (!gs->cached || gs->cached_page != (gva & ~(PAGE_SIZE - 1)) || (write && !gs->cached_rw))
        return false;
    *maddr = gs->cached_maddr | (gva & (PAGE_SIZE - 1));
    return true;
}

static int walk(struct guest_space *gs, uint64_t gva, bool write, uint64_t *maddr);

int guest_translate(struct guest_space *gs, uint64_t gva, bool write, uint64_t *maddr)
{
    int rc;

    if (cache_hit(gs, gva, write, maddr))
        return 0;
    rc = walk(gs, gva, write, maddr);
    if (rc == 0) {
        gs->cached = true;
        gs->cached_rw = write;
        gs->cached_page = gva & ~(PAGE_SIZE - 1);
        gs->cached_maddr = *maddr & ~(PAGE_SIZE - 1);
    }
    return rc;
}

static int walk(struct guest_space *gs, uint64_t gva, bool write, uint64_t *maddr)
{
    uint64_t table = gs->cr3 & PTE_ADDR_MASK;

    if (!guest_address_ok(gva))
        return -EFAULT;
    for (unsigned int level = LEVELS; level >= 1; level--) {
        uint64_t e = read_entry(gs, table, gva, level);
        if (!entry_allows(e, write))
            return -EFAULT;
        if (level > 1 && (e & PTE_PS)) {
            /* A superpage at L3 (1 GiB) or L2 (2 MiB). */
            uint64_t size = 1ULL << (12 + 9 * (level - 1));
            *maddr = (e & PTE_ADDR_MASK & ~(size - 1)) | (gva & (size - 1));
            return level == 4 ? -EFAULT : 0;
        }
        table = e & PTE_ADDR_MASK;
    }
    *maddr = table | (gva & (PAGE_SIZE - 1));
    return 0;
}

/* Pointer to the bytes at gva, valid to the end of its page, or NULL. */
static uint8_t *map_guest_byte(struct guest_space *gs, uint64_t gva, bool write)
{
    uint64_t maddr;
    uint8_t *frame;

    if (guest_translate(gs, gva, write, &maddr))
        return NULL;
    frame = gs->frame(gs->ctx, maddr >> PAGE_SHIFT);
    return frame ? frame + (maddr & (PAGE_SIZE - 1)) : NULL;
}

/* Chunk of the copy at gva that stays inside one page. */
static size_t chunk(uint64_t gva, size_t left)
{
    return (size_t)MIN((uint64_t)left, PAGE_SIZE - (gva & (PAGE_SIZE - 1)));
}

/* May this range be copied through its own virtual address? */
static bool direct_ok(const struct guest_space *gs, uint64_t gva, size_t len)
{
    return gs->raw && len && guest_range_ok(gva, len) && gs->root_loaded(gs->cr3);
}

int copy_from_guest(struct guest_space *gs, void *dst, uint64_t gva, size_t len)
{
    uint8_t *d = dst;
    size_t done = 0;

    if (direct_ok(gs, gva, len) && gs->raw(dst, (const void *)gva, len) == 0)
        return 0;
    if (!guest_range_ok(gva, len))
        goto fault;
    while (done < len) {
        size_t n = chunk(gva + done, len - done);
        const uint8_t *src = map_guest_byte(gs, gva + done, false);
        if (!src)
            goto fault;
        memcpy(d + done, src, n);
        done += n;
    }
    return 0;
fault:
    memset(dst, 0, len);
    return -EFAULT;
}

/* Pages are checked before the first byte is written, so a copy that
 * faults part way leaves guest memory unchanged. */
static int check_writable(struct guest_space *gs, uint64_t gva, size_t len)
{
    size_t done = 0;

    if (!guest_range_ok(gva, len))
        return -EFAULT;
    while (done < len) {
        if (!map_guest_byte(gs, gva + done, true))
            return -EFAULT;
        done += chunk(gva + done, len - done);
    }
    return 0;
}

static int write_guest(struct guest_space *gs, uint64_t gva, const void *src,
                       size_t len)
{
    const uint8_t *s = src;
    size_t done = 0;
    int rc = check_writable(gs, gva, len);

    while (rc == 0 && done < len) {
        size_t n = chunk(gva + done, len - done);
        uint8_t *d = map_guest_byte(gs, gva + done, true);
        if (s)
            memcpy(d, s + done, n);
        else
            memset(d, 0, n);
        done += n;
    }
    return rc;
}

int copy_to_guest(struct guest_space *gs, uint64_t gva, const void *src, size_t len)
{
    if (src && chunk(gva, len) == len && direct_ok(gs, gva, len) &&
        gs->raw((void *)gva, src, len) == 0)
        return 0;
    return src || !len ? write_guest(gs, gva, src, len) : -EFAULT;
}

int clear_guest(struct guest_space *gs, uint64_t gva, size_t len)
{
    return write_guest(gs, gva, NULL, len);
}
