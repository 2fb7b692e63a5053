/*
 * Tern guest tests: shared_info out of the kernel's hands and back
 * (shinfo.h). No assertions here by design: the tests that call it
 * (shared_info_release, shared_info_retype) check what it returns.
 */
#include "kernel/events.h"
#include "shinfo.h"
#include "kernel/time.h"

#define DEFAULT_PERIOD_NS 10000000UL    /* Xen's and Tern's default period */

static uint8_t saved[PAGE_SIZE] __attribute__((aligned(16)));
static unsigned int was_masked;

uint64_t shinfo_mfn(void)
{
    return start_info.shared_info >> PAGE_SHIFT;
}

uint64_t shinfo_va(void)
{
    return (uint64_t)(uintptr_t)shared_info;
}

bool shinfo_quiesce(void)
{
    if (!shared_info) {
        test_error("no shared_info mapped");
        return false;
    }
    was_masked = events_disable();
    timer_stop();
    HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL);
    HYPERVISOR_set_timer_op(0);
    memcpy(saved, shared_info, PAGE_SIZE);
    return true;
}

long shinfo_restore(void)
{
    struct vcpu_set_periodic_timer period = { .period_ns = DEFAULT_PERIOD_NS };
    long rc = HYPERVISOR_update_va_mapping(shinfo_va(), mfn_pte(shinfo_mfn(), PTE_PAGE_RW),
                                           UVMF_INVLPG);

    if (rc)
        return rc;                     /* the kernel has lost shared_info */
    memcpy(shared_info, saved, PAGE_SIZE);
    HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, 0, &period);
    events_restore(was_masked);
    return 0;
}
