/*
 * DHCP wire format (RFC 2131 over BOOTP, options from RFC 2132): the fixed
 * BOOTP header, the options this client sends and understands, the
 * decoded message, and parse/emit; plus the UDP header around a message
 * the client sends (it sends below the socket layer, like Linux's
 * ipconfig.c).
 *
 * Wire discipline: dhcp_parse validates a message once (header, magic
 * cookie, every option length against its field, overloaded 'file' and
 * 'sname' fields) and fills struct dhcp_msg in host byte order; the state
 * machine (dhcp.c) trusts it.  dhcp_emit is the mirror for the messages a
 * client sends.  An option that appears twice keeps its first value.
 *
 * Context: any; pure functions.
 */
#ifndef SYNACK_NET_IPV4_DHCP_WIRE_H
#define SYNACK_NET_IPV4_DHCP_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DHCP_SERVER_PORT	67
#define DHCP_CLIENT_PORT	68

/* RFC 2131 §2: the fixed part of a message, then the options field. */
struct bootp_hdr {
	uint8_t op;		/* BOOTREQUEST / BOOTREPLY */
	uint8_t htype;		/* ARPHRD_ETHER */
	uint8_t hlen;		/* 6 */
	uint8_t hops;
	uint32_t xid;
	uint16_t secs;
	uint16_t flags;
	uint32_t ciaddr;
	uint32_t yiaddr;
	uint32_t siaddr;
	uint32_t giaddr;
	uint8_t chaddr[16];
	uint8_t sname[64];
	uint8_t file[128];
	uint8_t cookie[4];	/* RFC 2131 §3: 99.130.83.99 */
} __attribute__((packed));
_Static_assert(sizeof(struct bootp_hdr) == 240, "BOOTP header with magic cookie is 240 bytes");

#define BOOTREQUEST		1
#define BOOTREPLY		2
#define BOOTP_FLAG_BROADCAST	0x8000u	/* RFC 2131 §2, figure 2 */

/* RFC 1542 §2.1: the smallest BOOTP message relays must accept; RFC 2131
 * §2: a client must accept messages up to 576 bytes of IP datagram. */
#define DHCP_MSG_MIN		300u
#define DHCP_MSG_MAX		548u	/* 576 - 20 (IP) - 8 (UDP) */

/* Option codes (RFC 2132). */
enum dhcp_option {
	DHCP_OPT_PAD = 0,
	DHCP_OPT_SUBNET_MASK = 1,
	DHCP_OPT_ROUTER = 3,
	DHCP_OPT_DNS = 6,
	DHCP_OPT_REQUESTED_IP = 50,
	DHCP_OPT_LEASE_TIME = 51,
	DHCP_OPT_OVERLOAD = 52,
	DHCP_OPT_MSG_TYPE = 53,
	DHCP_OPT_SERVER_ID = 54,
	DHCP_OPT_PARAM_REQUEST = 55,
	DHCP_OPT_RENEWAL_T1 = 58,
	DHCP_OPT_REBINDING_T2 = 59,
	DHCP_OPT_CLIENT_ID = 61,
	DHCP_OPT_END = 255,
};

/* Option 53 values (RFC 2132 §9.6). */
enum dhcp_msg_type {
	DHCPDISCOVER = 1,
	DHCPOFFER,
	DHCPREQUEST,
	DHCPDECLINE,
	DHCPACK,
	DHCPNAK,
	DHCPRELEASE,
	DHCPINFORM,
};

#define DHCP_MAX_DNS		3
#define DHCP_LEASE_INFINITE	0xffffffffu	/* RFC 2131 §3.3 */

/* Which optional fields of struct dhcp_msg are present. */
enum dhcp_have {
	DHCP_HAVE_MASK = 1u << 0,
	DHCP_HAVE_ROUTER = 1u << 1,
	DHCP_HAVE_LEASE = 1u << 2,
	DHCP_HAVE_SERVER_ID = 1u << 3,
	DHCP_HAVE_REQUESTED_IP = 1u << 4,
	DHCP_HAVE_T1 = 1u << 5,
	DHCP_HAVE_T2 = 1u << 6,
};

/* A decoded message, host byte order.  A parsed one always has type. */
struct dhcp_msg {
	uint8_t op;
	uint8_t htype, hlen;
	uint8_t type;			/* enum dhcp_msg_type */
	uint16_t secs;
	uint16_t flags;
	uint32_t xid;
	uint32_t ciaddr, yiaddr, siaddr, giaddr;
	uint8_t chaddr[16];
	unsigned int have;		/* enum dhcp_have bits */
	uint32_t mask;
	uint32_t router;		/* the first router of option 3 */
	uint32_t lease;			/* seconds; DHCP_LEASE_INFINITE */
	uint32_t server_id;
	uint32_t requested_ip;
	uint32_t t1, t2;		/* seconds */
	uint32_t dns[DHCP_MAX_DNS];
	uint8_t n_dns;
};

/* Each parse failure is its own reason, so each can be its own counter. */
enum dhcp_parse_err {
	DHCP_ERR_TRUNCATED = 1,	/* shorter than the fixed header */
	DHCP_ERR_COOKIE,	/* no DHCP magic cookie: plain BOOTP */
	DHCP_ERR_OVERRUN,	/* an option runs past the end of its field */
	DHCP_ERR_OPTLEN,	/* a known option with a length it cannot have */
	DHCP_ERR_NO_TYPE,	/* no (or an unknown) message type option */
};

/* Validates the message at buf (len bytes).  Returns 0 and fills m, or a
 * negative enum dhcp_parse_err. */
int dhcp_parse(const void *buf, size_t len, struct dhcp_msg *m);

/* Writes a client message from m: the fixed header (op BOOTREQUEST,
 * Ethernet htype/hlen), option 53, client identifier 61 (from chaddr),
 * 50 and 54 when present in m->have, the parameter request list, end, and
 * padding to DHCP_MSG_MIN.  buf holds at least DHCP_MSG_MAX bytes.
 * Returns the message length. */
size_t dhcp_emit(const struct dhcp_msg *m, void *buf);

/* UDP around a DHCP message (RFC 768).  dhcp_udp_emit writes the 8-byte
 * header in front of the plen payload bytes that follow it, with the
 * checksum over the pseudo-header (addresses host order). */
#define DHCP_UDP_HLEN		8u
void dhcp_udp_emit(void *udp, size_t plen, uint16_t sport, uint16_t dport,
		   uint32_t saddr, uint32_t daddr);

#endif
