/*
 * IPv4 input: every malformed header dropped with its own counter (and
 * nothing sent back), Ethernet padding trimmed, datagrams not for us
 * counted, unknown protocols answered with ICMP protocol unreachable
 * (not for broadcasts), dispatch through inet_protos[], output header and
 * IP IDs; skbs back at baseline after each case.
 */
#include "net/ipv4/ip.h"

#include "kernel/errno.h"
#include "net/core/checksum.h"
#include "net/ethernet/eth.h"
#include "net/ipv4/icmp.h"
#include "net/ipv4/protocol.h"
#include "net/ipv4/route.h"
#include "net/ipv4/snmp.h"
#include "tests/host/check.h"
#include "tests/host/net_platform_host.h"
#include "tests/host/test_ipv4_util.h"

#define A IPT_ADDR
#define OURS	A(198, 18, 0, 2)
#define PEER	A(198, 18, 0, 1)
#define PROTO_TEST	253

static uint8_t pkt[2048];

static size_t good_packet(uint8_t proto, size_t plen)
{
	static const uint8_t payload[64] = "0123456789abcdef";
	struct ip4_hdr_info h = { .saddr = PEER, .daddr = OURS, .protocol = proto, .id = 7 };

	return ipt_build_ip(pkt, h, payload, plen);
}

static void refresh_csum(void)
{
	struct iphdr *h = (struct iphdr *)pkt;

	h->check = 0;
	h->check = ip_fast_csum(h, (h->ver_ihl & 15u));
}

static struct {
	unsigned int calls;
	unsigned int len;
	uint32_t saddr;
} test_proto_seen;

static int test_proto_rcv(struct sk_buff *skb)
{
	test_proto_seen.calls++;
	test_proto_seen.len = skb->len;
	test_proto_seen.saddr = IPCB(skb)->hdr.saddr;
	CHECK_EQ(skb_transport_offset(skb), 0);
	consume_skb(skb);
	return 0;
}

static const struct net_protocol test_proto = { .handler = test_proto_rcv };

static void test_malformed_headers(void)
{
	struct ipt_env env;
	size_t len;

	ipt_setup(&env, OURS, 24, 0);
	ipt_learn_peer(&env, PEER);

	ipt_inject_ip(&env, pkt, 12);			/* shorter than a header */
	CHECK_EQ(ip_statistics.InTruncated, 1);

	len = good_packet(PROTO_TEST, 16);
	pkt[0] = 0x65;					/* version 6 */
	refresh_csum();
	ipt_inject_ip(&env, pkt, len);
	CHECK_EQ(ip_statistics.InVersionErr, 1);

	len = good_packet(PROTO_TEST, 16);
	pkt[0] = 0x44;					/* IHL 4 */
	ipt_inject_ip(&env, pkt, len);
	len = good_packet(PROTO_TEST, 16);
	pkt[0] = 0x4f;					/* IHL 15 > 36 bytes */
	ipt_inject_ip(&env, pkt, len);
	CHECK_EQ(ip_statistics.InIhlErr, 2);

	len = good_packet(PROTO_TEST, 16);
	put_be16(pkt + 2, 200);				/* total length > frame */
	refresh_csum();
	ipt_inject_ip(&env, pkt, len);
	len = good_packet(PROTO_TEST, 16);
	put_be16(pkt + 2, 19);				/* total length < IHL */
	refresh_csum();
	ipt_inject_ip(&env, pkt, len);
	CHECK_EQ(ip_statistics.InLenErr, 2);

	len = good_packet(PROTO_TEST, 16);
	pkt[10] ^= 0x01;				/* checksum */
	ipt_inject_ip(&env, pkt, len);
	CHECK_EQ(ip_statistics.InCsumErrors, 1);

	len = good_packet(PROTO_TEST, 16);
	put_be16(pkt + 6, IP_CE);			/* reserved flag */
	refresh_csum();
	ipt_inject_ip(&env, pkt, len);
	len = good_packet(PROTO_TEST, 16);
	put_be16(pkt + 6, IP_OFFSET);			/* offset 65528 + 16 */
	refresh_csum();
	ipt_inject_ip(&env, pkt, len);
	CHECK_EQ(ip_statistics.InFragErr, 2);

	len = good_packet(PROTO_TEST, 16);
	pkt[8] = 0;					/* TTL 0 */
	refresh_csum();
	ipt_inject_ip(&env, pkt, len);
	CHECK_EQ(ip_statistics.InTTLZero, 1);

	CHECK_EQ(ip_statistics.InHdrErrors, 10);
	CHECK_EQ(ip_statistics.InReceives, 10);
	CHECK_EQ(ip_statistics.InDelivers, 0);
	CHECK_EQ(ipt_tx_count(&env), 0);		/* nothing answered */
	ipt_teardown(&env);
}

static void test_deliver_and_padding(void)
{
	struct ipt_env env;
	size_t len;

	ipt_setup(&env, OURS, 24, 0);
	CHECK_EQ(inet_add_protocol(&test_proto, PROTO_TEST), 0);
	CHECK_EQ(inet_add_protocol(&test_proto, PROTO_TEST), -EBUSY);
	memset(&test_proto_seen, 0, sizeof(test_proto_seen));

	len = good_packet(PROTO_TEST, 6);
	memset(pkt + len, 0xee, 20);			/* Ethernet padding */
	ipt_inject_ip(&env, pkt, len + 20);
	CHECK_EQ(test_proto_seen.calls, 1);
	CHECK_EQ(test_proto_seen.len, 6);
	CHECK_EQ(test_proto_seen.saddr, PEER);
	CHECK_EQ(ip_statistics.InDelivers, 1);

	/* Directed and limited broadcast are delivered too. */
	{
		struct ip4_hdr_info h = { .saddr = PEER, .daddr = A(198, 18, 0, 255),
					  .protocol = PROTO_TEST };

		len = ipt_build_ip(pkt, h, "x", 1);
		ipt_inject(&env, ipt_bcast_mac, ETH_P_IP, pkt, len);
		h.daddr = INADDR_BROADCAST;
		len = ipt_build_ip(pkt, h, "x", 1);
		ipt_inject(&env, ipt_bcast_mac, ETH_P_IP, pkt, len);
	}
	CHECK_EQ(test_proto_seen.calls, 3);

	/* Not for us: counted, not forwarded, nothing sent. */
	{
		struct ip4_hdr_info h = { .saddr = PEER, .daddr = A(198, 18, 0, 9),
					  .protocol = PROTO_TEST };

		len = ipt_build_ip(pkt, h, "x", 1);
		ipt_inject_ip(&env, pkt, len);
	}
	CHECK_EQ(ip_statistics.InAddrErrors, 1);
	CHECK_EQ(ip_statistics.InNotForUs, 1);
	CHECK_EQ(ip_statistics.ForwDatagrams, 0);
	CHECK_EQ(test_proto_seen.calls, 3);
	CHECK_EQ(ipt_tx_count(&env), 0);
	CHECK_EQ(inet_del_protocol(&test_proto, PROTO_TEST), 0);
	ipt_teardown(&env);
}

static void test_unknown_protocol(void)
{
	struct ipt_env env;
	struct sk_buff *skb;
	struct ip4_hdr_info h;
	const uint8_t *icmp;
	size_t len;

	ipt_setup(&env, OURS, 24, 0);
	ipt_learn_peer(&env, PEER);
	len = good_packet(200, 30);
	ipt_inject_ip(&env, pkt, len);
	CHECK_EQ(ip_statistics.InUnknownProtos, 1);
	skb = ipt_pop(&env);
	CHECK(skb != NULL);
	CHECK(ipt_frame_ip(skb, &h, &icmp));
	CHECK_EQ(h.protocol, IPPROTO_ICMP);
	CHECK_EQ(h.saddr, OURS);
	CHECK_EQ(h.daddr, PEER);
	CHECK_EQ(h.tos, 0xc0);
	CHECK_EQ(icmp[0], ICMP_DEST_UNREACH);
	CHECK_EQ(icmp[1], ICMP_PROT_UNREACH);
	/* The whole offending datagram is quoted (it is under 576 bytes). */
	CHECK_EQ(h.tot_len, IP_HDR_LEN + ICMP_HDR_LEN + len);
	CHECK(memcmp(icmp + ICMP_HDR_LEN, pkt, len) == 0);
	CHECK_EQ(csum_fold(csum_partial(icmp, h.tot_len - IP_HDR_LEN, 0)), 0);
	kfree_skb(skb);
	CHECK_EQ(icmp_statistics.OutDestUnreachs, 1);

	/* To a broadcast address: no error. */
	{
		struct ip4_hdr_info b = { .saddr = PEER, .daddr = A(198, 18, 0, 255),
					  .protocol = 200 };

		len = ipt_build_ip(pkt, b, "x", 1);
		ipt_inject(&env, ipt_bcast_mac, ETH_P_IP, pkt, len);
	}
	CHECK_EQ(ip_statistics.InUnknownProtos, 2);
	CHECK_EQ(icmp_statistics.ErrNotSentBcast, 1);
	CHECK_EQ(ipt_tx_count(&env), 0);
	ipt_teardown(&env);
}

static void test_output_header(void)
{
	struct ipt_env env;
	struct sk_buff *skb;
	struct ip4_hdr_info h;
	struct ip_tx tx = { .protocol = PROTO_TEST, .tos = 0x10, .ttl = 9, .df = true };
	uint16_t id1;

	ipt_setup(&env, OURS, 24, 0);
	ipt_learn_peer(&env, PEER);
	for (int i = 0; i < 2; i++) {
		skb = alloc_skb(MAX_HEADER + 4);
		skb_reserve(skb, MAX_HEADER);
		skb_put_data(skb, "abcd", 4);
		CHECK_EQ(ip_send_to(skb, 0, PEER, &tx), 0);
	}
	skb = ipt_pop(&env);
	CHECK(ipt_frame_ip(skb, &h, NULL));
	CHECK_EQ(h.saddr, OURS);
	CHECK_EQ(h.daddr, PEER);
	CHECK_EQ(h.ttl, 9);
	CHECK_EQ(h.tos, 0x10);
	CHECK(h.df && !h.mf);
	CHECK_EQ(h.tot_len, 24);
	id1 = h.id;
	kfree_skb(skb);
	skb = ipt_pop(&env);
	CHECK(ipt_frame_ip(skb, &h, NULL));
	CHECK_EQ(h.id, (uint16_t)(id1 + 1));	/* per-destination counter */
	kfree_skb(skb);
	CHECK_EQ(ip_statistics.OutRequests, 2);

	/* No route. */
	skb = alloc_skb(MAX_HEADER + 4);
	skb_reserve(skb, MAX_HEADER);
	CHECK_EQ(ip_send_to(skb, 0, A(8, 8, 8, 8), &tx), -ENETUNREACH);
	CHECK_EQ(ip_statistics.OutNoRoutes, 1);
	ipt_teardown(&env);
}

int main(void)
{
	test_malformed_headers();
	test_deliver_and_padding();
	test_unknown_protocol();
	test_output_header();
	return check_report();
}
