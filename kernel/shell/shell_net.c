/*
 * Stack-wide views and switches for the console shell: `netstat -s` (every
 * MIB family in the net/core/stats.h registry, printed generically, so a
 * layer that registers a family shows up without this file knowing it),
 * `nf` (the netfilter table with its counters; add rules, flush) and
 * `pcap on|off` (capture to COM2, as `pcap=1` does at boot).
 *
 * State is copied with bottom halves disabled and printed afterwards.
 *
 * Context: the shell thread.
 */
#include "kernel/console/serial.h"
#include "kernel/errno.h"
#include "kernel/kernel.h"
#include "kernel/lib/string.h"
#include "kernel/shell/shell.h"
#include "kernel/softirq.h"
#include "net/core/netfilter.h"
#include "net/core/pcap.h"
#include "net/core/stats.h"

#define SNAP_MIB_COUNTERS	256
#define SNAP_MIB_NAME		32
#define PCAP_COM2		0x2f8

/* One family at a time: netstat copies, prints, moves on. */
static struct {
	char family[SNAP_MIB_NAME];
	const char *const *names;	/* static tables of the registering layer */
	size_t count;
	uint64_t v[SNAP_MIB_COUNTERS];
} mib_snap;

/* Copies the index-th registered family; false past the end. */
static bool mib_snapshot(unsigned int index)
{
	const struct mib *m;
	unsigned int i = 0;

	local_bh_disable();
	for (m = mib_first(); m && i < index; m = m->next)
		i++;
	if (m) {
		strlcpy(mib_snap.family, m->family, sizeof(mib_snap.family));
		mib_snap.names = m->names;
		mib_snap.count = MIN(m->count, (size_t)SNAP_MIB_COUNTERS);
		for (size_t c = 0; c < mib_snap.count; c++)
			mib_snap.v[c] = mib_value(m, c);
	}
	local_bh_enable();
	return m != NULL;
}

static bool mib_wanted(const char *family, int argc, char **argv)
{
	if (argc == 0)
		return true;
	for (int i = 0; i < argc; i++)
		if (!strcmp(argv[i], family))
			return true;
	return false;
}

/* Every name must be a registered family, so a typo is not silent. */
static int mib_check_names(int argc, char **argv)
{
	int err = 0;

	local_bh_disable();
	for (int i = 0; i < argc && !err; i++)
		if (!mib_find(argv[i]))
			err = -ENOENT;
	local_bh_enable();
	return err;
}

/* netstat -s [FAMILY...]: "Ip:" then "    InReceives: 42" per counter. */
int shell_netstat(int argc, char **argv)
{
	int err;

	if (argc < 1 || strcmp(argv[0], "-s"))
		return -EINVAL;
	argc--;
	argv++;
	err = mib_check_names(argc, argv);
	if (err)
		return err;
	for (unsigned int i = 0; mib_snapshot(i); i++) {
		if (!mib_wanted(mib_snap.family, argc, argv))
			continue;
		shell_printf("%s:\n", mib_snap.family);
		for (size_t c = 0; c < mib_snap.count; c++)
			shell_printf("    %s: %lu\n", mib_snap.names[c], (unsigned long)mib_snap.v[c]);
	}
	return 0;
}

static const char *const nf_chain_names[NF_INET_NUMHOOKS] = {
	[NF_INET_PRE_ROUTING] = "pre",
	[NF_INET_LOCAL_IN] = "in",
	[NF_INET_FORWARD] = "fwd",
	[NF_INET_LOCAL_OUT] = "out",
	[NF_INET_POST_ROUTING] = "post",
};

static struct {
	struct nf_rule rules[NF_MAX_RULES];
	unsigned int nrules;
	struct nf_chain chains[NF_INET_NUMHOOKS];
	struct nf_stats stats;
} nf_snap;

static void nf_snapshot(void)
{
	local_bh_disable();
	nf_snap.nrules = MIN(nf_rule_count(), (unsigned int)NF_MAX_RULES);
	for (unsigned int i = 0; i < nf_snap.nrules; i++)
		nf_snap.rules[i] = *nf_rule_get(i);
	for (unsigned int h = 0; h < NF_INET_NUMHOOKS; h++)
		nf_snap.chains[h] = *nf_chain_get(h);
	nf_snap.stats = *nf_get_stats();
	local_bh_enable();
}

/* Per chain: its policy with what it decided, then its rules in order. */
static int nf_show(int argc, char **argv)
{
	char spec[160];

	(void)argv;
	if (argc)
		return -EINVAL;
	nf_snapshot();
	for (unsigned int h = 0; h < NF_INET_NUMHOOKS; h++) {
		const struct nf_chain *c = &nf_snap.chains[h];

		shell_printf("chain %s policy %s packets %lu bytes %lu dropped %lu\n",
			     nf_chain_names[h], c->policy == NF_ACCEPT ? "accept" : "drop",
			     (unsigned long)c->policy_packets, (unsigned long)c->policy_bytes,
			     (unsigned long)nf_snap.stats.dropped[h]);
		for (unsigned int i = 0; i < nf_snap.nrules; i++) {
			const struct nf_rule *r = &nf_snap.rules[i];

			if (r->hook != h)
				continue;
			nf_rule_format(r, spec, sizeof(spec));
			shell_printf("  %2u: %-48s packets %lu bytes %lu\n", i + 1, spec,
				     (unsigned long)r->packets, (unsigned long)r->bytes);
		}
	}
	shell_printf("unparsed %lu\n", (unsigned long)nf_snap.stats.unparsed);
	return 0;
}

/* nf add SPEC: the nf= syntax; all of SPEC or nothing is added. */
static int nf_add(int argc, char **argv)
{
	char err[128];
	int ret;

	if (argc != 1)
		return -EINVAL;
	local_bh_disable();
	ret = nf_parse_rules(argv[0], err, sizeof(err));
	local_bh_enable();
	if (ret == -EINVAL)
		shell_printf("nf: %s\n", err);
	return ret;
}

static int nf_flush_all(int argc, char **argv)
{
	(void)argv;
	if (argc)
		return -EINVAL;
	local_bh_disable();
	nf_flush();
	local_bh_enable();
	shell_puts("nf: rules removed, policies accept, counters zeroed\n");
	return 0;
}

const struct shell_cmd shell_nf_cmds[] = {
	{ .name = "show", .alias = "list", .args = "",
	  .help = "hook chains: policies and rules with counters", .run = nf_show },
	{ .name = "add", .args = "RULE[,RULE...]",
	  .help = "append rules, nf= syntax (drop:in:tcp:dport=23)", .run = nf_add },
	{ .name = "flush", .args = "", .help = "remove every rule, reset policies",
	  .run = nf_flush_all },
	{ .name = NULL },
};

/* COM2: unknown until the first byte, then present or absent. */
static enum { COM2_UNKNOWN, COM2_PRESENT, COM2_ABSENT } com2_state;

/* The capture sink.  It probes COM2 on first use rather than up front:
 * when `pcap=1` already runs a capture there, pcap_start refuses before
 * writing, and a probe would have reset the UART's FIFOs under it. */
static void pcap_to_com2(void *ctx, const void *buf, size_t len)
{
	(void)ctx;
	if (com2_state == COM2_UNKNOWN)
		com2_state = serial_probe(PCAP_COM2) ? COM2_PRESENT : COM2_ABSENT;
	if (com2_state == COM2_PRESENT)
		serial_port_write(PCAP_COM2, buf, len);
}

static void pcap_print_stats(const char *state)
{
	struct pcap_stats st;

	local_bh_disable();
	st = *pcap_get_stats();
	local_bh_enable();
	shell_printf("pcap: %s; %lu records, %lu bytes, %lu truncated\n", state,
		     (unsigned long)st.records, (unsigned long)st.bytes,
		     (unsigned long)st.truncated);
}

static int pcap_on(int argc, char **argv)
{
	int err;

	(void)argv;
	if (argc)
		return -EINVAL;
	local_bh_disable();
	err = pcap_start(pcap_to_com2, NULL, 0);
	if (!err && com2_state == COM2_ABSENT)
		pcap_stop();
	local_bh_enable();
	if (err == -EBUSY) {
		pcap_print_stats("already capturing");
		return 0;
	}
	if (!err && com2_state == COM2_ABSENT)
		return -ENODEV;
	if (!err)
		pcap_print_stats("capturing to COM2");
	return err;
}

static int pcap_off(int argc, char **argv)
{
	(void)argv;
	if (argc)
		return -EINVAL;
	local_bh_disable();
	pcap_stop();
	local_bh_enable();
	pcap_print_stats("off");
	return 0;
}

const struct shell_cmd shell_pcap_cmds[] = {
	{ .name = "on", .args = "", .help = "capture every frame to COM2 (pcap stream)",
	  .run = pcap_on },
	{ .name = "off", .args = "", .help = "stop the capture", .run = pcap_off },
	{ .name = NULL },
};
