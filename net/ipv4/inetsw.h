/*
 * The AF_INET socket family: inetsw, the table that maps a socket type
 * and IP protocol to a transport (struct proto) and its socket calls
 * (struct proto_ops), as Linux's inet_init fills it (seeds/002), plus
 * the generic inet_* proto_ops that drive a proto and do the blocking
 * (inetsw.c).
 *
 *   (SOCK_STREAM, IPPROTO_TCP) -> tcp_prot, inet_stream_ops
 *   (SOCK_DGRAM,  IPPROTO_UDP) -> udp_prot, inet_dgram_ops
 *   (SOCK_RAW,    any but 0)   -> raw_prot, inet_dgram_ops
 *
 * inetsw_init registers the family with the socket layer (sock_register)
 * and the built-in entries; inet_init calls it after the transports'
 * own init.  Protocol 0 picks the type's first entry with a protocol of
 * its own; an entry with protocol IPPROTO_IP (0) takes any other protocol
 * number (raw sockets, as Linux's inetsw).
 *
 * Context: boot or a host test (registration); thread (the ops).
 */
#ifndef SYNACK_NET_IPV4_INETSW_H
#define SYNACK_NET_IPV4_INETSW_H

#include <stdint.h>

struct proto;
struct proto_ops;

struct inet_protosw {
	int type;			/* SOCK_STREAM, SOCK_DGRAM, SOCK_RAW */
	uint8_t protocol;		/* IPPROTO_*; IPPROTO_IP: any */
	const struct proto *prot;
	const struct proto_ops *ops;
};

extern const struct proto_ops inet_stream_ops;
extern const struct proto_ops inet_dgram_ops;

/* 0, or -EEXIST (type and protocol taken), -ENOSPC (table full). */
int inet_register_protosw(const struct inet_protosw *p);
void inet_unregister_protosw(const struct inet_protosw *p);

/* 0 or -errno; nothing stays registered on failure. */
int inetsw_init(void);
void inetsw_exit(void);

#endif
