/*
 * Console line editing (shell_line.h): a byte-at-a-time state machine with
 * no output of its own; the echo it returns is written by the caller.
 */
#include "kernel/shell/shell_line.h"

#include "kernel/lib/string.h"

enum {
	KEY_CTRL_C = 0x03,
	KEY_BS = 0x08,
	KEY_TAB = 0x09,
	KEY_LF = 0x0a,
	KEY_CR = 0x0d,
	KEY_ESC = 0x1b,
	KEY_DEL = 0x7f,
};

/* Escape-sequence states: after ESC, inside CSI (ESC [), after SS3 (ESC O). */
enum { ESC_NONE, ESC_START, ESC_CSI, ESC_SS3 };

void shell_line_reset(struct shell_line *l)
{
	l->len = 0;
	l->buf[0] = '\0';
	l->esc = ESC_NONE;
	/* after_cr survives: the LF of a CR LF arrives after the reset. */
}

/* True while c belongs to an escape sequence (which it then advances). */
static bool line_in_escape(struct shell_line *l, unsigned char c)
{
	switch (l->esc) {
	case ESC_START:
		l->esc = c == '[' ? ESC_CSI : c == 'O' ? ESC_SS3 : ESC_NONE;
		return true;
	case ESC_CSI:
		/* Parameters and intermediates run until a final byte 0x40-0x7e. */
		if (c >= 0x40 && c <= 0x7e)
			l->esc = ESC_NONE;
		return true;
	case ESC_SS3:
		l->esc = ESC_NONE;
		return true;
	default:
		return false;
	}
}

static void echo_set(char *echo, size_t *echo_len, const char *s)
{
	*echo_len = strlen(s);
	memcpy(echo, s, *echo_len);
}

enum shell_line_event shell_line_feed(struct shell_line *l, unsigned char c,
				      char *echo, size_t *echo_len)
{
	bool after_cr = l->after_cr;

	*echo_len = 0;
	l->after_cr = c == KEY_CR;
	if (line_in_escape(l, c))
		return SHELL_LINE_MORE;
	switch (c) {
	case KEY_LF:
		if (after_cr)
			return SHELL_LINE_MORE;
		/* fall through */
	case KEY_CR:
		l->buf[l->len] = '\0';
		echo_set(echo, echo_len, "\n");
		return SHELL_LINE_DONE;
	case KEY_CTRL_C:
		shell_line_reset(l);
		echo_set(echo, echo_len, "^C\n");
		return SHELL_LINE_CANCEL;
	case KEY_BS:
	case KEY_DEL:
		if (l->len > 0) {
			l->len--;
			echo_set(echo, echo_len, "\b \b");
		}
		return SHELL_LINE_MORE;
	case KEY_ESC:
		l->esc = ESC_START;
		return SHELL_LINE_MORE;
	case KEY_TAB:
		c = ' ';
		break;
	default:
		break;
	}
	if (c < 0x20 || c > 0x7e)
		return SHELL_LINE_MORE;
	if (l->len + 1 >= SHELL_LINE_MAX) {
		echo_set(echo, echo_len, "\a");
		return SHELL_LINE_MORE;
	}
	l->buf[l->len++] = (char)c;
	echo[0] = (char)c;
	*echo_len = 1;
	return SHELL_LINE_MORE;
}
