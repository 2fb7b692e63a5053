/*
 * console.c: the hypervisor's console, Xen-style.
 *
 * Every line is prefixed "(tern) " and written to each enabled output (the
 * serial port, the screen: VGA text or a framebuffer, see screen.c). A line is printed if its level is at or
 * below the threshold set by loglvl=. Lines printed before the outputs exist
 * (while the command line is still being parsed) wait in a small early
 * buffer and are replayed, filtered, when console_init() runs; if that
 * buffer fills, the replay says how many lines were lost.
 * Formatting is bounded: a line longer than LINE_MAX is cut and marked "[...]".
 */
#include <stdarg.h>
#include "console.h"
#include "cmdline_options.h"
#include "screen.h"
#include "serial.h"
#include <asm/cpu.h>

#define LINE_MAX   512
#define EARLY_SIZE 8192

static bool use_serial, use_screen, outputs_ready;
static const struct boot_framebuffer *screen_fb;
static enum log_level threshold = LOG_INFO;
static bool at_line_start = true;

static char early_buf[EARLY_SIZE];     /* records: level byte, text, NUL */
static size_t early_len;
static unsigned int early_lost;

static void output_char(char c)
{
    if (use_serial) {
        if (c == '\n')
            serial_putc('\r');
        serial_putc(c);
    }
    if (use_screen)
        screen_putc(c);
}

static void output_text(const char *s)
{
    for (; *s; s++) {
        if (at_line_start) {
            for (const char *p = "(tern) "; *p; p++)
                output_char(*p);
            at_line_start = false;
        }
        output_char(*s);
        if (*s == '\n')
            at_line_start = true;
    }
}

static void early_store(enum log_level level, const char *text)
{
    size_t n = strlen(text) + 2;

    if (early_len + n > sizeof(early_buf)) {
        early_lost++;
        return;
    }
    early_buf[early_len] = (char)level;
    memcpy(&early_buf[early_len + 1], text, n - 1);
    early_len += n;
}

static void early_replay(void)
{
    size_t i = 0;

    while (i < early_len) {
        enum log_level level = (enum log_level)early_buf[i];
        const char *text = &early_buf[i + 1];
        if (level <= threshold)
            output_text(text);
        i += strlen(text) + 2;
    }
    if (early_lost)
        printk_level(LOG_WARN, "console: %u early messages lost (early buffer full)\n",
                     early_lost);
    early_len = 0;
}

void vprintk_level(enum log_level level, const char *fmt, va_list ap)
{
    char line[LINE_MAX];
    int n = vsnprintf(line, sizeof(line), fmt, ap);

    if (n >= (int)sizeof(line))
        memcpy(&line[sizeof(line) - 7], "[...]\n", 7);
    if (!outputs_ready)
        early_store(level, line);
    else if (level <= threshold)
        output_text(line);
}

void printk_level(enum log_level level, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vprintk_level(level, fmt, ap);
    va_end(ap);
}

void printk(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vprintk_level(LOG_INFO, fmt, ap);
    va_end(ap);
}

void console_set_level(enum log_level level)
{
    threshold = level;
}

/* Bring up the outputs the options ask for; a missing UART is reported on
 * whatever else is left (the VGA screen, usually). */
void console_init(const struct console_options *opt, const struct boot_framebuffer *fb)
{
    bool serial_ok = false;

    threshold = opt->loglvl;
    screen_fb = fb;
    if (opt->vga) {
        screen_init(fb);
        use_screen = true;
    }
    if (opt->serial) {
        serial_ok = serial_init(&opt->com1);
        use_serial = serial_ok;
    }
    outputs_ready = true;
    early_replay();
    if (opt->serial && !serial_ok)
        log_warn("console: no UART at I/O port %#x; serial console off\n",
                 opt->com1.io_base);
}

/* When everything else has failed: force both outputs on so the reason is
 * seen, whatever console= said. */
void console_force_on(void)
{
    struct serial_config def = { 0x3f8, 115200, 8, 'n', 1, 4 };

    if (!use_serial)
        use_serial = serial_present() || serial_init(&def);
    if (!use_screen) {
        screen_init(screen_fb);
        use_screen = true;
    }
    if (!outputs_ready) {
        outputs_ready = true;
        early_replay();
    }
}

void assert_failed(const char *cond, const char *file, int line)
{
    panic("ASSERT(%s) failed at %s:%d\n", cond, file, line);
}

void panic(const char *fmt, ...)
{
    va_list ap;

    local_irq_disable();
    console_force_on();
    printk_level(LOG_ERR, "PANIC: ");
    va_start(ap, fmt);
    vprintk_level(LOG_ERR, fmt, ap);
    va_end(ap);
    printk_level(LOG_ERR, "PANIC: CPU0 halted\n");
    halt_forever();
}
