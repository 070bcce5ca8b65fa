/*
 * DHCP client frame I/O.
 *
 * Send: below the socket layer, as Linux's ipconfig.c does: the message
 * (dhcp_emit) gets a UDP header (68 -> 67, checksum over the
 * pseudo-header) and then either an IPv4 and Ethernet header built here,
 * to 255.255.255.255 at the broadcast MAC (every state but RENEWING,
 * also before the device has an address), or, in RENEWING where the
 * client owns its address and the server may be behind a router, goes
 * through ip_send_to for routing and ARP.
 *
 * Receive: one kernel UDP sock bound to 0.0.0.0:68 from the first
 * dhcp_start to the last dhcp_stop, so udp_rcv delivers every reply in
 * every state (a unicast ACK to a renewal as much as a broadcast OFFER)
 * and never answers one with ICMP port unreachable.  Before it has an
 * address in use the client sets the BROADCAST bit (RFC 2131 §4.1), so
 * the replies it needs then are broadcasts, which IPv4 input delivers
 * without an address.  The sock's sk_data_ready takes each datagram off
 * its queue at once, keeps those from port 67 on a device with a client,
 * and counts the rest and the malformed ones by reason.
 *
 * Context: softirq, or a thread with bottom halves disabled.
 */
#include "net/ipv4/dhcp_priv.h"

#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "net/core/byteorder.h"
#include "net/core/sock.h"
#include "net/ethernet/eth.h"
#include "net/ipv4/ip.h"
#include "net/ipv4/udp.h"

/* The sock bound to 0.0.0.0:68 while any client runs. */
static struct sock *dhcp_sk;

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

/* One datagram to port 68 (UDP header pulled, checksum verified by
 * udp_rcv).  Consumes skb. */
static void dhcp_rcv(struct sk_buff *skb)
{
	struct dhcp_client *c = dhcp_client_of(skb->dev);
	struct dhcp_msg m;
	int err;

	if (get_be16(skb_transport_header(skb)) != DHCP_SERVER_PORT) {
		dhcp_stats.NotServerPort++;
		goto drop;
	}
	if (!c) {
		dhcp_stats.NoClient++;
		goto drop;
	}
	err = dhcp_parse(skb->data, skb->len, &m);
	if (err == -DHCP_ERR_TRUNCATED)
		dhcp_count_bad(&dhcp_stats.BadTruncated);
	else if (err == -DHCP_ERR_NO_TYPE)
		dhcp_count_bad(&dhcp_stats.BadNoType);
	else if (err)
		dhcp_count_bad(&dhcp_stats.BadOptions);
	if (err)
		goto drop;
	consume_skb(skb);
	dhcp_input(c, &m);
	return;
drop:
	kfree_skb(skb);
}

/* sk_data_ready of the port-68 sock: udp_rcv has just queued a datagram. */
static void dhcp_data_ready(struct sock *sk)
{
	struct sk_buff *skb;

	while ((skb = skb_dequeue(&sk->sk_receive_queue)))
		dhcp_rcv(skb);
}

int dhcp_sock_open(void)
{
	struct sock *sk = sk_alloc(&udp_prot, AF_INET, SOCK_DGRAM, IPPROTO_UDP);
	int err;

	if (!sk)
		return -ENOMEM;
	sk->sk_data_ready = dhcp_data_ready;
	err = udp_prot.bind(sk, INADDR_ANY, DHCP_CLIENT_PORT);
	if (err) {
		sock_put(sk);
		return err;
	}
	dhcp_sk = sk;
	return 0;
}

void dhcp_sock_close(void)
{
	udp_prot.close(dhcp_sk, 0);
	dhcp_sk = NULL;
}
