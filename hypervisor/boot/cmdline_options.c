/*
 * cmdline_options.c: what the hypervisor accepts on its command line. Pure:
 * parsing fills a struct hv_options, nothing else; main.c acts on it.
 * A structured value is parsed whole into a temporary and stored only if
 * every part of it is valid, so a bad value leaves the default in place.
 */
#include "cmdline_options.h"
#include "err.h"

void options_set_defaults(struct hv_options *opt)
{
    memset(opt, 0, sizeof(*opt));
    opt->console.serial = true;
    opt->console.vga = true;
    opt->console.com1 = (struct serial_config){
        .io_base = 0x3f8, .baud = 115200, .data_bits = 8, .parity = 'n',
        .stop_bits = 1, .irq = 4,
    };
    opt->console.loglvl = LOG_INFO;
    opt->after_boot = AFTER_BOOT_HALT;
    opt->dom0_mem = DOM0_MEM_DEFAULT;
    opt->gnttab_max_frames = GNTTAB_MAX_FRAMES_DEFAULT;
}

/* Split [s, s+len) at the first sep: the head is returned, *rest advanced. */
static size_t next_field(const char **s, size_t *len, char sep, const char **field)
{
    const char *p = memchr(*s, sep, *len);
    size_t n = p ? (size_t)(p - *s) : *len;

    *field = *s;
    *s += p ? n + 1 : n;
    *len -= p ? n + 1 : n;
    return n;
}

static bool same(const char *s, size_t len, const char *word)
{
    return strlen(word) == len && strncmp(s, word, len) == 0;
}

/* console=com1,vga | console=vga | console=none ... */
int parse_console_list(const char *val, size_t len, void *var)
{
    struct console_options *c = var;
    bool serial = false, vga = false;

    while (len) {
        const char *f;
        size_t n = next_field(&val, &len, ',', &f);
        if (same(f, n, "com1"))
            serial = true;
        else if (same(f, n, "vga"))
            vga = true;
        else if (!same(f, n, "none"))
            return -EINVAL;
    }
    c->serial = serial;
    c->vga = vga;
    return 0;
}

static int parse_dps(const char *f, size_t n, struct serial_config *sc)
{
    if (n != 3 || f[0] < '5' || f[0] > '8' || !memchr("noe", f[1], 3) ||
        (f[2] != '1' && f[2] != '2'))
        return -EINVAL;
    sc->data_bits = (uint8_t)(f[0] - '0');
    sc->parity = f[1];
    sc->stop_bits = (uint8_t)(f[2] - '0');
    return 0;
}

static int parse_baud(const char *f, size_t n, struct serial_config *sc)
{
    uint64_t v;

    if (same(f, n, "auto")) {
        sc->baud = 0;                 /* keep what the boot loader set */
        return 0;
    }
    if (parse_uint(f, n, &v) || v < 50 || v > 115200 || 115200 % v)
        return -EINVAL;
    sc->baud = (uint32_t)v;
    return 0;
}

static int parse_ranged(const char *f, size_t n, uint64_t lo, uint64_t hi, uint64_t *v)
{
    if (parse_uint(f, n, v) || *v < lo || *v > hi)
        return -EINVAL;
    return 0;
}

/* com1=<baud|auto>[,<data><parity><stop>[,<io-base>[,<irq>]]] */
int parse_com1(const char *val, size_t len, void *var)
{
    struct console_options *c = var;
    struct serial_config sc = c->com1;
    const char *f;
    size_t n;
    uint64_t v;

    n = next_field(&val, &len, ',', &f);
    if (parse_baud(f, n, &sc))
        return -EINVAL;
    if (len && (n = next_field(&val, &len, ',', &f)) && parse_dps(f, n, &sc))
        return -EINVAL;
    if (len) {
        n = next_field(&val, &len, ',', &f);
        if (parse_ranged(f, n, 1, 0xfff8, &v))
            return -EINVAL;
        sc.io_base = (uint16_t)v;
    }
    if (len) {
        n = next_field(&val, &len, ',', &f);
        /* the irq is the last field: not even an empty one may follow */
        if (f + n != val || parse_ranged(f, n, 0, 15, &v))
            return -EINVAL;
        sc.irq = (uint8_t)v;
    }
    c->com1 = sc;
    return 0;
}

/* loglvl=error|warning|info|debug|all */
int parse_loglvl(const char *val, size_t len, void *var)
{
    static const struct { const char *name; enum log_level level; } levels[] = {
        { "error", LOG_ERR }, { "warning", LOG_WARN }, { "info", LOG_INFO },
        { "debug", LOG_DEBUG }, { "all", LOG_DEBUG },
    };

    for (size_t i = 0; i < ARRAY_SIZE(levels); i++) {
        if (same(val, len, levels[i].name)) {
            ((struct console_options *)var)->loglvl = levels[i].level;
            return 0;
        }
    }
    return -EINVAL;
}

/* after_boot=halt|poweroff|reboot */
int parse_after_boot(const char *val, size_t len, void *var)
{
    enum after_boot *a = var;

    if (same(val, len, "halt"))
        *a = AFTER_BOOT_HALT;
    else if (same(val, len, "poweroff"))
        *a = AFTER_BOOT_POWEROFF;
    else if (same(val, len, "reboot"))
        *a = AFTER_BOOT_REBOOT;
    else
        return -EINVAL;
    return 0;
}

/* gnttab_max_frames=<n>: 1 to GNTTAB_MAX_FRAMES_LIMIT (4 MiB of entries). */
int parse_gnttab_max_frames(const char *val, size_t len, void *var)
{
    uint64_t n;

    if (parse_ranged(val, len, 1, GNTTAB_MAX_FRAMES_LIMIT, &n))
        return -EINVAL;                      /* the old value stays */
    *(uint64_t *)var = n;
    return 0;
}

/* dom0_mem=<size>[,max:<size>] (Xen's syntax, without min:). */
int parse_dom0_mem(const char *val, size_t len, void *var)
{
    struct hv_options *opt = var;
    uint64_t mem = opt->dom0_mem, max = opt->dom0_max_mem;
    const char *f;
    size_t n;

    while (len) {
        n = next_field(&val, &len, ',', &f);
        if (n > 4 && !strncmp(f, "max:", 4)) {
            if (parse_size(f + 4, n - 4, &max))
                return -EINVAL;
        } else if (parse_size(f, n, &mem)) {
            return -EINVAL;
        }
    }
    if (max && max < mem)
        return -EINVAL;
    opt->dom0_mem = mem;
    opt->dom0_max_mem = max;
    return 0;
}

unsigned int options_parse(struct hv_options *opt, const char *line, size_t max_len,
                           cmdline_report_fn report, void *ctx)
{
    const struct param params[] = {
        { "console", PARAM_CUSTOM, &opt->console, 0, parse_console_list },
        { "com1", PARAM_CUSTOM, &opt->console, 0, parse_com1 },
        { "loglvl", PARAM_CUSTOM, &opt->console, 0, parse_loglvl },
        { "after_boot", PARAM_CUSTOM, &opt->after_boot, 0, parse_after_boot },
        { "mem", PARAM_SIZE, &opt->mem_limit, 0, NULL },
        { "dom0_mem", PARAM_CUSTOM, opt, 0, parse_dom0_mem },
        { "gnttab_max_frames", PARAM_CUSTOM, &opt->gnttab_max_frames, 0,
          parse_gnttab_max_frames },
    };

    return cmdline_parse(line, max_len, params, ARRAY_SIZE(params), report, ctx);
}
