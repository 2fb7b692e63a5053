/*
 * Unit tests for hypervisor/pv/bounce.c: the bounce frame a trap, syscall or
 * event puts on the guest kernel's stack, the RFLAGS its handler starts
 * with, the trap-table entry check, and the sanitizing of iret frames.
 * Each rule has an accepted and a refused case; layouts are Xen's
 * (xen-pv-abi.md 2.2-2.4).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "bounce.h"
#include <asm/rflags.h>
#include "err.h"
#include "layout.h"


#define KSTACK  0xffffffff80123450ULL       /* a guest kernel stack, 16-aligned */
#define USTACK  0x00007fffffffe000ULL

/* An interrupted guest-kernel context with recognisable registers. */
static struct bounce_ctx kernel_ctx(void)
{
    return (struct bounce_ctx){
        .rip = 0xffffffff80001234ULL, .cs = FLAT_KERNEL_CS, .rflags = RF_1 | RF_ZF,
        .rsp = KSTACK, .ss = FLAT_KERNEL_SS, .rcx = 0xc1c1c1c1ULL, .r11 = 0x1111ULL,
        .user = false, .upcall_mask = 0, .viopl = 0,
    };
}

static struct bounce_ctx user_ctx(void)
{
    struct bounce_ctx c = kernel_ctx();

    c.rip = 0x400123;
    c.rsp = USTACK;
    c.user = true;
    return c;
}

/* ---- vector_has_error_code --------------------------------------------------- */

static void test_error_code_vectors(void **state)
{
    static const unsigned int with[] = { 8, 10, 11, 12, 13, 14, 17, 21, 29, 30 };
    unsigned int n = 0;

    (void)state;
    for (unsigned int i = 0; i < ARRAY_SIZE(with); i++)
        assert_true(vector_has_error_code(with[i]));
    for (unsigned int v = 0; v < 256; v++)
        n += vector_has_error_code(v);
    assert_int_equal(n, ARRAY_SIZE(with));     /* no others: 0-7, 9, 15, 16, 32+ ... */
    assert_false(vector_has_error_code(3));
    assert_false(vector_has_error_code(0x80));
}

/* ---- bounce_build ------------------------------------------------------------ */

static void test_frame_kernel_no_error(void **state)
{
    struct bounce_ctx c = kernel_ctx();
    struct bounce_frame f;

    (void)state;
    assert_int_equal(bounce_build(&c, c.rsp, false, 0, &f), 0);
    assert_int_equal(f.nr, 7);
    assert_int_equal(f.rsp, KSTACK - 7 * 8);
    assert_int_equal(f.words[0], c.rcx);
    assert_int_equal(f.words[1], c.r11);
    assert_int_equal(f.words[2], c.rip);
    assert_int_equal(f.words[3], FLAT_KERNEL_CS & ~3U);        /* kernel context: RPL 0 */
    assert_int_equal(f.words[4], RF_1 | RF_ZF | RF_IF);        /* mask 0: IF set */
    assert_int_equal(f.words[5], c.rsp);
    assert_int_equal(f.words[6], c.ss);
}

static void test_frame_with_error(void **state)
{
    struct bounce_ctx c = kernel_ctx();
    struct bounce_frame f;

    (void)state;
    assert_int_equal(bounce_build(&c, c.rsp, true, 0x100000006ULL, &f), 0);
    assert_int_equal(f.nr, 8);
    assert_int_equal(f.rsp, KSTACK - 8 * 8);
    assert_int_equal(f.words[2], 6);               /* zero-extended 32-bit error code */
    assert_int_equal(f.words[3], c.rip);
    assert_int_equal(f.words[7], c.ss);
}

static void test_frame_user_cs_keeps_rpl3(void **state)
{
    struct bounce_ctx c = user_ctx();
    struct bounce_frame f;

    (void)state;
    assert_int_equal(bounce_build(&c, KSTACK, false, 0, &f), 0);
    assert_int_equal(f.rsp, KSTACK - 7 * 8);       /* on the kernel stack given */
    assert_int_equal(f.words[3], FLAT_USER_CS);
    assert_int_equal(f.words[5], USTACK);          /* the user's RSP in the frame */
}

static void test_frame_upcall_mask(void **state)
{
    struct bounce_ctx c = kernel_ctx();
    struct bounce_frame f;

    (void)state;
    c.upcall_mask = 1;
    c.rflags |= RF_IF;                             /* the CPU's IF is always 1 */
    assert_int_equal(bounce_build(&c, c.rsp, false, 0, &f), 0);
    assert_int_equal(f.words[3], (FLAT_KERNEL_CS & ~3ULL) | (1ULL << 32));
    assert_int_equal(f.words[4] & RF_IF, 0);       /* IF = !mask */
    c.upcall_mask = 0;
    assert_int_equal(bounce_build(&c, c.rsp, false, 0, &f), 0);
    assert_int_equal(f.words[3] >> 32, 0);
    assert_int_equal(f.words[4] & RF_IF, RF_IF);
}

static void test_frame_iopl(void **state)
{
    struct bounce_ctx c = kernel_ctx();
    struct bounce_frame f;

    (void)state;
    c.rflags |= RF_IOPL;                           /* whatever the CPU had */
    assert_int_equal(bounce_build(&c, c.rsp, false, 0, &f), 0);
    assert_int_equal(f.words[4] & RF_IOPL, 0);     /* virtual IOPL 0 */
    c.viopl = 1;
    assert_int_equal(bounce_build(&c, c.rsp, false, 0, &f), 0);
    assert_int_equal(f.words[4] & RF_IOPL, 1ULL << 12);
    c.viopl = 7;                                   /* only two bits exist */
    assert_int_equal(bounce_build(&c, c.rsp, false, 0, &f), 0);
    assert_int_equal(f.words[4] & RF_IOPL, 3ULL << 12);
}

static void test_frame_aligned_to_16(void **state)
{
    struct bounce_ctx c = kernel_ctx();
    struct bounce_frame f;

    (void)state;
    for (uint64_t off = 0; off < 16; off++) {
        assert_int_equal(bounce_build(&c, KSTACK + off, false, 0, &f), 0);
        assert_int_equal(f.rsp, KSTACK - 7 * 8);
        assert_int_equal(bounce_build(&c, KSTACK + off, true, 0, &f), 0);
        assert_int_equal(f.rsp, KSTACK - 8 * 8);
        assert_int_equal(f.rsp % 16, 0);
    }
}

static void test_frame_stack_in_hole_refused(void **state)
{
    struct bounce_ctx c = kernel_ctx();
    struct bounce_frame f;

    (void)state;
    assert_int_equal(bounce_build(&c, HV_VIRT_START, false, 0, &f), -EFAULT);
    assert_int_equal(bounce_build(&c, HV_VIRT_START + 0x100000, false, 0, &f), -EFAULT);
    assert_int_equal(bounce_build(&c, HV_IMAGE_VIRT, true, 0, &f), -EFAULT);
    assert_int_equal(bounce_build(&c, HV_VIRT_END - 8, false, 0, &f), -EFAULT);
    /* Just above the hole: the frame would reach into it. */
    assert_int_equal(bounce_build(&c, HV_VIRT_END, false, 0, &f), -EFAULT);
    assert_int_equal(bounce_build(&c, HV_VIRT_END + 8, false, 0, &f), -EFAULT);
    assert_int_equal(bounce_build(&c, HV_VIRT_END + 48, false, 0, &f), -EFAULT);
    assert_int_equal(bounce_build(&c, HV_VIRT_END + 63, true, 0, &f), -EFAULT);
    /* Far enough above for the whole frame: accepted. */
    assert_int_equal(bounce_build(&c, HV_VIRT_END + 64, false, 0, &f), 0);
    assert_int_equal(f.rsp, HV_VIRT_END + 8);
    assert_int_equal(bounce_build(&c, HV_VIRT_END + 64, true, 0, &f), 0);
    assert_int_equal(f.rsp, HV_VIRT_END);
}

static void test_frame_noncanonical_refused(void **state)
{
    struct bounce_ctx c = kernel_ctx();
    struct bounce_frame f;

    (void)state;
    assert_int_equal(bounce_build(&c, 0x0000800000000040ULL, false, 0, &f), -EFAULT);
    assert_int_equal(bounce_build(&c, 0x0000800000000000ULL, false, 0, &f), -EFAULT);
    assert_int_equal(bounce_build(&c, 0x8000000000000000ULL, false, 0, &f), -EFAULT);
    assert_int_equal(bounce_build(&c, 0xffff7ffffffffff0ULL, true, 0, &f), -EFAULT);
    /* The top of the lower half is a stack like any other. */
    assert_int_equal(bounce_build(&c, 0x00007ffffffffff0ULL, false, 0, &f), 0);
    assert_int_equal(f.rsp, 0x00007ffffffffff0ULL - 7 * 8);
}

/* ---- bounce_syscall_frame (bounce_fast.S's frame, cached at stack_switch) ---- */

/* Accepted: 7 words below the stack aligned down to 16, in one page of
 * either guest half, up to the page's end and the half's end. */
static void test_syscall_frame_accepted(void **state)
{
    (void)state;
    assert_int_equal(bounce_syscall_frame(0x400000ULL), 0x400000ULL - 56);
    assert_int_equal(bounce_syscall_frame(0x40000fULL), 0x400000ULL - 56);
    assert_int_equal(bounce_syscall_frame(0x401048ULL), 0x401040ULL - 56);
    assert_int_equal(bounce_syscall_frame(1ULL << 47), (1ULL << 47) - 56);
    assert_int_equal(bounce_syscall_frame(0xffff880000010000ULL), 0xffff880000010000ULL - 56);
    assert_int_equal(bounce_syscall_frame(0), (uint64_t)-56);
}

/* Refused (0): across a page, in or just above the hypervisor's slots,
 * above the lower half, wrapping below 0. */
static void test_syscall_frame_refused(void **state)
{
    (void)state;
    assert_int_equal(bounce_syscall_frame(0x401020ULL), 0);       /* 0x400fe8..0x401020 */
    assert_int_equal(bounce_syscall_frame(HV_VIRT_END), 0);
    assert_int_equal(bounce_syscall_frame(HV_VIRT_END + 48), 0);
    assert_int_equal(bounce_syscall_frame(0xffff800000001000ULL), 0);
    assert_int_equal(bounce_syscall_frame((1ULL << 47) + 0x1000), 0);
    assert_int_equal(bounce_syscall_frame(48), 0);
}

/* ---- handler_rflags, trap_entry_fixup ----------------------------------------- */

static void test_handler_rflags(void **state)
{
    uint64_t all = RF_CF | RF_ZF | RF_TF | RF_DF | RF_IOPL | RF_NT | RF_RF | RF_VM | RF_AC | RF_ID;

    (void)state;
    assert_int_equal(handler_rflags(all), RF_1 | RF_IF | RF_CF | RF_ZF | RF_DF | RF_ID);
    assert_int_equal(handler_rflags(0), RF_1 | RF_IF);
    assert_int_equal(handler_rflags(RF_TF | RF_AC) & (RF_TF | RF_AC), 0);
}

static void test_trap_entry_fixup(void **state)
{
    struct trap_info t = { .vector = 14, .flags = 0, .cs = FLAT_KERNEL_CS & ~3U,
                           .address = 0xffffffff80001000ULL };

    (void)state;
    assert_int_equal(trap_entry_fixup(&t), 0);
    assert_int_equal(t.cs, FLAT_KERNEL_CS);           /* RPL raised to 3 */
    t.cs = FLAT_KERNEL_CS;
    assert_int_equal(trap_entry_fixup(&t), 0);
    assert_int_equal(t.cs, FLAT_KERNEL_CS);
    t.address = 0x400000;                              /* lower half: fine */
    assert_int_equal(trap_entry_fixup(&t), 0);
    t.address = HV_IMAGE_VIRT;                         /* canonical: Xen accepts it */
    assert_int_equal(trap_entry_fixup(&t), 0);
    t.address = 0x0000800000000000ULL;
    assert_int_equal(trap_entry_fixup(&t), -EINVAL);
    t.address = 0x8000000000000000ULL;
    assert_int_equal(trap_entry_fixup(&t), -EINVAL);
}

/* ---- iret_sanitize ------------------------------------------------------------ */

static struct iret_context iret_frame(uint64_t cs, uint64_t rip)
{
    return (struct iret_context){
        .rax = 0xaaaa, .r11 = 0x1111, .rcx = 0xcccc, .flags = 0,
        .rip = rip, .cs = cs, .rflags = RF_1 | RF_IF, .rsp = USTACK, .ss = FLAT_USER_SS,
    };
}

static void test_iret_to_user(void **state)
{
    struct iret_context ic = iret_frame(FLAT_USER_CS, 0x400000);
    struct iret_result r;

    (void)state;
    assert_int_equal(iret_sanitize(&ic, &r), 0);
    assert_true(r.to_user);
    assert_int_equal(r.rip, 0x400000);
    assert_int_equal(r.cs, FLAT_USER_CS);
    assert_int_equal(r.ss, FLAT_USER_SS);
    assert_int_equal(r.rsp, USTACK);
    assert_int_equal(r.rax, 0xaaaa);
    assert_int_equal(r.rcx, 0xcccc);
    assert_int_equal(r.r11, 0x1111);
    assert_true(r.restore_rcx_r11);
    assert_int_equal(r.upcall_mask, 0);
}

static void test_iret_to_kernel(void **state)
{
    struct iret_context ic = iret_frame(FLAT_KERNEL_CS & ~3U, 0xffffffff80001000ULL);
    struct iret_result r;

    (void)state;
    ic.ss = FLAT_KERNEL_SS & ~3U;                     /* ring 0 asked for: ring 3 given */
    assert_int_equal(iret_sanitize(&ic, &r), 0);
    assert_false(r.to_user);
    assert_int_equal(r.cs, FLAT_KERNEL_CS);
    assert_int_equal(r.ss, FLAT_KERNEL_SS);
    ic.cs = (FLAT_KERNEL_CS & ~3U) | 1;
    assert_int_equal(iret_sanitize(&ic, &r), 0);
    assert_false(r.to_user);
    ic.cs = (FLAT_KERNEL_CS & ~3U) | (1ULL << 32);    /* a bounce frame's mask bits */
    assert_int_equal(iret_sanitize(&ic, &r), 0);
    assert_false(r.to_user);
    assert_int_equal(r.cs, FLAT_KERNEL_CS);
}

static void test_iret_bad_selectors(void **state)
{
    struct iret_context ic = iret_frame(0xe008, 0xffffffff80001000ULL);   /* ring-0 CS */
    struct iret_result r;

    (void)state;
    assert_int_equal(iret_sanitize(&ic, &r), -EINVAL);
    ic.cs = 0xe00b;                                   /* the same, RPL 3 */
    assert_int_equal(iret_sanitize(&ic, &r), -EINVAL);
    ic.cs = 0;
    assert_int_equal(iret_sanitize(&ic, &r), -EINVAL);
    ic.cs = 0x0013;                                   /* a guest GDT selector */
    assert_int_equal(iret_sanitize(&ic, &r), -EINVAL);
    ic.cs = FLAT_USER_CS;
    ic.ss = 0xe010;                                   /* the hypervisor's data */
    assert_int_equal(iret_sanitize(&ic, &r), -EINVAL);
    ic.ss = 0;
    assert_int_equal(iret_sanitize(&ic, &r), -EINVAL);
    ic.ss = FLAT_USER_CS;                             /* code as a stack */
    assert_int_equal(iret_sanitize(&ic, &r), -EINVAL);
    ic.ss = FLAT_USER_SS;
    assert_int_equal(iret_sanitize(&ic, &r), 0);
}

/* A refused frame names the selector iretq would fault on (RPL cleared):
 * CS first, then SS; 0 when the selectors are fine and RIP or RSP is not. */
static void test_iret_fault_selector(void **state)
{
    struct iret_context ic = iret_frame(0xe00b, 0x400000);
    struct iret_result r;

    (void)state;
    ic.ss = 0xe013;
    assert_int_equal(iret_sanitize(&ic, &r), -EINVAL);
    assert_int_equal(r.fault_selector, 0xe008);
    ic.cs = FLAT_USER_CS;
    assert_int_equal(iret_sanitize(&ic, &r), -EINVAL);
    assert_int_equal(r.fault_selector, 0xe010);
    ic.ss = FLAT_USER_SS;
    ic.rip = 0x0000800000000000ULL;
    assert_int_equal(iret_sanitize(&ic, &r), -EINVAL);
    assert_int_equal(r.fault_selector, 0);
}

static void test_iret_noncanonical(void **state)
{
    struct iret_context ic = iret_frame(FLAT_USER_CS, 0x0000800000000000ULL);
    struct iret_result r;

    (void)state;
    assert_int_equal(iret_sanitize(&ic, &r), -EINVAL);
    ic.rip = 0x00007ffffffffff0ULL;
    assert_int_equal(iret_sanitize(&ic, &r), 0);
    ic.rsp = 0xfff0800000000000ULL;
    assert_int_equal(iret_sanitize(&ic, &r), -EINVAL);
    ic.rsp = 0xffff800000000000ULL;                   /* canonical, the guest's to fault on */
    assert_int_equal(iret_sanitize(&ic, &r), 0);
}

static void test_iret_compat_rip(void **state)
{
    struct iret_context ic = iret_frame(FLAT_USER_CS32, 0xffffffffULL);
    struct iret_result r;

    (void)state;
    assert_int_equal(iret_sanitize(&ic, &r), 0);
    assert_int_equal(r.cs, FLAT_USER_CS32);
    ic.rip = 0x100000000ULL;                          /* beyond 4 GiB in 32-bit code */
    assert_int_equal(iret_sanitize(&ic, &r), -EINVAL);
}

static void test_iret_rflags(void **state)
{
    struct iret_context ic = iret_frame(FLAT_USER_CS, 0x400000);
    struct iret_result r;

    (void)state;
    ic.rflags = RF_IOPL | RF_VM | RF_NT | RF_RF | RF_CF | RF_DF | RF_AC | RF_ID | RF_TF;
    assert_int_equal(iret_sanitize(&ic, &r), 0);
    assert_int_equal(r.rflags & (RF_IOPL | RF_VM | RF_NT | RF_RF), 0);
    assert_int_equal(r.rflags & (RF_CF | RF_DF | RF_AC | RF_ID | RF_TF),
                     RF_CF | RF_DF | RF_AC | RF_ID | RF_TF);
    assert_int_equal(r.rflags & (RF_IF | RF_1), RF_IF | RF_1);   /* IF forced */
    assert_int_equal(r.upcall_mask, 1);                          /* frame IF was 0 */
    assert_int_equal(r.viopl, 3);                  /* kept aside for architectural_iopl */
    ic.rflags = RF_IF;
    assert_int_equal(iret_sanitize(&ic, &r), 0);
    assert_int_equal(r.upcall_mask, 0);
    assert_int_equal(r.viopl, 0);
}

static void test_iret_in_syscall(void **state)
{
    struct iret_context ic = iret_frame(FLAT_USER_CS, 0x400000);
    struct iret_result r;

    (void)state;
    ic.flags = VGCF_in_syscall;
    assert_int_equal(iret_sanitize(&ic, &r), 0);
    assert_false(r.restore_rcx_r11);
    ic.flags = 0;
    assert_int_equal(iret_sanitize(&ic, &r), 0);
    assert_true(r.restore_rcx_r11);
    ic.flags = ~(uint64_t)VGCF_in_syscall;            /* other bits mean nothing */
    assert_int_equal(iret_sanitize(&ic, &r), 0);
    assert_true(r.restore_rcx_r11);
}

/* ---- selectors of the guest's own GDT (Linux's __USER_CS, __USER_DS) ---- */

/* Linux's GDT layout: 4 USER32_CS, 5 USER_DS, 6 USER_CS, each DPL 3 as
 * check_descriptor leaves them; 7 a DPL-3 data segment made read-only,
 * 8 a not-present code segment, 9 conforming code, 10 code with L and D,
 * 11 a call gate. */
static uint64_t linux_gdt[512];

static struct guest_gdt linux_gdt_view(unsigned int ents)
{
    struct guest_gdt g = { .ents = ents };

    memset(linux_gdt, 0, sizeof(linux_gdt));
    linux_gdt[4] = 0x00cffb000000ffffULL;             /* 32-bit code, DPL 3 */
    linux_gdt[5] = 0x00cff3000000ffffULL;             /* data rw, DPL 3 */
    linux_gdt[6] = 0x00affb000000ffffULL;             /* 64-bit code, DPL 3 */
    linux_gdt[7] = 0x00cff1000000ffffULL;             /* data read-only */
    linux_gdt[8] = 0x00af7b000000ffffULL;             /* code, not present */
    linux_gdt[9] = 0x00affe000000ffffULL;             /* conforming code */
    linux_gdt[10] = 0x00effb000000ffffULL;            /* L and D: reserved */
    linux_gdt[11] = 0x0000ec0000e03000ULL;            /* call gate, DPL 3 */
    g.pages[0] = linux_gdt;
    return g;
}

static void test_iret_guest_selectors(void **state)
{
    struct guest_gdt g = linux_gdt_view(16);
    struct iret_context ic = iret_frame(0x33, 0x400000);
    struct iret_result r;

    (void)state;
    ic.ss = 0x2b;
    assert_int_equal(iret_sanitize_guest(&ic, &g, &r), 0);
    assert_true(r.to_user);
    assert_int_equal(r.cs, 0x33);
    assert_int_equal(r.ss, 0x2b);
    ic.cs = 0x23;                                     /* 32-bit code: RIP below 4 GiB */
    assert_int_equal(iret_sanitize_guest(&ic, &g, &r), 0);
    ic.rip = 0x100000000ULL;
    assert_int_equal(iret_sanitize_guest(&ic, &g, &r), -EINVAL);
    ic = iret_frame(0x30, 0x400000);                  /* RPL 0 asked: RPL 3 given */
    ic.ss = 0x28;
    assert_int_equal(iret_sanitize_guest(&ic, &g, &r), 0);
    assert_int_equal(r.cs, 0x33);
    assert_false(r.to_user);
    ic = iret_frame(0x33, 0x400000);                  /* without the GDT: refused */
    ic.ss = 0x2b;
    assert_int_equal(iret_sanitize(&ic, &r), -EINVAL);
    assert_int_equal(r.fault_selector, 0x30);
}

/* Each descriptor that cannot be CS or SS at CPL 3, a selector past the
 * GDT's end, an LDT selector, the null SS: refused, naming the selector. */
static void test_iret_guest_selectors_refused(void **state)
{
    struct guest_gdt g = linux_gdt_view(12);
    static const uint64_t bad_cs[] = { 0x2b, 0x3b, 0x43, 0x4b, 0x53, 0x5b, 0x63, 0x37, 0x0 };
    static const uint64_t bad_ss[] = { 0x33, 0x3b, 0x43, 0x5b, 0x63, 0x2f, 0x3 };
    struct iret_context ic;
    struct iret_result r;

    (void)state;
    for (unsigned int i = 0; i < sizeof(bad_cs) / sizeof(bad_cs[0]); i++) {
        ic = iret_frame(bad_cs[i], 0x400000);
        ic.ss = 0x2b;
        assert_int_equal(iret_sanitize_guest(&ic, &g, &r), -EINVAL);
        assert_int_equal(r.fault_selector, bad_cs[i] & 0xfffc);
    }
    for (unsigned int i = 0; i < sizeof(bad_ss) / sizeof(bad_ss[0]); i++) {
        ic = iret_frame(0x33, 0x400000);
        ic.ss = bad_ss[i];
        assert_int_equal(iret_sanitize_guest(&ic, &g, &r), -EINVAL);
        assert_int_equal(r.fault_selector, bad_ss[i] & 0xfffc);
    }
    g.ents = 6;                                       /* entry 6 beyond the end */
    ic = iret_frame(0x33, 0x400000);
    ic.ss = 0x2b;
    assert_int_equal(iret_sanitize_guest(&ic, &g, &r), -EINVAL);
}

/* Which exception a refused frame gets, as iretq raises it: #NP for a CS
 * or SS that is good but for its P bit, #GP otherwise (a not-present
 * descriptor that would be wrong anyway included). */
static void test_iret_refusal_vectors(void **state)
{
    struct guest_gdt g = linux_gdt_view(16);
    struct iret_context ic = iret_frame(0x43, 0x400000);    /* 8: code, not present */
    struct iret_result r;

    (void)state;
    linux_gdt[12] = 0x00cf73000000ffffULL;            /* data rw, DPL 3, not present */
    linux_gdt[13] = 0x00cf71000000ffffULL;            /* read-only, not present */
    ic.ss = 0x2b;
    assert_int_equal(iret_sanitize_guest(&ic, &g, &r), -EINVAL);
    assert_int_equal(r.fault_vector, 11);
    assert_int_equal(r.fault_selector, 0x40);
    ic.cs = 0x2b;                                     /* data as CS */
    assert_int_equal(iret_sanitize_guest(&ic, &g, &r), -EINVAL);
    assert_int_equal(r.fault_vector, 13);
    ic = iret_frame(0x33, 0x400000);
    ic.ss = 0x63;
    assert_int_equal(iret_sanitize_guest(&ic, &g, &r), -EINVAL);
    assert_int_equal(r.fault_vector, 11);
    assert_int_equal(r.fault_selector, 0x60);
    ic.ss = 0x6b;
    assert_int_equal(iret_sanitize_guest(&ic, &g, &r), -EINVAL);
    assert_int_equal(r.fault_vector, 13);
    ic.ss = 0x3b;                                     /* present, read-only */
    assert_int_equal(iret_sanitize_guest(&ic, &g, &r), -EINVAL);
    assert_int_equal(r.fault_vector, 13);
    ic = iret_frame(0x33, 0x0000800000000000ULL);     /* RIP not canonical */
    ic.ss = 0x2b;
    assert_int_equal(iret_sanitize_guest(&ic, &g, &r), -EINVAL);
    assert_int_equal(r.fault_vector, 13);
    assert_int_equal(r.fault_selector, 0);
}

/* Entry 0 is never read by the CPU (selectors 0-3 are null): a descriptor
 * the guest wrote there does not make CS 0 or SS 0 returnable. */
static void test_null_selector_entry(void **state)
{
    struct guest_gdt g = linux_gdt_view(16);
    struct iret_context ic = iret_frame(0x0, 0x400000);
    struct iret_result r;

    (void)state;
    linux_gdt[0] = linux_gdt[6];                      /* 64-bit code, DPL 3 */
    ic.ss = 0x2b;
    assert_int_equal(iret_sanitize_guest(&ic, &g, &r), -EINVAL);
    assert_int_equal(r.fault_selector, 0);
    assert_false(guest_selectors_ok(&g, 0x3, 0x2b));
    linux_gdt[0] = linux_gdt[5];                      /* data rw, DPL 3 */
    ic = iret_frame(0x33, 0x400000);
    ic.ss = 0x3;
    assert_int_equal(iret_sanitize_guest(&ic, &g, &r), -EINVAL);
    assert_false(guest_selectors_ok(&g, 0x33, 0x3));
    assert_int_equal(gdt_sels_checked(&g, 0x33, 0x0), 0);
    ic.ss = 0x2b;                                     /* the same GDT, a real SS */
    assert_int_equal(iret_sanitize_guest(&ic, &g, &r), 0);
}

/* The pair iret_fast.S may take without the GDT: Linux's 64-bit code and
 * data, any RPL; never 32-bit code (its RIP needs a check), a flat
 * selector, a descriptor that cannot be CS or SS, and never 0 (empty). */
static void test_gdt_sels_checked(void **state)
{
    struct guest_gdt g = linux_gdt_view(16);

    (void)state;
    assert_int_equal(gdt_sels_checked(&g, 0x33, 0x2b), 0x00280031);
    assert_int_equal(gdt_sels_checked(&g, 0x30, 0x28), GDT_SELS_PAIR(0x33, 0x2b));
    assert_int_not_equal(GDT_SELS_PAIR(0, 0), 0);           /* the null pair is not "none" */
    assert_int_equal(gdt_sels_checked(&g, 0x23, 0x2b), 0);   /* 32-bit code */
    assert_int_equal(gdt_sels_checked(&g, FLAT_USER_CS, 0x2b), 0);
    assert_int_equal(gdt_sels_checked(&g, 0x33, FLAT_USER_SS), 0);
    assert_int_equal(gdt_sels_checked(&g, 0x33, 0x3b), 0);   /* read-only data */
    assert_int_equal(gdt_sels_checked(&g, 0x43, 0x2b), 0);   /* not present */
    assert_int_equal(gdt_sels_checked(&g, 0x4b, 0x2b), 0);   /* conforming */
    assert_int_equal(gdt_sels_checked(&g, 0x37, 0x2b), 0);   /* LDT */
    assert_int_equal(gdt_sels_checked(NULL, 0x33, 0x2b), 0);
    g.ents = 6;                                              /* CS past the end */
    assert_int_equal(gdt_sels_checked(&g, 0x33, 0x2b), 0);
}

/* A write to entry 5 or 6 of the frame that holds them forgets the pair;
 * one to another entry, or to the same index of another frame, does not;
 * an empty pair is never touched. */
static void test_gdt_sels_touched(void **state)
{
    uint64_t frames[GDT_MAX_PAGES] = { 0x1000, 0x2000 };
    uint32_t linux_pair = GDT_SELS_PAIR(0x33, 0x2b);
    uint32_t high = GDT_SELS_PAIR((512 + 6) << 3, (512 + 5) << 3);

    (void)state;
    assert_true(gdt_sels_touched(linux_pair, frames, 0x1000, 6));
    assert_true(gdt_sels_touched(linux_pair, frames, 0x1000, 5));
    assert_false(gdt_sels_touched(linux_pair, frames, 0x1000, 7));
    assert_false(gdt_sels_touched(linux_pair, frames, 0x1000, 0));
    assert_false(gdt_sels_touched(linux_pair, frames, 0x2000, 6));
    assert_false(gdt_sels_touched(0, frames, 0x1000, 6));
    assert_true(gdt_sels_touched(high, frames, 0x2000, 6));  /* the second page */
    assert_true(gdt_sels_touched(high, frames, 0x2000, 5));
    assert_false(gdt_sels_touched(high, frames, 0x1000, 6));
}

/* The exit path's check: flat selectors always, the guest's while valid,
 * never RPL 0 or a descriptor changed underneath. */
static void test_guest_selectors_ok(void **state)
{
    struct guest_gdt g = linux_gdt_view(16);

    (void)state;
    assert_true(guest_selectors_ok(NULL, FLAT_USER_CS, FLAT_USER_SS));
    assert_true(guest_selectors_ok(&g, 0x33, 0x2b));
    assert_true(guest_selectors_ok(&g, 0x23, 0x2b));
    assert_false(guest_selectors_ok(NULL, 0x33, 0x2b));
    assert_false(guest_selectors_ok(&g, 0x30, 0x2b));
    assert_false(guest_selectors_ok(&g, 0x33, 0x28));
    linux_gdt[6] &= ~(1ULL << 47);                    /* made not present */
    assert_false(guest_selectors_ok(&g, 0x33, 0x2b));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_code_vectors),
        cmocka_unit_test(test_frame_kernel_no_error),
        cmocka_unit_test(test_frame_with_error),
        cmocka_unit_test(test_frame_user_cs_keeps_rpl3),
        cmocka_unit_test(test_frame_upcall_mask),
        cmocka_unit_test(test_frame_iopl),
        cmocka_unit_test(test_frame_aligned_to_16),
        cmocka_unit_test(test_frame_stack_in_hole_refused),
        cmocka_unit_test(test_frame_noncanonical_refused),
        cmocka_unit_test(test_syscall_frame_accepted),
        cmocka_unit_test(test_syscall_frame_refused),
        cmocka_unit_test(test_handler_rflags),
        cmocka_unit_test(test_trap_entry_fixup),
        cmocka_unit_test(test_iret_to_user),
        cmocka_unit_test(test_iret_to_kernel),
        cmocka_unit_test(test_iret_bad_selectors),
        cmocka_unit_test(test_iret_fault_selector),
        cmocka_unit_test(test_iret_noncanonical),
        cmocka_unit_test(test_iret_compat_rip),
        cmocka_unit_test(test_iret_rflags),
        cmocka_unit_test(test_iret_in_syscall),
        cmocka_unit_test(test_iret_guest_selectors),
        cmocka_unit_test(test_iret_guest_selectors_refused),
        cmocka_unit_test(test_guest_selectors_ok),
        cmocka_unit_test(test_iret_refusal_vectors),
        cmocka_unit_test(test_null_selector_entry),
        cmocka_unit_test(test_gdt_sels_checked),
        cmocka_unit_test(test_gdt_sels_touched),
    };

    return cmocka_run_group_tests_name("bounce", tests, NULL, NULL);
}
