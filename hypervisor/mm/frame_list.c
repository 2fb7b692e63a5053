/*
 * frame_list.c: a domain's frames, with O(1) removal (frame_list.h).
 * Invariant: for every i < nr, pages[mfns[i]].slot == i.
 */
#include "frame_list.h"
#include "err.h"

int frame_list_add(struct frame_list *l, struct page_info *pages, uint64_t mfn)
{
    if (l->nr == l->cap || l->nr > UINT32_MAX)
        return -ENOMEM;
    pages[mfn].slot = (uint32_t)l->nr;
    l->mfns[l->nr++] = mfn;
    return 0;
}

int frame_list_remove(struct frame_list *l, struct page_info *pages, uint64_t mfn)
{
    uint32_t slot = pages[mfn].slot;
    uint64_t last;

    if (slot >= l->nr || l->mfns[slot] != mfn)
        return -EINVAL;
    last = l->mfns[--l->nr];
    l->mfns[slot] = last;
    pages[last].slot = slot;
    return 0;
}
