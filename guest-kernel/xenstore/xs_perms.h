/*
 * Tern guest kernel, xenstore: node permissions. Pure.
 */
#ifndef XS_PERMS_H
#define XS_PERMS_H

#include <stddef.h>
#include <stdint.h>

#define XS_PERM_NONE  0u
#define XS_PERM_READ  1u
#define XS_PERM_WRITE 2u
#define XS_PERM_OWNER 4u   /* never stored: what the owner and domain 0 get */

/* Entries a node may hold; Xen's default quota for unprivileged domains is 5
 * (ENOSPC above it), domain 0 may use all XS_PERMS_MAX. */
#define XS_PERMS_MAX   8
#define XS_PERMS_QUOTA 5

/* Entry 0 names the owner, and its mode is what domains not listed get. */
struct xs_perm {
    uint16_t domid;
    uint8_t mode;      /* XS_PERM_READ | XS_PERM_WRITE */
};

struct xs_perms {
    uint8_t n;         /* 1..XS_PERMS_MAX */
    struct xs_perm p[XS_PERMS_MAX];
};

/* What domain dom may do with a node of these permissions. */
unsigned int xs_perms_for(const struct xs_perms *perms, uint16_t dom);

/* May dom (with OWNER access, checked before) replace a node's permissions
 * cur with next? 0; -XEN_EINVAL for no entry; -XEN_EPERM when an
 * unprivileged domain names another owner; -XEN_ENOSPC above its quota of
 * entries. */
int xs_perms_may_set(const struct xs_perms *cur, uint16_t dom, const struct xs_perms *next);

/* Parses count NUL-ended strings "<r|w|b|n><domid>" packed in buf (len
 * bytes, ending in a NUL). Returns 0, -XEN_EINVAL for a bad string, or
 * -XEN_ENOSPC for more than XS_PERMS_MAX entries. */
int xs_perms_parse(const char *buf, size_t len, struct xs_perms *out);

/* Writes the strings, each NUL-ended, to out (room bytes). Returns the
 * bytes written, or -XEN_E2BIG. */
int xs_perms_format(const struct xs_perms *perms, char *out, size_t room);

#endif /* XS_PERMS_H */
