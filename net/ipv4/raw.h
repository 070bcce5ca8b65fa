/*
 * Raw IPv4 sockets (raw.c), Linux's shape: socket(AF_INET, SOCK_RAW,
 * proto) with proto 1..254 sends and receives whole datagrams of that IP
 * protocol through the socket API (the echo requests of a ping, say).
 *
 * Receive (raw_local_deliver, the tap ip_local_deliver calls before the
 * protocol's own handler): every raw socket whose protocol matches, and
 * whose bound local address and connected peer (when set) match the
 * datagram's destination and source, gets a clone; the protocol handler
 * still runs (ICMP still answers echo requests, TCP still gets its
 * segments), and a protocol with no handler but a raw socket is not
 * answered with ICMP protocol unreachable.  Datagrams arrive reassembled.
 * recvfrom returns the IP header and payload (cut to the buffer) and the
 * source address (port 0).  The receive queue is bounded by SO_RCVBUF;
 * what does not fit is dropped and counted (RcvbufErrors).
 *
 * Send: the caller gives the transport header and payload (for ICMP it
 * computes the ICMP checksum itself, as on Linux); the kernel always builds
 * the IP header (source from bind() or the route, TTL 64, no DF,
 * fragmented above the MTU).  IP_HDRINCL is not supported: there is no
 * SOL_IP option (setsockopt answers -ENOPROTOOPT), and IPPROTO_RAW (255),
 * which implies it on Linux, is refused with -EPROTONOSUPPORT, as is
 * protocol 0.
 *
 * connect() fixes the peer (send without an address, receive only from
 * it); bind() fixes the local address; ports mean nothing (0 in
 * getsockname, ignored in sendto).
 *
 * ICMP, as on Linux: a raw ICMP socket receives every ICMP message,
 * errors included, less the types its ICMP_FILTER option (SOL_RAW, a
 * struct icmp_filter whose bit n drops type n, 0-31) names; counted in
 * InFiltered.  An ICMP error quoting a datagram of protocol P that we
 * sent (raw_icmp_error, which icmp.c calls beside P's err_handler) is
 * matched against the raw sockets of P by the quoted addresses; there is
 * no IP_RECVERR, so, as Linux does without it, only a connected socket
 * takes it and only a hard error (icmp_err_convert): sk_err, which its
 * next call returns (IcmpErrDelivered; the others IcmpErrIgnored).  The
 * Raw MIB family counts deliveries and drops.
 *
 * Context: softirq (input), or a thread inside lock_sock with bottom
 * halves disabled (the proto calls).
 */
#ifndef SYNACK_NET_IPV4_RAW_H
#define SYNACK_NET_IPV4_RAW_H

#include <stdint.h>

struct icmp_err;
struct proto;
struct sock;

#define IPPROTO_RAW	255

/* SOL_RAW option of ICMP sockets (Linux's numbers and layout). */
#define ICMP_FILTER	1
struct icmp_filter {
	uint32_t data;
};

#define RAW_MIB_LIST(X) \
	X(InDelivers) X(RcvbufErrors) X(BacklogDrops) X(InNoMem) X(InFiltered) \
	X(OutDatagrams) X(OutErrors) X(SndbufErrors) X(IcmpErrDelivered) X(IcmpErrIgnored)

#define RAW_MIB_FIELD(name) uint64_t name;
struct raw_mib {
	RAW_MIB_LIST(RAW_MIB_FIELD)
};
extern struct raw_mib raw_statistics;

extern const struct proto raw_prot;

/* Calls fn on every raw sock until fn returns non-zero; returns that
 * value or 0.  fn must not open or close socks. */
int raw_table_walk(int (*fn)(struct sock *sk, void *arg), void *arg);

/* A received ICMP error about a datagram we sent (icmp.c, softirq). */
void raw_icmp_error(const struct icmp_err *e);

/* Registers the delivery tap and the Raw MIB family (counters zeroed). */
int raw_init(void);
void raw_exit(void);

#endif
