/*
 * fbtext, the framebuffer console's renderer, on an ordinary buffer: glyph
 * placement, control characters, line wrap, scrolling, 24 bpp pixels and a
 * pitch wider than the visible row.
 */
#include <stdlib.h>

#include "kernel/console/fbtext.h"
#include "kernel/console/font.h"
#include "tests/host/check.h"

#define FG	0x00c0c0c0u

/* 16 x 3 cells with 8 bytes of padding per pixel row. */
#define COLS	16
#define ROWS	3

static struct fbtext term;
static uint8_t *buf;
static size_t buf_size;

static void setup(uint32_t bytespp)
{
	uint32_t width = COLS * FONT_WIDTH, height = ROWS * FONT_HEIGHT;
	uint32_t pitch = width * bytespp + 8;

	free(buf);
	buf_size = (size_t)pitch * height;
	buf = malloc(buf_size);
	memset(buf, 0xee, buf_size);	/* init must clear it */
	fbtext_init(&term, buf, width, height, pitch, bytespp, FG);
}

static uint32_t pixel(uint32_t x, uint32_t y)
{
	const uint8_t *p = buf + (size_t)y * term.pitch + (size_t)x * term.bytespp;

	return term.bytespp == 4 ? *(const uint32_t *)p :
	       (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
}

/* True if cell (col, row) shows exactly the glyph of c. */
static int cell_is(uint32_t col, uint32_t row, char c)
{
	const uint8_t *g = font_glyph((unsigned char)c);

	for (uint32_t y = 0; y < FONT_HEIGHT; y++)
		for (uint32_t x = 0; x < FONT_WIDTH; x++) {
			uint32_t want = (g[y] & (0x80 >> x)) ? FG : 0;

			if (pixel(col * FONT_WIDTH + x, row * FONT_HEIGHT + y) != want)
				return 0;
		}
	return 1;
}

static void put(const char *s)
{
	fbtext_write(&term, s, strlen(s));
}

static void test_init_clears(void)
{
	setup(4);
	CHECK_EQ(term.cols, COLS);
	CHECK_EQ(term.rows, ROWS);
	for (size_t i = 0; i < buf_size; i++)
		if (buf[i]) {
			CHECK_EQ(buf[i], 0);
			break;
		}
}

static void test_glyphs_and_controls(void)
{
	setup(4);
	put("Ab");
	CHECK(cell_is(0, 0, 'A'));
	CHECK(cell_is(1, 0, 'b'));
	CHECK(!cell_is(0, 0, 'B'));
	put("\tT");			/* column 2 -> 8 */
	CHECK(cell_is(8, 0, 'T'));
	CHECK(cell_is(2, 0, ' '));
	put("xy\bZ");			/* backspace: Z replaces y */
	CHECK(cell_is(9, 0, 'x'));
	CHECK(cell_is(10, 0, 'Z'));
	put("\rQ");			/* carriage return: back to column 0 */
	CHECK(cell_is(0, 0, 'Q'));
	CHECK(cell_is(1, 0, 'b'));
	put("\n1");
	CHECK(cell_is(0, 1, '1'));
	put("\x01");			/* no glyph: the box */
	CHECK(cell_is(1, 1, FONT_LAST));
}

static void test_wrap_and_scroll(void)
{
	setup(4);
	put("0123456789abcdefW");	/* 17 characters: W wraps */
	CHECK(cell_is(15, 0, 'f'));
	CHECK(cell_is(0, 1, 'W'));
	put("\nL2");			/* fills the last row */
	CHECK(cell_is(0, 2, 'L'));
	CHECK(cell_is(0, 0, '0'));
	put("\nL3");			/* scrolls: row 0 now holds the wrapped W */
	CHECK(cell_is(0, 0, 'W'));
	CHECK(cell_is(1, 0, ' '));
	CHECK(cell_is(1, 1, '2'));
	CHECK(cell_is(1, 2, '3'));
	CHECK(cell_is(2, 2, ' '));
	CHECK_EQ(term.cy, ROWS - 1);
}

static void test_24bpp(void)
{
	setup(3);
	put("H\tH");
	CHECK(cell_is(0, 0, 'H'));
	CHECK(cell_is(8, 0, 'H'));
	put("\n\n\n!");			/* scroll with an odd pixel size */
	CHECK(cell_is(0, 0, ' '));
	CHECK(cell_is(0, 2, '!'));
}

int main(void)
{
	test_init_clears();
	test_glyphs_and_controls();
	test_wrap_and_scroll();
	test_24bpp();
	free(buf);
	return check_report();
}
