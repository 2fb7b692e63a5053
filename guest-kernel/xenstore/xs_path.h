/*
 * Tern guest kernel, xenstore: path rules and the decimal numbers the
 * protocol writes as text. Pure.
 */
#ifndef XS_PATH_H
#define XS_PATH_H

#include <stddef.h>
#include <stdint.h>

/* Room for any canonical path and its NUL. */
#define XS_PATH_BUF (3072 + 1)

/* Turns the path a client sent (NUL-ended, in) into the canonical absolute
 * path in out[XS_PATH_BUF]: an absolute path stays as it is, a relative one
 * gets "/local/domain/<caller>/" in front. Returns 0, or -XEN_EINVAL when the
 * result breaks a rule (see xs_path.c). */
int xs_path_canon(uint32_t caller, const char *in, char *out);

/* Writes v in decimal to out (at least 11 bytes), NUL-ended; returns its
 * length without the NUL. */
size_t xs_u32_to_str(uint32_t v, char *out);

/* The same for a 64-bit v (out: at least 21 bytes). */
size_t xs_u64_to_str(uint64_t v, char *out);

/* Reads a decimal number of 1 to 10 digits, nothing else, no larger than max,
 * from s (NUL-ended). Returns 0 and sets *v, or -XEN_EINVAL. */
int xs_str_to_u32(const char *s, uint32_t max, uint32_t *v);

/* The same for 1 to 20 digits, no larger than max. */
int xs_str_to_u64(const char *s, uint64_t max, uint64_t *v);

/* Length of the parent of canonical path p (len bytes): 1 for "/x" (the
 * parent is "/"), 0 for "/" itself (no parent). */
size_t xs_parent_len(const char *p, size_t len);

#endif /* XS_PATH_H */
