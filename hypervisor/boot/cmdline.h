/*
 * Xen-style command-line parsing (cmdline.c, pure).
 *
 * The line is a list of whitespace-separated options:
 *   key=value      any type
 *   key            boolean true
 *   no-key         boolean false
 * Booleans accept 1/0, yes/no, true/false, on/off, enable/disable.
 * Sizes accept a number with an optional B, K, M, G or T suffix (any case).
 * Unknown keys and bad values are reported through a callback and skipped:
 * never fatal, and the option keeps its previous (default) value.
 */
#ifndef CMDLINE_H
#define CMDLINE_H

#include "lib.h"

enum param_type {
    PARAM_BOOL,     /* var: bool */
    PARAM_UINT,     /* var: uint64_t */
    PARAM_SIZE,     /* var: uint64_t, bytes */
    PARAM_STRING,   /* var: char[var_size], NUL-terminated, never truncated */
    PARAM_CUSTOM,   /* custom(value, len, var) parses it */
};

struct param {
    const char *name;
    enum param_type type;
    void *var;
    size_t var_size;
    int (*custom)(const char *val, size_t len, void *var);
};

enum cmdline_problem {
    CMDLINE_UNKNOWN,        /* no such option */
    CMDLINE_BAD_VALUE,      /* the value does not parse for its type */
    CMDLINE_NO_VALUE,       /* a non-boolean option given without "=value" */
};

typedef void (*cmdline_report_fn)(void *ctx, enum cmdline_problem problem,
                                  const char *key, size_t key_len,
                                  const char *val, size_t val_len);

/* Parse at most max_len bytes of line (stopping at a NUL). Returns the number
 * of problems reported. */
unsigned int cmdline_parse(const char *line, size_t max_len,
                           const struct param *params, size_t nr_params,
                           cmdline_report_fn report, void *ctx);

/* 1 or 0, or -EINVAL. */
int parse_bool(const char *s, size_t len);
/* 0 and *bytes, or -EINVAL (not a size) or -ERANGE (overflows 64 bits). */
int parse_size(const char *s, size_t len, uint64_t *bytes);
/* The whole of [s, s+len) as a number: 0, or -EINVAL / -ERANGE. */
int parse_uint(const char *s, size_t len, uint64_t *out);

/* Where the options of a command line start (the hypervisor's, or a
 * module's): loaders other than GRUB 2 put the image name first, and Xen
 * drops it then, so do we (!loader_omits_name: the first word is skipped
 * whatever it is); GRUB 2 passes only the arguments, but a first word that
 * is a path (a '/' and no '=') is still taken for an image name. Leading
 * spaces are skipped; what follows a skipped name is left as it is. */
const char *cmdline_skip_image_name(const char *line, size_t max_len, bool loader_omits_name);

#endif /* CMDLINE_H */
