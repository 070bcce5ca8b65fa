/*
 * Routing: FIB longest prefix match with overlapping prefixes, default
 * route, gateway vs on-link next hops, insert/delete errors, dead routes;
 * connected routes following addresses and devices; output route choice
 * of device, source and next hop (loopback for our own addresses); input
 * route classification.
 */
#include "net/ipv4/fib.h"

#include "drivers/net/loopback.h"
#include "kernel/errno.h"
#include "net/ipv4/devinet.h"
#include "net/ipv4/route.h"
#include "net/ipv4/snmp.h"
#include "tests/host/check.h"
#include "tests/host/net_platform_host.h"
#include "tests/host/test_ipv4_util.h"

#define A IPT_ADDR

static struct net_device *const dev1 = (struct net_device *)0x1000;
static struct net_device *const dev2 = (struct net_device *)0x2000;

static int add(uint32_t dst, unsigned int plen, uint32_t gw, struct net_device *dev,
	       uint32_t metric)
{
	struct fib_config cfg = { .dst = dst, .plen = (uint8_t)plen, .gw = gw, .dev = dev,
				  .metric = metric, .proto = RTPROT_STATIC };

	return fib_table_insert(&cfg);
}

static uint32_t nexthop(uint32_t dst, struct net_device **dev)
{
	struct fib_result res;

	if (fib_lookup(dst, &res))
		return 0;
	*dev = res.dev;
	return res.nexthop;
}

static void test_fib_lpm(void)
{
	struct net_device *dev = NULL;

	CHECK_EQ(add(A(10, 0, 0, 0), 8, 0, dev1, 0), 0);
	CHECK_EQ(add(A(10, 1, 2, 0), 24, 0, dev2, 0), 0);
	CHECK_EQ(add(A(10, 1, 0, 0), 16, A(10, 0, 0, 1), NULL, 0), 0);
	CHECK_EQ(add(0, 0, A(10, 1, 2, 254), NULL, 0), 0);
	CHECK_EQ(fib_count(), 4);

	/* Longest prefix wins regardless of insertion order. */
	CHECK_EQ(nexthop(A(10, 1, 2, 3), &dev), A(10, 1, 2, 3));	/* /24 on-link */
	CHECK(dev == dev2);
	CHECK_EQ(nexthop(A(10, 1, 9, 9), &dev), A(10, 0, 0, 1));	/* /16 via gw */
	CHECK(dev == dev1);		/* the gateway's connected route's device */
	CHECK_EQ(nexthop(A(10, 200, 0, 1), &dev), A(10, 200, 0, 1));	/* /8 on-link */
	CHECK(dev == dev1);
	CHECK_EQ(nexthop(A(8, 8, 8, 8), &dev), A(10, 1, 2, 254));	/* default */
	CHECK(dev == dev2);

	/* Errors. */
	CHECK_EQ(add(A(10, 1, 2, 0), 24, 0, dev2, 0), -EEXIST);
	CHECK_EQ(add(A(10, 1, 2, 1), 24, 0, dev2, 0), -EINVAL);	/* host bits */
	CHECK_EQ(add(A(10, 0, 0, 0), 33, 0, dev2, 0), -EINVAL);
	CHECK_EQ(add(A(20, 0, 0, 0), 8, A(192, 168, 0, 1), NULL, 0), -ENETUNREACH);
	CHECK_EQ(add(A(20, 0, 0, 0), 8, 0, NULL, 0), -EINVAL);	/* no device */

	/* A second /24 with a higher metric is a fallback. */
	CHECK_EQ(add(A(10, 1, 2, 0), 24, 0, dev1, 10), 0);
	fib_sync_dev(dev2, false);
	CHECK_EQ(nexthop(A(10, 1, 2, 3), &dev), A(10, 1, 2, 3));
	CHECK(dev == dev1);
	/* The default via dev2 is dead too; nothing else matches 8.8.8.8. */
	CHECK_EQ(nexthop(A(8, 8, 8, 8), &dev), 0);
	fib_sync_dev(dev2, true);
	CHECK_EQ(nexthop(A(10, 1, 2, 3), &dev), A(10, 1, 2, 3));
	CHECK(dev == dev2);

	/* Delete by dst/plen (+ metric), then flush a device. */
	{
		struct fib_config del = { .dst = A(10, 1, 2, 0), .plen = 24, .dev = dev2 };

		CHECK_EQ(fib_table_delete(&del), 0);
		CHECK_EQ(fib_table_delete(&del), -ENOENT);
	}
	/* A delete that names its proto leaves a route someone else added. */
	{
		struct fib_config del = { .dst = A(10, 0, 0, 0), .plen = 8, .proto = RTPROT_DHCP };

		CHECK_EQ(fib_table_delete(&del), -ENOENT);
		del.proto = RTPROT_STATIC;
		CHECK_EQ(fib_table_delete(&del), 0);
		CHECK_EQ(add(A(10, 0, 0, 0), 8, 0, dev1, 0), 0);
	}
	CHECK_EQ(nexthop(A(10, 1, 2, 3), &dev), A(10, 1, 2, 3));
	CHECK(dev == dev1);
	fib_flush_dev(dev1);
	CHECK_EQ(fib_count(), 1);		/* the default via dev2 */
	fib_flush();
	CHECK_EQ(fib_count(), 0);
	CHECK_EQ(nexthop(A(10, 1, 2, 3), &dev), 0);
}

static int walk_collect(const struct fib_route *r, void *arg)
{
	uint8_t **p = arg;

	*(*p)++ = r->plen;
	return 0;
}

static void test_fib_walk_order(void)
{
	uint8_t plens[8], *p = plens;

	CHECK_EQ(add(0, 0, 0, dev1, 0), 0);
	CHECK_EQ(add(A(192, 168, 0, 0), 16, 0, dev1, 0), 0);
	CHECK_EQ(add(A(192, 168, 1, 1), 32, 0, dev1, 0), 0);
	CHECK_EQ(add(A(192, 168, 1, 0), 24, 0, dev1, 0), 0);
	CHECK_EQ(fib_table_walk(walk_collect, &p), 0);
	CHECK_EQ(p - plens, 4);
	CHECK_EQ(plens[0], 32);
	CHECK_EQ(plens[1], 24);
	CHECK_EQ(plens[2], 16);
	CHECK_EQ(plens[3], 0);
	fib_flush();
}

static void test_connected_and_output(void)
{
	struct ipt_env env;
	struct fib_result res;
	struct rtable *rt;
	struct flowi4 fl = { 0 };

	ipt_setup(&env, A(198, 18, 0, 2), 24, A(198, 18, 0, 1));
	/* Connected route from the address (+ 127/8 on lo) and the default. */
	CHECK_EQ(fib_lookup(A(198, 18, 0, 77), &res), 0);
	CHECK(res.dev == env.eth->dev);
	CHECK_EQ(res.route->proto, RTPROT_KERNEL);
	CHECK_EQ(res.prefsrc, A(198, 18, 0, 2));

	/* On-link: next hop is the destination. */
	fl.daddr = A(198, 18, 0, 77);
	CHECK_EQ(ip_route_output(&fl, &rt), 0);
	CHECK(rt->dst.dev == env.eth->dev);
	CHECK_EQ(rt->rt_gateway, A(198, 18, 0, 77));
	CHECK_EQ(rt->rt_src, A(198, 18, 0, 2));
	CHECK_EQ(rt->rt_type, RTN_UNICAST);
	CHECK_EQ(rt->dst.mtu, 1500);
	dst_release(&rt->dst);

	/* Off-link: next hop is the gateway. */
	fl.daddr = A(1, 1, 1, 1);
	CHECK_EQ(ip_route_output(&fl, &rt), 0);
	CHECK_EQ(rt->rt_gateway, A(198, 18, 0, 1));
	CHECK_EQ(rt->rt_src, A(198, 18, 0, 2));
	dst_release(&rt->dst);

	/* Our own address and 127/8 go through loopback. */
	fl.daddr = A(198, 18, 0, 2);
	CHECK_EQ(ip_route_output(&fl, &rt), 0);
	CHECK(rt->dst.dev == loopback_dev);
	CHECK_EQ(rt->rt_type, RTN_LOCAL);
	CHECK_EQ(rt->rt_src, A(198, 18, 0, 2));
	dst_release(&rt->dst);
	fl.daddr = A(127, 0, 0, 1);
	CHECK_EQ(ip_route_output(&fl, &rt), 0);
	CHECK(rt->dst.dev == loopback_dev);
	CHECK_EQ(rt->rt_src, A(127, 0, 0, 1));
	dst_release(&rt->dst);

	/* Broadcasts. */
	fl.daddr = A(198, 18, 0, 255);
	CHECK_EQ(ip_route_output(&fl, &rt), 0);
	CHECK_EQ(rt->rt_type, RTN_BROADCAST);
	dst_release(&rt->dst);
	fl.daddr = INADDR_BROADCAST;
	CHECK_EQ(ip_route_output(&fl, &rt), 0);
	CHECK_EQ(rt->rt_type, RTN_BROADCAST);
	CHECK(rt->dst.dev == env.eth->dev);
	dst_release(&rt->dst);

	/* A source that is not ours is refused. */
	fl.daddr = A(1, 1, 1, 1);
	fl.saddr = A(9, 9, 9, 9);
	CHECK_EQ(ip_route_output(&fl, &rt), -EINVAL);
	fl.saddr = 0;

	/* Device down: its routes are dead, the lookup fails and counts. */
	dev_close(env.eth->dev);
	CHECK_EQ(ip_route_output(&fl, &rt), -ENETUNREACH);
	CHECK_EQ(ip_statistics.OutNoRoutes, 1);
	CHECK_EQ(dev_open(env.eth->dev), 0);
	CHECK_EQ(ip_route_output(&fl, &rt), 0);
	dst_release(&rt->dst);

	/* Deleting the address removes its connected route; the default
	 * route's gateway is then unreachable but stays (as in Linux). */
	CHECK_EQ(inet_addr_del(env.eth->dev, A(198, 18, 0, 2)), 0);
	CHECK_EQ(inet_addr_del(env.eth->dev, A(198, 18, 0, 2)), -ENOENT);
	CHECK(fib_lookup(A(198, 18, 0, 77), &res) == 0 && res.route->plen == 0);
	ipt_teardown(&env);
}

static void test_input_route(void)
{
	struct ipt_env env;
	struct sk_buff *skb;

	ipt_setup(&env, A(198, 18, 0, 2), 24, 0);
	skb = alloc_skb(64);
	CHECK_EQ(ip_route_input(skb, A(198, 18, 0, 2), A(198, 18, 0, 1), env.eth->dev), 0);
	CHECK_EQ(skb_rtable(skb)->rt_type, RTN_LOCAL);
	CHECK_EQ(ip_route_input(skb, A(198, 18, 0, 255), A(198, 18, 0, 1), env.eth->dev), 0);
	CHECK_EQ(skb_rtable(skb)->rt_type, RTN_BROADCAST);
	CHECK_EQ(ip_route_input(skb, INADDR_BROADCAST, 0, env.eth->dev), 0);
	CHECK_EQ(skb_rtable(skb)->rt_type, RTN_BROADCAST);

	CHECK_EQ(ip_route_input(skb, A(198, 18, 0, 9), A(198, 18, 0, 1), env.eth->dev),
		 -EHOSTUNREACH);
	CHECK_EQ(ip_statistics.InNotForUs, 1);
	CHECK_EQ(ip_route_input(skb, A(198, 18, 0, 2), A(224, 0, 0, 1), env.eth->dev),
		 -EHOSTUNREACH);
	CHECK_EQ(ip_route_input(skb, A(198, 18, 0, 2), A(127, 0, 0, 1), env.eth->dev),
		 -EHOSTUNREACH);
	CHECK_EQ(ip_statistics.InMartianSrc, 2);
	CHECK_EQ(ip_route_input(skb, A(127, 0, 0, 1), A(198, 18, 0, 1), env.eth->dev),
		 -EHOSTUNREACH);
	CHECK_EQ(ip_statistics.InMartianDst, 1);
	CHECK_EQ(ip_route_input(skb, A(224, 0, 0, 5), A(198, 18, 0, 1), env.eth->dev),
		 -EHOSTUNREACH);
	CHECK_EQ(ip_statistics.InMcastDrops, 1);
	CHECK_EQ(ip_statistics.InAddrErrors, 5);
	kfree_skb(skb);
	ipt_teardown(&env);
}

int main(void)
{
	struct host_alloc_stats before, after;

	host_alloc_stats(&before);
	test_fib_lpm();
	test_fib_walk_order();
	host_alloc_stats(&after);
	CHECK_EQ(after.alloc_alive, before.alloc_alive);
	test_connected_and_output();
	test_input_route();
	return check_report();
}
