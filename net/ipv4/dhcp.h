/*
 * DHCP client (RFC 2131): takes an IPv4 address, prefix, default route and
 * DNS servers for one device from a DHCP server and keeps the lease alive.
 *
 * Interface for the kernel: dhcp_start(dev, params) once the device is
 * registered and open; the client follows the device from then on:
 * DISCOVER/OFFER/REQUEST/ACK, renewal at T1 (unicast to the server),
 * rebinding at T2 (broadcast), expiry and DHCPNAK (address and default
 * route dropped, back to INIT), and after a carrier loss (NETDEV_CHANGE)
 * or an administrative down/up, an INIT-REBOOT request for the address it
 * holds.  params->bound runs each time an address is newly configured.
 * dhcp_stop(dev) drops what the client configured and forgets it (also on
 * NETDEV_UNREGISTER).
 *
 * The client sends below the socket layer, as Linux's ipconfig.c does:
 * it builds Ethernet/IPv4/UDP frames itself (0.0.0.0 -> 255.255.255.255
 * before it has an address; unicast renewals go through ip_send_to).  It
 * receives through a kernel UDP sock bound to port 68 for as long as any
 * client runs, so replies reach it in every state, unicast or broadcast,
 * and none is answered with ICMP port unreachable.
 *
 * Counters: the Dhcp MIB family (net/core/stats.h); every dropped reply
 * has its own counter.  Addresses are host byte order.
 *
 * Context: softirq (timers, receive, notifiers), or a thread with bottom
 * halves disabled (start/stop).
 */
#ifndef SYNACK_NET_IPV4_DHCP_H
#define SYNACK_NET_IPV4_DHCP_H

#include <stdbool.h>
#include <stdint.h>

#include "net/core/stats.h"
#include "net/ipv4/dhcp_wire.h"

struct net_device;

/* RFC 2131 §4.4, figure 5. */
enum dhcp_state {
	DHCP_INIT,
	DHCP_SELECTING,
	DHCP_REQUESTING,
	DHCP_REBOOTING,		/* INIT-REBOOT's request sent */
	DHCP_BOUND,
	DHCP_RENEWING,
	DHCP_REBINDING,
};

/* A lease as the client applies it.  Deadlines are net_now_ns times
 * counted from the REQUEST that won it (RFC 2131 §4.4.1); UINT64_MAX for
 * an infinite lease. */
struct dhcp_lease {
	uint32_t addr;
	uint8_t plen;
	uint32_t router;		/* 0: none offered */
	uint32_t server;		/* server identifier (option 54) */
	uint32_t dns[DHCP_MAX_DNS];
	uint8_t n_dns;
	uint32_t lease_s, t1_s, t2_s;
	uint64_t t1_ns, t2_ns, expire_ns;
};

#define DHCP_NSEC		1000000000ull
/* RFC 2131 §4.1: first retransmission after 4 s, doubling to 64 s, each
 * randomized by +-1 s (a quarter of the base here, so a shorter base
 * keeps the same shape). */
#define DHCP_RTO_BASE_NS	(4 * DHCP_NSEC)
#define DHCP_RTO_MAX_NS		(64 * DHCP_NSEC)
/* RFC 2131 §4.4.5: RENEWING/REBINDING retransmit "down to a minimum of
 * 60 seconds". */
#define DHCP_RENEW_MIN_NS	(60 * DHCP_NSEC)

/* Zero fields take the RFC values above. */
struct dhcp_params {
	uint64_t rto_base_ns;
	uint64_t rto_max_ns;
	uint64_t renew_min_ns;
	/* An address was configured on dev (new binding, not a renewal). */
	void (*bound)(struct net_device *dev, const struct dhcp_lease *lease);
	/* The lease's address is about to be removed from dev (expiry, NAK,
	 * another address, stop). */
	void (*unbound)(struct net_device *dev, const struct dhcp_lease *lease);
};

/* Renewals and Rebinds count T1 and T2 reached; RenewAcks the ACKs that
 * extended the lease held. */
#define DHCP_MIB_LIST(X) \
	X(Discovers) X(Offers) X(Requests) X(Acks) X(Naks) \
	X(Retransmits) X(Bounds) X(Renewals) X(Rebinds) X(RenewAcks) X(Expiries) \
	X(RebootFallbacks) X(LinkRestarts) X(ConfigErrors) X(OutErrors) \
	/* BadPackets, by reason */ \
	X(BadPackets) X(BadTruncated) X(BadOptions) X(BadNoType) X(BadLease) \
	/* datagrams to port 68 that are not for a client: from another \
	 * port than 67, on a device without a client */ \
	X(NotServerPort) X(NoClient) \
	/* replies that are well formed but not for us now */ \
	X(WrongXid) X(Unexpected)

struct dhcp_mib {
	DHCP_MIB_LIST(MIB_FIELD)
};

/* Starts the client on dev (registered; it follows the link from here).
 * 0, -EBUSY (already running on dev) or -ENOMEM. */
int dhcp_start(struct net_device *dev, const struct dhcp_params *params);
/* Removes the address and route it configured and forgets dev. */
void dhcp_stop(struct net_device *dev);

/* The client's state on dev; DHCP_INIT if none runs. */
enum dhcp_state dhcp_get_state(const struct net_device *dev);
/* The lease held on dev, or NULL. */
const struct dhcp_lease *dhcp_get_lease(const struct net_device *dev);
const char *dhcp_state_name(enum dhcp_state s);

/* Prefix length of a contiguous netmask, or -1. */
int dhcp_mask_to_plen(uint32_t mask);

extern struct dhcp_mib dhcp_stats;

#endif
