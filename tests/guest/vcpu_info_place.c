/*
 * Test vcpu_info_place: VCPUOP_register_vcpu_info, the vCPU's vcpu_info
 * moved from shared_info into a frame of the guest's.
 *
 * What: refused: an offset leaving no room for the 64-byte record (4040)
 * or not 8-byte aligned (132) with -ENXIO; a frame that is not ours (the
 * hypervisor's), one of our live page tables (it could not stay
 * writable) with -EINVAL; a vCPU that does not exist (-ENOENT). Then
 * accepted at offset 128 of a fresh page: the record there is the old one
 * (the time record copied: even version, a system time no later than
 * now; the event mask as it was) with evtchn_upcall_pending set and every
 * selector bit set (everything marked pending); the hypervisor delivers
 * through it from then on (a timer VIRQ arrives); the frame can no longer
 * become a page table (pinning it as an L1: -EINVAL); a second
 * registration: -EINVAL. The page stays registered until we end.
 * Why: Linux 6.1 registers its per-CPU vcpu_info at boot and panics if that
 * fails; the hypervisor then writes that frame at any moment, so it must
 * hold it writable (never a page table) until the domain's teardown, which
 * must still return every frame (the scenarios check the count).
 * Expected (real Xen 4.17): as the check lines say.
 */
#include "evtest.h"
#include "mmtest.h"

static const char test_title[] = "register_vcpu_info: the record moves into our frame";

#define OFFSET 128

static struct ev_record rec;

static long place(uint64_t mfn, uint32_t offset, unsigned int vcpu)
{
    struct vcpu_register_vcpu_info r = { .mfn = mfn, .offset = offset };

    return HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, vcpu, &r);
}

static void refusals(const struct test_page *p)
{
    check_rc("offset 4040 (no room for 64 bytes)", place(p->mfn, 4040, 0), -XEN_ENXIO);
    check_rc("offset 132 (not 8-byte aligned)", place(p->mfn, 132, 0), -XEN_ENXIO);
    check_rc("a frame of the hypervisor's", place(hypervisor_frame(), 0, 0), -XEN_EINVAL);
    check_rc("our live L4 (a page table)", place(as_current()->l4_mfn, 0, 0), -XEN_EINVAL);
    check_rc("vCPU 5 (none)", place(p->mfn, OFFSET, 5), -XEN_ENOENT);
}

/* The record as the hypervisor left it at registration. */
static void check_copied(const struct vcpu_info *at, uint8_t mask, uint64_t now)
{
    check_rc("  upcall_pending set", at->evtchn_upcall_pending, 1);
    check_true("  every selector bit set", at->evtchn_pending_sel == ~0UL);
    check_rc("  the event mask kept", at->evtchn_upcall_mask, mask);
    check_true("  the time record copied (even version, system time set, not ahead)",
               !(at->time.version & 1) && at->time.system_time &&
               at->time.system_time <= now);
}

/* A timer VIRQ comes in through the new record (the upcall reads it:
 * kernel/events.c, through this_vcpu_info). */
static void events_through(void)
{
    uint64_t before = rec.count;

    HYPERVISOR_set_timer_op(time_now_ns() + 2 * MS);
    check_true("a timer VIRQ arrives through it", ev_wait_count(&rec, before + 1, 200 * MS));
}

static void placed(struct test_page *p)
{
    struct vcpu_info *at = (struct vcpu_info *)((uint8_t *)p->va + OFFSET);
    uint64_t now = time_now_ns();

    memset(p->va, 0x5a, PAGE_SIZE);
    events_disable();
    if (!check_rc("register at offset 128 of a fresh page", place(p->mfn, OFFSET, 0), 0)) {
        events_enable();
        return;
    }
    vcpu_info_placed(at);
    check_copied(at, 1, now);                    /* masked, as we made it */
    events_enable();
    events_through();
    check_rc("pin the frame as an L1", mmuext1(MMUEXT_PIN_L1_TABLE, p->mfn), -XEN_EINVAL);
    check_rc("register again (once per vCPU)", place(p->mfn, 0, 0), -XEN_EINVAL);
}

static void test_main(void)
{
    struct test_page p;
    evtchn_port_t port;

    if (!ev_require_shared_info() || !tp_alloc(&p))
        return;
    events_enable();
    port = ev_bind_virq(VIRQ_TIMER);
    if (!port)
        goto out;
    memset(&rec, 0, sizeof(rec));
    ev_record_attach(port, &rec);
    refusals(&p);
    placed(&p);                                  /* the page stays ours, registered */
    HYPERVISOR_set_timer_op(0);
    test_success(NULL);
out:
    ev_cleanup();
}

const struct guest_test test_vcpu_info_place = { "vcpu_info_place", test_title, test_main };
