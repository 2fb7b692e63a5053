/*
 * The PV console ring page: how a domain without console_io (a Xen domU,
 * Linux's hvc0) hands its console bytes to its backend. Layout and rules
 * are Xen's (xen/include/public/io/console.h). Permission is granted, free
 * of charge, to use, copy, modify and distribute this header for any
 * purpose (MIT licence).
 *
 * One page (start_info console.domU.mfn, granted to the backend in grant
 * entry GNTTAB_RESERVED_CONSOLE) holds two byte rings and four free-running
 * 32-bit indices. A ring index is taken modulo the ring's size
 * (MASK_XENCONS_IDX); prod - cons (unsigned, wrapping) is the number of
 * bytes in flight and never exceeds the ring's size in an honest ring.
 *
 *   out[]  guest -> backend. Written by the guest (the frontend): bytes at
 *          out_prod, then a write barrier, then out_prod. Read by the
 *          backend: bytes from out_cons to out_prod, then a barrier, then
 *          out_cons. Each side notifies the other on console.domU.evtchn.
 *   in[]   backend -> guest (keyboard input), the same protocol mirrored:
 *          the backend writes in_prod, the guest writes in_cons.
 *
 * Each side must treat the other's indices as untrusted: read each once,
 * and refuse prod - cons larger than the ring.
 */
#ifndef PUBLIC_IO_CONSOLE_H
#define PUBLIC_IO_CONSOLE_H

#include <stddef.h>
#include <stdint.h>

typedef uint32_t XENCONS_RING_IDX;

/* An index reduced to an offset in a ring of `ring` (a power of two). */
#define MASK_XENCONS_IDX(idx, ring) ((idx) & (sizeof(ring) - 1))

struct xencons_interface {
    char in[1024];              /* backend -> guest bytes */
    char out[2048];             /* guest -> backend bytes */
    XENCONS_RING_IDX in_cons;   /* written by the guest */
    XENCONS_RING_IDX in_prod;   /* written by the backend */
    XENCONS_RING_IDX out_cons;  /* written by the backend */
    XENCONS_RING_IDX out_prod;  /* written by the guest */
};

_Static_assert(offsetof(struct xencons_interface, in) == 0, "in at 0");
_Static_assert(offsetof(struct xencons_interface, out) == 1024, "out at 1024");
_Static_assert(offsetof(struct xencons_interface, in_cons) == 3072, "in_cons at 3072");
_Static_assert(offsetof(struct xencons_interface, in_prod) == 3076, "in_prod at 3076");
_Static_assert(offsetof(struct xencons_interface, out_cons) == 3080, "out_cons at 3080");
_Static_assert(offsetof(struct xencons_interface, out_prod) == 3084, "out_prod at 3084");
_Static_assert(sizeof(struct xencons_interface) == 3088, "3088 bytes");

#endif /* PUBLIC_IO_CONSOLE_H */
