/*
 * vpit2.c: a domain's PIT channel 2 and port B, counted on the system
 * time (see vpit2.h; Xen: xen/arch/x86/emul-i8254.c behind
 * pv_pit_handler, for every PV domain).
 *
 * Invariants: the model touches no hardware and only its struct; every
 * byte value is a valid input (a hostile guest can only confuse its own
 * counter); the count is a function of (state, now) alone, so reading
 * never changes it except the latch and the byte toggles:
 *  1. channel 2 counts down at VPIT2_HZ from the count loaded, as Xen's
 *     model does, whatever the gate (Xen restarts modes 1, 2, 3 and 5 on
 *     the gate's rising edge and otherwise ignores it);
 *  2. modes 0, 1, 4, 5 wrap through 0 to 0xffff; modes 2 and 3 reload
 *     (mode 3 counts by two);
 *  3. a mode command (0x43, channel 2, access 1-3) sets the mode and the
 *     byte order and drops a latch; access 0 latches the count unless a
 *     latch is held; a read-back command (0xc0-0xff) latches channel 2's
 *     count when it names channel 2 and asks for counts; commands for
 *     channels 0 and 1 are dropped (they are the hypervisor's);
 *  4. port B reads gate (bit 0), speaker data (bit 1), a refresh toggle
 *     (bit 4, every 16 us) and OUT2 (bit 5); writes keep bits 0-1;
 *  5. 0x43 reads 0: Xen's model leaves the value pv_pit_handler starts
 *     a read with, 0 (a real 8254 does not answer a read there).
 */
#include "vpit2.h"

#define NS_PER_S     1000000000ull
#define CMD_CHANNEL2 2u
#define CMD_READBACK 3u
#define RB_COUNT_OFF 0x20u          /* read-back: bit 5 clear = latch counts */
#define RB_CHANNEL2  0x08u
#define REFRESH_SHIFT 14            /* ns: a toggle every 16.4 us, as Xen */

bool vpit2_port(unsigned int port, unsigned int size)
{
    return size == 1 && (port == VPIT2_COUNTER_PORT || port == VPIT2_MODE_PORT ||
                         port == VPIT2_PORT_B);
}

/* PIT input clocks since the load, without overflow for any time. */
static uint64_t ticks_since(const struct vpit2 *p, uint64_t now)
{
    uint64_t d = now > p->load_ns ? now - p->load_ns : 0;

    return d / NS_PER_S * VPIT2_HZ + d % NS_PER_S * VPIT2_HZ / NS_PER_S;
}

static uint64_t period(const struct vpit2 *p)
{
    return p->reload ? p->reload : 0x10000;
}

/* Rule 2. */
static uint16_t count_now(const struct vpit2 *p, uint64_t now)
{
    uint64_t t = ticks_since(p, now), r = period(p);

    if (p->mode == 2)
        return (uint16_t)(r - t % r);
    if (p->mode == 3)
        return (uint16_t)((r - (2 * t) % r) & 0xfffe);
    return (uint16_t)(r - t);
}

static bool out_now(const struct vpit2 *p, uint64_t now)
{
    uint64_t t = ticks_since(p, now), r = period(p);

    switch (p->mode) {
    case 0:  return t >= r;
    case 1:  return t >= r;
    case 2:  return t % r != r - 1;
    case 3:  return (2 * t) % r < r / 2 + (r & 1);   /* high for the first half */
    default: return t != r;                          /* 4, 5: low for one clock */
    }
}

static uint8_t access_of(const struct vpit2 *p)
{
    return p->access ? p->access : 3;
}

/* One byte of v in the order the access mode names; *msb_next toggles
 * for a two-byte access and says whether the value is done. */
static uint8_t byte_of(uint16_t v, uint8_t access, bool *msb_next, bool *done)
{
    bool msb = access == 2 || (access == 3 && *msb_next);

    *done = access != 3 || *msb_next;
    if (access == 3)
        *msb_next = !*msb_next;
    return msb ? (uint8_t)(v >> 8) : (uint8_t)v;
}

static uint8_t read_counter(struct vpit2 *p, uint64_t now)
{
    bool done;
    uint16_t v = p->latch_valid ? p->latched : count_now(p, now);
    uint8_t b = byte_of(v, access_of(p), &p->read_msb_next, &done);

    if (done)
        p->latch_valid = false;
    return b;
}

static uint8_t read_port_b(const struct vpit2 *p, uint64_t now)
{
    unsigned int refresh = (unsigned int)(now >> REFRESH_SHIFT) & 1;

    return (uint8_t)((unsigned int)p->gate | (unsigned int)p->speaker << 1 | refresh << 4 |
                     (unsigned int)out_now(p, now) << 5);
}

uint8_t vpit2_read(struct vpit2 *p, unsigned int port, uint64_t now)
{
    if (port == VPIT2_COUNTER_PORT)
        return read_counter(p, now);
    if (port == VPIT2_PORT_B)
        return read_port_b(p, now);
    return 0;                                        /* rule 5 */
}

static void write_counter(struct vpit2 *p, uint8_t val, uint64_t now)
{
    uint8_t access = access_of(p);

    if (access == 3 && !p->write_msb_next) {
        p->write_lsb = val;
        p->write_msb_next = true;
        return;
    }
    if (access == 1)
        p->reload = val;
    else if (access == 2)
        p->reload = (uint16_t)(val << 8);
    else
        p->reload = (uint16_t)(p->write_lsb | val << 8);
    p->write_msb_next = false;
    p->load_ns = now;
}

static void latch(struct vpit2 *p, uint64_t now)
{
    if (p->latch_valid)
        return;
    p->latched = count_now(p, now);
    p->latch_valid = true;
    p->read_msb_next = false;
}

/* Rule 3. */
static void write_mode(struct vpit2 *p, uint8_t val, uint64_t now)
{
    unsigned int channel = val >> 6, access = (val >> 4) & 3, mode = (val >> 1) & 7;

    if (channel == CMD_READBACK) {
        if ((val & RB_CHANNEL2) && !(val & RB_COUNT_OFF))
            latch(p, now);
        return;
    }
    if (channel != CMD_CHANNEL2)
        return;
    if (access == 0) {
        latch(p, now);
        return;
    }
    p->access = (uint8_t)access;
    p->mode = (uint8_t)(mode > 5 ? mode - 4 : mode);     /* 6, 7 are 2, 3 */
    p->latch_valid = p->read_msb_next = p->write_msb_next = false;
}

/* Rule 4, and rule 1's restart on the gate's rising edge. */
static void write_port_b(struct vpit2 *p, uint8_t val, uint64_t now)
{
    bool gate = val & 1;

    if (gate && !p->gate && p->mode != 0 && p->mode != 4)
        p->load_ns = now;
    p->gate = gate;
    p->speaker = (val >> 1) & 1;
}

void vpit2_write(struct vpit2 *p, unsigned int port, uint8_t val, uint64_t now)
{
    if (port == VPIT2_COUNTER_PORT)
        write_counter(p, val, now);
    else if (port == VPIT2_MODE_PORT)
        write_mode(p, val, now);
    else if (port == VPIT2_PORT_B)
        write_port_b(p, val, now);
}
