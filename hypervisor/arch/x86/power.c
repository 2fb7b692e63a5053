/*
 * power.c: reset and power off the machine.
 *
 * Invariants: both paths run with interrupts disabled and never return;
 * every wait is bounded, so a missing or dead device costs a delay, never a
 * hang; each method is announced before it is tried, so the console shows
 * how far a failed reboot or power-off got. Power-off that cannot be done
 * ends in a halted CPU and a line saying so, never in a silent spin.
 */
#include "acpi_tables.h"
#include "console.h"
#include "directmap.h"
#include "power.h"
#include <asm/cpu.h>
#include <asm/io.h>

#define KBC_STATUS_PORT     0x64
#define KBC_COMMAND_PORT    0x64
#define KBC_STATUS_IBF      (1u << 1)   /* input buffer full: busy */
#define KBC_PULSE_RESET     0xfe        /* pulse output line 0: CPU reset */
#define KBC_WAIT_US         100000      /* absent controllers read 0xff */
#define RESET_SETTLE_US     500000      /* give a reset time to happen */
#define POWEROFF_SETTLE_US  1000000

/* io_delay() takes about a microsecond on PC hardware; this needs no timer
 * calibration, which matters because it runs on the way down. */
static void delay_us(unsigned int us)
{
    while (us--)
        io_delay();
}

/* ---- Reboot -------------------------------------------------------------- */

static void reset_via_kbc(void)
{
    log_info("reboot: trying the keyboard controller (port %#x)\n",
             KBC_COMMAND_PORT);
    for (unsigned int i = 0; i < KBC_WAIT_US; i++) {
        if (!(inb(KBC_STATUS_PORT) & KBC_STATUS_IBF)) {
            outb(KBC_COMMAND_PORT, KBC_PULSE_RESET);
            delay_us(RESET_SETTLE_US);
            log_warn("reboot: the keyboard controller did not reset the "
                     "machine\n");
            return;
        }
        io_delay();
    }
    log_warn("reboot: the keyboard controller stayed busy; skipping it\n");
}

static void reset_reg_io(const struct acpi_gas *reg, uint8_t value)
{
    if (reg->address > UINT16_MAX) {
        log_warn("reboot: ACPI reset register port %#lx is not a valid "
                 "I/O port; skipping it\n", reg->address);
        return;
    }
    log_info("reboot: trying the ACPI reset register (I/O port %#lx, "
             "value %#x)\n", reg->address, value);
    outb((uint16_t)reg->address, value);
    delay_us(RESET_SETTLE_US);
}

static void reset_reg_mem(const struct acpi_gas *reg, uint8_t value)
{
    if (!phys_is_mapped(reg->address, 1)) {
        log_warn("reboot: ACPI reset register at %#lx is outside the direct "
                 "map; skipping it\n", reg->address);
        return;
    }
    log_info("reboot: trying the ACPI reset register (memory %#lx, "
             "value %#x)\n", reg->address, value);
    *(volatile uint8_t *)phys_to_virt(reg->address) = value;
    delay_us(RESET_SETTLE_US);
}

static void reset_via_acpi(void)
{
    const struct acpi_power_info *ai = acpi_power_info();
    const struct acpi_gas *reg;

    if (!ai || !ai->has_fadt || !ai->fadt.has_reset) {
        log_info("reboot: no ACPI reset register\n");
        return;
    }
    reg = &ai->fadt.reset_reg;
    switch (reg->space_id) {
    case ACPI_GAS_SYSTEM_IO:
        reset_reg_io(reg, ai->fadt.reset_value);
        break;
    case ACPI_GAS_SYSTEM_MEMORY:
        reset_reg_mem(reg, ai->fadt.reset_value);
        break;
    case ACPI_GAS_PCI_CONFIG:
        log_info("reboot: the ACPI reset register is in PCI configuration "
                 "space, which is not supported; skipping it\n");
        return;
    default:
        log_warn("reboot: the ACPI reset register is in unknown address "
                 "space %u; skipping it\n", reg->space_id);
        return;
    }
    log_warn("reboot: the ACPI reset register did not reset the machine\n");
}

/* With an empty IDT no exception can be delivered: the breakpoint becomes
 * a double fault, then a triple fault, which PCs turn into a reset. */
static __noreturn void reset_via_triple_fault(void)
{
    static const struct __packed {
        uint16_t limit;
        uint64_t base;
    } empty_idt = { 0, 0 };

    log_info("reboot: trying a triple fault\n");
    __asm__ volatile("lidt %0\n\tint3" : : "m"(empty_idt) : "memory");
    halt_forever();
}

void machine_restart(void)
{
    local_irq_disable();
    log_info("Rebooting the machine\n");
    reset_via_kbc();
    reset_via_acpi();
    reset_via_triple_fault();
}

/* ---- Power-off ----------------------------------------------------------- */

/* Replace SLP_TYP/SLP_EN only: SCI_EN and the other bits must survive. */
static void write_pm1_cnt(uint16_t port, uint16_t value)
{
    outw(port, acpi_pm1_cnt_merge(inw(port), value));
}

/* SLP_TYP goes in before SLP_EN, as some chipsets latch the type on the
 * write that sets SLP_EN; both PM1 blocks get each step. */
static void enter_s5(const struct acpi_s5_plan *p)
{
    uint16_t no_en = (uint16_t)~ACPI_PM1_SLP_EN;

    log_info("power-off: entering ACPI S5 (PM1a_CNT %#x value %#x%s)\n",
             p->pm1a_cnt, p->value_a, p->pm1b_cnt ? ", and PM1b_CNT" : "");
    write_pm1_cnt(p->pm1a_cnt, p->value_a & no_en);
    if (p->pm1b_cnt)
        write_pm1_cnt(p->pm1b_cnt, p->value_b & no_en);
    write_pm1_cnt(p->pm1a_cnt, p->value_a);
    if (p->pm1b_cnt)
        write_pm1_cnt(p->pm1b_cnt, p->value_b);
}

/* Why S5 cannot be tried, or NULL if it can; *err gets the cause's code. */
static const char *s5_unavailable(const struct acpi_power_info *ai, int *err)
{
    *err = 0;
    if (!ai)
        return "no ACPI tables were found";
    if (!ai->has_fadt) {
        *err = ai->err_fadt;
        return "no usable ACPI FADT";
    }
    if (!ai->has_s5) {
        *err = ai->err_plan;
        return "no usable \\_S5_ object in the DSDT";
    }
    if (!ai->has_plan) {
        *err = ai->err_plan;
        return "the FADT gives no usable PM1a control port";
    }
    return NULL;
}

/* XENPF_enter_acpi_sleep's S5: domain 0's own PM1 control values (from
 * its \_S5_), tried before the hypervisor's. */
static struct acpi_s5_plan dom0_plan;
static bool has_dom0_plan;

bool power_has_pm1a(void)
{
    const struct acpi_power_info *ai = acpi_power_info();

    return ai && ai->has_fadt && ai->fadt.pm1a_cnt != 0;
}

void power_use_dom0_s5(uint16_t val_a, uint16_t val_b)
{
    const struct acpi_power_info *ai = acpi_power_info();

    if (!power_has_pm1a())
        return;
    dom0_plan = (struct acpi_s5_plan){ ai->fadt.pm1a_cnt, ai->fadt.pm1b_cnt, val_a, val_b };
    has_dom0_plan = true;
}

/* Domain 0's values first, as Xen writes them; if the machine is still on
 * after them, the hypervisor's own plan follows. */
static void try_dom0_plan(void)
{
    if (!has_dom0_plan)
        return;
    log_info("power-off: with domain 0's PM1 control values (XENPF_enter_acpi_sleep)\n");
    enter_s5(&dom0_plan);
    delay_us(POWEROFF_SETTLE_US);
    log_warn("power-off: domain 0's values had no effect; trying the hypervisor's own\n");
}

void machine_power_off(void)
{
    const struct acpi_power_info *ai = acpi_power_info();
    const char *why;
    int err;

    local_irq_disable();
    log_info("Powering off the machine\n");
    try_dom0_plan();
    why = s5_unavailable(ai, &err);
    if (!why) {
        enter_s5(&ai->plan);
        delay_us(POWEROFF_SETTLE_US);
        why = "the ACPI S5 request had no effect";
    }
    if (err)
        log_err("Power-off failed: %s (error %d); the machine is halted\n",
                why, err);
    else
        log_err("Power-off failed: %s; the machine is halted\n", why);
    halt_forever();
}
