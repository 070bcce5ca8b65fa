/*
 * Generic qdisc machinery and the default pfifo_fast discipline
 * (interface and rules: sch_generic.h).
 *
 * Invariants: q->qlen counts the packets the ops hold (the requeued one is
 * apart); pfifo_fast's bands hold q->qlen packets in total, never more than
 * q->limit.
 */
#include "net/core/sch_generic.h"

#include "kernel/errno.h"
#include "net/core/dev_priv.h"
#include "net/core/netdevice.h"
#include "net/platform.h"

struct Qdisc *qdisc_create(const struct Qdisc_ops *ops, struct net_device *dev,
			   unsigned int limit)
{
	struct Qdisc *q = net_alloc(sizeof(*q) + ops->priv_size);

	if (!q)
		return NULL;
	q->ops = ops;
	q->dev = dev;
	q->limit = limit;
	if (ops->init)
		ops->init(q);
	return q;
}

void qdisc_reset(struct Qdisc *q)
{
	if (q->requeued) {
		kfree_skb(q->requeued);
		q->requeued = NULL;
		q->stats.drops++;
	}
	q->ops->reset(q);
}

void qdisc_destroy(struct Qdisc *q)
{
	qdisc_reset(q);
	net_free(q);
}

static struct sk_buff *qdisc_dequeue_skb(struct Qdisc *q)
{
	struct sk_buff *skb = q->requeued;

	if (skb) {
		q->requeued = NULL;
		return skb;
	}
	return q->ops->dequeue(q);
}

/* Driver refused skb: keep it first in line and retry from NET_TX (at once
 * if the driver did not stop its queue, else when it wakes it). */
static void qdisc_requeue(struct Qdisc *q, struct sk_buff *skb)
{
	q->requeued = skb;
	q->stats.requeues++;
	if (!netif_queue_stopped(q->dev))
		netif_schedule_queue(q->dev);
}

void qdisc_run(struct Qdisc *q)
{
	struct net_device *dev = q->dev;
	struct sk_buff *skb;
	unsigned int len, quota = QDISC_RUN_QUOTA;

	while (!netif_queue_stopped(dev)) {
		if (!quota--) {
			if (qdisc_qlen(q))
				netif_schedule_queue(dev);
			return;
		}
		skb = qdisc_dequeue_skb(q);
		if (!skb)
			return;
		len = skb->len;
		dev_queue_xmit_nit(skb, dev);
		if (dev->netdev_ops->ndo_start_xmit(skb, dev) == NETDEV_TX_BUSY) {
			qdisc_requeue(q, skb);
			return;
		}
		q->stats.packets++;
		q->stats.bytes += len;
	}
}

/* Band for each skb->priority & TC_PRIO_MAX (Linux's default priomap). */
static const uint8_t prio2band[TC_PRIO_MAX + 1] = {
	1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1,
};

#define PFIFO_FAST_BANDS 3

struct pfifo_fast_priv {
	struct sk_buff_head band[PFIFO_FAST_BANDS];
	uint64_t enqueued[PFIFO_FAST_BANDS];
};

static void pfifo_fast_init(struct Qdisc *q)
{
	struct pfifo_fast_priv *p = qdisc_priv(q);
	int i;

	for (i = 0; i < PFIFO_FAST_BANDS; i++)
		skb_queue_head_init(&p->band[i]);
}

static int pfifo_fast_enqueue(struct sk_buff *skb, struct Qdisc *q)
{
	struct pfifo_fast_priv *p = qdisc_priv(q);
	unsigned int band = prio2band[skb->priority & TC_PRIO_MAX];

	if (qdisc_qlen(q) >= q->limit) {
		q->stats.drops++;
		q->stats.overlimits++;
		kfree_skb(skb);
		return NET_XMIT_DROP;
	}
	skb_queue_tail(&p->band[band], skb);
	p->enqueued[band]++;
	q->qlen++;
	return NET_XMIT_SUCCESS;
}

static struct sk_buff *pfifo_fast_peek(struct Qdisc *q)
{
	struct pfifo_fast_priv *p = qdisc_priv(q);
	int i;

	for (i = 0; i < PFIFO_FAST_BANDS; i++)
		if (!skb_queue_empty(&p->band[i]))
			return skb_peek(&p->band[i]);
	return NULL;
}

static struct sk_buff *pfifo_fast_dequeue(struct Qdisc *q)
{
	struct pfifo_fast_priv *p = qdisc_priv(q);
	int i;

	for (i = 0; i < PFIFO_FAST_BANDS; i++) {
		if (!skb_queue_empty(&p->band[i])) {
			q->qlen--;
			return skb_dequeue(&p->band[i]);
		}
	}
	return NULL;
}

static void pfifo_fast_reset(struct Qdisc *q)
{
	struct pfifo_fast_priv *p = qdisc_priv(q);
	int i;

	for (i = 0; i < PFIFO_FAST_BANDS; i++) {
		q->stats.drops += skb_queue_len(&p->band[i]);
		skb_queue_purge(&p->band[i]);
	}
	q->qlen = 0;
}

static int pfifo_fast_class_stats(const struct Qdisc *q, unsigned int cl,
				  struct qdisc_class_stats *st)
{
	const struct pfifo_fast_priv *p = (const void *)q->priv;

	if (cl >= PFIFO_FAST_BANDS)
		return -ENOENT;
	st->qlen = skb_queue_len(&p->band[cl]);
	st->enqueued = p->enqueued[cl];
	return 0;
}

const struct Qdisc_ops pfifo_fast_ops = {
	.id = "pfifo_fast",
	.priv_size = sizeof(struct pfifo_fast_priv),
	.init = pfifo_fast_init,
	.enqueue = pfifo_fast_enqueue,
	.dequeue = pfifo_fast_dequeue,
	.peek = pfifo_fast_peek,
	.reset = pfifo_fast_reset,
	.class_stats = pfifo_fast_class_stats,
};

/* RFC 1349 TOS bits: low delay -> interactive, high throughput -> bulk,
 * both -> interactive bulk; reliability and cost stay best effort. */
uint32_t rt_tos2priority(uint8_t tos)
{
	bool lowdelay = tos & 0x10, throughput = tos & 0x08;

	if (lowdelay && throughput)
		return TC_PRIO_INTERACTIVE_BULK;
	if (lowdelay)
		return TC_PRIO_INTERACTIVE;
	if (throughput)
		return TC_PRIO_BULK;
	return TC_PRIO_BESTEFFORT;
}
