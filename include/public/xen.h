/*
 * Tern guest ABI: the core of Xen's 64-bit PV interface (x86-64 only).
 *
 * Permission is granted, free of charge, to use, copy, modify and distribute
 * this header for any purpose (MIT licence). Written for Tern from the
 * documented facts of Xen's public ABI (xen/include/public/xen.h and
 * arch-x86/xen*.h); the layouts are pinned below against the verified values
 * in the project's ABI facts file (shared/docs/xen-pv-abi.md).
 *
 * This header is the same for every includer: the hypervisor, the bundled
 * guest and the tests. Guest pointers inside shared records are plain
 * uint64_t guest virtual addresses ("guest handles"); the hypervisor never
 * dereferences them directly, it copies through its checked interface.
 *
 * Contents: basic types, hypercall numbers and calling convention, the
 * operations without a header of their own (console_io, vm_assist,
 * multicall, set_trap_table, update_va_mapping flags), segment selectors,
 * the virtual address layout, domain ids, start_info, shared_info.
 */
#ifndef PUBLIC_XEN_H
#define PUBLIC_XEN_H

#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------------------
 * Basic types
 * ------------------------------------------------------------------------ */

typedef uint16_t domid_t;        /* a domain id; see DOMID_* below */
typedef uint32_t evtchn_port_t;  /* an event-channel port number */

/* ------------------------------------------------------------------------
 * Hypercall numbers
 *
 * CALLING CONVENTION (guest kernel mode, 64-bit):
 *  1. The builder fills the page named by the XEN_ELFNOTE_HYPERCALL_PAGE note
 *     with one 32-byte stub per number 0..127; the stub for hypercall n is at
 *     page + n * 32. Bytes of the page not used by a stub are 0xCC (int3).
 *  2. Every stub except __HYPERVISOR_iret is
 *        push %rcx; push %r11; mov $n,%eax; syscall; pop %r11; pop %rcx; ret
 *     so rcx and r11 survive the call.
 *  3. The guest calls `page + n*32` with arguments 1..5 in
 *     rdi, rsi, rdx, r10, r8. The result comes back in rax: 0 or a
 *     non-negative value on success, -XEN_Exxx (public/errno.h) on failure.
 *  4. Registers other than rax are preserved, EXCEPT that the argument
 *     registers a hypercall uses may be overwritten (Xen debug builds fill
 *     them with 0xdeadbeefdeadf00d). Guests must treat them as clobbered.
 *  5. The __HYPERVISOR_iret stub (push %rcx; push %r11; push %rax;
 *     mov $23,%eax; syscall) never returns; guests jump to it.
 *  6. A `syscall` from guest kernel mode with any rax is a hypercall, also
 *     for numbers >= 128 that have no stub. Unknown or unimplemented
 *     numbers return -XEN_ENOSYS.
 *
 * Tier says when Tern implements the call; numbers with no name are unused
 * and return -XEN_ENOSYS.
 * ------------------------------------------------------------------------ */

#define __HYPERVISOR_set_trap_table                  0  /* tier 2; see below */
#define __HYPERVISOR_mmu_update                      1  /* tier 1 */
#define __HYPERVISOR_set_gdt                         2  /* tier 2 */
#define __HYPERVISOR_stack_switch                    3  /* tier 2 */
#define __HYPERVISOR_set_callbacks                   4  /* tier 2 */
#define __HYPERVISOR_fpu_taskswitch                  5  /* tier 2 */
#define __HYPERVISOR_sched_op_compat                 6  /* legacy (cmd, reason) */
#define __HYPERVISOR_platform_op                     7  /* privileged */
#define __HYPERVISOR_set_debugreg                    8  /* tier 2 */
#define __HYPERVISOR_get_debugreg                    9  /* tier 2 */
#define __HYPERVISOR_update_descriptor              10  /* tier 2 */
/*                                                  11     unused */
#define __HYPERVISOR_memory_op                      12  /* public/memory.h */
#define __HYPERVISOR_multicall                      13  /* tier 1 */
#define __HYPERVISOR_update_va_mapping              14  /* tier 1; UVMF_* below */
#define __HYPERVISOR_set_timer_op                   15  /* tier 3 */
#define __HYPERVISOR_event_channel_op_compat        16  /* legacy */
#define __HYPERVISOR_xen_version                    17  /* public/version.h */
#define __HYPERVISOR_console_io                     18  /* tier 0; see below */
#define __HYPERVISOR_physdev_op_compat              19  /* legacy */
#define __HYPERVISOR_grant_table_op                 20  /* tier 4 */
#define __HYPERVISOR_vm_assist                      21  /* see below */
#define __HYPERVISOR_update_va_mapping_otherdomain  22  /* privileged */
#define __HYPERVISOR_iret                           23  /* tier 2; jumped to */
#define __HYPERVISOR_vcpu_op                        24  /* tier 3 */
#define __HYPERVISOR_set_segment_base               25  /* tier 2 */
#define __HYPERVISOR_mmuext_op                      26  /* tier 1 */
#define __HYPERVISOR_xsm_op                         27  /* not provided */
#define __HYPERVISOR_nmi_op                         28  /* tier 2 */
#define __HYPERVISOR_sched_op                       29  /* public/sched.h */
#define __HYPERVISOR_callback_op                    30  /* tier 2 */
#define __HYPERVISOR_xenoprof_op                    31  /* not provided */
#define __HYPERVISOR_event_channel_op               32  /* tier 3 */
#define __HYPERVISOR_physdev_op                     33  /* later */
#define __HYPERVISOR_hvm_op                         34  /* HVM only */
#define __HYPERVISOR_sysctl                         35  /* control domain */
#define __HYPERVISOR_domctl                         36  /* control domain */
#define __HYPERVISOR_kexec_op                       37  /* not provided */
#define __HYPERVISOR_tmem_op                        38  /* removed from Xen */
#define __HYPERVISOR_argo_op                        39  /* not provided */
#define __HYPERVISOR_xenpmu_op                      40  /* -EOPNOTSUPP: vPMU off */
#define __HYPERVISOR_dm_op                          41  /* HVM device models */
#define __HYPERVISOR_hypfs_op                       42  /* not provided */
#define __HYPERVISOR_arch_0                         48  /* x86: machine check */
#define __HYPERVISOR_arch_1                         49
#define __HYPERVISOR_arch_2                         50
#define __HYPERVISOR_arch_3                         51
#define __HYPERVISOR_arch_4                         52
#define __HYPERVISOR_arch_5                         53
#define __HYPERVISOR_arch_6                         54
#define __HYPERVISOR_arch_7                         55

#define HYPERCALL_STUB_SIZE        32   /* bytes per stub in the hypercall page */
#define HYPERCALL_PAGE_STUBS      128   /* stubs 0..127 */

/* ------------------------------------------------------------------------
 * __HYPERVISOR_console_io (18)
 *
 *   long console_io(uint32_t cmd, uint32_t count, char *buf);
 *
 *   cmd    IN   CONSOLEIO_write or CONSOLEIO_read
 *   count  IN   number of bytes
 *   buf    IN   write: guest VA of the bytes to print
 *          OUT  read: guest VA of a buffer for at least count bytes
 *
 * NOTES:
 *  1. write prints count bytes on the hypervisor console and returns 0.
 *     count 0 prints nothing and returns 0.
 *  2. read copies up to count bytes of pending hypervisor-console input and
 *     returns how many were copied (0 when none is pending or count is 0).
 *     Xen touches buf only for bytes it copies: with nothing pending, a read
 *     into a bad buf returns 0 (observed on Xen 4.17); refusing the bad buf
 *     with -XEN_EFAULT instead is also within this specification.
 *  3. Real Xen lets only the hardware domain (or a debug build) use
 *     console_io; other domains get -XEN_EPERM and must use the PV console
 *     ring. Xen prints a non-hardware domain's output a line at a time with
 *     a "(dN) " prefix and only printable characters.
 *
 * ERRORS: -XEN_EFAULT  buf (or part of it) is not readable/writable guest
 *                      memory;
 *         -XEN_ENOSYS  unknown cmd;
 *         -XEN_EPERM   this domain may not use the hypervisor console.
 * ------------------------------------------------------------------------ */

#define CONSOLEIO_write   0
#define CONSOLEIO_read    1

/* ------------------------------------------------------------------------
 * __HYPERVISOR_vm_assist (21)
 *
 *   long vm_assist(uint32_t cmd, uint32_t type);
 *
 *   cmd   IN  VMASST_CMD_enable or VMASST_CMD_disable
 *   type  IN  one VMASST_TYPE_* below
 *
 * NOTES:
 *  1. Turns an optional hypervisor assist on or off for the calling domain;
 *     none is on at boot. Returns 0.
 *  2. The types valid for a 64-bit PV guest are 0-5 and 32: 4gb_segments,
 *     4gb_segments_notify, writable_pagetables, pae_extended_cr3,
 *     architectural_iopl, runstate_update_flag and m2p_strict. Types 0, 1
 *     and 3 only mean something to 32-bit guests; a 64-bit guest may still
 *     enable and disable them (no effect), so old kernels keep working.
 *     (Observed on Xen 4.17.)
 *  3. The type is checked first: an unknown cmd with an invalid type gives
 *     -XEN_EINVAL, with a valid type -XEN_ENOSYS.
 *
 * ERRORS: -XEN_EINVAL  type not valid for this guest (any type >= 64);
 *         -XEN_ENOSYS  unknown cmd.
 * ------------------------------------------------------------------------ */

#define VMASST_CMD_enable                  0
#define VMASST_CMD_disable                 1

#define VMASST_TYPE_4gb_segments           0  /* 32-bit guests only */
#define VMASST_TYPE_4gb_segments_notify    1  /* 32-bit guests only */
#define VMASST_TYPE_writable_pagetables    2  /* L1 writes are emulated as mmu_update */
#define VMASST_TYPE_pae_extended_cr3       3  /* 32-bit PAE guests only */
#define VMASST_TYPE_architectural_iopl     4  /* virtual IOPL from iret frames */
#define VMASST_TYPE_runstate_update_flag   5  /* XEN_RUNSTATE_UPDATE in runstate area */
#define VMASST_TYPE_m2p_strict            32  /* no RO M2P in user-mode L4s */

/* ------------------------------------------------------------------------
 * __HYPERVISOR_set_trap_table (0): the guest's virtual IDT
 *
 *   long set_trap_table(const struct trap_info *traps);
 *
 *   traps  IN  guest VA of an array of struct trap_info, ended by the first
 *              entry whose address is 0; or 0 (NULL)
 *
 * NOTES:
 *  1. Each entry before the terminator replaces the handler of its vector;
 *     vectors not listed keep their previous handler (the table is merged).
 *  2. traps == 0 clears the whole table: no vector has a handler.
 *  3. A code selector whose RPL is below 3 is raised to 3.
 *  4. A fault on a vector without a handler crashes the domain.
 *  5. flags bits 0-1 (TI_DPL_MASK): the DPL checked for a software `int n`
 *     (0: nobody, 1-2: guest kernel, 3: anybody). Vectors 3 (int3) and 4
 *     (into) always reach their handler.
 *  6. flags bit 2 (TI_IF): mask events (set vcpu_info.evtchn_upcall_mask)
 *     when the handler is entered.
 *
 * ERRORS: -XEN_EFAULT  an entry could not be read;
 *         -XEN_EINVAL  an address is not canonical.
 * ------------------------------------------------------------------------ */

#define TI_DPL_MASK  0x03
#define TI_IF        0x04

struct trap_info {
    uint8_t  vector;    /* IN: exception/interrupt vector, 0..255 */
    uint8_t  flags;     /* IN: TI_DPL_MASK | TI_IF */
    uint16_t cs;        /* IN: code selector of the handler (FLAT_KERNEL_CS) */
    uint32_t pad;
    uint64_t address;   /* IN: handler VA; 0 ends the array */
};

/* ------------------------------------------------------------------------
 * __HYPERVISOR_multicall (13): several hypercalls in one
 *
 *   long multicall(struct multicall_entry *calls, uint32_t nr_calls);
 *
 *   calls     IN/OUT  guest VA of an array of nr_calls entries
 *   nr_calls  IN      number of entries (an unsigned int: the upper half
 *                     of the register is ignored)
 *
 * NOTES:
 *  1. The entries run in order, each exactly as if the guest had made the
 *     hypercall `op` with args[0..4] in rdi, rsi, rdx, r10, r8 (args[5] is
 *     unused by every 64-bit PV hypercall). Each one's return value is
 *     written to its `result` field; an entry that fails does not stop the
 *     batch. An op with no hypercall gets -XEN_ENOSYS in its result.
 *  2. The multicall itself returns 0 when every entry ran. The guest must
 *     read only the `result` fields afterwards: op and args may have been
 *     rewritten (see 4).
 *  3. A multicall inside a multicall is refused: that entry's result is
 *     -XEN_EINVAL, and the outer batch goes on.
 *  4. A long batch is continued like any long hypercall: the guest finds
 *     itself back at its syscall with calls advanced and nr_calls reduced
 *     by the entries done (an event may be delivered there first). An
 *     entry that is itself continued is rewritten in the array with its
 *     continuation's arguments, and the batch continues at that entry.
 *     Something else that must run first (the vCPU blocked or yielded, the
 *     domain shut down or crashed, an event to deliver) also ends the step
 *     before the next entry.
 *  5. An iret entry ends the batch (XSA-213): the entries after it do not
 *     run, the iret's entry gets the rax of the iret frame as its result,
 *     and the guest resumes where the frame says with rax = that value's
 *     low 32 bits, sign-extended (Xen 4.17 returns it through an int).
 *  6. calls is checked before any entry is read: an address outside the
 *     guest's part of the address space gives -XEN_EFAULT even for 0
 *     entries; then each entry is read just before it runs, so the entries
 *     before an unreadable one have run.
 *
 * ERRORS: -XEN_EINVAL  called from inside a multicall;
 *         -XEN_EFAULT  calls is not a guest address, or an entry cannot be
 *                      read, or its result cannot be written (the entries
 *                      before it have run, and this one if only its result
 *                      could not be written).
 * ------------------------------------------------------------------------ */

struct multicall_entry {
    uint64_t op;        /* IN: hypercall number */
    uint64_t result;    /* OUT: the hypercall's return value */
    uint64_t args[6];   /* IN: its arguments (rewritten by a continuation) */
};

/* ------------------------------------------------------------------------
 * __HYPERVISOR_update_va_mapping (14), tier 1: flags argument
 *
 *   long update_va_mapping(uint64_t va, uint64_t new_pte, uint64_t flags);
 *
 * Replaces the L1 entry mapping va in the current page tables (validated as
 * by mmu_update), then flushes as flags say: bits 0-1 are the flush type,
 * the rest selects the vCPUs (UVMF_LOCAL, UVMF_ALL, or a guest VA of a vCPU
 * bitmap). Errors: -XEN_EINVAL (no L1 maps va, or new_pte is refused),
 * -XEN_ENOMEM/-XEN_EFAULT on a bad bitmap.
 * ------------------------------------------------------------------------ */

#define UVMF_NONE            0  /* no flush */
#define UVMF_TLB_FLUSH       1  /* flush whole TLBs */
#define UVMF_INVLPG          2  /* flush only va */
#define UVMF_FLUSHTYPE_MASK  3
#define UVMF_LOCAL           0  /* only the calling vCPU */
#define UVMF_MULTI           0  /* bits 2+ are a guest VA of a vCPU bitmap */
#define UVMF_ALL             4  /* all vCPUs of the domain */

/* ------------------------------------------------------------------------
 * Segment selectors for 64-bit PV guests
 *
 * Guest kernel and guest user both run at CPL 3 and use the same selectors,
 * which live in the hypervisor's reserved GDT page (GDT entries from
 * FIRST_RESERVED_GDT_ENTRY on). A guest GDT may have at most
 * FIRST_RESERVED_GDT_ENTRY entries.
 * ------------------------------------------------------------------------ */

#define FLAT_RING3_CS32   0xe023  /* 32-bit code, DPL 3 */
#define FLAT_RING3_CS64   0xe033  /* 64-bit code, DPL 3 */
#define FLAT_RING3_DS32   0xe02b  /* flat data, DPL 3 */
#define FLAT_RING3_DS64   0x0000  /* null selector */
#define FLAT_RING3_SS32   0xe02b
#define FLAT_RING3_SS64   0xe02b

#define FLAT_KERNEL_CS64  FLAT_RING3_CS64
#define FLAT_KERNEL_DS64  FLAT_RING3_DS64
#define FLAT_KERNEL_SS64  FLAT_RING3_SS64
#define FLAT_KERNEL_CS32  FLAT_RING3_CS32
#define FLAT_KERNEL_DS32  FLAT_RING3_DS32
#define FLAT_KERNEL_SS32  FLAT_RING3_SS32
#define FLAT_KERNEL_CS    FLAT_KERNEL_CS64
#define FLAT_KERNEL_DS    FLAT_KERNEL_DS64
#define FLAT_KERNEL_SS    FLAT_KERNEL_SS64

#define FLAT_USER_CS64    FLAT_RING3_CS64
#define FLAT_USER_DS64    FLAT_RING3_DS64
#define FLAT_USER_SS64    FLAT_RING3_SS64
#define FLAT_USER_CS32    FLAT_RING3_CS32
#define FLAT_USER_DS32    FLAT_RING3_DS32
#define FLAT_USER_SS32    FLAT_RING3_SS32
#define FLAT_USER_CS      FLAT_USER_CS64
#define FLAT_USER_DS      FLAT_USER_DS64
#define FLAT_USER_SS      FLAT_USER_SS64

#define FIRST_RESERVED_GDT_PAGE   14
#define FIRST_RESERVED_GDT_BYTE   (FIRST_RESERVED_GDT_PAGE * 4096)
#define FIRST_RESERVED_GDT_ENTRY  (FIRST_RESERVED_GDT_BYTE / 8)

/* ------------------------------------------------------------------------
 * Virtual address layout of a 64-bit PV domain
 *
 *  0x0000000000000000 - 0x00007fffffffffff  guest (L4 slots 0-255)
 *  0xffff800000000000 - 0xffff87ffffffffff  hypervisor (L4 slots 256-271)
 *  0xffff880000000000 - 0xffffffffffffffff  guest (L4 slots 272-511)
 *
 * Inside the hypervisor range the guest may only read the machine-to-phys
 * table: machine_to_phys[mfn] = pfn, 8-byte entries, ~0 = invalid.
 * ------------------------------------------------------------------------ */

#define HYPERVISOR_VIRT_START  0xffff800000000000ULL
#define HYPERVISOR_VIRT_END    0xffff880000000000ULL
#define MACH2PHYS_VIRT_START   0xffff800000000000ULL
#define MACH2PHYS_VIRT_END     0xffff804000000000ULL
#define MACH2PHYS_NR_ENTRIES   ((MACH2PHYS_VIRT_END - MACH2PHYS_VIRT_START) >> 3)

/* ------------------------------------------------------------------------
 * Domain ids
 * ------------------------------------------------------------------------ */

#define DOMID_FIRST_RESERVED  0x7FF0U  /* ordinary ids are below this */
#define DOMID_SELF            0x7FF0U  /* the calling domain */
#define DOMID_IO              0x7FF1U  /* mmu_update foreigndom: I/O frames only */
#define DOMID_XEN             0x7FF2U  /* the hypervisor's own frames */
#define DOMID_COW             0x7FF3U  /* shared copy-on-write frames */
#define DOMID_INVALID         0x7FF4U  /* no domain */
#define DOMID_IDLE            0x7FFFU  /* the idle domain */
#define DOMID_MASK            0x7FFFU

/* ------------------------------------------------------------------------
 * start_info: the page whose VA the guest finds in rsi at entry
 *
 * Written by the domain builder before the guest starts; the guest only
 * reads it. Fields up to and including `console` are rewritten on resume,
 * the rest only at first boot. All pieces the builder places (image,
 * modules, p2m list, start_info, xenstore and console pages, bootstrap page
 * tables, boot stack) are mapped at VIRT_BASE + pfn * 4096.
 * ------------------------------------------------------------------------ */

#define START_INFO_MAGIC      "xen-3.0-x86_64"  /* content of start_info.magic */
#define MAX_GUEST_CMDLINE     1024

#define SIF_PRIVILEGED        (1U << 0)  /* the domain is privileged */
#define SIF_INITDOMAIN        (1U << 1)  /* the domain is the initial domain (dom0) */
#define SIF_MULTIBOOT_MOD     (1U << 2)  /* mod_start is a multiboot module list */
#define SIF_MOD_START_PFN     (1U << 3)  /* mod_start is a PFN, not a VA */
#define SIF_VIRT_P2M_4TOOLS   (1U << 4)  /* p2m published virtually for tools */
#define SIF_PM_MASK           (0xFFU << 8) /* power-management options; Xen's
                                              dom0 gets 0x300 here (Px | Cx) */

struct start_info {
    char     magic[32];          /* START_INFO_MAGIC, NUL padded */
    uint64_t nr_pages;           /* total pages of the domain */
    uint64_t shared_info;        /* MACHINE address of the shared_info page */
    uint32_t flags;              /* SIF_* */
    uint32_t pad0;
    uint64_t store_mfn;          /* MFN of the xenstore ring page */
    uint32_t store_evtchn;       /* event channel of the xenstore ring */
    uint32_t pad1;
    union {
        struct {
            uint64_t mfn;        /* MFN of the console ring page */
            uint32_t evtchn;     /* event channel of the console ring */
            uint32_t pad;
        } domU;
        struct {
            uint32_t info_off;   /* offset of the VGA console info in this page */
            uint32_t info_size;  /* its size */
        } dom0;
    } console;
    /* Written at first boot only. */
    uint64_t pt_base;            /* VA of the bootstrap L4 page table */
    uint64_t nr_pt_frames;       /* number of bootstrap page-table frames */
    uint64_t mfn_list;           /* VA of the p2m list: mfn_list[pfn] = mfn */
    uint64_t mod_start;          /* VA (or PFN, SIF_MOD_START_PFN) of the module */
    uint64_t mod_len;            /* module size in bytes */
    char     cmd_line[MAX_GUEST_CMDLINE]; /* NUL-terminated command line */
    uint64_t first_p2m_pfn;      /* first pfn of a separately placed p2m */
    uint64_t nr_p2m_frames;      /* frames of that p2m */
};

/* ------------------------------------------------------------------------
 * shared_info: one page per domain, shared by hypervisor and guest
 *
 * The guest maps it itself from the machine address start_info.shared_info.
 * The struct may grow within the page; nothing else may live in the page.
 * ------------------------------------------------------------------------ */

#define XEN_LEGACY_MAX_VCPUS  32

/* Per-vCPU time record. Written by the hypervisor; the guest reads it with
 * the version protocol: read version (retry while odd), copy the fields,
 * re-read version and retry if it changed. System time now in ns =
 * system_time + (((tsc - tsc_timestamp) shifted by tsc_shift) *
 * tsc_to_system_mul >> 32). */
#define XEN_PVCLOCK_TSC_STABLE_BIT  (1U << 0)
#define XEN_PVCLOCK_GUEST_STOPPED   (1U << 1)

struct vcpu_time_info {
    uint32_t version;            /* odd while the hypervisor updates */
    uint32_t pad0;
    uint64_t tsc_timestamp;      /* TSC at the last update */
    uint64_t system_time;        /* ns since hypervisor boot at that TSC */
    uint32_t tsc_to_system_mul;  /* 32.32 fixed-point ns per (shifted) tick */
    int8_t   tsc_shift;          /* shift applied to the TSC delta first */
    uint8_t  flags;              /* XEN_PVCLOCK_* */
    uint8_t  pad1[2];
};

/* x86-specific part of vcpu_info. */
struct arch_vcpu_info {
    uint64_t cr2;                /* hypervisor: fault address, before a #PF bounce */
    uint64_t pad;
};

struct vcpu_info {
    /* Hypervisor sets when an event is pending for this vCPU; guest clears. */
    uint8_t  evtchn_upcall_pending;
    /* Guest's virtual interrupt flag: 1 = events masked. The hypervisor sets
     * it on upcall and on entry to TI_IF handlers; iret restores it. */
    uint8_t  evtchn_upcall_mask;
    uint8_t  pad0[6];
    /* Bit i: word i of shared_info.evtchn_pending may hold unmasked pending
     * ports. Hypervisor sets, guest clears atomically. */
    uint64_t evtchn_pending_sel;
    struct arch_vcpu_info arch;
    struct vcpu_time_info time;  /* hypervisor-written */
};

/* x86-specific part of shared_info; written by the guest (for tools and
 * save/restore), read by the hypervisor only when asked. */
struct arch_shared_info {
    uint64_t max_pfn;                     /* guest: highest pfn + 1 of its p2m */
    uint64_t pfn_to_mfn_frame_list_list;  /* guest: MFN of the 3-level p2m list */
    uint64_t nmi_reason;                  /* hypervisor: NMI reason bits */
    uint64_t p2m_cr3;                     /* guest: CR3 of a virtual p2m (0 = none) */
    uint64_t p2m_vaddr;                   /* guest: VA of a virtual p2m */
    uint64_t p2m_generation;              /* guest: bumped on p2m changes */
};

struct shared_info {
    struct vcpu_info vcpu_info[XEN_LEGACY_MAX_VCPUS];
    /* Event ports, 2-level ABI: bit p of the 64 words = port p.
     * Pending: hypervisor sets, guest clears. Mask: owned by the guest. */
    uint64_t evtchn_pending[64];
    uint64_t evtchn_mask[64];
    /* Wall-clock time at system time 0; version protocol as above.
     * Written by the hypervisor. */
    uint32_t wc_version;
    uint32_t wc_sec;
    uint32_t wc_nsec;
    uint32_t wc_sec_hi;
    struct arch_shared_info arch;
};

/* ------------------------------------------------------------------------
 * Layout pins (verified values from the ABI facts file)
 * ------------------------------------------------------------------------ */

_Static_assert(sizeof(struct trap_info) == 16, "trap_info size");
_Static_assert(offsetof(struct trap_info, vector) == 0, "trap_info.vector");
_Static_assert(offsetof(struct trap_info, flags) == 1, "trap_info.flags");
_Static_assert(offsetof(struct trap_info, cs) == 2, "trap_info.cs");
_Static_assert(offsetof(struct trap_info, address) == 8, "trap_info.address");

_Static_assert(sizeof(struct multicall_entry) == 64, "multicall_entry size");
_Static_assert(offsetof(struct multicall_entry, op) == 0, "multicall_entry.op");
_Static_assert(offsetof(struct multicall_entry, result) == 8, "multicall_entry.result");
_Static_assert(offsetof(struct multicall_entry, args) == 16, "multicall_entry.args");

_Static_assert(sizeof(struct start_info) == 1168, "start_info size");
_Static_assert(offsetof(struct start_info, magic) == 0x000, "start_info.magic");
_Static_assert(offsetof(struct start_info, nr_pages) == 0x020, "start_info.nr_pages");
_Static_assert(offsetof(struct start_info, shared_info) == 0x028, "start_info.shared_info");
_Static_assert(offsetof(struct start_info, flags) == 0x030, "start_info.flags");
_Static_assert(offsetof(struct start_info, store_mfn) == 0x038, "start_info.store_mfn");
_Static_assert(offsetof(struct start_info, store_evtchn) == 0x040, "start_info.store_evtchn");
_Static_assert(offsetof(struct start_info, console.domU.mfn) == 0x048, "start_info.console.domU.mfn");
_Static_assert(offsetof(struct start_info, console.domU.evtchn) == 0x050, "start_info.console.domU.evtchn");
_Static_assert(offsetof(struct start_info, console.dom0.info_off) == 0x048, "start_info.console.dom0.info_off");
_Static_assert(offsetof(struct start_info, console.dom0.info_size) == 0x04c, "start_info.console.dom0.info_size");
_Static_assert(offsetof(struct start_info, pt_base) == 0x058, "start_info.pt_base");
_Static_assert(offsetof(struct start_info, nr_pt_frames) == 0x060, "start_info.nr_pt_frames");
_Static_assert(offsetof(struct start_info, mfn_list) == 0x068, "start_info.mfn_list");
_Static_assert(offsetof(struct start_info, mod_start) == 0x070, "start_info.mod_start");
_Static_assert(offsetof(struct start_info, mod_len) == 0x078, "start_info.mod_len");
_Static_assert(offsetof(struct start_info, cmd_line) == 0x080, "start_info.cmd_line");
_Static_assert(offsetof(struct start_info, first_p2m_pfn) == 0x480, "start_info.first_p2m_pfn");
_Static_assert(offsetof(struct start_info, nr_p2m_frames) == 0x488, "start_info.nr_p2m_frames");

_Static_assert(sizeof(struct vcpu_time_info) == 32, "vcpu_time_info size");
_Static_assert(offsetof(struct vcpu_time_info, version) == 0, "vcpu_time_info.version");
_Static_assert(offsetof(struct vcpu_time_info, tsc_timestamp) == 8, "vcpu_time_info.tsc_timestamp");
_Static_assert(offsetof(struct vcpu_time_info, system_time) == 16, "vcpu_time_info.system_time");
_Static_assert(offsetof(struct vcpu_time_info, tsc_to_system_mul) == 24, "vcpu_time_info.tsc_to_system_mul");
_Static_assert(offsetof(struct vcpu_time_info, tsc_shift) == 28, "vcpu_time_info.tsc_shift");
_Static_assert(offsetof(struct vcpu_time_info, flags) == 29, "vcpu_time_info.flags");

_Static_assert(sizeof(struct arch_vcpu_info) == 16, "arch_vcpu_info size");
_Static_assert(sizeof(struct vcpu_info) == 64, "vcpu_info size");
_Static_assert(offsetof(struct vcpu_info, evtchn_upcall_pending) == 0, "vcpu_info.evtchn_upcall_pending");
_Static_assert(offsetof(struct vcpu_info, evtchn_upcall_mask) == 1, "vcpu_info.evtchn_upcall_mask");
_Static_assert(offsetof(struct vcpu_info, evtchn_pending_sel) == 8, "vcpu_info.evtchn_pending_sel");
_Static_assert(offsetof(struct vcpu_info, arch.cr2) == 16, "vcpu_info.arch.cr2");
_Static_assert(offsetof(struct vcpu_info, arch.pad) == 24, "vcpu_info.arch.pad");
_Static_assert(offsetof(struct vcpu_info, time) == 32, "vcpu_info.time");

_Static_assert(sizeof(struct arch_shared_info) == 48, "arch_shared_info size");
_Static_assert(sizeof(struct shared_info) == 3136, "shared_info size");
_Static_assert(sizeof(struct shared_info) <= 4096, "shared_info fits its page");
_Static_assert(offsetof(struct shared_info, vcpu_info) == 0x000, "shared_info.vcpu_info");
_Static_assert(offsetof(struct shared_info, evtchn_pending) == 0x800, "shared_info.evtchn_pending");
_Static_assert(offsetof(struct shared_info, evtchn_mask) == 0xa00, "shared_info.evtchn_mask");
_Static_assert(offsetof(struct shared_info, wc_version) == 0xc00, "shared_info.wc_version");
_Static_assert(offsetof(struct shared_info, wc_sec) == 0xc04, "shared_info.wc_sec");
_Static_assert(offsetof(struct shared_info, wc_nsec) == 0xc08, "shared_info.wc_nsec");
_Static_assert(offsetof(struct shared_info, wc_sec_hi) == 0xc0c, "shared_info.wc_sec_hi");
_Static_assert(offsetof(struct shared_info, arch.max_pfn) == 0xc10, "shared_info.arch.max_pfn");
_Static_assert(offsetof(struct shared_info, arch.pfn_to_mfn_frame_list_list) == 0xc18,
               "shared_info.arch.pfn_to_mfn_frame_list_list");
_Static_assert(offsetof(struct shared_info, arch.nmi_reason) == 0xc20, "shared_info.arch.nmi_reason");
_Static_assert(offsetof(struct shared_info, arch.p2m_cr3) == 0xc28, "shared_info.arch.p2m_cr3");
_Static_assert(offsetof(struct shared_info, arch.p2m_vaddr) == 0xc30, "shared_info.arch.p2m_vaddr");
_Static_assert(offsetof(struct shared_info, arch.p2m_generation) == 0xc38, "shared_info.arch.p2m_generation");

_Static_assert(FIRST_RESERVED_GDT_BYTE == 0xe000, "first reserved GDT byte");
_Static_assert(FIRST_RESERVED_GDT_ENTRY == 7168, "first reserved GDT entry");
_Static_assert(MACH2PHYS_NR_ENTRIES == (1ULL << 35), "M2P entries");

#endif /* PUBLIC_XEN_H */
