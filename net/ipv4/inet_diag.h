/*
 * Socket listing for `ss` and the HTTP /stats and /metrics pages (a small
 * counterpart of Linux's inet_diag): every TCP sock in the listening and
 * established tables (ESTABLISHED to LAST_ACK), each listener's request
 * socks (SYN_RECV: a SYN answered, the handshake not complete), every
 * TIME_WAIT connection (from the timewait table, queues 0), every bound
 * UDP sock and every raw sock, held by a descriptor or not (orphans
 * closing, the kernel's own such as DHCP's port 68), each reported as a
 * plain snapshot (struct sock_info) the caller can keep and print after
 * bottom halves are enabled again.  Another kind of table entry joins the
 * listing with a fill function and a walk in sock_for_each, as request and
 * timewait socks do; callers see only struct sock_info.
 *
 * Queues, as Linux ss shows them: for TCP listeners, the accept queue
 * length and the listen backlog; for other TCP socks, bytes not yet read
 * and bytes not yet acknowledged (SIOCINQ / SIOCOUTQ); for UDP and raw,
 * the receive memory queued and the send memory in flight (truesize);
 * request socks have none (0 0, as ss shows them).  A raw sock's local
 * "port" is its IP protocol, as Linux ss shows it.
 *
 * Context: a thread with bottom halves disabled, or softirq.
 */
#ifndef SYNACK_NET_IPV4_INET_DIAG_H
#define SYNACK_NET_IPV4_INET_DIAG_H

#include <stdint.h>

struct sock;

/* One socket; addresses and ports in host order (0 = any / none). */
struct sock_info {
	uint8_t protocol;	/* IPPROTO_TCP, IPPROTO_UDP or IPPROTO_RAW (raw) */
	uint8_t state;		/* TCP_* (sock.h) */
	const char *proto_name;	/* "tcp", "udp", "raw" */
	const char *state_name;	/* "LISTEN", "ESTABLISHED", ..., "UNCONN" */
	uint32_t laddr;
	uint16_t lport;
	uint32_t raddr;
	uint16_t rport;
	uint32_t recv_q;	/* listener: accept queue length */
	uint32_t send_q;	/* listener: backlog */
};

/* The name of a TCP_* state ("?" if out of range). */
const char *sock_state_name(int state);

/* Fills si from sk. */
void sock_info_fill(struct sock_info *si, struct sock *sk);

/* Calls fn for every TCP entry (each listener then its request socks, the
 * other socks, the TIME_WAIT connections), then every UDP and every raw
 * socket, until fn returns non-zero; returns that value, or 0 after the
 * last socket.  fn must not open, close, bind or connect sockets. */
int sock_for_each(int (*fn)(const struct sock_info *si, void *arg), void *arg);

#endif
