/*
 * 16550 UART driver (arch/x86/serial.c): one port, polled output, interrupt
 * or polled input.
 */
#ifndef SERIAL_H
#define SERIAL_H

#include "lib.h"

struct serial_config {
    uint16_t io_base;      /* 0x3f8 for COM1 */
    uint32_t baud;         /* 0: keep what the firmware/boot loader set */
    uint8_t data_bits;     /* 5-8 */
    char parity;           /* 'n', 'o', 'e' */
    uint8_t stop_bits;     /* 1 or 2 */
    uint8_t irq;           /* legacy IRQ line, 4 for COM1 */
};

/* Returns false (and leaves the port alone) if no UART answers at io_base. */
bool serial_init(const struct serial_config *cfg);
void serial_putc(char c);
/* Next received character, or -1 if none is waiting. */
int serial_getc(void);
/* Ask the UART to interrupt on received data; returns its IRQ line. */
uint8_t serial_enable_rx_irq(void);
bool serial_present(void);
/* The I/O base of the port in use, 0 when there is none (its 8 ports are
 * the hypervisor's: ioport.c). */
uint16_t serial_io_base(void);

#endif /* SERIAL_H */
