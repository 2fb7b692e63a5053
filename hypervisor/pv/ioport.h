/*
 * Guest port I/O policy (ioport.c, pure): which real ports a domain may
 * reach, and how PCI configuration space through 0xcf8/0xcfc is mediated.
 * A byte at 0x42, 0x43 or 0x61 goes, for every domain, to its own virtual
 * PIT channel 2 (vpit2.c), as Xen's pv_pit_handler answers them.
 * The port I/O itself is in arch/x86/guest_io.c.
 *
 * A domain reaches a port only when it is privileged and the hypervisor
 * does not drive the port itself (the list is at the top of ioport.c). An
 * access of 2 or 4 bytes is allowed only when every byte is. A refused
 * access still completes, as on Xen: a read gives all ones of its size,
 * a write is dropped.
 *
 * PCI configuration space: a dword at 0xcf8 is the domain's own CONFIG_
 * ADDRESS latch, never written to the hardware as such; accesses that lie
 * within 0xcfc-0xcff go to the function the latch names, read by a
 * privileged domain only, written only where the function is not one the
 * hypervisor relies on (pci_cfg_write_ok). Any other access touching
 * 0xcf8-0xcff (a byte at 0xcf9, the PCI reset control) is refused.
 */
#ifndef IOPORT_H
#define IOPORT_H

#include "lib.h"

/* The ports on this machine that depend on how the hypervisor was set up. */
struct ioport_owned {
    uint16_t serial_base;    /* the console UART's 8 ports; 0: none */
    bool vga_text;           /* the console writes the VGA CRTC, 0x3d4-0x3d5 */
    bool display;            /* the console draws on a display controller */
    uint16_t pm1a_cnt;       /* ACPI PM1a/PM1b control (2 ports each); 0: none */
    uint16_t pm1b_cnt;
    uint16_t reset_port;     /* ACPI reset register in I/O space; 0: none */
};

enum ioport_route {
    IOPORT_DENY,             /* all ones read, write dropped */
    IOPORT_DIRECT,           /* the real port */
    IOPORT_PCI_ADDR,         /* the domain's 0xcf8 latch */
    IOPORT_PCI_DATA,         /* 0xcfc-0xcff, through the latch */
    IOPORT_RTC_INDEX,        /* byte at 0x70: the domain's CMOS index latch */
    IOPORT_RTC_DATA,         /* byte at 0x71: the CMOS register the latch names */
    IOPORT_PIT2,             /* byte at 0x42, 0x43, 0x61: the domain's PIT channel 2 (vpit2.c) */
};

#define RTC_INDEX_PORT      0x70
#define RTC_DATA_PORT       0x71

#define PCI_CONF_ADDR_PORT  0xcf8
#define PCI_CONF_DATA_PORT  0xcfc
#define PCI_CLASS_REG       0x08     /* dword: class code in bits 8-31 */

/* An inclusive range of ports. */
struct port_range {
    uint16_t first, last;
};

/* The most ranges ioport_hv_ranges writes. */
#define IOPORT_HV_RANGES_MAX 15

/* The ports the hypervisor keeps, as at most IOPORT_HV_RANGES_MAX ranges
 * into out (possibly overlapping); their number. Their union is exactly
 * the ports ioport_hv_owned says yes to, so a grant can deny them range
 * by range instead of asking port by port. */
unsigned int ioport_hv_ranges(const struct ioport_owned *o, struct port_range *out);

/* Does the hypervisor keep this one port (byte) for itself? */
bool ioport_hv_owned(const struct ioport_owned *o, unsigned int port);

/* Where an access of size 1, 2 or 4 bytes at port goes for a domain. */
enum ioport_route ioport_route(const struct ioport_owned *o, bool privileged,
                               unsigned int port, unsigned int size);

/* Does the virtual IOPL (0-3, PHYSDEVOP_set_iopl or the iret frame under
 * VMASST_TYPE_architectural_iopl) let the guest's current mode run cli,
 * sti, in and out? As on Xen, the guest kernel counts as CPL 1 (CPL 0
 * under architectural_iopl) and guest user mode as CPL 3; an instruction
 * is allowed when that CPL is at most the virtual IOPL. */
bool ioport_iopl_ok(bool kernel_mode, bool architectural_iopl, unsigned int viopl);

/* All ones of an access size (1, 2 or 4). */
uint32_t ioport_all_ones(unsigned int size);

/* A CONFIG_ADDRESS latch, decoded. Bits 24-30 and 0-1 are ignored. */
struct pci_cf8 {
    bool enabled;            /* bit 31: a configuration cycle at all */
    uint8_t bus;
    uint8_t dev;             /* 0-31 */
    uint8_t fn;              /* 0-7 */
    uint8_t reg;             /* dword-aligned register, 0-0xfc */
};

void pci_cf8_decode(uint32_t latch, struct pci_cf8 *out);

/* What the hypervisor writes to the real 0xcf8 to reach dword register
 * reg of the function the latch names: enable bit, bus, device,
 * function, register; nothing the domain put in the reserved bits. */
uint32_t pci_cf8_hw(uint32_t latch, unsigned int reg);

/* May this domain read 0xcfc-0xcff through this latch? */
bool pci_cfg_read_ok(bool privileged, uint32_t latch);

/* May it write there, class_reg being the named function's dword at
 * PCI_CLASS_REG? Refused for the functions the hypervisor relies on:
 * host bridges (class 06/00: memory and PCI decoding), ISA bridges
 * (06/01: interrupt routing and the legacy devices), other bridges
 * (06/80: the chipset's ACPI power-management function among them,
 * whose I/O base places the PM1 control ports), and display controllers
 * (class 03) while the console draws on one. */
bool pci_cfg_write_ok(const struct ioport_owned *o, bool privileged, uint32_t latch,
                      uint32_t class_reg);

#endif /* IOPORT_H */
