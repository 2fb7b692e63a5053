/*
 * physdev_op: a domain's access to physical devices. Values and layouts
 * are Xen's (xen/include/public/physdev.h). Permission is granted, free of
 * charge, to use, copy, modify and distribute this header for any purpose
 * (MIT licence).
 */
#ifndef PUBLIC_PHYSDEV_H
#define PUBLIC_PHYSDEV_H

#include <stdint.h>

/*
 * __HYPERVISOR_physdev_op (33)
 *   long physdev_op(int cmd, void *arg);
 *
 * PHYSDEVOP_set_iopl (6), arg = struct physdev_set_iopl (IN): the virtual
 * IOPL (0-3) that guest-kernel in/out, cli and sti need. Any domain may
 * set it, as on Xen; which ports an access then reaches is the
 * hypervisor's per-port decision (a refused port reads all ones and drops
 * writes). Errors: -EFAULT (arg unreadable), -EINVAL (iopl > 3).
 * Any other cmd: -ENOSYS.
 */
#define PHYSDEVOP_set_iopl  6

struct physdev_set_iopl {
    uint32_t iopl;
};

_Static_assert(sizeof(struct physdev_set_iopl) == 4, "physdev_set_iopl size");

#endif /* PUBLIC_PHYSDEV_H */
