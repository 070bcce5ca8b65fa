/*
 * Ethernet header build and parse, device setup, MAC address helpers
 * (interface: eth.h).
 *
 * Context: any (eth_type_trans in the driver's NAPI poll, eth_header on
 * the transmit path).
 */
#include "net/ethernet/eth.h"

#include "kernel/errno.h"
#include "kernel/lib/format.h"
#include "net/core/byteorder.h"
#include "net/core/netdevice.h"
#include "net/platform.h"

/* Pushes an Ethernet header; len (the payload length) is unused because
 * Ethernet II frames carry a type, not a length. */
int eth_header(struct sk_buff *skb, struct net_device *dev, uint16_t type,
	       const uint8_t *daddr, const uint8_t *saddr, unsigned int len)
{
	struct ethhdr *eth = skb_push(skb, ETH_HLEN);

	(void)len;
	if (!eth)
		return -ENOSPC;
	eth->h_proto = htons(type);
	memcpy(eth->h_source, saddr ? saddr : dev->dev_addr, ETH_ALEN);
	memcpy(eth->h_dest, daddr ? daddr : dev->broadcast, ETH_ALEN);
	skb_reset_mac_header(skb);
	return ETH_HLEN;
}

int eth_header_parse(const struct sk_buff *skb, uint8_t *haddr)
{
	const struct ethhdr *eth = (const void *)skb_mac_header(skb);

	memcpy(haddr, eth->h_source, ETH_ALEN);
	return ETH_ALEN;
}

const struct header_ops eth_header_ops = {
	.create = eth_header,
	.parse = eth_header_parse,
};

static uint8_t eth_pkt_type(const struct net_device *dev, const uint8_t *dest)
{
	if (is_broadcast_ether_addr(dest))
		return PACKET_BROADCAST;
	if (is_multicast_ether_addr(dest))
		return PACKET_MULTICAST;
	if (ether_addr_equal(dest, dev->dev_addr))
		return PACKET_HOST;
	return PACKET_OTHERHOST;
}

uint16_t eth_type_trans(struct sk_buff *skb, struct net_device *dev)
{
	const struct ethhdr *eth;

	skb->dev = dev;
	skb_reset_mac_header(skb);
	if (!skb_may_pull(skb, ETH_HLEN)) {
		skb->pkt_type = PACKET_OTHERHOST;
		return 0;
	}
	eth = (const void *)skb->data;
	skb_pull(skb, ETH_HLEN);
	skb->pkt_type = eth_pkt_type(dev, eth->h_dest);
	return eth->h_proto;
}

void ether_setup(struct net_device *dev)
{
	dev->type = ARPHRD_ETHER;
	dev->header_ops = &eth_header_ops;
	dev->hard_header_len = ETH_HLEN;
	dev->mtu = ETH_DATA_LEN;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = ETH_DATA_LEN;
	dev->addr_len = ETH_ALEN;
	dev->tx_queue_len = 1000;
	dev->flags = IFF_BROADCAST | IFF_MULTICAST;
	memset(dev->broadcast, 0xff, ETH_ALEN);
}

struct net_device *alloc_etherdev(size_t priv_size)
{
	return alloc_netdev(priv_size, "eth%d", ether_setup);
}

char *eth_addr_format(char *buf, const uint8_t *a)
{
	ksnprintf(buf, MAC_ADDR_STR_LEN, "%02x:%02x:%02x:%02x:%02x:%02x",
		  a[0], a[1], a[2], a[3], a[4], a[5]);
	return buf;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int eth_addr_parse(const char *s, uint8_t *a)
{
	uint8_t out[ETH_ALEN];
	int i, hi, lo;

	for (i = 0; i < ETH_ALEN; i++, s += 3) {
		hi = hex_digit(s[0]);
		lo = hi < 0 ? -1 : hex_digit(s[1]);
		if (lo < 0 || s[2] != (i == ETH_ALEN - 1 ? '\0' : ':'))
			return -EINVAL;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	memcpy(a, out, ETH_ALEN);
	return 0;
}

void eth_random_addr(uint8_t *a)
{
	net_random_bytes(a, ETH_ALEN);
	a[0] &= 0xfe;	/* unicast */
	a[0] |= 0x02;	/* locally administered */
}
