/*
 * Ethernet II: the on-wire header, header build (eth_header_ops) and parse
 * (eth_type_trans), and MAC address helpers.
 *
 * Frames carry no FCS here (devices strip and append it).  Ethertypes are
 * kept in network byte order everywhere (skb->protocol, packet_type.type).
 *
 * Context: any.
 */
#ifndef SYNACK_NET_ETHERNET_ETH_H
#define SYNACK_NET_ETHERNET_ETH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/lib/string.h"

struct header_ops;
struct net_device;
struct sk_buff;

#define ETH_ALEN	6
#define ETH_HLEN	14
#define ETH_ZLEN	60	/* minimum frame without FCS */
#define ETH_DATA_LEN	1500
#define ETH_FRAME_LEN	1514
#define ETH_MIN_MTU	68
#define ETH_MAX_MTU	0xffffu

/* Ethertypes (host order; compare with htons()). */
#define ETH_P_IP	0x0800
#define ETH_P_ARP	0x0806
#define ETH_P_8021Q	0x8100
#define ETH_P_IPV6	0x86dd
#define ETH_P_802_3_MIN	0x0600	/* below this, the field is an 802.3 length */

struct ethhdr {
	uint8_t h_dest[ETH_ALEN];
	uint8_t h_source[ETH_ALEN];
	uint16_t h_proto;		/* network order */
} __attribute__((packed));
_Static_assert(sizeof(struct ethhdr) == ETH_HLEN, "ethhdr is 14 bytes on the wire");

/* The Ethernet header_ops: create pushes an ethhdr. */
extern const struct header_ops eth_header_ops;

int eth_header(struct sk_buff *skb, struct net_device *dev, uint16_t type,
	       const uint8_t *daddr, const uint8_t *saddr, unsigned int len);
int eth_header_parse(const struct sk_buff *skb, uint8_t *haddr);

/*
 * For a driver's receive path: sets skb->dev, the MAC header and pkt_type
 * (HOST, BROADCAST, MULTICAST, OTHERHOST), pulls the Ethernet header and
 * returns the ethertype (network order) for skb->protocol.  A frame shorter
 * than ETH_HLEN is left unpulled with protocol 0, which no handler takes, so
 * netif_receive_skb drops it as unknown (drivers should count runts first).
 */
uint16_t eth_type_trans(struct sk_buff *skb, struct net_device *dev);

/* Sets up an Ethernet device: type, header ops, MTU 1500, broadcast,
 * flags BROADCAST|MULTICAST, tx_queue_len 1000.  alloc_etherdev uses it. */
void ether_setup(struct net_device *dev);
struct net_device *alloc_etherdev(size_t priv_size);

static inline bool is_zero_ether_addr(const uint8_t *a)
{
	return !(a[0] | a[1] | a[2] | a[3] | a[4] | a[5]);
}

static inline bool is_multicast_ether_addr(const uint8_t *a)
{
	return a[0] & 0x01;
}

static inline bool is_broadcast_ether_addr(const uint8_t *a)
{
	return (a[0] & a[1] & a[2] & a[3] & a[4] & a[5]) == 0xff;
}

static inline bool is_unicast_ether_addr(const uint8_t *a)
{
	return !is_multicast_ether_addr(a);
}

/* Not multicast, not broadcast, not all zeros. */
static inline bool is_valid_ether_addr(const uint8_t *a)
{
	return !is_multicast_ether_addr(a) && !is_zero_ether_addr(a);
}

static inline bool ether_addr_equal(const uint8_t *a, const uint8_t *b)
{
	return memcmp(a, b, ETH_ALEN) == 0;
}

static inline void ether_addr_copy(uint8_t *dst, const uint8_t *src)
{
	memcpy(dst, src, ETH_ALEN);
}

/* "52:54:00:12:34:56" plus NUL. */
#define MAC_ADDR_STR_LEN 18
/* Formats a into buf (at least MAC_ADDR_STR_LEN bytes); returns buf. */
char *eth_addr_format(char *buf, const uint8_t *a);
/* Parses "aa:bb:cc:dd:ee:ff" (hex, either case); 0 or -EINVAL. */
int eth_addr_parse(const char *s, uint8_t *a);
/* A random locally administered unicast address (for devices without one). */
void eth_random_addr(uint8_t *a);

#endif
