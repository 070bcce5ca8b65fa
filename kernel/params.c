/*
 * Kernel parameters: the command line parsed once at boot (params_init,
 * right after the serial console is up), checked against the table of
 * known keys below, then served read-only through param_get/param_is.
 *
 * Invariant: every key param_get() can return is in known_params[] and its
 * value passed that entry's check, so consumers may trust the format (an
 * `ip=` value always parses with cmdline_parse_ipv4_prefix).  Unknown keys
 * and malformed values get one pr_warn each and are dropped.
 *
 * A later subsystem adds its key with one line in known_params[]; the
 * `help` strings are what the README documents.  Thread context, boot only
 * for params_init; the getters are safe anywhere afterwards.
 */
#include "kernel/params.h"

#include "kernel/errno.h"
#include "kernel/kernel.h"
#include "kernel/lib/cmdline.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"

struct param_def {
	const char *key;
	const char *help;
	/* 0 if `value` is acceptable; may apply it (loglevel).  NULL: any value. */
	int (*check)(const char *value);
};

static struct cmdline params;

static const struct {
	const char *name;
	int level;
} loglevel_names[] = {
	{ "err", LOG_ERR }, { "warn", LOG_WARN }, { "notice", LOG_NOTICE },
	{ "info", LOG_INFO }, { "debug", LOG_DEBUG },
};

static int check_loglevel(const char *v)
{
	uint64_t n;

	for (size_t i = 0; i < ARRAY_SIZE(loglevel_names); i++) {
		if (!strcmp(v, loglevel_names[i].name)) {
			printk_set_level(loglevel_names[i].level);
			return 0;
		}
	}
	if (cmdline_parse_uint(v, LOG_DEBUG, &n))
		return -EINVAL;
	printk_set_level((int)n);
	return 0;
}

static int check_console(const char *v)
{
	return strcmp(v, "serial") && strcmp(v, "fb") && strcmp(v, "both") ? -EINVAL : 0;
}

static int check_ip_prefix(const char *v)
{
	uint32_t addr;
	unsigned prefix;

	return cmdline_parse_ipv4_prefix(v, &addr, &prefix);
}

static int check_ip(const char *v)
{
	uint32_t addr;

	return cmdline_parse_ipv4(v, &addr);
}

static int check_name(const char *v)
{
	return *v ? 0 : -EINVAL;
}

static int check_bool(const char *v)
{
	return strcmp(v, "0") && strcmp(v, "1") ? -EINVAL : 0;
}

static const struct param_def known_params[] = {
	{ "console", "serial|fb|both: consoles to write to (default both: serial, "
		     "plus the framebuffer when the boot loader gave one)", check_console },
	{ "loglevel", "0-7 or err|warn|notice|info|debug: most verbose level printed "
		      "(default info)", check_loglevel },
	{ "ip", "ADDR/PREFIX: static IPv4 address (without it, DHCP)", check_ip_prefix },
	{ "gw", "ADDR: default IPv4 gateway", check_ip },
	{ "test", "NAME: test-only behaviour, e.g. test=fault", check_name },
	{ "pcap", "0|1: copy every frame as pcap records to the second serial port",
	  check_bool },
	{ "peer", "ADDR:PORT: the server test=connect connects to; ADDR: the host "
		  "test=ping pings", check_name },
	{ "route", "DST/PREFIX@GW[,...]: static IPv4 routes (checked when added)", check_name },
	{ "nf", "RULE[,RULE...]: netfilter rules, see net/core/netfilter.h (checked "
		"when the table is loaded)", check_name },
};

static const struct param_def *param_def_find(const char *key)
{
	for (size_t i = 0; i < ARRAY_SIZE(known_params); i++)
		if (!strcmp(known_params[i].key, key))
			return &known_params[i];
	return NULL;
}

static void report_malformed(enum cmdline_error err, const char *token, size_t len, void *arg)
{
	(void)arg;
	pr_warn("params: ignoring \"%.*s\": %s\n", (int)len, token, cmdline_strerror(err));
}

/* Drops (with a warning) the entry at index i if unknown or invalid;
 * returns true if it was kept. */
static bool param_validate(size_t i)
{
	const struct cmdline_param *p = &params.params[i];
	const struct param_def *def = param_def_find(p->key);
	char key[CMDLINE_KEY_MAX];

	if (!def)
		pr_warn("params: ignoring unknown key \"%s\"\n", p->key);
	else if (def->check && def->check(p->value))
		pr_warn("params: ignoring %s=\"%s\": expected %s\n", p->key, p->value, def->help);
	else
		return true;
	strlcpy(key, p->key, sizeof(key));
	cmdline_remove(&params, key);
	return false;
}

void params_init(const char *cmdline)
{
	cmdline_parse(&params, cmdline, report_malformed, NULL);
	for (size_t i = 0; i < params.count;)
		if (param_validate(i))
			i++;
	for (size_t i = 0; i < params.count; i++)
		pr_debug("params: %s=\"%s\"\n", params.params[i].key, params.params[i].value);
}

const char *param_get(const char *key)
{
	const struct cmdline_param *p = cmdline_find(&params, key);

	return p ? p->value : NULL;
}

bool param_is(const char *key, const char *value)
{
	const char *v = param_get(key);

	return v && !strcmp(v, value);
}

bool param_console_enabled(const char *name)
{
	const char *v = param_get("console");

	return !v || !strcmp(v, "both") || !strcmp(v, name);
}
