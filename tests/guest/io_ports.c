/*
 * Test io_ports: port I/O by domain 0, and the ports the hypervisor keeps.
 *
 * What: with virtual IOPL 0, in and out are #GP(0) at the instruction.
 * After physdev_op set_iopl 1, the ports the hypervisor drives itself are
 * not reachable, but the instruction completes: reads give all ones of the
 * access size, writes are dropped. Checked: COM1's scratch register 0x3ff
 * (the hypervisor's serial console, also on Xen) written then read back,
 * the PIC mask 0x21, the PIT counter 0x40 (byte and word), and a word at
 * 0x3ff that covers a denied and an allowed port (all ones: an access is
 * allowed only when all of its bytes are). PCI configuration space through
 * 0xcf8/0xcfc works: the 0xcf8 latch reads back what was written, 00:00.0
 * has a vendor/device other than all ones, byte and word reads of 0xcfc-
 * 0xcff agree with the dword, and a function that is not a bridge or a
 * display controller takes a write of its cache line size register (read
 * back, then restored). A port of a device domain 0 drives reaches it:
 * the secondary IDE status register 0x177 (QEMU's CD-ROM drive) does not
 * read as all ones. The CMOS/RTC is mediated: 0x70 is the domain's own
 * index latch, 0x71 the register it names (register D reads valid).
 * Why: issue 10, hole 5: domain 0 used to drive the hypervisor's own
 * devices (a value written to COM1's scratch register read back; in
 * loopback mode the hypervisor's own output would have come back as debug
 * keys). Xen denies those ports to domain 0 and mediates PCI configuration
 * space (xen/arch/x86/pv/emul-priv-op.c guest_io_read/guest_io_write).
 * Expected (real Xen 4.17, console=com1): as above.
 */
#include "kernel/portio.h"
#include "traptest.h"

static const char test_title[] = "port I/O: IOPL, the hypervisor's ports denied, PCI config";

#define COM1_SCR      0x3ff
#define PIC1_DATA     0x21
#define PIT_CH0       0x40
#define IDE2_STATUS   0x177
#define PCI_CLASS     0x08          /* dword: class code in bits 8-31 */
#define PCI_HEADER    0x0c          /* byte 0: cache line size; byte 2: header type */
#define PCI_CLS_VALUE 0x10          /* 64-byte cache lines */

static long set_iopl(unsigned int iopl)
{
    struct physdev_set_iopl io = { .iopl = iopl };

    return HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &io);
}

static void test_iopl0(void)
{
    struct trap_site s;
    uint64_t n = traps_seen();

    FAULT_AT(s, "", "inb $0x21, %%al");
    check_kernel_trap("in $0x21 with virtual IOPL 0", n, X86_GP, 0, s, true);
    n = traps_seen();
    FAULT_AT(s, "mov $0x3ff, %%edx; mov $0x5a, %%eax", "outb %%al, %%dx");
    check_kernel_trap("out to 0x3ff with virtual IOPL 0", n, X86_GP, 0, s, true);
}

static void test_denied(void)
{
    uint64_t n = traps_seen();

    port_outb(COM1_SCR, 0x5a);
    check_hex("COM1 scratch 0x3ff after writing 0x5a", port_inb(COM1_SCR), 0xff);
    port_outb(COM1_SCR, 0xa5);
    check_hex("COM1 scratch 0x3ff after writing 0xa5", port_inb(COM1_SCR), 0xff);
    check_hex("in 0x21 (PIC mask)", port_inb(PIC1_DATA), 0xff);
    check_hex("in 0x40 (PIT channel 0)", port_inb(PIT_CH0), 0xff);
    check_hex("inw 0x40 (PIT channels 0-1)", port_inw(PIT_CH0), 0xffff);
    check_hex("inw 0x3ff (COM1 scratch and port 0x400)", port_inw(COM1_SCR), 0xffff);
    check_rc("exceptions for the denied ports", (long)(traps_seen() - n), 0);
}

/* A port of a device domain 0 drives itself reaches the device: the
 * secondary IDE channel's status register (QEMU's CD-ROM drive sits
 * there, with or without a disc) never reads as an absent port would. */
static void test_granted(void)
{
    check_true("in 0x177 (IDE status, domain 0's to drive): not all ones",
               port_inb(IDE2_STATUS) != 0xff);
}

/* The CMOS/RTC, mediated: 0x70 is our own index latch (read back as
 * written, bit 7 and all), 0x71 the register it names, bit 7 (the NMI
 * mask) left out: register D says the clock's RAM and time are valid. */
static void test_rtc(void)
{
    uint8_t b, b_nmi;

    port_outb(0x70, 0x0b);
    check_hex("out 0x0b to 0x70, in 0x70: our latch", port_inb(0x70), 0x0b);
    b = port_inb(0x71);
    port_outb(0x70, 0x8b);
    check_hex("out 0x8b to 0x70 (NMI bit), in 0x70", port_inb(0x70), 0x8b);
    b_nmi = port_inb(0x71);
    check_true("  register B read the same through both indexes", b == b_nmi && b != 0xff);
    port_outb(0x70, 0x0d);
    check_true("register D: valid RAM and time (bit 7)", (port_inb(0x71) & 0x80) != 0);
}

static void test_cf8_latch(void)
{
    uint32_t a = pci_conf_addr(0, 1, 0, 0), b = pci_conf_addr(0, 3, 2, 0x40);

    port_outl(PCI_CONF_ADDR, a);
    check_hex("0xcf8 latch reads back 00:01.0 reg 0", port_inl(PCI_CONF_ADDR), a);
    port_outl(PCI_CONF_ADDR, b);
    check_hex("0xcf8 latch reads back 00:03.2 reg 0x40", port_inl(PCI_CONF_ADDR), b);
}

static void test_host_bridge_read(void)
{
    uint32_t addr = pci_conf_addr(0, 0, 0, 0), id = pci_conf_read32(addr);

    test_info("00:00.0 vendor/device %#x, class %#x", id,
              pci_conf_read32(pci_conf_addr(0, 0, 0, PCI_CLASS)) >> 8);
    check_true("00:00.0 vendor/device is not all ones", id != 0xffffffffU);
    port_outl(PCI_CONF_ADDR, addr);
    check_hex("inw 0xcfc (vendor)", port_inw(PCI_CONF_DATA), id & 0xffff);
    check_hex("inw 0xcfe (device)", port_inw(PCI_CONF_DATA + 2), id >> 16);
    check_hex("inb 0xcff", port_inb(PCI_CONF_DATA + 3), id >> 24);
}

/* Is bus 0 dev/fn present and neither a bridge (class 06) nor a display
 * controller (class 03)? */
static bool plain_function(unsigned int dev, unsigned int fn)
{
    uint32_t addr = pci_conf_addr(0, dev, fn, 0);
    uint32_t base = pci_conf_read32(addr | PCI_CLASS) >> 24;

    return (pci_conf_read32(addr) & 0xffff) != 0xffff && base != 0x06 && base != 0x03;
}

/* The first such function on bus 0 (dev << 3 | fn), or -1. */
static int find_plain_function(void)
{
    for (unsigned int dev = 0; dev < 32; dev++) {
        uint32_t hdr = pci_conf_read32(pci_conf_addr(0, dev, 0, PCI_HEADER));
        unsigned int fns = (hdr >> 16) & 0x80 ? 8 : 1;

        for (unsigned int fn = 0; fn < fns; fn++)
            if (plain_function(dev, fn))
                return (int)(dev << 3 | fn);
    }
    return -1;
}

static void test_config_write(void)
{
    int f = find_plain_function();
    uint32_t addr;
    uint8_t old;

    if (!check_true("bus 0 has a function that is not a bridge or display", f >= 0))
        return;
    addr = pci_conf_addr(0, (unsigned int)f >> 3, (unsigned int)f & 7, PCI_HEADER);
    old = pci_conf_read8(addr, 0);
    test_info("00:%02x.%d class %#x, cache line size %#x", (unsigned int)f >> 3, f & 7,
              pci_conf_read32((addr & ~0xffU) | PCI_CLASS) >> 8, old);
    pci_conf_write8(addr, 0, PCI_CLS_VALUE);
    check_hex("its cache line size after writing 0x10", pci_conf_read8(addr, 0),
              PCI_CLS_VALUE);
    pci_conf_write8(addr, 0, old);
    check_hex("  ... restored", pci_conf_read8(addr, 0), old);
}

static void test_main(void)
{
    test_iopl0();
    if (!check_rc("physdev_op(set_iopl, 1)", set_iopl(1), 0))
        return;
    test_denied();
    test_granted();
    test_rtc();
    test_cf8_latch();
    test_host_bridge_read();
    test_config_write();
    check_rc("physdev_op(set_iopl, 0)", set_iopl(0), 0);
    test_success(NULL);
}

const struct guest_test test_io_ports = { "io_ports", test_title, test_main };
