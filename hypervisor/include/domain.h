/*
 * Domains and their vCPUs (domain.c).
 *
 * A domain owns a set of machine frames, recorded in its frame list as they
 * are allocated and marked with its id as owner in the frame table: its RAM
 * (pfn order, the p2m) and its shared_info page. Tearing a domain down drops
 * its CR3 references and pins (which releases every page-table reference),
 * then returns every frame on the list whose counts reached zero; a frame
 * still referenced is reported as a leak and kept out of the allocator.
 * Domains hold vCPUs (d->vcpu[], for_each_vcpu); one each for now.
 */
#ifndef DOMAIN_H
#define DOMAIN_H

#include "console_budget.h"
#include "evtchn.h"
#include "frame_list.h"
#include "gnttab.h"
#include "guest_memory.h"
#include "iocap.h"
#include "pirq.h"
#include "runq.h"
#include "timerq.h"
#include "lib.h"
#include "unimpl.h"
#include "vpit2.h"
#include <public/xen.h>
#include <asm/regs.h>

#define DOMAIN_NAME_LEN 32
#define NR_TRAP_VECTORS 256

enum domain_state {
    DOMAIN_BUILDING,            /* being constructed, not yet run */
    DOMAIN_RUNNING,             /* runnable */
    DOMAIN_SHUTDOWN,            /* asked to stop (reason in shutdown_reason) */
    DOMAIN_DEAD,                /* torn down: frames returned */
};

#define SCHED_POLL_MAX 128                /* SCHEDOP_poll's port limit, as Xen's */

enum vcpu_run_state {
    VCPU_RUNNING,               /* = RUNSTATE_running: on the CPU */
    VCPU_RUNNABLE,              /* = RUNSTATE_runnable: waiting for the CPU */
    VCPU_BLOCKED,               /* = RUNSTATE_blocked: SCHEDOP_block or poll */
    VCPU_OFFLINE,               /* = RUNSTATE_offline: paused or down */
};

/*
 * Who writes and who reads each mutable field. Today one CPU runs
 * everything with interrupts off outside the idle loop, so "written by X"
 * is the whole locking story; with several CPUs each line becomes the lock
 * (or the owner) that protects the field. "Own vCPU" means the vCPU's own
 * hypercalls and traps, which run on the CPU that runs it; "any" means
 * another domain's hypercall or an interrupt may touch it too.
 */
struct vcpu {
    /* Fixed at creation (domain_create). */
    struct domain *domain;
    unsigned int id;

    /* Guest state: written by the own vCPU's hypercalls and traps and by
     * sched.c/context.c at a switch; read by the same. */
    struct cpu_regs regs;       /* guest registers while not running */
    uint64_t cr3;               /* machine address of the guest kernel's L4 (holds
                                   an L4 type reference), 0 = none */
    uint64_t user_cr3;          /* L4 for guest user mode (NEW_USER_BASEPTR), 0 = none */
    bool kernel_mode;           /* guest kernel (true) or guest user */
    struct trap_info traps[NR_TRAP_VECTORS];  /* the virtual IDT; address 0 = none */
    bool continuation;          /* the running hypercall asked to be restarted */
    uint64_t continuation_args[5];
    bool in_multicall;          /* a multicall step runs (multicall.c) */

    /* Trap virtualization: written by the own vCPU (guest_traps.c,
     * callbacks.c, iret.c, emulate.c, descriptors.c); read by the same and
     * by context.c at a switch. */
    uint64_t kernel_ss, kernel_sp;            /* stack_switch */
    struct callback {
        uint64_t address;                     /* 0: none registered */
        uint16_t flags;                       /* CALLBACKF_mask_events */
    } cb_event, cb_failsafe, cb_syscall, cb_syscall32, cb_sysenter, cb_nmi;
    bool virt_ts;                             /* virtual CR0.TS (fpu_taskswitch) */
    uint64_t virt_cr2;                        /* last #PF address given to the guest */
    uint64_t dr[8];                           /* debug registers as the guest set them */
    unsigned int iopl;                        /* virtual IOPL (physdev set_iopl) */
    uint64_t gdt_frames[14];                  /* set_gdt: descriptor pages (typed) */
    unsigned int gdt_ents;
    unsigned int bounce_depth;                /* frames nested without unwinding */
    uint64_t last_bounce_rsp;
    uint32_t gdt_sels;                        /* a checked guest-GDT CS/SS pair, 0: none
                                                 (bounce.h; iret.c sets it, descriptors.c
                                                 forgets it, iret_fast.S reads it) */

    /* Scheduling: run_state written by sched.c (the own vCPU blocking or
     * polling, any domain's event waking it, the tick); read by sched.c,
     * domctl.c (any privileged domain) and vcpu_op's runstate. */
    enum vcpu_run_state run_state;
    struct runq_link rq;                      /* queued while RUNNABLE (sched.c) */
    bool polling;                             /* blocked in SCHEDOP_poll on poll_ports */
    uint64_t runtime_ns;                      /* CPU time used */
    uint64_t state_entry_ns;                  /* when run_state was entered */
    uint64_t state_time_ns[4];                /* per RUNSTATE_* */
    /* register_runstate_memory_area: written by the own vCPU (vcpu_op);
     * the area is rewritten by vcpu_op.c each time the vCPU is switched in. */
    uint64_t runstate_area_va;                /* a guest kernel address; 0: none */
    /* register_vcpu_info (vcpu_op.c): the frame now holding this vCPU's
     * vcpu_info (d->evtchn.vcpu_info[id] points into it), with a general
     * and a writable type reference held from registration to the
     * domain's teardown (page_types rule 8); 0: none (the first MiB is
     * never a domain's, so frame 0 never is). */
    uint64_t vcpu_info_mfn;
    uint64_t slice_start_ns;
    /* Timers: written by the own vCPU (vcpu_op, set_timer_op, poll) and by
     * timer.c at expiry (interrupt); read by timer.c. */
    uint64_t singleshot_ns;                   /* absolute; 0: not armed */
    uint64_t periodic_ns, periodic_next_ns;   /* period 0: stopped */
    uint64_t poll_deadline_ns;                /* SCHEDOP_poll timeout; 0: none */
    struct timerq_entry timer;                /* keyed by the earliest of the three */
    /* Written by the own vCPU's SCHEDOP_poll; read by any domain's event
     * send (sched.c's poll wake-up). */
    uint32_t poll_ports[SCHED_POLL_MAX];
    unsigned int nr_poll_ports;

    /* CPU state kept while another vCPU runs: written and read only by
     * context.c at a switch. */
    uint64_t fs_base, gs_base, gs_shadow;
    uint16_t sel_ds, sel_es, sel_fs, sel_gs;
    uint8_t fpu[512] __attribute__((aligned(16)));   /* FXSAVE image */

    /* bounce_syscall_frame(kernel_sp) while a syscall callback is
     * registered, else 0 (the C path's), kept with both by callbacks.c
     * (their one writer): bounce_fast.S's frame. */
    uint64_t syscall_frame;
    /* evtchn_vcpu_info(&domain->evtchn, id), for the assembly's exits: set
     * with each of its inputs, by domain_build (shared_info),
     * register_vcpu_info and relinquish_vcpu (the registered one). */
    struct vcpu_info *vcpu_info;
};

#define MAX_VCPUS 1                       /* per domain, for now */

struct domain {
    /* Fixed at creation (domain_create, domain_build). */
    domid_t id;
    char name[DOMAIN_NAME_LEN];
    bool privileged;
    struct vcpu *vcpu[MAX_VCPUS];     /* [0, nr_vcpus) exist */
    unsigned int nr_vcpus;
    uint64_t shared_info_mfn;
    struct shared_info *shared_info;  /* the same page, through the direct map;
                                         written by any (events, time), read by
                                         the guest */

    /* Life cycle: written by the own vCPU (SCHEDOP_shutdown, a crash) and
     * by a privileged domain (domctl); read by sched.c's reaper and
     * domctl. */
    enum domain_state state;
    unsigned int shutdown_reason;     /* SHUTDOWN_*, valid once shut down */
    bool has_shutdown_code;           /* SCHEDOP_shutdown_code was given */
    unsigned int shutdown_code;
    char crash_reason[128];
    bool paused;                      /* by the control domain */

    /* Memory: written by the own vCPU's memory_op (and the builder, and
     * the teardown); read by memory_op, domctl (any privileged domain). */
    uint64_t nr_pages;                /* RAM pages (the p2m's length) */
    uint64_t max_pages;
    uint64_t *p2m;                    /* hypervisor's copy: pfn -> mfn */
    struct frame_list owned_frames;         /* every frame the domain holds */
    uint64_t vm_assist;               /* VMASST_TYPE_* bits enabled */

    /* Grants: the table, written by the domain itself (its entries) and by
     * the hypervisor (status bits) for any mapper or copier; the maptrack,
     * written by the own vCPU's grant_table_op (gnttab.h). */
    struct grant_table gnttab;
    struct maptrack maptrack;

    /* Ports: written by the own vCPU and by any peer domain's
     * event_channel_op (bind, close, send); see evtchn.h. */
    struct evtchn_domain evtchn;

    /* Console output: written and read by the own vCPU's console_io, and
     * flushed at shutdown. */
    char console_line[256];           /* console_io output waiting for '\n' */
    size_t console_len;
    struct console_budget console_budget;  /* unprivileged domains only */

    /* Written and read by the own vCPU's port I/O emulation (guest_io.c). */
    uint32_t pci_cf8;                 /* PCI CONFIG_ADDRESS latch */
    uint8_t cmos_index;               /* CMOS/RTC index latch (port 0x70) */
    struct vpit2 vpit2;               /* PIT channel 2, port B (vpit2.h) */
    /* The ports and interrupt lines granted to the domain (iocap.h):
     * written by the builder (and the toolstack, later); read by the port
     * I/O emulation. */
    struct iocap *iocap;
    /* Its pirqs (pirq.h): written by physdev_op and bind_pirq of a
     * privileged domain's vCPU; read by the interrupt path. NULL: none. */
    struct pirq_table *pirqs;

    /* The console and xenstore ring pages and ports the builder gave an
     * unprivileged domain (its start_info), as it left them: written by
     * the builder, read by domctl. present false: none (privileged). */
    struct domain_rings {
        bool present;
        domid_t backend;                  /* both ports are offered to it */
        uint64_t store_mfn, console_mfn;
        evtchn_port_t store_port, console_port;
    } rings;
    /* Written and read by the own vCPU's refused hypercalls (unimpl.c):
     * the numbers the debug console has named for this domain. */
    struct unimpl_seen unimpl;
};

/* Each existing vCPU v of domain d, in id order. */
#define for_each_vcpu(d, v) \
    for (unsigned int vi_ = 0; vi_ < (d)->nr_vcpus && ((v) = (d)->vcpu[vi_], true); vi_++)

/* The vCPU the CPU is running (NULL: the idle loop); written only by
 * sched.c at a switch. */
extern struct vcpu *current_vcpu;

/* The domain of the running vCPU, or NULL. */
static inline struct domain *current_domain(void)
{
    return current_vcpu ? current_vcpu->domain : NULL;
}

#define MAX_DOMAINS 256                 /* ids 0..255; each slot is a pointer */
/* Every domain that exists, indexed by its id (NULL: none). */
extern struct domain *domains[MAX_DOMAINS];
struct domain *domain_by_id(domid_t id);

struct domain *domain_create(domid_t id, const char *name, bool privileged);
/* Allocate one frame for d and record it; its mfn, or -ENOMEM. */
int64_t domain_alloc_frame(struct domain *d);
/* n frames for d into mfns[] (not zeroed), as n domain_alloc_frame calls
 * would give them but a bitmap word at a time: 0, or -ENOMEM with none. */
int domain_alloc_frames(struct domain *d, uint64_t *mfns, uint64_t n);
/* 2^order fresh zeroed frames for d below machine frame limit, aligned:
 * the first mfn, or -ENOMEM. */
int64_t domain_alloc_extent(struct domain *d, unsigned int order, uint64_t limit);
/* Move an unreferenced RAM frame of from's to `to` (GNTTABOP_transfer):
 * frame lists, owner and reservations follow; 0 or -ENOMEM. */
int domain_give_frame(struct domain *from, struct domain *to, uint64_t mfn);
/* Give one of d's frames back: -EINVAL if not d's, -EBUSY while referenced. */
int domain_free_frame(struct domain *d, uint64_t mfn);
/* The frame table's questions (page_types.c rule 10): may mapper's L1s
 * map frame_owner's frames (only a privileged mapper's); and the last
 * reference to mfn went (an ended domain's frame kept for others'
 * mappings then returns to the allocator). */
bool domain_may_map_foreign(void *ctx, uint16_t mapper, uint16_t frame_owner);
void domain_frame_released(void *ctx, uint64_t mfn);
/* Rule 11: may mapper map I/O memory (only a privileged mapper)? */
bool domain_may_map_iomem(void *ctx, uint16_t mapper);

/* The guest address space of v's kernel, for copy_from_guest and friends. */
void vcpu_guest_space(const struct vcpu *v, struct guest_space *gs);
/* Drop v's GDT pages (descriptors.c); clear the guest part of the CPU's GDT
 * only if it holds v's descriptors. */
void vcpu_release_gdt(struct vcpu *v);
/* v's GDT pages, for the selector checks of bounce.c (struct guest_gdt). */
struct guest_gdt;
void vcpu_guest_gdt(const struct vcpu *v, struct guest_gdt *g);
/* iret.c took cs and ss against g, v's GDT: remember them if they are a
 * 64-bit code and a data selector of it (descriptors.c's invariant). */
void vcpu_gdt_sels_checked(struct vcpu *v, const struct guest_gdt *g, uint64_t cs,
                           uint64_t ss);
/* Put v's own descriptors (if any) into the CPU's GDT. */
void vcpu_load_gdt(const struct vcpu *v);
/* Free every frame d holds and d itself; returns the number freed. */
uint64_t domain_destroy(struct domain *d);

/* Stop d with a reason (SHUTDOWN_*): printed once, acted on by domain_reap. */
void domain_shutdown(struct domain *d, unsigned int reason);
/* Crash d alone with a one-line reason; the first reason is kept. */
void domain_crash(struct domain *d, const char *fmt, ...) __printf(2, 3);
/* Destroy a shut-down domain that no CPU runs, and say how many of its
 * frames went back to the allocator. Returns that number. */
uint64_t domain_reap(struct domain *d);

const char *shutdown_reason_name(unsigned int reason);
/* Debug key 'q'. */
void domain_dump_all(void);

#endif /* DOMAIN_H */
