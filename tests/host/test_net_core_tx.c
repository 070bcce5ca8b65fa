/*
 * The transmit path: dev_queue_xmit through pfifo_fast to a fake NIC.
 * Covers band ordering, the 1000-packet limit and its drop counters, the
 * qdisc run quota, a driver that stops its queue (restarted from NET_TX by
 * netif_wake_queue) or answers NETDEV_TX_BUSY (requeue), transmit to a
 * device that is down, TX taps, and the loopback round trip.
 */
#include "net/core/netdevice.h"

#include "drivers/net/loopback.h"
#include "kernel/errno.h"
#include "net/core/byteorder.h"
#include "net/core/sch_generic.h"
#include "net/ethernet/eth.h"
#include "net/platform.h"
#include "tests/host/check.h"
#include "tests/host/net_fake_dev.h"
#include "tests/host/net_platform_host.h"

#define ETH_P_TEST	0x88b6

static const uint8_t peer[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0x99 };

/* A frame for dev with one payload byte tag and the given priority. */
static struct sk_buff *frame(struct net_device *dev, uint8_t tag, uint32_t prio,
			     unsigned int len)
{
	struct sk_buff *skb = alloc_skb(MAX_HEADER + len);

	skb_reserve(skb, MAX_HEADER);
	memset(skb_put(skb, len), tag, len);
	skb_reset_network_header(skb);
	skb->dev = dev;
	skb->priority = prio;
	CHECK_EQ(dev_hard_header(skb, dev, ETH_P_TEST, peer, NULL, len), ETH_HLEN);
	return skb;
}

/* Pops the next frame off the wire; its tag, or -1 if none. */
static int wire_tag(struct fake_dev *fd)
{
	struct sk_buff *skb = fake_dev_pop_tx(fd);
	int tag;

	if (!skb)
		return -1;
	tag = skb->data[ETH_HLEN];
	kfree_skb(skb);
	return tag;
}

static void test_basic(void)
{
	struct fake_dev *fd = fake_dev_create(1);
	struct sk_buff *skb;

	CHECK_EQ(dev_queue_xmit(frame(fd->dev, 7, 0, 100)), 0);
	skb = fake_dev_pop_tx(fd);
	CHECK(skb != NULL);
	CHECK_EQ(skb->len, ETH_HLEN + 100);
	CHECK(ether_addr_equal(skb->data, peer));
	CHECK(ether_addr_equal(skb->data + ETH_ALEN, fd->dev->dev_addr));
	CHECK_EQ(get_be16(skb->data + 12), ETH_P_TEST);
	kfree_skb(skb);
	CHECK_EQ(fd->dev->qdisc->stats.packets, 1);
	CHECK_EQ(fd->dev->qdisc->stats.bytes, ETH_HLEN + 100);
	CHECK_EQ(fd->dev->stats.tx_packets, 1);
	fake_dev_destroy(fd);
}

static void test_bands(void)
{
	struct fake_dev *fd = fake_dev_create(2);
	struct Qdisc *q = fd->dev->qdisc;
	struct qdisc_class_stats cs;
	const int want[] = { 3, 6, 2, 5, 1, 4 };	/* band 0, 1, 2; FIFO within */
	unsigned int i;

	netif_stop_queue(fd->dev);
	dev_queue_xmit(frame(fd->dev, 1, TC_PRIO_BULK, 60));		/* band 2 */
	dev_queue_xmit(frame(fd->dev, 2, TC_PRIO_BESTEFFORT, 60));	/* band 1 */
	dev_queue_xmit(frame(fd->dev, 3, TC_PRIO_INTERACTIVE, 60));	/* band 0 */
	dev_queue_xmit(frame(fd->dev, 4, TC_PRIO_FILLER, 60));		/* band 2 */
	dev_queue_xmit(frame(fd->dev, 5, TC_PRIO_INTERACTIVE_BULK, 60));	/* band 1 */
	dev_queue_xmit(frame(fd->dev, 6, TC_PRIO_CONTROL, 60));		/* band 0 */
	CHECK_EQ(wire_tag(fd), -1);
	CHECK_EQ(qdisc_qlen(q), 6);
	CHECK_EQ(q->ops->peek(q)->data[ETH_HLEN], 3);
	for (i = 0; i < 3; i++) {
		CHECK_EQ(q->ops->class_stats(q, i, &cs), 0);
		CHECK_EQ(cs.qlen, 2);
	}
	CHECK_EQ(q->ops->class_stats(q, 3, &cs), -ENOENT);

	fake_dev_tx_reclaim(fd, 0);		/* wake: NET_TX drains the qdisc */
	CHECK(host_softirq_pending());
	host_run_softirqs(0);
	for (i = 0; i < 6; i++)
		CHECK_EQ(wire_tag(fd), want[i]);
	CHECK_EQ(qdisc_qlen(q), 0);
	CHECK(q->ops->peek(q) == NULL);
	fake_dev_destroy(fd);
}

static void test_limit_and_quota(void)
{
	struct fake_dev *fd = fake_dev_create(3);
	struct Qdisc *q = fd->dev->qdisc;
	uint64_t tx_runs;
	unsigned int i, dropped = 0, sent = 0;

	netif_stop_queue(fd->dev);
	for (i = 0; i < 1005; i++)
		dropped += dev_queue_xmit(frame(fd->dev, (uint8_t)i, 0, 60)) == -ENOBUFS;
	CHECK_EQ(dropped, 5);
	CHECK_EQ(q->stats.drops, 5);
	CHECK_EQ(q->stats.overlimits, 5);
	CHECK_EQ(fd->dev->stats.tx_dropped, 5);
	CHECK_EQ(qdisc_qlen(q), 1000);

	tx_runs = host_softirq_runs(NET_SOFTIRQ_TX);
	fake_dev_tx_reclaim(fd, 0);
	host_run_softirqs(0);
	while (wire_tag(fd) >= 0)
		sent++;
	CHECK_EQ(sent, 1000);
	/* 64 per run: the softirq was re-raised until the queue was empty. */
	CHECK_EQ(host_softirq_runs(NET_SOFTIRQ_TX) - tx_runs, (1000 + 63) / 64);
	fake_dev_destroy(fd);
}

static void test_ring_full(void)
{
	struct fake_dev *fd = fake_dev_create(4);
	struct Qdisc *q = fd->dev->qdisc;

	/* The driver stops its queue when the last slot is used. */
	fd->tx_ring_space = 2;
	dev_queue_xmit(frame(fd->dev, 1, 0, 60));
	dev_queue_xmit(frame(fd->dev, 2, 0, 60));
	CHECK(netif_queue_stopped(fd->dev));
	dev_queue_xmit(frame(fd->dev, 3, 0, 60));
	CHECK_EQ(qdisc_qlen(q), 1);
	CHECK_EQ(wire_tag(fd), 1);
	CHECK_EQ(wire_tag(fd), 2);
	CHECK_EQ(wire_tag(fd), -1);
	host_run_softirqs(0);			/* nothing happens while stopped */
	CHECK_EQ(wire_tag(fd), -1);
	fake_dev_tx_reclaim(fd, 2);		/* TX completion: wake */
	host_run_softirqs(0);
	CHECK_EQ(wire_tag(fd), 3);
	CHECK(!netif_queue_stopped(fd->dev));

	/* A driver that finds its ring full answers BUSY: the packet is
	 * requeued, counted, and sent first after the wake. */
	fd->tx_ring_space = 0;
	fd->answer_busy = true;
	dev_queue_xmit(frame(fd->dev, 4, TC_PRIO_BULK, 60));
	dev_queue_xmit(frame(fd->dev, 5, TC_PRIO_CONTROL, 60));
	CHECK_EQ(q->stats.requeues, 1);
	CHECK(q->requeued != NULL);
	CHECK_EQ(qdisc_qlen(q), 2);
	fake_dev_tx_reclaim(fd, 8);
	host_run_softirqs(0);
	CHECK_EQ(wire_tag(fd), 4);		/* the requeued one goes first */
	CHECK_EQ(wire_tag(fd), 5);

	/* Closing drops what is queued, counted. */
	fd->tx_ring_space = 0;
	dev_queue_xmit(frame(fd->dev, 6, 0, 60));
	dev_queue_xmit(frame(fd->dev, 7, 0, 60));
	CHECK_EQ(qdisc_qlen(q), 2);
	dev_close(fd->dev);
	CHECK_EQ(qdisc_qlen(q), 0);
	CHECK_EQ(q->stats.drops, 2);
	CHECK_EQ(dev_queue_xmit(frame(fd->dev, 8, 0, 60)), -ENETDOWN);
	CHECK_EQ(fd->dev->stats.tx_dropped, 1);
	fake_dev_destroy(fd);
}

static unsigned int tap_count;
static uint8_t tap_pkt_type;

static int tap_rcv(struct sk_buff *skb, struct net_device *dev,
		   struct packet_type *pt, struct net_device *orig)
{
	(void)dev; (void)pt; (void)orig;
	tap_count++;
	tap_pkt_type = skb->pkt_type;
	CHECK(skb_mac_header(skb) == skb->data);
	kfree_skb(skb);
	return NET_RX_SUCCESS;
}

static void test_tx_tap(void)
{
	struct fake_dev *fd = fake_dev_create(5);
	struct packet_type tap = { .type = htons(ETH_P_ALL), .func = tap_rcv };
	struct sk_buff *skb;

	dev_add_pack(&tap);
	dev_queue_xmit(frame(fd->dev, 1, 0, 60));
	CHECK_EQ(tap_count, 1);
	CHECK_EQ(tap_pkt_type, PACKET_OUTGOING);
	skb = fake_dev_pop_tx(fd);
	CHECK_EQ(skb->pkt_type, PACKET_HOST);	/* the original is untouched */
	kfree_skb(skb);
	dev_remove_pack(&tap);
	fake_dev_destroy(fd);
}

static unsigned int lo_seen, lo_len;
static struct net_device *lo_dev;

static int lo_rcv(struct sk_buff *skb, struct net_device *dev,
		  struct packet_type *pt, struct net_device *orig)
{
	(void)pt; (void)orig;
	lo_seen++;
	lo_len = skb->len;
	lo_dev = dev;
	CHECK_EQ(skb->pkt_type, PACKET_HOST);
	kfree_skb(skb);
	return NET_RX_SUCCESS;
}

static void test_loopback(void)
{
	struct packet_type pt = { .type = htons(ETH_P_TEST), .func = lo_rcv };
	struct net_device *lo;
	uint64_t rx_runs;

	CHECK_EQ(loopback_init(), 0);
	lo = loopback_dev;
	CHECK_STR(lo->name, "lo");
	CHECK((lo->flags & (IFF_UP | IFF_LOOPBACK | IFF_RUNNING)) ==
	      (IFF_UP | IFF_LOOPBACK | IFF_RUNNING));
	CHECK_EQ(lo->mtu, 65536);
	CHECK(lo->qdisc == NULL);
	dev_add_pack(&pt);

	/* Sent with bottom halves off; it comes back up through NET_RX when
	 * dev_queue_xmit enables them again. */
	rx_runs = host_softirq_runs(NET_SOFTIRQ_RX);
	CHECK_EQ(dev_queue_xmit(frame(lo, 1, 0, 100)), 0);
	CHECK_EQ(host_softirq_runs(NET_SOFTIRQ_RX), rx_runs + 1);
	CHECK_EQ(lo_seen, 1);
	CHECK(lo_dev == lo);
	CHECK_EQ(lo_len, 100);

	CHECK_EQ(dev_queue_xmit(frame(lo, 2, 0, 65536)), 0);	/* full MTU */
	host_run_softirqs(0);
	CHECK_EQ(lo_seen, 2);
	CHECK_EQ(lo_len, 65536);
	CHECK_EQ(lo->stats.tx_packets, 2);
	CHECK_EQ(lo->stats.rx_packets, 2);
	CHECK_EQ(lo->stats.tx_bytes, 2 * ETH_HLEN + 100 + 65536);

	/* noqueue: a stopped device drops instead of queueing. */
	netif_stop_queue(lo);
	CHECK_EQ(dev_queue_xmit(frame(lo, 3, 0, 10)), -ENOBUFS);
	CHECK_EQ(lo->stats.tx_dropped, 1);
	netif_start_queue(lo);
	dev_remove_pack(&pt);
	loopback_exit();
	CHECK(loopback_dev == NULL);
}

static void test_tos2priority(void)
{
	CHECK_EQ(rt_tos2priority(0x00), TC_PRIO_BESTEFFORT);
	CHECK_EQ(rt_tos2priority(0x10), TC_PRIO_INTERACTIVE);
	CHECK_EQ(rt_tos2priority(0x08), TC_PRIO_BULK);
	CHECK_EQ(rt_tos2priority(0x18), TC_PRIO_INTERACTIVE_BULK);
	CHECK_EQ(rt_tos2priority(0x04), TC_PRIO_BESTEFFORT);
	CHECK_EQ(rt_tos2priority(0xb8), TC_PRIO_INTERACTIVE_BULK);	/* EF DSCP */
}

int main(void)
{
	struct host_alloc_stats st;
	struct skb_accounting base;

	net_dev_init();
	kfree_skb(alloc_skb(1));
	base = *skb_accounting();

	test_basic();
	test_bands();
	test_limit_and_quota();
	test_ring_full();
	test_tx_tap();
	test_loopback();
	test_tos2priority();

	CHECK_EQ(skb_accounting()->skbs_alive, base.skbs_alive);
	CHECK_EQ(skb_accounting()->data_bytes, base.data_bytes);
	host_alloc_stats(&st);
	CHECK_EQ(st.alloc_alive, 0);
	return check_report();
}
