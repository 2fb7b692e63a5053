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

#define GUEST_RFLAGS (RF_CF | RF_PF | RF_AF | RF_ZF | RF_SF | RF_TF | RF_DF | RF_OF | \
                      RF_AC | RF_ID)

bool vector_has_error_code(unsigned int vector)
{
    return vector == 8 || (vector >= 10 && vector <= 14) || vector == 17 ||
           vector == 21 || vector == 29 || vector == 30;
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

int iret_sanitize(const struct iret_context *ic, struct iret_result *out)
{
    uint64_t cs = ic->cs & 0xfffc, ss = ic->ss & 0xfffc;

    out->fault_selector = cs;
    if (cs != (FLAT_RING3_CS64 & 0xfffc) && cs != (FLAT_RING3_CS32 & 0xfffc))
        return -EINVAL;
    out->fault_selector = ss;
    if (ss != (FLAT_RING3_SS64 & 0xfffc))
        return -EINVAL;
    out->fault_selector = 0;
    if (!is_canonical(ic->rip) || !is_canonical(ic->rsp))
        return -EINVAL;
    if (cs == (FLAT_RING3_CS32 & 0xfffc) && ic->rip > 0xffffffffULL)
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
