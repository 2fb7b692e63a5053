/*
 * A domain's virtual PIT channel 2 and port B (vpit2.c, pure), as Xen
 * gives every PV domain: ports 0x42 (channel 2's counter), 0x43 (the mode
 * register, for channel 2's commands) and 0x61 (port B: gate, speaker
 * data, OUT2, refresh toggle), byte accesses only. The real PIT is the
 * hypervisor's (ioport.c); this one counts on the system time.
 *
 * Linux calibrates the TSC on channel 2 at boot (quick_pit_calibrate):
 * with every read all ones it spins through its whole loop (about 47 M
 * instructions) and says "Fast TSC calibration failed".
 */
#ifndef VPIT2_H
#define VPIT2_H

#include "lib.h"

#define VPIT2_COUNTER_PORT 0x42
#define VPIT2_MODE_PORT    0x43
#define VPIT2_PORT_B       0x61
#define VPIT2_HZ           1193182u     /* the PIT's input clock */

/* All zero at domain creation: mode 0, not yet programmed, count 65536,
 * gate low. */
struct vpit2 {
    uint64_t load_ns;        /* system time the count was loaded */
    uint16_t reload;         /* the count written; 0 stands for 65536 */
    uint16_t latched;        /* the count a latch command froze */
    uint8_t mode;            /* 0-5 */
    uint8_t access;          /* 1 lsb, 2 msb, 3 lsb then msb; 0 unset (as 3) */
    uint8_t write_lsb;       /* lsb of a two-byte write, waiting for its msb */
    bool latch_valid;
    bool read_msb_next;      /* two-byte read: the msb comes next */
    bool write_msb_next;     /* two-byte write: the msb comes next */
    bool gate;               /* port B bit 0 */
    bool speaker;            /* port B bit 1 */
};

/* True for the ports this model answers (a byte at each). */
bool vpit2_port(unsigned int port, unsigned int size);
/* A byte read of port at system time now (ns). */
uint8_t vpit2_read(struct vpit2 *p, unsigned int port, uint64_t now);
/* A byte write; a command for another channel is dropped. */
void vpit2_write(struct vpit2 *p, unsigned int port, uint8_t val, uint64_t now);

#endif /* VPIT2_H */
