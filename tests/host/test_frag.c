/*
 * Fragmentation and reassembly: in order, out of order, duplicates,
 * overlaps (teardrop), bad lengths, timeout with ICMP time exceeded only
 * when fragment zero arrived, the memory cap with eviction, a 65000-byte
 * ping answered in MTU-sized fragments whose reassembly equals the
 * request's echo, and DF with a too-big datagram (EMSGSIZE, ICMP
 * fragmentation needed delivered to the transport's err_handler).
 */
#include "net/ipv4/ip_fragment.h"

#include <stdlib.h>

#include "kernel/errno.h"
#include "net/core/checksum.h"
#include "net/ethernet/eth.h"
#include "net/ipv4/icmp.h"
#include "net/ipv4/protocol.h"
#include "net/ipv4/snmp.h"
#include "tests/host/check.h"
#include "tests/host/net_platform_host.h"
#include "tests/host/test_ipv4_util.h"

#define A IPT_ADDR
#define OURS	A(198, 18, 0, 2)
#define PEER	A(198, 18, 0, 1)
#define PROTO_TEST	253

static uint8_t data[70000];
static uint8_t pkt[2048];

static struct {
	unsigned int calls;
	unsigned int len;
	bool same;
	unsigned int errs;
	struct icmp_err err;
	uint8_t transport[8];		/* err.transport is valid during the call only */
} seen;

static int test_rcv(struct sk_buff *skb)
{
	seen.calls++;
	seen.len = skb->len;
	seen.same = memcmp(skb->data, data, skb->len) == 0;
	consume_skb(skb);
	return 0;
}

static void test_err(const struct icmp_err *e)
{
	seen.errs++;
	seen.err = *e;
	memcpy(seen.transport, e->transport, sizeof(seen.transport));
}

static const struct net_protocol test_proto = { .handler = test_rcv, .err_handler = test_err };

static void setup(struct ipt_env *env)
{
	ipt_setup(env, OURS, 24, 0);
	ipt_learn_peer(env, PEER);
	CHECK_EQ(inet_add_protocol(&test_proto, PROTO_TEST), 0);
	memset(&seen, 0, sizeof(seen));
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 13 + (i >> 8));
}

static void teardown(struct ipt_env *env)
{
	CHECK_EQ(ip_frag_nqueues(), 0);
	CHECK_EQ(ip_frag_mem(), 0);
	inet_del_protocol(&test_proto, PROTO_TEST);
	ipt_teardown(env);
}

/* Injects payload bytes [off, off + len) of datagram id. */
static void frag(struct ipt_env *env, uint16_t id, size_t off, size_t len, bool mf)
{
	struct ip4_hdr_info h = { .saddr = PEER, .daddr = OURS, .protocol = PROTO_TEST,
				  .id = id, .frag_off = (uint16_t)off, .mf = mf };

	ipt_inject_ip(env, pkt, ipt_build_ip(pkt, h, data + off, len));
}

static void test_in_order_and_not(void)
{
	struct ipt_env env;

	setup(&env);
	frag(&env, 1, 0, 1480, true);
	frag(&env, 1, 1480, 1480, true);
	CHECK_EQ(seen.calls, 0);
	frag(&env, 1, 2960, 40, false);
	CHECK_EQ(seen.calls, 1);
	CHECK_EQ(seen.len, 3000);
	CHECK(seen.same);

	frag(&env, 2, 2960, 40, false);
	frag(&env, 2, 0, 1480, true);
	frag(&env, 2, 1480, 1480, true);
	CHECK_EQ(seen.calls, 2);
	CHECK(seen.same);

	/* A duplicate is dropped, the datagram still completes once. */
	frag(&env, 3, 0, 1480, true);
	frag(&env, 3, 0, 1480, true);
	frag(&env, 3, 1480, 8, false);
	CHECK_EQ(seen.calls, 3);
	CHECK_EQ(seen.len, 1488);
	CHECK_EQ(ip_statistics.ReasmDuplicates, 1);
	CHECK_EQ(ip_statistics.ReasmReqds, 9);
	CHECK_EQ(ip_statistics.ReasmOKs, 3);
	CHECK_EQ(ip_statistics.ReasmFails, 0);
	teardown(&env);
}

static void test_overlap_and_bad_len(void)
{
	struct ipt_env env;

	setup(&env);
	/* Teardrop: the second fragment rewrites bytes of the first. */
	frag(&env, 4, 0, 1480, true);
	frag(&env, 4, 1472, 100, false);
	CHECK_EQ(ip_statistics.ReasmOverlaps, 1);
	CHECK_EQ(ip_statistics.ReasmFails, 1);
	CHECK_EQ(ip_frag_nqueues(), 0);
	CHECK_EQ(seen.calls, 0);

	/* Non-last fragment not a multiple of 8: that fragment is dropped. */
	frag(&env, 5, 0, 1001, true);
	CHECK_EQ(ip_statistics.ReasmBadLen, 1);
	/* A second "last" fragment that disagrees kills the queue. */
	frag(&env, 5, 1000, 8, false);
	frag(&env, 5, 2000, 8, false);
	CHECK_EQ(ip_statistics.ReasmBadLen, 2);
	/* Data past the last fragment's end kills it too. */
	frag(&env, 6, 1000, 8, false);
	frag(&env, 6, 2000, 8, true);
	CHECK_EQ(ip_statistics.ReasmBadLen, 3);
	CHECK_EQ(ip_statistics.ReasmFails, 3);
	CHECK_EQ(ip_frag_nqueues(), 0);
	CHECK_EQ(seen.calls, 0);
	CHECK_EQ(ipt_tx_count(&env), 0);
	teardown(&env);
}

static void test_timeout(void)
{
	struct ipt_env env;
	struct sk_buff *skb;
	struct ip4_hdr_info h;
	const uint8_t *icmp;

	setup(&env);
	frag(&env, 7, 0, 1480, true);		/* fragment zero, never completed */
	frag(&env, 8, 1480, 1480, true);	/* no fragment zero */
	CHECK_EQ(ip_frag_nqueues(), 2);
	host_clock_advance(29 * SEC);
	CHECK_EQ(ip_frag_nqueues(), 2);
	CHECK_EQ(ipt_tx_count(&env), 0);
	host_clock_advance(1 * SEC);
	CHECK_EQ(ip_frag_nqueues(), 0);
	CHECK_EQ(ip_statistics.ReasmTimeout, 2);
	CHECK_EQ(ip_statistics.ReasmFails, 2);
	/* One ICMP time exceeded (reassembly), about datagram 7 only. */
	CHECK_EQ(ipt_tx_count(&env), 1);
	skb = ipt_pop(&env);
	CHECK(ipt_frame_ip(skb, &h, &icmp));
	CHECK_EQ(h.daddr, PEER);
	CHECK_EQ(icmp[0], ICMP_TIME_EXCEEDED);
	CHECK_EQ(icmp[1], ICMP_EXC_FRAGTIME);
	CHECK_EQ(get_be16(icmp + ICMP_HDR_LEN + 4), 7);		/* quoted IP ID */
	CHECK_EQ(h.tot_len, ICMP_ERR_MAX_LEN);
	kfree_skb(skb);
	teardown(&env);
}

static void test_memory_cap(void)
{
	struct ipt_env env;
	unsigned int i;

	setup(&env);
	for (i = 0; i < 3000; i++)
		frag(&env, (uint16_t)(100 + i), 0, 1480, true);
	CHECK(ip_statistics.ReasmEvictions > 0);
	CHECK(ip_frag_mem() <= IPFRAG_HIGH_THRESH + 4096);
	CHECK_EQ(ip_statistics.ReasmFails, ip_statistics.ReasmEvictions);
	/* Still answers: a fresh datagram reassembles. */
	frag(&env, 9, 0, 1480, true);
	frag(&env, 9, 1480, 100, false);
	CHECK_EQ(seen.calls, 1);
	CHECK_EQ(seen.len, 1580);
	ip_frag_flush();
	teardown(&env);
}

/* Collects the fragments of one datagram sent on eth0 into buf; returns
 * the reassembled length (header excluded), 0 on any inconsistency. */
static size_t collect_reply(struct ipt_env *env, uint8_t *buf, unsigned int *nfrags)
{
	size_t total = 0, expect_off = 0;
	struct sk_buff *skb;
	struct ip4_hdr_info h;
	const uint8_t *payload;
	bool last = false;

	*nfrags = 0;
	while (!last && (skb = ipt_pop(env)) != NULL) {
		CHECK(skb->len <= ETH_FRAME_LEN);
		if (!ipt_frame_ip(skb, &h, &payload) || h.frag_off != expect_off) {
			kfree_skb(skb);
			return 0;
		}
		CHECK(h.mf || h.frag_off + h.tot_len - h.hdr_len > 0);
		memcpy(buf + h.frag_off, payload, h.tot_len - h.hdr_len);
		expect_off += h.tot_len - h.hdr_len;
		total = expect_off;
		last = !h.mf;
		(*nfrags)++;
		kfree_skb(skb);
	}
	return last ? total : 0;
}

static void test_big_ping(void)
{
	struct ipt_env env;
	uint8_t *req = malloc(65008), *rep = malloc(65536);
	size_t len = ipt_build_echo(req, 0x1234, 1, 65000), off;
	unsigned int nfrags;

	setup(&env);
	for (off = 0; off < len; off += 1480) {
		size_t n = len - off < 1480 ? len - off : 1480;
		struct ip4_hdr_info h = { .saddr = PEER, .daddr = OURS, .protocol = IPPROTO_ICMP,
					  .id = 77, .frag_off = (uint16_t)off,
					  .mf = off + n < len };

		ipt_inject_ip(&env, pkt, ipt_build_ip(pkt, h, req + off, n));
	}
	CHECK_EQ(icmp_statistics.InEchos, 1);
	CHECK_EQ(icmp_statistics.OutEchoReps, 1);
	CHECK_EQ(collect_reply(&env, rep, &nfrags), len);
	CHECK_EQ(nfrags, 44);
	CHECK_EQ(ip_statistics.FragCreates, 44);
	CHECK_EQ(ip_statistics.FragOKs, 1);
	/* The reply is the request with type 0 and its checksum fixed. */
	CHECK_EQ(rep[0], ICMP_ECHOREPLY);
	CHECK_EQ(csum_fold(csum_partial(rep, len, 0)), 0);
	CHECK(memcmp(rep + 4, req + 4, len - 4) == 0);
	free(req);
	free(rep);
	teardown(&env);
}

static void test_df_too_big(void)
{
	struct ipt_env env;
	struct ip_tx tx = { .protocol = PROTO_TEST, .df = true };
	struct sk_buff *skb;

	setup(&env);
	skb = alloc_skb(MAX_HEADER + 2000);
	skb_reserve(skb, MAX_HEADER);
	skb_put_data(skb, data, 2000);
	CHECK_EQ(ip_send_to(skb, 0, PEER, &tx), -EMSGSIZE);
	host_run_softirqs(0);
	CHECK_EQ(ipt_tx_count(&env), 0);
	CHECK_EQ(ip_statistics.FragFails, 1);
	/* The error came back through loopback to our err_handler. */
	CHECK_EQ(seen.errs, 1);
	CHECK_EQ(seen.err.type, ICMP_DEST_UNREACH);
	CHECK_EQ(seen.err.code, ICMP_FRAG_NEEDED);
	CHECK_EQ(seen.err.info, 1500);
	CHECK_EQ(seen.err.quoted.daddr, PEER);
	CHECK_EQ(seen.err.quoted.protocol, PROTO_TEST);
	CHECK(seen.err.transport_len >= 8);
	CHECK(memcmp(seen.transport, data, 8) == 0);

	/* Without DF the same datagram leaves in two fragments. */
	tx.df = false;
	skb = alloc_skb(MAX_HEADER + 2000);
	skb_reserve(skb, MAX_HEADER);
	skb_put_data(skb, data, 2000);
	CHECK_EQ(ip_send_to(skb, 0, PEER, &tx), 0);
	CHECK_EQ(ipt_tx_count(&env), 2);
	teardown(&env);
}

int main(void)
{
	test_in_order_and_not();
	test_overlap_and_bad_len();
	test_timeout();
	test_memory_cap();
	test_big_ping();
	test_df_too_big();
	return check_report();
}
