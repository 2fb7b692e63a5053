/*
 * pit.c: channel 2 of the 8254 PIT as a reference interval.
 *
 * Channel 2's gate and output are visible in port 0x61 (the gate in bit 0,
 * the speaker enable in bit 1, the output in bit 5), so the interval needs
 * no interrupt: in mode 0 the output goes low when the count is written
 * and high when it reaches zero. The speaker stays off throughout.
 */
#include <asm/io.h>
#include <asm/time.h>

#define PIT_CH2       0x42
#define PIT_CMD       0x43
#define PORT_B        0x61
#define PORT_B_GATE2  0x01
#define PORT_B_SPKR   0x02
#define PORT_B_OUT2   0x20
#define CMD_CH2_LOHI_MODE0 0xb0          /* channel 2, lo then hi byte, mode 0, binary */

void pit_window_start(uint16_t ticks)
{
    uint8_t b = inb(PORT_B);

    outb(PORT_B, (uint8_t)((b & ~PORT_B_SPKR) | PORT_B_GATE2));
    outb(PIT_CMD, CMD_CH2_LOHI_MODE0);
    outb(PIT_CH2, (uint8_t)ticks);
    outb(PIT_CH2, (uint8_t)(ticks >> 8));
}

bool pit_window_done(void)
{
    return inb(PORT_B) & PORT_B_OUT2;
}
