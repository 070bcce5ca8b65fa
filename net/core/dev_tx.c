/*
 * The transmit half of the device layer (interface: netdevice.h), after
 * seed 003: dev_queue_xmit -> qdisc enqueue -> qdisc_run -> taps (clones,
 * PACKET_OUTGOING) -> driver ndo_start_xmit.  A driver whose ring is full
 * stops the queue (and may answer NETDEV_TX_BUSY, which requeues the
 * packet); netif_wake_queue puts the device on softnet_data's output queue
 * and raises NET_TX, whose action runs the qdisc again.
 *
 * A device with IFF_NO_QUEUE (loopback) has no qdisc: the packet goes
 * straight to the driver, and a stopped or busy driver means a drop.
 *
 * Offloads (dev->features): before the qdisc, a CHECKSUM_PARTIAL skb for
 * a device without a checksum feature gets its checksum in software, and
 * a GSO skb for a device without TSO is dropped (TCP builds them only for
 * devices with TSO), a nonlinear skb for a device without SG is made
 * linear; what the device does is counted (tx_csum_offload,
 * tx_gso_packets).
 *
 * Context: softirq or bottom halves disabled; dev_queue_xmit disables them
 * itself so it may be called from a thread directly.
 */
#include "net/core/netdevice.h"

#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "net/core/checksum.h"
#include "net/core/dev_priv.h"
#include "net/core/sch_generic.h"
#include "net/platform.h"

int dev_hard_header(struct sk_buff *skb, struct net_device *dev, uint16_t type,
		    const uint8_t *daddr, const uint8_t *saddr, unsigned int len)
{
	if (!dev->header_ops || !dev->header_ops->create)
		return 0;
	return dev->header_ops->create(skb, dev, type, daddr, saddr, len);
}

static int dev_xmit_noqueue(struct sk_buff *skb, struct net_device *dev)
{
	if (netif_queue_stopped(dev))
		goto drop;
	dev_queue_xmit_nit(skb, dev);
	if (dev->netdev_ops->ndo_start_xmit(skb, dev) == NETDEV_TX_OK)
		return 0;
drop:
	dev->stats.tx_dropped++;
	kfree_skb(skb);
	return -ENOBUFS;
}

/* A linear copy of skb, which is consumed; NULL on OOM. */
static struct sk_buff *skb_linearize(struct sk_buff *skb)
{
	struct sk_buff *n = skb_copy(skb);

	kfree_skb(skb);
	return n;
}

/* Makes skb something dev can send (see the top); consumes skb, NULL if
 * it was dropped (counted in tx_dropped). */
static struct sk_buff *validate_xmit_skb(struct sk_buff *skb, struct net_device *dev)
{
	if (skb_is_nonlinear(skb) && !(dev->features & NETIF_F_SG)) {
		skb = skb_linearize(skb);
		if (!skb) {
			dev->stats.tx_dropped++;
			return NULL;
		}
	}
	if (skb_is_gso(skb)) {
		if (!(dev->features & NETIF_F_TSO) || skb->ip_summed != CHECKSUM_PARTIAL)
			goto drop;
		dev->stats.tx_gso_packets++;
		dev->stats.tx_csum_offload++;
		return skb;
	}
	if (skb->ip_summed != CHECKSUM_PARTIAL)
		return skb;
	if (dev->features & NETIF_F_CSUM_MASK) {
		dev->stats.tx_csum_offload++;
		return skb;
	}
	skb = skb_checksum_help(skb);
	if (skb)
		return skb;
	dev->stats.tx_dropped++;
	return NULL;
drop:
	dev->stats.tx_dropped++;
	kfree_skb(skb);
	return NULL;
}

int dev_queue_xmit(struct sk_buff *skb)
{
	struct net_device *dev = skb->dev;
	int rc;

	if (!dev || !netif_running(dev)) {
		if (dev)
			dev->stats.tx_dropped++;
		kfree_skb(skb);
		return -ENETDOWN;
	}
	skb = validate_xmit_skb(skb, dev);
	if (!skb)
		return -ENOBUFS;
	if (!skb_mac_header_was_set(skb))
		skb_reset_mac_header(skb);
	net_bh_disable();
	if (!dev->qdisc) {
		rc = dev_xmit_noqueue(skb, dev);
	} else {
		rc = dev->qdisc->ops->enqueue(skb, dev->qdisc) == NET_XMIT_SUCCESS ? 0 : -ENOBUFS;
		if (rc)
			dev->stats.tx_dropped++;
		qdisc_run(dev->qdisc);
	}
	net_bh_enable();
	return rc;
}

void netif_start_queue(struct net_device *dev)
{
	dev->tx_stopped = false;
}

void netif_schedule_queue(struct net_device *dev)
{
	struct softnet_data *sd = &softnet_data;

	if (dev->tx_scheduled || !dev->qdisc)
		return;
	dev->tx_scheduled = true;
	dev->tx_sched_next = NULL;
	if (sd->output_tail)
		sd->output_tail->tx_sched_next = dev;
	else
		sd->output_head = dev;
	sd->output_tail = dev;
	net_raise_softirq(NET_SOFTIRQ_TX);
}

void netif_wake_queue(struct net_device *dev)
{
	if (!dev->tx_stopped)
		return;
	dev->tx_stopped = false;
	if (dev->qdisc && qdisc_qlen(dev->qdisc))
		netif_schedule_queue(dev);
}

static void output_queue_remove(struct net_device *dev)
{
	struct softnet_data *sd = &softnet_data;
	struct net_device **pp, *prev = NULL;

	if (!dev->tx_scheduled)
		return;
	for (pp = &sd->output_head; *pp; prev = *pp, pp = &(*pp)->tx_sched_next) {
		if (*pp == dev) {
			*pp = dev->tx_sched_next;
			if (sd->output_tail == dev)
				sd->output_tail = prev;
			break;
		}
	}
	dev->tx_sched_next = NULL;
	dev->tx_scheduled = false;
}

void dev_deactivate(struct net_device *dev)
{
	output_queue_remove(dev);
	if (dev->qdisc)
		qdisc_reset(dev->qdisc);
}

/* Takes the whole output queue, then runs each device's qdisc; a device
 * that is rescheduled meanwhile lands on the fresh queue for next time. */
void net_tx_action(void)
{
	struct softnet_data *sd = &softnet_data;
	struct net_device *dev = sd->output_head;
	struct net_device *next;

	sd->output_head = sd->output_tail = NULL;
	for (; dev; dev = next) {
		next = dev->tx_sched_next;
		dev->tx_sched_next = NULL;
		dev->tx_scheduled = false;
		if (dev->qdisc && netif_running(dev))
			qdisc_run(dev->qdisc);
	}
}

/* Software checksum for CHECKSUM_PARTIAL when the device cannot do it:
 * sum from csum_start to the end, stored at csum_start + csum_offset
 * (skbuff.h).  Consumes skb; NULL if it had to be dropped. */
struct sk_buff *skb_checksum_help(struct sk_buff *skb)
{
	unsigned int start, off;
	uint16_t sum;

	skb = skb_is_nonlinear(skb) ? skb_linearize(skb) : skb_unshare(skb);
	if (!skb)
		return NULL;
	start = skb->csum_start - skb_headroom(skb);
	off = start + skb->csum_offset;
	if (start >= skb->len || off + 2 > skb->len) {
		kfree_skb(skb);
		return NULL;
	}
	sum = csum_fold(csum_partial(skb->data + start, skb->len - start, 0));
	memcpy(skb->data + off, &sum, sizeof(sum));
	skb->ip_summed = CHECKSUM_NONE;
	return skb;
}
