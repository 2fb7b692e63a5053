/*
 * serial.c: 16550-compatible UART.
 *
 * Output is polled with a bounded wait, so a missing or wedged UART slows
 * the console down but never hangs the hypervisor. The port is probed
 * through its scratch register before use: many old PCs have no COM1.
 */
#include "serial.h"
#include <asm/io.h>

#define UART_THR 0      /* transmit holding (DLAB=0) */
#define UART_RBR 0      /* receive buffer (DLAB=0) */
#define UART_DLL 0      /* divisor low (DLAB=1) */
#define UART_IER 1      /* interrupt enable (DLAB=0) */
#define UART_DLM 1      /* divisor high (DLAB=1) */
#define UART_FCR 2      /* FIFO control */
#define UART_LCR 3      /* line control */
#define UART_MCR 4      /* modem control */
#define UART_LSR 5      /* line status */
#define UART_SCR 7      /* scratch */

#define LCR_DLAB 0x80
#define LSR_DR   0x01   /* data ready */
#define LSR_THRE 0x20   /* transmit holding register empty */
#define MCR_DTR  0x01
#define MCR_RTS  0x02
#define MCR_OUT2 0x08   /* gates the UART interrupt onto the ISA bus */
#define UART_CLOCK 115200

static struct serial_config port;
static bool present;

static bool uart_probe(uint16_t base)
{
    outb((uint16_t)(base + UART_SCR), 0x5a);
    if (inb((uint16_t)(base + UART_SCR)) != 0x5a)
        return false;
    outb((uint16_t)(base + UART_SCR), 0xa5);
    return inb((uint16_t)(base + UART_SCR)) == 0xa5;
}

static uint8_t line_control(const struct serial_config *cfg)
{
    uint8_t lcr = (uint8_t)(cfg->data_bits - 5);

    if (cfg->stop_bits == 2)
        lcr |= 0x04;
    if (cfg->parity == 'o')
        lcr |= 0x08;
    else if (cfg->parity == 'e')
        lcr |= 0x18;
    return lcr;
}

bool serial_init(const struct serial_config *cfg)
{
    uint16_t b = cfg->io_base;

    present = false;
    if (!b || !uart_probe(b))
        return false;
    port = *cfg;
    outb((uint16_t)(b + UART_IER), 0);
    if (cfg->baud) {
        uint32_t div = UART_CLOCK / cfg->baud;
        outb((uint16_t)(b + UART_LCR), LCR_DLAB);
        outb((uint16_t)(b + UART_DLL), (uint8_t)div);
        outb((uint16_t)(b + UART_DLM), (uint8_t)(div >> 8));
    }
    outb((uint16_t)(b + UART_LCR), line_control(cfg));
    outb((uint16_t)(b + UART_FCR), 0x07);       /* enable and clear FIFOs */
    outb((uint16_t)(b + UART_MCR), MCR_DTR | MCR_RTS | MCR_OUT2);
    present = true;
    return true;
}

bool serial_present(void)
{
    return present;
}

uint16_t serial_io_base(void)
{
    return present ? port.io_base : 0;
}

void serial_putc(char c)
{
    unsigned int spins = 100000;

    if (!present)
        return;
    while (!(inb((uint16_t)(port.io_base + UART_LSR)) & LSR_THRE) && --spins)
        ;
    outb((uint16_t)(port.io_base + UART_THR), (uint8_t)c);
}

int serial_getc(void)
{
    if (!present || !(inb((uint16_t)(port.io_base + UART_LSR)) & LSR_DR))
        return -1;
    return inb((uint16_t)(port.io_base + UART_RBR));
}

uint8_t serial_enable_rx_irq(void)
{
    if (present)
        outb((uint16_t)(port.io_base + UART_IER), 0x01);
    return port.irq;
}
