/*
 * Fake Ethernet NIC for host tests (interface: net_fake_dev.h).
 */
#include "tests/host/net_fake_dev.h"

#include <stdlib.h>
#include <string.h>

#include "net/core/byteorder.h"
#include "net/ethernet/eth.h"
#include "tests/host/net_platform_host.h"

static struct fake_dev *fake_of(struct net_device *dev)
{
	return *(struct fake_dev **)netdev_priv(dev);
}

static int fake_open(struct net_device *dev)
{
	struct fake_dev *fd = fake_of(dev);

	napi_enable(&fd->napi);
	fd->irq_enabled = true;
	netif_start_queue(dev);
	return 0;
}

static int fake_stop(struct net_device *dev)
{
	struct fake_dev *fd = fake_of(dev);

	napi_disable(&fd->napi);
	fd->irq_enabled = false;
	return 0;
}

static enum netdev_tx fake_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct fake_dev *fd = fake_of(dev);

	if (fd->tx_ring_space == 0) {
		netif_stop_queue(dev);
		if (fd->answer_busy)
			return NETDEV_TX_BUSY;
		dev->stats.tx_dropped++;
		kfree_skb(skb);
		return NETDEV_TX_OK;
	}
	if (fd->tx_ring_space > 0 && --fd->tx_ring_space == 0)
		netif_stop_queue(dev);
	dev->stats.tx_packets++;
	dev->stats.tx_bytes += skb->len;
	skb_queue_tail(&fd->tx, skb);
	return NETDEV_TX_OK;
}

static void fake_set_rx_mode(struct net_device *dev)
{
	fake_of(dev)->rx_mode_calls++;
}

static const struct net_device_ops fake_ops = {
	.ndo_open = fake_open,
	.ndo_stop = fake_stop,
	.ndo_start_xmit = fake_xmit,
	.ndo_set_rx_mode = fake_set_rx_mode,
};

static int fake_poll(struct napi_struct *napi, int budget)
{
	struct fake_dev *fd = fake_of(napi->dev);
	struct sk_buff *skb;
	int work = 0;

	fd->polls++;
	while (work < budget && (skb = skb_dequeue(&fd->rx_ring)) != NULL) {
		host_clock_tick(fd->poll_cost_ns);
		fd->dev->stats.rx_packets++;
		fd->dev->stats.rx_bytes += skb->len;
		skb->protocol = eth_type_trans(skb, fd->dev);
		netif_receive_skb(skb);
		work++;
	}
	if (work < budget && napi_complete_done(napi, work)) {
		fd->irq_enabled = true;
		fd->rearms++;
	}
	return work;
}

struct fake_dev *fake_dev_create(uint8_t last)
{
	struct fake_dev *fd = calloc(1, sizeof(*fd));
	struct net_device *dev = alloc_etherdev(sizeof(fd));
	const uint8_t mac[ETH_ALEN] = { 0x02, 0, 0, 0, 0, last };

	if (!fd || !dev)
		goto err;
	*(struct fake_dev **)netdev_priv(dev) = fd;
	fd->dev = dev;
	fd->tx_ring_space = -1;
	skb_queue_head_init(&fd->tx);
	skb_queue_head_init(&fd->rx_ring);
	dev->netdev_ops = &fake_ops;
	memcpy(dev->dev_addr, mac, ETH_ALEN);
	netif_napi_add(dev, &fd->napi, fake_poll, NAPI_POLL_WEIGHT);
	if (register_netdev(dev))
		goto err;
	if (dev_open(dev)) {
		unregister_netdev(dev);
		goto err;
	}
	return fd;
err:
	free_netdev(dev);
	free(fd);
	return NULL;
}

void fake_dev_destroy(struct fake_dev *fd)
{
	unregister_netdev(fd->dev);
	skb_queue_purge(&fd->tx);
	skb_queue_purge(&fd->rx_ring);
	free_netdev(fd->dev);
	free(fd);
}

void fake_dev_inject(struct fake_dev *fd, const void *frame, size_t len)
{
	struct sk_buff *skb = netdev_alloc_skb(fd->dev, (unsigned int)len);

	if (!skb)
		return;
	skb_put_data(skb, frame, (unsigned int)len);
	skb_queue_tail(&fd->rx_ring, skb);
}

void fake_dev_irq(struct fake_dev *fd)
{
	if (!fd->irq_enabled)
		return;
	fd->irq_enabled = false;
	napi_schedule(&fd->napi);
}

void fake_dev_tx_reclaim(struct fake_dev *fd, int n)
{
	if (fd->tx_ring_space >= 0)
		fd->tx_ring_space += n;
	netif_wake_queue(fd->dev);
}

struct sk_buff *fake_dev_pop_tx(struct fake_dev *fd)
{
	return skb_dequeue(&fd->tx);
}

size_t fake_frame(uint8_t *buf, const uint8_t *dst, const uint8_t *src,
		  uint16_t ethertype, const void *payload, size_t plen)
{
	memcpy(buf, dst, ETH_ALEN);
	memcpy(buf + ETH_ALEN, src, ETH_ALEN);
	put_be16(buf + 2 * ETH_ALEN, ethertype);
	memcpy(buf + ETH_HLEN, payload, plen);
	return ETH_HLEN + plen;
}
