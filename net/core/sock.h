/*
 * struct sock: the protocol-independent half of a socket, and struct proto,
 * the table through which the socket layer (net/socket.c) drives a
 * transport (TCP, UDP, raw).  Linux's shape in miniature: a transport
 * embeds struct sock as the first member of its own sock (struct tcp_sock)
 * and registers a struct proto whose obj_size is that struct's size.
 *
 * Interface for the socket layer:
 *   sk = sk_alloc(&tcp_prot, AF_INET, SOCK_STREAM, IPPROTO_TCP);
 *        allocates obj_size bytes, applies sock_init_data's defaults and
 *        calls prot->init; the caller owns the one reference it returns.
 *   sk->sk_socket / sk->sk_wq: the socket layer's owner and wait object;
 *        it sets sk_data_ready, sk_write_space, sk_state_change and
 *        sk_error_report (defaults do nothing) to wake its waiters and
 *        feed its epoll ready list.  Callbacks run in softirq context or
 *        inside a proto call; they must not sleep or call back into the
 *        proto.
 *   Every proto call is made between lock_sock and release_sock (or with
 *        bottom halves disabled for the whole call): softirq input that
 *        finds the sock owned goes to sk_backlog, and release_sock feeds
 *        it to prot->backlog_rcv.  No proto call sleeps: where a blocking
 *        socket would wait, it returns -EAGAIN (connect: -EINPROGRESS) and
 *        the socket layer waits on sk_wq for a callback, then calls again.
 *   SOL_SOCKET options: sock_setsockopt / sock_getsockopt (this file);
 *        other levels: prot->setsockopt / getsockopt.
 *   Readiness for poll/epoll: prot->poll returns SK_POLL* bits (the same
 *        values as EPOLLIN, EPOLLOUT, ...).
 *   close: prot->close(sk, linger_ns) consumes the caller's reference; the
 *        sock may live on (TCP's FIN exchange, TIME_WAIT) as an orphan
 *        (SOCK_DEAD, sk_socket and sk_wq cleared, callbacks back to the
 *        defaults), and is freed by the protocol when its last reference
 *        goes.
 *
 * Addresses are IPv4 in host byte order and ports in host byte order, as
 * everywhere above ip4_parse (ip.h); the socket layer converts at its edge.
 *
 * Memory: sk_rmem_alloc counts the truesize of skbs charged to the
 * receive side (skb_set_owner_r: receive and out-of-order queues),
 * bounded by sk_rcvbuf; sk_wmem_queued counts what a stream protocol
 * holds in its write queue, bounded by sk_sndbuf; sk_wmem_alloc counts
 * datagrams handed to IP and not yet freed (skb_set_owner_w, each holds
 * a sock reference).  sk_accounting() counts socks for tests.
 *
 * Context: softirq, or a thread inside lock_sock / with bottom halves
 * disabled (one CPU; DESIGN.md "Execution contexts").
 */
#ifndef SYNACK_NET_CORE_SOCK_H
#define SYNACK_NET_CORE_SOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/core/skbuff.h"

struct proto;
struct socket;
struct sock;

/* Families, types and levels (Linux values). */
#define AF_INET		2
#define SOCK_STREAM	1
#define SOCK_DGRAM	2
#define SOCK_RAW	3

#define SOL_SOCKET	1
#define SOL_TCP		6
#define SOL_RAW		255

/* SOL_SOCKET options handled by sock_setsockopt / sock_getsockopt. */
#define SO_REUSEADDR	2
#define SO_TYPE		3
#define SO_ERROR	4
#define SO_SNDBUF	7
#define SO_RCVBUF	8
#define SO_KEEPALIVE	9
#define SO_LINGER	13
#define SO_RCVTIMEO	20	/* uint64_t ns or struct sock_timeval; 0 = forever */
#define SO_SNDTIMEO	21
#define SO_ACCEPTCONN	30

struct linger {
	int l_onoff;
	int l_linger;		/* seconds */
};

/* SO_RCVTIMEO / SO_SNDTIMEO as POSIX gives them: struct timeval's
 * x86-64 layout (Linux's __kernel_sock_timeval), named apart from a host
 * libc's; an 8-byte option value is a uint64_t of nanoseconds instead. */
struct sock_timeval {
	int64_t tv_sec;
	int64_t tv_usec;	/* 0..999999 */
};

/* shutdown(2) "how" and the sk_shutdown bits (how + 1). */
#define SHUT_RD		0
#define SHUT_WR		1
#define SHUT_RDWR	2
#define RCV_SHUTDOWN	1
#define SEND_SHUTDOWN	2
#define SHUTDOWN_MASK	3

/* recvmsg / sendmsg flags understood by the protos. */
#define MSG_PEEK	0x2
#define MSG_DONTWAIT	0x40	/* protos never block; accepted and ignored */
#define MSG_WAITALL	0x100	/* the socket layer loops */
#define MSG_NOSIGNAL	0x4000
#define MSG_MORE	0x8000	/* stream: more follows, hold a partial segment */
/* TCP: the data stays valid and unchanged for the kernel's lifetime
 * (static or const memory): queued by reference, not copied. */
#define MSG_STATIC	0x20000000

/* Readiness bits from prot->poll (the EPOLL* values). */
#define SK_POLLIN	0x0001u
#define SK_POLLPRI	0x0002u
#define SK_POLLOUT	0x0004u
#define SK_POLLERR	0x0008u
#define SK_POLLHUP	0x0010u
#define SK_POLLRDNORM	0x0040u
#define SK_POLLWRNORM	0x0100u
#define SK_POLLRDHUP	0x2000u

/* sk_state: TCP's states, Linux numbering; UDP and raw use ESTABLISHED
 * (connected) and CLOSE. */
enum {
	TCP_ESTABLISHED = 1,
	TCP_SYN_SENT,
	TCP_SYN_RECV,
	TCP_FIN_WAIT1,
	TCP_FIN_WAIT2,
	TCP_TIME_WAIT,
	TCP_CLOSE,
	TCP_CLOSE_WAIT,
	TCP_LAST_ACK,
	TCP_LISTEN,
	TCP_CLOSING,
	TCP_MAX_STATES
};

/* sk_flags bits. */
enum sock_flags {
	SOCK_DEAD,		/* orphaned: no socket layer owner any more */
	SOCK_DONE,		/* the peer will send no more (FIN, RST) */
	SOCK_KEEPOPEN,		/* SO_KEEPALIVE */
	SOCK_LINGER,		/* SO_LINGER on */
	SOCK_RCVTSTAMP,		/* reserved for SO_TIMESTAMP */
};

/* sk_userlocks: the user fixed a buffer size (no auto-tuning past it). */
#define SOCK_SNDBUF_LOCK	1
#define SOCK_RCVBUF_LOCK	2
#define SOCK_BINDPORT_LOCK	4	/* port from bind(), not from connect() */

/* Buffer sizes in bytes of truesize.  Default and bounds. */
#define SK_RCVBUF_DEFAULT	(256 * 1024)
#define SK_SNDBUF_DEFAULT	(256 * 1024)
#define SK_BUF_MIN		4608
#define SK_BUF_MAX		(8 * 1024 * 1024)

/* A chain link for the protocol's lookup tables (intrusive, like hlist). */
struct sk_node {
	struct sk_node *next;
	struct sk_node **pprev;		/* NULL: not on a chain */
};

/* Where a datagram comes from or goes to (recvmsg/sendmsg name). */
struct sk_addr {
	uint32_t addr;			/* host order */
	uint16_t port;			/* host order */
};

struct sock {
	/* Identity (Linux's sock_common + inet_sock addressing). */
	uint16_t sk_family;		/* AF_INET */
	uint16_t sk_type;		/* SOCK_STREAM, SOCK_DGRAM, SOCK_RAW */
	uint8_t sk_protocol;		/* IPPROTO_* */
	volatile uint8_t sk_state;	/* TCP_* */
	uint8_t sk_shutdown;		/* RCV_SHUTDOWN | SEND_SHUTDOWN */
	bool sk_reuse;			/* SO_REUSEADDR */
	uint8_t sk_userlocks;		/* SOCK_*BUF_LOCK */
	uint32_t sk_flags;		/* 1 << enum sock_flags */
	unsigned int sk_refcnt;

	uint32_t sk_rcv_saddr;		/* bound local address, 0 = any */
	uint32_t sk_saddr;		/* source used on the wire */
	uint32_t sk_daddr;		/* peer, 0 if unconnected */
	uint16_t sk_num;		/* local port, 0 = unbound */
	uint16_t sk_dport;		/* peer port */

	struct sk_node sk_node;		/* lookup chain (established / listening / udp) */
	struct sk_node sk_bind_node;	/* port owner chain (bind bucket) */

	/* Buffers and their accounting. */
	int sk_rcvbuf;
	int sk_sndbuf;
	int sk_rmem_alloc;
	int sk_wmem_queued;
	int sk_wmem_alloc;
	struct sk_buff_head sk_receive_queue;
	struct sk_buff_head sk_write_queue;

	/* lock_sock / release_sock: input arriving while owned waits here. */
	struct sk_buff_head sk_backlog;
	int sk_backlog_len;		/* truesize on sk_backlog */
	bool sk_owned;

	/* Errors: a pending hard error (positive errno, reported once) and a
	 * soft one (ICMP while connecting, reported on timeout). */
	int sk_err;
	int sk_err_soft;

	uint64_t sk_rcvtimeo_ns;	/* SO_RCVTIMEO, 0 = forever */
	uint64_t sk_sndtimeo_ns;
	uint64_t sk_lingertime_ns;	/* SO_LINGER time */
	int sk_max_ack_backlog;		/* listen backlog */
	int sk_ack_backlog;		/* accept queue length */

	struct dst_entry *sk_dst_cache;	/* output route, holds a reference */
	const struct proto *sk_prot;

	/* The socket layer's side; NULL for orphans and embryonic socks. */
	struct socket *sk_socket;
	void *sk_wq;
	void (*sk_data_ready)(struct sock *sk);
	void (*sk_write_space)(struct sock *sk);
	void (*sk_state_change)(struct sock *sk);
	void (*sk_error_report)(struct sock *sk);
};

/*
 * A transport.  Calls that take a struct sock * run inside lock_sock
 * (see above) and never sleep.  Unused entries may be NULL; the socket
 * layer answers -EOPNOTSUPP for them.
 */
struct proto {
	const char *name;
	size_t obj_size;			/* bytes, struct sock first */

	int (*init)(struct sock *sk);		/* after sock_init_data */
	void (*destroy)(struct sock *sk);	/* the last reference went */
	/* Consumes the caller's reference; linger_ns as SO_LINGER asks (0
	 * with SOCK_LINGER: abort with RST). */
	void (*close)(struct sock *sk, uint64_t linger_ns);
	/* Active open toward daddr:dport.  0 (datagram: connected),
	 * -EINPROGRESS (stream: SYN sent; sk_state_change reports the
	 * outcome, then sk_err says why it failed), or a negative errno. */
	int (*connect)(struct sock *sk, uint32_t daddr, uint16_t dport);
	int (*disconnect)(struct sock *sk, int flags);
	/* Passive open: the backlog bounds the accept queue. */
	int (*listen)(struct sock *sk, int backlog);
	/* The next established child (the caller owns one reference), or
	 * NULL with *err = -EAGAIN (queue empty) or another errno. */
	struct sock *(*accept)(struct sock *sk, int *err);
	/* SIOCINQ / SIOCOUTQ style queries: 0 and *arg, or -errno. */
	int (*ioctl)(struct sock *sk, int cmd, int *arg);
	int (*setsockopt)(struct sock *sk, int level, int optname,
			  const void *optval, unsigned int optlen);
	int (*getsockopt)(struct sock *sk, int level, int optname,
			  void *optval, unsigned int *optlen);
	/* Bytes accepted (maybe fewer than len) or -errno (-EAGAIN when no
	 * byte fits; -EPIPE after shutdown, or on a stream socket that is
	 * not connected, as on Linux; -EDESTADDRREQ). to: datagram
	 * destination or NULL. */
	long (*sendmsg)(struct sock *sk, const void *buf, size_t len, int flags,
			const struct sk_addr *to);
	/* Bytes copied, 0 at end of stream, or -errno (-EAGAIN when nothing
	 * is queued).  from: filled for datagrams when non-NULL. */
	long (*recvmsg)(struct sock *sk, void *buf, size_t len, int flags,
			struct sk_addr *from);
	/* The socket layer's bind: addr (0 = any) then get_port(sk, port). */
	int (*bind)(struct sock *sk, uint32_t addr, uint16_t port);
	/* Input deferred by lock_sock; consumes skb. */
	int (*backlog_rcv)(struct sock *sk, struct sk_buff *skb);
	int (*hash)(struct sock *sk);
	void (*unhash)(struct sock *sk);
	/* Takes local port snum (0: pick an ephemeral one) for sk; 0 or
	 * -EADDRINUSE. */
	int (*get_port)(struct sock *sk, uint16_t snum);
	/* how: RCV_SHUTDOWN | SEND_SHUTDOWN bits. */
	void (*shutdown)(struct sock *sk, int how);
	void (*keepalive)(struct sock *sk, bool on);	/* SO_KEEPALIVE changed */
	unsigned int (*poll)(struct sock *sk);		/* SK_POLL* bits */
};

/* Counts for tests and /metrics. */
struct sk_accounting {
	uint64_t socks_alive;
	uint64_t bytes_alive;		/* obj_size of live socks */
	uint64_t allocs;
	uint64_t alloc_failures;
};
const struct sk_accounting *sk_accounting(void);

/* A zeroed sock of prot->obj_size with sock_init_data's defaults, then
 * prot->init; one reference.  NULL on OOM or init failure. */
struct sock *sk_alloc(const struct proto *prot, uint16_t family, uint16_t type,
		      uint8_t protocol);
/* The defaults: queues, buffer sizes, no-op callbacks, refcnt 1. */
void sock_init_data(struct sock *sk);

static inline void sock_hold(struct sock *sk)
{
	sk->sk_refcnt++;
}

/* Drops a reference; the last one calls prot->destroy, purges the queues,
 * releases the route and frees the sock. */
void sock_put(struct sock *sk);

static inline bool sock_flag(const struct sock *sk, enum sock_flags f)
{
	return sk->sk_flags & (1u << f);
}

static inline void sock_set_flag(struct sock *sk, enum sock_flags f)
{
	sk->sk_flags |= 1u << f;
}

static inline void sock_reset_flag(struct sock *sk, enum sock_flags f)
{
	sk->sk_flags &= ~(1u << f);
}

/* Detaches the socket layer: SOCK_DEAD, sk_socket/sk_wq NULL, callbacks
 * back to the defaults. */
void sock_orphan(struct sock *sk);

/* The default callbacks (do nothing). */
void sock_def_wakeup(struct sock *sk);

void lock_sock(struct sock *sk);
/* Feeds the backlog to prot->backlog_rcv, then releases ownership. */
void release_sock(struct sock *sk);

static inline bool sock_owned_by_user(const struct sock *sk)
{
	return sk->sk_owned;
}

/* Queues skb for release_sock when the receive and backlog memory stay
 * within limit bytes; else -ENOBUFS and skb is freed.  Consumes skb. */
int sk_add_backlog(struct sock *sk, struct sk_buff *skb, int limit);

/* Charges skb's truesize to sk_rmem_alloc until it is freed. */
void skb_set_owner_r(struct sk_buff *skb, struct sock *sk);
/* Charges skb's truesize to sk_wmem_alloc and holds sk until it is freed
 * (then sk_write_space). */
void skb_set_owner_w(struct sk_buff *skb, struct sock *sk);

/* Datagram receive: queues skb (owner_r) and calls sk_data_ready, or
 * -ENOMEM if sk_rcvbuf would overflow.  Consumes skb. */
int sock_queue_rcv_skb(struct sock *sk, struct sk_buff *skb);

/* The pending error as -errno (cleared), or 0. */
int sock_error(struct sock *sk);

/* Sets sk_err and calls sk_error_report. */
void sk_set_error(struct sock *sk, int err);

/* SOL_SOCKET options; 0 or -errno (-ENOPROTOOPT for unknown ones). */
int sock_setsockopt(struct sock *sk, int optname, const void *optval, unsigned int optlen);
int sock_getsockopt(struct sock *sk, int optname, void *optval, unsigned int *optlen);

/* The cached output route if still usable, else NULL. */
struct dst_entry *sk_dst_get(const struct sock *sk);
/* Replaces the cached route (takes over the caller's reference). */
void sk_dst_set(struct sock *sk, struct dst_entry *dst);
void sk_dst_reset(struct sock *sk);

/* Intrusive chain helpers. */
static inline bool sk_node_hashed(const struct sk_node *n)
{
	return n->pprev != NULL;
}

static inline void sk_node_add(struct sk_node *n, struct sk_node **head)
{
	n->next = *head;
	if (n->next)
		n->next->pprev = &n->next;
	*head = n;
	n->pprev = head;
}

static inline void sk_node_del(struct sk_node *n)
{
	if (!n->pprev)
		return;
	*n->pprev = n->next;
	if (n->next)
		n->next->pprev = n->pprev;
	n->next = NULL;
	n->pprev = NULL;
}

#define sk_from_node(n) \
	((struct sock *)((char *)(n) - offsetof(struct sock, sk_node)))
#define sk_from_bind_node(n) \
	((struct sock *)((char *)(n) - offsetof(struct sock, sk_bind_node)))

#endif
