/*
 * bounce.c: building bounce frames and checking iret frames. Pure.
 *
 * Invariants: a frame is never placed in the hypervisor range (nor in the
 * 64 bytes above it, which a push could reach); every value loaded into a
 * guest's CS, SS, RIP, RSP or RFLAGS on the way back is one the CPU will
 * accept at CPL 3 from an iretq in ring 0, so returning to a guest can
 * never fault in the hypervisor; a guest never gains IOPL, VM or ring 0.
 */
#include "guest_address.h"
#include "bounce.h"
#include "err.h"
#include "layout.h"
#include <asm/rflags.h>
#include <asm/fast_offsets.h>

#define GUEST_RFLAGS (RF_CF | RF_PF | RF_AF | RF_ZF | RF_SF | RF_TF | RF_DF | RF_OF | \
                      RF_AC | RF_ID)
_Static_assert(GUEST_RFLAGS == IRET_GUEST_RFLAGS, "iret_fast.S keeps the same bits");

bool vector_has_error_code(unsigned int vector)
{
    return vector == 8 || (vector >= 10 && vector <= 14) || vector == 17 ||
           vector == 21 || vector == 29 || vector == 30;
}

uint64_t bounce_syscall_frame(uint64_t kernel_sp)
{
    uint64_t len = BOUNCE_SYSCALL_WORDS * 8;
    uint64_t f = (kernel_sp & ~15ULL) - len;

    if (!guest_range_ok(f, len) || (f & (PAGE_SIZE - 1)) > PAGE_SIZE - len)
        return 0;                        /* a hole, a wrap or across a page */
    return f;
}

uint64_t handler_rflags(uint64_t rflags)
{
    return (rflags & ~(RF_TF | RF_NT | RF_RF | RF_VM | RF_AC | RF_IOPL)) | RF_IF | RF_1;
}

int trap_entry_fixup(struct trap_info *t)
{
    if (!is_canonical(t->address))               /* only canonical, as on Xen: a */
        return -EINVAL;                          /* handler it cannot run just faults */
    t->cs |= 3;
    return 0;
}

int bounce_build(const struct bounce_ctx *c, uint64_t stack, bool has_error,
                 uint64_t error, struct bounce_frame *f)
{
    uint64_t flags = (c->rflags & ~(RF_IF | RF_IOPL)) | (c->upcall_mask ? 0 : RF_IF) |
                     ((uint64_t)(c->viopl & 3) << 12);
    uint64_t cs = (c->user ? c->cs : c->cs & ~3ULL) | ((uint64_t)c->upcall_mask << 32);
    unsigned int n = 0;

    stack &= ~15ULL;
    if (!guest_address_ok(stack))            /* the frame's own end is checked below */
        return -EFAULT;
    f->words[n++] = c->rcx;
    f->words[n++] = c->r11;
    if (has_error)
        f->words[n++] = error & 0xffffffffULL;
    f->words[n++] = c->rip;
    f->words[n++] = cs;
    f->words[n++] = flags;
    f->words[n++] = c->rsp;
    f->words[n++] = c->ss;
    f->nr = n;
    f->rsp = stack - n * sizeof(uint64_t);
    return guest_address_ok(f->rsp) ? 0 : -EFAULT;
}

#define D_CODE   (1ULL << 43)
#define D_CONF   (1ULL << 42)
#define D_WRITE  (1ULL << 41)
#define D_S      (1ULL << 44)
#define D_DPL3   (3ULL << 45)
#define D_P      (1ULL << 47)
#define D_L      (1ULL << 53)
#define D_DB     (1ULL << 54)

/* The descriptor sel names in g, or 0 (none: LDT, beyond the GDT, or the
 * null selector: the CPU never reads entry 0, whatever the guest put
 * there, and an iretq to CPL 3 with a null CS or SS faults in ring 0). */
static uint64_t guest_desc(const struct guest_gdt *g, uint64_t sel)
{
    uint64_t idx = (sel & 0xffff) >> 3;

    if (!g || (sel & 4) || !idx || idx >= g->ents || !g->pages[idx / 512])
        return 0;
    return g->pages[idx / 512][idx % 512];
}

/* 64 or 32 if descriptor d can be CS at CPL 3, else 0. */
static unsigned int desc_code_bits(uint64_t d)
{
    if ((d & (D_P | D_S | D_CODE | D_DPL3 | D_CONF)) != (D_P | D_S | D_CODE | D_DPL3) ||
        ((d & D_L) && (d & D_DB)))
        return 0;                            /* L and D together are reserved */
    return (d & D_L) ? 64 : 32;
}

/* The same for selector sel: the flat ones, or g's. */
static unsigned int code_bits(const struct guest_gdt *g, uint64_t sel)
{
    if ((sel & 0xfffc) == (FLAT_RING3_CS64 & 0xfffc))
        return 64;
    if ((sel & 0xfffc) == (FLAT_RING3_CS32 & 0xfffc))
        return 32;
    return desc_code_bits(guest_desc(g, sel));
}

static bool desc_stack_ok(uint64_t d)
{
    return (d & (D_P | D_S | D_CODE | D_WRITE | D_DPL3)) == (D_P | D_S | D_WRITE | D_DPL3);
}

static bool stack_ok(const struct guest_gdt *g, uint64_t sel)
{
    if ((sel & 0xfffc) == (FLAT_RING3_SS64 & 0xfffc))
        return true;
    return desc_stack_ok(guest_desc(g, sel));
}

/* The exception iretq raises on a refused CS or SS: #NP for a descriptor
 * that would do but for its P bit (the CPU checks presence last; #NP for
 * SS too, as the SDM's list of IRET's exceptions says and QEMU, under
 * which Xen is the oracle, raises), #GP for anything else. */
static unsigned int refusal_vector(const struct guest_gdt *g, uint64_t sel, bool is_cs)
{
    uint64_t d = guest_desc(g, sel);

    if (d & D_P)
        return 13;
    if (is_cs)
        return desc_code_bits(d | D_P) ? 11 : 13;
    return desc_stack_ok(d | D_P) ? 11 : 13;
}

bool guest_selectors_ok(const struct guest_gdt *g, uint64_t cs, uint64_t ss)
{
    return (cs & 3) == 3 && (ss & 3) == 3 && code_bits(g, cs) && stack_ok(g, ss);
}

static bool flat_selector(uint64_t sel)
{
    sel &= 0xfffc;
    return sel == (FLAT_RING3_CS64 & 0xfffc) || sel == (FLAT_RING3_CS32 & 0xfffc) ||
           sel == (FLAT_RING3_SS64 & 0xfffc);
}

uint32_t gdt_sels_checked(const struct guest_gdt *g, uint64_t cs, uint64_t ss)
{
    if (flat_selector(cs) || flat_selector(ss) || code_bits(g, cs) != 64 || !stack_ok(g, ss))
        return 0;
    return GDT_SELS_PAIR(cs, ss);
}

/* Does sel (RPL cleared, a guest entry) name entry idx of frame mfn? */
static bool sel_is_entry(uint32_t sel, const uint64_t *frames, uint64_t mfn, unsigned int idx)
{
    uint32_t e = sel >> 3;

    return e / 512 < GDT_MAX_PAGES && frames[e / 512] == mfn && e % 512 == idx;
}

bool gdt_sels_touched(uint32_t pair, const uint64_t *frames, uint64_t mfn, unsigned int idx)
{
    if (!pair)
        return false;
    return sel_is_entry(pair & 0xfffc, frames, mfn, idx) ||
           sel_is_entry((pair >> 16) & 0xfffc, frames, mfn, idx);
}

int iret_sanitize(const struct iret_context *ic, struct iret_result *out)
{
    return iret_sanitize_guest(ic, NULL, out);
}

int iret_sanitize_guest(const struct iret_context *ic, const struct guest_gdt *g,
                        struct iret_result *out)
{
    uint64_t cs = ic->cs & 0xfffc, ss = ic->ss & 0xfffc;
    unsigned int bits = code_bits(g, cs);

    out->fault_vector = 13;
    out->fault_selector = cs;
    if (!bits) {
        out->fault_vector = refusal_vector(g, cs, true);
        return -EINVAL;
    }
    out->fault_selector = ss;
    if (!stack_ok(g, ss)) {
        out->fault_vector = refusal_vector(g, ss, false);
        return -EINVAL;
    }
    out->fault_selector = 0;
    if (!is_canonical(ic->rip) || !is_canonical(ic->rsp))
        return -EINVAL;
    if (bits == 32 && ic->rip > 0xffffffffULL)
        return -EINVAL;                 /* compatibility mode: 32-bit RIP */
    out->to_user = (ic->cs & 3) == 3;
    out->rip = ic->rip;
    out->cs = cs | 3;
    out->ss = ss | 3;
    out->rsp = ic->rsp;
    out->rflags = (ic->rflags & GUEST_RFLAGS) | RF_IF | RF_1;
    out->upcall_mask = (ic->rflags & RF_IF) ? 0 : 1;
    out->viopl = (unsigned int)((ic->rflags & RF_IOPL) >> 12);
    out->rax = ic->rax;
    out->rcx = ic->rcx;
    out->r11 = ic->r11;
    out->restore_rcx_r11 = !(ic->flags & VGCF_in_syscall);
    return 0;
}
