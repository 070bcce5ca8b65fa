/*
 * MIB registry and formatting (interface: stats.h), and the name tables of
 * the core's counter structs.  The _Static_asserts tie each name table to
 * its struct, so adding a counter without a name fails to build.
 */
#include "net/core/stats.h"

#include "kernel/lib/format.h"
#include "kernel/lib/string.h"
#include "net/core/netdevice.h"
#include "net/core/netfilter.h"
#include "net/core/pcap.h"
#include "net/core/skbuff.h"

static struct mib *mib_head;

const char *const netdev_stats_names[24] = {
	"rx_packets", "tx_packets", "rx_bytes", "tx_bytes", "rx_errors",
	"tx_errors", "rx_dropped", "tx_dropped", "multicast", "collisions",
	"rx_length_errors", "rx_over_errors", "rx_crc_errors", "rx_frame_errors",
	"rx_fifo_errors", "rx_missed_errors", "tx_aborted_errors",
	"tx_carrier_errors", "tx_fifo_errors", "rx_nohandler", "tx_csum_offload",
	"tx_gso_packets", "rx_csum_offload", "rx_csum_hw_bad",
};
_Static_assert(sizeof(struct net_device_stats) == 24 * sizeof(uint64_t), "netdev names");

const char *const softnet_stat_names[6] = {
	"processed", "dropped", "time_squeeze", "unknown_ethertype",
	"tap_clone_failures", "rx_dev_down",
};
_Static_assert(sizeof(struct softnet_stat) == 6 * sizeof(uint64_t), "softnet names");

const char *const skb_accounting_names[5] = {
	"skbs_alive", "data_alive", "data_bytes", "allocs", "alloc_failures",
};
_Static_assert(sizeof(struct skb_accounting) == 5 * sizeof(uint64_t), "skb names");

const char *const nf_stats_names[6] = {
	"DroppedPreRouting", "DroppedLocalIn", "DroppedForward",
	"DroppedLocalOut", "DroppedPostRouting", "Unparsed",
};
_Static_assert(sizeof(struct nf_stats) == 6 * sizeof(uint64_t), "nf names");

const char *const pcap_stats_names[3] = { "records", "bytes", "truncated" };
_Static_assert(sizeof(struct pcap_stats) == 3 * sizeof(uint64_t), "pcap names");

void mib_register(struct mib *m)
{
	struct mib **pp;

	for (pp = &mib_head; *pp; pp = &(*pp)->next)
		if (*pp == m)
			return;
	m->next = NULL;
	*pp = m;
}

void mib_unregister(struct mib *m)
{
	struct mib **pp;

	for (pp = &mib_head; *pp; pp = &(*pp)->next) {
		if (*pp == m) {
			*pp = m->next;
			m->next = NULL;
			return;
		}
	}
}

const struct mib *mib_first(void)
{
	return mib_head;
}

const struct mib *mib_find(const char *family)
{
	const struct mib *m;

	for (m = mib_head; m; m = m->next)
		if (!strcmp(m->family, family))
			return m;
	return NULL;
}

uint64_t mib_value(const struct mib *m, size_t i)
{
	uint64_t v;

	if (i >= m->count)
		return 0;
	memcpy(&v, (const char *)m->counters + i * sizeof(v), sizeof(v));
	return v;
}

uint64_t mib_lookup(const struct mib *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->count; i++)
		if (!strcmp(m->names[i], name))
			return mib_value(m, i);
	return (uint64_t)-1;
}

int mib_format(const struct mib *m, char *buf, size_t len)
{
	size_t i, at;
	int pos = 0;

	for (int line = 0; line < 2; line++) {
		at = (size_t)pos < len ? (size_t)pos : len;
		pos += ksnprintf(buf + at, len - at, "%s:", m->family);
		for (i = 0; i < m->count; i++) {
			at = (size_t)pos < len ? (size_t)pos : len;
			if (line == 0)
				pos += ksnprintf(buf + at, len - at, " %s", m->names[i]);
			else
				pos += ksnprintf(buf + at, len - at, " %llu",
						 (unsigned long long)mib_value(m, i));
		}
		at = (size_t)pos < len ? (size_t)pos : len;
		pos += ksnprintf(buf + at, len - at, "\n");
	}
	return pos;
}

void net_core_mibs_register(void)
{
	static struct mib softnet = MIB_INIT("Softnet", softnet_stat_names, &softnet_data.stat);
	static struct mib skb = MIB_INIT("Skb", skb_accounting_names, NULL);
	static struct mib nf = MIB_INIT("Netfilter", nf_stats_names, NULL);
	static struct mib pcap = MIB_INIT("Pcap", pcap_stats_names, NULL);

	skb.counters = skb_accounting();
	nf.counters = nf_get_stats();
	pcap.counters = pcap_get_stats();
	mib_register(&softnet);
	mib_register(&skb);
	mib_register(&nf);
	mib_register(&pcap);
}
