/*
 * Framebuffer text console: renders printk output with the 8x16 font into
 * the linear framebuffer the boot loader set up (GOP, or GRUB's VBE/GOP
 * mode).  Light grey on black; \n starts a new line, \r returns to column
 * 0, \t advances to the next multiple of 8, \b moves back one column.  At
 * the bottom the screen scrolls up one text row by copying the pixel rows.
 *
 * Called only through printk's console_write, which runs with interrupts
 * disabled, so the cursor needs no further locking (one CPU).
 */
#include "kernel/console/fbcon.h"

#include "boot/boot_info.h"
#include "kernel/console/font.h"
#include "kernel/mm/vm.h"
#include "kernel/params.h"
#include "kernel/printk.h"

#define FB_BOOT_MAP_END	(1ull << 32)	/* ioremap's limit before paging_init */
#define TAB_WIDTH	8

static struct {
	uint8_t *base;
	uint32_t pitch;		/* bytes per pixel row */
	uint32_t bytespp;	/* 4 or 3 */
	uint32_t cols, rows;	/* text cells */
	uint32_t cx, cy;	/* cursor cell */
	uint32_t fg;		/* packed pixel; the background is 0 (black) */
} fb;

static void fb_put_pixel(uint8_t *p, uint32_t v)
{
	if (fb.bytespp == 4) {
		*(volatile uint32_t *)p = v;
	} else {
		((volatile uint8_t *)p)[0] = (uint8_t)v;
		((volatile uint8_t *)p)[1] = (uint8_t)(v >> 8);
		((volatile uint8_t *)p)[2] = (uint8_t)(v >> 16);
	}
}

static void fbcon_draw(uint32_t col, uint32_t row, unsigned char c)
{
	const uint8_t *glyph = font_glyph(c);
	uint8_t *line = fb.base + (size_t)row * FONT_HEIGHT * fb.pitch +
			(size_t)col * FONT_WIDTH * fb.bytespp;

	for (int y = 0; y < FONT_HEIGHT; y++, line += fb.pitch)
		for (int x = 0; x < FONT_WIDTH; x++)
			fb_put_pixel(line + x * fb.bytespp,
				     (glyph[y] & (0x80 >> x)) ? fb.fg : 0);
}

/* String stores, not the byte loops of kernel/lib: the framebuffer is
 * megabytes, cleared and scrolled often. */
static void fb_zero(void *dst, size_t bytes)
{
	size_t quads = bytes / 8, rest = bytes % 8;

	__asm__ volatile("rep stosq" : "+D"(dst), "+c"(quads) : "a"(0ul) : "memory");
	__asm__ volatile("rep stosb" : "+D"(dst), "+c"(rest) : "a"(0ul) : "memory");
}

/*
 * Moves text rows 1.. up by one and blanks the last.  A text row is 16
 * pixel rows, so the byte counts are multiples of 8; a forward copy is
 * safe because the destination lies below the source.
 */
static void fbcon_scroll(void)
{
	size_t row_bytes = (size_t)fb.pitch * FONT_HEIGHT;
	size_t quads = row_bytes * (fb.rows - 1) / 8;
	void *dst = fb.base, *src = fb.base + row_bytes;

	__asm__ volatile("rep movsq" : "+D"(dst), "+S"(src), "+c"(quads) : : "memory");
	fb_zero(dst, row_bytes);
}

static void fbcon_newline(void)
{
	fb.cx = 0;
	if (fb.cy + 1 < fb.rows)
		fb.cy++;
	else
		fbcon_scroll();
}

static void fbcon_putc(char c)
{
	switch (c) {
	case '\n':
		fbcon_newline();
		break;
	case '\r':
		fb.cx = 0;
		break;
	case '\t':
		fb.cx = (fb.cx / TAB_WIDTH + 1) * TAB_WIDTH;
		if (fb.cx >= fb.cols)
			fbcon_newline();
		break;
	case '\b':
		if (fb.cx)
			fb.cx--;
		break;
	default:
		if (fb.cx >= fb.cols)
			fbcon_newline();
		fbcon_draw(fb.cx++, fb.cy, (unsigned char)c);
	}
}

static void fbcon_write(const char *s, size_t len)
{
	while (len--)
		fbcon_putc(*s++);
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

	if (!bf->addr || !param_console_enabled("fb"))
		return;
	if ((bf->bpp != 32 && bf->bpp != 24) || bf->width < FONT_WIDTH ||
	    bf->height < FONT_HEIGHT) {
		pr_warn("fbcon: unsupported framebuffer %ux%u %u bpp pitch %u\n",
			bf->width, bf->height, bf->bpp, bf->pitch);
		return;
	}
	if (bf->addr + size > FB_BOOT_MAP_END) {
		pr_warn("fbcon: framebuffer at %#lx is above 4 GiB, not used\n",
			(unsigned long)bf->addr);
		return;
	}
	fb.base = ioremap(bf->addr, size);
	if (!fb.base)
		return;
	fb.pitch = bf->pitch;
	fb.bytespp = bf->bpp / 8;
	fb.cols = bf->width / FONT_WIDTH;
	fb.rows = bf->height / FONT_HEIGHT;
	fb.fg = fb_rgb(bf, 0xc0, 0xc0, 0xc0);
	fb.cx = fb.cy = 0;
	fb_zero(fb.base, size);		/* whatever the firmware or GRUB left */
	console_register(&fb_console);
	pr_info("fbcon: %ux%u, %u bpp, %ux%u text\n", bf->width, bf->height, bf->bpp,
		fb.cols, fb.rows);
}
