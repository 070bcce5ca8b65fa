/*
 * ICMP: echo request -> reply byte for byte, parse/emit, bad checksums
 * and truncation counted, broadcast echo ignored, errors delivered to the
 * transport's err_handler, RFC 1122's never-send rules (about an error,
 * a non-first fragment, a broadcast), the token-bucket rate limit, and
 * ping through loopback with the echo-reply hook.
 */
#include "net/ipv4/icmp.h"

#include "kernel/errno.h"
#include "net/core/checksum.h"
#include "net/core/stats.h"
#include "net/ethernet/eth.h"
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

static uint8_t pkt[2048], msg[2048];

static struct {
	unsigned int errs;
	struct icmp_err err;
	uint8_t transport[8];		/* err.transport is valid during the call only */
	unsigned int replies;
	uint32_t reply_from;
	uint16_t id, seq;
	size_t len;
} seen;

static void test_err(const struct icmp_err *e)
{
	seen.errs++;
	seen.err = *e;
	memcpy(seen.transport, e->transport, sizeof(seen.transport));
}

static int test_rcv(struct sk_buff *skb)
{
	kfree_skb(skb);
	return 0;
}

static const struct net_protocol test_proto = { .handler = test_rcv, .err_handler = test_err };

static void echo_hook(uint32_t saddr, uint16_t id, uint16_t seq, size_t len)
{
	seen.replies++;
	seen.reply_from = saddr;
	seen.id = id;
	seen.seq = seq;
	seen.len = len;
}

static void setup(struct ipt_env *env)
{
	ipt_setup(env, OURS, 24, 0);
	ipt_learn_peer(env, PEER);
	memset(&seen, 0, sizeof(seen));
}

static size_t icmp_packet(uint32_t daddr, const void *m, size_t mlen)
{
	struct ip4_hdr_info h = { .saddr = PEER, .daddr = daddr, .protocol = IPPROTO_ICMP,
				  .id = 3 };

	return ipt_build_ip(pkt, h, m, mlen);
}

static void test_wire(void)
{
	uint8_t buf[16] = { 0 };
	struct icmp_info in = { .type = ICMP_DEST_UNREACH, .code = ICMP_FRAG_NEEDED,
				.rest = 1400 }, out;

	memcpy(buf + 8, "payload!", 8);
	CHECK_EQ(icmp_emit(&in, buf, sizeof(buf)), 8);
	CHECK_EQ(icmp_parse(buf, sizeof(buf), &out), 0);
	CHECK_EQ(out.type, ICMP_DEST_UNREACH);
	CHECK_EQ(out.code, ICMP_FRAG_NEEDED);
	CHECK_EQ(out.rest, 1400);
	CHECK_EQ(icmp_parse(buf, 7, &out), -ICMP_ERR_TRUNCATED);
	buf[12] ^= 1;
	CHECK_EQ(icmp_parse(buf, sizeof(buf), &out), -ICMP_ERR_CSUM);
	CHECK(icmp_is_error(ICMP_TIME_EXCEEDED));
	CHECK(!icmp_is_error(ICMP_ECHO));
}

static void test_echo_reply_bytes(void)
{
	struct ipt_env env;
	struct sk_buff *skb;
	struct ip4_hdr_info h;
	const uint8_t *rep;
	size_t mlen, len;

	setup(&env);
	mlen = ipt_build_echo(msg, 0xbeef, 42, 56);
	len = icmp_packet(OURS, msg, mlen);
	pkt[1] = 0x10;					/* TOS, kept in the reply */
	((struct iphdr *)pkt)->check = 0;
	((struct iphdr *)pkt)->check = ip_fast_csum(pkt, 5);
	ipt_inject_ip(&env, pkt, len);
	skb = ipt_pop(&env);
	CHECK(skb != NULL);
	CHECK(memcmp(skb->data, ipt_peer_mac, 6) == 0);
	CHECK(ipt_frame_ip(skb, &h, &rep));
	CHECK_EQ(h.saddr, OURS);
	CHECK_EQ(h.daddr, PEER);
	CHECK_EQ(h.ttl, 64);
	CHECK_EQ(h.tos, 0x10);
	CHECK_EQ(h.protocol, IPPROTO_ICMP);
	CHECK_EQ(h.tot_len, IP_HDR_LEN + mlen);
	CHECK_EQ(rep[0], ICMP_ECHOREPLY);
	CHECK_EQ(rep[1], 0);
	CHECK(memcmp(rep + 4, msg + 4, mlen - 4) == 0);	/* id, seq, data */
	CHECK_EQ(csum_fold(csum_partial(rep, mlen, 0)), 0);
	kfree_skb(skb);
	CHECK_EQ(icmp_statistics.InMsgs, 1);
	CHECK_EQ(icmp_statistics.InEchos, 1);
	CHECK_EQ(icmp_statistics.OutEchoReps, 1);
	CHECK_EQ(icmp_statistics.OutMsgs, 1);
	CHECK_EQ(icmpmsg_statistics.in_type[ICMP_ECHO], 1);
	CHECK_EQ(icmpmsg_statistics.out_type[ICMP_ECHOREPLY], 1);
	/* The same counters through the stats registry. */
	CHECK_EQ(mib_lookup(mib_find("Icmp"), "InEchos"), 1);
	CHECK_EQ(mib_lookup(mib_find("Ip"), "InDelivers"), 1);
	CHECK_EQ(mib_lookup(mib_find("Arp"), "tx_replies"), 1);
	CHECK(mib_find("ArpCache") != NULL);

	/* Bad checksum, truncated: counted, no reply. */
	msg[10] ^= 0xff;
	ipt_inject_ip(&env, pkt, icmp_packet(OURS, msg, mlen));
	ipt_inject_ip(&env, pkt, icmp_packet(OURS, msg, 4));
	CHECK_EQ(icmp_statistics.InErrors, 2);
	CHECK_EQ(icmp_statistics.InCsumErrors, 1);
	CHECK_EQ(icmp_statistics.InTruncated, 1);

	/* Echo to the subnet broadcast: ignored (RFC 1122 3.2.2.6 MAY). */
	mlen = ipt_build_echo(msg, 1, 1, 8);
	len = icmp_packet(A(198, 18, 0, 255), msg, mlen);
	ipt_inject(&env, ipt_bcast_mac, ETH_P_IP, pkt, len);
	CHECK_EQ(icmp_statistics.InBcastEchoIgnored, 1);
	CHECK_EQ(ipt_tx_count(&env), 0);
	ipt_teardown(&env);
}

static void test_error_delivery(void)
{
	struct ipt_env env;
	struct icmp_info ic = { .type = ICMP_DEST_UNREACH, .code = ICMP_PORT_UNREACH };
	struct ip4_hdr_info q = { .saddr = OURS, .daddr = PEER, .protocol = PROTO_TEST,
				  .ttl = 64 };
	size_t qlen;

	setup(&env);
	CHECK_EQ(inet_add_protocol(&test_proto, PROTO_TEST), 0);
	qlen = ipt_build_ip(msg + ICMP_HDR_LEN, q, "\x12\x34\x00\x07" "abcdefgh", 12);
	icmp_emit(&ic, msg, ICMP_HDR_LEN + qlen);
	ipt_inject_ip(&env, pkt, icmp_packet(OURS, msg, ICMP_HDR_LEN + qlen));
	CHECK_EQ(seen.errs, 1);
	CHECK_EQ(seen.err.type, ICMP_DEST_UNREACH);
	CHECK_EQ(seen.err.code, ICMP_PORT_UNREACH);
	CHECK_EQ(seen.err.quoted.saddr, OURS);
	CHECK_EQ(seen.err.quoted.daddr, PEER);
	CHECK_EQ(seen.err.transport_len, 12);
	CHECK_EQ(get_be16(seen.transport + 2), 7);
	CHECK_EQ(icmp_statistics.InDestUnreachs, 1);

	/* Quote shorter than header + 8 bytes: InErrors, not delivered. */
	icmp_emit(&ic, msg, ICMP_HDR_LEN + IP_HDR_LEN + 4);
	ipt_inject_ip(&env, pkt, icmp_packet(OURS, msg, ICMP_HDR_LEN + IP_HDR_LEN + 4));
	CHECK_EQ(seen.errs, 1);
	CHECK_EQ(icmp_statistics.InErrors, 1);
	/* We never answer an error with an error. */
	CHECK_EQ(ipt_tx_count(&env), 0);
	inet_del_protocol(&test_proto, PROTO_TEST);
	ipt_teardown(&env);
}

/* A received-looking skb holding datagram pkt[0..len) from the peer. */
static struct sk_buff *fake_rx(struct ipt_env *env, size_t len)
{
	struct sk_buff *skb = alloc_skb(MAX_HEADER + (unsigned int)len);

	skb_reserve(skb, MAX_HEADER);
	skb_put_data(skb, pkt, (unsigned int)len);
	skb_reset_network_header(skb);
	skb->dev = env->eth->dev;
	CHECK_EQ(ip4_parse(skb->data, skb->len, &IPCB(skb)->hdr), 0);
	return skb;
}

static void test_never_send(void)
{
	struct ipt_env env;
	struct icmp_info ic = { .type = ICMP_TIME_EXCEEDED };
	struct ip4_hdr_info h = { .saddr = PEER, .daddr = OURS, .protocol = 200 };
	struct sk_buff *skb;

	setup(&env);
	/* About an ICMP error. */
	icmp_emit(&ic, msg, 36);
	skb = fake_rx(&env, icmp_packet(OURS, msg, 36));
	icmp_send(skb, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 0);
	kfree_skb(skb);
	CHECK_EQ(icmp_statistics.ErrNotSentAboutError, 1);
	/* About a non-first fragment. */
	h.frag_off = 1480;
	skb = fake_rx(&env, ipt_build_ip(pkt, h, "abcdefgh", 8));
	icmp_send(skb, ICMP_DEST_UNREACH, ICMP_PROT_UNREACH, 0);
	kfree_skb(skb);
	CHECK_EQ(icmp_statistics.ErrNotSentFrag, 1);
	/* About a link-layer broadcast, or from a non-unicast source. */
	h.frag_off = 0;
	skb = fake_rx(&env, ipt_build_ip(pkt, h, "abcdefgh", 8));
	skb->pkt_type = PACKET_BROADCAST;
	icmp_send(skb, ICMP_DEST_UNREACH, ICMP_PROT_UNREACH, 0);
	kfree_skb(skb);
	h.saddr = 0;
	skb = fake_rx(&env, ipt_build_ip(pkt, h, "abcdefgh", 8));
	icmp_send(skb, ICMP_DEST_UNREACH, ICMP_PROT_UNREACH, 0);
	kfree_skb(skb);
	CHECK_EQ(icmp_statistics.ErrNotSentBcast, 2);
	CHECK_EQ(ipt_tx_count(&env), 0);
	/* About an echo request (not an error): sent. */
	ic.type = ICMP_ECHO;
	icmp_emit(&ic, msg, 36);
	skb = fake_rx(&env, icmp_packet(OURS, msg, 36));
	icmp_send(skb, ICMP_PARAMETERPROB, 0, 20);
	kfree_skb(skb);
	CHECK_EQ(ipt_tx_count(&env), 1);
	CHECK_EQ(icmp_statistics.OutParmProbs, 1);
	ipt_teardown(&env);
}

static void test_rate_limit(void)
{
	struct ipt_env env;
	struct ip4_hdr_info h = { .saddr = PEER, .daddr = OURS, .protocol = 200 };
	size_t len;

	setup(&env);
	len = ipt_build_ip(pkt, h, "abcdefgh", 8);
	for (int i = 0; i < 100; i++)
		ipt_inject_ip(&env, pkt, len);
	CHECK_EQ(ip_statistics.InUnknownProtos, 100);
	CHECK_EQ(ipt_drain(&env), ICMP_MSGS_BURST);
	CHECK_EQ(icmp_statistics.OutRateLimited, 100 - ICMP_MSGS_BURST);
	/* Tokens come back at ICMP_MSGS_PER_SEC. */
	host_clock_advance(10 * MSEC);
	for (int i = 0; i < 20; i++)
		ipt_inject_ip(&env, pkt, len);
	CHECK_EQ(ipt_drain(&env), 10);
	ipt_teardown(&env);
}

static void test_ping_loopback_and_out(void)
{
	struct ipt_env env;
	struct sk_buff *skb;
	struct ip4_hdr_info h;
	const uint8_t *req;
	size_t mlen;

	setup(&env);
	icmp_set_echo_reply_hook(echo_hook);
	CHECK_EQ(icmp_ping(A(127, 0, 0, 1), 5, 6, 1000), 0);
	host_run_softirqs(0);
	CHECK_EQ(seen.replies, 1);
	CHECK_EQ(seen.reply_from, A(127, 0, 0, 1));
	CHECK_EQ(seen.id, 5);
	CHECK_EQ(seen.seq, 6);
	CHECK_EQ(seen.len, 1000);
	/* Our own address also stays off the wire. */
	CHECK_EQ(icmp_ping(OURS, 5, 7, 70000), -EMSGSIZE);
	CHECK_EQ(icmp_ping(OURS, 5, 7, 30000), 0);
	host_run_softirqs(0);
	CHECK_EQ(seen.replies, 2);
	CHECK_EQ(seen.len, 30000);
	CHECK_EQ(ipt_tx_count(&env), 0);

	/* Out to the peer, and its reply to the hook. */
	CHECK_EQ(icmp_ping(PEER, 9, 1, 32), 0);
	skb = ipt_pop(&env);
	CHECK(ipt_frame_ip(skb, &h, &req));
	CHECK_EQ(req[0], ICMP_ECHO);
	mlen = h.tot_len - h.hdr_len;
	memcpy(msg, req, mlen);
	kfree_skb(skb);
	msg[0] = ICMP_ECHOREPLY;
	msg[2] = msg[3] = 0;
	{
		uint16_t c = csum_fold(csum_partial(msg, mlen, 0));

		memcpy(msg + 2, &c, 2);
	}
	ipt_inject_ip(&env, pkt, icmp_packet(OURS, msg, mlen));
	CHECK_EQ(seen.replies, 3);
	CHECK_EQ(seen.reply_from, PEER);
	CHECK_EQ(seen.len, 32);
	ipt_teardown(&env);
}

int main(void)
{
	test_wire();
	test_echo_reply_bytes();
	test_error_delivery();
	test_never_send();
	test_rate_limit();
	test_ping_loopback_and_out();
	return check_report();
}
