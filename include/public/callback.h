/*
 * Tier 2 of the 64-bit PV ABI: callbacks, the iret frame, stack switch,
 * segment bases and NMI registration. Values and layouts are Xen's
 * (xen/include/public/callback.h, nmi.h, arch-x86/xen-x86_64.h). Permission is granted, free of charge, to use,
 * copy, modify and distribute this header for any purpose (MIT licence).
 */
#ifndef PUBLIC_CALLBACK_H
#define PUBLIC_CALLBACK_H

#include <stddef.h>
#include <stdint.h>

/*
 * __HYPERVISOR_callback_op (30)
 *   long callback_op(int cmd, const void *arg);
 *
 * CALLBACKOP_register (0), arg = struct callback_register (IN).
 *  1. address must be canonical and outside the hypervisor range (-EINVAL).
 *  2. CALLBACKF_mask_events: mask events on entry (failsafe, syscall,
 *     syscall32, sysenter). The event callback always masks them.
 * CALLBACKOP_unregister (1), arg = struct callback_unregister (IN).
 *  1. Only the NMI callback can be unregistered; others -EINVAL.
 * ERRORS: -EINVAL bad type or address; -EFAULT unreadable arg; -ENOSYS cmd.
 */
#define CALLBACKOP_register    0
#define CALLBACKOP_unregister  1

#define CALLBACKTYPE_event               0   /* event upcall */
#define CALLBACKTYPE_failsafe            1   /* segment reload failed */
#define CALLBACKTYPE_syscall             2   /* 64-bit syscall from guest user mode */
#define CALLBACKTYPE_sysenter_deprecated 3
#define CALLBACKTYPE_nmi                 4
#define CALLBACKTYPE_sysenter            5   /* sysenter from user mode */
#define CALLBACKTYPE_syscall32           7   /* syscall from 32-bit user code */

#define CALLBACKF_mask_events  (1U << 0)

struct callback_register {
    uint16_t type;           /* IN: CALLBACKTYPE_* */
    uint16_t flags;          /* IN: CALLBACKF_* */
    uint32_t pad;
    uint64_t address;        /* IN: handler VA */
};

struct callback_unregister {
    uint16_t type;           /* IN: CALLBACKTYPE_nmi */
    uint16_t pad;
};

/*
 * __HYPERVISOR_set_callbacks (4)
 *   long set_callbacks(uint64_t event, uint64_t failsafe, uint64_t syscall);
 * Registers the three with flags 0. Same address rule as callback_op.
 */

/*
 * __HYPERVISOR_iret (23): jumped to, never called. The guest pushes the
 * frame below (lowest address first), the stub pushes rcx, r11 and rax:
 */
#define VGCF_in_syscall  (1U << 8)    /* return with sysret semantics */

struct iret_context {
    uint64_t rax, r11, rcx;  /* pushed by the stub */
    uint64_t flags;          /* 0 or VGCF_in_syscall */
    uint64_t rip, cs, rflags, rsp, ss;
};

/*
 * __HYPERVISOR_stack_switch (3)
 *   long stack_switch(uint64_t ss, uint64_t rsp);
 * The guest kernel stack used when a trap, event or syscall arrives in
 * guest user mode. Returns 0.
 *
 * __HYPERVISOR_set_segment_base (25)
 *   long set_segment_base(unsigned int which, uint64_t base);
 */
#define SEGBASE_FS          0   /* FS base */
#define SEGBASE_GS_USER     1   /* GS base used in guest user mode */
#define SEGBASE_GS_KERNEL   2   /* GS base used in guest kernel mode */
#define SEGBASE_GS_USER_SEL 3   /* load a selector into the user GS */

/*
 * __HYPERVISOR_nmi_op (28)
 *   long nmi_op(unsigned int cmd, void *arg);
 */
#define XENNMI_register_callback    0
#define XENNMI_unregister_callback  1

struct xennmi_callback {
    uint64_t handler_address;
    uint64_t pad;
};

_Static_assert(sizeof(struct callback_register) == 16, "callback_register size");
_Static_assert(offsetof(struct callback_register, address) == 8, "callback_register.address");
_Static_assert(sizeof(struct callback_unregister) == 4, "callback_unregister size");
_Static_assert(sizeof(struct iret_context) == 72, "iret_context size");
_Static_assert(offsetof(struct iret_context, flags) == 24, "iret_context.flags");
_Static_assert(offsetof(struct iret_context, rip) == 32, "iret_context.rip");
_Static_assert(offsetof(struct iret_context, ss) == 64, "iret_context.ss");
_Static_assert(sizeof(struct xennmi_callback) == 16, "xennmi_callback size");

#endif /* PUBLIC_CALLBACK_H */
