/*
 * IPv4 interface addresses and the inetaddr notifier chain (see devinet.h).
 * The netdev listener creates 127.0.0.1/8 on the loopback device when it
 * comes up and deletes a device's addresses when it unregisters.
 *
 * Context: softirq, or a thread with bottom halves disabled.
 */
#include "net/ipv4/devinet.h"

#include "kernel/errno.h"
#include "net/ipv4/fib.h"
#include "net/ipv4/ip.h"
#include "net/platform.h"

static struct notifier_head inetaddr_chain;
static struct in_device *in_dev_list;

int register_inetaddr_notifier(struct notifier_block *nb)
{
	return notifier_chain_register(&inetaddr_chain, nb);
}

int unregister_inetaddr_notifier(struct notifier_block *nb)
{
	return notifier_chain_unregister(&inetaddr_chain, nb);
}

static struct in_device *inetdev_init(struct net_device *dev)
{
	struct in_device *idev = net_alloc(sizeof(*idev));

	if (!idev)
		return NULL;
	idev->dev = dev;
	idev->next = in_dev_list;
	in_dev_list = idev;
	dev->ip_ptr = idev;
	return idev;
}

static void inetdev_destroy(struct in_device *idev)
{
	for (struct in_device **pp = &in_dev_list; *pp; pp = &(*pp)->next) {
		if (*pp == idev) {
			*pp = idev->next;
			break;
		}
	}
	idev->dev->ip_ptr = NULL;
	net_free(idev);
}

struct in_ifaddr *inet_ifa_byaddr(uint32_t addr)
{
	for (struct in_device *idev = in_dev_list; idev; idev = idev->next)
		for (struct in_ifaddr *ifa = idev->ifa_list; ifa; ifa = ifa->next)
			if (ifa->local == addr)
				return ifa;
	return NULL;
}

static bool inet_addr_valid(uint32_t addr, unsigned int plen)
{
	return plen <= 32 && addr != INADDR_ANY && !ipv4_is_multicast(addr) &&
	       !ipv4_is_lbcast(addr);
}

int inet_addr_add(struct net_device *dev, uint32_t addr, unsigned int plen)
{
	struct in_device *idev = in_dev_get(dev);
	struct in_ifaddr *ifa, **pp;

	if (!inet_addr_valid(addr, plen))
		return -EINVAL;
	if (inet_ifa_byaddr(addr))
		return -EEXIST;
	if (!idev && !(idev = inetdev_init(dev)))
		return -ENOMEM;
	ifa = net_alloc(sizeof(*ifa));
	if (!ifa)
		return -ENOMEM;
	ifa->idev = idev;
	ifa->local = addr;
	ifa->prefixlen = (uint8_t)plen;
	ifa->mask = inet_make_mask(plen);
	/* RFC 3021: a /31 has no broadcast address; nor has a /32. */
	ifa->broadcast = plen < 31 ? (addr | ~ifa->mask) : 0;
	for (pp = &idev->ifa_list; *pp; pp = &(*pp)->next)
		;
	*pp = ifa;
	notifier_call_chain(&inetaddr_chain, INETADDR_UP, ifa);
	return 0;
}

static void inet_ifa_unlink(struct in_device *idev, struct in_ifaddr *ifa)
{
	for (struct in_ifaddr **pp = &idev->ifa_list; *pp; pp = &(*pp)->next) {
		if (*pp == ifa) {
			*pp = ifa->next;
			break;
		}
	}
	notifier_call_chain(&inetaddr_chain, INETADDR_DOWN, ifa);
	net_free(ifa);
}

int inet_addr_del(struct net_device *dev, uint32_t addr)
{
	struct in_device *idev = in_dev_get(dev);

	if (!idev)
		return -ENOENT;
	for (struct in_ifaddr *ifa = idev->ifa_list; ifa; ifa = ifa->next) {
		if (ifa->local == addr) {
			inet_ifa_unlink(idev, ifa);
			return 0;
		}
	}
	return -ENOENT;
}

uint32_t inet_select_addr(const struct net_device *dev, uint32_t dst)
{
	const struct in_device *idev = dev ? in_dev_get(dev) : NULL;

	if (idev && idev->ifa_list) {
		for (const struct in_ifaddr *ifa = idev->ifa_list; ifa; ifa = ifa->next)
			if (inet_prefix_match(dst, ifa->local, ifa->prefixlen))
				return ifa->local;
		return idev->ifa_list->local;
	}
	for (idev = in_dev_list; idev; idev = idev->next)
		if (idev->ifa_list && !(idev->dev->flags & IFF_LOOPBACK))
			return idev->ifa_list->local;
	return INADDR_ANY;
}

struct net_device *inet_loopback_dev(void)
{
	for (struct in_device *idev = in_dev_list; idev; idev = idev->next)
		if ((idev->dev->flags & IFF_LOOPBACK) && idev->ifa_list)
			return idev->dev;
	return NULL;
}

bool inet_addr_local(uint32_t addr)
{
	if (ipv4_is_loopback(addr))
		return inet_loopback_dev() != NULL;
	return inet_ifa_byaddr(addr) != NULL;
}

bool inet_addr_bcast(const struct net_device *dev, uint32_t addr)
{
	const struct in_device *idev = in_dev_get(dev);

	if (ipv4_is_lbcast(addr))
		return true;
	if (!idev)
		return false;
	for (const struct in_ifaddr *ifa = idev->ifa_list; ifa; ifa = ifa->next)
		if (ifa->broadcast && ifa->broadcast == addr)
			return true;
	return false;
}

int inet_ifa_for_each(int (*fn)(const struct in_ifaddr *ifa, void *arg), void *arg)
{
	for (struct in_device *idev = in_dev_list; idev; idev = idev->next) {
		for (const struct in_ifaddr *ifa = idev->ifa_list; ifa; ifa = ifa->next) {
			int ret = fn(ifa, arg);

			if (ret)
				return ret;
		}
	}
	return 0;
}

static void inetdev_remove_all(struct in_device *idev)
{
	while (idev->ifa_list)
		inet_ifa_unlink(idev, idev->ifa_list);
	inetdev_destroy(idev);
}

static int inetdev_event(struct notifier_block *nb, unsigned long event, void *data)
{
	struct net_device *dev = data;
	struct in_device *idev = in_dev_get(dev);

	(void)nb;
	if (event == NETDEV_UNREGISTER && idev)
		inetdev_remove_all(idev);
	/* The loopback device gets 127.0.0.1/8 when it first comes up. */
	if (event == NETDEV_UP && (dev->flags & IFF_LOOPBACK) && !(idev && idev->ifa_list))
		inet_addr_add(dev, INADDR_LOOPBACK, 8);
	return NOTIFY_DONE;
}

static struct notifier_block inetdev_notifier = {
	.notifier_call = inetdev_event,
};

int devinet_init(void)
{
	return register_netdevice_notifier(&inetdev_notifier);
}

void devinet_exit(void)
{
	unregister_netdevice_notifier(&inetdev_notifier);
	while (in_dev_list)
		inetdev_remove_all(in_dev_list);
}
