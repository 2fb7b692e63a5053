/*
 * Error policy: every function that can fail returns 0 or a positive result,
 * or a negative Xen errno (-EINVAL, ...), the same numbers a guest sees.
 * The names are the familiar E* ones; their values are Xen's, which equal
 * Linux's for all numbers used here (the unit tests check that).
 */
#ifndef ERR_H
#define ERR_H

#include <public/errno.h>

#ifdef HOST_TEST
#include <errno.h>
#else
#define EPERM      XEN_EPERM
#define ENOENT     XEN_ENOENT
#define ESRCH      XEN_ESRCH
#define EINTR      XEN_EINTR
#define EIO        XEN_EIO
#define ENXIO      XEN_ENXIO
#define E2BIG      XEN_E2BIG
#define ENOEXEC    XEN_ENOEXEC
#define EBADF      XEN_EBADF
#define EAGAIN     XEN_EAGAIN
#define ENOMEM     XEN_ENOMEM
#define EACCES     XEN_EACCES
#define EFAULT     XEN_EFAULT
#define EBUSY      XEN_EBUSY
#define EEXIST     XEN_EEXIST
#define ENODEV     XEN_ENODEV
#define EINVAL     XEN_EINVAL
#define ENOSPC     XEN_ENOSPC
#define ERANGE     XEN_ERANGE
#define ENOSYS     XEN_ENOSYS
#define ENODATA    XEN_ENODATA
#define EOVERFLOW  XEN_EOVERFLOW
#define EOPNOTSUPP XEN_EOPNOTSUPP
#endif

#endif /* ERR_H */
