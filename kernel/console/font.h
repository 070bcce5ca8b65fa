/*
 * The console's 8x16 bitmap font (printable ASCII), generated at build time
 * by tools/mkfont.py from kernel/console/font8x16.txt.  One byte per pixel
 * row, bit 7 the leftmost pixel.
 */
#ifndef SYNACK_KERNEL_CONSOLE_FONT_H
#define SYNACK_KERNEL_CONSOLE_FONT_H

#include <stdint.h>

#define FONT_WIDTH	8
#define FONT_HEIGHT	16
#define FONT_FIRST	0x20
#define FONT_LAST	0x7f	/* a hollow box, drawn for bytes without a glyph */

extern const uint8_t font8x16[FONT_LAST - FONT_FIRST + 1][FONT_HEIGHT];

static inline const uint8_t *font_glyph(unsigned char c)
{
	if (c < FONT_FIRST || c > FONT_LAST)
		c = FONT_LAST;
	return font8x16[c - FONT_FIRST];
}

#endif
