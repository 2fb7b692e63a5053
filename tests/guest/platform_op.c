/*
 * Test platform_op: domain 0's machine operations (public/platform.h).
 *
 * What: the gate (a wrong interface version is -EACCES whatever the
 * command, an unknown command -ENOSYS, an unreadable op -EFAULT);
 * settime64 and settime32 move shared_info's wall clock to exactly the
 * value asked (secs.nsecs less system_time, wc_sec_hi for the seconds
 * past 2^32, wc_version even and changed), settime64 with mbz set is
 * -EINVAL and changes nothing, and the clock is put back as it was;
 * get_cpuinfo for CPU 0 (online, max_present 0 on a one-CPU machine) and
 * for CPUs that are not there (not an error: flags exactly INVALID, the
 * ids as given); firmware_info's answers where the firmware recorded
 * nothing (-ESRCH), for EFI on a BIOS boot (-ENOSYS), the keyboard flags
 * (entry 0 only) and unknown types (-EINVAL); enter_acpi_sleep requests
 * that must be refused without sleeping (extended form -EPERM, unknown
 * flags, PM1a/PM1b SLP_EN mismatch, S0 and S6: -EINVAL).
 * Why: Linux 6.1 as domain 0 calls these at boot (firmware_info for EDD,
 * MBR signatures, EFI and the keyboard; get_cpuinfo for its pcpu driver;
 * settime64 from its clock notifier) and enter_acpi_sleep to power off;
 * the wall clock is every domain's date.
 * Expected (real Xen 4.17, booted from BIOS, as domain 0): as above.
 */
#include "test.h"

static const char test_title[] =
    "platform_op: version gate, settime, get_cpuinfo, firmware_info, refused ACPI sleep";

static long pf(struct xen_platform_op *op, uint32_t cmd)
{
    op->cmd = cmd;
    op->interface_version = XENPF_INTERFACE_VERSION;
    return HYPERVISOR_platform_op(op);
}

static void gate(void)
{
    struct xen_platform_op op;

    memset(&op, 0, sizeof(op));
    op.cmd = XENPF_get_cpuinfo;
    op.interface_version = XENPF_INTERFACE_VERSION - 1;
    check_rc("get_cpuinfo with interface version 0x03000000", HYPERVISOR_platform_op(&op),
             -XEN_EACCES);
    op.cmd = 9999;
    op.interface_version = 0;
    check_rc("unknown command with interface version 0", HYPERVISOR_platform_op(&op),
             -XEN_EACCES);
    memset(&op, 0, sizeof(op));
    check_rc("unknown command 9999", pf(&op, 9999), -XEN_ENOSYS);
    check_rc("op at NULL", HYPERVISOR_platform_op(NULL), -XEN_EFAULT);
}

/* ---- the wall clock ------------------------------------------------------- */

struct wc {
    uint64_t sec;
    uint32_t nsec;
    uint32_t version;
};

static struct wc read_wc(void)
{
    const volatile struct shared_info *s = shared_info;

    return (struct wc){ (uint64_t)s->wc_sec_hi << 32 | s->wc_sec, s->wc_nsec, s->wc_version };
}

static long settime64(uint64_t secs, uint32_t nsecs, uint32_t mbz, uint64_t system_time)
{
    struct xen_platform_op op;

    memset(&op, 0, sizeof(op));
    op.u.settime64 = (struct xenpf_settime64){ secs, nsecs, mbz, system_time };
    return pf(&op, XENPF_settime64);
}

static void check_wc(const char *what, const struct wc *before, uint64_t sec, uint32_t nsec)
{
    struct wc now = read_wc();

    test_info("%s: wc %lu.%09u, version %u -> %u", what, now.sec, now.nsec, before->version,
              now.version);
    check_true("  wc_sec and wc_sec_hi as asked", now.sec == sec);
    check_true("  wc_nsec as asked", now.nsec == nsec);
    check_true("  wc_version even and changed",
               (now.version & 1) == 0 && now.version != before->version);
}

static void settime(void)
{
    struct wc orig = read_wc(), before;
    struct xen_platform_op op;

    check_rc("settime64 with mbz 1", settime64(1700000000, 0, 1, 0), -XEN_EINVAL);
    before = read_wc();
    check_true("  changed nothing", before.sec == orig.sec && before.nsec == orig.nsec &&
               before.version == orig.version);

    check_rc("settime64 to 2^32 + 12345 s, 6789 ns at system time 0",
             settime64((1ULL << 32) + 12345, 6789, 0, 0), 0);
    check_wc("settime64", &before, (1ULL << 32) + 12345, 6789);

    before = read_wc();
    check_rc("settime64 to 1700000010.25 s at system time 3.5 s",
             settime64(1700000010, 250000000, 0, 3500000000ULL), 0);
    check_wc("settime64", &before, 1700000006, 750000000);

    before = read_wc();
    memset(&op, 0, sizeof(op));
    op.u.settime32 = (struct xenpf_settime32){ 1600000000, 5, 1000000000ULL };
    check_rc("settime32 to 1600000000.000000005 s at system time 1 s",
             pf(&op, XENPF_settime32), 0);
    check_wc("settime32", &before, 1599999999, 5);

    before = read_wc();
    check_rc("settime64 back to the original wall clock", settime64(orig.sec, orig.nsec, 0, 0),
             0);
    check_wc("restored", &before, orig.sec, orig.nsec);
}

/* ---- get_cpuinfo ---------------------------------------------------------- */

static void cpuinfo(void)
{
    static const uint32_t absent[] = { 4096, 0xffffffffu };
    struct xen_platform_op op;

    memset(&op, 0, sizeof(op));
    op.u.pcpu_info.xen_cpuid = 0;
    check_rc("get_cpuinfo for CPU 0", pf(&op, XENPF_get_cpuinfo), 0);
    test_info("CPU 0: max_present %u, flags %#x, apic_id %u, acpi_id %u",
              op.u.pcpu_info.max_present, op.u.pcpu_info.flags, op.u.pcpu_info.apic_id,
              op.u.pcpu_info.acpi_id);
    check_true("  online, not invalid", op.u.pcpu_info.flags == XEN_PCPU_FLAGS_ONLINE);
    check_rc("  max_present (one CPU)", op.u.pcpu_info.max_present, 0);
    for (unsigned int i = 0; i < sizeof(absent) / sizeof(absent[0]); i++) {
        char what[64];

        memset(&op, 0, sizeof(op));
        op.u.pcpu_info = (struct xenpf_pcpuinfo){ absent[i], 77, 0xf0, 0x1234, 0x5678 };
        snprintf(what, sizeof(what), "get_cpuinfo for CPU %#x", absent[i]);
        check_rc(what, pf(&op, XENPF_get_cpuinfo), 0);
        check_true("  flags exactly INVALID", op.u.pcpu_info.flags == XEN_PCPU_FLAGS_INVALID);
        check_rc("  max_present", op.u.pcpu_info.max_present, 0);
        check_true("  apic_id and acpi_id as given",
                   op.u.pcpu_info.apic_id == 0x1234 && op.u.pcpu_info.acpi_id == 0x5678);
    }
}

/* ---- firmware_info -------------------------------------------------------- */

static long fw(uint32_t type, uint32_t index, struct xen_platform_op *op)
{
    memset(op, 0, sizeof(*op));
    op->u.firmware_info.type = type;
    op->u.firmware_info.index = index;
    return pf(op, XENPF_firmware_info);
}

static void firmware(void)
{
    struct xen_platform_op op;
    long rc;

    check_rc("firmware_info DISK_INFO entry 0x7fff", fw(XEN_FW_DISK_INFO, 0x7fff, &op),
             -XEN_ESRCH);
    check_rc("firmware_info MBR_SIGNATURE entry 0x7fff",
             fw(XEN_FW_DISK_MBR_SIGNATURE, 0x7fff, &op), -XEN_ESRCH);
    check_rc("firmware_info VBEDDC_INFO entry 1", fw(XEN_FW_VBEDDC_INFO, 1, &op), -XEN_ESRCH);
    check_rc("firmware_info EFI_INFO (BIOS boot)", fw(XEN_FW_EFI_INFO, 1, &op), -XEN_ENOSYS);
    check_rc("firmware_info KBD_SHIFT_FLAGS entry 1", fw(XEN_FW_KBD_SHIFT_FLAGS, 1, &op),
             -XEN_ESRCH);
    rc = fw(XEN_FW_KBD_SHIFT_FLAGS, 0, &op);
    check_rc("firmware_info KBD_SHIFT_FLAGS entry 0", rc, 0);
    test_info("keyboard shift flags %#x", op.u.firmware_info.u.kbd_shift_flags);
    check_rc("firmware_info type 0", fw(0, 0, &op), -XEN_EINVAL);
    check_rc("firmware_info type 99", fw(99, 0, &op), -XEN_EINVAL);
    rc = fw(XEN_FW_DISK_INFO, 0, &op);
    test_info("firmware_info DISK_INFO entry 0 (with no buffer): %ld", rc);
}

/* ---- enter_acpi_sleep: only refusals (anything else would sleep) ---------- */

static long acpi_sleep(uint16_t a, uint16_t b, uint32_t state, uint32_t flags)
{
    struct xen_platform_op op;

    memset(&op, 0, sizeof(op));
    op.u.enter_acpi_sleep = (struct xenpf_enter_acpi_sleep){ a, b, state, flags };
    return pf(&op, XENPF_enter_acpi_sleep);
}

static void sleep_refused(void)
{
    check_rc("enter_acpi_sleep S5, extended form", acpi_sleep(0, 0, 5, XENPF_ACPI_SLEEP_EXTENDED),
             -XEN_EPERM);
    check_rc("enter_acpi_sleep S5, flags 2", acpi_sleep(0x2000, 0, 5, 2), -XEN_EINVAL);
    check_rc("enter_acpi_sleep S5, SLP_EN in PM1a only", acpi_sleep(0x2000, 0x0400, 5, 0),
             -XEN_EINVAL);
    check_rc("enter_acpi_sleep S0", acpi_sleep(0x2000, 0, 0, 0), -XEN_EINVAL);
    check_rc("enter_acpi_sleep S6", acpi_sleep(0x2000, 0, 6, 0), -XEN_EINVAL);
}

static void test_main(void)
{
    if (!shared_info) {
        test_skip("no shared_info mapped");
        return;
    }
    gate();
    settime();
    cpuinfo();
    firmware();
    sleep_refused();
    test_success(NULL);
}

const struct guest_test test_platform_op = { "platform_op", test_title, test_main };
