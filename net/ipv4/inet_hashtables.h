/*
 * The lookup tables of connection-oriented sockets (TCP): ports in use
 * (bind), listening socks by port, and connected socks by 4-tuple; and the
 * choice of a local port for bind(port 0) and for connect.
 *
 * Rules: two socks may share a port only if their local addresses differ
 * (neither is the wildcard), or both set SO_REUSEADDR and neither listens,
 * or both took the port from connect (then the 4-tuples differ).  Connect
 * picks an ephemeral port like Linux's inet_hash_connect: a random offset
 * into the range, then the first port whose 4-tuple is unused and that no
 * bind() holds.
 *
 * TIME-WAIT connections (struct tcp_timewait_sock) have a table of their
 * own, by 4-tuple: they keep their 4-tuple from reuse by connect, not
 * their port from bind (as if bound with SO_REUSEADDR).
 *
 * References: the established and listening tables each hold one sock
 * reference while the sock is on them; the bind table holds none (a bound
 * sock is owned by the socket layer or by one of the other tables).  The
 * timewait table owns its entries.
 *
 * Context: softirq, or a thread inside lock_sock.
 */
#ifndef SYNACK_NET_IPV4_INET_HASHTABLES_H
#define SYNACK_NET_IPV4_INET_HASHTABLES_H

#include <stdint.h>

struct sock;
struct tcp_timewait_sock;

#define INET_EPHEMERAL_LOW	32768u
#define INET_EPHEMERAL_HIGH	60999u

/* Takes local port snum (0: an ephemeral one) for sk at sk->sk_rcv_saddr.
 * 0 or -EADDRINUSE. */
int inet_csk_get_port(struct sock *sk, uint16_t snum);
/* A passive child takes its listener's port (and its reuse settings). */
void inet_inherit_port(struct sock *child, const struct sock *parent);
/* Gives the port back (no-op if sk holds none). */
void inet_put_port(struct sock *sk);

/* For connect: chooses sk_num if unbound, and puts sk in the established
 * table under its 4-tuple.  0, -EADDRNOTAVAIL (no free port) or
 * -EADDRINUSE (a bound port whose 4-tuple is taken). */
int inet_hash_connect(struct sock *sk);

void inet_ehash_insert(struct sock *sk);
void inet_lhash_insert(struct sock *sk);
/* Removes sk from the established or listening table (either); call it
 * before sk_state leaves TCP_LISTEN.  May drop the last reference. */
void inet_unhash(struct sock *sk);

/* No reference is taken; the caller holds one while it uses the sock. */
struct sock *inet_lookup_established(uint32_t saddr, uint16_t sport, uint32_t daddr,
				     uint16_t dport);
/* A listener on dport at daddr, or on the wildcard address. */
struct sock *inet_lookup_listener(uint32_t daddr, uint16_t dport);

/* Calls fn on every listening sock, then every established-table sock
 * (SYN_RECV to LAST_ACK), until fn returns non-zero; returns that value
 * or 0.  fn must not add or remove socks. */
int inet_hash_walk(int (*fn)(struct sock *sk, void *arg), void *arg);

/* The timewait table (the caller allocates and frees the entries). */
void inet_twsk_hash(struct tcp_timewait_sock *tw);
void inet_twsk_unhash(struct tcp_timewait_sock *tw);
struct tcp_timewait_sock *inet_lookup_timewait(uint32_t saddr, uint16_t sport, uint32_t daddr,
					       uint16_t dport);
/* Calls fn on every TIME-WAIT connection until fn returns non-zero;
 * returns that value or 0.  fn must not add or remove entries. */
int inet_twsk_walk(int (*fn)(const struct tcp_timewait_sock *tw, void *arg), void *arg);
unsigned int inet_twsk_count(void);

void inet_hashinfo_init(void);
/* Socks still in the tables (tests). */
unsigned int inet_ehash_count(void);

#endif
