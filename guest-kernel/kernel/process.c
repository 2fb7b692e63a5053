/*
 * Tern guest kernel: the process table, the cooperative scheduler and how
 * processes start, switch, die and are reaped (process.h).
 *
 * A switch (switch_to) saves the FPU/SSE state of the one leaving and
 * restores the next one's (the guest saves it itself: the hypervisor only
 * keeps the vCPU's), points the hypervisor at the next one's user L4
 * (NEW_USER_BASEPTR, 0 for process 0) and kernel stack (stack_switch),
 * and reloads the kernel L4 (NEW_BASEPTR): on Xen, user mappings are
 * global TLB entries and a kernel/user toggle does not flush them, but a
 * CR3 load does, so one process can never see another's pages through a
 * stale TLB entry. Then the kernel stacks are exchanged (entry.S).
 *
 * A new process's kernel stack is built to look like one that switched
 * out: switch_stacks "returns" into trap_return_via_iret with a struct
 * regs describing the program's first instruction in user mode.
 */
#include <public/errno.h>
#include "xen/hypercall.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "kernel/process.h"
#include "kernel/syscall_abi.h"

#define FXSAVE_FCW_INIT    0x037f
#define FXSAVE_MXCSR_INIT  0x1f80
#define FXSAVE_MXCSR_OFF   24

uint64_t ticks;

static struct process procs[NPROC];
static struct process *current = &procs[0];
static uint8_t kstacks[NPROC][KSTACK_SIZE] __attribute__((aligned(16)));
static int next_pid = 1;

void switch_stacks(uint64_t *save_sp, uint64_t new_sp);   /* entry.S */

struct process *process_current(void)
{
    return current;
}

struct process *process_by_pid(int pid)
{
    for (unsigned int i = 0; i < NPROC; i++)
        if (procs[i].state != PROC_FREE && procs[i].pid == pid)
            return &procs[i];
    return NULL;
}

static uint64_t kstack_top(const struct process *p)
{
    return (uint64_t)(uintptr_t)&kstacks[p - procs][KSTACK_SIZE];
}

static void fpu_init_image(uint8_t *img)
{
    memset(img, 0, 512);
    img[0] = FXSAVE_FCW_INIT & 0xff;
    img[1] = FXSAVE_FCW_INIT >> 8;
    img[FXSAVE_MXCSR_OFF] = FXSAVE_MXCSR_INIT & 0xff;
    img[FXSAVE_MXCSR_OFF + 1] = FXSAVE_MXCSR_INIT >> 8;
}

void process_init(void)
{
    memset(procs, 0, sizeof(procs));
    procs[0].pid = 0;
    procs[0].state = PROC_RUNNABLE;
    memcpy(procs[0].name, "kernel", 7);
    fpu_init_image(procs[0].fpu);
    current = &procs[0];
}

/* ---- switching ---------------------------------------------------------- */

/* Makes l4_mfn the user L4 (0: none) and reloads the kernel L4. */
static void load_user_l4(uint64_t l4_mfn)
{
    struct mmuext_op ops[2] = {
        { .cmd = MMUEXT_NEW_USER_BASEPTR, .arg1.mfn = l4_mfn },
        { .cmd = MMUEXT_NEW_BASEPTR, .arg1.mfn = as_current()->l4_mfn },
    };
    long rc = HYPERVISOR_mmuext_op(ops, 2, NULL, DOMID_SELF);

    if (rc)
        panic("mmuext_op(NEW_USER_BASEPTR %#lx, NEW_BASEPTR) = %ld", l4_mfn, rc);
}

static void switch_to(struct process *next)
{
    struct process *prev = current;

    if (next == prev)
        return;
    __asm__ volatile("fxsave64 %0" : "=m"(prev->fpu));
    load_user_l4(next->has_as ? next->as.l4_mfn : 0);
    if (next != &procs[0])
        traps_set_kernel_stack(kstack_top(next));
    current = next;
    __asm__ volatile("fxrstor64 %0" : : "m"(next->fpu));
    switch_stacks(&prev->ksp, next->ksp);
}

/* The next runnable process after the current one; a round ends (ticks)
 * each time the scan passes process 0, and sleepers due wake then. */
static struct process *pick_next(void)
{
    unsigned int i = (unsigned int)(current - procs);

    for (unsigned int n = 0; n < 2 * NPROC; n++) {
        i = (i + 1) % NPROC;
        if (i == 0) {
            ticks++;
            for (unsigned int j = 1; j < NPROC; j++)
                if (procs[j].state == PROC_SLEEPING && procs[j].wake_tick <= ticks)
                    procs[j].state = PROC_RUNNABLE;
        }
        if (procs[i].state == PROC_RUNNABLE)
            return &procs[i];
    }
    panic("scheduler: nothing is runnable, not even process 0");
}

void schedule(void)
{
    switch_to(pick_next());
}

void process_sleep(uint64_t n)
{
    if (current == &procs[0] || n == 0) {
        schedule();
        return;
    }
    current->wake_tick = ticks + n;
    current->state = PROC_SLEEPING;
    schedule();
}

/* ---- life and death ----------------------------------------------------- */

/* The kernel stack of a new process: a struct regs for the program's first
 * instruction at the top, below it what switch_stacks pops. */
static void build_first_stack(struct process *p, const struct user_program *prog,
                              uint64_t arg1, uint64_t arg2)
{
    struct regs *r = (struct regs *)(uintptr_t)(kstack_top(p) - sizeof(struct regs));
    uint64_t *sw = (uint64_t *)r - 7;       /* see process_first_regs */

    memset(r, 0, sizeof(*r));
    r->rip = user_code_address((const void *)prog->entry);
    r->cs = FLAT_USER_CS;
    r->rflags = RFLAGS_IF | 2;        /* events enabled in user mode */
    r->rsp = USER_STACK_TOP - 8;      /* as if called: 16-byte aligned + 8 */
    r->ss = FLAT_USER_SS;
    r->rdi = arg1;
    r->rsi = arg2;
    r->error_code = 0;                /* iret flags: restore rcx and r11 */
    memset(sw, 0, 6 * sizeof(uint64_t));   /* r15 r14 r13 r12 rbx rbp */
    sw[6] = (uint64_t)(uintptr_t)trap_return_via_iret;
    p->ksp = (uint64_t)(uintptr_t)sw;
}

struct regs *process_first_regs(int pid)
{
    struct process *p = process_by_pid(pid);

    if (!p || p == &procs[0])
        return NULL;
    return (struct regs *)(uintptr_t)(kstack_top(p) - sizeof(struct regs));
}

int process_spawn(const char *name, uint64_t arg1, uint64_t arg2)
{
    const struct user_program *prog = user_program_find(name);
    struct process *p = NULL;
    long rc;

    if (!prog)
        return -XEN_ENOENT;
    for (unsigned int i = 1; i < NPROC && !p; i++)
        if (procs[i].state == PROC_FREE)
            p = &procs[i];
    if (!p)
        return -XEN_EAGAIN;
    memset(p, 0, sizeof(*p));
    rc = uspace_create(p);
    if (rc)
        return (int)rc;
    p->pid = next_pid++;
    p->parent = current->pid;
    memcpy(p->name, name, min_u64(strlen(name), PROC_NAME_LEN - 1));
    p->line_start = true;
    fpu_init_image(p->fpu);
    build_first_stack(p, prog, arg1, arg2);
    p->state = PROC_RUNNABLE;
    return p->pid;
}

_Noreturn void process_exit(int status)
{
    struct process *p = current;

    if (p == &procs[0])
        panic("process_exit(%d) called by the kernel itself", status);
    load_user_l4(0);                  /* drop our L4 as the user L4... */
    uspace_destroy(p);                /* ...so it can be unpinned and freed */
    for (unsigned int i = 1; i < NPROC; i++)
        if (procs[i].state != PROC_FREE && procs[i].parent == p->pid)
            procs[i].parent = 0;      /* orphans: process 0 reaps them */
    printk("process %d (%s) exited with status %d\n", p->pid, p->name, status);
    p->exit_status = status;
    p->state = PROC_ZOMBIE;
    schedule();
    panic("process %d ran again after it exited", p->pid);
}

_Noreturn void process_kill(const struct regs *r, const char *why)
{
    struct process *p = current;

    if (p == &procs[0]) {
        regs_dump(r);
        panic("kernel context killed for %s", why);
    }
    printk("process %d (%s) killed: %s at rip %#lx\n", p->pid, p->name, why, r->rip);
    process_exit(EXIT_KILLED(r->vector & 0xff));
}

void process_user_trap(struct regs *r)
{
    char why[96];

    if (r->vector == X86_PF && !(r->error_code & PFEC_PRESENT) &&
        uspace_demand_zero(current, trap_last.cr2) == 0)
        return;
    if (r->vector == X86_PF)
        snprintf(why, sizeof(why), "%s at address %#lx (error code %#lx)",
                 trap_name(r->vector), trap_last.cr2, r->error_code);
    else if (r->vector == X86_GP)
        snprintf(why, sizeof(why), "%s (error code %#lx)", trap_name(r->vector),
                 r->error_code);
    else
        snprintf(why, sizeof(why), "%s", trap_name(r->vector));
    process_kill(r, why);
}

/* ---- waiting ------------------------------------------------------------ */

static int reap(struct process *p)
{
    int status = p->exit_status;

    p->state = PROC_FREE;
    return status;
}

/* One turn of a waiting process: let the others run; when nobody else
 * could, give the physical CPU back to the hypervisor for a moment. */
static void wait_turn(void)
{
    struct process *before = current;

    schedule();
    if (current == before)
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
}

int process_wait(int pid)
{
    struct process *p = process_by_pid(pid);

    if (!p || p->parent != current->pid)
        return -XEN_ESRCH;
    while (p->state != PROC_ZOMBIE)
        wait_turn();
    return reap(p);
}

unsigned int process_wait_all(void)
{
    unsigned int reaped = 0;

    for (;;) {
        bool others = false;

        for (unsigned int i = 1; i < NPROC; i++) {
            struct process *p = &procs[i];

            if (p == current || p->state == PROC_FREE)
                continue;
            others = true;
            if (p->state == PROC_ZOMBIE && p->parent == current->pid) {
                reap(p);
                reaped++;
            }
        }
        if (!others)
            return reaped;
        wait_turn();
    }
}
