/*
 * IPv4 route decisions for input and output, over the FIB (fib.h) and the
 * interface addresses (devinet.h).  There is no route cache: every output
 * lookup allocates a struct rtable whose first member is the dst_entry an
 * skb carries (skbuff.h); the last dst_release frees it.
 *
 * Output (ip_route_output): loopback and our own addresses go through the
 * loopback device; 255.255.255.255 leaves through oif (or the first
 * non-loopback device with an address); everything else takes the longest
 * matching FIB route, whose gateway (or the destination, on-link) becomes
 * rt_gateway, the address neighbour resolution looks up.  The source is
 * the caller's (it must be one of ours), else the route's prefsrc, else
 * the device's address for that next hop.
 *
 * Input (ip_route_input): the appliance does not forward.  Local and
 * broadcast destinations get a static route whose input is
 * ip_local_deliver; everything else is counted and dropped.
 *
 * Context: softirq, or a thread with bottom halves disabled.
 */
#ifndef SYNACK_NET_IPV4_ROUTE_H
#define SYNACK_NET_IPV4_ROUTE_H

#include <stdint.h>

#include "net/core/skbuff.h"

struct net_device;

enum rtn_type {
	RTN_UNICAST = 1,
	RTN_LOCAL = 2,
	RTN_BROADCAST = 3,
};

struct rtable {
	struct dst_entry dst;		/* first: skb->dst points here */
	uint8_t rt_type;		/* enum rtn_type */
	uint32_t rt_src;		/* source address for output */
	uint32_t rt_dst;
	uint32_t rt_gateway;		/* next hop to resolve */
};
_Static_assert(offsetof(struct rtable, dst) == 0, "dst_entry first in rtable");

static inline struct rtable *skb_rtable(const struct sk_buff *skb)
{
	return (struct rtable *)skb_dst(skb);
}

/* What the caller knows about the flow. */
struct flowi4 {
	uint32_t daddr;
	uint32_t saddr;			/* 0: choose */
	struct net_device *oif;		/* NULL: any */
	uint8_t tos;
	uint8_t proto;
};

/*
 * Output route for fl.  Returns 0 with *rtp holding one reference (give it
 * to skb_dst_set or dst_release it), or -ENETUNREACH (no route; counted
 * as OutNoRoutes), -EINVAL (saddr not ours), -ENOMEM.
 */
int ip_route_output(const struct flowi4 *fl, struct rtable **rtp);

/*
 * Input route for a received packet from saddr to daddr on dev: attaches a
 * route to skb and returns 0, or returns a negative errno after counting
 * the reason (the caller drops the skb; it is not consumed).
 */
int ip_route_input(struct sk_buff *skb, uint32_t daddr, uint32_t saddr,
		   struct net_device *dev);

/* Registers the FIB's inetaddr and netdev listeners and the rtable cache.
 * 0 or -errno. */
int ip_rt_init(void);
void ip_rt_exit(void);

#endif
