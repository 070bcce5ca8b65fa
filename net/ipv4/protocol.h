/*
 * Transport protocols over IPv4, by IP protocol number: inet_protos[].
 * A transport registers a const net_protocol at init (ICMP, UDP, TCP);
 * ip_local_deliver hands it each datagram addressed to us, and icmp_rcv
 * hands it each ICMP error that quotes one of its datagrams.
 *
 * handler: skb->data at the transport header, network header and IPCB set,
 * skb->dst the input route.  Consumes skb; returns 0 or a negative errno.
 *
 * The raw tap (raw.c registers it, as Linux's ip_local_deliver calls
 * raw_local_deliver): for each datagram delivered locally, before its
 * handler, skb->data at the transport header and the network header set.
 * It clones what it keeps and does not consume skb; true if some raw
 * socket took a copy (then an unknown protocol is not answered with ICMP
 * protocol unreachable).
 *
 * err_handler: gets a decoded error (no skb, nothing to consume): the ICMP
 * type/code/info, the quoted IP header and the first bytes of the quoted
 * transport header (at least 8, RFC 792).  The pointers are valid only
 * during the call.
 *
 * Context: softirq.
 */
#ifndef SYNACK_NET_IPV4_PROTOCOL_H
#define SYNACK_NET_IPV4_PROTOCOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/ipv4/ip.h"

struct sk_buff;

struct icmp_err {
	uint8_t type;
	uint8_t code;
	uint32_t info;			/* next-hop MTU for frag needed, else 0 */
	struct ip4_hdr_info quoted;	/* the datagram we (supposedly) sent */
	const uint8_t *transport;	/* its transport header ... */
	size_t transport_len;		/* ... bytes available, >= 8 */
};

struct net_protocol {
	int (*handler)(struct sk_buff *skb);
	void (*err_handler)(const struct icmp_err *err);
};

/* 0, or -EBUSY if the number is taken. */
int inet_add_protocol(const struct net_protocol *prot, uint8_t protocol);
/* 0, or -ENOENT if prot is not registered for protocol. */
int inet_del_protocol(const struct net_protocol *prot, uint8_t protocol);
/* The handler table entry, or NULL. */
const struct net_protocol *inet_protocol(uint8_t protocol);

/* 0, or -EBUSY if a tap is set.  del: 0, or -ENOENT if fn is not it. */
int inet_add_raw_tap(bool (*fn)(struct sk_buff *skb, uint8_t protocol));
int inet_del_raw_tap(bool (*fn)(struct sk_buff *skb, uint8_t protocol));
/* Runs the tap; false without one. */
bool inet_raw_deliver(struct sk_buff *skb, uint8_t protocol);

#endif
