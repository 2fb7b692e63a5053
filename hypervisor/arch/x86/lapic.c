/*
 * lapic.c: this CPU's local APIC in xAPIC mode, through MMIO.
 *
 * x2APIC MSRs are deliberately not used even where the CPU has them: under
 * QEMU's -icount (which the benchmarks use) programming the timer through
 * the MSRs aborts QEMU, and xAPIC works everywhere. Firmware that left the
 * APIC in x2APIC mode gets it switched back through the disabled state,
 * the only transition the architecture allows.
 *
 * Invariants once lapic_init() succeeds: the APIC is software-enabled with
 * LAPIC_SPURIOUS_VECTOR, the task priority is 0, every LVT entry is masked
 * except LINT1 (NMI), LINT0 when virtual-wire mode is asked for, and the
 * error entry; the timer is stopped until lapic_timer_start().
 */
#include "iomem_host.h"
#include "console.h"
#include "directmap.h"
#include <asm/apic.h>
#include <asm/cpu.h>
#include <asm/cpufeature.h>

#define MSR_APIC_BASE     0x1b
#define APIC_BASE_EXTD    (1UL << 10)        /* x2APIC mode */
#define APIC_BASE_ENABLE  (1UL << 11)
#define APIC_BASE_ADDR    0xffffff000UL

#define APIC_ID           0x020
#define APIC_VERSION      0x030
#define APIC_TPR          0x080
#define APIC_EOI          0x0b0
#define APIC_SVR          0x0f0
#define APIC_ESR          0x280
#define APIC_LVT_CMCI     0x2f0
#define APIC_LVT_TIMER    0x320
#define APIC_LVT_THERMAL  0x330
#define APIC_LVT_PERF     0x340
#define APIC_LVT_LINT0    0x350
#define APIC_LVT_LINT1    0x360
#define APIC_LVT_ERROR    0x370
#define APIC_TIMER_INIT   0x380
#define APIC_TIMER_CUR    0x390
#define APIC_TIMER_DIV    0x3e0

#define SVR_ENABLE        (1u << 8)
#define LVT_MASKED        (1u << 16)
#define LVT_PERIODIC      (1u << 17)
#define LVT_NMI           (4u << 8)
#define LVT_EXTINT        (7u << 8)
#define TIMER_DIV_16      0x3u

static volatile uint32_t *regs;

static uint32_t apic_read(unsigned int reg)
{
    return regs[reg / 4];
}

static void apic_write(unsigned int reg, uint32_t v)
{
    regs[reg / 4] = v;
}

bool lapic_present(void)
{
    return regs != NULL;
}

/* Make the MSR say: enabled, xAPIC mode. Returns the physical base. */
static uint64_t enable_xapic(void)
{
    uint64_t msr = rdmsr(MSR_APIC_BASE);

    if (msr & APIC_BASE_EXTD) {
        log_info("local APIC: firmware left x2APIC mode on; back to xAPIC\n");
        wrmsr(MSR_APIC_BASE, msr & ~(APIC_BASE_EXTD | APIC_BASE_ENABLE));
        msr &= ~APIC_BASE_EXTD;
    }
    if (!(msr & APIC_BASE_ENABLE))
        log_info("local APIC: enabling it (firmware had it off)\n");
    wrmsr(MSR_APIC_BASE, msr | APIC_BASE_ENABLE);
    return msr & APIC_BASE_ADDR;
}

static void mask_lvts(bool ext_int)
{
    unsigned int max_lvt = (apic_read(APIC_VERSION) >> 16) & 0xff;

    apic_write(APIC_LVT_TIMER, LVT_MASKED | LAPIC_TIMER_VECTOR);
    apic_write(APIC_LVT_THERMAL, LVT_MASKED);
    apic_write(APIC_LVT_PERF, LVT_MASKED);
    if (max_lvt >= 6)
        apic_write(APIC_LVT_CMCI, LVT_MASKED);
    apic_write(APIC_LVT_LINT0, ext_int ? LVT_EXTINT : LVT_MASKED | LVT_EXTINT);
    apic_write(APIC_LVT_LINT1, LVT_NMI);
    apic_write(APIC_LVT_ERROR, LAPIC_ERROR_VECTOR);
}

bool lapic_init(const struct acpi_madt_info *madt, bool ext_int)
{
    uint64_t base;

    if (!cpu_caps.apic) {
        log_warn("local APIC: CPUID reports none; no APIC timer\n");
        return false;
    }
    base = enable_xapic();
    if (base != madt->lapic_base)
        log_warn("local APIC: at %#lx by the MSR, %#lx by ACPI; using the MSR's\n",
                 base, madt->lapic_base);
    if (!phys_is_mapped(base, PAGE_SIZE)) {
        log_warn("local APIC: %#lx is outside the direct map; not used\n", base);
        return false;
    }
    regs = phys_to_virt(base);
    iomem_host_deny(base, PAGE_SIZE, "the local APIC");
    apic_write(APIC_SVR, SVR_ENABLE | LAPIC_SPURIOUS_VECTOR);
    apic_write(APIC_TPR, 0);
    mask_lvts(ext_int);
    lapic_read_error();
    lapic_eoi();                                 /* anything left in service */
    return true;
}

uint32_t lapic_id(void)
{
    return regs ? apic_read(APIC_ID) >> 24 : 0;
}

void lapic_eoi(void)
{
    if (regs)
        apic_write(APIC_EOI, 0);
}

/* The ESR latches on a write; the value read after it is the new state. */
uint32_t lapic_read_error(void)
{
    apic_write(APIC_ESR, 0);
    return apic_read(APIC_ESR);
}

void lapic_timer_stop(void)
{
    apic_write(APIC_LVT_TIMER, LVT_MASKED | LAPIC_TIMER_VECTOR);
    apic_write(APIC_TIMER_INIT, 0);
}

void lapic_timer_start(uint32_t count, bool periodic)
{
    apic_write(APIC_TIMER_DIV, TIMER_DIV_16);
    apic_write(APIC_LVT_TIMER, LAPIC_TIMER_VECTOR | (periodic ? LVT_PERIODIC : 0));
    apic_write(APIC_TIMER_INIT, count);
}

/* Count down from the top with the interrupt masked: for calibration. */
void lapic_timer_free_run(void)
{
    apic_write(APIC_TIMER_DIV, TIMER_DIV_16);
    apic_write(APIC_LVT_TIMER, LVT_MASKED | LAPIC_TIMER_VECTOR);
    apic_write(APIC_TIMER_INIT, UINT32_MAX);
}

uint32_t lapic_timer_current(void)
{
    return apic_read(APIC_TIMER_CUR);
}
