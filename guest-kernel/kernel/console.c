/*
 * Tern guest kernel: early console.
 *
 * Output goes to the hypervisor console with console_io(CONSOLEIO_write).
 * Real Xen allows that for the hardware domain (our guest is dom0 there);
 * other Xen domains get -EPERM and need the PV console ring instead:
 * console=ring (console_ring.c) sends printk there once events are set up.
 */
#include <stdarg.h>
#include "xen/hypercall.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"

#define PRINTK_BUFFER 512

void console_init(void)
{
    /* Nothing to set up: console_io needs no state. */
}

void console_write(const char *s, size_t len)
{
    if (console_ring_active()) {
        size_t done = console_ring_write(s, len);
        s += done;
        len -= done;
    }
    while (len) {
        unsigned int chunk = len > 4096 ? 4096U : (unsigned int)len;

        if (HYPERVISOR_console_io(CONSOLEIO_write, chunk, s) < 0)
            return;     /* no console: nothing else to try */
        s += chunk;
        len -= chunk;
    }
}

void printk(const char *fmt, ...)
{
    char buf[PRINTK_BUFFER];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (n > (int)sizeof(buf) - 1)
        n = (int)sizeof(buf) - 1;
    console_write(buf, (size_t)n);
}
