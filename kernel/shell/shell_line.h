/*
 * Line editing for the console shell: bytes in as the terminal sends them,
 * a finished line out, and the bytes to echo so the user sees what they
 * type.  Pure code (no I/O), compiled into the kernel and the host tests.
 *
 * Keys: printable ASCII is appended (a tab counts as a space); Backspace
 * (BS or DEL) erases the last character; Enter (CR, LF, or CR LF counted
 * once) finishes the line; Ctrl-C abandons it.  Escape sequences (cursor
 * keys: ESC [ ... final, ESC O x) are swallowed whole, since there is no
 * history or cursor movement to give them meaning.  Input beyond
 * SHELL_LINE_MAX - 1 characters rings the bell and is dropped.
 */
#ifndef SYNACK_KERNEL_SHELL_SHELL_LINE_H
#define SYNACK_KERNEL_SHELL_SHELL_LINE_H

#include <stdbool.h>
#include <stddef.h>

#define SHELL_LINE_MAX		256
#define SHELL_ECHO_MAX		8	/* longest echo of one byte */

enum shell_line_event {
	SHELL_LINE_MORE,	/* keep feeding */
	SHELL_LINE_DONE,	/* line holds a finished, terminated line */
	SHELL_LINE_CANCEL,	/* the line was abandoned (Ctrl-C) */
};

struct shell_line {
	char buf[SHELL_LINE_MAX];
	size_t len;
	unsigned char esc;	/* escape-sequence state */
	bool after_cr;		/* the last byte was CR: a following LF is not a new line */
};

/* Empties the line for the next one.  A zeroed struct is a fresh editor. */
void shell_line_reset(struct shell_line *l);

/* Feeds byte c.  Fills echo (SHELL_ECHO_MAX bytes) with what to send back
 * and *echo_len with its length.  After DONE, l->buf is the line, NUL
 * terminated; the caller resets l before feeding the next line. */
enum shell_line_event shell_line_feed(struct shell_line *l, unsigned char c,
				      char *echo, size_t *echo_len);

#endif
