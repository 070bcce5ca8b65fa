/*
 * net_device lifecycle: register/unregister, names and indexes, open and
 * close, carrier and IFF_RUNNING, MTU/address/promiscuous/multicast changes
 * and the netdev notifier events each one sends; notifier chain ordering;
 * Ethernet helpers.
 */
#include "net/core/netdevice.h"

#include "kernel/errno.h"
#include "net/core/byteorder.h"
#include "net/ethernet/eth.h"
#include "tests/host/check.h"
#include "tests/host/net_fake_dev.h"
#include "tests/host/net_platform_host.h"

static unsigned long events[32];
static int nevents;

static int record_event(struct notifier_block *nb, unsigned long ev, void *data)
{
	(void)nb;
	(void)data;
	if (nevents < 32)
		events[nevents++] = ev;
	return NOTIFY_DONE;
}

static struct notifier_block recorder = { .notifier_call = record_event };

static void expect_events(const unsigned long *want, int n)
{
	int i;

	CHECK_EQ(nevents, n);
	for (i = 0; i < n && i < nevents; i++)
		CHECK_EQ(events[i], want[i]);
	nevents = 0;
}

static void test_lifecycle(void)
{
	struct fake_dev *a, *b;

	CHECK_EQ(register_netdevice_notifier(&recorder), 0);
	a = fake_dev_create(1);
	b = fake_dev_create(2);
	CHECK_STR(a->dev->name, "eth0");
	CHECK_STR(b->dev->name, "eth1");
	CHECK(a->dev->ifindex > 0 && b->dev->ifindex > a->dev->ifindex);
	CHECK(dev_get_by_name("eth1") == b->dev);
	CHECK(dev_get_by_index(a->dev->ifindex) == a->dev);
	CHECK(dev_get_by_name("eth9") == NULL);
	CHECK(dev_first() == a->dev && a->dev->next == b->dev);
	expect_events((const unsigned long[]){ NETDEV_REGISTER, NETDEV_UP,
					       NETDEV_REGISTER, NETDEV_UP }, 4);
	CHECK(a->dev->flags & IFF_UP);
	CHECK(a->dev->flags & IFF_RUNNING);
	CHECK_EQ(a->rx_mode_calls, 1);

	netif_carrier_off(a->dev);
	CHECK(!(a->dev->flags & IFF_RUNNING));
	CHECK(a->dev->flags & IFF_UP);
	netif_carrier_off(a->dev);		/* no change, no event */
	netif_carrier_on(a->dev);
	CHECK(a->dev->flags & IFF_RUNNING);
	expect_events((const unsigned long[]){ NETDEV_CHANGE, NETDEV_CHANGE }, 2);

	dev_close(a->dev);
	dev_close(a->dev);
	CHECK(!(a->dev->flags & (IFF_UP | IFF_RUNNING)));
	CHECK_EQ(dev_open(a->dev), 0);
	CHECK_EQ(dev_open(a->dev), 0);
	expect_events((const unsigned long[]){ NETDEV_DOWN, NETDEV_UP }, 2);

	/* A late listener hears about the devices that exist. */
	CHECK_EQ(unregister_netdevice_notifier(&recorder), 0);
	CHECK_EQ(register_netdevice_notifier(&recorder), 0);
	CHECK_EQ(register_netdevice_notifier(&recorder), -EEXIST);
	expect_events((const unsigned long[]){ NETDEV_REGISTER, NETDEV_UP,
					       NETDEV_REGISTER, NETDEV_UP }, 4);

	fake_dev_destroy(a);
	expect_events((const unsigned long[]){ NETDEV_DOWN, NETDEV_UNREGISTER }, 2);
	CHECK(dev_first() == b->dev);
	fake_dev_destroy(b);
	nevents = 0;
	CHECK_EQ(unregister_netdevice_notifier(&recorder), 0);
	CHECK_EQ(unregister_netdevice_notifier(&recorder), -ENOENT);
}

static const struct net_device_ops bare_ops = { .ndo_start_xmit = NULL };

static void test_register_errors(void)
{
	struct net_device *dev = alloc_etherdev(0);
	struct net_device *dup;
	struct fake_dev *fd = fake_dev_create(3);

	dev->netdev_ops = &bare_ops;
	CHECK_EQ(register_netdev(dev), -EINVAL);	/* no start_xmit */
	CHECK_EQ(dev_open(dev), -ENODEV);
	dev->netdev_ops = fd->dev->netdev_ops;
	strlcpy(dev->name, fd->dev->name, IFNAMSIZ);
	CHECK_EQ(register_netdev(dev), -EEXIST);
	strlcpy(dev->name, "x%s", IFNAMSIZ);
	CHECK_EQ(register_netdev(dev), -EINVAL);
	free_netdev(dev);

	dup = alloc_netdev(0, "veth%d", ether_setup);
	dup->netdev_ops = fd->dev->netdev_ops;
	CHECK_EQ(register_netdev(dup), 0);
	CHECK_STR(dup->name, "veth0");
	CHECK_EQ(register_netdev(dup), -EINVAL);	/* twice */
	unregister_netdev(dup);
	free_netdev(dup);
	fake_dev_destroy(fd);
}

static void test_changes(void)
{
	struct fake_dev *fd = fake_dev_create(4);
	const uint8_t mac[ETH_ALEN] = { 0x02, 1, 2, 3, 4, 5 };
	const uint8_t mc[ETH_ALEN] = { 0x01, 0, 0x5e, 0, 0, 1 };
	unsigned int i;

	CHECK_EQ(register_netdevice_notifier(&recorder), 0);
	nevents = 0;
	CHECK_EQ(dev_set_mtu(fd->dev, 1500), 0);	/* unchanged: no event */
	CHECK_EQ(dev_set_mtu(fd->dev, 9000), -EINVAL);
	CHECK_EQ(dev_set_mtu(fd->dev, 20), -EINVAL);
	CHECK_EQ(dev_set_mtu(fd->dev, 1400), 0);
	CHECK_EQ(fd->dev->mtu, 1400);
	CHECK_EQ(dev_set_mac_address(fd->dev, mac), 0);
	CHECK(ether_addr_equal(fd->dev->dev_addr, mac));
	dev_set_promiscuity(fd->dev, true);
	dev_set_promiscuity(fd->dev, true);
	CHECK(fd->dev->flags & IFF_PROMISC);
	expect_events((const unsigned long[]){ NETDEV_CHANGEMTU, NETDEV_CHANGEADDR,
					       NETDEV_CHANGE }, 3);
	CHECK_EQ(fd->rx_mode_calls, 2);

	CHECK_EQ(dev_mc_add(fd->dev, mc), 0);
	CHECK_EQ(dev_mc_add(fd->dev, mc), -EEXIST);
	CHECK_EQ(fd->dev->mc_count, 1);
	CHECK_EQ(fd->rx_mode_calls, 3);
	CHECK_EQ(dev_mc_del(fd->dev, mc), 0);
	CHECK_EQ(dev_mc_del(fd->dev, mc), -ENOENT);
	for (i = 0; i < NETDEV_MC_MAX; i++) {
		uint8_t a[ETH_ALEN] = { 0x01, 0, 0x5e, 0, 1, (uint8_t)i };
		CHECK_EQ(dev_mc_add(fd->dev, a), 0);
	}
	CHECK_EQ(dev_mc_add(fd->dev, mc), -ENOSPC);
	CHECK(dev_get_stats(fd->dev) == &fd->dev->stats);
	CHECK_EQ(unregister_netdevice_notifier(&recorder), 0);
	fake_dev_destroy(fd);
}

static int order[8], norder;

static int nb_a(struct notifier_block *nb, unsigned long ev, void *d)
{
	(void)nb; (void)ev; (void)d;
	order[norder++] = 'a';
	return NOTIFY_OK;
}

static int nb_b(struct notifier_block *nb, unsigned long ev, void *d)
{
	(void)nb; (void)ev; (void)d;
	order[norder++] = 'b';
	return notifier_from_errno(-EBUSY);
}

static int nb_c(struct notifier_block *nb, unsigned long ev, void *d)
{
	(void)nb; (void)ev; (void)d;
	order[norder++] = 'c';
	return NOTIFY_OK;
}

static void test_notifier_chain(void)
{
	struct notifier_head head = { 0 };
	struct notifier_block a = { .notifier_call = nb_a, .priority = 0 };
	struct notifier_block b = { .notifier_call = nb_b, .priority = -1 };
	struct notifier_block c = { .notifier_call = nb_c, .priority = 10 };
	int ret;

	notifier_chain_register(&head, &a);
	notifier_chain_register(&head, &b);
	notifier_chain_register(&head, &c);
	ret = notifier_call_chain(&head, 1, NULL);
	CHECK_EQ(norder, 3);
	CHECK_EQ(order[0], 'c');
	CHECK_EQ(order[1], 'a');
	CHECK_EQ(order[2], 'b');
	CHECK_EQ(notifier_to_errno(ret), -EBUSY);
	CHECK_EQ(notifier_to_errno(NOTIFY_OK), 0);
	CHECK_EQ(notifier_to_errno(NOTIFY_DONE), 0);

	/* b stops the walk when it comes before a. */
	notifier_chain_unregister(&head, &b);
	b.priority = 5;
	notifier_chain_register(&head, &b);
	norder = 0;
	notifier_call_chain(&head, 1, NULL);
	CHECK_EQ(norder, 2);
	CHECK_EQ(order[1], 'b');
}

static void test_eth_helpers(void)
{
	const uint8_t bc[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	const uint8_t mc[ETH_ALEN] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb };
	const uint8_t uc[ETH_ALEN] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
	const uint8_t zero[ETH_ALEN] = { 0 };
	char buf[MAC_ADDR_STR_LEN];
	uint8_t a[ETH_ALEN];

	CHECK(is_broadcast_ether_addr(bc) && is_multicast_ether_addr(bc));
	CHECK(is_multicast_ether_addr(mc) && !is_broadcast_ether_addr(mc));
	CHECK(is_valid_ether_addr(uc) && is_unicast_ether_addr(uc));
	CHECK(!is_valid_ether_addr(zero) && is_zero_ether_addr(zero));
	CHECK(!is_valid_ether_addr(mc));
	CHECK_STR(eth_addr_format(buf, uc), "52:54:00:12:34:56");
	CHECK_EQ(eth_addr_parse("52:54:00:12:34:56", a), 0);
	CHECK(ether_addr_equal(a, uc));
	CHECK_EQ(eth_addr_parse("01:00:5E:00:00:FB", a), 0);
	CHECK(ether_addr_equal(a, mc));
	CHECK_EQ(eth_addr_parse("52:54:00:12:34", a), -EINVAL);
	CHECK_EQ(eth_addr_parse("52:54:00:12:34:56:", a), -EINVAL);
	CHECK_EQ(eth_addr_parse("52-54-00-12-34-56", a), -EINVAL);
	CHECK_EQ(eth_addr_parse("5g:54:00:12:34:56", a), -EINVAL);
	CHECK_EQ(eth_addr_parse("", a), -EINVAL);
	eth_random_addr(a);
	CHECK(is_valid_ether_addr(a));
	CHECK(a[0] & 0x02);
	CHECK_EQ(htons(0x1234), 0x3412);
	CHECK_EQ(ntohl(htonl(0xdeadbeef)), 0xdeadbeef);
	CHECK_EQ(get_be16("\x12\x34"), 0x1234);
	CHECK_EQ(get_be32("\x12\x34\x56\x78"), 0x12345678);
}

int main(void)
{
	struct host_alloc_stats st;

	net_dev_init();
	test_lifecycle();
	test_register_errors();
	test_changes();
	test_notifier_chain();
	test_eth_helpers();
	host_alloc_stats(&st);
	CHECK_EQ(st.alloc_alive, 0);
	CHECK_EQ(skb_accounting()->skbs_alive, 0);
	return check_report();
}
