/*
 * The frame table and page types (page_types.c, pure): the rules that keep a guest
 * from ever mapping a frame it does not own, writing a live page table, or
 * reaching the hypervisor. The invariants are stated at the top of page_types.c.
 */
#ifndef PAGE_TYPES_H
#define PAGE_TYPES_H

#include "lib.h"
#include <asm/pte.h>

enum page_type {
    PGT_none = 0,        /* no type references */
    PGT_writable,        /* mapped writable somewhere (or being written) */
    PGT_l1,              /* validated page tables, by level */
    PGT_l2,
    PGT_l3,
    PGT_l4,
    PGT_seg_desc,        /* GDT/LDT page */
};

#define PGF_pinned    0x01   /* holds one type reference of its own */
#define PGF_busy      0x02   /* being validated: no new type references */
#define PGF_shared    0x04   /* the hypervisor's page shared with its owner
                                (shared_info): holds one general and one
                                writable type reference of its own from its
                                creation to the owner's teardown */

#define OWNER_NONE    0xffff /* free, or hypervisor-private */

struct page_info {
    uint32_t count;          /* general references (mappings, type refs, pins) */
    uint32_t type_count;     /* references to the current type */
    uint16_t owner;          /* domid, or OWNER_NONE */
    uint8_t type;            /* enum page_type */
    uint8_t flags;           /* PGF_* */
    int16_t linear;          /* > 0: linear entries this table holds;
                                < 0: times it is another table's linear target */
    uint16_t pad;
    uint32_t slot;           /* index in the owner's frame list (domain.c) */
};

#define PAGE_COUNT_MAX 0x7fffffffu

struct frame_table {
    struct page_info *pages;
    uint64_t nr;                               /* frames [0, nr) */
    /* Contents of machine frame mfn (in the table's range). */
    void *(*frame)(void *ctx, uint64_t mfn);
    /* Or, when not NULL, every frame of the table in one linear map: frame
     * mfn at direct + mfn * PAGE_SIZE (the hypervisor's direct map), with
     * no call on the path of every PTE update. */
    uint8_t *direct;
    /* Write the hypervisor's L4 slots into a guest L4 being validated. */
    void (*fill_hv_slots)(void *ctx, uint64_t *l4);
    void *ctx;
    bool nx;                                   /* the CPU has NX: bit 63 allowed */
    uint64_t m2p_l4e;                          /* slot 256 of a kernel root L4, or 0 there */
    /* May mapper's L1 entries map frame_owner's frames (a foreign mapping
     * of a privileged domain's)? NULL: never. */
    bool (*foreign_ok)(void *ctx, uint16_t mapper, uint16_t frame_owner);
    /* The last general reference to mfn went (NULL: nothing to do): a
     * frame of an ended domain kept for others' mappings can then go. */
    void (*released)(void *ctx, uint64_t mfn);
    /* Is machine frame mfn I/O memory, and may it be mapped (enum
     * iomem_kind: 0 RAM, 1 mappable, 2 denied)? Fixed for a frame from
     * before the first domain on. NULL: every frame is RAM. */
    unsigned int (*iomem)(void *ctx, uint64_t mfn);
    /* May mapper map mappable I/O memory (a privileged domain)? */
    bool (*iomem_ok)(void *ctx, uint16_t mapper);
};

#define OWNER_ORPHAN  0xfffe  /* an ended domain's frame others still map */

#define HV_L4_FIRST    256               /* reserved hypervisor L4 slots */
#define HV_L4_LAST     271

void ft_init(struct frame_table *ft);

/* General references: owner must match. 0, or -EINVAL. */
int get_page(struct frame_table *ft, uint64_t mfn, uint16_t owner);
void put_page(struct frame_table *ft, uint64_t mfn);

/* Type references; taking a page-table type validates the frame first. */
int get_page_type(struct frame_table *ft, uint64_t mfn, enum page_type type);
void put_page_type(struct frame_table *ft, uint64_t mfn);
int get_page_and_type(struct frame_table *ft, uint64_t mfn, uint16_t owner,
                      enum page_type type);
void put_page_and_type(struct frame_table *ft, uint64_t mfn);

/* Replace entry idx of the page table in frame table_mfn (of any level)
 * with val, validating val for owner. preserve_ad keeps A/D already set. */
int mod_entry(struct frame_table *ft, uint64_t table_mfn, unsigned int idx,
              uint64_t val, uint16_t owner, bool preserve_ad);
/* The same, the new entry's frame being frame_owner's: an L1 entry of a
 * mapper that foreign_ok allows (a privileged domain's foreign mapping);
 * otherwise frame_owner must be owner (-EINVAL). */
int mod_entry_foreign(struct frame_table *ft, uint64_t table_mfn, unsigned int idx,
                      uint64_t val, uint16_t owner, uint16_t frame_owner, bool preserve_ad);

/* mod_entry_foreign's who and how, for mod_entry_report. */
struct entry_update {
    uint16_t owner;             /* the table's owner */
    uint16_t frame_owner;       /* the new entry's frame's owner */
    bool preserve_ad;
};
/* mod_entry_foreign that also sets *dropped (never clears it) when the
 * update released references the old entry held (pte_change_drops_refs
 * of the old and new values): stale TLB entries must then be flushed
 * before the guest runs again. */
int mod_entry_report(struct frame_table *ft, uint64_t table_mfn, unsigned int idx,
                     uint64_t val, const struct entry_update *u, bool *dropped);

/* mmu_update's write of the 8-byte entry at machine address maddr, in a
 * frame of u->owner's: -EINVAL if maddr is misaligned or the frame not
 * the owner's; MMU_PT_PLAIN (> 0) if the frame is no page table and the
 * write is the owner's own (the caller stores it as a plain write under a
 * writable type reference), -EINVAL if it is a foreign one; else
 * mod_entry_report on that table and entry. */
#define MMU_PT_PLAIN 1
int mmu_pt_write(struct frame_table *ft, uint64_t maddr, uint64_t val,
                 const struct entry_update *u, bool *dropped);

/* Segment descriptor bits, and the check a GDT entry must pass (the DPL
 * of a present code/data descriptor is raised to 3 in place). */
#define DESC_S     (1ULL << 44)
#define DESC_DPL3  (3ULL << 45)
#define DESC_P     (1ULL << 47)
bool check_descriptor(uint64_t *desc);

/* True if replacing old with new releases references (the old entry was
 * present and the change is not on the fast path): stale TLB entries for
 * the old mapping must then be flushed before the guest runs again. */
bool pte_change_drops_refs(uint64_t old, uint64_t new);

/* The hypervisor's page shared with owner (rule 8 of page_types.c): share a
 * fresh, unreferenced frame of owner's (-EINVAL otherwise); unshare at
 * the owner's teardown. */
int share_page(struct frame_table *ft, uint64_t mfn, uint16_t owner);
void unshare_page(struct frame_table *ft, uint64_t mfn);
/* The owner, holding no reference itself, gives the shared page back: it
 * loses the page (no owner) but the page keeps its references until
 * unshare_page. 0, -EINVAL (not a shared page of owner's), -EBUSY (the
 * owner still maps it). */
int release_shared_page(struct frame_table *ft, uint64_t mfn, uint16_t owner);

/* Pin / unpin a table of the given level (1-4). */
int pin_table(struct frame_table *ft, uint64_t mfn, uint16_t owner, unsigned int level);
int unpin_table(struct frame_table *ft, uint64_t mfn, uint16_t owner);

/* Level (1-4) of a page-table type, or 0 (inline: every update asks). */
static inline unsigned int pgt_level(enum page_type t)
{
    return (t >= PGT_l1 && t <= PGT_l4) ? (unsigned int)(t - PGT_l1 + 1) : 0;
}
enum page_type level_pgt(unsigned int level);

/*
 * Recount every reference from validated tables, pins and the extra type
 * references the caller declares (e.g. CR3s: extra_type[mfn], or NULL), and
 * check every invariant. scratch holds 3 * ft->nr counters. 0, or -EINVAL
 * with the offending mfn in *bad.
 */
int mm_check_invariants(const struct frame_table *ft, const uint32_t *extra_type,
                        uint32_t *scratch, uint64_t *bad);
/* The same with general-only references declared too (extra_plain[mfn]:
 * e.g. read-only grant mappings, held by a maptrack). */
int mm_check_invariants_ext(const struct frame_table *ft, const uint32_t *extra_type,
                            const uint32_t *extra_plain, uint32_t *scratch, uint64_t *bad);

/* Grant mappings (rule 9 of page_types.c): write a grant PTE for frame mfn
 * into free entry idx of owner's L1 table_mfn (present, A, D, NX where the
 * CPU has it, RW if writable, a user mapping only if user, the low three
 * bits of avail in the PTE's software bits 9-11 as XENFEAT_gnttab_map_
 * avail_bits promises): 0, or -EINVAL (not owner's L1, entry in use). Clear it again, checking it is the grant
 * PTE for mfn: 0 or -EINVAL. The references are the caller's to hold. */
int set_grant_entry(struct frame_table *ft, uint64_t table_mfn, unsigned int idx,
                    uint64_t mfn, bool writable, bool user, unsigned int avail,
                    uint16_t owner);
int clear_grant_entry(struct frame_table *ft, uint64_t table_mfn, unsigned int idx,
                      uint64_t mfn, uint16_t owner);
/* unmap_and_replace: the grant PTE for mfn at idx of owner's L1 table_mfn
 * gives way to the present ordinary entry src_idx of owner's L1 src_mfn,
 * which moves there (with its references) and leaves a free entry: 0 or
 * -EINVAL. */
int replace_grant_entry(struct frame_table *ft, uint64_t table_mfn, unsigned int idx,
                        uint64_t mfn, uint64_t src_mfn, unsigned int src_idx, uint16_t owner);

/* The hot paths' inline forms (a grant copy's two frames): each decides as
 * get_page / put_page / get_page_type / put_page_type does when no count
 * ends and no type starts, and hands every other case (a first type
 * reference, which may validate; a last reference, which devalidates or
 * releases the frame; every refusal) to it. */
static inline struct page_info *ft_page(struct frame_table *ft, uint64_t mfn)
{
    return mfn < ft->nr ? &ft->pages[mfn] : NULL;
}

/* A general reference get_page would take without refusing: owner's
 * frame, below the limit. */
static inline bool page_ref_ok(const struct page_info *pg, uint16_t owner)
{
    return pg && pg->owner == owner && owner != OWNER_NONE && pg->count < PAGE_COUNT_MAX;
}

/* A type reference get_page_type would take without starting the type
 * (no validation): held with that type, not mid-change, below the limit. */
static inline bool page_type_ref_held(const struct page_info *pg, enum page_type type)
{
    return pg && type != PGT_none && pg->type == type && pg->type_count &&
           !(pg->flags & PGF_busy) && pg->type_count < PAGE_COUNT_MAX;
}

static inline int get_page_fast(struct frame_table *ft, uint64_t mfn, uint16_t owner)
{
    struct page_info *pg = ft_page(ft, mfn);

    if (page_ref_ok(pg, owner)) {
        pg->count++;
        return 0;
    }
    return get_page(ft, mfn, owner);
}

static inline void put_page_fast(struct frame_table *ft, uint64_t mfn)
{
    struct page_info *pg = ft_page(ft, mfn);

    if (pg && pg->count > 1)
        pg->count--;
    else
        put_page(ft, mfn);
}

static inline int get_page_type_fast(struct frame_table *ft, uint64_t mfn, enum page_type type)
{
    struct page_info *pg = ft_page(ft, mfn);

    if (page_type_ref_held(pg, type)) {
        pg->type_count++;
        return 0;
    }
    return get_page_type(ft, mfn, type);
}

static inline void put_page_type_fast(struct frame_table *ft, uint64_t mfn)
{
    struct page_info *pg = ft_page(ft, mfn);

    if (pg && pg->type_count > 1)
        pg->type_count--;
    else
        put_page_type(ft, mfn);
}

#endif /* PAGE_TYPES_H */
