/*
 * Unit tests for hypervisor/pv/ioport.c: which ports a domain reaches, and
 * the PCI configuration decisions. Each kept port is checked at both ends
 * of its range, with its neighbours open; each configured block is kept
 * only when configured; every rule of ioport_route and of the 0xcf8
 * latch has an accepted and a refused case.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "ioport.h"
#include "vpit2.h"

/* A machine as QEMU's pc gives it: COM1, VGA text, PIIX4 PM at 0x600. */
static const struct ioport_owned qemu_pc = {
    .serial_base = 0x3f8, .vga_text = true, .display = true,
    .pm1a_cnt = 0x604, .pm1b_cnt = 0, .reset_port = 0,
};
static const struct ioport_owned nothing_configured;

static enum ioport_route dom0(const struct ioport_owned *o, unsigned int port,
                              unsigned int size)
{
    return ioport_route(o, true, port, size);
}

/* Byte accesses to [first, last] denied to domain 0, first - 1 and last + 1
 * reached directly. */
static void assert_kept(const struct ioport_owned *o, unsigned int first, unsigned int last)
{
    for (unsigned int p = first; p <= last; p++) {
        assert_true(ioport_hv_owned(o, p));
        if (p != RTC_INDEX_PORT && p != RTC_DATA_PORT &&   /* mediated: test_rtc */
            !vpit2_port(p, 1))                            /* emulated: test_pit2 */
            assert_int_equal(dom0(o, p, 1), IOPORT_DENY);
    }
    assert_int_equal(dom0(o, first - 1, 1), IOPORT_DIRECT);
    assert_int_equal(dom0(o, last + 1, 1), IOPORT_DIRECT);
}

static void test_always_kept(void **state)
{
    (void)state;
    assert_kept(&nothing_configured, 0x20, 0x21);     /* master PIC */
    assert_kept(&nothing_configured, 0xa0, 0xa1);     /* slave PIC */
    assert_kept(&nothing_configured, 0x4d0, 0x4d1);   /* ELCR */
    assert_kept(&nothing_configured, 0x40, 0x43);     /* PIT */
    assert_kept(&nothing_configured, 0x60, 0x61);     /* i8042 data, port B */
    assert_kept(&nothing_configured, 0x64, 0x64);     /* i8042 command */
    assert_kept(&nothing_configured, 0x70, 0x71);     /* CMOS/RTC */
    assert_kept(&nothing_configured, 0x92, 0x92);     /* fast A20 / INIT */
    assert_kept(&nothing_configured, 0xf0, 0xf0);     /* IGNNE# */
}

/* PIT channel 2 and port B, as Xen's pv_pit_handler: a byte at 0x42,
 * 0x43 or 0x61 goes to the domain's own model, privileged or not; wider
 * accesses and the other channels' ports are refused. */
static void test_pit2(void **state)
{
    (void)state;
    for (unsigned int p = 0x42; p <= 0x43; p++) {
        assert_int_equal(ioport_route(&qemu_pc, true, p, 1), IOPORT_PIT2);
        assert_int_equal(ioport_route(&qemu_pc, false, p, 1), IOPORT_PIT2);
    }
    assert_int_equal(ioport_route(&qemu_pc, false, 0x61, 1), IOPORT_PIT2);
    assert_int_equal(ioport_route(&qemu_pc, true, 0x61, 1), IOPORT_PIT2);
    assert_int_equal(ioport_route(&qemu_pc, true, 0x40, 1), IOPORT_DENY);
    assert_int_equal(ioport_route(&qemu_pc, true, 0x41, 1), IOPORT_DENY);
    assert_int_equal(ioport_route(&qemu_pc, true, 0x42, 2), IOPORT_DENY);
    assert_int_equal(ioport_route(&qemu_pc, true, 0x60, 2), IOPORT_DENY);
    assert_int_equal(ioport_route(&qemu_pc, false, 0x60, 1), IOPORT_DENY);
}

/* The CMOS/RTC, as Xen mediates it: every domain's byte at 0x70 is its
 * index latch, a privileged domain's byte at 0x71 the register; anything
 * wider, and an unprivileged domain's 0x71, refused. */
static void test_rtc(void **state)
{
    (void)state;
    assert_int_equal(ioport_route(&qemu_pc, true, 0x70, 1), IOPORT_RTC_INDEX);
    assert_int_equal(ioport_route(&qemu_pc, false, 0x70, 1), IOPORT_RTC_INDEX);
    assert_int_equal(ioport_route(&qemu_pc, true, 0x71, 1), IOPORT_RTC_DATA);
    assert_int_equal(ioport_route(&qemu_pc, false, 0x71, 1), IOPORT_DENY);
    assert_int_equal(ioport_route(&qemu_pc, true, 0x70, 2), IOPORT_DENY);
    assert_int_equal(ioport_route(&qemu_pc, true, 0x6f, 2), IOPORT_DENY);
    assert_int_equal(ioport_route(&qemu_pc, true, 0x71, 2), IOPORT_DENY);
    assert_int_equal(ioport_route(&qemu_pc, true, 0x6e, 4), IOPORT_DENY);
    assert_int_equal(ioport_route(&qemu_pc, true, 0x6c, 4), IOPORT_DIRECT);
    assert_int_equal(ioport_route(&qemu_pc, true, 0x72, 1), IOPORT_DIRECT);
    assert_int_equal(ioport_route(&qemu_pc, true, 0x6f, 1), IOPORT_DIRECT);
}

static void test_open_ports(void **state)
{
    (void)state;
    assert_int_equal(dom0(&qemu_pc, 0x80, 1), IOPORT_DIRECT);     /* io_delay's */
    assert_int_equal(dom0(&qemu_pc, 0x1f0, 2), IOPORT_DIRECT);    /* IDE data */
    /* The rest of both IDE channels, which domain 0's ATA driver uses. */
    assert_int_equal(dom0(&qemu_pc, 0x1f1, 1), IOPORT_DIRECT);
    assert_int_equal(dom0(&qemu_pc, 0x1f7, 1), IOPORT_DIRECT);
    assert_int_equal(dom0(&qemu_pc, 0x3f6, 1), IOPORT_DIRECT);
    assert_int_equal(dom0(&qemu_pc, 0x170, 2), IOPORT_DIRECT);
    assert_int_equal(dom0(&qemu_pc, 0x177, 1), IOPORT_DIRECT);
    assert_int_equal(dom0(&qemu_pc, 0x376, 1), IOPORT_DIRECT);
    assert_int_equal(dom0(&qemu_pc, 0x600, 4), IOPORT_DIRECT);    /* PM1a event */
    assert_int_equal(dom0(&qemu_pc, 0xc000, 4), IOPORT_DIRECT);
}

static void test_serial(void **state)
{
    struct ioport_owned com2 = { .serial_base = 0x2f8 };

    (void)state;
    assert_kept(&qemu_pc, 0x3f8, 0x3ff);
    assert_kept(&com2, 0x2f8, 0x2ff);
    assert_int_equal(dom0(&com2, 0x3f8, 1), IOPORT_DIRECT);       /* not the console */
    assert_int_equal(dom0(&nothing_configured, 0x3ff, 1), IOPORT_DIRECT);
}

static void test_vga_crtc(void **state)
{
    struct ioport_owned fb = { .display = true };

    (void)state;
    assert_kept(&qemu_pc, 0x3d4, 0x3d5);
    assert_int_equal(dom0(&fb, 0x3d4, 1), IOPORT_DIRECT);         /* framebuffer console */
    assert_int_equal(dom0(&nothing_configured, 0x3d5, 1), IOPORT_DIRECT);
}

static void test_acpi_ports(void **state)
{
    struct ioport_owned both = { .pm1a_cnt = 0x404, .pm1b_cnt = 0x484, .reset_port = 0x500 };

    (void)state;
    assert_kept(&qemu_pc, 0x604, 0x605);
    assert_kept(&both, 0x404, 0x405);
    assert_kept(&both, 0x484, 0x485);
    assert_kept(&both, 0x500, 0x500);
    assert_int_equal(dom0(&nothing_configured, 0x604, 2), IOPORT_DIRECT);
    assert_int_equal(dom0(&nothing_configured, 0x500, 1), IOPORT_DIRECT);
}

static void test_multi_byte(void **state)
{
    (void)state;
    assert_int_equal(dom0(&qemu_pc, 0x1e, 2), IOPORT_DIRECT);     /* 0x1e-0x1f */
    assert_int_equal(dom0(&qemu_pc, 0x1f, 2), IOPORT_DENY);       /* 0x20 is the PIC */
    assert_int_equal(dom0(&qemu_pc, 0x1e, 4), IOPORT_DENY);
    assert_int_equal(dom0(&qemu_pc, 0x3f4, 4), IOPORT_DIRECT);    /* 0x3f4-0x3f7 */
    assert_int_equal(dom0(&qemu_pc, 0x3f6, 4), IOPORT_DENY);      /* into COM1 */
    assert_int_equal(dom0(&qemu_pc, 0x3ff, 2), IOPORT_DENY);      /* out of COM1 */
    assert_int_equal(dom0(&qemu_pc, 0x603, 2), IOPORT_DENY);      /* into PM1a_CNT */
}

static void test_sizes_and_top(void **state)
{
    (void)state;
    assert_int_equal(dom0(&qemu_pc, 0x1f0, 0), IOPORT_DENY);
    assert_int_equal(dom0(&qemu_pc, 0x1f0, 3), IOPORT_DENY);
    assert_int_equal(dom0(&qemu_pc, 0x1f0, 8), IOPORT_DENY);
    assert_int_equal(dom0(&qemu_pc, 0xfffc, 4), IOPORT_DIRECT);
    assert_int_equal(dom0(&qemu_pc, 0xffff, 1), IOPORT_DIRECT);
    assert_int_equal(dom0(&qemu_pc, 0xffff, 2), IOPORT_DENY);     /* past 0xffff */
    assert_int_equal(dom0(&qemu_pc, 0xfffe, 4), IOPORT_DENY);
    assert_int_equal(dom0(&qemu_pc, 0x10000, 1), IOPORT_DENY);
}

static void test_unprivileged(void **state)
{
    (void)state;
    assert_int_equal(ioport_route(&nothing_configured, false, 0x80, 1), IOPORT_DENY);
    assert_int_equal(ioport_route(&nothing_configured, false, 0x1f0, 2), IOPORT_DENY);
    assert_int_equal(ioport_route(&qemu_pc, false, 0x1f7, 1), IOPORT_DENY);
    assert_int_equal(ioport_route(&qemu_pc, false, 0x3f6, 1), IOPORT_DENY);
    assert_int_equal(ioport_route(&qemu_pc, false, 0x170, 2), IOPORT_DENY);
    assert_int_equal(ioport_route(&qemu_pc, false, 0x376, 1), IOPORT_DENY);
    assert_int_equal(ioport_route(&nothing_configured, false, 0xc000, 4), IOPORT_DENY);
    assert_int_equal(ioport_route(&qemu_pc, false, 0x3ff, 1), IOPORT_DENY);
    assert_int_equal(ioport_route(&qemu_pc, false, PCI_CONF_DATA_PORT, 4), IOPORT_DENY);
    /* Its own latch, which reaches nothing, as on Xen. */
    assert_int_equal(ioport_route(&qemu_pc, false, PCI_CONF_ADDR_PORT, 4), IOPORT_PCI_ADDR);
}

static void test_pci_ports(void **state)
{
    (void)state;
    for (unsigned int p = 0xcf8; p <= 0xcff; p++)
        assert_true(ioport_hv_owned(&nothing_configured, p));
    assert_int_equal(dom0(&qemu_pc, 0xcf8, 4), IOPORT_PCI_ADDR);
    assert_int_equal(dom0(&qemu_pc, 0xcf8, 1), IOPORT_DENY);
    assert_int_equal(dom0(&qemu_pc, 0xcf8, 2), IOPORT_DENY);
    assert_int_equal(dom0(&qemu_pc, 0xcf9, 1), IOPORT_DENY);      /* PCI reset control */
    assert_int_equal(dom0(&qemu_pc, 0xcfa, 2), IOPORT_DENY);
    assert_int_equal(dom0(&qemu_pc, 0xcf9, 4), IOPORT_DENY);
    assert_int_equal(dom0(&qemu_pc, 0xcf6, 4), IOPORT_DENY);      /* reaches 0xcf8 */
    assert_int_equal(dom0(&qemu_pc, 0xcf4, 4), IOPORT_DIRECT);    /* ends at 0xcf7 */
    assert_int_equal(dom0(&qemu_pc, 0xcfc, 4), IOPORT_PCI_DATA);
    assert_int_equal(dom0(&qemu_pc, 0xcfc, 2), IOPORT_PCI_DATA);
    assert_int_equal(dom0(&qemu_pc, 0xcfe, 2), IOPORT_PCI_DATA);
    assert_int_equal(dom0(&qemu_pc, 0xcfd, 2), IOPORT_PCI_DATA);
    assert_int_equal(dom0(&qemu_pc, 0xcff, 1), IOPORT_PCI_DATA);
    assert_int_equal(dom0(&qemu_pc, 0xcfe, 4), IOPORT_DENY);      /* past 0xcff */
    assert_int_equal(dom0(&qemu_pc, 0xcff, 2), IOPORT_DENY);
    assert_int_equal(dom0(&qemu_pc, 0xcfa, 4), IOPORT_DENY);      /* 0xcfa-0xcfd */
    assert_int_equal(dom0(&qemu_pc, 0xd00, 1), IOPORT_DIRECT);
}

static void test_all_ones(void **state)
{
    (void)state;
    assert_int_equal(ioport_all_ones(1), 0xff);
    assert_int_equal(ioport_all_ones(2), 0xffff);
    assert_int_equal(ioport_all_ones(4), 0xffffffffu);
}

static void test_cf8_decode(void **state)
{
    struct pci_cf8 a;

    (void)state;
    pci_cf8_decode(0x8012fa44, &a);
    assert_true(a.enabled);
    assert_int_equal(a.bus, 0x12);
    assert_int_equal(a.dev, 0x1f);
    assert_int_equal(a.fn, 2);
    assert_int_equal(a.reg, 0x44);
    pci_cf8_decode(0x7f000b03, &a);        /* reserved bits and bits 0-1 only */
    assert_false(a.enabled);
    assert_int_equal(a.bus, 0);
    assert_int_equal(a.dev, 1);
    assert_int_equal(a.fn, 3);
    assert_int_equal(a.reg, 0);
}

static void test_cf8_hw(void **state)
{
    (void)state;
    assert_int_equal(pci_cf8_hw(0x8012fa44, 0x08), 0x8012fa08u);
    assert_int_equal(pci_cf8_hw(0xff12fa47, 0x44), 0x8012fa44u);  /* reserved bits dropped */
    assert_int_equal(pci_cf8_hw(0x80000000, 0x1ff), 0x800000fcu); /* register kept to 0-0xfc */
    assert_int_equal(pci_cf8_hw(0x00000800, 0x00), 0x00000800u);  /* disabled stays disabled */
}

static void test_cfg_read(void **state)
{
    (void)state;
    assert_true(pci_cfg_read_ok(true, 0x80000000));
    assert_false(pci_cfg_read_ok(false, 0x80000000));              /* unprivileged */
    assert_false(pci_cfg_read_ok(true, 0x00000800));               /* enable bit clear */
}

static void test_cfg_write(void **state)
{
    const struct ioport_owned serial_only = { .serial_base = 0x3f8 };
    const uint32_t on = 0x80000800;

    (void)state;
    assert_true(pci_cfg_write_ok(&qemu_pc, true, on, 0x02000000));   /* network */
    assert_true(pci_cfg_write_ok(&qemu_pc, true, on, 0x01018000));   /* IDE */
    assert_true(pci_cfg_write_ok(&qemu_pc, true, on, 0x06040000));   /* PCI-PCI bridge */
    assert_true(pci_cfg_write_ok(&qemu_pc, true, on, 0xffffffff));   /* nothing there */
    assert_false(pci_cfg_write_ok(&qemu_pc, true, on, 0x06000000));  /* host bridge */
    assert_false(pci_cfg_write_ok(&qemu_pc, true, on, 0x06010000));  /* ISA bridge */
    assert_false(pci_cfg_write_ok(&qemu_pc, true, on, 0x06800003));  /* PIIX4 PM */
    assert_false(pci_cfg_write_ok(&qemu_pc, true, on, 0x03000000));  /* the console's VGA */
    assert_false(pci_cfg_write_ok(&qemu_pc, true, on, 0x03800000));
    assert_true(pci_cfg_write_ok(&serial_only, true, on, 0x03000000)); /* no screen */
    assert_false(pci_cfg_write_ok(&qemu_pc, false, on, 0x02000000)); /* unprivileged */
    assert_false(pci_cfg_write_ok(&qemu_pc, true, 0x800, 0x02000000)); /* disabled latch */
}

/* The ranges' union is exactly the ports ioport_hv_owned keeps. */
static void assert_ranges_match(const struct ioport_owned *o)
{
    struct port_range r[IOPORT_HV_RANGES_MAX];
    unsigned int n = ioport_hv_ranges(o, r);

    assert_true(n <= IOPORT_HV_RANGES_MAX);
    for (unsigned int p = 0; p < 0x10000; p++) {
        bool in = false;

        for (unsigned int i = 0; i < n; i++)
            in = in || (p >= r[i].first && p <= r[i].last);
        assert_int_equal(in, ioport_hv_owned(o, p));
    }
}

static void test_hv_ranges(void **state)
{
    static const struct ioport_owned everything = {
        .serial_base = 0x2f8, .vga_text = true, .pm1a_cnt = 0xb004, .pm1b_cnt = 0xb008,
        .reset_port = 0xcf9,
    };
    static const struct ioport_owned at_the_top = {
        .serial_base = 0xfffc, .pm1a_cnt = 0xffff,
    };

    (void)state;
    assert_ranges_match(&qemu_pc);
    assert_ranges_match(&nothing_configured);
    assert_ranges_match(&everything);
    assert_ranges_match(&at_the_top);
}

/* Kernel mode is CPL 1 (0 under architectural_iopl), user mode CPL 3. */
static void test_iopl(void **state)
{
    (void)state;
    assert_false(ioport_iopl_ok(true, false, 0));
    assert_true(ioport_iopl_ok(true, false, 1));
    assert_true(ioport_iopl_ok(true, false, 3));
    assert_true(ioport_iopl_ok(true, true, 0));
    for (unsigned int iopl = 0; iopl < 3; iopl++) {
        assert_false(ioport_iopl_ok(false, false, iopl));
        assert_false(ioport_iopl_ok(false, true, iopl));
    }
    assert_true(ioport_iopl_ok(false, false, 3));
    assert_true(ioport_iopl_ok(false, true, 3));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_always_kept),
        cmocka_unit_test(test_pit2),
        cmocka_unit_test(test_open_ports),
        cmocka_unit_test(test_serial),
        cmocka_unit_test(test_vga_crtc),
        cmocka_unit_test(test_rtc),
        cmocka_unit_test(test_acpi_ports),
        cmocka_unit_test(test_multi_byte),
        cmocka_unit_test(test_sizes_and_top),
        cmocka_unit_test(test_unprivileged),
        cmocka_unit_test(test_pci_ports),
        cmocka_unit_test(test_all_ones),
        cmocka_unit_test(test_cf8_decode),
        cmocka_unit_test(test_cf8_hw),
        cmocka_unit_test(test_cfg_read),
        cmocka_unit_test(test_cfg_write),
        cmocka_unit_test(test_iopl),
        cmocka_unit_test(test_hv_ranges),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
