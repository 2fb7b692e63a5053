/*
 * symbols.c: address-to-name lookup over the table tools/gen-symbols.sh
 * generates. The first link gets an empty table, the second the real one;
 * the table sits after all code (its own output section) so no function
 * moves between the two links (the Makefile checks).
 */
#include "symbols.h"

extern char _start[], _etext[];

extern const uint64_t hv_symbol_count;
extern const uint64_t hv_symbol_addrs[];            /* sorted */
extern const uint32_t hv_symbol_name_offsets[];
extern const char hv_symbol_names[];

/* Index of the last symbol at or below addr, or -1. Addresses are sorted. */
static int64_t find(uint64_t addr)
{
    int64_t lo = 0, hi = (int64_t)hv_symbol_count - 1, best = -1;

    while (lo <= hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (hv_symbol_addrs[mid] <= addr) {
            best = mid;
            lo = mid + 1;
        } else {
            hi = mid - 1;
        }
    }
    return best;
}

bool symbol_lookup(uint64_t addr, char *name, size_t len, uint64_t *offset)
{
    int64_t i;
    const char *s;
    size_t n;

    if (addr < (uint64_t)_start || addr >= (uint64_t)_etext || len == 0)
        return false;
    i = find(addr);
    if (i < 0)
        return false;
    s = hv_symbol_names + hv_symbol_name_offsets[i];
    n = strnlen(s, len - 1);
    memcpy(name, s, n);
    name[n] = '\0';
    *offset = addr - hv_symbol_addrs[i];
    return true;
}
