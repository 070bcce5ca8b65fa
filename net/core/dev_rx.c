/*
 * The receive half of the device layer (interface: netdevice.h), after
 * seeds 003/004: hard IRQ -> napi_schedule -> NET_RX -> net_rx_action ->
 * driver poll -> netif_receive_skb -> ptype_all taps (each a clone) ->
 * ptype_base[ethertype] handler.  netif_rx feeds the per-CPU backlog, a
 * NAPI instance of its own, for devices without NAPI (loopback).
 *
 * net_rx_action polls scheduled NAPI instances, weight packets at a time,
 * until none is left or the budget (NET_RX_BUDGET packets) or the time
 * (NET_RX_TIME_LIMIT_NS) runs out; then it counts a time_squeeze and raises
 * NET_RX again (the platform hands a busy softirq to ksoftirqd).  An
 * instance that used its whole weight goes to the back of the list (as in
 * the 3.10 kernel seed 004 reads); one that did less has completed.
 *
 * NAPI state: SCHED is set from schedule until complete; a schedule that
 * arrives while SCHED is set marks MISSED, and napi_complete_done then puts
 * the instance back on the list instead of completing (nothing is lost
 * between the driver's last look at its ring and re-arming).
 *
 * Context: napi_schedule from any context (hard IRQ included; it and the
 * poll-list splice run under net_irq_save); the rest in softirq or with
 * bottom halves disabled.
 */
#include "net/core/netdevice.h"

#include "net/core/byteorder.h"
#include "net/core/dev_priv.h"
#include "net/platform.h"

#define NAPI_STATE_MISSED	0x4
#define PTYPE_HASH_SIZE		16

struct softnet_data softnet_data;
static struct packet_type *ptype_all;
static struct packet_type *ptype_base[PTYPE_HASH_SIZE];

static struct packet_type **ptype_head(const struct packet_type *pt)
{
	if (pt->type == htons(ETH_P_ALL))
		return &ptype_all;
	return &ptype_base[ntohs(pt->type) % PTYPE_HASH_SIZE];
}

/* Appends, so handlers run in registration order. */
void dev_add_pack(struct packet_type *pt)
{
	struct packet_type **pp = ptype_head(pt);

	while (*pp)
		pp = &(*pp)->next;
	pt->next = NULL;
	*pp = pt;
}

void dev_remove_pack(struct packet_type *pt)
{
	struct packet_type **pp;

	for (pp = ptype_head(pt); *pp; pp = &(*pp)->next) {
		if (*pp == pt) {
			*pp = pt->next;
			pt->next = NULL;
			return;
		}
	}
}

static bool ptype_matches(const struct packet_type *pt, const struct net_device *dev)
{
	return !pt->dev || pt->dev == dev;
}

/* Each tap gets its own clone; the original stays with the caller. */
static void deliver_taps(struct sk_buff *skb, struct net_device *dev)
{
	struct packet_type *pt;
	struct sk_buff *clone;

	for (pt = ptype_all; pt; pt = pt->next) {
		if (!ptype_matches(pt, dev))
			continue;
		clone = skb_clone(skb);
		if (!clone) {
			softnet_data.stat.tap_clone_failures++;
			continue;
		}
		pt->func(clone, dev, pt, dev);
	}
}

void dev_queue_xmit_nit(struct sk_buff *skb, struct net_device *dev)
{
	uint8_t pkt_type = skb->pkt_type;

	if (!ptype_all)
		return;
	if (!skb_mac_header_was_set(skb))
		skb_reset_mac_header(skb);
	skb->pkt_type = PACKET_OUTGOING;
	deliver_taps(skb, dev);
	skb->pkt_type = pkt_type;
}

static void netif_receive_prepare(struct sk_buff *skb)
{
	if (!skb->tstamp_ns)
		skb->tstamp_ns = net_now_ns();
	if (!skb_mac_header_was_set(skb))
		skb_reset_mac_header(skb);
	skb_reset_network_header(skb);
	if (!skb_transport_header_was_set(skb))
		skb_reset_transport_header(skb);
}

/*
 * Delivers to every ptype_base handler for skb->protocol: clones for all
 * but the last match, which gets skb itself.
 */
int netif_receive_skb(struct sk_buff *skb)
{
	struct net_device *dev = skb->dev;
	struct packet_type *pt, *prev = NULL;
	struct sk_buff *clone;

	softnet_data.stat.processed++;
	if (!dev || !netif_running(dev)) {
		softnet_data.stat.rx_dev_down++;
		if (dev)
			dev->stats.rx_dropped++;
		kfree_skb(skb);
		return NET_RX_DROP;
	}
	netif_receive_prepare(skb);
	if (skb->pkt_type == PACKET_MULTICAST)
		dev->stats.multicast++;
	deliver_taps(skb, dev);
	for (pt = ptype_base[ntohs(skb->protocol) % PTYPE_HASH_SIZE]; pt; pt = pt->next) {
		if (pt->type != skb->protocol || !ptype_matches(pt, dev))
			continue;
		if (prev) {
			clone = skb_clone(skb);
			if (clone)
				prev->func(clone, dev, prev, dev);
			else
				dev->stats.rx_dropped++;
		}
		prev = pt;
	}
	if (prev)
		return prev->func(skb, dev, prev, dev);
	softnet_data.stat.unknown_ethertype++;
	dev->stats.rx_nohandler++;
	kfree_skb(skb);
	return NET_RX_DROP;
}

void netif_napi_add(struct net_device *dev, struct napi_struct *napi,
		    int (*poll)(struct napi_struct *, int), int weight)
{
	napi->poll = poll;
	napi->weight = weight;
	napi->dev = dev;
	napi->poll_next = NULL;
	napi->state = NAPI_STATE_DISABLE;	/* drivers napi_enable in ndo_open */
	napi->dev_next = dev ? dev->napi_list : NULL;
	if (dev)
		dev->napi_list = napi;
}

void netif_napi_del(struct napi_struct *napi)
{
	struct napi_struct **pp;

	napi_disable(napi);
	if (!napi->dev)
		return;
	for (pp = &napi->dev->napi_list; *pp; pp = &(*pp)->dev_next) {
		if (*pp == napi) {
			*pp = napi->dev_next;
			break;
		}
	}
	napi->dev_next = NULL;
}

void napi_enable(struct napi_struct *napi)
{
	napi->state = 0;
}

static void poll_list_remove(struct softnet_data *sd, struct napi_struct *napi)
{
	struct napi_struct **pp, *prev = NULL;

	for (pp = &sd->poll_head; *pp; prev = *pp, pp = &(*pp)->poll_next) {
		if (*pp == napi) {
			*pp = napi->poll_next;
			if (sd->poll_tail == napi)
				sd->poll_tail = prev;
			napi->poll_next = NULL;
			return;
		}
	}
}

void napi_disable(struct napi_struct *napi)
{
	unsigned long flags = net_irq_save();

	poll_list_remove(&softnet_data, napi);
	napi->state = NAPI_STATE_DISABLE;
	net_irq_restore(flags);
}

bool napi_schedule_prep(struct napi_struct *napi)
{
	unsigned long flags = net_irq_save();
	bool won = false;

	if (!(napi->state & NAPI_STATE_DISABLE)) {
		if (napi->state & NAPI_STATE_SCHED)
			napi->state |= NAPI_STATE_MISSED;
		else
			won = true;
		napi->state |= NAPI_STATE_SCHED;
	}
	net_irq_restore(flags);
	return won;
}

static void poll_list_add_tail(struct softnet_data *sd, struct napi_struct *napi)
{
	napi->poll_next = NULL;
	if (sd->poll_tail)
		sd->poll_tail->poll_next = napi;
	else
		sd->poll_head = napi;
	sd->poll_tail = napi;
}

void __napi_schedule(struct napi_struct *napi)
{
	unsigned long flags = net_irq_save();

	poll_list_add_tail(&softnet_data, napi);
	net_irq_restore(flags);
	net_raise_softirq(NET_SOFTIRQ_RX);
}

bool napi_complete_done(struct napi_struct *napi, int work_done)
{
	unsigned long flags = net_irq_save();
	bool missed = napi->state & NAPI_STATE_MISSED;

	(void)work_done;	/* no GRO or busy polling to flush */
	if (missed)
		napi->state &= ~NAPI_STATE_MISSED;
	else
		napi->state &= ~NAPI_STATE_SCHED;
	net_irq_restore(flags);
	if (missed)
		__napi_schedule(napi);
	return !missed;
}

static struct napi_struct *poll_list_pop(struct softnet_data *sd)
{
	unsigned long flags = net_irq_save();
	struct napi_struct *napi = sd->poll_head;

	if (napi) {
		sd->poll_head = napi->poll_next;
		if (!sd->poll_head)
			sd->poll_tail = NULL;
		napi->poll_next = NULL;
	}
	net_irq_restore(flags);
	return napi;
}

/* Polls one instance; one that used its whole weight is still scheduled
 * and goes to the back of the list (unless it was disabled meanwhile). */
static int napi_poll(struct softnet_data *sd, struct napi_struct *napi)
{
	int weight = napi->weight;
	int work = napi->poll(napi, weight);
	unsigned long flags;

	if (work < weight || (napi->state & NAPI_STATE_DISABLE))
		return work;
	flags = net_irq_save();
	poll_list_add_tail(sd, napi);
	net_irq_restore(flags);
	return work;
}

void net_rx_action(void)
{
	struct softnet_data *sd = &softnet_data;
	uint64_t time_limit = net_now_ns() + NET_RX_TIME_LIMIT_NS;
	struct napi_struct *napi;
	int budget = NET_RX_BUDGET;

	while (sd->poll_head) {
		if (budget <= 0 || net_now_ns() >= time_limit) {
			sd->stat.time_squeeze++;
			net_raise_softirq(NET_SOFTIRQ_RX);
			return;
		}
		napi = poll_list_pop(sd);
		if (napi)
			budget -= napi_poll(sd, napi);
	}
}

static int process_backlog(struct napi_struct *napi, int quota)
{
	struct sk_buff *skb;
	int work = 0;

	while (work < quota && (skb = skb_dequeue(&softnet_data.input_pkt_queue))) {
		netif_receive_skb(skb);
		work++;
	}
	if (work < quota)
		napi_complete_done(napi, work);
	return work;
}

int netif_rx(struct sk_buff *skb)
{
	struct softnet_data *sd = &softnet_data;

	if (skb_queue_len(&sd->input_pkt_queue) >= NETDEV_MAX_BACKLOG) {
		sd->stat.dropped++;
		if (skb->dev)
			skb->dev->stats.rx_dropped++;
		kfree_skb(skb);
		return NET_RX_DROP;
	}
	if (!skb->tstamp_ns)
		skb->tstamp_ns = net_now_ns();
	skb_queue_tail(&sd->input_pkt_queue, skb);
	napi_schedule(&sd->backlog);
	return NET_RX_SUCCESS;
}

void dev_flush_backlog(struct net_device *dev)
{
	struct sk_buff_head *q = &softnet_data.input_pkt_queue;
	struct sk_buff *skb = q->next, *next;

	for (; skb; skb = next) {
		next = skb->next;
		if (skb->dev != dev)
			continue;
		skb_unlink(skb, q);
		dev->stats.rx_dropped++;
		kfree_skb(skb);
	}
}

void softnet_init(void)
{
	struct softnet_data *sd = &softnet_data;

	sd->poll_head = sd->poll_tail = NULL;
	sd->output_head = sd->output_tail = NULL;
	skb_queue_purge(&sd->input_pkt_queue);
	skb_queue_head_init(&sd->input_pkt_queue);
	netif_napi_add(NULL, &sd->backlog, process_backlog, NAPI_POLL_WEIGHT);
	napi_enable(&sd->backlog);
}
