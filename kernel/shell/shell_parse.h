/*
 * The shell's pure text handling: splitting a line into words, finding a
 * command in a table, parsing and validating arguments, and the small
 * formatters the commands share.  No I/O and no stack state, so all of it
 * is compiled into the host tests too (tests/host/test_shell.c).
 *
 * Addresses are host byte order, as in net/ipv4.
 */
#ifndef SYNACK_KERNEL_SHELL_SHELL_PARSE_H
#define SYNACK_KERNEL_SHELL_SHELL_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SHELL_MAX_ARGS		16
#define SHELL_IFNAMSIZ		16	/* net_device names, terminator included */
#define SHELL_IPV4_STR_LEN	16	/* "255.255.255.255" */

/*
 * A command table is an array of entries ended by one with a NULL name.
 * An entry either runs (run) or groups further words (sub, a table of its
 * own, as `ip` groups addr/link/route/neigh); a group with sub_default
 * runs its first entry when no further word is given (`ip route` shows).
 * `name` (or `alias`) selects the entry, `args` is the argument part of
 * its usage line, `help` one line of description.  run gets the words
 * after the entry's name and returns 0, -EINVAL for a usage error (it
 * must then have changed nothing; the caller prints usage), or another
 * negative errno it has not reported itself.
 */
struct shell_cmd {
	const char *name;
	const char *alias;
	const char *args;
	const char *help;
	int (*run)(int argc, char **argv);
	const struct shell_cmd *sub;
	bool sub_default;
};

#define SHELL_MAX_DEPTH		4

/* What shell_dispatch matched: path[0..depth) from the top-level entry
 * down to the one that ran or whose usage applies. */
struct shell_match {
	const struct shell_cmd *path[SHELL_MAX_DEPTH];
	int depth;
};

/* Splits line in place at blanks into at most max words; returns the word
 * count, or -E2BIG if there are more. */
int shell_tokenize(char *line, char **argv, int max);

/* The entry of tbl named word (or with that alias); with abbrev, otherwise
 * the first entry whose name starts with word (iproute2's "ip r" for "ip
 * route").  NULL if none. */
const struct shell_cmd *shell_cmd_find(const struct shell_cmd *tbl, const char *word,
				       bool abbrev);

/*
 * Runs the command argv[0..argc) names: argv[0] exactly from tbl, further
 * words (abbreviations allowed) through sub-tables.  Returns -ENOENT if
 * argv[0] names nothing (m->depth 0), -EINVAL if a group lacks or does not
 * know the next word (the group is m->path[m->depth - 1]), else what run
 * returned.
 */
int shell_dispatch(const struct shell_cmd *tbl, int argc, char **argv, struct shell_match *m);

/* "default", or A.B.C.D[/N] (no /N: a host route, /32).  -EINVAL for a
 * malformed prefix or one with bits set beyond N. */
int shell_parse_prefix(const char *s, uint32_t *dst, unsigned int *plen);

/* The arguments of `ip route add|del`: PREFIX [via GW] [dev NAME] [metric N]. */
struct shell_route_args {
	uint32_t dst;
	unsigned int plen;
	uint32_t gw;			/* 0: none given */
	uint32_t metric;
	bool has_metric;
	char dev[SHELL_IFNAMSIZ];	/* "": none given */
};

/* Parses argv[0..argc) (the words after add/del).  Each keyword at most
 * once; need_nexthop (add) requires via or dev.  0 or -EINVAL. */
int shell_parse_route(int argc, char **argv, bool need_nexthop,
		      struct shell_route_args *ra);

/* "a.b.c.d" into buf (SHELL_IPV4_STR_LEN bytes); returns buf. */
char *shell_format_ipv4(char *buf, uint32_t addr);

/* iproute2's flag list: "<BROADCAST,MULTICAST,UP,LOWER_UP>" from IFF_*
 * flags and the carrier; like snprintf. */
int shell_format_ifflags(char *buf, size_t len, unsigned int flags, bool carrier);

/* A short description of -err ("no such entry", "already exists"...). */
const char *shell_strerror(int err);

#endif
