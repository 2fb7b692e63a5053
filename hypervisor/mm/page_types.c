/*
 * page_types.c: the frame table and the page-type rules of direct paging. Pure: it
 * works on a struct frame_table and reaches frame contents only through
 * ft->frame() or the linear ft->direct, so the unit tests run it on fake
 * memory (both ways).
 *
 * The invariants (checked by mm_check_invariants, asserted by the tests
 * after every operation):
 *  1. One record per machine frame: owner, type, type count, general count,
 *     pinned flag. A free or hypervisor frame has owner OWNER_NONE and no
 *     references, but for a released shared page (rule 8).
 *  2. A frame has one type at a time. Its type changes only while its type
 *     count is zero; when the count drops to zero the type is dropped (and a
 *     page table releases everything its entries referenced).
 *  3. A frame becomes an Ln page table only after every present entry in it
 *     validates: allowed bits for the level, a target frame owned by the
 *     same domain, and a target that can take the type the entry needs
 *     (L4 -> L3 -> L2 -> L1, and an L1 entry with RW needs the target to be
 *     writable, without RW just a general reference). Validation takes those
 *     references; devalidation gives them back.
 *  4. Hence a page-table (or descriptor) frame can never be mapped writable,
 *     and a frame mapped writable can never become a page table.
 *  5. The hypervisor's L4 slots (256-271) of a guest L4 are written by the
 *     hypervisor when the L4 is validated and can never be updated by the
 *     guest. No guest superpages (PSE in L2/L3 is refused). Linear
 *     (self-referencing) entries follow Xen's pv-linear-pt rules exactly:
 *     read-only, to the table itself or to one validated table of the same
 *     level that has no linear entries, from a table that is no linear
 *     target (see get_linear).
 *  5a. A frame becomes a descriptor (GDT) page only if every descriptor in
 *     it is not present or a code/data segment; DPLs are raised to 3.
 *  6. Counts never overflow (refused at PAGE_COUNT_MAX) and a frame is freed
 *     only when both counts are zero (the caller's job: see domain.c).
 *  7. Changing a present entry without revalidation is allowed only when
 *     the frame stays the same and only A, D, US, G, AVAIL, the high
 *     available bits and NX change (XSA-182). Everything else revalidates:
 *     new references are taken before the old ones are dropped.
 *  8. A frame the hypervisor writes on a guest's behalf, at any moment the
 *     guest does not choose, is either the hypervisor's page shared with
 *     the guest (PGF_shared: one general and one writable type reference
 *     of its own, from share_page() to unshare_page() at teardown, so it
 *     can never become a page table or descriptor page, never reach a
 *     type count of zero, and never be freed while the hypervisor may
 *     write it), or holds a writable type reference and a general
 *     reference for exactly as long as the hypervisor writes it.
 *     The places that write guest-owned frames, audited:
 *       - shared_info (evtchn.c pending/mask bits, timer.c time records
 *         and wall clock, guest_traps.c vcpu_info: upcall flags, CR2):
 *         PGF_shared, made so by domain_build.c before the guest runs;
 *       - copy_to_guest/clear_guest (guest_memory.c: bounce and iret
 *         frames, hypercall results, pdone): only through a present
 *         guest mapping with RW at every level, which holds the writable
 *         type (rule 3) for the whole copy: the guest cannot run, and so
 *         cannot change its tables, before the copy ends (one CPU, and
 *         the translation is never cached across a guest update);
 *       - mmu_update on a frame that is no page table and
 *         update_descriptor on an ordinary page: get_page_and_type
 *         (PGT_writable) around the store;
 *       - validate_table and mod_entry (here) write page-table entries,
 *         and check_descriptor raises DPLs in descriptor pages: the frame
 *         holds that type while written, which is the point;
 *       - domain_build.c fills a new domain's frames before it first runs
 *         and before any of them is typed but by the builder itself.
 *     A shared page the owner gave back (release_shared_page, Xen's
 *     answer to decrease_reservation of it) has no owner any more, so it
 *     cannot be mapped, and keeps its own references until teardown.
 *     Grant tables' frames are such shared pages too.
 *     mm_check_invariants checks that a PGF_shared frame is writable and
 *     counted (and, once released, referenced by nothing else); the
 *     hypervisor runs it after every domain teardown; grant copies write
 *     a destination frame holding the writable type (grant_table_op.c).
 *  9. A grant mapping's PTE (PTE_GRANT, in an L1 of the mapper's) is
 *     written and cleared only by the grant code (set_grant_entry,
 *     clear_grant_entry): a guest can neither set the bit, nor change or
 *     clear such an entry with mmu_update (-EINVAL), nor have a table
 *     holding one validated again. Its references on the granter's frame
 *     are the mapping's (held by the maptrack, declared to the checker),
 *     not the entry's: dropping the table drops none of them, so a frame
 *     is never freed under a mapping.
 * 10. An L1 entry may map another domain's frame only when foreign_ok
 *     says the table's owner may (a privileged domain: mmu_update with
 *     foreigndom, update_va_mapping_otherdomain), and never at other
 *     levels. A frame of an ended domain that such mappings (or grant
 *     mappings) still reference has owner OWNER_ORPHAN and goes back to
 *     the allocator when its last reference goes (ft->released).
 * 11. An L1 entry of a domain that ft->iomem_ok allows (a privileged one)
 *     may map a frame that ft->iomem says is mappable I/O memory (BIOS,
 *     ACPI tables, device memory: mm/iomem.c), read-only or writable, as
 *     on Xen; no other domain (-EPERM), and no denied frame (the
 *     hypervisor's devices and boot data: -EPERM), ever. Such a frame is
 *     never RAM of anyone's, so the entry takes and holds no reference
 *     and the frame's record (if it has one) stays ownerless and zero.
 * 12. Such an L1 entry may also carry the cache attributes PCD and PWT
 *     (Linux's ioremap asks for uncached device memory), as Xen lets a
 *     domain with I/O memory do (l1_disallow_mask without the cache bits
 *     for a domain with cache_flush_permitted). Anywhere else they are
 *     -EINVAL: unlike Xen, which then changes the cache type of its own
 *     mapping of a RAM frame to match, Tern keeps RAM write-back only,
 *     so no frame is ever mapped with two memory types.
 */
#include "page_types.h"
#include "err.h"
#include <public/xen.h>

#define ENTRIES 512

/* Bits a guest may set in a present entry at every level. */
#define BASE_ALLOWED (PTE_P | PTE_RW | PTE_US | PTE_A | PTE_D | \
                      PTE_AVAIL | PTE_HIGH_AVAIL | PTE_ADDR_MASK)
/* Rule 12: what an L1 entry of I/O memory may add. */
#define IO_CACHE_BITS (PTE_PCD | PTE_PWT)
/* Bits that may change on a present entry without revalidation. */
#define FASTPATH_BITS (PTE_A | PTE_D | PTE_US | PTE_G | PTE_AVAIL | \
                       PTE_HIGH_AVAIL | PTE_NX)

enum page_type level_pgt(unsigned int level)
{
    return (enum page_type)(PGT_l1 + level - 1);
}

/* Every entry unowned and unreferenced: the first written, then copied
 * onto the next ones in doubling blocks, because a field-by-field loop was
 * 0.52 M instructions of the boot for 256 MiB (the copy is a third). */
void ft_init(struct frame_table *ft)
{
    uint64_t done = 1, n;

    if (!ft->nr)
        return;
    ft->pages[0] = (struct page_info){ .owner = OWNER_NONE };
    for (; done < ft->nr; done += n) {
        n = MIN(done, ft->nr - done);
        memcpy(ft->pages + done, ft->pages, n * sizeof(*ft->pages));
    }
}

static uint64_t *table(struct frame_table *ft, uint64_t mfn)
{
    if (ft->direct)
        return (uint64_t *)(void *)(ft->direct + (mfn << PAGE_SHIFT));
    return ft->frame(ft->ctx, mfn);
}

/* ---- general references ------------------------------------------------ */

/* Errors as Xen gives them: a frame beyond RAM is I/O memory the domain
 * has no permission for (-EPERM); a frame that is not the domain's is
 * busy (-EBUSY). */
int get_page(struct frame_table *ft, uint64_t mfn, uint16_t owner)
{
    struct page_info *pg = ft_page(ft, mfn);

    if (!pg)
        return -EPERM;
    if (pg->owner != owner || owner == OWNER_NONE)
        return -EBUSY;
    if (pg->count >= PAGE_COUNT_MAX)
        return -EINVAL;
    pg->count++;
    return 0;
}

void put_page(struct frame_table *ft, uint64_t mfn)
{
    struct page_info *pg = ft_page(ft, mfn);

    if (pg && pg->count && !--pg->count && ft->released)
        ft->released(ft->ctx, mfn);
}

/* ---- entry rules ------------------------------------------------------- */

static uint64_t allowed_bits(const struct frame_table *ft, unsigned int level)
{
    uint64_t allowed = BASE_ALLOWED | (ft->nx ? PTE_NX : 0);

    return level == 1 ? (allowed | PTE_G) & ~PTE_GRANT : allowed;   /* rule 9 */
}

/* What the hypervisor makes of a present guest entry (Xen's adjustment):
 * the guest kernel runs in ring 3, so every level needs US; an L1 entry
 * the guest meant as kernel-only is remembered with bit 52; L4 entries
 * get A. Unlike Xen, G is always cleared: a global guest translation would
 * survive the CR3 load of a switch to another domain or to guest user mode,
 * and with it access to frames the new context must not reach. */
static uint64_t adjust_entry(uint64_t e, unsigned int level)
{
    if (!(e & PTE_P))
        return e;
    e &= ~PTE_G;
    if (level == 1 && !(e & PTE_US))
        e |= PTE_GUEST_KERNEL;
    e |= PTE_US;
    if (level == 4)
        e |= PTE_A;
    return e;
}

/* A present L1 entry the grant code wrote (rule 9). */
static bool is_grant_entry(uint64_t e, unsigned int level)
{
    return level == 1 && (e & PTE_P) && (e & PTE_GRANT);
}

static enum page_type target_type(uint64_t e, unsigned int level)
{
    if (level == 1)
        return (e & PTE_RW) ? PGT_writable : PGT_none;
    return level_pgt(level - 1);
}

#define LINEAR_MAX 0x7fff

/*
 * Linear (self-referencing) page tables, as Xen's pv-linear-pt allows
 * them: an entry of an Ln table (n >= 2) may point at an Ln table instead
 * of an L(n-1) one, only read-only, and either at its own table (taking
 * no reference at all, so a table never keeps itself alive) or at another
 * Ln that is already validated, that holds no linear entries itself, and
 * only if the table holding the entry is not itself some table's linear
 * target: one level of indirection, never a chain. Such an entry holds a
 * general and a type reference on its target, and both tables' linear
 * counts say so. Tried only when the normal rule failed with -EINVAL.
 */
static bool get_linear(struct frame_table *ft, uint64_t table_mfn, uint64_t e,
                       unsigned int level, uint16_t owner)
{
    uint64_t mfn = (e & PTE_ADDR_MASK) >> PAGE_SHIFT;
    struct page_info *tp = ft_page(ft, table_mfn), *pg = ft_page(ft, mfn);

    if (level < 2 || (e & PTE_RW) || !tp || !pg)
        return false;
    if (mfn == table_mfn)
        return true;                             /* the table maps itself */
    if (pg->owner != owner || pg->type != level_pgt(level) || !pg->type_count ||
        (pg->flags & PGF_busy) || pg->linear > 0 || tp->linear < 0 ||
        tp->linear == LINEAR_MAX || pg->linear == -LINEAR_MAX)
        return false;
    if (get_page(ft, mfn, owner))
        return false;
    pg->type_count++;
    tp->linear++;
    pg->linear--;
    return true;
}

/* May an L1 entry of owner's map frame_owner's frames? (Rule 10.) */
static bool foreign_allowed(const struct frame_table *ft, uint16_t owner, uint16_t frame_owner)
{
    return frame_owner == owner ||
           (frame_owner != OWNER_NONE && ft->foreign_ok && ft->foreign_ok(ft->ctx, owner,
                                                                          frame_owner));
}

/* Rule 11: what frame mfn is to an L1 entry (0: RAM). A frame with an
 * owner is RAM: the common case needs no look at the policy. */
static unsigned int io_kind(const struct frame_table *ft, uint64_t mfn, unsigned int level)
{
    if (level != 1 || !ft->iomem || (mfn < ft->nr && ft->pages[mfn].owner != OWNER_NONE))
        return 0;
    return ft->iomem(ft->ctx, mfn);
}

/* A present entry's flags: the guest's at every level, plus, for I/O
 * memory at L1, the cache attributes (rule 12). */
static bool bits_ok(const struct frame_table *ft, uint64_t e, unsigned int level)
{
    uint64_t extra = e & ~allowed_bits(ft, level);

    return !extra || (!(extra & ~IO_CACHE_BITS) &&
                      io_kind(ft, (e & PTE_ADDR_MASK) >> PAGE_SHIFT, level));
}

/* An L1 entry of owner's mapping I/O memory: nothing to take, only a
 * permission to have. */
static int get_io_entry(const struct frame_table *ft, unsigned int kind, uint16_t owner)
{
    if (kind != 1 || !ft->iomem_ok || !ft->iomem_ok(ft->ctx, owner))
        return -EPERM;
    return 0;
}

/* The common cases of a PTE update, inline: a general and a type
 * reference on a frame that already holds the type wanted (the new
 * entry), and dropping both when neither count reaches zero (the old
 * entry). They decide exactly as get_page_and_type and put_page_and_type
 * do in those cases and hand every other case (a first type reference,
 * which validates; a last one, which devalidates or frees; any refusal)
 * to them. */
static inline int get_held_type(struct frame_table *ft, uint64_t mfn, uint16_t owner,
                                enum page_type type)
{
    struct page_info *pg = ft_page(ft, mfn);

    if (page_ref_ok(pg, owner) && page_type_ref_held(pg, type)) {
        pg->count++;
        pg->type_count++;
        return 0;
    }
    return get_page_and_type(ft, mfn, owner, type);
}

static inline void put_held_type(struct frame_table *ft, uint64_t mfn)
{
    struct page_info *pg = ft_page(ft, mfn);

    if (pg && pg->type_count > 1 && pg->count > 1) {
        pg->type_count--;
        pg->count--;
        return;
    }
    put_page_and_type(ft, mfn);
}

/* Take the references a present entry of table_mfn needs, its frame being
 * frame_owner's (owner's, but for a foreign L1 entry). Inlined (as
 * put_entry) into validate_table and mod_entry_report: it runs for every
 * entry validated and every PTE updated. */
static inline __attribute__((always_inline)) int
get_entry_of(struct frame_table *ft, uint64_t table_mfn, uint64_t e, unsigned int level,
             uint16_t owner, uint16_t frame_owner)
{
    uint64_t mfn = (e & PTE_ADDR_MASK) >> PAGE_SHIFT;
    enum page_type t;
    int rc;

    if (!(e & PTE_P))
        return 0;
    if (!bits_ok(ft, e, level))
        return -EINVAL;
    if (io_kind(ft, mfn, level))
        return get_io_entry(ft, io_kind(ft, mfn, level), owner);
    if (frame_owner != owner && (level != 1 || !foreign_allowed(ft, owner, frame_owner)))
        return -EINVAL;
    t = target_type(e, level);
    if (t == PGT_none)
        return get_page(ft, mfn, frame_owner);
    if (frame_owner != owner)
        return get_held_type(ft, mfn, frame_owner, t);     /* RW: writable type */
    rc = get_held_type(ft, mfn, owner, t);
    if (rc == -EINVAL && get_linear(ft, table_mfn, e, level, owner))
        rc = 0;
    return rc;
}

static int get_entry(struct frame_table *ft, uint64_t table_mfn, uint64_t e,
                     unsigned int level, uint16_t owner)
{
    return get_entry_of(ft, table_mfn, e, level, owner, owner);
}

/* An entry of table_mfn at level >= 2 is linear if its target has the
 * table's own level (a normal entry's target is one level down). */
static bool is_linear(const struct frame_table *ft, uint64_t table_mfn, uint64_t mfn,
                      unsigned int level)
{
    return level >= 2 && (mfn == table_mfn ||
                          (mfn < ft->nr && ft->pages[mfn].type == level_pgt(level)));
}

static inline __attribute__((always_inline)) void
put_entry(struct frame_table *ft, uint64_t table_mfn, uint64_t e, unsigned int level)
{
    uint64_t mfn = (e & PTE_ADDR_MASK) >> PAGE_SHIFT;

    if (!(e & PTE_P) || is_grant_entry(e, level) || io_kind(ft, mfn, level))
        return;                              /* grant and I/O PTEs hold nothing */
    if (target_type(e, level) == PGT_none) {
        put_page(ft, mfn);
    } else if (is_linear(ft, table_mfn, mfn, level)) {
        if (mfn == table_mfn)
            return;                              /* self-map: held nothing */
        ft->pages[table_mfn].linear--;
        ft->pages[mfn].linear++;
        put_page_and_type(ft, mfn);
    } else {
        put_held_type(ft, mfn);
    }
}

static bool guest_slot(unsigned int level, unsigned int idx)
{
    return level != 4 || idx < HV_L4_FIRST || idx > HV_L4_LAST;
}

/* ---- validation -------------------------------------------------------- */

#define SCAN_BLOCK 16

/* Is any of the SCAN_BLOCK entries from e present? One OR chain with
 * constant offsets: about one instruction an entry. */
static bool block_present(const uint64_t *e)
{
    return ((e[0] | e[1] | e[2] | e[3] | e[4] | e[5] | e[6] | e[7] | e[8] | e[9] | e[10] |
             e[11] | e[12] | e[13] | e[14] | e[15]) & PTE_P) != 0;
}

/* Where to stop looking entry by entry in the block of t from base (a
 * multiple of SCAN_BLOCK), below upto: at base itself when the whole block
 * is empty. Most of a table is empty, and pinning or unpinning one scans
 * all of it (each fork and exit of a Linux process does so for each of
 * its tables), so empty blocks cost one test each, and every other entry
 * is looked at once. */
static unsigned int scan_end(const uint64_t *t, unsigned int base, unsigned int upto)
{
    if (base + SCAN_BLOCK <= upto && !block_present(t + base))
        return base;
    return MIN(base + SCAN_BLOCK, upto);
}

static void release_entries(struct frame_table *ft, uint64_t mfn, unsigned int level,
                            unsigned int upto)
{
    uint64_t *t = table(ft, mfn);

    for (unsigned int base = 0; base < upto; base += SCAN_BLOCK)
        for (unsigned int i = base, end = scan_end(t, base, upto); i < end; i++)
            if ((t[i] & PTE_P) && guest_slot(level, i))
                put_entry(ft, mfn, t[i], level);
}

/* Take entry i of the level-n table t in frame mfn (present, a guest
 * slot) and store it adjusted; on failure release entries 0 to i. */
static int take_entry(struct frame_table *ft, uint64_t mfn, uint64_t *t, unsigned int level,
                      unsigned int i)
{
    int rc = get_entry(ft, mfn, t[i], level, ft_page(ft, mfn)->owner);

    if (rc) {
        release_entries(ft, mfn, level, i);
        return rc;
    }
    t[i] = adjust_entry(t[i], level);
    return 0;
}

/* Validate every guest entry of frame mfn as a level-n table, rewriting
 * each present one as adjusted. All or nothing. */
static int validate_table(struct frame_table *ft, uint64_t mfn, unsigned int level)
{
    uint64_t *t = table(ft, mfn);

    for (unsigned int base = 0; base < ENTRIES; base += SCAN_BLOCK)
        for (unsigned int i = base, end = scan_end(t, base, ENTRIES); i < end; i++) {
            int rc = (t[i] & PTE_P) && guest_slot(level, i) ? take_entry(ft, mfn, t, level, i)
                                                             : 0;
            if (rc)
                return rc;
        }
    if (level == 4 && ft->fill_hv_slots)
        ft->fill_hv_slots(ft->ctx, t);
    return 0;
}

#define DESC_TYPE(d)   (((d) >> 40) & 0xf)
#define DESC_SEL(d)    (((d) >> 16) & 0xffff)
#define SYS_CALL_GATE  0xc

/* A call gate's target must be one of the flat guest code selectors. */
static bool gate_target_ok(uint64_t d)
{
    uint64_t sel = DESC_SEL(d) & ~3ULL;

    return sel == (FLAT_RING3_CS64 & ~3U) || sel == (FLAT_RING3_CS32 & ~3U);
}

/* A descriptor a guest may have in its GDT: not present, a code/data
 * segment (its DPL raised to 3), or a call gate to a flat guest code
 * selector, whose DPL is forced to 0 so that using it faults and the
 * hypervisor decides (Xen's "restricted gate"). Other system descriptors
 * (TSS, LDT, interrupt and trap gates) could hand the guest ring 0 and are
 * refused. */
bool check_descriptor(uint64_t *desc)
{
    uint64_t d = *desc;

    if (!(d & DESC_P))
        return true;
    if (d & DESC_S) {
        *desc = d | DESC_DPL3;
        return true;
    }
    if (DESC_TYPE(d) != SYS_CALL_GATE || !gate_target_ok(d))
        return false;
    *desc = d & ~DESC_DPL3;
    return true;
}

static int validate_descriptors(struct frame_table *ft, uint64_t mfn)
{
    uint64_t *t = table(ft, mfn);

    for (unsigned int i = 0; i < ENTRIES; i++) {
        uint64_t d = t[i];
        if (!check_descriptor(&d))
            return -EINVAL;
    }
    for (unsigned int i = 0; i < ENTRIES; i++)
        check_descriptor(&t[i]);              /* now that all passed: fix DPLs */
    return 0;
}

static void devalidate_table(struct frame_table *ft, uint64_t mfn, unsigned int level)
{
    release_entries(ft, mfn, level, ENTRIES);
}

/* ---- type references --------------------------------------------------- */

static int take_new_type(struct frame_table *ft, uint64_t mfn, struct page_info *pg,
                         enum page_type type)
{
    unsigned int level = pgt_level(type);
    int rc = 0;

    if (level) {
        pg->type = (uint8_t)type;            /* self-references see it busy */
        pg->flags |= PGF_busy;
        rc = validate_table(ft, mfn, level);
        pg->flags &= (uint8_t)~PGF_busy;
    } else if (type == PGT_seg_desc) {
        rc = validate_descriptors(ft, mfn);
    }
    pg->type = (uint8_t)(rc ? PGT_none : type);
    return rc;
}

int get_page_type(struct frame_table *ft, uint64_t mfn, enum page_type type)
{
    struct page_info *pg = ft_page(ft, mfn);
    int rc;

    if (!pg || type == PGT_none || (pg->flags & PGF_busy))
        return -EINVAL;
    if (pg->type_count >= PAGE_COUNT_MAX)
        return -EINVAL;
    if (pg->type_count == 0) {
        rc = take_new_type(ft, mfn, pg, type);
        if (rc)
            return rc;
    } else if (pg->type != type) {
        /* In use as something else. Xen says -EBUSY when a page table is
         * wanted writable, -EINVAL when a page is wanted as a table. */
        return type == PGT_writable ? -EBUSY : -EINVAL;
    }
    pg->type_count++;
    return 0;
}

void put_page_type(struct frame_table *ft, uint64_t mfn)
{
    struct page_info *pg = ft_page(ft, mfn);
    unsigned int level;

    if (!pg || pg->type_count == 0)
        return;
    if (--pg->type_count)
        return;
    level = pgt_level((enum page_type)pg->type);
    pg->flags &= (uint8_t)~PGF_pinned;
    if (level) {
        pg->flags |= PGF_busy;
        devalidate_table(ft, mfn, level);
        pg->flags &= (uint8_t)~PGF_busy;
    }
    pg->type = PGT_none;
}

int get_page_and_type(struct frame_table *ft, uint64_t mfn, uint16_t owner,
                      enum page_type type)
{
    int rc = get_page(ft, mfn, owner);

    if (rc)
        return rc;
    rc = get_page_type(ft, mfn, type);
    if (rc)
        put_page(ft, mfn);
    return rc;
}

void put_page_and_type(struct frame_table *ft, uint64_t mfn)
{
    put_page_type(ft, mfn);
    put_page(ft, mfn);
}

/* ---- updates ----------------------------------------------------------- */

static bool fast_path(uint64_t old, uint64_t new)
{
    return (old & PTE_P) && (new & PTE_P) &&
           ((old ^ new) & ~FASTPATH_BITS) == 0;
}

bool pte_change_drops_refs(uint64_t old, uint64_t new)
{
    return (old & PTE_P) && !fast_path(old, new);
}

/* Entry idx of table_mfn replaced by val. An entry written with the value
 * it holds changes nothing and is recognised before any other work: every
 * present guest entry of a validated table is stored adjusted (validate_table
 * and the writes below), adjust_entry is idempotent, and such a value
 * passed allowed_bits when it was stored, so the full path would store
 * the same bits and take and drop the same references. Not so for a grant
 * entry (rule 9: refused), a hypervisor slot (refused) or a foreign
 * frame_owner (whose rules the old entry need not meet). */
/* The update itself, on a table the caller found to be u->owner's and of
 * this level, at an index below ENTRIES. */
static inline __attribute__((always_inline)) int
mod_entry_at(struct frame_table *ft, uint64_t table_mfn, unsigned int level, unsigned int idx,
             uint64_t val, const struct entry_update *u, bool *dropped)
{
    uint64_t *t, old;
    int rc;

    if (!guest_slot(level, idx))
        return -EINVAL;
    t = table(ft, table_mfn);
    old = t[idx];
    if (is_grant_entry(old, level))
        return -EINVAL;                      /* rule 9: unmap_grant_ref only */
    if (u->preserve_ad)
        val |= old & (PTE_A | PTE_D);
    if (val == old && u->frame_owner == u->owner)
        return 0;
    if ((val & PTE_P) && !bits_ok(ft, val, level))
        return -EINVAL;
    if (fast_path(old, val) && u->frame_owner == u->owner) {
        t[idx] = adjust_entry(val, level);
        return 0;
    }
    rc = get_entry_of(ft, table_mfn, val, level, u->owner, u->frame_owner);
    if (rc)
        return rc;
    t[idx] = adjust_entry(val, level);
    put_entry(ft, table_mfn, old, level);
    *dropped |= (old & PTE_P) != 0;          /* not the fast path: rule 7 */
    return 0;
}

int mod_entry_report(struct frame_table *ft, uint64_t table_mfn, unsigned int idx,
                     uint64_t val, const struct entry_update *u, bool *dropped)
{
    const struct page_info *pg = ft_page(ft, table_mfn);
    unsigned int level;

    if (!pg || pg->owner != u->owner || idx >= ENTRIES)
        return -EINVAL;
    level = pgt_level((enum page_type)pg->type);
    if (!level)
        return -EINVAL;
    return mod_entry_at(ft, table_mfn, level, idx, val, u, dropped);
}

/* mmu_update's page-table write: the frame is looked at once, and the
 * entry update is inlined here (one call a PTE). */
int mmu_pt_write(struct frame_table *ft, uint64_t maddr, uint64_t val,
                 const struct entry_update *u, bool *dropped)
{
    uint64_t mfn = maddr >> PAGE_SHIFT;
    unsigned int level;

    if ((maddr & 7) || mfn >= ft->nr || ft->pages[mfn].owner != u->owner)
        return -EINVAL;
    level = pgt_level((enum page_type)ft->pages[mfn].type);
    if (!level)
        return u->frame_owner == u->owner ? MMU_PT_PLAIN : -EINVAL;
    return mod_entry_at(ft, mfn, level, (unsigned int)((maddr & (PAGE_SIZE - 1)) >> 3), val,
                        u, dropped);
}

int mod_entry_foreign(struct frame_table *ft, uint64_t table_mfn, unsigned int idx,
                      uint64_t val, uint16_t owner, uint16_t frame_owner, bool preserve_ad)
{
    const struct entry_update u = { owner, frame_owner, preserve_ad };
    bool dropped = false;

    return mod_entry_report(ft, table_mfn, idx, val, &u, &dropped);
}

int mod_entry(struct frame_table *ft, uint64_t table_mfn, unsigned int idx,
              uint64_t val, uint16_t owner, bool preserve_ad)
{
    return mod_entry_foreign(ft, table_mfn, idx, val, owner, owner, preserve_ad);
}

int pin_table(struct frame_table *ft, uint64_t mfn, uint16_t owner, unsigned int level)
{
    struct page_info *pg = ft_page(ft, mfn);
    int rc;

    if (!pg || level < 1 || level > 4)
        return -EINVAL;
    if (pg->flags & PGF_pinned)
        return -EINVAL;                      /* pinning is not nested */
    rc = get_page_and_type(ft, mfn, owner, level_pgt(level));
    if (rc == 0)
        pg->flags |= PGF_pinned;
    return rc;
}

/* Make a fresh frame of owner's (no references yet) the hypervisor's
 * shared page: owner may map it, writable or not, but its permanent
 * writable type keeps it from ever becoming a table or descriptor page,
 * and its own general reference keeps it from being freed. */
int share_page(struct frame_table *ft, uint64_t mfn, uint16_t owner)
{
    struct page_info *pg = ft_page(ft, mfn);
    int rc;

    if (!pg || pg->owner != owner || pg->count || pg->type_count ||
        (pg->flags & PGF_shared))
        return -EINVAL;
    rc = get_page_and_type(ft, mfn, owner, PGT_writable);
    if (rc == 0)
        pg->flags |= PGF_shared;
    return rc;
}

/* The owner gives the shared page back (decrease_reservation), holding no
 * reference to it itself. As on Xen, the page leaves the owner's reach
 * (it can no longer map it) but stays the hypervisor's, references and
 * all, until the owner's teardown: it is never freed under the hypervisor. */
int release_shared_page(struct frame_table *ft, uint64_t mfn, uint16_t owner)
{
    struct page_info *pg = ft_page(ft, mfn);

    if (!pg || !(pg->flags & PGF_shared) || pg->owner != owner)
        return -EINVAL;
    if (pg->count != 1 || pg->type_count != 1)
        return -EBUSY;                       /* the owner still maps it */
    pg->owner = OWNER_NONE;
    return 0;
}

/* At the owner's teardown: drop the shared page's own references. */
void unshare_page(struct frame_table *ft, uint64_t mfn)
{
    struct page_info *pg = ft_page(ft, mfn);

    if (!pg || !(pg->flags & PGF_shared))
        return;
    pg->flags &= (uint8_t)~PGF_shared;
    put_page_and_type(ft, mfn);
}

int unpin_table(struct frame_table *ft, uint64_t mfn, uint16_t owner)
{
    struct page_info *pg = ft_page(ft, mfn);

    if (!pg || pg->owner != owner || !(pg->flags & PGF_pinned))
        return -EINVAL;
    pg->flags &= (uint8_t)~PGF_pinned;
    put_page_and_type(ft, mfn);
    return 0;
}

/* ---- grant mappings (rule 9) ------------------------------------------ */

/* Entry idx of owner's L1 table_mfn, which must be free for a grant PTE. */
static uint64_t *grant_slot(struct frame_table *ft, uint64_t table_mfn, unsigned int idx,
                            uint16_t owner)
{
    struct page_info *pg = ft_page(ft, table_mfn);
    uint64_t *t;

    if (!pg || pg->owner != owner || pg->type != PGT_l1 || idx >= ENTRIES)
        return NULL;
    t = table(ft, table_mfn);
    return t;
}

int set_grant_entry(struct frame_table *ft, uint64_t table_mfn, unsigned int idx,
                    uint64_t mfn, bool writable, bool user, unsigned int avail,
                    uint16_t owner)
{
    uint64_t *t = grant_slot(ft, table_mfn, idx, owner);
    uint64_t e = (mfn << PAGE_SHIFT) | PTE_P | PTE_A | PTE_D | PTE_US | PTE_GRANT |
                 (((uint64_t)avail << 9) & PTE_AVAIL);

    if (!t || (t[idx] & PTE_P))
        return -EINVAL;
    if (writable)
        e |= PTE_RW;
    if (!user)
        e |= PTE_GUEST_KERNEL;
    if (ft->nx)
        e |= PTE_NX;
    t[idx] = e;
    return 0;
}

int clear_grant_entry(struct frame_table *ft, uint64_t table_mfn, unsigned int idx,
                      uint64_t mfn, uint16_t owner)
{
    uint64_t *t = grant_slot(ft, table_mfn, idx, owner);

    if (!t || !is_grant_entry(t[idx], 1) || ((t[idx] & PTE_ADDR_MASK) >> PAGE_SHIFT) != mfn)
        return -EINVAL;
    t[idx] = 0;
    return 0;
}

int replace_grant_entry(struct frame_table *ft, uint64_t table_mfn, unsigned int idx,
                        uint64_t mfn, uint64_t src_mfn, unsigned int src_idx, uint16_t owner)
{
    uint64_t *t = grant_slot(ft, table_mfn, idx, owner);
    uint64_t *s = grant_slot(ft, src_mfn, src_idx, owner);

    if (!t || !s || !is_grant_entry(t[idx], 1) ||
        ((t[idx] & PTE_ADDR_MASK) >> PAGE_SHIFT) != mfn ||
        !(s[src_idx] & PTE_P) || is_grant_entry(s[src_idx], 1) ||
        (src_mfn == table_mfn && src_idx == idx))
        return -EINVAL;
    t[idx] = s[src_idx];                     /* its references move with it */
    s[src_idx] = 0;
    return 0;
}

/* ---- invariant walk ---------------------------------------------------- */

struct recount {
    uint32_t *types;                         /* expected type_count per frame */
    uint32_t *plain;                         /* expected general-only refs */
    int32_t *linear;                         /* expected linear count per frame */
};

/* A linear entry of table mfn (level >= 2): read-only, to itself or to a
 * same-level table counted as its linear target. */
static int count_linear(uint64_t mfn, uint64_t e, uint64_t target, struct recount *rc)
{
    if (e & PTE_RW)
        return -EINVAL;
    if (target == mfn)
        return 0;                            /* a self-map holds nothing */
    rc->types[target]++;
    rc->linear[mfn]++;
    rc->linear[target]--;
    return 0;
}

/* Count what one validated table references; -EINVAL if an entry could not
 * have validated. */
static int count_table(const struct frame_table *ft, uint64_t mfn, struct recount *rc)
{
    const struct page_info *pg = &ft->pages[mfn];
    unsigned int level = pgt_level((enum page_type)pg->type);
    const uint64_t *t = ft->frame(ft->ctx, mfn);

    for (unsigned int i = 0; i < ENTRIES; i++) {
        uint64_t e = t[i], target = (e & PTE_ADDR_MASK) >> PAGE_SHIFT;
        enum page_type want;
        if (!guest_slot(level, i) || !(e & PTE_P) || is_grant_entry(e, level))
            continue;                        /* a grant PTE's references are the maptrack's */
        if (io_kind(ft, target, level)) {
            if (get_io_entry(ft, io_kind(ft, target, level), pg->owner))
                return -EINVAL;
            continue;                        /* rule 11: holds nothing */
        }
        if ((e & ~allowed_bits(ft, level)) || target >= ft->nr ||
            (ft->pages[target].owner != pg->owner &&
             (level != 1 || !foreign_allowed(ft, pg->owner, ft->pages[target].owner))))
            return -EINVAL;
        want = target_type(e, level);
        if (want == PGT_none) {
            rc->plain[target]++;
        } else if (is_linear(ft, mfn, target, level)) {
            if (count_linear(mfn, e, target, rc))
                return -EINVAL;
        } else if (ft->pages[target].type != want) {
            return -EINVAL;
        } else {
            rc->types[target]++;
        }
    }
    return 0;
}

/* Slots 257-271 as fill_hv_slots writes them; slot 256 (the M2P) as it
 * writes it or the M2P entry, depending on whether the L4 is a kernel root. */
static int check_hv_slots(const struct frame_table *ft, uint64_t mfn)
{
    uint64_t expect[ENTRIES];
    const uint64_t *t = ft->frame(ft->ctx, mfn);

    if (!ft->fill_hv_slots)
        return 0;
    memset(expect, 0, sizeof(expect));
    ft->fill_hv_slots(ft->ctx, expect);
    if (t[HV_L4_FIRST] != expect[HV_L4_FIRST] && t[HV_L4_FIRST] != ft->m2p_l4e)
        return -EINVAL;
    for (unsigned int i = HV_L4_FIRST + 1; i <= HV_L4_LAST; i++)
        if (t[i] != expect[i])
            return -EINVAL;
    return 0;
}

static int check_one(const struct frame_table *ft, uint64_t mfn, const struct recount *rc,
                     const uint32_t *extra_type, const uint32_t *extra_plain)
{
    const struct page_info *pg = &ft->pages[mfn];
    uint32_t types = rc->types[mfn] + ((pg->flags & PGF_pinned) ? 1 : 0) +
                     ((pg->flags & PGF_shared) ? 1 : 0) +
                     (extra_type ? extra_type[mfn] : 0);
    uint32_t plain = rc->plain[mfn] + (extra_plain ? extra_plain[mfn] : 0);

    if (pg->flags & PGF_busy)
        return -EINVAL;
    if ((pg->flags & PGF_shared) && (pg->type != PGT_writable ||
                                     (pg->owner == OWNER_NONE && pg->count != 1)))
        return -EINVAL;                      /* rule 8 */
    if (pg->owner == OWNER_NONE && (pg->count || pg->type_count) &&
        !(pg->flags & PGF_shared))
        return -EINVAL;
    if ((pg->type_count == 0) != (pg->type == PGT_none))
        return -EINVAL;
    if (pg->type_count != types || pg->count != types + plain)
        return -EINVAL;
    if (pg->type == PGT_l4 && check_hv_slots(ft, mfn))
        return -EINVAL;
    if (pg->linear != rc->linear[mfn])
        return -EINVAL;
    return 0;
}

int mm_check_invariants(const struct frame_table *ft, const uint32_t *extra_type,
                        uint32_t *scratch, uint64_t *bad)
{
    return mm_check_invariants_ext(ft, extra_type, NULL, scratch, bad);
}

int mm_check_invariants_ext(const struct frame_table *ft, const uint32_t *extra_type,
                            const uint32_t *extra_plain, uint32_t *scratch, uint64_t *bad)
{
    struct recount rc = { scratch, scratch + ft->nr, (int32_t *)(scratch + 2 * ft->nr) };

    memset(scratch, 0, 3 * ft->nr * sizeof(uint32_t));
    for (uint64_t mfn = 0; mfn < ft->nr; mfn++) {
        *bad = mfn;
        if (pgt_level((enum page_type)ft->pages[mfn].type) && count_table(ft, mfn, &rc))
            return -EINVAL;
    }
    for (uint64_t mfn = 0; mfn < ft->nr; mfn++) {
        *bad = mfn;
        if (check_one(ft, mfn, &rc, extra_type, extra_plain))
            return -EINVAL;
    }
    return 0;
}
