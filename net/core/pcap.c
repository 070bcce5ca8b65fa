/*
 * The pcap tap (stream format and what is captured: pcap.h).
 *
 * Invariant: while running, the global header has been written exactly
 * once and every record is written whole (header then data) before the
 * next begins; a running capture owns `pcap_pt` on the ptype_all list.
 */
#include "net/core/pcap.h"

#include <stdbool.h>

#include "kernel/errno.h"
#include "net/core/byteorder.h"
#include "net/core/netdevice.h"
#include "net/platform.h"

static struct {
	void (*write)(void *ctx, const void *buf, size_t len);
	void *ctx;
	unsigned int snaplen;
	bool running;
	struct pcap_stats stats;
} cap;

static void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put_le32(uint8_t *p, uint32_t v)
{
	put_le16(p, (uint16_t)v);
	put_le16(p + 2, (uint16_t)(v >> 16));
}

static void pcap_emit(const void *buf, size_t len)
{
	cap.write(cap.ctx, buf, len);
	cap.stats.bytes += len;
}

/* The frame from the MAC header on: the linear part, then the frag list
 * (a nonlinear skb's payload), cut at caplen bytes. */
static void pcap_emit_frame(const struct sk_buff *skb, unsigned int caplen)
{
	unsigned int n = skb_mac_len_to_tail(skb);
	const struct sk_buff *frag;

	n = n < caplen ? n : caplen;
	pcap_emit(skb_mac_header(skb), n);
	caplen -= n;
	for (frag = skb->frag_list; frag && caplen; frag = frag->next) {
		n = frag->len < caplen ? frag->len : caplen;
		pcap_emit(frag->data, n);
		caplen -= n;
	}
}

static void pcap_write_record(const struct sk_buff *skb, uint64_t ns)
{
	uint8_t hdr[PCAP_RECORD_HDR_LEN];
	unsigned int len = skb_mac_len_to_tail(skb) + skb->data_len;
	unsigned int caplen = len < cap.snaplen ? len : cap.snaplen;

	put_le32(hdr, (uint32_t)(ns / 1000000000u));
	put_le32(hdr + 4, (uint32_t)(ns % 1000000000u / 1000u));
	put_le32(hdr + 8, caplen);
	put_le32(hdr + 12, len);
	pcap_emit(hdr, sizeof(hdr));
	pcap_emit_frame(skb, caplen);
	cap.stats.records++;
	if (caplen < len)
		cap.stats.truncated++;
}

static int pcap_rcv(struct sk_buff *skb, struct net_device *dev,
		    struct packet_type *pt, struct net_device *orig_dev)
{
	(void)pt;
	(void)orig_dev;
	if (cap.running && !(skb->pkt_type == PACKET_OUTGOING && (dev->flags & IFF_LOOPBACK)))
		pcap_write_record(skb, skb->tstamp_ns ? skb->tstamp_ns : net_now_ns());
	kfree_skb(skb);
	return NET_RX_SUCCESS;
}

static struct packet_type pcap_pt = {
	.func = pcap_rcv,
};

int pcap_start(void (*write)(void *ctx, const void *buf, size_t len), void *ctx,
	       unsigned int snaplen)
{
	uint8_t hdr[PCAP_GLOBAL_HDR_LEN] = { 0 };

	if (cap.running)
		return -EBUSY;
	cap.write = write;
	cap.ctx = ctx;
	cap.snaplen = snaplen ? snaplen : PCAP_DEFAULT_SNAPLEN;
	put_le32(hdr, PCAP_MAGIC);
	put_le16(hdr + 4, 2);
	put_le16(hdr + 6, 4);
	put_le32(hdr + 16, cap.snaplen);
	put_le32(hdr + 20, PCAP_LINKTYPE_ETHERNET);
	pcap_emit(hdr, sizeof(hdr));
	cap.running = true;
	pcap_pt.type = htons(ETH_P_ALL);
	dev_add_pack(&pcap_pt);
	return 0;
}

void pcap_stop(void)
{
	if (!cap.running)
		return;
	dev_remove_pack(&pcap_pt);
	cap.running = false;
}

const struct pcap_stats *pcap_get_stats(void)
{
	return &cap.stats;
}
