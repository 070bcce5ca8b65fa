/*
 * DHCP client frame I/O, below the socket layer as in Linux's ipconfig.c.
 *
 * Send: the message (dhcp_emit) gets a UDP header (68 -> 67, checksum
 * over the pseudo-header) and then either an IPv4 and Ethernet header
 * built here, to 255.255.255.255 at the broadcast MAC (every state but
 * RENEWING), or, in RENEWING where the client owns its address and the
 * server may be behind a router, goes through ip_send_to for routing and
 * ARP.
 *
 * Receive: a per-device ETH_P_IP packet_type, registered only while the
 * client waits for a reply.  The core hands it a clone (or the original,
 * with a clone to ip_rcv), so IPv4 input sees every frame as before; this
 * handler keeps UDP 67 -> 68 datagrams, counts the malformed ones by
 * reason and frees everything else untouched.
 *
 * Context: softirq, or a thread with bottom halves disabled.
 */
#include "net/ipv4/dhcp_priv.h"

#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "net/core/byteorder.h"
#include "net/ethernet/eth.h"
#include "net/ipv4/ip.h"

/* Fills m for c's state as RFC 2131 §4.4.1 and Table 5 ask. */
static void dhcp_fill(const struct dhcp_client *c, uint8_t type, struct dhcp_msg *m)
{
	uint64_t secs = (net_now_ns() - c->start_ns) / DHCP_NSEC;

	memset(m, 0, sizeof(*m));
	m->type = type;
	m->xid = c->xid;
	m->secs = secs > 0xffff ? 0xffff : (uint16_t)secs;
	memcpy(m->chaddr, c->dev->dev_addr, 6);
	switch (c->state) {
	case DHCP_REQUESTING:
		/* "'server identifier' MUST be set ... 'requested IP
		 * address' MUST be filled in" (§4.3.2, SELECTING). */
		m->requested_ip = c->offer_addr;
		m->server_id = c->offer_server;
		m->have = DHCP_HAVE_REQUESTED_IP | DHCP_HAVE_SERVER_ID;
		break;
	case DHCP_REBOOTING:
		/* "'server identifier' MUST NOT be filled in, 'requested IP
		 * address' option MUST be filled in ... 'ciaddr' MUST be
		 * zero" (§4.3.2, INIT-REBOOT). */
		m->requested_ip = c->lease.addr;
		m->have = DHCP_HAVE_REQUESTED_IP;
		break;
	case DHCP_RENEWING:
	case DHCP_REBINDING:
		/* "'ciaddr' MUST be filled in with client's IP address". */
		m->ciaddr = c->lease.addr;
		break;
	default:
		break;
	}
	/* §4.1: the BROADCAST bit asks the server to broadcast its reply,
	 * for a client that cannot yet receive unicast to the offered
	 * address; with ciaddr set the server unicasts to it anyway. */
	if (!m->ciaddr)
		m->flags = BOOTP_FLAG_BROADCAST;
}

/* Pushes IPv4 and Ethernet headers for saddr -> 255.255.255.255 in front
 * of the UDP datagram at skb->data and queues it.  Consumes skb. */
static int dhcp_xmit_broadcast(struct net_device *dev, struct sk_buff *skb, uint32_t saddr)
{
	struct ip4_hdr_info h = {
		.tos = 0, .ttl = IP_DEFAULT_TTL, .protocol = IPPROTO_UDP,
		.id = (uint16_t)net_random_u32(), .saddr = saddr, .daddr = INADDR_BROADCAST,
		.tot_len = (uint16_t)(IP_HDR_LEN + skb->len),
	};

	skb_reset_transport_header(skb);
	ip4_emit(&h, skb_push(skb, IP_HDR_LEN));
	skb_reset_network_header(skb);
	skb->dev = dev;
	skb->protocol = htons(ETH_P_IP);
	if (dev_hard_header(skb, dev, ETH_P_IP, dev->broadcast, NULL, skb->len) < 0) {
		kfree_skb(skb);
		return -EINVAL;
	}
	return dev_queue_xmit(skb);
}

/* The UDP datagram for m (in a fresh skb with room for every header). */
static struct sk_buff *dhcp_build(const struct dhcp_msg *m, uint32_t saddr, uint32_t daddr)
{
	struct sk_buff *skb = alloc_skb(MAX_HEADER + DHCP_MSG_MAX);
	size_t len;

	if (!skb)
		return NULL;
	skb_reserve(skb, MAX_HEADER);
	len = dhcp_emit(m, skb_put(skb, DHCP_MSG_MAX));
	skb_trim(skb, (unsigned int)len);
	dhcp_udp_emit(skb_push(skb, DHCP_UDP_HLEN), len, DHCP_CLIENT_PORT, DHCP_SERVER_PORT,
		      saddr, daddr);
	return skb;
}

void dhcp_send(struct dhcp_client *c, uint8_t type)
{
	static const struct ip_tx udp_tx = { .protocol = IPPROTO_UDP };
	bool unicast = c->state == DHCP_RENEWING;
	uint32_t daddr = unicast ? c->lease.server : INADDR_BROADCAST;
	struct dhcp_msg m;
	struct sk_buff *skb;
	int err;

	if (!c->link_up)
		return;
	dhcp_fill(c, type, &m);
	if (type == DHCPDISCOVER)
		dhcp_stats.Discovers++;
	else
		dhcp_stats.Requests++;
	skb = dhcp_build(&m, m.ciaddr, daddr);
	if (!skb) {
		dhcp_stats.OutErrors++;
		return;
	}
	if (unicast)
		err = ip_send_to(skb, m.ciaddr, daddr, &udp_tx);
	else
		err = dhcp_xmit_broadcast(c->dev, skb, m.ciaddr);
	if (err)
		dhcp_stats.OutErrors++;
}

static void dhcp_count_bad(uint64_t *reason)
{
	dhcp_stats.BadPackets++;
	(*reason)++;
}

/* Parses a frame; 0 (m filled), 1 (not a DHCP reply: someone else's) or
 * -1 (malformed, counted). */
static int dhcp_rcv_parse(const struct sk_buff *skb, struct dhcp_msg *m)
{
	const uint8_t *msg;
	size_t len;
	int err = dhcp_udp_parse(skb->data, skb->len, &msg, &len);

	if (err == -DHCP_UDP_NOT_OURS)
		return 1;
	if (err) {
		dhcp_count_bad(err == -DHCP_UDP_CSUM ? &dhcp_stats.BadChecksums :
			       &dhcp_stats.BadTruncated);
		return -1;
	}
	err = dhcp_parse(msg, len, m);
	if (!err)
		return 0;
	if (err == -DHCP_ERR_TRUNCATED)
		dhcp_count_bad(&dhcp_stats.BadTruncated);
	else if (err == -DHCP_ERR_NO_TYPE)
		dhcp_count_bad(&dhcp_stats.BadNoType);
	else
		dhcp_count_bad(&dhcp_stats.BadOptions);
	return -1;
}

static int dhcp_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
		    struct net_device *orig_dev)
{
	struct dhcp_client *c = pt->priv;
	struct dhcp_msg m;
	int ret;

	(void)dev;
	(void)orig_dev;
	/* A frame for another host (promiscuous mode) is not a reply to us. */
	ret = skb->pkt_type == PACKET_OTHERHOST ? 1 : dhcp_rcv_parse(skb, &m);
	if (ret < 0) {
		kfree_skb(skb);
		return NET_RX_DROP;
	}
	consume_skb(skb);
	if (ret == 0)
		dhcp_input(c, &m);
	return NET_RX_SUCCESS;
}

void dhcp_listen(struct dhcp_client *c, bool on)
{
	if (on == c->listening)
		return;
	c->listening = on;
	if (!on) {
		dev_remove_pack(&c->pt);
		return;
	}
	c->pt.type = htons(ETH_P_IP);
	c->pt.dev = c->dev;
	c->pt.func = dhcp_rcv;
	c->pt.priv = c;
	dev_add_pack(&c->pt);
}
