/*
 * The forwarding information base: one table of IPv4 routes searched by
 * longest prefix match (Linux's fib_table / fib_lookup in miniature).
 *
 * Interface: fib_table_insert / fib_table_delete / fib_lookup /
 * fib_table_walk, and fib_sync_dev (mark a device's routes dead or alive)
 * and fib_flush_dev (forget a device's routes).  Connected routes are added
 * by devinet when an address comes up; the kernel adds the default route
 * (gw=) and static routes from its command line; `ip route` walks the table.
 *
 * Addresses are host byte order here, as everywhere above the wire parse
 * functions (net/ipv4/ip.h).
 *
 * Invariants: the table is a list kept sorted by prefix length, longest
 * first, then by metric, lowest first, so the first live entry that
 * matches is the answer.  dst has no bits set beyond plen.  An appliance
 * has a handful of routes; a linear scan is the right structure until it
 * has thousands (then a trie, with the same interface).
 *
 * Context: softirq, or a thread with bottom halves disabled.
 */
#ifndef SYNACK_NET_IPV4_FIB_H
#define SYNACK_NET_IPV4_FIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct net_device;

/* Who installed a route (rtm_protocol). */
enum fib_proto {
	RTPROT_KERNEL = 2,	/* connected route from an interface address */
	RTPROT_BOOT = 3,	/* kernel command line (gw=, route=) */
	RTPROT_STATIC = 4,	/* added at run time */
	RTPROT_DHCP = 16,	/* from a DHCP lease (router option) */
};

enum fib_route_flags {
	RTNH_F_DEAD = 1u << 0,	/* its device is down: lookups skip it */
};

struct fib_route {
	struct fib_route *next;
	uint32_t dst;			/* network, masked to plen */
	uint8_t plen;			/* 0..32 */
	uint8_t proto;			/* enum fib_proto */
	uint8_t flags;			/* enum fib_route_flags */
	uint32_t gw;			/* next hop; 0 means on-link */
	uint32_t prefsrc;		/* preferred source; 0: the device's */
	uint32_t metric;
	struct net_device *dev;
	uint64_t lookups;		/* times this route was chosen */
};

/* What to add or delete.  Delete matches dst/plen and, when non-zero or
 * non-NULL, gw, dev, metric and proto: an owner that names its proto
 * removes only its own route, never one the user added alike. */
struct fib_config {
	uint32_t dst;
	uint8_t plen;
	uint8_t proto;
	uint32_t gw;
	uint32_t prefsrc;
	uint32_t metric;
	struct net_device *dev;
};

/* The result of a lookup: the route and the next hop to resolve. */
struct fib_result {
	const struct fib_route *route;
	struct net_device *dev;
	uint32_t nexthop;		/* gw, or the destination itself */
	uint32_t prefsrc;
};

static inline uint32_t inet_make_mask(unsigned int plen)
{
	return plen == 0 ? 0 : ~(uint32_t)0 << (32 - plen);
}

static inline bool inet_prefix_match(uint32_t addr, uint32_t net, unsigned int plen)
{
	return ((addr ^ net) & inet_make_mask(plen)) == 0;
}

/*
 * Adds a route.  A gateway route without a device takes the device of the
 * on-link route that covers the gateway.  Returns 0, -EINVAL (plen > 32,
 * host bits set, no device found for an on-link route), -ENETUNREACH
 * (gateway not on any connected network), -EEXIST (same dst/plen/metric)
 * or -ENOMEM.
 */
int fib_table_insert(const struct fib_config *cfg);

/* Removes the first route matching cfg.  Returns 0 or -ENOENT. */
int fib_table_delete(const struct fib_config *cfg);

/* Longest prefix match for dst over live routes.  Returns 0 and fills res,
 * or -ENETUNREACH. */
int fib_lookup(uint32_t dst, struct fib_result *res);

/* Calls fn for each route in lookup order; stops early if fn returns
 * non-zero and returns that value. */
int fib_table_walk(int (*fn)(const struct fib_route *r, void *arg), void *arg);

/* Marks every route through dev dead (up == false) or alive. */
void fib_sync_dev(struct net_device *dev, bool up);

/* Deletes every route through dev (the device is going away). */
void fib_flush_dev(struct net_device *dev);

/* Deletes every route (tests and shutdown). */
void fib_flush(void);

/* Number of routes in the table. */
size_t fib_count(void);

#endif
