/*
 * extable.c: the exception table's lookup. Pure: the table's bounds are
 * given, so the host unit test builds its own. A fault in hypervisor
 * context is fatal unless its rip is an entry's instruction; then it
 * resumes at that entry's fixup (traps.c), which reports the failure to
 * the caller instead of crashing.
 */
#include <asm/guest_access.h>

bool guest_copy_smap;

static uint64_t target(const int32_t *field)
{
    return (uint64_t)(uintptr_t)field + (uint64_t)(int64_t)*field;
}

uint64_t extable_search(const struct extable_entry *first,
                        const struct extable_entry *last, uint64_t rip)
{
    for (const struct extable_entry *e = first; e < last; e++)
        if (target(&e->insn) == rip)
            return target(&e->fixup);
    return 0;
}
