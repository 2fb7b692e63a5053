/*
 * The numbers the assembly fast paths (iret_fast.S) use for C structures:
 * struct vcpu and struct domain (domain.h), the event channel state
 * (evtchn.h), struct vcpu_info and struct iret_context (include/public).
 * Plain defines, so assembly can include this; guest_entry.c checks every
 * one against the C layout with _Static_assert, so a changed struct stops
 * the build instead of making a fast path read the wrong field.
 */
#ifndef ASM_FAST_OFFSETS_H
#define ASM_FAST_OFFSETS_H

/* struct cpu_regs (asm/regs.h has the others) */
#define REGS_R11          0x30
#define REGS_RAX          0x50
#define REGS_RCX          0x58
#define REGS_RDX          0x60
#define REGS_RSI          0x68
#define REGS_RDI          0x70
#define REGS_RFLAGS       0x98
#define REGS_RSP          0xa0
#define REGS_SS           0xa8

/* struct vcpu */
#define V_DOMAIN          0       /* struct domain * */
#define V_ID              8       /* unsigned int */
#define V_CR3             192     /* uint64_t, the kernel L4 */
#define V_TRAPS           216     /* struct trap_info traps[256] */
#define TI_SHIFT          4       /* sizeof(struct trap_info) == 1 << TI_SHIFT */
#define TI_FLAGS          1       /* uint8_t, TI_IF */
#define TI_ADDRESS        8       /* uint64_t, 0 = no handler */
#define TI_IF_FLAG        4       /* TI_IF */
#define V_USER_CR3        200     /* uint64_t, 0 = none */
#define V_KERNEL_MODE     208     /* bool */
#define V_KERNEL_SP       4376    /* uint64_t, stack_switch */
#define V_CB_EVENT        4384    /* cb_event.address */
#define V_VIRT_CR2        4488    /* uint64_t */
#define V_CB_SYSCALL      4416    /* cb_syscall.address */
#define V_CB_SYSCALL_FLAGS 4424   /* cb_syscall.flags, uint16_t */
#define V_BOUNCE_DEPTH    4684    /* unsigned int */
#define V_LAST_BOUNCE_RSP 4688    /* uint64_t */
#define V_GDT_SELS        4696    /* uint32_t, bounce.h's GDT_SELS_PAIR or 0 */
#define V_CONTINUATION    4312    /* bool, hypercall_continue */
#define V_SYSCALL_FRAME   5920    /* uint64_t, bounce_syscall_frame(kernel_sp) */
#define V_VCPU_INFO       5928    /* struct vcpu_info *, evtchn_vcpu_info's */

/* struct domain */
#define D_VM_ASSIST       272     /* uint64_t */
#define D_SHARED          344     /* evtchn.shared: struct shared_info * */
#define D_VCPU_INFO       352     /* evtchn.vcpu_info[]: struct vcpu_info * each */

/* struct vcpu_info (shared_info.vcpu_info[] starts at offset 0) */
#define VI_SHIFT          6       /* sizeof(struct vcpu_info) == 1 << VI_SHIFT */
#define VI_PENDING        0       /* evtchn_upcall_pending, a byte */
#define VI_MASK           1       /* evtchn_upcall_mask, a byte */
#define VI_CR2            16      /* arch.cr2 */

/* struct iret_context, at the guest's rsp when it calls the iret hypercall */
#define IC_RAX            0
#define IC_R11            8
#define IC_RCX            16
#define IC_FLAGS          24
#define IC_RIP            32
#define IC_CS             40
#define IC_RFLAGS         48
#define IC_RSP            56
#define IC_SS             64
#define IC_SIZE           72

/* The RFLAGS bits an iret frame may set (bounce.c's GUEST_RFLAGS: CF PF
 * AF ZF SF TF DF OF AC ID; never IOPL, NT, VM, RF), and what is forced. */
#define IRET_GUEST_RFLAGS 0x240dd5
#define IRET_FORCED_RFLAGS 0x202  /* IF and the reserved bit 1 */
#define IRET_IF_BIT       9
#define IRET_IN_SYSCALL   0x100   /* VGCF_in_syscall */
#define IRET_VMASST_IOPL  4       /* VMASST_TYPE_architectural_iopl */
#define IRET_HYPERCALL_NR 23      /* __HYPERVISOR_iret */
#define HC_TABLE_SIZE     64      /* NR_HYPERCALLS: hypercall_table's entries */
#define IRET_KERNEL_CS    0xe030  /* FLAT_RING3_CS64, RPL cleared */
#define IRET_KERNEL_SS    0xe028  /* FLAT_RING3_SS64, RPL cleared */
#define IRET_FLAT_SELS    0xe028e031 /* GDT_SELS_PAIR(FLAT_RING3_CS64, FLAT_RING3_SS64) */
#define IRET_SELS_VALID   1       /* GDT_SELS_VALID */

/* The user-syscall bounce (bounce_fast.S). */
#define BOUNCE_MAX_DEPTH  1024    /* guest_traps.c's MAX_BOUNCE_DEPTH */
#define BOUNCE_SYSCALL_WORDS 7    /* RCX, R11, RIP, CS, RFLAGS, RSP, SS */
#define BOUNCE_MASK_EVENTS 1      /* CALLBACKF_mask_events */
/* bounce_direct's how (bounce_direct.S). */
#define BOUNCE_HOW_MASK   1       /* mask events */
#define BOUNCE_HOW_ERROR  2       /* an error code in the frame */
#define BOUNCE_HOW_USER   4       /* (its own) from guest user mode */
/* handler_rflags: TF NT RF VM AC and IOPL cleared, IF and bit 1 set. */
#define BOUNCE_HANDLER_CLEAR 0x77100   /* TF 8, IOPL 12-13, NT 14, RF 16, VM 17, AC 18 */
#define BOUNCE_FRAME_CLEAR   0x3200    /* the frame's RFLAGS: IF and IOPL replaced */

/* A #PF error code ptwr.c may emulate (fault_is_candidate): of P, W,
 * RSVD and FETCH, exactly P and W. */
#define PF_PTWR_BITS      0x1b
#define PF_PTWR_CANDIDATE 0x3
#define PF_USER_BIT       4

/* ud2 'x' 'e' 'n' cpuid, the forced-emulation prefix (emulate.c). */
#define FORCED_CPUID_BYTES_7 0x00a20f6e65780b0f

#endif /* ASM_FAST_OFFSETS_H */
