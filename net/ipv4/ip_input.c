/*
 * IPv4 receive: ip_rcv validates (each failure its own counter),
 * PRE_ROUTING, ip_rcv_finish routes (local, broadcast, or counted and
 * dropped: the appliance does not forward), ip_local_deliver reassembles,
 * LOCAL_IN, and ip_local_deliver_finish hands a copy to each matching
 * raw socket (the raw tap) and the datagram to its transport through
 * inet_protos[] (unknown protocol and no raw socket: ICMP protocol
 * unreachable).
 *
 * Invariant: from ip_rcv on, IPCB(skb)->hdr describes the header at the
 * network header offset and skb->len is trimmed to its total length.
 *
 * Context: softirq (NET_RX).
 */
#include "net/ipv4/ip.h"

#include "kernel/errno.h"
#include "net/core/netfilter.h"
#include "net/ipv4/icmp.h"
#include "net/ipv4/ip_fragment.h"
#include "net/ipv4/protocol.h"
#include "net/ipv4/route.h"
#include "net/ipv4/snmp.h"

static int ip_drop(struct sk_buff *skb)
{
	kfree_skb(skb);
	return NET_RX_DROP;
}

static int ip_local_deliver_finish(struct sk_buff *skb)
{
	const struct inet_skb_parm *cb = IPCB(skb);
	const struct net_protocol *prot = inet_protocol(cb->hdr.protocol);
	bool raw;

	skb_pull(skb, cb->hdr.hdr_len);
	skb_reset_transport_header(skb);
	raw = inet_raw_deliver(skb, cb->hdr.protocol);
	if (prot) {
		IP_INC_STATS(InDelivers);
		return prot->handler(skb);
	}
	if (raw) {
		IP_INC_STATS(InDelivers);
		consume_skb(skb);
		return NET_RX_SUCCESS;
	}
	IP_INC_STATS(InUnknownProtos);
	/* RFC 1122 3.2.2.1: a host SHOULD generate Destination Unreachable
	 * with code 2 (Protocol Unreachable) "when the designated transport
	 * protocol is not supported"; icmp_send skips broadcasts. */
	icmp_send(skb, ICMP_DEST_UNREACH, ICMP_PROT_UNREACH, 0);
	return ip_drop(skb);
}

int ip_local_deliver(struct sk_buff *skb)
{
	const struct ip4_hdr_info *h = &IPCB(skb)->hdr;

	if (h->mf || h->frag_off) {
		skb = ip_defrag(skb);
		if (!skb)
			return NET_RX_SUCCESS;
	}
	return NF_HOOK(NFPROTO_IPV4, NF_INET_LOCAL_IN, skb, skb->dev, NULL,
		       ip_local_deliver_finish);
}

static int ip_rcv_finish(struct sk_buff *skb)
{
	const struct ip4_hdr_info *h = &IPCB(skb)->hdr;

	if (ip_route_input(skb, h->daddr, h->saddr, skb->dev))
		return ip_drop(skb);
	return skb_dst(skb)->input(skb);
}

/* Maps an ip4_parse failure to its counter; all are InHdrErrors. */
static void ip_count_hdr_error(int err)
{
	IP_INC_STATS(InHdrErrors);
	switch (-err) {
	case IP4_ERR_TRUNCATED: IP_INC_STATS(InTruncated); break;
	case IP4_ERR_VERSION: IP_INC_STATS(InVersionErr); break;
	case IP4_ERR_IHL: IP_INC_STATS(InIhlErr); break;
	case IP4_ERR_LEN: IP_INC_STATS(InLenErr); break;
	case IP4_ERR_CSUM: IP_INC_STATS(InCsumErrors); break;
	default: IP_INC_STATS(InFragErr); break;
	}
}

int ip_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
	   struct net_device *orig_dev)
{
	struct inet_skb_parm *cb = IPCB(skb);
	int err;

	(void)pt;
	(void)orig_dev;
	/* A frame for another host, seen only in promiscuous mode. */
	if (skb->pkt_type == PACKET_OTHERHOST) {
		IP_INC_STATS(InOtherHost);
		return ip_drop(skb);
	}
	IP_INC_STATS(InReceives);
	err = ip4_parse(skb->data, skb->len, &cb->hdr);
	if (err) {
		ip_count_hdr_error(err);
		return ip_drop(skb);
	}
	/* RFC 791 3.2, Time to Live: "If this field contains the value
	 * zero, then the datagram must be destroyed."  (RFC 1122 3.2.1.7:
	 * TTL 1 is accepted; only a router decrements.) */
	if (cb->hdr.ttl == 0) {
		IP_INC_STATS(InHdrErrors);
		IP_INC_STATS(InTTLZero);
		return ip_drop(skb);
	}
	/* Link-layer padding (short Ethernet frames) is not datagram. */
	skb_trim(skb, cb->hdr.tot_len);
	skb_reset_network_header(skb);
	skb->dev = dev;
	skb_dst_set(skb, NULL);
	return NF_HOOK(NFPROTO_IPV4, NF_INET_PRE_ROUTING, skb, dev, NULL, ip_rcv_finish);
}
