/*
 * Framebuffer console: registers the linear framebuffer the boot loader
 * set up (GOP, or GRUB's VBE/GOP mode) as a printk console, drawn by
 * fbtext in light grey on black.  printk writes to it with interrupts
 * disabled, which serializes the terminal (one CPU).
 */
#include "kernel/console/fbcon.h"

#include "boot/boot_info.h"
#include "kernel/console/fbtext.h"
#include "kernel/console/font.h"
#include "kernel/mm/vm.h"
#include "kernel/params.h"
#include "kernel/printk.h"

#define FB_BOOT_MAP_END	(1ull << 32)	/* ioremap's limit before paging_init */

static struct fbtext fbcon_text;

static size_t fbcon_write(const char *s, size_t len, bool wait)
{
	(void)wait;
	fbtext_write(&fbcon_text, s, len);
	return len;
}

static struct console fb_console = {
	.name = "fb",
	.write = fbcon_write,
};

static uint32_t fb_rgb(const struct boot_framebuffer *bf, uint8_t r, uint8_t g, uint8_t b)
{
	return (uint32_t)r << bf->red_pos | (uint32_t)g << bf->green_pos |
	       (uint32_t)b << bf->blue_pos;
}

void fbcon_init(const struct boot_info *bi)
{
	const struct boot_framebuffer *bf = &bi->fb;
	uint64_t size = (uint64_t)bf->pitch * bf->height;
	void *base;

	if (!bf->addr || !param_console_enabled("fb"))
		return;
	if ((bf->bpp != 32 && bf->bpp != 24) || bf->width < FONT_WIDTH ||
	    bf->height < FONT_HEIGHT || bf->pitch < bf->width * (bf->bpp / 8u)) {
		pr_warn("fbcon: unsupported framebuffer %ux%u %u bpp pitch %u\n",
			bf->width, bf->height, bf->bpp, bf->pitch);
		return;
	}
	if (bf->addr + size > FB_BOOT_MAP_END) {
		pr_warn("fbcon: framebuffer at %#lx is above 4 GiB, not used\n",
			(unsigned long)bf->addr);
		return;
	}
	base = ioremap(bf->addr, size);
	if (!base)
		return;
	fbtext_init(&fbcon_text, base, bf->width, bf->height, bf->pitch, bf->bpp / 8u,
		    fb_rgb(bf, 0xc0, 0xc0, 0xc0));
	console_register(&fb_console);
	pr_info("fbcon: %ux%u, %u bpp, %ux%u text\n", bf->width, bf->height, bf->bpp,
		fbcon_text.cols, fbcon_text.rows);
}
