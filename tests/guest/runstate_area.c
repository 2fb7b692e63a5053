/*
 * Test runstate_area: VCPUOP_register_runstate_memory_area, the guest's
 * own copy of its runstate that the hypervisor keeps up to date.
 *
 * What: an area (or an argument) outside guest addresses is -EFAULT; an
 * area in our memory is accepted and written at once (state running,
 * times written, entered in the past); after we blocked for a timer, the
 * area has been rewritten (more time blocked, a later entry time, state
 * running again). Address 0 ends the updates (the area stays as we left
 * it across another block). An unmapped area is accepted (Xen checks the
 * range only) and never written; we go on running.
 * Why: Linux registers one per vCPU at boot and BUGs if the call fails; it
 * reads steal time from it, so it must be current whenever we run.
 * Expected (real Xen 4.17): as the check lines say.
 */
#include "evtest.h"

static const char test_title[] = "register_runstate_memory_area: written at once and on every switch";

static struct vcpu_runstate_info area;
static struct ev_record rec;

static long register_at(uint64_t va)
{
    struct vcpu_register_runstate_memory_area a = { .addr = va };

    return HYPERVISOR_vcpu_op(VCPUOP_register_runstate_memory_area, 0, &a);
}

static void refusals(void)
{
    check_rc("register a hypervisor-range area", register_at(BAD_VA_HYPERVISOR), -XEN_EFAULT);
    check_rc("register a non-canonical area", register_at(BAD_VA_NONCANONICAL), -XEN_EFAULT);
    check_rc("register through an unmapped argument",
             HYPERVISOR_vcpu_op(VCPUOP_register_runstate_memory_area, 0,
                                bad_ptr(BAD_VA_UNMAPPED)), -XEN_EFAULT);
}

/* Blocks until a timer 5 ms ahead; up to 5 times until area's blocked
 * time grows (a block may return at once if the event came first). */
static void block_a_while(uint64_t blocked_before)
{
    for (int i = 0; i < 5 && area.time[RUNSTATE_blocked] == blocked_before; i++) {
        events_disable();
        HYPERVISOR_set_timer_op(time_now_ns() + 5 * MS);
        HYPERVISOR_sched_op(SCHEDOP_block, NULL);
    }
}

static void kept_current(void)
{
    struct vcpu_runstate_info before;

    memset(&area, 0xff, sizeof(area));
    if (!check_rc("register an area of ours", register_at((uint64_t)(uintptr_t)&area), 0))
        return;
    check_rc("  written at once: state running", area.state, RUNSTATE_running);
    /* Xen writes the times as of the last state change (running may be
     * 0 for a vCPU never descheduled), Tern as of now: either is written. */
    check_true("  times written", area.time[RUNSTATE_running] != ~0ULL &&
                                  area.time[RUNSTATE_blocked] != ~0ULL);
    check_true("  state entered in the past", area.state_entry_time <= time_now_ns());
    before = area;
    block_a_while(before.time[RUNSTATE_blocked]);
    check_true("after blocking: more time blocked",
               area.time[RUNSTATE_blocked] > before.time[RUNSTATE_blocked]);
    check_true("  a later entry into running", area.state_entry_time > before.state_entry_time);
    check_rc("  state running", area.state, RUNSTATE_running);
}

static void ended(void)
{
    struct vcpu_runstate_info copy;

    check_rc("register address 0 (no area)", register_at(0), 0);
    memset(&area, 0x55, sizeof(area));
    copy = area;
    block_a_while(area.time[RUNSTATE_blocked]);          /* blocks 5 times: never rewritten */
    check_true("  the old area is left alone across blocks", !memcmp(&copy, &area, sizeof(area)));
    check_rc("register an unmapped area (accepted)", register_at(BAD_VA_UNMAPPED), 0);
    block_a_while(area.time[RUNSTATE_blocked]);           /* switched in: not written */
    check_rc("register address 0 again (we ran on)", register_at(0), 0);
}

static void test_main(void)
{
    evtchn_port_t port;

    if (!ev_require_shared_info())
        return;
    events_enable();
    port = ev_bind_virq(VIRQ_TIMER);
    if (!port)
        goto out;
    memset(&rec, 0, sizeof(rec));
    ev_record_attach(port, &rec);
    refusals();
    kept_current();
    ended();
    HYPERVISOR_set_timer_op(0);
    test_success(NULL);
out:
    ev_cleanup();
}

const struct guest_test test_runstate_area = { "runstate_area", test_title, test_main };
