/*
 * vcpu_op.c: vcpu_op (#24) and set_timer_op (#15): a vCPU's timers and
 * run state. One vCPU per domain: vcpuid 0 is the only one (-ENOENT for
 * others); bringing vCPUs up and down is not offered (-ENOSYS). A vCPU's
 * vcpu_info may move once into a frame of the guest's (register_vcpu_info),
 * which then holds a writable type reference. A registered runstate area is rewritten each time the vCPU
 * is switched in: with one vCPU per domain, that is every moment the guest
 * can read it.
 *
 * Every time a guest gives is checked or saturated here (deadline.c), as
 * Xen reads it: a period from 1 ms to STIME_DELTA_MAX (about 146 years;
 * more is -EINVAL, since "now + period" must not wrap into the past and
 * leave the timer due on every tick), a deadline with bit 63 set is a
 * negative s_time_t and so already past.
 */
#include "deadline.h"
#include "err.h"
#include "guest_address.h"
#include "hypercall.h"
#include "sched.h"
#include "timer.h"
#include "memory_setup.h"
#include "page_types.h"
#include "directmap.h"
#include "vcpu_copy.h"
#include <asm/guest_traps.h>
#include <public/vcpu.h>

/* v's runstate as the guest reads it now: the current state's time runs. */
static void runstate_now(const struct vcpu *v, struct vcpu_runstate_info *r)
{
    *r = (struct vcpu_runstate_info){ .state = (int32_t)v->run_state,
                                      .state_entry_time = v->state_entry_ns };
    memcpy(r->time, v->state_time_ns, sizeof(r->time));
    r->time[v->run_state] += now_ns() - v->state_entry_ns;
}

static int64_t runstate(struct vcpu *v, uint64_t arg)
{
    struct vcpu_runstate_info r;

    runstate_now(v, &r);
    return vcpu_copy_to(v, arg, &r, sizeof(r));
}

/* Through the guest's own kernel tables, like every hypercall result; an
 * area the guest has since unmapped or made read-only is simply not
 * written, as on Xen. At a switch (sched.c) the root loaded is still the
 * previous vCPU's, so vcpu_copy_to takes the walk of v's tables there;
 * from register_runstate it is v's own and the store is direct. */
void vcpu_publish_runstate(struct vcpu *v)
{
    struct vcpu_runstate_info r;

    if (!v->runstate_area_va)
        return;
    runstate_now(v, &r);
    (void)vcpu_copy_to(v, v->runstate_area_va, &r, sizeof(r));
}

/* As Xen: the area must be guest addresses (-EFAULT), is written at once
 * and then every time the vCPU is switched in; address 0 ends that. */
static int64_t register_runstate(struct vcpu *v, uint64_t arg)
{
    struct vcpu_register_runstate_memory_area area;

    if (vcpu_copy_from(v, &area, arg, sizeof(area)) ||
        !guest_range_ok(area.addr, sizeof(struct vcpu_runstate_info)))
        return -EFAULT;
    v->runstate_area_va = area.addr;             /* 0: no area any more */
    vcpu_publish_runstate(v);
    return 0;
}

/* As Xen's map_vcpu_info: within the frame and 8-byte aligned, once, on a frame of the
 * domain's that takes the writable type; the reference pair is held until
 * the teardown (domain.c relinquish_vcpu), so the frame can neither become
 * a page table nor be freed while the hypervisor writes it. */
static int64_t register_vcpu_info(struct vcpu *v, uint64_t arg)
{
    struct vcpu_register_vcpu_info r;
    struct vcpu_info *now, *at;

    if (vcpu_copy_from(v, &r, arg, sizeof(r)))
        return -EFAULT;
    if (r.offset > PAGE_SIZE - sizeof(struct vcpu_info) || (r.offset & 7))
        return -ENXIO;                       /* Xen 4.17.7's checks: in the frame, aligned */
    if (v->vcpu_info_mfn || r.mfn >= ftable.nr ||
        get_page_and_type(&ftable, r.mfn, v->domain->id, PGT_writable))
        return -EINVAL;
    now = vcpu_info_of(v);
    at = (struct vcpu_info *)((uint8_t *)phys_to_virt(r.mfn << PAGE_SHIFT) + r.offset);
    memcpy(at, now, sizeof(*at));
    v->vcpu_info_mfn = r.mfn;
    v->domain->evtchn.vcpu_info[v->id] = at;
    v->vcpu_info = at;
    at->evtchn_pending_sel = ~0UL;           /* everything may be pending, as Xen */
    __atomic_store_n(&at->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST);
    return 0;
}

static int64_t periodic(struct vcpu *v, uint64_t arg)
{
    struct vcpu_set_periodic_timer p;

    if (vcpu_copy_from(v, &p, arg, sizeof(p)))
        return -EFAULT;
    if (!deadline_period_ok(p.period_ns))
        return -EINVAL;
    vcpu_set_periodic(v, p.period_ns);
    return 0;
}

static int64_t singleshot(struct vcpu *v, uint64_t arg)
{
    struct vcpu_set_singleshot_timer t;

    if (vcpu_copy_from(v, &t, arg, sizeof(t)))
        return -EFAULT;
    /* 0 is a time like any other, long past; VCPU_SSHOTTMR_future is
     * ignored, as Xen 4.17 does: a past deadline fires at once. */
    vcpu_set_singleshot(v, t.timeout_abs_ns ? deadline_from_guest(t.timeout_abs_ns)
                                            : DEADLINE_PAST);
    return 0;
}

int64_t do_vcpu_op(struct vcpu *v, const struct hypercall_args *a)
{
    if (a->a2 != v->id)
        return -ENOENT;
    switch (a->a1) {
    case VCPUOP_is_up:                return 1;
    case VCPUOP_get_runstate_info:    return runstate(v, a->a3);
    case VCPUOP_register_runstate_memory_area: return register_runstate(v, a->a3);
    case VCPUOP_register_vcpu_info:   return register_vcpu_info(v, a->a3);
    case VCPUOP_set_periodic_timer:   return periodic(v, a->a3);
    case VCPUOP_stop_periodic_timer:  vcpu_set_periodic(v, 0); return 0;
    case VCPUOP_set_singleshot_timer: return singleshot(v, a->a3);
    case VCPUOP_stop_singleshot_timer: vcpu_set_singleshot(v, 0); return 0;
    default:                          return unimpl_enosys(v->domain, UNIMPL_VCPU_OP, a->a1);
    }
}

int64_t do_set_timer_op(struct vcpu *v, const struct hypercall_args *a)
{
    vcpu_set_singleshot(v, deadline_timer_op(a->a1, now_ns()));
    return 0;
}
