/*
 * Tern guest kernel: port I/O and PCI configuration space through ports
 * 0xcf8/0xcfc.
 *
 * The guest kernel runs at CPL 3, so every in/out faults into the
 * hypervisor: with virtual IOPL 0 it is the kernel's #GP; with virtual IOPL
 * 1 (physdev_op set_iopl) the hypervisor performs it, or, for a port it
 * keeps for itself, completes it with all ones read and the write dropped.
 * Used by the ioport-probe role, the io_ports test and the ATA driver
 * (drivers/ata.c).
 */
#ifndef GUEST_PORTIO_H
#define GUEST_PORTIO_H

#include <stdint.h>

#define PCI_CONF_ADDR 0xcf8
#define PCI_CONF_DATA 0xcfc

static inline uint8_t port_inb(uint16_t port)
{
    uint8_t v;

    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port) : "memory");
    return v;
}

static inline uint16_t port_inw(uint16_t port)
{
    uint16_t v;

    __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port) : "memory");
    return v;
}

static inline uint32_t port_inl(uint16_t port)
{
    uint32_t v;

    __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port) : "memory");
    return v;
}

static inline void port_outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port) : "memory");
}

static inline void port_outw(uint16_t port, uint16_t v)
{
    __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port) : "memory");
}

static inline void port_outl(uint16_t port, uint32_t v)
{
    __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port) : "memory");
}

/* The CONFIG_ADDRESS value for a dword register of bus/dev/fn. */
static inline uint32_t pci_conf_addr(unsigned int bus, unsigned int dev, unsigned int fn,
                                     unsigned int reg)
{
    return 0x80000000U | (bus & 0xff) << 16 | (dev & 0x1f) << 11 | (fn & 7) << 8 |
           (reg & 0xfc);
}

static inline uint32_t pci_conf_read32(uint32_t addr)
{
    port_outl(PCI_CONF_ADDR, addr);
    return port_inl(PCI_CONF_DATA);
}

/* Byte `reg & 3` of the dword register at addr. */
static inline uint8_t pci_conf_read8(uint32_t addr, unsigned int reg)
{
    port_outl(PCI_CONF_ADDR, addr);
    return port_inb((uint16_t)(PCI_CONF_DATA + (reg & 3)));
}

static inline void pci_conf_write8(uint32_t addr, unsigned int reg, uint8_t v)
{
    port_outl(PCI_CONF_ADDR, addr);
    port_outb((uint16_t)(PCI_CONF_DATA + (reg & 3)), v);
}

#endif /* GUEST_PORTIO_H */
