/*
 * Domains and their vCPUs (domain.c).
 *
 * A domain owns a set of machine frames, recorded in its frame list as they
 * are allocated and marked with its id as owner in the frame table: its RAM
 * (pfn order, the p2m) and its shared_info page. Tearing a domain down drops
 * its CR3 references and pins (which releases every page-table reference),
 * then returns every frame on the list whose counts reached zero; a frame
 * still referenced is reported as a leak and kept out of the allocator.
 * One vCPU per domain for now.
 */
#ifndef DOMAIN_H
#define DOMAIN_H

#include "console_budget.h"
#include "evtchn.h"
#include "frame_list.h"
#include "lib.h"
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

struct vcpu {
    struct domain *domain;
    unsigned int id;
    struct cpu_regs regs;       /* guest registers while not running */
    uint64_t cr3;               /* machine address of the guest kernel's L4 (holds
                                   an L4 type reference), 0 = none */
    uint64_t user_cr3;          /* L4 for guest user mode (NEW_USER_BASEPTR), 0 = none */
    bool kernel_mode;           /* guest kernel (true) or guest user */
    struct trap_info traps[NR_TRAP_VECTORS];  /* the virtual IDT; address 0 = none */
    bool continuation;          /* the running hypercall asked to be restarted */
    uint64_t continuation_args[5];

    /* Trap virtualization (traps_guest.c, callbacks.c, iret.c). */
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

    /* Scheduling and time (sched.c, timer.c). */
    enum vcpu_run_state run_state;
    uint64_t runtime_ns;                      /* CPU time used */
    uint64_t state_entry_ns;                  /* when run_state was entered */
    uint64_t state_time_ns[4];                /* per RUNSTATE_* */
    uint64_t slice_start_ns;
    uint64_t singleshot_ns;                   /* absolute; 0: not armed */
    uint64_t periodic_ns, periodic_next_ns;   /* period 0: stopped */
    uint64_t poll_deadline_ns;                /* SCHEDOP_poll timeout; 0: none */
    uint32_t poll_ports[SCHED_POLL_MAX];
    unsigned int nr_poll_ports;

    /* CPU state kept while another vCPU runs (context.c). */
    uint64_t fs_base, gs_base, gs_shadow;
    uint16_t sel_ds, sel_es, sel_fs, sel_gs;
    uint8_t fpu[512] __attribute__((aligned(16)));   /* FXSAVE image */
};

struct domain {
    domid_t id;
    char name[DOMAIN_NAME_LEN];
    bool privileged;
    enum domain_state state;
    unsigned int shutdown_reason;     /* SHUTDOWN_*, valid once shut down */
    bool has_shutdown_code;           /* SCHEDOP_shutdown_code was given */
    unsigned int shutdown_code;
    char crash_reason[128];

    uint64_t nr_pages;                /* RAM pages (the p2m's length) */
    uint64_t max_pages;
    uint64_t *p2m;                    /* hypervisor's copy: pfn -> mfn */
    struct frame_list frames;         /* every frame the domain holds */
    uint64_t shared_info_mfn;
    struct shared_info *shared_info;  /* the same page, through the direct map */
    uint64_t vm_assist;               /* VMASST_TYPE_* bits enabled */

    bool paused;                      /* by the control domain */
    bool polling;                     /* vcpu0 blocked in SCHEDOP_poll */
    struct evtchn_domain evtchn;      /* ports (evtchn.h) */

    char console_line[256];           /* console_io output waiting for '\n' */
    size_t console_len;

    struct vcpu vcpu0;

    uint32_t pci_cf8;                 /* PCI CONFIG_ADDRESS latch (guest_io.c) */
    struct console_budget console_budget;  /* console_io output, unprivileged only */
};

/* The domain whose vCPU the CPU is running (NULL: the idle loop). */
extern struct domain *current_domain;

#define MAX_DOMAINS 16
/* Every domain that exists, by slot (NULL: free). */
extern struct domain *domains[MAX_DOMAINS];
struct domain *domain_by_id(domid_t id);

struct domain *domain_create(domid_t id, const char *name, bool privileged);
/* Allocate one frame for d and record it; its mfn, or -ENOMEM. */
int64_t domain_alloc_frame(struct domain *d);
/* 2^order fresh zeroed frames for d below machine frame limit, aligned:
 * the first mfn, or -ENOMEM. */
int64_t domain_alloc_extent(struct domain *d, unsigned int order, uint64_t limit);
/* Give one of d's frames back: -EINVAL if not d's, -EBUSY while referenced. */
int domain_free_frame(struct domain *d, uint64_t mfn);
/* Drop v's GDT pages (descriptors.c); clear the guest part of the CPU's GDT
 * only if it holds v's descriptors. */
void vcpu_release_gdt(struct vcpu *v);
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
