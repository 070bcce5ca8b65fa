/*
 * Queueing disciplines: the queue between dev_queue_xmit and the driver.
 *
 * A Qdisc is an instance of a Qdisc_ops (a const table); register_netdev
 * attaches pfifo_fast with limit dev->tx_queue_len unless the device sets
 * IFF_NO_QUEUE.  qdisc_run moves packets to the driver until the qdisc is
 * empty, the driver stops its queue, or a quota of QDISC_RUN_QUOTA packets
 * is spent (then NET_TX continues, so one busy device cannot hog a softirq).
 * A packet the driver refused (NETDEV_TX_BUSY) is held in q->requeued and
 * goes first next time.
 *
 * pfifo_fast: three FIFO bands, band 0 served first.  The band comes from
 * skb->priority & 15 through prio2band (Linux's default map: TC_PRIO_
 * INTERACTIVE -> 0, BESTEFFORT -> 1, BULK -> 2); protocols set priority
 * from the IP TOS with rt_tos2priority.  The limit applies to all bands
 * together; an arrival over the limit is dropped and counted.
 *
 * Context: softirq or bottom halves disabled.
 */
#ifndef SYNACK_NET_CORE_SCH_GENERIC_H
#define SYNACK_NET_CORE_SCH_GENERIC_H

#include <stddef.h>
#include <stdint.h>

struct net_device;
struct sk_buff;
struct Qdisc;

/* enqueue results. */
#define NET_XMIT_SUCCESS	0
#define NET_XMIT_DROP		1	/* skb dropped (and counted) */

#define QDISC_RUN_QUOTA		64

/* skb->priority values (Linux's TC_PRIO_*). */
#define TC_PRIO_BESTEFFORT	0
#define TC_PRIO_FILLER		1
#define TC_PRIO_BULK		2
#define TC_PRIO_INTERACTIVE_BULK 4
#define TC_PRIO_INTERACTIVE	6
#define TC_PRIO_CONTROL		7
#define TC_PRIO_MAX		15

struct qdisc_stats {
	uint64_t packets;	/* handed to the driver */
	uint64_t bytes;
	uint64_t drops;		/* over the limit, or purged by reset */
	uint64_t requeues;	/* driver answered NETDEV_TX_BUSY */
	uint64_t overlimits;	/* arrivals over the limit (a subset of drops) */
};

/* One class (band) of a classful qdisc, for generic printing. */
struct qdisc_class_stats {
	uint32_t qlen;
	uint64_t enqueued;
};

struct Qdisc_ops {
	const char *id;
	size_t priv_size;
	void (*init)(struct Qdisc *q);
	/* Consumes skb: NET_XMIT_SUCCESS, or NET_XMIT_DROP (freed, counted). */
	int (*enqueue)(struct sk_buff *skb, struct Qdisc *q);
	struct sk_buff *(*dequeue)(struct Qdisc *q);
	struct sk_buff *(*peek)(struct Qdisc *q);
	/* Frees every queued packet (counted as drops). */
	void (*reset)(struct Qdisc *q);
	/* Stats of class cl; 0, or -ENOENT past the last class. */
	int (*class_stats)(const struct Qdisc *q, unsigned int cl,
			   struct qdisc_class_stats *st);
};

struct Qdisc {
	const struct Qdisc_ops *ops;
	struct net_device *dev;
	unsigned int limit;		/* packets */
	unsigned int qlen;		/* packets held by ops, requeued excluded */
	struct sk_buff *requeued;	/* refused by the driver; sent first */
	struct qdisc_stats stats;
	unsigned char priv[] __attribute__((aligned(8)));
};

static inline void *qdisc_priv(struct Qdisc *q)
{
	return q->priv;
}

static inline unsigned int qdisc_qlen(const struct Qdisc *q)
{
	return q->qlen + (q->requeued ? 1 : 0);
}

extern const struct Qdisc_ops pfifo_fast_ops;

/* NULL on OOM. */
struct Qdisc *qdisc_create(const struct Qdisc_ops *ops, struct net_device *dev,
			   unsigned int limit);
void qdisc_reset(struct Qdisc *q);
void qdisc_destroy(struct Qdisc *q);
/* Sends queued packets to the driver (see above). */
void qdisc_run(struct Qdisc *q);

/* IP TOS byte -> skb->priority, as Linux's ip_tos2prio table. */
uint32_t rt_tos2priority(uint8_t tos);

#endif
