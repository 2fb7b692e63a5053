/*
 * main.c: the C entry point and the boot sequence, in order. Each step is a
 * call into the file that owns it; read this first.
 */
#include "cmdline_options.h"
#include "domain.h"
#include "grant.h"
#include "console.h"
#include "boot_domains.h"
#include "sched.h"
#include "timer.h"
#include "hv_version.h"
#include "keyhandler.h"
#include "memory_setup.h"
#include "directmap.h"
#include "multiboot2.h"
#include "power.h"
#include "screen.h"
#include <asm/cpu.h>
#include <asm/cpufeature.h>
#include <asm/desc.h>
#include <asm/guest.h>
#include <asm/irq.h>
#include <asm/paging.h>
#include <asm/time.h>

#define FOUR_GIB     (4ULL << 30)

void start_hypervisor(uint32_t magic, uint64_t mbi_phys) __noreturn;

static struct boot_info boot_info;
static struct hv_options options;

static void report_option(void *ctx, enum cmdline_problem problem, const char *key,
                          size_t key_len, const char *val, size_t val_len)
{
    (void)ctx;
    if (problem == CMDLINE_UNKNOWN)
        log_warn("command line: unknown option '%.*s' ignored\n", (int)key_len, key);
    else if (problem == CMDLINE_NO_VALUE)
        log_warn("command line: option '%.*s' needs a value; keeping the default\n",
                 (int)key_len, key);
    else
        log_warn("command line: invalid value '%.*s' for option '%.*s'; keeping the default\n",
                 (int)val_len, val, (int)key_len, key);
}

/* Check and parse the boot loader's information; a bad one is fatal and
 * said so on every console, because there is no memory map to go on. */
static void parse_boot_info(uint32_t magic, uint64_t mbi_phys)
{
    char why[MB2_WHY_LEN];

    if (magic != MB2_BOOTLOADER_MAGIC)
        panic("not started by a multiboot2 boot loader (magic %#x, expected %#x)\n",
              magic, MB2_BOOTLOADER_MAGIC);
    if (mbi_phys >= FOUR_GIB || mbi_phys % 8)
        panic("multiboot2 information at %#lx is not usable\n", mbi_phys);
    if (mb2_parse(phys_to_virt(mbi_phys), mbi_phys, FOUR_GIB - mbi_phys, &boot_info, why))
        panic("bad multiboot2 boot information: %s\n", why);
}

static void print_banner(void)
{
    const char *cmdline = boot_info.cmdline ? boot_info.cmdline : "";

    log_info("Tern hypervisor %s (x86-64, Xen %u.%u 64-bit PV guest ABI)\n", TERN_VERSION,
             TERN_XEN_MAJOR, TERN_XEN_MINOR);
    log_info("Boot loader: %s\n", boot_info.loader_name ? boot_info.loader_name : "(unnamed)");
    log_info("Command line: %s\n", cmdline);
}

const char *hv_command_line(void)
{
    return boot_info.cmdline ? boot_info.cmdline : "";
}

/* GRUB 2 passes only the arguments; other loaders put the image name
 * first (cmdline_skip_image_name says what is skipped). */
static bool loader_omits_name(void)
{
    return boot_info.loader_name && !strncmp(boot_info.loader_name, "GRUB 2", 6);
}

static const char *strip_image_name(const char *s)
{
    return cmdline_skip_image_name(s, MAX_GUEST_CMDLINE, loader_omits_name());
}

/* At loglvl=debug: the TSC cycles each boot step took (instructions under
 * QEMU -icount), so boot cost can be read step by step, counted from the
 * hypervisor's entry (boot.S). Only the calibration step is time (waiting
 * on the PIT), the others are work. */
static void boot_step(const char *done)
{
    static uint64_t last;
    uint64_t now = rdtsc();

    log_debug("boot: %s took %lu TSC cycles\n", done, now - (last ? last : hv_entry_tsc));
    last = now;
}

/* Build the boot domains and hand the CPU to the scheduler; returns only
 * if there is nothing to run. */
static void start_domains(void)
{
    timer_init();                   /* system time, wall clock, the 1 ms tick */
    gnttab_set_max_frames((unsigned int)options.gnttab_max_frames);
    boot_step("time");
    if (!build_boot_domains(&boot_info, &options, strip_image_name))
        return;
    boot_step("domain building");
    /* tools/bench.py: the boot row counts from the entry TSC to the guest's */
    log_info("starting the domains in ring 3 (hypervisor entered at TSC %lu)\n", hv_entry_tsc);
    /* tools/bench.py --linux: where a guest kernel's own count starts */
    log_debug("boot: first guest entry at TSC %lu\n", rdtsc());
    sched_start();
}

static __noreturn void idle_loop(void)
{
    for (;;)
        safe_halt();
}

static __noreturn void finish_boot(void)
{
    switch (options.after_boot) {
    case AFTER_BOOT_POWEROFF:
        machine_power_off();
    case AFTER_BOOT_REBOOT:
        machine_restart();
    case AFTER_BOOT_HALT:
        break;
    }
    log_info("Boot complete; CPU0 idle\n");
    idle_loop();
}

void start_hypervisor(uint32_t magic, uint64_t mbi_phys)
{
    const char *cmdline;

    arch_init_cpu_tables();         /* GDT, TSS, IDT: faults are reported from here */
    options_set_defaults(&options);
    parse_boot_info(magic, mbi_phys);
    cmdline = boot_info.cmdline ? cmdline_skip_image_name(boot_info.cmdline, 4096, loader_omits_name()) : "";
    options_parse(&options, cmdline, 4096, report_option, NULL);
    console_init(&options.console, &boot_info.framebuffer); /* serial, screen; replays */
    print_banner();
    boot_step("entry, boot information and console");
    cpu_probe_features();           /* NX, global pages, SMEP, SMAP: one line */
    memory_init(&boot_info, &options);
    boot_step("memory");
    screen_late_init();             /* a framebuffer above 4 GiB, now mappable */
    acpi_init(boot_info.rsdp, boot_info.rsdp_len);
    irq_init();                     /* I/O APIC (else PICs), all lines masked */
    boot_step("ACPI and interrupts");
    time_calibrate();               /* TSC, LAPIC timer against the PIT; one tick */
    boot_step("calibration");
    keyhandler_init();              /* serial debug keys */
    arch_init_syscall();            /* the hypercall entry */
    start_domains();                /* does not return if a domain runs */
    local_irq_enable();
    finish_boot();
}
