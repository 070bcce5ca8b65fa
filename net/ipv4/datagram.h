/*
 * What datagram sockets (UDP, raw) share, as Linux's net/ipv4/datagram.c
 * and net/core/datagram.c: the output route of a datagram, cached on the
 * sock while it is connected, and readiness.
 *
 * Context: a thread inside lock_sock with bottom halves disabled.
 */
#ifndef SYNACK_NET_IPV4_DATAGRAM_H
#define SYNACK_NET_IPV4_DATAGRAM_H

#include <stdbool.h>
#include <stdint.h>

struct rtable;
struct sock;

/* The route to daddr from sk's source address, protocol sk_protocol: the
 * connected sock's cached route, else a fresh lookup (cached when
 * connected).  0 and a reference in *rtp, or -errno. */
int ip4_datagram_route(struct sock *sk, uint32_t daddr, bool connected, struct rtable **rtp);

/* SK_POLL* bits of a datagram sock: IN with a queued datagram or after
 * SHUT_RD, ERR with a pending error, HUP when shut both ways, OUT while
 * the datagrams in flight stay under SO_SNDBUF. */
unsigned int datagram_poll(struct sock *sk);

#endif
