/*
 * Boot-time memory setup (memory_setup.c): the frame allocator over all usable
 * RAM, the final page tables with the direct map, and the heap.
 */
#ifndef MEMORY_SETUP_H
#define MEMORY_SETUP_H

#include "frame_alloc.h"
#include "multiboot2.h"
#include "page_types.h"

struct hv_options;

/* Needs the early direct map of the first 4 GiB (boot.S). */
void memory_init(const struct boot_info *bi, const struct hv_options *opt);
/* The host's memory map as the boot loader gave it (checked, sorted as
 * given): *nr ranges, or none before memory_init. */
const struct mem_range *host_memory_map(unsigned int *nr);
/* The memory map, totals, free frames and heap use (debug key 'm'). */
void memory_dump_info(void);
/* Check the frame table's invariants on the live system (page_types_audit.c):
 * false, with the offending frame reported, when one is broken. */
bool mm_audit(const char *when);

/* The allocator of every machine frame of RAM (frame_alloc.h). */
extern struct frame_alloc machine_frames;
extern struct frame_table ftable;     /* page_types.h: owner and types per frame */

#endif /* MEMORY_SETUP_H */
