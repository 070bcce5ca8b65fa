/*
 * Network device lifecycle (interface: netdevice.h): allocation, the device
 * list, register/unregister, administrative up/down, MTU/address/rx-mode
 * changes, carrier, and the netdev notifier chain.
 *
 * Invariants: a registered device is on dev_base (registration order) with
 * a unique name and ifindex; IFF_RUNNING == IFF_UP && carrier; a device that
 * is down has an empty qdisc and is on no softnet list.
 *
 * Context: thread with bottom halves disabled, or softirq.
 */
#include "net/core/netdevice.h"

#include "kernel/errno.h"
#include "kernel/lib/format.h"
#include "kernel/lib/string.h"
#include "net/core/dev_priv.h"
#include "net/core/sch_generic.h"
#include "net/core/stats.h"
#include "net/platform.h"

static struct net_device *dev_base;
static int dev_last_ifindex;
static struct notifier_head netdev_chain;

static int call_netdevice_notifiers(enum netdev_event ev, struct net_device *dev)
{
	return notifier_call_chain(&netdev_chain, ev, dev);
}

struct net_device *alloc_netdev(size_t priv_size, const char *name,
				void (*setup)(struct net_device *dev))
{
	struct net_device *dev = net_alloc(sizeof(*dev) + priv_size);

	if (!dev)
		return NULL;
	strlcpy(dev->name, name, sizeof(dev->name));
	dev->carrier = true;	/* drivers call netif_carrier_off if the link is down */
	dev->tx_queue_len = 1000;
	if (setup)
		setup(dev);
	return dev;
}

void free_netdev(struct net_device *dev)
{
	if (dev && !dev->registered)
		net_free(dev);
}

struct net_device *dev_first(void)
{
	return dev_base;
}

struct net_device *dev_get_by_name(const char *name)
{
	struct net_device *dev;

	for (dev = dev_base; dev; dev = dev->next)
		if (!strncmp(dev->name, name, IFNAMSIZ))
			return dev;
	return NULL;
}

struct net_device *dev_get_by_index(int ifindex)
{
	struct net_device *dev;

	for (dev = dev_base; dev; dev = dev->next)
		if (dev->ifindex == ifindex)
			return dev;
	return NULL;
}

/* Expands a "%d" in the name to the lowest free number. */
static int dev_alloc_name(struct net_device *dev)
{
	const char *pct = strchr(dev->name, '%');
	char buf[IFNAMSIZ];
	int i;

	if (!pct)
		return dev_get_by_name(dev->name) ? -EEXIST : 0;
	if (pct[1] != 'd' || strchr(pct + 1, '%'))
		return -EINVAL;
	for (i = 0; i < 100; i++) {
		if (ksnprintf(buf, sizeof(buf), "%.*s%d%s", (int)(pct - dev->name),
			      dev->name, i, pct + 2) >= (int)sizeof(buf))
			return -EINVAL;
		if (!dev_get_by_name(buf)) {
			strlcpy(dev->name, buf, sizeof(dev->name));
			return 0;
		}
	}
	return -ENFILE;
}

int register_netdev(struct net_device *dev)
{
	struct net_device **pp;
	int err;

	if (dev->registered || !dev->name[0] || !dev->netdev_ops ||
	    !dev->netdev_ops->ndo_start_xmit)
		return -EINVAL;
	err = dev_alloc_name(dev);
	if (err)
		return err;
	if (!(dev->priv_flags & IFF_NO_QUEUE)) {
		dev->qdisc = qdisc_create(&pfifo_fast_ops, dev, dev->tx_queue_len);
		if (!dev->qdisc)
			return -ENOMEM;
	}
	dev->ifindex = ++dev_last_ifindex;
	dev->registered = true;
	dev->next = NULL;
	for (pp = &dev_base; *pp; pp = &(*pp)->next)
		;
	*pp = dev;
	call_netdevice_notifiers(NETDEV_REGISTER, dev);
	return 0;
}

void unregister_netdev(struct net_device *dev)
{
	struct net_device **pp;

	if (!dev->registered)
		return;
	dev_close(dev);
	call_netdevice_notifiers(NETDEV_UNREGISTER, dev);
	for (pp = &dev_base; *pp; pp = &(*pp)->next) {
		if (*pp == dev) {
			*pp = dev->next;
			break;
		}
	}
	while (dev->napi_list)
		netif_napi_del(dev->napi_list);
	dev_flush_backlog(dev);	/* no queued skb may outlive its device */
	if (dev->qdisc)
		qdisc_destroy(dev->qdisc);
	dev->qdisc = NULL;
	dev->next = NULL;
	dev->registered = false;
}

static void dev_update_running(struct net_device *dev)
{
	if ((dev->flags & IFF_UP) && dev->carrier)
		dev->flags |= IFF_RUNNING;
	else
		dev->flags &= ~IFF_RUNNING;
}

static void dev_set_rx_mode(struct net_device *dev)
{
	if ((dev->flags & IFF_UP) && dev->netdev_ops->ndo_set_rx_mode)
		dev->netdev_ops->ndo_set_rx_mode(dev);
}

int dev_open(struct net_device *dev)
{
	int err;

	if (!dev->registered)
		return -ENODEV;
	if (dev->flags & IFF_UP)
		return 0;
	if (dev->netdev_ops->ndo_open) {
		err = dev->netdev_ops->ndo_open(dev);
		if (err)
			return err;
	}
	dev->flags |= IFF_UP;
	dev_update_running(dev);
	dev_set_rx_mode(dev);
	call_netdevice_notifiers(NETDEV_UP, dev);
	return 0;
}

void dev_close(struct net_device *dev)
{
	if (!(dev->flags & IFF_UP))
		return;
	dev_deactivate(dev);
	if (dev->netdev_ops->ndo_stop)
		dev->netdev_ops->ndo_stop(dev);
	dev->flags &= ~IFF_UP;
	dev_update_running(dev);
	call_netdevice_notifiers(NETDEV_DOWN, dev);
}

int dev_set_mtu(struct net_device *dev, unsigned int mtu)
{
	int err;

	if (mtu == dev->mtu)
		return 0;
	if (mtu < dev->min_mtu || (dev->max_mtu && mtu > dev->max_mtu))
		return -EINVAL;
	if (dev->netdev_ops->ndo_change_mtu) {
		err = dev->netdev_ops->ndo_change_mtu(dev, mtu);
		if (err)
			return err;
	}
	dev->mtu = mtu;
	call_netdevice_notifiers(NETDEV_CHANGEMTU, dev);
	return 0;
}

int dev_set_mac_address(struct net_device *dev, const uint8_t *addr)
{
	int err;

	if (dev->netdev_ops->ndo_set_mac_address) {
		err = dev->netdev_ops->ndo_set_mac_address(dev, addr);
		if (err)
			return err;
	}
	memcpy(dev->dev_addr, addr, dev->addr_len);
	call_netdevice_notifiers(NETDEV_CHANGEADDR, dev);
	return 0;
}

void dev_set_promiscuity(struct net_device *dev, bool on)
{
	unsigned int old = dev->flags;

	if (on)
		dev->flags |= IFF_PROMISC;
	else
		dev->flags &= ~IFF_PROMISC;
	if (old != dev->flags) {
		dev_set_rx_mode(dev);
		call_netdevice_notifiers(NETDEV_CHANGE, dev);
	}
}

static int dev_mc_find(const struct net_device *dev, const uint8_t *addr)
{
	unsigned int i;

	for (i = 0; i < dev->mc_count; i++)
		if (!memcmp(dev->mc_list[i], addr, dev->addr_len))
			return (int)i;
	return -1;
}

int dev_mc_add(struct net_device *dev, const uint8_t *addr)
{
	if (dev_mc_find(dev, addr) >= 0)
		return -EEXIST;
	if (dev->mc_count >= NETDEV_MC_MAX)
		return -ENOSPC;
	memcpy(dev->mc_list[dev->mc_count++], addr, dev->addr_len);
	dev_set_rx_mode(dev);
	return 0;
}

int dev_mc_del(struct net_device *dev, const uint8_t *addr)
{
	int i = dev_mc_find(dev, addr);

	if (i < 0)
		return -ENOENT;
	dev->mc_count--;
	memmove(dev->mc_list[i], dev->mc_list[i + 1],
		(dev->mc_count - (unsigned int)i) * sizeof(dev->mc_list[0]));
	dev_set_rx_mode(dev);
	return 0;
}

const struct net_device_stats *dev_get_stats(struct net_device *dev)
{
	if (dev->netdev_ops->ndo_get_stats)
		dev->netdev_ops->ndo_get_stats(dev);
	return &dev->stats;
}

static void dev_set_carrier(struct net_device *dev, bool on)
{
	if (dev->carrier == on)
		return;
	dev->carrier = on;
	dev_update_running(dev);
	if (dev->registered)
		call_netdevice_notifiers(NETDEV_CHANGE, dev);
}

void netif_carrier_on(struct net_device *dev)
{
	dev_set_carrier(dev, true);
}

void netif_carrier_off(struct net_device *dev)
{
	dev_set_carrier(dev, false);
}

/* Replays REGISTER (and UP) for existing devices, as Linux does, so a
 * protocol that registers late sees the devices that came before it. */
int register_netdevice_notifier(struct notifier_block *nb)
{
	struct net_device *dev;
	int err = notifier_chain_register(&netdev_chain, nb);

	if (err)
		return err;
	for (dev = dev_base; dev; dev = dev->next) {
		nb->notifier_call(nb, NETDEV_REGISTER, dev);
		if (dev->flags & IFF_UP)
			nb->notifier_call(nb, NETDEV_UP, dev);
	}
	return 0;
}

int unregister_netdevice_notifier(struct notifier_block *nb)
{
	return notifier_chain_unregister(&netdev_chain, nb);
}

void net_dev_init(void)
{
	softnet_init();
	net_core_mibs_register();
	net_open_softirq(NET_SOFTIRQ_TX, net_tx_action);
	net_open_softirq(NET_SOFTIRQ_RX, net_rx_action);
}
