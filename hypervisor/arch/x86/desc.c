/*
 * desc.c: the GDT, the TSS with its interrupt stacks, and the IDT.
 *
 * Every one of the 256 vectors has a gate (entry.S builds the stubs).
 * #DB, NMI, double fault and machine check run on their own IST stacks
 * (asm/desc.h ist_for_vector says why): the CPU switches to them even when
 * the interrupted rsp is a guest's or is the thing that broke. Each stack
 * has an unmapped guard page below it (paging.c leaves it out).
 * Gates are DPL 0, so an int n from a guest raises #GP and is checked
 * against the guest's own trap table (emulate.c), except:
 *  - int3 and into (vectors 3 and 4, DPL 3), which always reach the
 *    guest's handler, as on Xen;
 *  - the vectors pv/softint.c rule 2 opens (no exception, no hardware
 *    interrupt of the hypervisor's): DPL 3 gates to softint_stubs, which
 *    know their vector without reading the guest's instruction and apply
 *    the same trap-table rule (softint_fast.S). A GSI vector is closed,
 *    back to its DPL 0 vector stub, before the I/O APIC is first told to
 *    raise it, and never reopened.
 */
#include "lib.h"
#include "layout.h"
#include "softint.h"
#include <asm/desc.h>

struct tss64 {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
} __packed;
_Static_assert(sizeof(struct tss64) == 104, "TSS layout");

struct idt_gate {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t ist;
    uint8_t type_attr;
    uint16_t offset_mid;
    uint32_t offset_high;
    uint32_t reserved;
} __packed;
_Static_assert(sizeof(struct idt_gate) == 16, "IDT gate layout");

struct desc_ptr {
    uint16_t limit;
    uint64_t base;
} __packed;

struct ist_stack {
    uint8_t guard[PAGE_SIZE];
    uint8_t stack[HV_IST_STACK_SIZE];
};

extern const uint64_t vector_stubs[256];             /* entry.S */
extern const uint64_t softint_stubs[256];            /* entry.S, 0 below the first */
extern uint8_t boot_stack_guard[], boot_stack[], boot_stack_top[];  /* boot.S */

static uint64_t gdt[FIRST_RESERVED_GDT_ENTRY + GDT_HV_ENTRIES]
    __attribute__((section(".bss.page_aligned"), aligned(PAGE_SIZE)));
static struct ist_stack ist_stacks[NR_IST]
    __attribute__((section(".bss.page_aligned"), aligned(PAGE_SIZE)));
static struct idt_gate idt[256] __aligned(16);
static struct tss64 tss __aligned(16);

#define GDT_IDX(sel) ((sel) >> 3)

/* Flat code/data descriptors: access byte and flags nibble. */
static uint64_t seg_desc(uint8_t access, uint8_t flags)
{
    return 0xffffULL | (0xfULL << 48) | ((uint64_t)access << 40) |
           ((uint64_t)flags << 52);
}

static void set_system_desc(unsigned int idx, uint64_t base, uint32_t limit, uint8_t type)
{
    gdt[idx] = (limit & 0xffffULL) | ((base & 0xffffffULL) << 16) |
               ((uint64_t)(0x80 | type) << 40) | ((uint64_t)((limit >> 16) & 0xf) << 48) |
               (((base >> 24) & 0xffULL) << 56);
    gdt[idx + 1] = base >> 32;
}

static void build_gdt(void)
{
    gdt[GDT_IDX(HV_CS)] = seg_desc(0x9a, 0xa);       /* P, DPL0, code; L, G */
    gdt[GDT_IDX(HV_DS)] = seg_desc(0x92, 0xc);       /* P, DPL0, data; D, G */
    gdt[GDT_IDX(RING3_CS32)] = seg_desc(0xfa, 0xc);  /* P, DPL3, code; D, G */
    gdt[GDT_IDX(RING3_DS)] = seg_desc(0xf2, 0xc);    /* P, DPL3, data; D, G */
    gdt[GDT_IDX(RING3_CS64)] = seg_desc(0xfa, 0xa);  /* P, DPL3, code; L, G */
    set_system_desc(GDT_IDX(TSS_SEL), (uint64_t)&tss, sizeof(tss) - 1, 0x9);
}

static void build_tss(void)
{
    tss.rsp[0] = (uint64_t)boot_stack_top;
    for (unsigned int i = 0; i < NR_IST; i++)
        tss.ist[i] = (uint64_t)ist_stacks[i].stack + HV_IST_STACK_SIZE;
    tss.iomap_base = sizeof(tss);                    /* no I/O bitmap: no port for ring 3 */
}

static void set_gate(unsigned int v, uint64_t a, bool dpl3)
{
    idt[v] = (struct idt_gate){
        .offset_low = (uint16_t)a, .selector = HV_CS,
        .ist = (uint8_t)ist_for_vector(v),
        .type_attr = dpl3 ? 0xee : 0x8e,             /* P, DPL 3 or 0, intr gate */
        .offset_mid = (uint16_t)(a >> 16), .offset_high = (uint32_t)(a >> 32),
    };
}

static void build_idt(void)
{
    for (unsigned int v = 0; v < 256; v++) {
        if (softint_gate_open_at_boot(v) && softint_stubs[v])
            set_gate(v, softint_stubs[v], true);
        else
            set_gate(v, vector_stubs[v], v == 3 || v == 4);
    }
}

void arch_close_softint_gate(unsigned int vector)
{
    if (vector >= SOFTINT_FIRST_STUB && vector < 256)
        set_gate(vector, vector_stubs[vector], false);  /* IF = 0: no entry sees it half */
}

static void load_tables(void)
{
    struct desc_ptr g = { sizeof(gdt) - 1, (uint64_t)gdt };
    struct desc_ptr i = { sizeof(idt) - 1, (uint64_t)idt };

    __asm__ volatile("lgdt %0" : : "m"(g));
    /* Reload CS with a far return, then the data segments and TR. */
    __asm__ volatile("pushq %[cs]\n\t"
                     "leaq 1f(%%rip), %%rax\n\t"
                     "pushq %%rax\n\t"
                     "lretq\n"
                     "1:\n\t"
                     "movl %[ds], %%eax\n\t"
                     "movl %%eax, %%ds\n\t"
                     "movl %%eax, %%es\n\t"
                     "movl %%eax, %%ss\n\t"
                     "xorl %%eax, %%eax\n\t"
                     "movl %%eax, %%fs\n\t"
                     "movl %%eax, %%gs\n\t"
                     : : [cs] "i"(HV_CS), [ds] "i"(HV_DS) : "rax", "memory");
    __asm__ volatile("ltr %w0" : : "r"(TSS_SEL));
    __asm__ volatile("lidt %0" : : "m"(i));
}

void arch_init_cpu_tables(void)
{
    build_gdt();
    build_tss();
    build_idt();
    load_tables();
}

static bool guest_gdt_in_use;                     /* the guest part is not all zero */

void arch_load_guest_gdt(const uint64_t *descs, unsigned int n)
{
    if (guest_gdt_in_use)                         /* 56 KiB: clear only when needed */
        memset(gdt, 0, FIRST_RESERVED_GDT_ENTRY * sizeof(gdt[0]));
    guest_gdt_in_use = false;
    if (descs)
        arch_set_guest_descriptors(0, descs, n);
}

void arch_set_guest_descriptors(unsigned int first, const uint64_t *descs, unsigned int n)
{
    if (first >= FIRST_RESERVED_GDT_ENTRY || n > FIRST_RESERVED_GDT_ENTRY - first)
        return;                                  /* never into our own page */
    memcpy(&gdt[first], descs, n * sizeof(uint64_t));
    guest_gdt_in_use = guest_gdt_in_use || n;
}

bool is_stack_guard_page(uint64_t va)
{
    if (va == (uint64_t)boot_stack_guard)
        return true;
    for (unsigned int i = 0; i < NR_IST; i++)
        if (va == (uint64_t)ist_stacks[i].guard)
            return true;
    return false;
}

static bool inside(uint64_t va, uint64_t len, uint64_t lo, uint64_t hi)
{
    return va >= lo && va <= hi && len <= hi - va;
}

bool is_vector_entry(uint64_t rip)
{
    for (unsigned int v = 0; v < 256; v++)
        if (rip == vector_stubs[v] || (softint_stubs[v] && rip == softint_stubs[v]))
            return true;
    return false;
}

bool on_ist_stack(unsigned int ist, uint64_t va)
{
    uint64_t lo;

    if (ist < 1 || ist > NR_IST)
        return false;
    lo = (uint64_t)ist_stacks[ist - 1].stack;
    return va >= lo && va <= lo + HV_IST_STACK_SIZE;
}

bool on_hypervisor_stack(uint64_t va, uint64_t len)
{
    if (inside(va, len, (uint64_t)boot_stack, (uint64_t)boot_stack_top))
        return true;
    for (unsigned int i = 0; i < NR_IST; i++) {
        uint64_t lo = (uint64_t)ist_stacks[i].stack;
        if (inside(va, len, lo, lo + HV_IST_STACK_SIZE))
            return true;
    }
    return false;
}
