/*
 * IPv4 interface addresses: an in_device per net_device (dev->ip_ptr)
 * holding its addresses, and the inetaddr notifier chain that announces
 * an address coming up or going down (routing adds the connected route,
 * ARP sends a gratuitous request).
 *
 * Interface for the kernel: inet_addr_add(dev, addr, plen) once the device
 * is registered (before or after dev_open); inet_addr_del to remove.
 * For the stack: inet_select_addr (source address choice), inet_addr_local
 * (is this one of ours), inet_addr_bcast (a broadcast address of dev),
 * inet_loopback_dev.
 *
 * Invariants: an address is on at most one device; the first address of a
 * device is its primary (source of choice).  Addresses are host byte order.
 * The netdev notifier keeps routes in step with the device: DOWN marks its
 * routes dead, UP revives them, UNREGISTER deletes its addresses.
 *
 * Context: softirq, or a thread with bottom halves disabled.
 */
#ifndef SYNACK_NET_IPV4_DEVINET_H
#define SYNACK_NET_IPV4_DEVINET_H

#include <stdbool.h>
#include <stdint.h>

#include "net/core/netdevice.h"

struct in_ifaddr {
	struct in_ifaddr *next;
	struct in_device *idev;
	uint32_t local;			/* our address */
	uint32_t mask;
	uint32_t broadcast;		/* directed broadcast; 0 for /31 and /32 */
	uint8_t prefixlen;
};

struct in_device {
	struct net_device *dev;
	struct in_ifaddr *ifa_list;	/* primary first */
	struct in_device *next;		/* all in_devices */
};

/* inetaddr chain events; data is the struct in_ifaddr *. */
#define INETADDR_UP	1
#define INETADDR_DOWN	2

int register_inetaddr_notifier(struct notifier_block *nb);
int unregister_inetaddr_notifier(struct notifier_block *nb);

/* Adds addr/plen to dev and announces it.  0, -EINVAL (plen > 32, zero,
 * multicast or broadcast address), -EEXIST (already assigned) or -ENOMEM. */
int inet_addr_add(struct net_device *dev, uint32_t addr, unsigned int plen);
/* Announces the removal and deletes it.  0 or -ENOENT. */
int inet_addr_del(struct net_device *dev, uint32_t addr);

/* The device's primary address whose subnet holds dst, else its primary,
 * else any address of any device; 0 if there is none. */
uint32_t inet_select_addr(const struct net_device *dev, uint32_t dst);

/* The interface address equal to addr on any device, or NULL. */
struct in_ifaddr *inet_ifa_byaddr(uint32_t addr);

/* True if addr is ours: an address of any device, or in 127/8 while a
 * loopback device has an address. */
bool inet_addr_local(uint32_t addr);

/* True if addr is 255.255.255.255 or a directed broadcast of dev. */
bool inet_addr_bcast(const struct net_device *dev, uint32_t addr);

/* The loopback device, once it has an address; NULL before. */
struct net_device *inet_loopback_dev(void);

/* Calls fn for each address of each device (ip addr). */
int inet_ifa_for_each(int (*fn)(const struct in_ifaddr *ifa, void *arg), void *arg);

/* Registers the netdev notifier; returns 0 or -errno. */
int devinet_init(void);
/* Unregisters it and deletes every address (tests). */
void devinet_exit(void);

static inline struct in_device *in_dev_get(const struct net_device *dev)
{
	return dev->ip_ptr;
}

#endif
