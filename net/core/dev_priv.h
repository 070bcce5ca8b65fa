/*
 * Core-internal glue between dev.c (lifecycle), dev_rx.c (receive, NAPI)
 * and dev_tx.c (transmit).  Not for protocols or drivers.
 */
#ifndef SYNACK_NET_CORE_DEV_PRIV_H
#define SYNACK_NET_CORE_DEV_PRIV_H

struct net_device;
struct sk_buff;

/* dev_rx.c: sets up softnet_data and its backlog NAPI. */
void softnet_init(void);
/* dev_rx.c: hands a clone of an outgoing frame to every ptype_all tap. */
void dev_queue_xmit_nit(struct sk_buff *skb, struct net_device *dev);
/* dev_rx.c: on unregister, drops dev's frames still on the backlog. */
void dev_flush_backlog(struct net_device *dev);
/* dev_tx.c: on close, drops queued packets and leaves the NET_TX queue. */
void dev_deactivate(struct net_device *dev);

#endif
