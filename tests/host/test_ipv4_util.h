/*
 * Shared helpers for the IPv4/ARP/ICMP host tests, packetdrill style: a
 * fresh stack per case (loopback + one fake Ethernet NIC "eth0" with MAC
 * 02:00:00:00:00:01 and an address), frames injected from a peer at MAC
 * 02:00:00:00:00:99, frames the stack sends popped off the fake NIC, and
 * a teardown that checks skbs, allocations and timers are back at their
 * baseline.
 */
#ifndef SYNACK_TESTS_HOST_TEST_IPV4_UTIL_H
#define SYNACK_TESTS_HOST_TEST_IPV4_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/core/skbuff.h"
#include "net/ipv4/arp_wire.h"
#include "net/ipv4/ip.h"
#include "tests/host/net_fake_dev.h"

#define IPT_ADDR(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))
#define SEC	1000000000ull
#define MSEC	1000000ull

extern const uint8_t ipt_our_mac[6];
extern const uint8_t ipt_peer_mac[6];
extern const uint8_t ipt_bcast_mac[6];

struct ipt_env {
	struct fake_dev *eth;
	uint32_t addr;			/* eth0's address */
};

/* Brings up lo + eth0 with addr/plen (gw: default route if non-zero). */
void ipt_setup(struct ipt_env *env, uint32_t addr, unsigned int plen, uint32_t gw);
/* Tears everything down and checks the baselines (CHECKs). */
void ipt_teardown(struct ipt_env *env);

/* Puts an Ethernet frame (dst MAC, peer source) on eth0's RX ring, raises
 * the interrupt and runs softirqs until idle. */
void ipt_inject(struct ipt_env *env, const uint8_t *dst_mac, uint16_t ethertype,
		const void *payload, size_t len);
/* An IPv4 datagram from the peer MAC to ours. */
void ipt_inject_ip(struct ipt_env *env, const void *pkt, size_t len);
void ipt_inject_arp(struct ipt_env *env, const struct arp_info *a, const uint8_t *dst_mac);

/* Writes header h (tot_len computed) plus payload into buf; returns the
 * datagram length.  Defaults: ttl 64 if zero. */
size_t ipt_build_ip(uint8_t *buf, struct ip4_hdr_info h, const void *payload, size_t plen);
/* An ICMP echo request of plen payload bytes (pattern i*7) into buf; returns
 * the ICMP message length. */
size_t ipt_build_echo(uint8_t *buf, uint16_t id, uint16_t seq, size_t plen);

/* Pops the oldest frame sent on eth0 (NULL if none); caller frees. */
struct sk_buff *ipt_pop(struct ipt_env *env);
/* Frames waiting on eth0's TX. */
unsigned int ipt_tx_count(struct ipt_env *env);
/* Pops and frees every sent frame; returns how many. */
unsigned int ipt_drain(struct ipt_env *env);

/* Decodes a sent frame: ARP (true if it is one) or IPv4 (true, info and
 * a pointer to the payload after the IP header). */
bool ipt_frame_arp(const struct sk_buff *skb, struct arp_info *a);
bool ipt_frame_ip(const struct sk_buff *skb, struct ip4_hdr_info *h, const uint8_t **payload);

/* Makes the peer known: an ARP request from peer_ip at the peer MAC for
 * our address, and our reply popped. */
void ipt_learn_peer(struct ipt_env *env, uint32_t peer_ip);

#endif
