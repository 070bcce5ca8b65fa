/*
 * ARP (RFC 826) over the neighbour table: arp_tbl resolves IPv4 next hops
 * to Ethernet addresses for ip_finish_output; arp_rcv answers requests for
 * our addresses, learns the sender of a request addressed to us, and
 * confirms entries from replies; gratuitous requests announce an address
 * when it comes up, when its device comes up or regains carrier, and when
 * the device's MAC changes.
 *
 * Counters: struct arp_stats (every drop by reason) and arp_tbl.stats.
 *
 * Context: softirq (arp_rcv, timers), or a thread with bottom halves
 * disabled (output, address changes).
 */
#ifndef SYNACK_NET_IPV4_ARP_H
#define SYNACK_NET_IPV4_ARP_H

#include <stdint.h>

#include "net/core/neighbour.h"
#include "net/core/netdevice.h"

extern struct neigh_table arp_tbl;

/*
 * rx: frames handed to arp_rcv; rx_requests: valid requests for our
 * addresses; rx_other: valid requests for other hosts; tx_requests:
 * resolution probes; addr_conflicts: someone else claims our address.
 * Drops: drop_format (not Ethernet/IPv4 or bad lengths), drop_op (neither
 * request nor reply), drop_noarp (device does not do ARP), drop_otherhost
 * (frame not for us), drop_martian (multicast/broadcast/loopback
 * addresses), tx_nomem (could not build a packet).
 */
#define ARP_STATS_LIST(X) \
	X(rx) X(rx_requests) X(rx_replies) X(rx_other) X(tx_requests) \
	X(tx_replies) X(tx_gratuitous) X(addr_conflicts) X(drop_truncated) \
	X(drop_format) X(drop_op) X(drop_noarp) X(drop_otherhost) \
	X(drop_martian) X(tx_nomem)

#define ARP_STATS_FIELD(name) uint64_t name;

struct arp_stats {
	ARP_STATS_LIST(ARP_STATS_FIELD)
};

extern struct arp_stats arp_statistics;

/* Sends one ARP packet on dev.  dest_hw NULL: broadcast; target_hw NULL:
 * zeros.  0 or a negative errno. */
int arp_send(uint16_t op, uint32_t dest_ip, struct net_device *dev, uint32_t src_ip,
	     const uint8_t *dest_hw, const uint8_t *target_hw);

/* The ETH_P_ARP packet_type handler.  Consumes skb. */
int arp_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
	    struct net_device *orig_dev);

/* The next-hop entry for (nexthop, dev), created if absent; NULL if the
 * table is full (counted). */
struct neighbour *arp_neigh_lookup(uint32_t nexthop, struct net_device *dev);

/* Sets up arp_tbl, registers ETH_P_ARP and the address and device
 * listeners.  0 or -errno. */
int arp_init(void);
void arp_exit(void);

#endif
