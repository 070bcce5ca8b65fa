/*
 * Transport protocols over IPv4, by IP protocol number: inet_protos[].
 * A transport registers a const net_protocol at init (ICMP, UDP, TCP);
 * ip_local_deliver hands it each datagram addressed to us, and icmp_rcv
 * hands it each ICMP error that quotes one of its datagrams.
 *
 * handler: skb->data at the transport header, network header and IPCB set,
 * skb->dst the input route.  Consumes skb; returns 0 or a negative errno.
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

#endif
