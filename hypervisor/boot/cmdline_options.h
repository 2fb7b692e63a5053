/*
 * The hypervisor's command-line options (cmdline_options.c): the table the
 * parser works from, their defaults, and the parsers for the structured ones.
 * Documented for users in README.md ("Command line").
 */
#ifndef CMDLINE_OPTIONS_H
#define CMDLINE_OPTIONS_H

#include "cmdline.h"
#include "console.h"
#include "serial.h"

struct console_options {
    bool serial;                   /* console= includes com1 */
    bool vga;                      /* console= includes vga */
    struct serial_config com1;     /* com1= */
    enum log_level loglvl;         /* loglvl= */
};

#define DOM0_MEM_DEFAULT (32ULL << 20)
#define GNTTAB_MAX_FRAMES_DEFAULT 64     /* Xen's */
#define GNTTAB_MAX_FRAMES_LIMIT   1024

enum after_boot {
    AFTER_BOOT_HALT,               /* idle, serving debug keys (default) */
    AFTER_BOOT_POWEROFF,
    AFTER_BOOT_REBOOT,
};

struct hv_options {
    struct console_options console;
    enum after_boot after_boot;    /* after_boot= */
    uint64_t mem_limit;            /* mem=: ignore RAM above this (0: no limit) */
    uint64_t dom0_mem;             /* dom0_mem=<size>: RAM for domain 0 */
    uint64_t dom0_max_mem;         /* dom0_mem=...,max:<size>: how far it may grow
                                      (0: no growth beyond dom0_mem) */
    uint64_t gnttab_max_frames;    /* gnttab_max_frames=: each domain's grant
                                      table limit, in frames (1-1024) */
};

void options_set_defaults(struct hv_options *opt);
/* Parse line into opt; problems are reported through report(ctx, ...). */
unsigned int options_parse(struct hv_options *opt, const char *line, size_t max_len,
                           cmdline_report_fn report, void *ctx);

/* The structured value parsers, exposed for the unit tests. */
int parse_console_list(const char *val, size_t len, void *var);
int parse_com1(const char *val, size_t len, void *var);
int parse_loglvl(const char *val, size_t len, void *var);
int parse_gnttab_max_frames(const char *val, size_t len, void *var);
int parse_after_boot(const char *val, size_t len, void *var);
int parse_dom0_mem(const char *val, size_t len, void *var);

struct boot_framebuffer;
void console_init(const struct console_options *opt, const struct boot_framebuffer *fb);
void console_force_on(void);

#endif /* CMDLINE_OPTIONS_H */
