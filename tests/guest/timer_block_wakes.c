/*
 * Test timer_block_wakes: a blocked vCPU is not woken by its periodic
 * timer.
 *
 * What: with VIRQ_TIMER bound and the periodic timer at 1 ms, the vCPU
 * blocks (SCHEDOP_block) until a single-shot deadline 50 ms ahead,
 * re-arming the single-shot timer before each block and blocking again
 * while the deadline is not reached. It is woken at most twice (once by
 * the single-shot timer; once more only if a periodic tick had come in
 * the few microseconds between arming the periodic timer and the first
 * block), and VIRQ_TIMER reaches the handler at most twice over the 50 ms.
 * After the wake the periodic timer runs again: 5 more ticks come within
 * 50 ms.
 * Why: issue 15: Tern kept firing a blocked vCPU's periodic timer, so a
 * guest blocked until a deadline was woken once a period (50 times here,
 * 100 times a second with the default period) for nothing. Xen stops the
 * periodic timer while the vCPU is not running and re-arms it when the
 * vCPU runs again (firing once at once if its deadline passed meanwhile).
 * Expected (real Xen 4.17): woken once (at most twice), the periodic
 * timer ticking again after the wake; the bounds hold whatever the
 * interleaving, since no event but VIRQ_TIMER is unmasked.
 */
#include "evtest.h"

static const char test_title[] = "a blocked vCPU is not woken by its periodic timer";

#define BLOCK_NS    (50 * MS)
#define PERIOD_NS   (1 * MS)

static struct ev_record rec;

static long periodic(uint64_t period)
{
    struct vcpu_set_periodic_timer p = { .period_ns = period };

    return HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, 0, &p);
}

static long singleshot(uint64_t deadline)
{
    struct vcpu_set_singleshot_timer t = { .timeout_abs_ns = deadline };

    return HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 0, &t);
}

/* Blocks until deadline (within Xen's timer slop); the number of wakes. */
static unsigned long block_until(uint64_t deadline)
{
    unsigned long wakes = 0;

    events_disable();
    while (time_now_ns() + TIMER_EARLY_NS < deadline) {
        singleshot(deadline);
        HYPERVISOR_sched_op(SCHEDOP_block, NULL);   /* unmasks; the upcall runs here */
        events_disable();
        wakes++;
    }
    events_enable();
    return wakes;
}

static void test_main(void)
{
    evtchn_port_t port;
    uint64_t before, deadline;
    unsigned long wakes;

    if (!ev_require_shared_info())
        return;
    memset(&rec, 0, sizeof(rec));
    port = ev_bind_virq(VIRQ_TIMER);
    if (!port)
        goto out;
    ev_record_attach(port, &rec);
    if (!check_rc("VCPUOP_set_periodic_timer(1 ms)", periodic(PERIOD_NS), 0))
        goto out;
    before = rec.count;
    deadline = time_now_ns() + BLOCK_NS;
    wakes = block_until(deadline);
    test_info("blocked 50 ms with a 1 ms periodic timer: %lu wakes, %lu VIRQ_TIMER", wakes,
              rec.count - before);
    check_true("woken at most twice (the single-shot deadline, one early tick)", wakes <= 2);
    check_true("VIRQ_TIMER handled at most twice while blocked", rec.count - before <= 2);
    before = rec.count;
    check_true("the periodic timer ticks again after the wake (5 within 50 ms)",
               ev_wait_count(&rec, before + 5, 50 * MS));
    test_success(NULL);
out:
    ev_cleanup();
}

const struct guest_test test_timer_block_wakes = {
    "timer_block_wakes", test_title, test_main,
};
