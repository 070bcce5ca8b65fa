/*
 * The receive path, packetdrill style: frames are injected on a fake NIC's
 * RX ring, its "interrupt" schedules NAPI, the test runs softirqs and
 * checks what the protocol handlers and taps saw and what was counted.
 * Covers NAPI weight and re-arming, the net_rx_action budget and 2 ms
 * limit, MISSED re-scheduling, ptype_all taps (clones), several handlers
 * per ethertype, unknown ethertypes, pkt_type, device down, the netif_rx
 * backlog and its bound.
 */
#include "net/core/netdevice.h"

#include "net/core/byteorder.h"
#include "net/ethernet/eth.h"
#include "tests/host/check.h"
#include "tests/host/net_fake_dev.h"
#include "tests/host/net_platform_host.h"

#define ETH_P_TEST	0x88b6	/* IEEE local experimental */
#define ETH_P_UNKNOWN	0x88b5

static const uint8_t peer[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0x99 };
static const uint8_t bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

struct seen {
	unsigned int count;
	uint8_t last_byte;
	uint8_t last_pkt_type;
	bool last_cloned;
	struct net_device *devs[512];
};

static struct seen proto_seen, proto2_seen, tap_seen;

static void record(struct seen *s, struct sk_buff *skb, struct net_device *dev)
{
	if (s->count < 512)
		s->devs[s->count] = dev;
	s->count++;
	s->last_byte = skb->len ? skb->data[0] : 0;
	s->last_pkt_type = skb->pkt_type;
	s->last_cloned = skb_cloned(skb);
	kfree_skb(skb);
}

static int proto_rcv(struct sk_buff *skb, struct net_device *dev,
		     struct packet_type *pt, struct net_device *orig)
{
	(void)orig;
	record(pt->priv, skb, dev);
	return NET_RX_SUCCESS;
}

/* A tap sees the whole frame from the MAC header. */
static int tap_rcv(struct sk_buff *skb, struct net_device *dev,
		   struct packet_type *pt, struct net_device *orig)
{
	(void)orig;
	(void)pt;
	CHECK(skb_mac_header(skb) + (skb->protocol ? ETH_HLEN : 0) == skb->data);
	record(&tap_seen, skb, dev);
	return NET_RX_SUCCESS;
}

static struct packet_type proto_pt = { .func = proto_rcv, .priv = &proto_seen };
static struct packet_type proto2_pt = { .func = proto_rcv, .priv = &proto2_seen };
static struct packet_type tap_pt = { .func = tap_rcv };

static void reset_seen(void)
{
	memset(&proto_seen, 0, sizeof(proto_seen));
	memset(&proto2_seen, 0, sizeof(proto2_seen));
	memset(&tap_seen, 0, sizeof(tap_seen));
}

static void inject(struct fake_dev *fd, const uint8_t *dst, uint16_t type, uint8_t tag)
{
	uint8_t frame[64], payload[46];

	memset(payload, tag, sizeof(payload));
	fake_dev_inject(fd, frame, fake_frame(frame, dst, peer, type, payload, sizeof(payload)));
}

static void inject_n(struct fake_dev *fd, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		inject(fd, fd->dev->dev_addr, ETH_P_TEST, (uint8_t)i);
}

static void test_napi_weight_and_rearm(void)
{
	struct fake_dev *fd = fake_dev_create(1);

	reset_seen();
	inject_n(fd, 10);
	CHECK_EQ(proto_seen.count, 0);		/* nothing without the interrupt */
	fake_dev_irq(fd);
	CHECK(!fd->irq_enabled);		/* masked until NAPI completes */
	CHECK(host_softirq_pending());
	host_run_softirqs(0);
	CHECK_EQ(proto_seen.count, 10);
	CHECK_EQ(proto_seen.last_byte, 9);
	CHECK_EQ(proto_seen.last_pkt_type, PACKET_HOST);
	CHECK_EQ(fd->polls, 1);
	CHECK_EQ(fd->rearms, 1);
	CHECK(fd->irq_enabled);
	CHECK_EQ(fd->dev->stats.rx_packets, 10);

	/* Exactly weight frames: the instance stays scheduled and is polled
	 * again, finds nothing, and completes. */
	inject_n(fd, NAPI_POLL_WEIGHT);
	fake_dev_irq(fd);
	host_run_softirqs(0);
	CHECK_EQ(proto_seen.count, 10 + NAPI_POLL_WEIGHT);
	CHECK_EQ(fd->polls, 3);
	CHECK_EQ(fd->rearms, 2);
	fake_dev_destroy(fd);
}

static void test_budget(void)
{
	struct fake_dev *fd = fake_dev_create(2);
	uint64_t squeeze = softnet_data.stat.time_squeeze;

	reset_seen();
	inject_n(fd, 400);
	fake_dev_irq(fd);
	/* One NET_RX run: polls of 64 until the budget of 300 is spent. */
	CHECK_EQ(host_run_softirqs(1), 1);
	CHECK_EQ(proto_seen.count, 5 * NAPI_POLL_WEIGHT);
	CHECK_EQ(softnet_data.stat.time_squeeze, squeeze + 1);
	CHECK(host_softirq_pending());		/* re-raised for the rest */
	CHECK(!fd->irq_enabled);
	host_run_softirqs(0);
	CHECK_EQ(proto_seen.count, 400);
	CHECK(fd->irq_enabled);
	fake_dev_destroy(fd);
}

static void test_round_robin(void)
{
	struct fake_dev *a = fake_dev_create(3), *b = fake_dev_create(4);
	unsigned int i;

	reset_seen();
	inject_n(a, 128);
	inject_n(b, 128);
	fake_dev_irq(a);
	fake_dev_irq(b);
	host_run_softirqs(0);
	CHECK_EQ(proto_seen.count, 256);
	/* a's first weight, then b's, then a's second, then b's. */
	for (i = 0; i < 256; i++)
		CHECK(proto_seen.devs[i] == ((i / NAPI_POLL_WEIGHT) % 2 ? b->dev : a->dev));
	fake_dev_destroy(a);
	fake_dev_destroy(b);
}

static void test_time_limit(void)
{
	struct fake_dev *fd = fake_dev_create(5);
	uint64_t squeeze = softnet_data.stat.time_squeeze;

	reset_seen();
	fd->poll_cost_ns = 20000;	/* 20 us a frame: 1.28 ms a poll */
	inject_n(fd, 250);
	fake_dev_irq(fd);
	host_run_softirqs(1);
	/* The second poll crosses 2 ms: stop there although budget is left. */
	CHECK_EQ(proto_seen.count, 2 * NAPI_POLL_WEIGHT);
	CHECK_EQ(softnet_data.stat.time_squeeze, squeeze + 1);
	host_run_softirqs(0);
	CHECK_EQ(proto_seen.count, 250);
	fake_dev_destroy(fd);
}

static int missed_polls;

static int empty_poll(struct napi_struct *napi, int budget)
{
	(void)budget;
	missed_polls++;
	napi_complete_done(napi, 0);
	return 0;
}

static void test_missed(void)
{
	struct napi_struct n;

	netif_napi_add(NULL, &n, empty_poll, NAPI_POLL_WEIGHT);
	napi_schedule(&n);
	CHECK(!host_softirq_pending());		/* disabled until enabled */
	napi_enable(&n);
	CHECK(napi_schedule_prep(&n));
	__napi_schedule(&n);
	CHECK(!napi_schedule_prep(&n));		/* already scheduled: MISSED */
	host_run_softirqs(0);
	/* complete_done saw MISSED and polled once more. */
	CHECK_EQ(missed_polls, 2);
	CHECK(napi_schedule_prep(&n));		/* idle again */
	__napi_schedule(&n);
	napi_disable(&n);			/* off the list before it runs */
	host_run_softirqs(0);
	CHECK_EQ(missed_polls, 2);
	netif_napi_del(&n);
}

static void test_taps_and_handlers(void)
{
	struct fake_dev *fd = fake_dev_create(6);
	const uint8_t mc[ETH_ALEN] = { 0x01, 0x00, 0x5e, 0, 0, 1 };
	const uint8_t other[ETH_ALEN] = { 0x02, 9, 9, 9, 9, 9 };
	uint8_t runt[10] = { 0 };

	reset_seen();
	dev_add_pack(&tap_pt);
	dev_add_pack(&proto2_pt);	/* a second handler for ETH_P_TEST */
	inject(fd, fd->dev->dev_addr, ETH_P_TEST, 0xaa);
	fake_dev_irq(fd);
	host_run_softirqs(0);
	CHECK_EQ(tap_seen.count, 1);
	CHECK(tap_seen.last_cloned);		/* the original was still alive */
	CHECK_EQ(tap_seen.last_byte, 0xaa);
	CHECK_EQ(proto_seen.count, 1);
	CHECK_EQ(proto2_seen.count, 1);
	CHECK(proto_seen.last_cloned);		/* first handler got a clone */
	CHECK(!proto2_seen.last_cloned);	/* the last the original */
	dev_remove_pack(&proto2_pt);

	inject(fd, bcast, ETH_P_TEST, 1);
	inject(fd, mc, ETH_P_TEST, 2);
	inject(fd, other, ETH_P_TEST, 3);
	inject(fd, fd->dev->dev_addr, ETH_P_UNKNOWN, 4);
	fake_dev_inject(fd, runt, sizeof(runt));
	fake_dev_irq(fd);
	host_run_softirqs(1);
	CHECK_EQ(proto_seen.count, 4);
	CHECK_EQ(proto_seen.last_pkt_type, PACKET_OTHERHOST);
	CHECK_EQ(fd->dev->stats.multicast, 1);
	CHECK_EQ(tap_seen.count, 6);		/* taps see everything */
	CHECK_EQ(fd->dev->stats.rx_nohandler, 2);	/* unknown + runt */
	CHECK_EQ(softnet_data.stat.unknown_ethertype, 2);
	dev_remove_pack(&tap_pt);

	/* A tap that cannot get a clone misses the frame; delivery goes on. */
	dev_add_pack(&tap_pt);
	inject(fd, fd->dev->dev_addr, ETH_P_TEST, 5);
	fake_dev_irq(fd);
	host_alloc_fail_after(0);
	host_run_softirqs(0);
	host_alloc_fail_after(-1);
	CHECK_EQ(softnet_data.stat.tap_clone_failures, 1);
	CHECK_EQ(proto_seen.count, 5);
	dev_remove_pack(&tap_pt);
	fake_dev_destroy(fd);
}

static void test_device_down(void)
{
	struct fake_dev *fd = fake_dev_create(7);
	struct sk_buff *skb = netdev_alloc_skb(fd->dev, 64);

	reset_seen();
	skb_put_zero(skb, 60);
	skb->protocol = eth_type_trans(skb, fd->dev);
	dev_close(fd->dev);
	CHECK_EQ(netif_receive_skb(skb), NET_RX_DROP);
	CHECK_EQ(fd->dev->stats.rx_dropped, 1);
	CHECK_EQ(proto_seen.count, 0);
	fake_dev_destroy(fd);
}

static void test_backlog(void)
{
	struct fake_dev *fd = fake_dev_create(8);
	uint64_t dropped = softnet_data.stat.dropped;
	unsigned int i, ok = 0;

	reset_seen();
	for (i = 0; i < NETDEV_MAX_BACKLOG + 5; i++) {
		struct sk_buff *skb = netdev_alloc_skb(fd->dev, 64);
		uint8_t frame[64], payload[46] = { 0 };

		skb_put_data(skb, frame, (unsigned int)fake_frame(frame, fd->dev->dev_addr,
			     peer, ETH_P_TEST, payload, sizeof(payload)));
		skb->protocol = eth_type_trans(skb, fd->dev);
		ok += netif_rx(skb) == NET_RX_SUCCESS;
	}
	CHECK_EQ(ok, NETDEV_MAX_BACKLOG);
	CHECK_EQ(softnet_data.stat.dropped, dropped + 5);
	CHECK_EQ(fd->dev->stats.rx_dropped, 5);
	CHECK_EQ(proto_seen.count, 0);
	host_run_softirqs(0);
	CHECK_EQ(proto_seen.count, NETDEV_MAX_BACKLOG);
	CHECK_EQ(skb_queue_len(&softnet_data.input_pkt_queue), 0);

	/* Frames still on the backlog when their device goes away are
	 * dropped with it, not delivered with a dangling dev. */
	struct fake_dev *other = fake_dev_create(9);
	for (i = 0; i < 3; i++) {
		struct sk_buff *skb = netdev_alloc_skb(i == 1 ? other->dev : fd->dev, 64);

		skb_put_zero(skb, 60);
		skb->protocol = htons(ETH_P_TEST);
		netif_rx(skb);
	}
	fake_dev_destroy(fd);
	CHECK_EQ(skb_queue_len(&softnet_data.input_pkt_queue), 1);
	host_run_softirqs(0);
	CHECK_EQ(proto_seen.count, NETDEV_MAX_BACKLOG + 1);
	fake_dev_destroy(other);
}

int main(void)
{
	struct host_alloc_stats st;
	struct skb_accounting base;

	net_dev_init();
	kfree_skb(alloc_skb(1));
	base = *skb_accounting();
	proto_pt.type = htons(ETH_P_TEST);
	proto2_pt.type = htons(ETH_P_TEST);
	tap_pt.type = htons(ETH_P_ALL);
	dev_add_pack(&proto_pt);

	test_napi_weight_and_rearm();
	test_budget();
	test_round_robin();
	test_time_limit();
	test_missed();
	test_taps_and_handlers();
	test_device_down();
	test_backlog();

	dev_remove_pack(&proto_pt);
	CHECK_EQ(skb_accounting()->skbs_alive, base.skbs_alive);
	CHECK_EQ(skb_accounting()->data_bytes, base.data_bytes);
	host_alloc_stats(&st);
	CHECK_EQ(st.alloc_alive, 0);
	return check_report();
}
