/*
 * Text rendering for the framebuffer console (fbtext.h).  Pixels are
 * written one by one through volatile stores (the buffer is device
 * memory in the kernel); bulk clears and the scroll use string moves,
 * because a framebuffer is megabytes and the byte loops of kernel/lib
 * would make every scroll visible.
 */
#include "kernel/console/fbtext.h"

#include "kernel/console/font.h"

#define TAB_WIDTH	8

static void fb_zero(void *dst, size_t bytes)
{
	size_t quads = bytes / 8, rest = bytes % 8;

	__asm__ volatile("rep stosq" : "+D"(dst), "+c"(quads) : "a"(0ul) : "memory");
	__asm__ volatile("rep stosb" : "+D"(dst), "+c"(rest) : "a"(0ul) : "memory");
}

static void fb_put_pixel(const struct fbtext *t, uint8_t *p, uint32_t v)
{
	if (t->bytespp == 4) {
		*(volatile uint32_t *)p = v;
	} else {
		((volatile uint8_t *)p)[0] = (uint8_t)v;
		((volatile uint8_t *)p)[1] = (uint8_t)(v >> 8);
		((volatile uint8_t *)p)[2] = (uint8_t)(v >> 16);
	}
}

static void fbtext_draw(struct fbtext *t, uint32_t col, uint32_t row, unsigned char c)
{
	const uint8_t *glyph = font_glyph(c);
	uint8_t *line = t->base + (size_t)row * FONT_HEIGHT * t->pitch +
			(size_t)col * FONT_WIDTH * t->bytespp;

	for (int y = 0; y < FONT_HEIGHT; y++, line += t->pitch)
		for (int x = 0; x < FONT_WIDTH; x++)
			fb_put_pixel(t, line + x * t->bytespp,
				     (glyph[y] & (0x80 >> x)) ? t->fg : 0);
}

/*
 * Moves text rows 1.. up by one and blanks the last.  A text row is 16
 * pixel rows, so the byte count is a multiple of 8; a forward copy is
 * safe because the destination lies below the source.
 */
static void fbtext_scroll(struct fbtext *t)
{
	size_t row_bytes = (size_t)t->pitch * FONT_HEIGHT;
	size_t quads = row_bytes * (t->rows - 1) / 8;
	void *dst = t->base, *src = t->base + row_bytes;

	__asm__ volatile("rep movsq" : "+D"(dst), "+S"(src), "+c"(quads) : : "memory");
	fb_zero(dst, row_bytes);
}

static void fbtext_newline(struct fbtext *t)
{
	t->cx = 0;
	if (t->cy + 1 < t->rows)
		t->cy++;
	else
		fbtext_scroll(t);
}

static void fbtext_putc(struct fbtext *t, char c)
{
	switch (c) {
	case '\n':
		fbtext_newline(t);
		break;
	case '\r':
		t->cx = 0;
		break;
	case '\t':
		t->cx = (t->cx / TAB_WIDTH + 1) * TAB_WIDTH;
		if (t->cx >= t->cols)
			fbtext_newline(t);
		break;
	case '\b':
		if (t->cx)
			t->cx--;
		break;
	default:
		if (t->cx >= t->cols)
			fbtext_newline(t);
		fbtext_draw(t, t->cx++, t->cy, (unsigned char)c);
	}
}

void fbtext_init(struct fbtext *t, void *base, uint32_t width, uint32_t height,
		 uint32_t pitch, uint32_t bytespp, uint32_t fg)
{
	*t = (struct fbtext){
		.base = base, .pitch = pitch, .bytespp = bytespp,
		.cols = width / FONT_WIDTH, .rows = height / FONT_HEIGHT, .fg = fg,
	};
	fb_zero(base, (size_t)pitch * height);
}

void fbtext_write(struct fbtext *t, const char *s, size_t len)
{
	while (len--)
		fbtext_putc(t, *s++);
}
