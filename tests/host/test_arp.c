/*
 * ARP and the neighbour state machine, packetdrill style over the fake
 * NIC and the fake clock: request -> reply, learning, resolution with
 * queued packets flushed on the reply, retries then FAILED with the queue
 * dropped and counted, REACHABLE/STALE/DELAY/PROBE transitions, gc,
 * gratuitous ARP, malformed packets, the queue's byte bound.
 */
#include "net/ipv4/arp.h"

#include "net/core/byteorder.h"
#include "net/ethernet/eth.h"
#include "net/ipv4/devinet.h"
#include "net/ipv4/icmp.h"
#include "tests/host/check.h"
#include "tests/host/net_platform_host.h"
#include "tests/host/test_ipv4_util.h"

#define A IPT_ADDR
#define OURS	A(198, 18, 0, 2)
#define PEER	A(198, 18, 0, 1)

static struct neighbour *peer_neigh(struct ipt_env *env, uint32_t ip)
{
	return neigh_lookup(&arp_tbl, ip, env->eth->dev);
}

static void reply_from_peer(struct ipt_env *env, uint32_t ip)
{
	struct arp_info a = { .op = ARPOP_REPLY, .sip = ip, .tip = OURS };

	memcpy(a.sha, ipt_peer_mac, 6);
	memcpy(a.tha, ipt_our_mac, 6);
	ipt_inject_arp(env, &a, ipt_our_mac);
}

/* Pops one frame and checks it is an ARP request for tip; returns true if
 * it was sent to the broadcast address. */
static bool expect_request(struct ipt_env *env, uint32_t tip)
{
	struct sk_buff *skb = ipt_pop(env);
	struct arp_info a;
	bool bcast = false;

	CHECK(skb != NULL);
	if (!skb)
		return false;
	CHECK(ipt_frame_arp(skb, &a));
	CHECK_EQ(a.op, ARPOP_REQUEST);
	CHECK_EQ(a.tip, tip);
	CHECK_EQ(a.sip, OURS);
	CHECK(memcmp(a.sha, ipt_our_mac, 6) == 0);
	bcast = is_broadcast_ether_addr(skb->data);
	kfree_skb(skb);
	return bcast;
}

static void test_request_reply(void)
{
	struct ipt_env env;
	struct arp_info a = { .op = ARPOP_REQUEST, .sip = PEER, .tip = OURS };
	struct sk_buff *skb;
	struct neighbour *n;

	ipt_setup(&env, OURS, 24, 0);
	memcpy(a.sha, ipt_peer_mac, 6);
	ipt_inject_arp(&env, &a, ipt_bcast_mac);
	skb = ipt_pop(&env);
	CHECK(skb != NULL);
	CHECK(memcmp(skb->data, ipt_peer_mac, 6) == 0);		/* unicast back */
	CHECK(memcmp(skb->data + 6, ipt_our_mac, 6) == 0);
	CHECK(ipt_frame_arp(skb, &a));
	CHECK_EQ(a.op, ARPOP_REPLY);
	CHECK_EQ(a.sip, OURS);
	CHECK_EQ(a.tip, PEER);
	CHECK(memcmp(a.sha, ipt_our_mac, 6) == 0);
	CHECK(memcmp(a.tha, ipt_peer_mac, 6) == 0);
	kfree_skb(skb);
	CHECK_EQ(arp_statistics.tx_replies, 1);

	/* Learned from the request addressed to us. */
	n = peer_neigh(&env, PEER);
	CHECK(n != NULL);
	CHECK_EQ(n->nud_state, NUD_STALE);
	CHECK(memcmp(n->ha, ipt_peer_mac, 6) == 0);

	/* A request for someone else: no answer, nothing learned. */
	a = (struct arp_info){ .op = ARPOP_REQUEST, .sip = A(198, 18, 0, 7),
			       .tip = A(198, 18, 0, 8) };
	memcpy(a.sha, ipt_peer_mac, 6);
	ipt_inject_arp(&env, &a, ipt_bcast_mac);
	CHECK_EQ(ipt_tx_count(&env), 0);
	CHECK(peer_neigh(&env, A(198, 18, 0, 7)) == NULL);
	CHECK_EQ(arp_statistics.rx_other, 1);

	/* An unsolicited reply does not create an entry. */
	reply_from_peer(&env, A(198, 18, 0, 9));
	CHECK(peer_neigh(&env, A(198, 18, 0, 9)) == NULL);
	ipt_teardown(&env);
}

static void test_resolution_queue_flush(void)
{
	struct ipt_env env;
	struct neighbour *n;
	struct sk_buff *skb;
	struct ip4_hdr_info h;

	ipt_setup(&env, OURS, 24, 0);
	for (int i = 0; i < 3; i++)
		CHECK_EQ(icmp_ping(PEER, 1, (uint16_t)i, 56), 0);
	/* One broadcast request, no IP frame yet. */
	CHECK_EQ(ipt_tx_count(&env), 1);
	CHECK(expect_request(&env, PEER));
	n = peer_neigh(&env, PEER);
	CHECK(n != NULL);
	CHECK_EQ(n->nud_state, NUD_INCOMPLETE);
	CHECK_EQ(skb_queue_len(&n->arp_queue), 3);

	reply_from_peer(&env, PEER);
	CHECK_EQ(n->nud_state, NUD_REACHABLE);
	CHECK_EQ(ipt_tx_count(&env), 3);
	for (int i = 0; i < 3; i++) {
		skb = ipt_pop(&env);
		CHECK(memcmp(skb->data, ipt_peer_mac, 6) == 0);
		CHECK(ipt_frame_ip(skb, &h, NULL));
		CHECK_EQ(h.daddr, PEER);
		CHECK_EQ(h.protocol, IPPROTO_ICMP);
		kfree_skb(skb);
	}
	/* Now resolved: the next packet goes straight out. */
	CHECK_EQ(icmp_ping(PEER, 1, 9, 56), 0);
	CHECK_EQ(ipt_tx_count(&env), 1);
	ipt_teardown(&env);
}

static void test_retries_then_failed(void)
{
	struct ipt_env env;
	struct neighbour *n;
	uint32_t dead = A(198, 18, 0, 50);

	ipt_setup(&env, OURS, 24, 0);
	CHECK_EQ(icmp_ping(dead, 1, 1, 56), 0);
	CHECK_EQ(icmp_ping(dead, 1, 2, 56), 0);
	CHECK(expect_request(&env, dead));
	host_clock_advance(1 * SEC);
	CHECK(expect_request(&env, dead));
	host_clock_advance(1 * SEC);
	CHECK(expect_request(&env, dead));
	CHECK_EQ(ipt_tx_count(&env), 0);
	n = peer_neigh(&env, dead);
	CHECK_EQ(n->nud_state, NUD_INCOMPLETE);
	host_clock_advance(1 * SEC);
	/* mcast_probes (3) used up: FAILED, queue dropped and counted. */
	CHECK_EQ(n->nud_state, NUD_FAILED);
	CHECK_EQ(skb_queue_len(&n->arp_queue), 0);
	CHECK_EQ(arp_tbl.stats.unres_discards, 2);
	CHECK_EQ(arp_tbl.stats.res_failed, 1);
	CHECK_EQ(ipt_tx_count(&env), 0);
	host_clock_advance(10 * SEC);
	CHECK_EQ(ipt_tx_count(&env), 0);

	/* A new packet starts a new round. */
	CHECK_EQ(icmp_ping(dead, 1, 3, 56), 0);
	CHECK_EQ(n->nud_state, NUD_INCOMPLETE);
	CHECK(expect_request(&env, dead));
	ipt_teardown(&env);
}

static void test_state_transitions(void)
{
	struct ipt_env env;
	struct neighbour *n;
	uint64_t reach;

	ipt_setup(&env, OURS, 24, 0);
	CHECK_EQ(icmp_ping(PEER, 1, 1, 8), 0);
	reply_from_peer(&env, PEER);
	ipt_drain(&env);
	n = peer_neigh(&env, PEER);
	CHECK_EQ(n->nud_state, NUD_REACHABLE);
	reach = arp_tbl.reachable_ns;
	CHECK(reach >= 15 * SEC && reach < 45 * SEC);

	/* Unused past reachable_time: STALE, no traffic. */
	host_clock_advance(reach + 1 * SEC);
	CHECK_EQ(n->nud_state, NUD_STALE);
	CHECK_EQ(ipt_tx_count(&env), 0);

	/* A packet in STALE goes out at once and starts DELAY. */
	CHECK_EQ(icmp_ping(PEER, 1, 2, 8), 0);
	CHECK_EQ(ipt_tx_count(&env), 1);
	ipt_drain(&env);
	CHECK_EQ(n->nud_state, NUD_DELAY);

	/* No confirmation within delay_first_probe: PROBE, unicast. */
	host_clock_advance(5 * SEC);
	CHECK_EQ(n->nud_state, NUD_PROBE);
	CHECK(!expect_request(&env, PEER));

	/* The reply confirms. */
	reply_from_peer(&env, PEER);
	CHECK_EQ(n->nud_state, NUD_REACHABLE);

	/* Used within the last 5 s when reachable_time runs out: DELAY. */
	host_clock_advance(reach - 2 * SEC);
	CHECK_EQ(icmp_ping(PEER, 1, 3, 8), 0);
	ipt_drain(&env);
	host_clock_advance(3 * SEC);
	CHECK_EQ(n->nud_state, NUD_DELAY);
	host_clock_advance(5 * SEC);
	CHECK_EQ(n->nud_state, NUD_PROBE);
	/* ucast_probes unanswered: FAILED. */
	CHECK(!expect_request(&env, PEER));
	host_clock_advance(1 * SEC);
	CHECK(!expect_request(&env, PEER));
	host_clock_advance(1 * SEC);
	CHECK(!expect_request(&env, PEER));
	host_clock_advance(1 * SEC);
	CHECK_EQ(n->nud_state, NUD_FAILED);
	CHECK_EQ(ipt_tx_count(&env), 0);

	/* gc removes FAILED entries at its next run. */
	host_clock_advance(30 * SEC);
	CHECK(peer_neigh(&env, PEER) == NULL);
	CHECK(arp_tbl.stats.periodic_gc_runs >= 1);
	ipt_teardown(&env);
}

static void test_gc_stale(void)
{
	struct ipt_env env;

	ipt_setup(&env, OURS, 24, 0);
	ipt_learn_peer(&env, PEER);
	CHECK_EQ(peer_neigh(&env, PEER)->nud_state, NUD_STALE);
	host_clock_advance(50 * SEC);
	CHECK(peer_neigh(&env, PEER) != NULL);	/* unused for < gc_stale_time */
	host_clock_advance(40 * SEC);
	CHECK(peer_neigh(&env, PEER) == NULL);
	CHECK_EQ(arp_tbl.entries, 0);
	ipt_teardown(&env);
}

static void test_gratuitous(void)
{
	struct ipt_env env;
	struct sk_buff *skb;
	struct arp_info a;

	ipt_setup(&env, OURS, 24, 0);
	CHECK_EQ(inet_addr_add(env.eth->dev, A(198, 18, 1, 2), 24), 0);
	skb = ipt_pop(&env);
	CHECK(skb && is_broadcast_ether_addr(skb->data));
	CHECK(skb && ipt_frame_arp(skb, &a));
	CHECK_EQ(a.op, ARPOP_REQUEST);
	CHECK_EQ(a.sip, A(198, 18, 1, 2));
	CHECK_EQ(a.tip, A(198, 18, 1, 2));
	kfree_skb(skb);

	/* Carrier back: both addresses are announced again. */
	netif_carrier_off(env.eth->dev);
	netif_carrier_on(env.eth->dev);
	host_run_softirqs(0);
	CHECK_EQ(ipt_drain(&env), 2);
	CHECK_EQ(arp_statistics.tx_gratuitous, 4);
	ipt_teardown(&env);
}

static void test_malformed(void)
{
	struct ipt_env env;
	uint8_t buf[ARP_PKT_LEN];
	struct arp_info a = { .op = ARPOP_REQUEST, .sip = PEER, .tip = OURS };

	ipt_setup(&env, OURS, 24, 0);
	memcpy(a.sha, ipt_peer_mac, 6);
	arp_emit(&a, buf);
	ipt_inject(&env, ipt_bcast_mac, ETH_P_ARP, buf, 20);
	CHECK_EQ(arp_statistics.drop_truncated, 1);
	buf[1] = 6;				/* hardware type 6 */
	ipt_inject(&env, ipt_bcast_mac, ETH_P_ARP, buf, sizeof(buf));
	CHECK_EQ(arp_statistics.drop_format, 1);
	buf[1] = 1;
	buf[7] = 9;				/* opcode 9 */
	ipt_inject(&env, ipt_bcast_mac, ETH_P_ARP, buf, sizeof(buf));
	CHECK_EQ(arp_statistics.drop_op, 1);
	a.sip = A(224, 0, 0, 1);
	ipt_inject_arp(&env, &a, ipt_bcast_mac);
	a.sip = PEER;
	memcpy(a.sha, ipt_bcast_mac, 6);
	ipt_inject_arp(&env, &a, ipt_bcast_mac);
	CHECK_EQ(arp_statistics.drop_martian, 2);
	CHECK_EQ(ipt_tx_count(&env), 0);
	CHECK(peer_neigh(&env, PEER) == NULL);
	ipt_teardown(&env);
}

static void test_queue_bound(void)
{
	struct ipt_env env;
	struct neighbour *n;

	ipt_setup(&env, OURS, 24, 0);
	for (int i = 0; i < 200; i++)
		CHECK_EQ(icmp_ping(PEER, 1, (uint16_t)i, 1400), 0);
	n = peer_neigh(&env, PEER);
	CHECK(n->arp_queue_bytes <= arp_tbl.parms.unres_qlen_bytes);
	CHECK(arp_tbl.stats.queue_overflows > 0);
	CHECK_EQ(arp_tbl.stats.unres_discards + skb_queue_len(&n->arp_queue), 200);
	ipt_drain(&env);
	reply_from_peer(&env, PEER);
	CHECK_EQ(ipt_drain(&env), 200 - arp_tbl.stats.unres_discards);
	ipt_teardown(&env);
}

int main(void)
{
	test_request_reply();
	test_resolution_queue_flush();
	test_retries_then_failed();
	test_state_transitions();
	test_gc_stale();
	test_gratuitous();
	test_malformed();
	test_queue_bound();
	return check_report();
}
