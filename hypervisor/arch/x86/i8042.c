/*
 * i8042.c: the PS/2 keyboard behind an 8042-compatible controller.
 *
 * Not every PC has one (many new ones do not, and USB keyboards only reach
 * it through the firmware's legacy emulation), so the probe is careful:
 * a status of 0xff means nothing answers at port 0x64, and every wait for
 * the controller is bounded, so a missing or wedged one costs
 * milliseconds and a log line, never a hang. The controller is set up for
 * the keyboard alone: IRQ 1 on, translation to scancode set 1 on, the
 * mouse port's clock and interrupt off. Each byte received is decoded
 * (kbd_decode.c) and its character goes where a serial character goes:
 * console_input(), the debug keys or, after Ctrl-A x3, the guest.
 */
#include "console.h"
#include "console_io.h"
#include "kbd_decode.h"
#include <asm/i8042.h>
#include <asm/io.h>
#include <asm/irq.h>

#define I8042_DATA      0x60
#define I8042_STATUS    0x64            /* read */
#define I8042_CMD       0x64            /* write */
#define ST_OUT_FULL     0x01            /* a byte waits at I8042_DATA */
#define ST_IN_FULL      0x02            /* the controller has not taken ours */
#define ST_AUX          0x20            /* the waiting byte is the mouse's */
#define CMD_READ_CFG    0x20
#define CMD_WRITE_CFG   0x60
#define CMD_AUX_OFF     0xa7
#define CMD_KBD_OFF     0xad
#define CMD_KBD_ON      0xae
#define CFG_KBD_IRQ     0x01
#define CFG_AUX_IRQ     0x02
#define CFG_KBD_CLK_OFF 0x10
#define CFG_AUX_CLK_OFF 0x20
#define CFG_TRANSLATE   0x40
#define KBD_ENABLE_SCAN 0xf4
#define KBD_ACK         0xfa
#define KBD_IRQ         1
#define SPIN_LIMIT      100000          /* status reads: ~0.1 s on real ISA timing */
#define FLUSH_LIMIT     32

static struct kbd_state kbd;

static bool wait_can_write(void)
{
    for (unsigned int i = 0; i < SPIN_LIMIT; i++)
        if (!(inb(I8042_STATUS) & ST_IN_FULL))
            return true;
    return false;
}

static bool wait_can_read(void)
{
    for (unsigned int i = 0; i < SPIN_LIMIT; i++)
        if (inb(I8042_STATUS) & ST_OUT_FULL)
            return true;
    return false;
}

static bool send_cmd(uint8_t cmd)
{
    if (!wait_can_write())
        return false;
    outb(I8042_CMD, cmd);
    return true;
}

static bool send_data(uint8_t v)
{
    if (!wait_can_write())
        return false;
    outb(I8042_DATA, v);
    return true;
}

/* Drop whatever waits; false if the output never empties (no controller). */
static bool flush(void)
{
    for (unsigned int i = 0; i < FLUSH_LIMIT; i++) {
        if (!(inb(I8042_STATUS) & ST_OUT_FULL))
            return true;
        (void)inb(I8042_DATA);
    }
    return false;
}

static bool read_config(uint8_t *cfg)
{
    if (!send_cmd(CMD_READ_CFG) || !wait_can_read())
        return false;
    *cfg = inb(I8042_DATA);
    return true;
}

/* Keyboard port on with its IRQ and translation; mouse port off. */
static bool configure(void)
{
    uint8_t cfg;

    if (!send_cmd(CMD_KBD_OFF) || !send_cmd(CMD_AUX_OFF) || !flush() ||
        !read_config(&cfg))
        return false;
    cfg = (uint8_t)((cfg | CFG_KBD_IRQ | CFG_TRANSLATE | CFG_AUX_CLK_OFF) &
                    ~(CFG_AUX_IRQ | CFG_KBD_CLK_OFF));
    return send_cmd(CMD_WRITE_CFG) && send_data(cfg) && send_cmd(CMD_KBD_ON);
}

/* Firmware may leave the keyboard not scanning; ask it to. No answer is
 * no keyboard plugged in (yet): the controller is used all the same. */
static bool keyboard_answers(void)
{
    if (!send_data(KBD_ENABLE_SCAN) || !wait_can_read())
        return false;
    return inb(I8042_DATA) == KBD_ACK;
}

static void keyboard_irq(unsigned int irq, struct cpu_regs *regs)
{
    uint8_t status, byte;
    char c;

    (void)irq;
    for (unsigned int i = 0; i < FLUSH_LIMIT; i++) {
        status = inb(I8042_STATUS);
        if (!(status & ST_OUT_FULL))
            break;
        byte = inb(I8042_DATA);
        if (status & ST_AUX)
            continue;                   /* a stray mouse byte: not a key */
        c = kbd_decode(&kbd, byte);
        if (c)
            console_input(c, regs);
    }
}

bool i8042_keyboard_init(void)
{
    if (inb(I8042_STATUS) == 0xff || !flush() || !configure()) {
        log_info("PS/2 keyboard: no 8042 controller answers\n");
        return false;
    }
    if (!keyboard_answers())
        log_info("PS/2 keyboard: controller found, no keyboard answered yet\n");
    flush();
    irq_register(KBD_IRQ, keyboard_irq);
    return true;
}
