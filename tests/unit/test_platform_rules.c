/*
 * test_platform_rules.c: platform_op's decisions
 * (hypervisor/common/platform_rules.c): who may call, firmware_info's and
 * get_cpuinfo's answers, which ACPI sleep requests are honoured.
 *
 * Why: platform_op is domain 0's door to the machine (its wall clock, its
 * power); every refusal must be Xen 4.17's error in Xen's order, and the
 * one request that powers the machine off (S5) must be the only one let
 * through.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "err.h"
#include "platform_rules.h"

/* ---- the gate ------------------------------------------------------------- */

static void test_gate(void **state)
{
    (void)state;
    assert_int_equal(platform_gate(XENPF_INTERFACE_VERSION, true), 0);
    assert_int_equal(platform_gate(XENPF_INTERFACE_VERSION, false), -EPERM);
    /* The version is checked first, for every domain. */
    assert_int_equal(platform_gate(XENPF_INTERFACE_VERSION + 1, true), -EACCES);
    assert_int_equal(platform_gate(XENPF_INTERFACE_VERSION + 1, false), -EACCES);
    assert_int_equal(platform_gate(0x03000000u, true), -EACCES);
    assert_int_equal(platform_gate(0, false), -EACCES);
}

/* ---- firmware_info -------------------------------------------------------- */

static int fw(uint32_t type, uint32_t index, struct xenpf_firmware_info *fi)
{
    memset(fi, 0xa5, sizeof(*fi));
    fi->type = type;
    fi->index = index;
    return firmware_info_answer(fi, 0x20);
}

static void assert_untouched(const struct xenpf_firmware_info *fi)
{
    const uint8_t *u = (const uint8_t *)&fi->u;

    for (size_t i = 0; i < sizeof(fi->u); i++)
        assert_int_equal(u[i], 0xa5);
}

static void test_firmware_info_absent(void **state)
{
    struct xenpf_firmware_info fi;

    (void)state;
    assert_int_equal(fw(XEN_FW_DISK_INFO, 0, &fi), -ESRCH);
    assert_untouched(&fi);
    assert_int_equal(fw(XEN_FW_DISK_INFO, 0xffffffffu, &fi), -ESRCH);
    assert_int_equal(fw(XEN_FW_DISK_MBR_SIGNATURE, 0, &fi), -ESRCH);
    assert_untouched(&fi);
    assert_int_equal(fw(XEN_FW_VBEDDC_INFO, 0, &fi), -ESRCH);
    assert_int_equal(fw(XEN_FW_VBEDDC_INFO, 1, &fi), -ESRCH);
    assert_int_equal(fw(XEN_FW_EFI_INFO, 0, &fi), -ENOSYS);
    assert_int_equal(fw(XEN_FW_EFI_INFO, 1, &fi), -ENOSYS);
    assert_untouched(&fi);
}

static void test_firmware_info_kbd(void **state)
{
    struct xenpf_firmware_info fi;

    (void)state;
    assert_int_equal(fw(XEN_FW_KBD_SHIFT_FLAGS, 0, &fi), 0);
    assert_int_equal(fi.u.kbd_shift_flags, 0x20);
    assert_int_equal(fw(XEN_FW_KBD_SHIFT_FLAGS, 1, &fi), -ESRCH);
    assert_untouched(&fi);
}

static void test_firmware_info_bad_type(void **state)
{
    struct xenpf_firmware_info fi;

    (void)state;
    assert_int_equal(fw(0, 0, &fi), -EINVAL);
    assert_int_equal(fw(XEN_FW_KBD_SHIFT_FLAGS + 1, 0, &fi), -EINVAL);
    assert_int_equal(fw(0xffffffffu, 0, &fi), -EINVAL);
    assert_untouched(&fi);
}

/* ---- get_cpuinfo ---------------------------------------------------------- */

static void test_cpuinfo_cpu0(void **state)
{
    struct xenpf_pcpuinfo p = { .xen_cpuid = 0, .max_present = 77, .flags = 0xff,
                                .apic_id = 9, .acpi_id = 9 };

    (void)state;
    pcpuinfo_answer(&p, 3, 5);
    assert_int_equal(p.max_present, 0);
    assert_int_equal(p.flags, XEN_PCPU_FLAGS_ONLINE);     /* replaced, not or-ed */
    assert_int_equal(p.apic_id, 3);
    assert_int_equal(p.acpi_id, 5);
}

static void test_cpuinfo_absent(void **state)
{
    static const uint32_t cpus[] = { 1, 2, 255, 4096, 0xffffffffu };

    (void)state;
    for (size_t i = 0; i < sizeof(cpus) / sizeof(cpus[0]); i++) {
        struct xenpf_pcpuinfo p = { .xen_cpuid = cpus[i], .max_present = 77, .flags = 0xff,
                                    .apic_id = 0x1234, .acpi_id = 0x5678 };

        pcpuinfo_answer(&p, 3, 5);
        assert_int_equal(p.xen_cpuid, cpus[i]);
        assert_int_equal(p.max_present, 0);
        assert_int_equal(p.flags, XEN_PCPU_FLAGS_INVALID);
        assert_int_equal(p.apic_id, 0x1234);               /* as the caller gave */
        assert_int_equal(p.acpi_id, 0x5678);
    }
}

/* ---- enter_acpi_sleep ----------------------------------------------------- */

static int sleep_req(uint16_t a, uint16_t b, uint32_t state, uint32_t flags, bool pm1a)
{
    struct xenpf_enter_acpi_sleep r = { a, b, state, flags };

    return acpi_sleep_check(&r, pm1a);
}

static void test_sleep_s5_accepted(void **state)
{
    (void)state;
    assert_int_equal(sleep_req(0x2001, 0, 5, 0, true), 0);      /* Linux on QEMU */
    assert_int_equal(sleep_req(0x3c01, 0x3c01, 5, 0, true), 0); /* both blocks, same SLP_EN */
    assert_int_equal(sleep_req(0x0001, 0x0000, 5, 0, true), 0); /* no SLP_EN: still Xen's */
}

static void test_sleep_refused(void **state)
{
    (void)state;
    assert_int_equal(sleep_req(0x2001, 0, 5, 0, false), -EPERM);   /* no PM1a block */
    assert_int_equal(sleep_req(0x2001, 0x0001, 5, 0, true), -EINVAL); /* SLP_EN differs */
    assert_int_equal(sleep_req(0x0001, 0x2001, 5, 0, true), -EINVAL);
    assert_int_equal(sleep_req(0x2001, 0, 5, 2, true), -EINVAL);   /* unknown flag */
    assert_int_equal(sleep_req(0x2001, 0, 5, 0x80000000u, true), -EINVAL);
    for (uint32_t s = 0; s < 8; s++)
        if (s != 5 && s != 3)
            assert_int_equal(sleep_req(0x2001, 0, s, 0, true), -EINVAL);
    assert_int_equal(sleep_req(0x2001, 0, 0xffffffffu, 0, true), -EINVAL);
}

/* Xen's order: S3 first, then the extended form, then the PM1a block,
 * then the values and flags, the state last. */
static void test_sleep_order(void **state)
{
    (void)state;
    assert_int_equal(sleep_req(0x2001, 0, 3, 0, true), -EOPNOTSUPP);
    assert_int_equal(sleep_req(0x2001, 0x0001, 3, 2, false), -EOPNOTSUPP);
    assert_int_equal(sleep_req(0, 0, 5, XENPF_ACPI_SLEEP_EXTENDED, true), -EPERM);
    assert_int_equal(sleep_req(0, 0, 5, XENPF_ACPI_SLEEP_EXTENDED | 2, true), -EPERM);
    assert_int_equal(sleep_req(0x2001, 0x0001, 5, 0, false), -EPERM);
    assert_int_equal(sleep_req(0x2001, 0x0001, 0, 0, true), -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gate),
        cmocka_unit_test(test_firmware_info_absent),
        cmocka_unit_test(test_firmware_info_kbd),
        cmocka_unit_test(test_firmware_info_bad_type),
        cmocka_unit_test(test_cpuinfo_cpu0),
        cmocka_unit_test(test_cpuinfo_absent),
        cmocka_unit_test(test_sleep_s5_accepted),
        cmocka_unit_test(test_sleep_refused),
        cmocka_unit_test(test_sleep_order),
    };

    return cmocka_run_group_tests_name("platform_rules", tests, NULL, NULL);
}
