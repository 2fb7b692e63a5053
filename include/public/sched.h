/*
 * Tern guest ABI: __HYPERVISOR_sched_op (29), Xen's 64-bit PV scheduler
 * operations.
 *
 * Permission is granted, free of charge, to use, copy, modify and distribute
 * this header for any purpose (MIT licence). Written for Tern from the
 * documented facts of Xen's xen/include/public/sched.h; layouts pinned below.
 *
 *   long sched_op(int32_t cmd, void *arg);
 *
 *   cmd  IN  SCHEDOP_*
 *   arg  IN  guest VA of the command's argument struct, or 0 where none
 *
 * ERRORS common to every command:
 *   -XEN_ENOSYS  unknown cmd;
 *   -XEN_EFAULT  arg could not be read (commands that take a struct).
 */
#ifndef PUBLIC_SCHED_H
#define PUBLIC_SCHED_H

#include <public/xen.h>

/*
 * SCHEDOP_yield (0), arg ignored.
 *  1. Gives up the CPU; the vCPU stays runnable. Returns 0.
 */
#define SCHEDOP_yield            0

/*
 * SCHEDOP_block (1), arg ignored.
 *  1. Clears this vCPU's evtchn_upcall_mask (enables events), then sleeps
 *     until an event is pending. Returns 0 at once if one already is.
 *  2. The upcall is delivered on the way back to the guest.
 */
#define SCHEDOP_block            1

/*
 * SCHEDOP_shutdown (2), arg = struct sched_shutdown (IN).
 *  1. Stops every vCPU of the domain and reports `reason` (SHUTDOWN_*).
 *     Does not return, except:
 *  2. SHUTDOWN_suspend: the third hypercall argument (rdx) is the MFN of
 *     start_info; returns 1 if the suspend was cancelled, 0 on resume.
 * ERRORS: -XEN_EFAULT bad arg.
 */
#define SCHEDOP_shutdown         2

/*
 * SCHEDOP_poll (3), arg = struct sched_poll (IN).
 *  1. Sleeps until one of the listed ports is pending, or until `timeout`
 *     (absolute system time in ns; 0 = no timeout; read as a signed
 *     s_time_t, so bit 63 set is in the past). Returns 0.
 *  2. Returns 0 at once if a listed port is already pending.
 *  3. Does not unmask events.
 * ERRORS: -XEN_EINVAL nr_ports > 128 or a port out of range;
 *         -XEN_EFAULT bad arg or port array.
 */
#define SCHEDOP_poll             3

/*
 * SCHEDOP_remote_shutdown (4), arg = struct sched_remote_shutdown (IN).
 *  1. Shuts another domain down. Privileged: -XEN_EPERM otherwise.
 * ERRORS: -XEN_ESRCH no such domain; -XEN_EINVAL bad reason.
 */
#define SCHEDOP_remote_shutdown  4

/*
 * SCHEDOP_shutdown_code (5), arg = struct sched_shutdown (IN).
 *  1. Records `reason` for the domain's eventual shutdown. Returns 0.
 *  2. Only the first recorded reason counts, and it wins over the reason a
 *     later SCHEDOP_shutdown passes: on Xen 4.17, shutdown_code(reboot)
 *     then shutdown(poweroff) reboots ("Hardware Dom0 shutdown: rebooting
 *     machine").
 * ERRORS: -XEN_EFAULT bad arg.
 */
#define SCHEDOP_shutdown_code    5

/*
 * SCHEDOP_watchdog (6), arg = struct sched_watchdog (IN).
 *  1. id 0: creates a watchdog firing after `timeout` seconds; returns its
 *     id. id != 0, timeout != 0: re-arms it; timeout 0: destroys it.
 *  2. A watchdog that fires shuts the domain down with SHUTDOWN_watchdog.
 */
#define SCHEDOP_watchdog         6

/*
 * SCHEDOP_pin_override (7), arg = struct sched_pin_override (IN).
 *  1. Hardware domain only: temporarily pins vCPU to a physical CPU
 *     (pcpu < 0 ends the override).
 */
#define SCHEDOP_pin_override     7

/* Shutdown reasons. */
#define SHUTDOWN_poweroff    0  /* the domain is done; destroy it */
#define SHUTDOWN_reboot      1  /* restart the domain */
#define SHUTDOWN_suspend     2  /* save the domain's state for a later resume */
#define SHUTDOWN_crash       3  /* the domain hit a fatal error */
#define SHUTDOWN_watchdog    4  /* a watchdog fired */
#define SHUTDOWN_soft_reset  5  /* reset the domain without destroying it */
#define SHUTDOWN_MAX         5  /* highest valid reason */

struct sched_shutdown {
    uint32_t reason;         /* IN: SHUTDOWN_* */
};

struct sched_poll {
    uint64_t ports;          /* IN: guest VA of an evtchn_port_t array */
    uint32_t nr_ports;       /* IN: entries in it, at most 128 */
    uint32_t pad;
    uint64_t timeout;        /* IN: absolute system time (ns); 0 = none */
};

struct sched_remote_shutdown {
    domid_t  domain_id;      /* IN: the domain to shut down */
    uint16_t pad;
    uint32_t reason;         /* IN: SHUTDOWN_* */
};

struct sched_watchdog {
    uint32_t id;             /* IN: 0 = create; else the watchdog's id */
    uint32_t timeout;        /* IN: seconds; 0 = destroy */
};

struct sched_pin_override {
    int32_t  pcpu;           /* IN: physical CPU; < 0 ends the override */
};

_Static_assert(sizeof(struct sched_shutdown) == 4, "sched_shutdown size");
_Static_assert(sizeof(struct sched_poll) == 24, "sched_poll size");
_Static_assert(offsetof(struct sched_poll, ports) == 0, "sched_poll.ports");
_Static_assert(offsetof(struct sched_poll, nr_ports) == 8, "sched_poll.nr_ports");
_Static_assert(offsetof(struct sched_poll, timeout) == 16, "sched_poll.timeout");
_Static_assert(sizeof(struct sched_remote_shutdown) == 8, "sched_remote_shutdown size");
_Static_assert(offsetof(struct sched_remote_shutdown, domain_id) == 0, "sched_remote_shutdown.domain_id");
_Static_assert(offsetof(struct sched_remote_shutdown, reason) == 4, "sched_remote_shutdown.reason");
_Static_assert(sizeof(struct sched_watchdog) == 8, "sched_watchdog size");
_Static_assert(sizeof(struct sched_pin_override) == 4, "sched_pin_override size");

#endif /* PUBLIC_SCHED_H */
