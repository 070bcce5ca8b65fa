/*
 * Kernel command-line parser: "key=value key2=\"quoted value\" flag" into
 * a bounded table of key/value pairs.  Pure code (no allocation, no
 * output), compiled into the kernel and into the host tests.
 *
 * Grammar: tokens are separated by runs of blanks (space, tab, CR, LF)
 * outside double quotes.  A double quote anywhere in a token opens or
 * closes a quoted run and is itself dropped, so key="a b" and "key=a b"
 * both give key -> `a b`.  The first '=' (quoted or not, as in Linux)
 * splits key from value, so values may contain '='; a token without one
 * is a flag (value "", has_value false).  Keys are [A-Za-z0-9_.-]+.  A repeated key overwrites the earlier value (last wins)
 * and keeps its slot.
 *
 * Malformed tokens (empty or invalid key, unterminated quote, key or value
 * too long, table full) are reported one by one through the error callback
 * and skipped; parsing goes on with the next token.
 */
#ifndef SYNACK_KERNEL_LIB_CMDLINE_H
#define SYNACK_KERNEL_LIB_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CMDLINE_KEY_MAX		32	/* bytes including the terminator */
#define CMDLINE_VALUE_MAX	256
#define CMDLINE_PARAMS_MAX	32

struct cmdline_param {
	char key[CMDLINE_KEY_MAX];
	char value[CMDLINE_VALUE_MAX];
	bool has_value;		/* "key=" and "key" differ only here */
};

struct cmdline {
	struct cmdline_param params[CMDLINE_PARAMS_MAX];
	size_t count;
};

enum cmdline_error {
	CMDLINE_EMPTY_KEY = 1,
	CMDLINE_BAD_KEY,
	CMDLINE_UNTERMINATED_QUOTE,
	CMDLINE_KEY_TOO_LONG,
	CMDLINE_VALUE_TOO_LONG,
	CMDLINE_TOO_MANY,
};

/* Called once per rejected token; `token` points into the input (not
 * terminated), `len` is its length as written, quotes included. */
typedef void (*cmdline_error_fn)(enum cmdline_error err, const char *token,
				 size_t len, void *arg);

/* Parses `s` (NULL means empty) into `cl`, which it clears first.
 * `on_error` may be NULL.  Returns the number of rejected tokens. */
int cmdline_parse(struct cmdline *cl, const char *s, cmdline_error_fn on_error, void *arg);
/* The entry for `key`, NULL if absent. */
const struct cmdline_param *cmdline_find(const struct cmdline *cl, const char *key);
/* Removes `key` if present (the table keeps its order). */
void cmdline_remove(struct cmdline *cl, const char *key);
const char *cmdline_strerror(enum cmdline_error err);

/* Value parsers shared by everything that reads parameters.  Each accepts
 * the whole string or fails with -EINVAL (-ERANGE when above `max`). */
int cmdline_parse_uint(const char *s, uint64_t max, uint64_t *out);
/* Dotted quad "a.b.c.d", each 0-255 in decimal without leading zeros
 * (inet_aton would read "010" as octal; refusing it avoids the surprise).
 * Host byte order out. */
int cmdline_parse_ipv4(const char *s, uint32_t *addr);
/* "a.b.c.d/N" with N 0-32. */
int cmdline_parse_ipv4_prefix(const char *s, uint32_t *addr, unsigned *prefix);

#endif
