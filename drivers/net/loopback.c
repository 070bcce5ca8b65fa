/*
 * Loopback driver (interface: loopback.h).  Transmit turns the frame
 * around: the Ethernet header the stack built is parsed again by
 * eth_type_trans and the skb is queued to the backlog with netif_rx, so it
 * comes back up through NET_RX like any received frame.  No qdisc
 * (IFF_NO_QUEUE), no ARP (IFF_NOARP), all-zero MAC.
 *
 * Context: transmit in softirq or with bottom halves disabled.
 */
#include "drivers/net/loopback.h"

#include "kernel/errno.h"
#include "net/core/netdevice.h"
#include "net/ethernet/eth.h"

struct net_device *loopback_dev;

static enum netdev_tx loopback_xmit(struct sk_buff *skb, struct net_device *dev)
{
	unsigned int len = skb->len;

	/* The receiver must not see the sender's socket or route. */
	skb_orphan(skb);
	skb_dst_set(skb, NULL);
	skb->protocol = eth_type_trans(skb, dev);
	/* Whatever address the sender chose, a unicast frame on lo is ours. */
	if (skb->pkt_type == PACKET_OTHERHOST)
		skb->pkt_type = PACKET_HOST;
	/* The sender's partial checksum never crosses a wire. */
	if (skb->ip_summed == CHECKSUM_PARTIAL)
		skb->ip_summed = CHECKSUM_UNNECESSARY;
	dev->stats.tx_packets++;
	dev->stats.tx_bytes += len;
	if (netif_rx(skb) == NET_RX_SUCCESS) {
		dev->stats.rx_packets++;
		dev->stats.rx_bytes += len;
	}
	return NETDEV_TX_OK;
}

static const struct net_device_ops loopback_ops = {
	.ndo_start_xmit = loopback_xmit,
};

static void loopback_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->type = ARPHRD_LOOPBACK;
	dev->mtu = LOOPBACK_MTU;
	dev->max_mtu = LOOPBACK_MTU;
	dev->flags = IFF_LOOPBACK | IFF_NOARP;
	dev->priv_flags = IFF_NO_QUEUE;
	dev->tx_queue_len = 0;
	dev->driver = "loopback";
	dev->netdev_ops = &loopback_ops;
	memset(dev->broadcast, 0, sizeof(dev->broadcast));
}

int loopback_init(void)
{
	struct net_device *dev = alloc_netdev(0, "lo", loopback_setup);
	int err;

	if (!dev)
		return -ENOMEM;
	err = register_netdev(dev);
	if (err)
		goto err_free;
	err = dev_open(dev);
	if (err)
		goto err_unregister;
	loopback_dev = dev;
	return 0;

err_unregister:
	unregister_netdev(dev);
err_free:
	free_netdev(dev);
	return err;
}

void loopback_exit(void)
{
	if (!loopback_dev)
		return;
	unregister_netdev(loopback_dev);
	free_netdev(loopback_dev);
	loopback_dev = NULL;
}
