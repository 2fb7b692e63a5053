/*
 * The screen half of the console (arch/x86/screen.c): VGA text when the
 * boot loader left a text mode (or said nothing), the framebuffer console
 * (fbcon.c) on a direct-colour framebuffer, as under UEFI.
 */
#ifndef SCREEN_H
#define SCREEN_H

#include "multiboot2.h"

/* Pick and clear the screen for fb (NULL: VGA text). A framebuffer beyond
 * the boot page tables' first 4 GiB waits for screen_late_init(). Logs
 * what it chose. */
void screen_init(const struct boot_framebuffer *fb);
void screen_putc(char c);
/* Does the console write the VGA text screen (its CRTC ports included)?
 * Does it draw on a display controller at all (VGA text or a framebuffer,
 * mapped or waiting for screen_late_init)? Both are false without a screen. */
bool screen_is_vga_text(void);
bool screen_in_use(void);
/* After memory_init(): map a framebuffer above 4 GiB and start using it. */
void screen_late_init(void);

#endif /* SCREEN_H */
