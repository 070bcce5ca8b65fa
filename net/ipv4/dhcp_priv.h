/*
 * The DHCP client's per-device state, shared by the state machine
 * (dhcp.c) and its frame I/O (dhcp_io.c).  Private to those two files.
 *
 * Invariants: have_lease is true exactly while lease.addr (and the default
 * route via lease.router, if any) is configured on dev; the port-68 sock
 * (dhcp_io.c) exists exactly while the client list is not empty; while
 * link_up is false nothing is sent.
 *
 * Context: softirq, or a thread with bottom halves disabled.
 */
#ifndef SYNACK_NET_IPV4_DHCP_PRIV_H
#define SYNACK_NET_IPV4_DHCP_PRIV_H

#include "net/core/netdevice.h"
#include "net/ipv4/dhcp.h"
#include "net/platform.h"

struct dhcp_client {
	struct dhcp_client *next;
	struct net_device *dev;
	struct dhcp_params params;	/* defaults filled in */
	enum dhcp_state state;
	bool link_up;			/* running with carrier, as last seen */
	bool was_up;			/* the link has been up before */
	bool have_lease;
	uint32_t xid;			/* transaction of the current exchange */
	uint64_t start_ns;		/* exchange began: the 'secs' field */
	uint64_t sent_ns;		/* its first message: lease times count from it */
	uint64_t rto_ns;		/* retransmission interval before jitter */
	uint32_t offer_addr;		/* REQUESTING: the offer selected */
	uint32_t offer_server;
	struct dhcp_lease lease;	/* valid while have_lease */
	struct net_timer timer;
};

/* dhcp_io.c: sends a message of type for c's state (RFC 2131 Table 5):
 * broadcast from 0.0.0.0 or ciaddr, or in RENEWING unicast to the
 * server through ip_send_to.  Nothing while the link is down. */
void dhcp_send(struct dhcp_client *c, uint8_t type);
/* dhcp_io.c: binds the client sock to port 68 (0, -ENOMEM or
 * -EADDRINUSE) / closes it. */
int dhcp_sock_open(void);
void dhcp_sock_close(void);

/* dhcp.c: the client running on dev, or NULL. */
struct dhcp_client *dhcp_client_of(const struct net_device *dev);
/* dhcp.c: a parsed reply on c's device (UDP 67 -> 68). */
void dhcp_input(struct dhcp_client *c, const struct dhcp_msg *m);

#endif
