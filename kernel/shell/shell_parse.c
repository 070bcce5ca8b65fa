/*
 * Shell text handling (shell_parse.h): tokenizer, command lookup,
 * argument validation and shared formatters.  Pure: kernel and host.
 */
#include "kernel/shell/shell_parse.h"

#include "kernel/errno.h"
#include "kernel/lib/cmdline.h"
#include "kernel/lib/format.h"
#include "kernel/lib/string.h"
#include "net/core/netdevice.h"

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

int shell_tokenize(char *line, char **argv, int max)
{
	int argc = 0;
	char *p = line;

	for (;;) {
		while (is_blank(*p))
			*p++ = '\0';
		if (!*p)
			return argc;
		if (argc == max)
			return -E2BIG;
		argv[argc++] = p;
		while (*p && !is_blank(*p))
			p++;
	}
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

const struct shell_cmd *shell_cmd_find(const struct shell_cmd *tbl, const char *word,
				       bool abbrev)
{
	for (const struct shell_cmd *c = tbl; c->name; c++)
		if (!strcmp(c->name, word) || (c->alias && !strcmp(c->alias, word)))
			return c;
	if (!abbrev || !*word)
		return NULL;
	for (const struct shell_cmd *c = tbl; c->name; c++)
		if (starts_with(c->name, word))
			return c;
	return NULL;
}

int shell_dispatch(const struct shell_cmd *tbl, int argc, char **argv, struct shell_match *m)
{
	const struct shell_cmd *c = argc > 0 ? shell_cmd_find(tbl, argv[0], false) : NULL;
	int used = 1;

	m->depth = 0;
	if (!c)
		return -ENOENT;
	m->path[m->depth++] = c;
	while (c->sub) {
		const struct shell_cmd *next;

		if (used < argc)
			next = shell_cmd_find(c->sub, argv[used++], true);
		else
			next = c->sub_default ? &c->sub[0] : NULL;
		if (!next || m->depth == SHELL_MAX_DEPTH)
			return -EINVAL;
		m->path[m->depth++] = c = next;
	}
	return c->run(argc - used, argv + used);
}

static inline uint32_t prefix_mask(unsigned int plen)
{
	return plen == 0 ? 0 : ~(uint32_t)0 << (32 - plen);
}

int shell_parse_prefix(const char *s, uint32_t *dst, unsigned int *plen)
{
	if (!strcmp(s, "default")) {
		*dst = 0;
		*plen = 0;
		return 0;
	}
	if (strchr(s, '/')) {
		if (cmdline_parse_ipv4_prefix(s, dst, plen))
			return -EINVAL;
	} else {
		if (cmdline_parse_ipv4(s, dst))
			return -EINVAL;
		*plen = 32;
	}
	/* Like iproute2: 10.9.1.0/16 is a typo, not a request for 10.9.0.0/16. */
	return (*dst & ~prefix_mask(*plen)) ? -EINVAL : 0;
}

/* One "KEYWORD VALUE" pair of a route spec; -EINVAL if repeated or bad. */
static int route_parse_pair(const char *key, const char *val, struct shell_route_args *ra,
			    unsigned int *seen)
{
	uint64_t metric;

	if (!strcmp(key, "via") && !(*seen & 1)) {
		*seen |= 1;
		return cmdline_parse_ipv4(val, &ra->gw) || !ra->gw ? -EINVAL : 0;
	}
	if (!strcmp(key, "dev") && !(*seen & 2)) {
		*seen |= 2;
		return strlcpy(ra->dev, val, sizeof(ra->dev)) >= sizeof(ra->dev) ? -EINVAL : 0;
	}
	if (!strcmp(key, "metric") && !(*seen & 4)) {
		*seen |= 4;
		if (cmdline_parse_uint(val, UINT32_MAX, &metric))
			return -EINVAL;
		ra->metric = (uint32_t)metric;
		ra->has_metric = true;
		return 0;
	}
	return -EINVAL;
}

int shell_parse_route(int argc, char **argv, bool need_nexthop,
		      struct shell_route_args *ra)
{
	unsigned int seen = 0;

	memset(ra, 0, sizeof(*ra));
	if (argc < 1 || shell_parse_prefix(argv[0], &ra->dst, &ra->plen))
		return -EINVAL;
	for (int i = 1; i < argc; i += 2) {
		if (i + 1 >= argc || route_parse_pair(argv[i], argv[i + 1], ra, &seen))
			return -EINVAL;
	}
	if (need_nexthop && !ra->gw && !ra->dev[0])
		return -EINVAL;
	return 0;
}

char *shell_format_ipv4(char *buf, uint32_t a)
{
	ksnprintf(buf, SHELL_IPV4_STR_LEN, "%u.%u.%u.%u",
		  a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
	return buf;
}

/* Where the next piece goes when n bytes were wanted so far: at most len. */
static size_t clamp(int n, size_t len)
{
	return (size_t)n < len ? (size_t)n : len;
}

int shell_format_ifflags(char *buf, size_t len, unsigned int flags, bool carrier)
{
	static const struct { unsigned int flag; const char *name; } names[] = {
		{ IFF_LOOPBACK, "LOOPBACK" }, { IFF_BROADCAST, "BROADCAST" },
		{ IFF_NOARP, "NOARP" }, { IFF_PROMISC, "PROMISC" },
		{ IFF_ALLMULTI, "ALLMULTI" }, { IFF_MULTICAST, "MULTICAST" },
		{ IFF_UP, "UP" },
	};
	const char *sep = "";
	int n = ksnprintf(buf, len, "<");

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!(flags & names[i].flag))
			continue;
		n += ksnprintf(buf + clamp(n, len), len - clamp(n, len), "%s%s", sep, names[i].name);
		sep = ",";
	}
	/* LOWER_UP is the link itself, whatever the administrative state. */
	if (carrier)
		n += ksnprintf(buf + clamp(n, len), len - clamp(n, len), "%sLOWER_UP", sep);
	n += ksnprintf(buf + clamp(n, len), len - clamp(n, len), ">");
	return n;
}

const char *shell_strerror(int err)
{
	switch (-err) {
	case ENOENT:		return "no such entry";
	case EEXIST:		return "already exists";
	case EINVAL:		return "invalid argument";
	case ENOMEM:		return "out of memory";
	case ENOSPC:		return "table full";
	case EBUSY:		return "busy";
	case ENODEV:		return "no such device";
	case ENETUNREACH:	return "gateway not on a connected network";
	case E2BIG:		return "too many words";
	default:		return "error";
	}
}
