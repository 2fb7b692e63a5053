/* VGA text console (arch/x86/vga.c): 80x25, scrolling. */
#ifndef VGA_H
#define VGA_H

void vga_init(void);
void vga_putc(char c);

#endif /* VGA_H */
