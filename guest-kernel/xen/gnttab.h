/*
 * Tern guest kernel: the granting side of our own grant table (version 1,
 * its first frame: 512 entries), for frontends (blkfront): a page of ours
 * offered to a backend domain, and taken back once the backend no longer
 * uses it. Entries below GNTTAB_FIRST_FREE are left to the builder (0
 * console, 1 xenstore) and to the demo roles (grants.c uses 16).
 */
#ifndef GUEST_GNTTAB_H
#define GUEST_GNTTAB_H

#include <stdbool.h>
#include <stdint.h>
#include <public/grant_table.h>

#define GNTTAB_FIRST_FREE 32u
#define GNTTAB_ENTRIES    512u

/* Maps our table's first frame; 0 or a negative Xen errno. Idempotent. */
int gnttab_init(void);

/* Grants dom access to our frame mfn (read-only if ro): the entry's ref,
 * or -1 when every entry is taken. */
int gnttab_grant(domid_t dom, uint64_t mfn, bool ro);

/* Ends a grant: false (the entry stays) while dom still maps or copies
 * the page (GTF_reading/GTF_writing set). */
bool gnttab_end(grant_ref_t ref);

/* Our table's entry ref (NULL out of range or before gnttab_init): for
 * hostile roles, which rewrite an entry behind a backend's back. */
volatile struct grant_entry_v1 *gnttab_entry(grant_ref_t ref);

/* Entries in use now. */
unsigned int gnttab_in_use(void);

#endif /* GUEST_GNTTAB_H */
