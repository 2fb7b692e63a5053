/*
 * Direct access to guest memory (mm/guest_memory.h says when it is used):
 * the copy instruction (guest_copy.S), the exception table that lets it
 * fault (extable.c), and the question whether a guest root is in CR3.
 */
#ifndef ASM_GUEST_ACCESS_H
#define ASM_GUEST_ACCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One entry; each field is an offset from the field's own address, so the
 * table needs no relocation. */
struct extable_entry {
    int32_t insn, fixup;
};

/* The fixup for a fault at rip among entries [first, last), or 0. Pure. */
uint64_t extable_search(const struct extable_entry *first,
                        const struct extable_entry *last, uint64_t rip);

/* Set by cpufeature.c when CR4.SMAP is on (guest_copy.S reads it). */
extern bool guest_copy_smap;

/* guest_copy.S: copies n bytes, returns how many were NOT copied. */
size_t guest_copy_raw(void *dst, const void *src, size_t n);

/* guest_copy.S: one 32-bit load, zero-extended, or ~0 if it faults. */
uint64_t guest_load_u32(const uint32_t *src);

/* guest_copy.S: n quadwords, returns how many were NOT copied. */
size_t guest_copy_words(uint64_t *dst, const uint64_t *src, size_t n);

/* guest_copy.S: one 64-bit store; 0, or 1 if it faults (nothing written). */
uint64_t guest_store_u64(uint64_t *dst, uint64_t val);

/* Is cr3 (a guest L4's machine address) the root loaded on this CPU? */
bool guest_root_loaded(uint64_t cr3);

#endif /* ASM_GUEST_ACCESS_H */
