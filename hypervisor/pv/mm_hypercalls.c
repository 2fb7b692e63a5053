/*
 * mm_hypercalls.c: the page-table hypercalls of the 64-bit PV ABI:
 * mmu_update (#1), update_va_mapping (#14) and mmuext_op (#26).
 *
 * Each decodes the guest's request once into hypervisor memory and hands
 * typed values to the frame-table rules in page_types.c. Batches run in order,
 * stop at the first failure and report how many completed through pdone.
 * A batch's request array is range-checked once (canonical, no wrap,
 * outside the hypervisor's slots: guest_range_ok over all count requests)
 * and each request is then read with direct loads (guest_copy_raw, an
 * exception-table fixup for a fault) while the caller's kernel root is in
 * CR3, asked before every request since NEW_BASEPTR may change it; any
 * other case, or a fault, takes the software walk, which decides. A
 * translation the TLB still holds after an earlier request of the batch
 * dropped its mapping (the flush is deferred to the batch's end, as on
 * Xen) can only reach a frame the caller owned when the batch began: no
 * request of mmu_update or mmuext_op frees a frame or gives it to anyone,
 * and requests are only read through it, never written.
 * Long batches are cut into continuations every PREEMPT_BATCH requests, or
 * sooner once PREEMPT_NS have passed (one request may validate or release
 * a whole tree of page tables: 512 of them took 17 s under QEMU), so one
 * step of a batch holds the CPU for at most that long plus one request
 * (whose cost page_types.c bounds by the domain's size); the clock is the
 * raw TSC against the tick's length in TSC cycles (one rdtsc a request,
 * not now_ns's scaling). As on Xen, the
 * continuation marks count with MMU_UPDATE_PREEMPTED and carries the count
 * done so far in *pdone; a batch without pdone (or with one that cannot be
 * read or written) goes on all the same. Whenever an update drops
 * references the old mapping held, the TLB is flushed (globally: guests
 * may set G) before the guest runs again, so no stale translation outlives
 * the reference that justified it.
 */
#include "err.h"
#include "mm_hypercalls.h"
#include "hypercall.h"
#include "directmap.h"
#include "memory_setup.h"
#include "vcpu_state.h"
#include "page_types.h"
#include "sched.h"
#include "timer.h"
#include "vcpu_copy.h"
#include <public/mmu.h>
#include <asm/cpu.h>
#include <asm/guest_access.h>
#include <asm/paging.h>
#include <asm/time.h>

#define PREEMPT_BATCH 512
#define PREEMPT_NS    TICK_NS             /* the hypervisor's tick: 1 ms */

struct batch {
    uint64_t list;            /* guest VA of the next request */
    uint32_t count;           /* requests left */
    uint64_t pdone;           /* guest VA of the done counter, or 0 */
    uint32_t done;            /* completed, including earlier continuations */
    uint32_t foreigndom;
    bool flush;               /* a reference was dropped: flush before return */
};

/* Whose frames a batch's new entries map: the caller's own, or, for a
 * privileged caller only, those of the running domain foreigndom names (a
 * foreign mapping, as Xen allows domain 0; others reach other domains'
 * frames through grants). The page tables are always the caller's. */
static int resolve_foreigndom(const struct domain *d, uint32_t foreigndom, domid_t *owner)
{
    uint32_t fd = foreigndom & 0xffff, pfd = foreigndom >> 16;
    const struct domain *f;

    if (pfd != 0 && pfd - 1 != DOMID_SELF && pfd - 1 != d->id)
        return d->privileged ? -ESRCH : -EPERM;
    *owner = d->id;
    if (fd == DOMID_SELF || fd == d->id)
        return 0;
    if (!d->privileged)
        return -EPERM;
    f = domain_by_id((domid_t)fd);
    if (!f)
        return -ESRCH;
    *owner = f->id;
    return 0;
}

/* Pick up a continued batch: the done count so far lives in *pdone; as on
 * Xen, an unreadable pdone counts from 0 (the guest cannot read it either). */
static void batch_resume(struct vcpu *v, struct batch *b)
{
    b->count &= ~MMU_UPDATE_PREEMPTED;
    if (b->pdone && vcpu_copy_from(v, &b->done, b->pdone, sizeof(b->done)))
        b->done = 0;
}

static inline void batch_start(struct vcpu *v, const struct hypercall_args *a, struct batch *b)
{
    *b = (struct batch){ .list = a->a1, .count = (uint32_t)a->a2, .pdone = a->a3,
                         .foreigndom = (uint32_t)a->a4 };
    if (b->count & MMU_UPDATE_PREEMPTED)
        batch_resume(v, b);
}

/* Report progress and flush; rc is the batch's result. As on Xen, a
 * pdone that cannot be written does not change the result. */
static int64_t batch_end(struct vcpu *v, struct batch *b, int64_t rc)
{
    if (b->flush)
        flush_tlb_global();
    if (b->pdone)
        vcpu_copy_to(v, b->pdone, &b->done, sizeof(b->done));
    return rc;
}

/* Stop here and continue from request i in a fresh hypercall, with or
 * without a pdone to carry the count. */
static int64_t batch_preempt(struct vcpu *v, struct batch *b, uint32_t i, size_t req_size)
{
    const struct hypercall_args next = {
        b->list + (uint64_t)i * req_size, (b->count - i) | MMU_UPDATE_PREEMPTED,
        b->pdone, b->foreigndom, 0, NULL,
    };

    hypercall_continue(v, &next);
    return batch_end(v, b, 0);
}

/* ---- mmu_update -------------------------------------------------------- */

/* Frame mfn's contents: ftable.frame's answer (every frame of the table is
 * in the direct map), without its indirect call on the hot paths. */
static inline void *frame_va(uint64_t mfn)
{
    return phys_to_virt(mfn << PAGE_SHIFT);
}

/* A plain store into a frame that is no page table: it must be able to
 * take the writable type for the duration of the write. */
static int write_plain(struct domain *d, uint64_t mfn, unsigned int idx, uint64_t val)
{
    int rc = get_page_and_type(&ftable, mfn, d->id, PGT_writable);

    if (rc)
        return rc;
    ((uint64_t *)frame_va(mfn))[idx] = val;
    put_page_and_type(&ftable, mfn);
    return 0;
}

static inline int pt_update(struct domain *d, uint64_t maddr, uint64_t val, bool preserve_ad,
                            domid_t frame_owner, bool *flush)
{
    const struct entry_update u = { d->id, frame_owner, preserve_ad };
    int rc = mmu_pt_write(&ftable, maddr, val, &u, flush);

    if (rc != MMU_PT_PLAIN)
        return rc;
    return write_plain(d, maddr >> PAGE_SHIFT, (unsigned int)((maddr & (PAGE_SIZE - 1)) >> 3),
                       val);
}

static int machphys_update(struct domain *d, uint64_t maddr, uint64_t pfn)
{
    uint64_t mfn = maddr >> PAGE_SHIFT;

    if (mfn >= ftable.nr || ftable.pages[mfn].owner != d->id)
        return -EINVAL;
    m2p_set(mfn, pfn);
    return 0;
}

/* The command is ptr & 7, as on Xen: an 8-byte aligned target leaves three
 * low bits, of which only 0-3 name commands; 4-7 are unknown (-ENOSYS). */
static inline __attribute__((always_inline)) int
mmu_request(struct domain *d, const struct mmu_update *req, domid_t frame_owner, bool *flush)
{
    uint64_t maddr = req->ptr & ~7ULL;

    switch (req->ptr & 7) {
    case MMU_NORMAL_PT_UPDATE:
    case MMU_PT_UPDATE_NO_TRANSLATE:
        return pt_update(d, maddr, req->val, false, frame_owner, flush);
    case MMU_PT_UPDATE_PRESERVE_AD:
        return pt_update(d, maddr, req->val, true, frame_owner, flush);
    case MMU_MACHPHYS_UPDATE:
        return frame_owner == d->id ? machphys_update(d, maddr, req->val) : -EPERM;
    default:
        return unimpl_enosys(d, UNIMPL_MMU_UPDATE, req->ptr & 7);
    }
}

_Static_assert(sizeof(struct mmuext_op) <= 24 && sizeof(struct mmu_update) <= 24,
               "batch request buffer");

/* One request of a batch, read into req (req_size bytes). */
typedef int (*batch_fn)(struct vcpu *v, const void *req, domid_t frame_owner, bool *flush);

/* The tick's length in TSC cycles, worked out on first use (hypercalls
 * come after calibration; an uncalibrated TSC is taken as 1 GHz, as
 * timer.c does). */
static uint64_t preempt_cycles(void)
{
    static uint64_t cycles;

    if (!cycles)
        cycles = (tsc_hz() ? tsc_hz() : 1000000000ULL) / (1000000000ULL / PREEMPT_NS);
    return cycles;
}

/* Whether to cut the batch before request i (never before the first, so
 * every step makes progress). */
static bool batch_step_over(uint32_t i, uint64_t deadline_tsc)
{
    return i == PREEMPT_BATCH || (i && rdtsc() >= deadline_tsc);
}

/* Request i of the batch into req: direct loads when the whole array
 * passed the range check (direct) and the kernel root is loaded now, else
 * (or on a fault) the walk. */
static int read_request(struct vcpu *v, bool direct, void *req, uint64_t va, size_t size)
{
    if (direct && read_cr3() == v->cr3 && guest_copy_raw(req, (const void *)va, size) == 0)
        return 0;
    return vcpu_copy_from_walk(v, req, va, size) ? -EFAULT : 0;
}

/* The usual batch, the caller's own frames (DOMID_SELF), asks nothing of
 * resolve_foreigndom. */
static inline int batch_owner(const struct domain *d, uint32_t foreigndom, domid_t *owner)
{
    if (foreigndom == DOMID_SELF) {
        *owner = d->id;
        return 0;
    }
    return resolve_foreigndom(d, foreigndom, owner);
}

/* A batch of one request (a flush, a base pointer, one PTE: what guests
 * send most) without pdone, on the caller's own frames: nothing to count,
 * to cut or to report, so none of the batch's bookkeeping; the same read,
 * request and flush as run_batch's loop. */
static inline __attribute__((always_inline)) int64_t
run_one(struct vcpu *v, uint64_t va, size_t req_size, batch_fn fn)
{
    uint64_t req[3];
    bool flush = false;
    int rc = read_request(v, guest_range_ok(va, req_size), req, va, req_size);

    if (rc == 0)
        rc = fn(v, req, v->domain->id, &flush);
    if (flush)
        flush_tlb_global();
    return rc;
}

/* Run a batch: requests in order, stopping at the first failure, cut into
 * continuations (batch_step_over). An array that fails the one range
 * check is read request by request through the walk, so the requests
 * before the first unreadable one still run, as on Xen. Inlined into
 * do_mmu_update and do_mmuext_op, so that fn is a direct call the
 * compiler can inline too: the loop is the hot path of both. The clock
 * is read only for a batch of more than one request (a single one is
 * never cut). */
static inline __attribute__((always_inline)) int64_t
run_batch(struct vcpu *v, const struct hypercall_args *a, size_t req_size, batch_fn fn)
{
    uint64_t req[3];                         /* aligned room for either request */
    uint64_t deadline_tsc;
    struct batch b;
    domid_t frame_owner;
    bool direct;
    int rc;

    if ((uint32_t)a->a2 == 1 && !a->a3 && (uint32_t)a->a4 == DOMID_SELF)
        return run_one(v, a->a1, req_size, fn);
    batch_start(v, a, &b);
    deadline_tsc = b.count > 1 ? rdtsc() + preempt_cycles() : 0;
    direct = guest_range_ok(b.list, (uint64_t)b.count * req_size);
    rc = batch_owner(v->domain, b.foreigndom, &frame_owner);
    for (uint32_t i = 0; rc == 0 && i < b.count; i++) {
        if (batch_step_over(i, deadline_tsc))
            return batch_preempt(v, &b, i, req_size);
        rc = read_request(v, direct, req, b.list + (uint64_t)i * req_size, req_size);
        if (rc == 0)
            rc = fn(v, req, frame_owner, &b.flush);
        if (rc == 0)
            b.done++;
    }
    return b.flush || b.pdone ? batch_end(v, &b, rc) : rc;
}

static int mmu_batch_fn(struct vcpu *v, const void *req, domid_t frame_owner, bool *flush)
{
    return mmu_request(v->domain, req, frame_owner, flush);
}

int64_t do_mmu_update(struct vcpu *v, const struct hypercall_args *a)
{
    return run_batch(v, a, sizeof(struct mmu_update), mmu_batch_fn);
}

/* ---- update_va_mapping ------------------------------------------------- */

/* The L1 frame that maps va in the tables rooted at cr3, or -EINVAL. */
int64_t guest_l1_of(uint64_t cr3, uint64_t va)
{
    uint64_t mfn = cr3 >> PAGE_SHIFT;

    if (!guest_address_ok(va))
        return -EINVAL;
    for (unsigned int level = 4; level > 1; level--) {
        const uint64_t *t = frame_va(mfn);
        uint64_t e = t[(va >> (12 + 9 * (level - 1))) & 511];
        if (!(e & PTE_P) || (e & PTE_PS))
            return -EINVAL;
        mfn = (e & PTE_ADDR_MASK) >> PAGE_SHIFT;
    }
    if (mfn >= ftable.nr || ftable.pages[mfn].type != PGT_l1)
        return -EINVAL;
    return (int64_t)mfn;
}

/* UVMF flags: bits 0-1 the flush, bits 2+ UVMF_ALL or a vCPU bitmap's VA.
 * With one vCPU every target is this one, but a bitmap must still be
 * readable, as on Xen. */
static int flush_as_asked(struct vcpu *v, uint64_t va, uint64_t flags)
{
    uint64_t mask_va = flags & ~(uint64_t)UVMF_FLUSHTYPE_MASK;
    struct guest_space gs;
    uint64_t mask;

    if (mask_va && mask_va != UVMF_ALL) {
        vcpu_guest_space(v, &gs);
        if (copy_from_guest(&gs, &mask, mask_va, sizeof(mask)))
            return -EFAULT;
    }
    if ((flags & UVMF_FLUSHTYPE_MASK) == UVMF_TLB_FLUSH)
        flush_tlb_global();
    else if ((flags & UVMF_FLUSHTYPE_MASK) == UVMF_INVLPG)
        flush_tlb_one(va);
    return 0;
}

/* Map (or unmap) va in the caller's current tables, the frame being
 * frame_owner's. */
static int64_t update_va(struct vcpu *v, const struct hypercall_args *a, domid_t frame_owner)
{
    const struct entry_update u = { v->domain->id, frame_owner, false };
    uint64_t va = a->a1;
    int64_t l1 = guest_l1_of(v->cr3, va);
    unsigned int idx = (unsigned int)((va >> PAGE_SHIFT) & 511);
    bool dropped = false;
    int rc;

    if (l1 < 0)
        return l1;
    rc = mod_entry_report(&ftable, (uint64_t)l1, idx, a->a2, &u, &dropped);
    if (rc)
        return rc;
    if (dropped)
        flush_tlb_global();
    return flush_as_asked(v, va, a->a3);
}

int64_t do_update_va_mapping(struct vcpu *v, const struct hypercall_args *a)
{
    return update_va(v, a, v->domain->id);
}

/* update_va_mapping_otherdomain (#22): the same, but the frame mapped
 * belongs to domid: for the caller itself it is update_va_mapping; another
 * domain's frame only for a privileged caller (a foreign mapping, as Xen
 * allows domain 0). */
int64_t do_update_va_mapping_otherdomain(struct vcpu *v, const struct hypercall_args *a)
{
    domid_t id = (domid_t)a->a4;
    const struct domain *f;

    if (id == DOMID_SELF || id == v->domain->id)
        return do_update_va_mapping(v, a);
    if (!v->domain->privileged)
        return -EPERM;
    f = domain_by_id(id);
    return f ? update_va(v, a, f->id) : -ESRCH;
}

/* ---- mmuext_op --------------------------------------------------------- */

static bool m2p_strict(const struct domain *d)
{
    return (d->vm_assist >> VMASST_TYPE_m2p_strict) & 1;
}

/* The same table again (Linux reloads its own CR3 to flush): the slot's
 * reference and type stand, so no get and put, as Xen's new_guest_cr3;
 * the M2P slot and the CR3 load (the TLB flush asked for) still happen. */
int vcpu_set_baseptr(struct vcpu *v, uint64_t mfn, bool user)
{
    uint64_t *slot = user ? &v->user_cr3 : &v->cr3;
    uint64_t old = *slot;
    bool same = mfn && old >> PAGE_SHIFT == mfn;
    int rc = 0;

    if (!same && (mfn || !user))
        rc = get_page_and_type(&ftable, mfn, v->domain->id, PGT_l4);
    if (rc)
        return rc;
    *slot = mfn << PAGE_SHIFT;
    if (mfn && (!user || m2p_strict(v->domain)))
        paging_set_m2p_slot(frame_va(mfn), !user);
    if (user != v->kernel_mode)
        write_cr3(*slot);                    /* the mode we run in: switch now */
    if (old && !same)
        put_page_and_type(&ftable, old >> PAGE_SHIFT);
    return 0;
}

/* CLEAR_PAGE and COPY_PAGE report any frame they cannot use as -EINVAL,
 * as Xen does. */
static int clear_page_op(struct domain *d, uint64_t mfn)
{
    int rc = get_page_and_type(&ftable, mfn, d->id, PGT_writable);

    if (rc)
        return -EINVAL;
    memset(frame_va(mfn), 0, PAGE_SIZE);
    put_page_and_type(&ftable, mfn);
    return 0;
}

static int copy_page_op(struct domain *d, uint64_t dst, uint64_t src)
{
    int rc = get_page(&ftable, src, d->id);

    if (rc)
        return -EINVAL;
    rc = get_page_and_type(&ftable, dst, d->id, PGT_writable) ? -EINVAL : 0;
    if (rc == 0) {
        memcpy(frame_va(dst), frame_va(src), PAGE_SIZE);
        put_page_and_type(&ftable, dst);
    }
    put_page(&ftable, src);
    return rc;
}

/* A guest's translations are never global (page_types.c adjust_entry
 * clears G in every entry it stores, grant entries are written without
 * it), so reloading CR3 drops all of them: the guest's TLB flush, without
 * flushing the hypervisor's own global mappings. */
static void flush_guest_tlb(void)
{
    write_cr3(read_cr3());
}

static int read_vcpumask(struct vcpu *v, uint64_t va)
{
    struct guest_space gs;
    uint64_t mask;

    vcpu_guest_space(v, &gs);
    return copy_from_guest(&gs, &mask, va, sizeof(mask)) ? -EFAULT : 0;
}

static int invlpg_op(uint64_t va)
{
    if (guest_address_ok(va))
        invlpg(va);
    return 0;                                /* Xen ignores a bad address too */
}

static int set_ldt_op(const struct mmuext_op *op)
{
    uint64_t va = op->arg1.linear_addr;
    uint32_t ents = op->arg2.nr_ents;

    if (ents > 8192 || va % PAGE_SIZE || !guest_address_ok(va) ||
        !guest_address_ok(va + (uint64_t)ents * 8))
        return -EINVAL;
    return ents ? -EOPNOTSUPP : 0;           /* LDT pages come with descriptor tables */
}

static int flush_cache_op(const struct domain *d)
{
    if (!d->privileged)
        return -EPERM;
    __asm__ volatile("wbinvd" ::: "memory");
    return 0;
}

/* Pin and base-pointer commands refuse a frame that is not the caller's
 * with -EINVAL before anything else, as Xen's mmuext_op does (a mapping of
 * such a frame through mmu_update is -EBUSY instead). */
static bool owned(const struct domain *d, uint64_t mfn)
{
    return mfn < ftable.nr && ftable.pages[mfn].owner == d->id;
}

static int baseptr_op(struct vcpu *v, const struct mmuext_op *op)
{
    if ((op->arg1.mfn || op->cmd == MMUEXT_NEW_BASEPTR) && !owned(v->domain, op->arg1.mfn))
        return -EINVAL;                      /* 0 clears only the user table */
    return vcpu_set_baseptr(v, op->arg1.mfn, op->cmd == MMUEXT_NEW_USER_BASEPTR);
}

/* Commands that name frames may, on Xen, name a foreign domain's; the rest
 * must be about the caller. Here every command must be about the caller. */
static int mmuext_request(struct vcpu *v, const struct mmuext_op *op, bool *flush)
{
    struct domain *d = v->domain;

    /* What a guest kernel sends most, ahead of the switch's compare tree. */
    if (op->cmd == MMUEXT_NEW_BASEPTR)
        return baseptr_op(v, op);
    if (op->cmd == MMUEXT_INVLPG_LOCAL)
        return invlpg_op(op->arg1.linear_addr);
    if (op->cmd == MMUEXT_TLB_FLUSH_LOCAL) {
        flush_guest_tlb();
        return 0;
    }
    switch (op->cmd) {
    case MMUEXT_PIN_L1_TABLE:
    case MMUEXT_PIN_L2_TABLE:
    case MMUEXT_PIN_L3_TABLE:
    case MMUEXT_PIN_L4_TABLE:
        if (!owned(d, op->arg1.mfn))
            return -EINVAL;
        return pin_table(&ftable, op->arg1.mfn, d->id, op->cmd - MMUEXT_PIN_L1_TABLE + 1);
    case MMUEXT_UNPIN_TABLE:
        *flush = true;
        return unpin_table(&ftable, op->arg1.mfn, d->id);
    case MMUEXT_NEW_USER_BASEPTR:
        return baseptr_op(v, op);
    case MMUEXT_TLB_FLUSH_MULTI:
    case MMUEXT_INVLPG_MULTI:
        if (read_vcpumask(v, op->arg2.vcpumask))
            return -EINVAL;                  /* Xen: a bad mask is -EINVAL here */
        return op->cmd == MMUEXT_INVLPG_MULTI ? invlpg_op(op->arg1.linear_addr)
                                              : (flush_tlb_global(), 0);
    case MMUEXT_TLB_FLUSH_LOCAL:
    case MMUEXT_TLB_FLUSH_ALL:    flush_guest_tlb(); return 0;
    case MMUEXT_INVLPG_LOCAL:
    case MMUEXT_INVLPG_ALL:       return invlpg_op(op->arg1.linear_addr);
    case MMUEXT_FLUSH_CACHE:
    case MMUEXT_FLUSH_CACHE_GLOBAL: return flush_cache_op(d);
    case MMUEXT_SET_LDT:          return set_ldt_op(op);
    case MMUEXT_CLEAR_PAGE:       return clear_page_op(d, op->arg1.mfn);
    case MMUEXT_COPY_PAGE:        return copy_page_op(d, op->arg1.mfn, op->arg2.src_mfn);
    case MMUEXT_MARK_SUPER:
    case MMUEXT_UNMARK_SUPER:     return -EOPNOTSUPP;
    default:                      return unimpl_enosys(d, UNIMPL_MMUEXT_OP, op->cmd);
    }
}

/* mmuext_op acts on the caller's own frames only (pins, bases, flushes):
 * a foreigndom naming another domain is refused. */
static int mmuext_batch_fn(struct vcpu *v, const void *req, domid_t frame_owner, bool *flush)
{
    if (frame_owner != v->domain->id)
        return -EINVAL;
    return mmuext_request(v, req, flush);
}

int64_t do_mmuext_op(struct vcpu *v, const struct hypercall_args *a)
{
    return run_batch(v, a, sizeof(struct mmuext_op), mmuext_batch_fn);
}
