/*
 * Tern guest kernel: bench-xenstore (an unprivileged domain with
 * console=ring, domain 0 running driver-domain; tools/bench.py, Tern only):
 * what a guest pays for the services of a driver domain, in instructions
 * executed by the whole machine (guest TSC under -icount: ours, domain
 * 0's and the hypervisor's together, with both domains' idle blocking):
 *
 *   xenstore_read      one XS_READ round trip through the ring: request
 *                      in, event, domain 0 serves it, reply back, event;
 *   xenstore_watch     a write to a watched node and its WATCH_EVENT;
 *   console_ring_byte  per byte of 64-byte lines printed through the
 *                      console ring until domain 0 has drained them all
 *                      (and printed them, through console_io); domain
 *                      0's notification after its drain ends the wait, and
 *                      a wait that ends at its 10 s deadline is an error,
 *                      not a figure.
 *
 * Ends with "bench: done", which the bench script waits for.
 */
#include <public/errno.h>
#include "bench/bench.h"
#include "demo/roles.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "kernel/time.h"
#include "xen/cons_ring.h"
#include "xen/xenbus.h"

#define READS        200
#define WATCH_ROUNDS 100
#define LINES        256
#define LINE_BYTES   64
#define OPTION_LEN   16
#define WAIT_NS      (10 * NS_PER_S)

static void bench_read(void)
{
    char v[16];
    int rc = xenbus_write(0, "data/bench", "x");
    uint64_t t0 = tsc_read();

    for (unsigned int i = 0; i < READS && rc >= 0; i++)
        rc = xenbus_read(0, "data/bench", v, sizeof(v));
    if (!bench_failed("xenstore_read", rc < 0 ? rc : 0))
        bench_report("xenstore_read", READS, tsc_read() - t0);
}

static bool next_event(void)
{
    char path[64], token[16];

    return xenbus_next_event(path, sizeof(path), token, sizeof(token),
                             time_now_ns() + WAIT_NS);
}

static void bench_watch(void)
{
    int rc = xenbus_watch("data/watched", "bench");
    uint64_t t0;

    if (rc == 0 && !next_event())                    /* the first, on setting it */
        rc = -1;
    t0 = tsc_read();
    for (unsigned int i = 0; i < WATCH_ROUNDS && rc == 0; i++) {
        rc = xenbus_write(0, "data/watched", i & 1 ? "a" : "b");
        if (rc == 0 && !next_event())
            rc = -1;
    }
    if (!bench_failed("xenstore_watch", rc))
        bench_report("xenstore_watch", WATCH_ROUNDS, tsc_read() - t0);
}

static bool drained(void *arg)
{
    volatile struct xencons_interface *r = arg;

    return r->out_cons == r->out_prod;
}

static void bench_console(void)
{
    volatile struct xencons_interface *r = console_ring_page();
    char line[LINE_BYTES];
    uint64_t t0;

    if (!r) {
        bench_failed("console_ring_byte", -1);
        return;
    }
    memset(line, '.', sizeof(line));
    memcpy(line, "console bench line ", 19);
    line[LINE_BYTES - 1] = 0;                        /* 63 characters + newline */
    t0 = tsc_read();
    for (unsigned int i = 0; i < LINES; i++)
        printk("%s\n", line);
    if (!time_wait_until(drained, (void *)r, time_now_ns() + WAIT_NS)) {
        bench_failed("console_ring_byte", -XEN_ETIMEDOUT);    /* not a figure to keep */
        return;
    }
    bench_report("console_ring_byte", LINES * LINE_BYTES, tsc_read() - t0);
}

bool bench_xenstore_run(void)
{
    char buf[OPTION_LEN];

    if (!cmdline_option("bench-xenstore", buf, sizeof(buf)))
        return false;
    if (xenbus_init() != 0 || timer_start() != 0) {
        bench_failed("xenstore_read", -1);
        return true;
    }
    bench_read();
    bench_watch();
    bench_console();
    printk("bench: done\n");
    return true;
}
