/*
 * screen.c: which screen the console writes to, and where it is mapped.
 *
 * The boot loader's framebuffer tag decides: none or EGA text means the
 * VGA text screen (vga.c); direct colour means the framebuffer console
 * (fbcon.c), as under UEFI, which has no text mode. A refused tag falls
 * back to VGA text, which is harmless where there is none. The framebuffer
 * is reached through the direct map: below 4 GiB, where it usually is,
 * the boot page tables already map it; above, it is mapped (uncached) once
 * the frame allocator exists, and the screen stays dark until then.
 */
#include "iomem_host.h"
#include "console.h"
#include "fbcon.h"
#include "memory_setup.h"
#include "directmap.h"
#include "screen.h"
#include "vga.h"
#include <asm/paging.h>

#define BOOT_MAPPED_TOP (4ULL << 30)           /* boot.S maps the first 4 GiB */

enum screen_kind { SCREEN_NONE, SCREEN_VGA, SCREEN_FB };

static enum screen_kind kind;
static struct boot_framebuffer fb_info;
static bool fb_pending;                        /* above 4 GiB, not mapped yet */
static struct fbcon fbcon;

static uint64_t fb_bytes(const struct boot_framebuffer *fb)
{
    return (uint64_t)fb->pitch * fb->height;
}

static void start_fb(void)
{
    if (fbcon_init(&fbcon, phys_to_virt(fb_info.addr), &fb_info, &console_font)) {
        log_warn("console: the framebuffer is too small for the font; no screen\n");
        return;
    }
    kind = SCREEN_FB;
    iomem_host_deny(fb_info.addr, fb_bytes(&fb_info), "the framebuffer");
    log_info("console: framebuffer %ux%u, %u bpp at %#lx: %ux%u characters (font %s)\n",
             fb_info.width, fb_info.height, fb_info.bpp, fb_info.addr, fbcon.cols,
             fbcon.rows, console_font.name);
}

static void start_vga(const struct boot_framebuffer *fb)
{
    vga_init();
    kind = SCREEN_VGA;
    if (fb && fb->kind == BOOT_FB_REFUSED)
        log_warn("console: framebuffer refused (%s); using VGA text\n", fb->why);
    else
        log_info("console: VGA text screen at 0xb8000 (%s)\n",
                 fb && fb->kind == BOOT_FB_TEXT ? "the boot loader's text mode"
                                                 : "no framebuffer from the boot loader");
}

void screen_init(const struct boot_framebuffer *fb)
{
    if (!fb || fb->kind != BOOT_FB_RGB) {
        start_vga(fb);
        return;
    }
    fb_info = *fb;
    if (fb_info.addr + fb_bytes(&fb_info) <= BOOT_MAPPED_TOP) {
        start_fb();
        return;
    }
    fb_pending = true;
    log_info("console: framebuffer at %#lx is above 4 GiB; the screen starts "
             "once it is mapped\n", fb_info.addr);
}

void screen_late_init(void)
{
    if (!fb_pending)
        return;
    fb_pending = false;
    if (!phys_is_mapped(fb_info.addr, fb_bytes(&fb_info)) &&
        paging_map_mmio(&machine_frames, fb_info.addr, fb_bytes(&fb_info))) {
        log_warn("console: cannot map the framebuffer at %#lx; no screen\n", fb_info.addr);
        return;
    }
    start_fb();
}

bool screen_is_vga_text(void)
{
    return kind == SCREEN_VGA;
}

bool screen_in_use(void)
{
    return kind != SCREEN_NONE || fb_pending;
}

void screen_putc(char c)
{
    if (kind == SCREEN_FB)
        fbcon_putc(&fbcon, c);
    else if (kind == SCREEN_VGA)
        vga_putc(c);
}
