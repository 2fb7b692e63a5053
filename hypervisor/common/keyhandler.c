/*
 * keyhandler.c: debug keys. A key typed on the serial console or a PS/2
 * keyboard (i8042.c) runs its handler in interrupt context with the
 * interrupted registers; 'h' lists
 * them. Later issues add keys for domains ('q') and run queues.
 */
#include "console.h"
#include "console_io.h"
#include "domain.h"
#include "keyhandler.h"
#include "memory_setup.h"
#include "power.h"
#include "serial.h"
#include <asm/i8042.h>
#include <asm/irq.h>
#include <asm/traps.h>

struct keyhandler {
    char key;
    const char *description;
    void (*fn)(struct cpu_regs *regs);
};

static void key_help(struct cpu_regs *regs);

static void key_memory(struct cpu_regs *regs)
{
    (void)regs;
    memory_dump_info();
}

static void key_registers(struct cpu_regs *regs)
{
    printk("'r' pressed -> dumping registers of the interrupted context\n");
    show_registers(regs);
    show_backtrace(regs->rip, regs->rbp);
}

static void key_crash(struct cpu_regs *regs)
{
    uint64_t addr = 0x10;                    /* slot 0 belongs to guests: unmapped */

    (void)regs;
    printk("'C' pressed -> deliberately crashing the hypervisor (page fault)\n");
    __asm__("" : "+r"(addr));                /* hide the constant from the compiler */
    *(volatile uint64_t *)addr = 0;
}

static void key_debug_trap(struct cpu_regs *regs)
{
    (void)regs;
    printk("'D' pressed -> a #DB in the hypervisor on a non-canonical stack\n");
    raise_hypervisor_db_on_bad_stack();
    printk("'D': the hypervisor survived its #DB\n");
}

static void key_domains(struct cpu_regs *regs)
{
    (void)regs;
    domain_dump_all();
}

static void key_reboot(struct cpu_regs *regs)
{
    (void)regs;
    machine_restart();
}

static void key_poweroff(struct cpu_regs *regs)
{
    (void)regs;
    machine_power_off();
}

static const struct keyhandler keys[] = {
    { 'h', "list the debug keys", key_help },
    { 'm', "print the memory map, free frames and heap use", key_memory },
    { 'q', "list the domains", key_domains },
    { 'r', "dump registers and a backtrace of the interrupted context", key_registers },
    { 'C', "crash the hypervisor on purpose (tests the fault report)", key_crash },
    { 'D', "a #DB in the hypervisor on a bad stack (tests the #DB handler's own stack)",
      key_debug_trap },
    { 'R', "reboot the machine", key_reboot },
    { 'O', "power the machine off", key_poweroff },
};

static void key_help(struct cpu_regs *regs)
{
    (void)regs;
    printk("'h' pressed -> debug keys:\n");
    for (unsigned int i = 0; i < ARRAY_SIZE(keys); i++)
        printk("  '%c'  %s\n", keys[i].key, keys[i].description);
}

void handle_keypress(char key, struct cpu_regs *regs)
{
    for (unsigned int i = 0; i < ARRAY_SIZE(keys); i++) {
        if (keys[i].key == key) {
            keys[i].fn(regs);
            return;
        }
    }
    if (key >= ' ' && key < 0x7f)
        printk("'%c' pressed -> no such debug key ('h' lists them)\n", key);
}

static void serial_irq(unsigned int irq, struct cpu_regs *regs)
{
    int c;

    (void)irq;
    while ((c = serial_getc()) >= 0)
        console_input((char)c, regs);
}

void keyhandler_init(void)
{
    bool serial = serial_present(), keyboard = i8042_keyboard_init();

    if (serial)
        irq_register(serial_enable_rx_irq(), serial_irq);
    if (!serial && !keyboard) {
        log_warn("debug keys: no serial console and no keyboard, so no debug keys\n");
        return;
    }
    log_info("debug keys: press 'h' on the %s for the list\n",
             !keyboard ? "serial console" : !serial ? "keyboard"
                       : "serial console or the keyboard");
}
