/*
 * IPv4 send: ip_queue_xmit builds the header (addresses from the route,
 * an IP ID), LOCAL_OUT, ip_output sets the device, POST_ROUTING,
 * ip_finish_output fragments above the route MTU (ip_fragment) and hands
 * each packet to the neighbour of the route's next hop (ARP, or NOARP
 * for loopback and broadcast) and so to dev_queue_xmit.
 *
 * IP ID: RFC 6864 only asks that IDs not repeat within a datagram's
 * lifetime for the same (src, dst, protocol).  We keep 256 counters,
 * each starting at a random value, and pick one by a keyed hash of
 * (src, dst, protocol): a destination sees IDs that increase by one per
 * datagram it gets from us, but cannot learn how much we send elsewhere.
 *
 * Our headers carry no options, so every fragment's header is 20 bytes.
 *
 * Context: softirq, or a thread with bottom halves disabled.
 */
#include "net/ipv4/ip.h"

#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "net/core/netfilter.h"
#include "net/ethernet/eth.h"
#include "net/ipv4/arp.h"
#include "net/ipv4/icmp.h"
#include "net/ipv4/route.h"
#include "net/ipv4/snmp.h"
#include "net/platform.h"

#define IP_IDENTS	256u

static uint16_t ip_idents[IP_IDENTS];
static uint64_t ip_idents_key;

static void ip_idents_init(void)
{
	net_random_bytes(ip_idents, sizeof(ip_idents));
	net_random_bytes(&ip_idents_key, sizeof(ip_idents_key));
}

static uint16_t ip_select_ident(uint32_t saddr, uint32_t daddr, uint8_t proto)
{
	uint64_t h = ((uint64_t)saddr << 32 | daddr) ^ ip_idents_key ^ proto;

	h *= 0x9e3779b97f4a7c15ull;
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ull;
	return ip_idents[(h >> 56) % IP_IDENTS]++;
}

static int ip_out_drop(struct sk_buff *skb, int err)
{
	IP_INC_STATS(OutDiscards);
	kfree_skb(skb);
	return err;
}

/* Hands one packet that fits the MTU to the next hop's neighbour. */
static int ip_finish_output2(struct sk_buff *skb)
{
	const struct rtable *rt = skb_rtable(skb);
	struct neighbour *n = arp_neigh_lookup(rt->rt_gateway, skb->dev);

	if (!n) {
		IP_INC_STATS(OutNoNeigh);
		return ip_out_drop(skb, -ENOBUFS);
	}
	return neigh_output(n, skb);
}

/* One fragment: payload [offset, offset + len) of the datagram in skb,
 * whose header info is h. */
static struct sk_buff *ip_frag_build(const struct sk_buff *skb, const struct ip4_hdr_info *h,
				     unsigned int offset, unsigned int len, bool last)
{
	struct ip4_hdr_info fh = *h;
	struct sk_buff *frag = alloc_skb(MAX_HEADER + IP_HDR_LEN + len);

	if (!frag)
		return NULL;
	skb_reserve(frag, MAX_HEADER);
	fh.tot_len = (uint16_t)(IP_HDR_LEN + len);
	fh.frag_off = (uint16_t)(h->frag_off + offset);
	fh.mf = h->mf || !last;
	ip4_emit(&fh, skb_put(frag, IP_HDR_LEN));
	skb_put_data(frag, skb->data + h->hdr_len + offset, len);
	skb_reset_network_header(frag);
	frag->dev = skb->dev;
	frag->protocol = skb->protocol;
	frag->priority = skb->priority;
	frag->mark = skb->mark;
	skb_dst_set(frag, dst_hold(skb_dst(skb)));
	return frag;
}

/*
 * Splits skb into fragments of at most mtu bytes (RFC 791 3.2: every
 * fragment but the last carries a multiple of 8 data bytes).  DF set:
 * ICMP fragmentation needed to the sender (us, through loopback, so the
 * transport's err_handler learns the MTU) and -EMSGSIZE.
 */
static int ip_fragment(struct sk_buff *skb, unsigned int mtu)
{
	struct ip4_hdr_info h;
	unsigned int payload, chunk, offset;
	int err = 0;

	ip4_parse(skb->data, skb->len, &h);
	if (h.df) {
		IP_INC_STATS(FragFails);
		IP_INC_STATS(FragNeeded);
		*IPCB(skb) = (struct inet_skb_parm){ .hdr = h };
		icmp_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, mtu);
		return ip_out_drop(skb, -EMSGSIZE);
	}
	payload = h.tot_len - h.hdr_len;
	chunk = (mtu - IP_HDR_LEN) & ~7u;
	for (offset = 0; offset < payload && !err; offset += chunk) {
		unsigned int len = payload - offset < chunk ? payload - offset : chunk;
		struct sk_buff *frag = ip_frag_build(skb, &h, offset, len,
						     offset + len == payload);

		if (!frag) {
			IP_INC_STATS(OutNoMem);
			err = -ENOBUFS;
			break;
		}
		IP_INC_STATS(FragCreates);
		err = ip_finish_output2(frag);
	}
	if (err) {
		IP_INC_STATS(FragFails);
		return ip_out_drop(skb, err);
	}
	IP_INC_STATS(FragOKs);
	consume_skb(skb);
	return 0;
}

static int ip_finish_output(struct sk_buff *skb)
{
	unsigned int mtu = skb_dst(skb)->mtu;

	/* A GSO skb leaves as segments that each fit (gso_size <= MSS). */
	if (skb->len > mtu && !skb_is_gso(skb))
		return ip_fragment(skb, mtu);
	return ip_finish_output2(skb);
}

int ip_output(struct sk_buff *skb)
{
	struct net_device *dev = skb_dst(skb)->dev;

	skb->dev = dev;
	skb->protocol = htons(ETH_P_IP);
	return NF_HOOK(NFPROTO_IPV4, NF_INET_POST_ROUTING, skb, NULL, dev, ip_finish_output);
}

static int ip_dst_output(struct sk_buff *skb)
{
	return skb_dst(skb)->output(skb);
}

int ip_local_out(struct sk_buff *skb)
{
	return NF_HOOK(NFPROTO_IPV4, NF_INET_LOCAL_OUT, skb, NULL, skb_dst(skb)->dev,
		       ip_dst_output);
}

int ip_queue_xmit(struct sk_buff *skb, struct rtable *rt, const struct ip_tx *tx)
{
	struct ip4_hdr_info h = {
		.hdr_len = IP_HDR_LEN,
		.tos = tx->tos,
		.ttl = tx->ttl ? tx->ttl : IP_DEFAULT_TTL,
		.protocol = tx->protocol,
		.df = tx->df,
		.saddr = rt->rt_src,
		.daddr = rt->rt_dst,
	};
	void *iph;

	skb_dst_set(skb, &rt->dst);
	IP_INC_STATS(OutRequests);
	if (skb->len + IP_HDR_LEN > IP_MAX_PACKET)
		return ip_out_drop(skb, -EMSGSIZE);
	skb_reset_transport_header(skb);
	iph = skb_push(skb, IP_HDR_LEN);
	if (!iph)
		return ip_out_drop(skb, -ENOBUFS);
	h.tot_len = (uint16_t)skb->len;
	h.id = ip_select_ident(h.saddr, h.daddr, h.protocol);
	ip4_emit(&h, iph);
	skb_reset_network_header(skb);
	IPCB(skb)->hdr = h;
	return ip_local_out(skb);
}

int ip_send_to(struct sk_buff *skb, uint32_t saddr, uint32_t daddr, const struct ip_tx *tx)
{
	struct flowi4 fl = { .daddr = daddr, .saddr = saddr, .tos = tx->tos,
			     .proto = tx->protocol };
	struct rtable *rt;
	int err = ip_route_output(&fl, &rt);

	if (err == -ENETUNREACH) {
		kfree_skb(skb);		/* counted as OutNoRoutes */
		return err;
	}
	if (err)
		return ip_out_drop(skb, err);
	return ip_queue_xmit(skb, rt, tx);
}

static struct packet_type ip_packet_type = {
	.func = ip_rcv,
};

int ip_init(void)
{
	ip_idents_init();
	ip_packet_type.type = htons(ETH_P_IP);
	dev_add_pack(&ip_packet_type);
	return 0;
}

void ip_exit(void)
{
	dev_remove_pack(&ip_packet_type);
}
