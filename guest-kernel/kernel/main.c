/*
 * Tern guest kernel: start_kernel, the table of contents.
 *
 * A small 64-bit PV kernel (Xen's guest ABI) that boots on Tern and on real
 * Xen alike. It checks and prints what the builder gave it, maps shared_info
 * when it can, installs its trap table and callbacks, then either runs its
 * built-in tests (command line `test=all` or `test=NAME`) or, with no
 * test= option, runs a demo of user processes (programs.c) and powers the
 * domain off. The command-line word `crash` makes it crash on purpose
 * instead, `crash=<how>` in one of the ways crash.c lists (for hypervisor
 * tests of a crashing domain); `bench` runs the benchmarks (bench.c)
 * instead of tests.
 * Every fatal error ends in SCHEDOP_shutdown(SHUTDOWN_crash) (panic()).
 */
#include "xen/hypercall.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "kernel/events.h"
#include "kernel/mm.h"
#include "kernel/process.h"
#include "demo/roles.h"
#include "kernel/time.h"
#include "kernel/traps.h"

struct start_info start_info;
uint64_t start_info_va;

/* Checks the builder's start_info and keeps a copy of it. */
static void start_info_init(const struct start_info *si)
{
    start_info_va = (uint64_t)(uintptr_t)si;
    if (si == NULL || strncmp(si->magic, START_INFO_MAGIC, sizeof(si->magic)) != 0)
        panic("bad start_info at %p: magic is not \"%s\"", (const void *)si,
              START_INFO_MAGIC);
    memcpy(&start_info, si, sizeof(start_info));
    start_info.cmd_line[MAX_GUEST_CMDLINE - 1] = '\0';
}

/* Prints the banner and the start_info facts. */
static void banner(void)
{
    uint32_t f = start_info.flags;

    printk("%s %s (Xen 64-bit PV guest ABI)\n", GUEST_NAME, GUEST_VERSION);
    printk("  start_info at %#lx: magic \"%s\"\n", start_info_va, start_info.magic);
    printk("  nr_pages %lu (%lu MiB), flags %#x%s%s\n", start_info.nr_pages,
           start_info.nr_pages >> 8, f,
           (f & SIF_PRIVILEGED) ? " privileged" : "",
           (f & SIF_INITDOMAIN) ? " initdomain" : "");
    printk("  shared_info at machine %#lx, page tables at %#lx (%lu frames), "
           "p2m at %#lx\n", start_info.shared_info, start_info.pt_base,
           start_info.nr_pt_frames, start_info.mfn_list);
    if (!(f & SIF_INITDOMAIN))       /* domU: the toolstack's ring pages */
        printk("  xenstore page mfn %#lx port %u, console page mfn %#lx port %u\n",
               start_info.store_mfn, start_info.store_evtchn, start_info.console.domU.mfn,
               start_info.console.domU.evtchn);
    printk("  command line \"%s\"\n", start_info.cmd_line);
}

/* Finds the command-line word that is `key` or starts with `key=`; returns
 * its value (after '=', "" for a bare word) copied into `buf`, or NULL when
 * the word is absent or its value does not fit. Words are space-separated. */
const char *cmdline_option(const char *key, char *buf, size_t size)
{
    const char *p = start_info.cmd_line;
    size_t n, k = strlen(key);

    while (*p) {
        while (*p == ' ')
            p++;
        for (n = 0; p[n] && p[n] != ' '; n++)
            ;
        if (n >= k && strncmp(p, key, k) == 0 && (n == k || p[k] == '=')) {
            size_t len = n == k ? 0 : n - k - 1;

            if (len >= size)
                return NULL;
            memcpy(buf, p + n - len, len);
            buf[len] = '\0';
            return buf;
        }
        p += n;
    }
    return NULL;
}

void start_kernel(const struct start_info *si)
{
    char test[64];
    const char *selection, *crash;

    console_init();          /* early console: console_io(CONSOLEIO_write) */
    start_info_init(si);     /* check the magic, keep a copy of start_info */
    banner();                /* who we are and what the builder gave us */
    mm_init();               /* p2m, M2P, page allocator over the free pfns */
    shared_info_init();      /* map shared_info (best effort) */
    traps_init();            /* trap table, callbacks: exceptions reach us */
    process_init();          /* the boot context becomes process 0 */
    events_init();           /* event channels: every port masked, upcalls on */
    console_ring_init();     /* console=ring: printk into the PV console ring */

    crash = cmdline_option("crash", test, sizeof(test));
    if (crash && !crash[0])
        panic("crash requested on the command line");   /* SHUTDOWN_crash */
    if (crash)
        crash_on_purpose(crash);     /* crash=<how>: the hypervisor must contain it */
    if (cmdline_option("bench", test, sizeof(test)))
        bench_run();             /* prints "bench: ..." lines, powers off */
    selection = cmdline_option("test", test, sizeof(test));
    if (selection && selection[0])
        tests_run(selection);    /* prints "Test result: ...", powers off */

    roles_run();             /* pingpong=, lines=, fuzz=, ... (roles.c): no return */
    time_init();             /* VIRQ_TIMER: ticks, sleeps, preemptive multitasking */
    process_demo();          /* no test= option: user processes, then power off */
    printk("No test= option: demo done; powering off\n");
    guest_shutdown(SHUTDOWN_poweroff);
}
