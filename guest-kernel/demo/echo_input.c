/*
 * Tern guest kernel: echo-input=<n> (an unprivileged domain with
 * console=ring): reads console input from its console ring's in[] (what
 * its console backend put there: domain 0 forwards what is typed while
 * this domain has the focus) and prints each line back as
 * "echo: <line>", n lines, then ends. A backend that writes a lying
 * in_prod ends it too, said so. The input is waited for without a
 * deadline: the scenario types it.
 */
#include "demo/roles.h"
#include "kernel/events.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "kernel/time.h"
#include "xen/cons_ring.h"

#define OPTION_LEN 16

static volatile uint32_t kicks;
static unsigned int echoed;

static void on_event(evtchn_port_t port, struct regs *r, void *data)
{
    (void)port;
    (void)r;
    (void)data;
    kicks++;
}

static bool kicked(void *seen)
{
    return kicks != *(uint32_t *)seen;
}

static void echo_line(const char *line, uint32_t len, void *data)
{
    char text[CONS_LINE_MAX + 1];

    (void)data;
    memcpy(text, line, len);
    text[len] = 0;
    printk("echo: %s\n", text);
    echoed++;
}

static unsigned int parse_count(const char *v)
{
    unsigned int n = 0;

    while (*v >= '0' && *v <= '9' && n < 1000)
        n = n * 10 + (unsigned int)(*v++ - '0');
    return *v ? 0 : n;
}

/* Echoes lines until n are done; false if the backend lied. */
static bool echo(volatile struct xencons_interface *page, unsigned int n)
{
    static struct cons_lines line;
    char buf[64];

    while (echoed < n) {
        uint32_t seen = kicks;
        struct ring_io r = cons_ring_take_input(page, buf, sizeof(buf));

        if (r.lying)
            return false;
        cons_lines_feed(&line, buf, r.moved, echo_line, NULL);
        if (r.moved == 0)
            time_wait_until(kicked, &seen, 0);
    }
    return true;
}

bool echo_input_run(void)
{
    char buf[OPTION_LEN];
    const char *v = cmdline_option("echo-input", buf, sizeof(buf));
    volatile struct xencons_interface *page = console_ring_page();
    unsigned int n;

    if (!v)
        return false;
    n = parse_count(v);
    if (!page || n == 0) {
        printk("echo-input=%s: want a count of lines, and console=ring\n", buf);
        return true;
    }
    gk_evtchn_attach(start_info.console.domU.evtchn, on_event, NULL);
    printk("echo-input: waiting for %u lines of console input\n", n);
    if (!echo(page, n))
        printk("echo-input: the backend wrote a bad in_prod; giving up\n");
    return true;
}
