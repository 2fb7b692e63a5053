/*
 * Tier 3 of the 64-bit PV ABI: vcpu_op (#24) and set_timer_op (#15).
 * Values and layouts are Xen's (xen/include/public/vcpu.h). Permission is
 * granted, free of charge, to use, copy, modify and distribute this header
 * for any purpose (MIT licence).
 *
 *   long vcpu_op(int cmd, unsigned int vcpuid, void *arg);
 *   long set_timer_op(int64_t timeout);     absolute system time in ns;
 *        0 cancels; negative or more than 2^50 ns ahead means 100 ms
 */
#ifndef PUBLIC_VCPU_H
#define PUBLIC_VCPU_H

#include <stddef.h>
#include <stdint.h>

#define VCPUOP_initialise                   0
#define VCPUOP_up                           1
#define VCPUOP_down                         2
#define VCPUOP_is_up                        3   /* returns 1 or 0 */
#define VCPUOP_get_runstate_info            4   /* arg: struct vcpu_runstate_info */
#define VCPUOP_register_runstate_memory_area 5
#define VCPUOP_set_periodic_timer           6   /* arg: struct vcpu_set_periodic_timer */
#define VCPUOP_stop_periodic_timer          7
#define VCPUOP_set_singleshot_timer         8   /* arg: struct vcpu_set_singleshot_timer */
#define VCPUOP_stop_singleshot_timer        9
#define VCPUOP_register_vcpu_info          10
#define VCPUOP_send_nmi                    11
#define VCPUOP_get_physid                  12
#define VCPUOP_register_vcpu_time_memory_area 13

#define RUNSTATE_running   0
#define RUNSTATE_runnable  1
#define RUNSTATE_blocked   2
#define RUNSTATE_offline   3

/* VCPUOP_register_runstate_memory_area: the guest's copy of its runstate,
 * kept up to date by the hypervisor. */
struct vcpu_register_runstate_memory_area {
    uint64_t addr;               /* guest virtual address of the area */
};

struct vcpu_runstate_info {
    int32_t state;               /* RUNSTATE_* */
    uint32_t pad;
    uint64_t state_entry_time;   /* system time (ns) the state was entered */
    uint64_t time[4];            /* ns spent in each state */
};

/* 1 ms <= period <= 2^62 - 1 ns (Xen's STIME_DELTA_MAX, ~146 years), else
 * -EINVAL; VIRQ_TIMER every period. PV default: 10 ms. */
struct vcpu_set_periodic_timer {
    uint64_t period_ns;
};

#define VCPU_SSHOTTMR_future (1U << 0)   /* Xen ignores it; so do we */
struct vcpu_set_singleshot_timer {
    uint64_t timeout_abs_ns;     /* absolute system time, read as a signed
                                    s_time_t: past (bit 63 set too) = fire now */
    uint32_t flags;
    uint32_t pad;
};

/* VCPUOP_register_vcpu_info: the hypervisor keeps the vCPU's vcpu_info
 * (event flags, time record) at byte offset of frame mfn (a PV guest's gfn
 * is its mfn) instead of in shared_info, from now until the domain ends.
 * NOTES: 1. once per vCPU: a second call is -EINVAL;
 *        2. the record must fit in the frame (offset <= 4096 - 64) and be
 *           8-byte aligned: -ENXIO (Xen 4.17.7; older 4.17 said -EINVAL);
 *        3. the frame must be the caller's and able to stay writable (no page
 *           table, no descriptor page) while registered: -EINVAL;
 *        4. the old record is copied over, then every event is marked
 *           pending (a spurious upcall the guest copes with).
 * Errors: -EFAULT (arg unreadable), -ENXIO, -EINVAL, -ENOENT (no such vCPU). */
struct vcpu_register_vcpu_info {
    uint64_t mfn;                /* IN: the frame */
    uint32_t offset;             /* IN: where the record starts in it */
    uint32_t rsvd;               /* IN: unused */
};

_Static_assert(sizeof(struct vcpu_register_vcpu_info) == 16, "register_vcpu_info size");
_Static_assert(sizeof(struct vcpu_runstate_info) == 48, "vcpu_runstate_info size");
_Static_assert(offsetof(struct vcpu_runstate_info, time) == 16, "runstate.time");
_Static_assert(sizeof(struct vcpu_set_singleshot_timer) == 16, "singleshot size");

#endif /* PUBLIC_VCPU_H */
