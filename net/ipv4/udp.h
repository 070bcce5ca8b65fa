/*
 * UDP over IPv4 (RFC 768, RFC 1122 4.1): the wire header with its parse
 * and emit functions, the transport (udp_prot) the socket layer drives,
 * the inet_protos handlers, and the Udp MIB family.
 *
 * Receive (udp_rcv): the header is validated, the datagram trimmed to the
 * UDP length, a non-zero checksum verified (zero means "not computed",
 * RFC 768), the socket found by 4-tuple then wildcard
 * (__udp4_lib_lookup), and the datagram queued within SO_RCVBUF.  No
 * socket: ICMP port unreachable (icmp_send applies RFC 1122's rules and
 * the rate limit).  ICMP errors about our datagrams reach connected
 * sockets as sk_err (port unreachable -> ECONNREFUSED).
 *
 * Send (udp_sendmsg): one datagram per call, checksum always generated;
 * an unbound socket gets an ephemeral port first (random offset in
 * UDP_PORT_LOW..UDP_PORT_HIGH, first free one after it).
 *
 * Ports: SO_REUSEADDR on both sockets lets them share a port; otherwise
 * the same port on overlapping addresses (equal, or either wildcard) is
 * -EADDRINUSE.
 *
 * Context: softirq (input), or a thread with bottom halves disabled
 * inside lock_sock (the proto calls).
 */
#ifndef SYNACK_NET_IPV4_UDP_H
#define SYNACK_NET_IPV4_UDP_H

#include <stddef.h>
#include <stdint.h>

struct icmp_err;
struct proto;
struct sk_buff;
struct sock;

struct udphdr {
	uint16_t source;
	uint16_t dest;
	uint16_t len;
	uint16_t check;
} __attribute__((packed));
_Static_assert(sizeof(struct udphdr) == 8, "UDP header is 8 bytes");

#define UDP_HLEN	8u
/* 65535 - 20 (IPv4 header) - 8 */
#define UDP_MAX_PAYLOAD	65507u
#define UDP_PORT_LOW	32768u
#define UDP_PORT_HIGH	60999u
#define UDP_HTABLE_SIZE	256u

/* A validated header, host order (check as received: 0 = none). */
struct udp_info {
	uint16_t source;
	uint16_t dest;
	uint16_t len;		/* header + payload, 8..buffer */
	uint16_t check;
};

enum udp_parse_err {
	UDP_ERR_TRUNCATED = 1,	/* fewer than 8 bytes */
	UDP_ERR_LEN,		/* length field < 8 or beyond the buffer */
};

/* 0 and info, or a negative enum udp_parse_err. */
int udp_parse(const void *buf, size_t len, struct udp_info *info);
/* Writes the 8-byte header with check 0 (the caller fills it in);
 * returns UDP_HLEN. */
size_t udp_emit(const struct udp_info *info, void *buf);
/* The checksum field for a datagram of len bytes at uh (header included,
 * check field zero) between saddr and daddr (host order): never 0. */
uint16_t udp_csum(const void *uh, size_t len, uint32_t saddr, uint32_t daddr);

#define UDP_MIB_LIST(X) \
	X(InDatagrams) X(NoPorts) X(InErrors) X(OutDatagrams) \
	X(RcvbufErrors) X(SndbufErrors) X(InCsumErrors) \
	/* InErrors, by reason (with RcvbufErrors and InCsumErrors) */ \
	X(InTruncated) X(InBadLen) X(BacklogDrops) \
	/* ICMP errors quoting our datagrams */ \
	X(IcmpErrDelivered) X(IcmpErrIgnored) X(IcmpErrNoSocket)

#define UDP_MIB_FIELD(name) uint64_t name;
struct udp_mib {
	UDP_MIB_LIST(UDP_MIB_FIELD)
};
extern struct udp_mib udp_statistics;

extern const struct proto udp_prot;

/* The socket a datagram from saddr:sport to daddr:dport belongs to: the
 * best match of the bound sockets on dport (each specific field that
 * matches counts; a mismatch excludes), or NULL.  Host order. */
struct sock *__udp4_lib_lookup(uint32_t saddr, uint16_t sport, uint32_t daddr, uint16_t dport);

/* Calls fn on every bound UDP sock until fn returns non-zero; returns that
 * value or 0.  fn must not bind or unbind socks. */
int udp_table_walk(int (*fn)(struct sock *sk, void *arg), void *arg);

/* inet_protos[IPPROTO_UDP].  udp_rcv consumes skb. */
int udp_rcv(struct sk_buff *skb);
void udp_err(const struct icmp_err *err);

/* Registers IPPROTO_UDP and the Udp MIB family (counters zeroed). */
int udp_init(void);
void udp_exit(void);

#endif
