/*
 * iocap.c: a domain's granted I/O ports and interrupt lines, as bitmaps
 * (iocap.h states the rules).
 */
#include "iocap.h"

static bool bit(const uint64_t *map, unsigned int i)
{
    return (map[i / 64] >> (i % 64)) & 1;
}

static void set_bit_to(uint64_t *map, unsigned int i, bool on)
{
    if (on)
        map[i / 64] |= 1ULL << (i % 64);
    else
        map[i / 64] &= ~(1ULL << (i % 64));
}

void iocap_init(struct iocap *c)
{
    memset(c, 0, sizeof(*c));
}

/* Whole 64-port words at once where the range covers them (a grant of
 * every port is 1,024 stores, not 65,536 bit updates). */
static void set_ports(struct iocap *c, unsigned int first, unsigned int last, bool on)
{
    unsigned int p = first;

    last = MIN(last, IOCAP_PORTS - 1);
    while (p <= last) {
        if (p % 64 == 0 && last - p >= 63) {
            c->ports[p / 64] = on ? ~0ULL : 0;
            p += 64;
        } else {
            set_bit_to(c->ports, p++, on);
        }
    }
}

void iocap_permit_ports(struct iocap *c, unsigned int first, unsigned int last)
{
    set_ports(c, first, last, true);
}

void iocap_deny_ports(struct iocap *c, unsigned int first, unsigned int last)
{
    set_ports(c, first, last, false);
}

bool iocap_ports_ok(const struct iocap *c, unsigned int port, unsigned int size)
{
    if (size == 0 || port >= IOCAP_PORTS || size > IOCAP_PORTS - port)
        return false;
    for (unsigned int p = port; p < port + size; p++)
        if (!bit(c->ports, p))
            return false;
    return true;
}

void iocap_permit_irq(struct iocap *c, unsigned int irq)
{
    if (irq < IOCAP_IRQS)
        set_bit_to(c->irqs, irq, true);
}

void iocap_deny_irq(struct iocap *c, unsigned int irq)
{
    if (irq < IOCAP_IRQS)
        set_bit_to(c->irqs, irq, false);
}

bool iocap_irq_ok(const struct iocap *c, unsigned int irq)
{
    return irq < IOCAP_IRQS && bit(c->irqs, irq);
}
