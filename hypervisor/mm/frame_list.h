/*
 * A domain's frame list (frame_list.c, pure): every frame the domain
 * holds, once each, in no particular order. Each frame's page_info.slot
 * says where it sits, so taking any frame out costs the same whatever the
 * domain's size: a guest giving memory back one frame at a time cannot
 * make the hypervisor scan its list for each (issue 10, hole 7).
 */
#ifndef FRAME_LIST_H
#define FRAME_LIST_H

#include "page_types.h"

struct frame_list {
    uint64_t *mfns;              /* [0, nr) in use, room for cap */
    uint64_t nr, cap;
};

/* Append mfn, recording its slot in pages[mfn]; -ENOMEM when full. */
int frame_list_add(struct frame_list *l, struct page_info *pages, uint64_t mfn);
/* Take mfn out (the last entry moves into its slot): -EINVAL unless mfn
 * sits on l at the slot its page_info records. */
int frame_list_remove(struct frame_list *l, struct page_info *pages, uint64_t mfn);

#endif /* FRAME_LIST_H */
