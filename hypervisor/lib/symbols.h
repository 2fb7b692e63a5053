/*
 * Hypervisor symbol table for backtraces (symbols.c). The table is built
 * from the linked image by tools/gen-symbols.sh and linked in a second pass.
 */
#ifndef SYMBOLS_H
#define SYMBOLS_H

#include "lib.h"

/* The function containing addr: its name (bounded copy) and the offset of
 * addr in it. False if addr is outside the hypervisor's text. */
bool symbol_lookup(uint64_t addr, char *name, size_t len, uint64_t *offset);

#endif /* SYMBOLS_H */
