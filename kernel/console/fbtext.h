/*
 * A text terminal drawn into a linear pixel buffer with the 8x16 font:
 * the rendering half of the framebuffer console, kept free of kernel
 * services so host tests run it on an ordinary buffer.
 *
 * Light text on black: clearing is a zero fill, so the pixel format only
 * matters for the foreground colour the caller packs.  \n starts a new
 * line, \r returns to column 0, \t advances to the next multiple of 8,
 * \b moves back one column; past the last column a line wraps, past the
 * last row the text scrolls up one row.  Not reentrant: callers serialize.
 */
#ifndef SYNACK_KERNEL_CONSOLE_FBTEXT_H
#define SYNACK_KERNEL_CONSOLE_FBTEXT_H

#include <stddef.h>
#include <stdint.h>

struct fbtext {
	uint8_t *base;
	uint32_t pitch;		/* bytes per pixel row */
	uint32_t bytespp;	/* 4 or 3 */
	uint32_t cols, rows;	/* text cells */
	uint32_t cx, cy;	/* cursor cell */
	uint32_t fg;		/* packed foreground pixel */
};

/* Sets up a terminal over width x height pixels (at least one cell) and
 * clears them; bytespp is 4 or 3. */
void fbtext_init(struct fbtext *t, void *base, uint32_t width, uint32_t height,
		 uint32_t pitch, uint32_t bytespp, uint32_t fg);
void fbtext_write(struct fbtext *t, const char *s, size_t len);

#endif
