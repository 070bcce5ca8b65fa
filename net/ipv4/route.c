/*
 * Input and output route decisions (see route.h), and the listeners that
 * keep the FIB in step with addresses and devices: a connected route per
 * address, routes marked dead while their device is down.
 *
 * Context: softirq, or a thread with bottom halves disabled.
 */
#include "net/ipv4/route.h"

#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "net/ipv4/devinet.h"
#include "net/ipv4/fib.h"
#include "net/ipv4/ip.h"
#include "net/ipv4/snmp.h"
#include "net/platform.h"

static struct net_cache *rt_cache;

/* Input routes carry no per-packet state, so they are static entries
 * (destroy NULL: the reference count only balances). */
static struct rtable rt_in_local = {
	.dst = { .input = ip_local_deliver, .refcnt = 1 },
	.rt_type = RTN_LOCAL,
};
static struct rtable rt_in_bcast = {
	.dst = { .input = ip_local_deliver, .refcnt = 1 },
	.rt_type = RTN_BROADCAST,
};

static void rt_destroy(struct dst_entry *dst)
{
	net_cache_free(rt_cache, dst);
}

static struct rtable *rt_alloc(struct net_device *dev, uint8_t type)
{
	struct rtable *rt = net_cache_alloc(rt_cache);

	if (!rt)
		return NULL;
	memset(rt, 0, sizeof(*rt));
	rt->dst.dev = dev;
	rt->dst.output = ip_output;
	rt->dst.destroy = rt_destroy;
	rt->dst.refcnt = 1;
	rt->dst.mtu = dev->mtu;
	rt->rt_type = type;
	return rt;
}

/* The device for a limited broadcast: oif, else the first device that is
 * up and has an address. */
static struct net_device *rt_bcast_dev(const struct flowi4 *fl)
{
	if (fl->oif)
		return fl->oif;
	for (struct net_device *dev = dev_first(); dev; dev = dev->next)
		if (netif_running(dev) && !(dev->flags & IFF_LOOPBACK) && in_dev_get(dev) &&
		    in_dev_get(dev)->ifa_list)
			return dev;
	return NULL;
}

/* Fills dev, next hop, type and preferred source for fl->daddr. */
static int rt_resolve(const struct flowi4 *fl, struct fib_result *res, uint8_t *type)
{
	uint32_t daddr = fl->daddr;

	*type = RTN_UNICAST;
	memset(res, 0, sizeof(*res));
	if (ipv4_is_loopback(daddr) || inet_addr_local(daddr)) {
		res->dev = inet_loopback_dev();
		res->nexthop = daddr;
		res->prefsrc = ipv4_is_loopback(daddr) ? INADDR_LOOPBACK : daddr;
		*type = RTN_LOCAL;
		return res->dev ? 0 : -ENETUNREACH;
	}
	if (ipv4_is_lbcast(daddr)) {
		res->dev = rt_bcast_dev(fl);
		res->nexthop = daddr;
		*type = RTN_BROADCAST;
		return res->dev ? 0 : -ENETUNREACH;
	}
	if (ipv4_is_multicast(daddr) || ipv4_is_zeronet(daddr))
		return -ENETUNREACH;
	if (fib_lookup(daddr, res))
		return -ENETUNREACH;
	if (fl->oif && res->dev != fl->oif)
		return -ENETUNREACH;
	if (inet_addr_bcast(res->dev, daddr))
		*type = RTN_BROADCAST;
	return 0;
}

int ip_route_output(const struct flowi4 *fl, struct rtable **rtp)
{
	struct fib_result res;
	struct rtable *rt;
	uint8_t type;
	uint32_t saddr = fl->saddr;

	if (saddr && !inet_addr_local(saddr))
		return -EINVAL;
	if (rt_resolve(fl, &res, &type)) {
		IP_INC_STATS(OutNoRoutes);
		return -ENETUNREACH;
	}
	if (!saddr)
		saddr = res.prefsrc ? res.prefsrc : inet_select_addr(res.dev, res.nexthop);
	rt = rt_alloc(res.dev, type);
	if (!rt)
		return -ENOMEM;
	rt->rt_src = saddr;
	rt->rt_dst = fl->daddr;
	rt->rt_gateway = res.nexthop;
	*rtp = rt;
	return 0;
}

/* RFC 1122 3.2.1.3: a source that is multicast, broadcast or 127/8 (from
 * outside) "MUST NOT be used as a source address"; such datagrams are
 * discarded. */
static bool rt_martian_src(uint32_t saddr, const struct net_device *dev)
{
	if (ipv4_is_multicast(saddr) || ipv4_is_lbcast(saddr))
		return true;
	return ipv4_is_loopback(saddr) && !(dev->flags & IFF_LOOPBACK);
}

int ip_route_input(struct sk_buff *skb, uint32_t daddr, uint32_t saddr,
		   struct net_device *dev)
{
	struct rtable *rt;

	if (rt_martian_src(saddr, dev)) {
		IP_INC_STATS(InMartianSrc);
		goto addr_err;
	}
	if (inet_addr_bcast(dev, daddr)) {
		rt = &rt_in_bcast;
	} else if (ipv4_is_multicast(daddr)) {
		IP_INC_STATS(InMcastDrops);
		goto addr_err;
	} else if (ipv4_is_loopback(daddr) && !(dev->flags & IFF_LOOPBACK)) {
		IP_INC_STATS(InMartianDst);
		goto addr_err;
	} else if (inet_addr_local(daddr)) {
		rt = &rt_in_local;
	} else {
		/* Not ours and we do not forward (Linux counts InAddrErrors
		 * when forwarding is off). */
		IP_INC_STATS(InNotForUs);
		goto addr_err;
	}
	skb_dst_set(skb, dst_hold(&rt->dst));
	return 0;
addr_err:
	IP_INC_STATS(InAddrErrors);
	return -EHOSTUNREACH;
}

static void fib_connected_route(const struct in_ifaddr *ifa, bool add)
{
	struct net_device *dev = ifa->idev->dev;
	struct fib_config cfg = {
		.dst = ifa->local & ifa->mask,
		.plen = ifa->prefixlen,
		.proto = RTPROT_KERNEL,
		.prefsrc = ifa->local,
		.dev = dev,
	};

	if (!add) {
		fib_table_delete(&cfg);
		return;
	}
	if (fib_table_insert(&cfg) == 0 && !netif_running(dev))
		fib_sync_dev(dev, false);
}

static int fib_inetaddr_event(struct notifier_block *nb, unsigned long event, void *data)
{
	(void)nb;
	if (event == INETADDR_UP || event == INETADDR_DOWN)
		fib_connected_route(data, event == INETADDR_UP);
	return NOTIFY_DONE;
}

static int fib_netdev_event(struct notifier_block *nb, unsigned long event, void *data)
{
	struct net_device *dev = data;

	(void)nb;
	if (event == NETDEV_UP)
		fib_sync_dev(dev, true);
	else if (event == NETDEV_DOWN)
		fib_sync_dev(dev, false);
	else if (event == NETDEV_UNREGISTER)
		fib_flush_dev(dev);
	return NOTIFY_DONE;
}

static struct notifier_block fib_inetaddr_notifier = {
	.notifier_call = fib_inetaddr_event,
};

static struct notifier_block fib_netdev_notifier = {
	.notifier_call = fib_netdev_event,
};

int ip_rt_init(void)
{
	int err;

	if (!rt_cache && !(rt_cache = net_cache_create("ip_dst_cache", sizeof(struct rtable))))
		return -ENOMEM;
	err = register_inetaddr_notifier(&fib_inetaddr_notifier);
	if (err)
		return err;
	err = register_netdevice_notifier(&fib_netdev_notifier);
	if (err)
		unregister_inetaddr_notifier(&fib_inetaddr_notifier);
	return err;
}

void ip_rt_exit(void)
{
	unregister_netdevice_notifier(&fib_netdev_notifier);
	unregister_inetaddr_notifier(&fib_inetaddr_notifier);
	fib_flush();
}
