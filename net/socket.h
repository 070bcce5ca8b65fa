/*
 * The socket layer: BSD-style calls for in-kernel applications over small
 * integer descriptors, and the struct socket / proto_ops seam through
 * which address families plug in (Linux's net/socket.c in miniature).
 *
 * Application interface (sys_*): the POSIX calls with the POSIX argument
 * shapes; each returns >= 0 or a negative errno (-EAGAIN, -ECONNREFUSED,
 * -EBADF ...).  Addresses are struct sockaddr_in with port and address in
 * network byte order, as in BSD.  Descriptors name sockets and epoll
 * instances (net/eventpoll.h) alike; sys_close closes either.
 *
 * Blocking: a call that cannot complete sleeps on the socket's wait queue
 * (net_wait) until a callback from the protocol (sk_data_ready,
 * sk_write_space, sk_state_change, sk_error_report) wakes it, unless the
 * descriptor is O_NONBLOCK (or the call passes MSG_DONTWAIT): then
 * -EAGAIN (connect: -EINPROGRESS).  SO_RCVTIMEO / SO_SNDTIMEO bound the
 * sleep (-EAGAIN when it runs out, as Linux).  sys_close of a descriptor
 * another thread is blocked on wakes that thread with -EBADF; the socket
 * is released when its last user returns.
 *
 * Family interface: a family registers struct net_proto_family (create);
 * create fills sock->ops and sock->sk.  proto_ops calls may sleep (thread
 * context, bottom halves enabled on entry and on return).  Wakeups also
 * go to the poll hooks on sock->wq (epoll's callback entries).
 *
 * Context: thread.  Stack work runs with bottom halves disabled or inside
 * lock_sock (DESIGN.md "Execution contexts").
 */
#ifndef SYNACK_NET_SOCKET_H
#define SYNACK_NET_SOCKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/core/sock.h"
#include "net/platform.h"

#define NET_NR_OPEN	4096		/* descriptors */
#define NPROTO		3		/* families: AF_INET is the one */

/* Type flags or'ed into sys_socket's type, and accept4's flags. */
#define SOCK_NONBLOCK	04000
#define SOCK_TYPE_MASK	0xf

/* sys_fcntl */
#define F_GETFL		3
#define F_SETFL		4
#define O_NONBLOCK	04000

#define IPPROTO_IP	0
#define IPPROTO_ICMP	1		/* SOCK_RAW protocols: any IP protocol number */

/* SOL_TCP options (the protocol's setsockopt handles them). */
#define TCP_NODELAY	1

typedef uint32_t socklen_t;

struct in_addr {
	uint32_t s_addr;		/* network order */
};

struct sockaddr {
	uint16_t sa_family;
	char sa_data[14];
};

struct sockaddr_in {
	uint16_t sin_family;		/* AF_INET */
	uint16_t sin_port;		/* network order */
	struct in_addr sin_addr;
	uint8_t sin_zero[8];
};
_Static_assert(sizeof(struct sockaddr_in) == 16, "sockaddr_in is 16 bytes");

#define AF_UNSPEC	0

/* BSD socket states (struct socket, not the protocol's). */
enum socket_state {
	SS_FREE,
	SS_UNCONNECTED,
	SS_CONNECTING,
	SS_CONNECTED,
	SS_DISCONNECTING,
};

/*
 * A poll hook: someone other than a sleeping thread who wants to hear
 * about wakeups (epoll's per-socket entry).  wake gets the SK_POLL* bits
 * the event concerns; release runs when the socket goes away.  Both run
 * with bottom halves disabled or in softirq and must not sleep.
 */
struct poll_hook {
	void (*wake)(struct poll_hook *h, unsigned int events);
	void (*release)(struct poll_hook *h);
	struct poll_hook *next;
	struct poll_hook **pprev;
};

struct socket_wq {
	struct net_waitq wait;		/* sleeping threads */
	struct poll_hook *hooks;
};

struct socket {
	enum socket_state state;
	short type;			/* SOCK_STREAM ... */
	unsigned int flags;		/* O_NONBLOCK */
	unsigned int users;		/* descriptor + calls in progress */
	bool closed;			/* the descriptor is gone */
	struct sock *sk;
	const struct proto_ops *ops;
	struct socket_wq wq;		/* sk->sk_wq points here */
};

/* An address family's socket calls.  flags: O_NONBLOCK for connect and
 * accept; MSG_* for send and recv (MSG_DONTWAIT when non-blocking). */
struct proto_ops {
	int family;
	int (*release)(struct socket *sock);
	int (*bind)(struct socket *sock, const struct sockaddr *addr, socklen_t len);
	int (*connect)(struct socket *sock, const struct sockaddr *addr, socklen_t len,
		       int flags);
	/* Fills newsock (its ops, sk, state); 0 or -errno. */
	int (*accept)(struct socket *sock, struct socket *newsock, int flags);
	int (*getname)(struct socket *sock, struct sockaddr *addr, socklen_t *len, bool peer);
	unsigned int (*poll)(struct socket *sock);
	int (*listen)(struct socket *sock, int backlog);
	int (*shutdown)(struct socket *sock, int how);
	int (*setsockopt)(struct socket *sock, int level, int optname, const void *optval,
			  socklen_t optlen);
	int (*getsockopt)(struct socket *sock, int level, int optname, void *optval,
			  socklen_t *optlen);
	long (*sendmsg)(struct socket *sock, const void *buf, size_t len, int flags,
			const struct sockaddr *to, socklen_t tolen);
	long (*recvmsg)(struct socket *sock, void *buf, size_t len, int flags,
			struct sockaddr *from, socklen_t *fromlen);
};

struct net_proto_family {
	int family;
	int (*create)(struct socket *sock, int protocol);
};

/* 0, or -EEXIST if the family is taken. */
int sock_register(const struct net_proto_family *ops);
void sock_unregister(int family);

/* Creates a socket object (no descriptor); the caller owns one use. */
int sock_create(int family, int type, int protocol, struct socket **res);
/* Drops one use; the last one releases the protocol side and frees it. */
void sock_put_socket(struct socket *sock);

/* Attaches sk to sock: sk_socket, sk_wq, and the callbacks that wake the
 * socket's waiters and poll hooks. */
void sock_graft(struct sock *sk, struct socket *sock);
/* Wakes the waiters and poll hooks of sock with the given SK_POLL* bits. */
void sock_wake(struct socket *sock, unsigned int events);
void poll_hook_add(struct socket *sock, struct poll_hook *h);
void poll_hook_del(struct poll_hook *h);

/* Sleeps (bottom halves disabled on entry and return) until
 * ops->poll(sock) & mask, the descriptor is closed (-EBADF), or timeo_ns
 * passes (-EAGAIN; 0 = no limit).  0 when ready. */
int sock_wait_poll(struct socket *sock, unsigned int mask, uint64_t timeo_ns);

/*
 * Descriptors.  A file is a socket or an epoll instance; each kind
 * supplies release (called when the descriptor closes).  fd_install
 * returns the descriptor or -EMFILE.  sockfd_lookup takes a use of the
 * socket (-EBADF, -ENOTSOCK); sock_put_socket gives it back.
 */
struct net_file_ops {
	void (*release)(void *private_data);
};
int fd_install(const struct net_file_ops *ops, void *private_data);
/* The private data of fd if it is of kind ops, else NULL. */
void *fd_lookup(int fd, const struct net_file_ops *ops);
struct socket *sockfd_lookup(int fd, int *err);
bool fd_is_open(int fd);
/* Counts open descriptors (tests). */
unsigned int fd_count(void);

/* The application API. */
int sys_socket(int family, int type, int protocol);
int sys_bind(int fd, const struct sockaddr *addr, socklen_t len);
int sys_listen(int fd, int backlog);
int sys_accept(int fd, struct sockaddr *addr, socklen_t *len);
int sys_accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags);
int sys_connect(int fd, const struct sockaddr *addr, socklen_t len);
long sys_send(int fd, const void *buf, size_t len, int flags);
long sys_recv(int fd, void *buf, size_t len, int flags);
long sys_sendto(int fd, const void *buf, size_t len, int flags,
		const struct sockaddr *to, socklen_t tolen);
long sys_recvfrom(int fd, void *buf, size_t len, int flags,
		  struct sockaddr *from, socklen_t *fromlen);
long sys_read(int fd, void *buf, size_t len);
long sys_write(int fd, const void *buf, size_t len);
int sys_shutdown(int fd, int how);
int sys_close(int fd);
int sys_setsockopt(int fd, int level, int optname, const void *optval, socklen_t optlen);
int sys_getsockopt(int fd, int level, int optname, void *optval, socklen_t *optlen);
int sys_getsockname(int fd, struct sockaddr *addr, socklen_t *len);
int sys_getpeername(int fd, struct sockaddr *addr, socklen_t *len);
int sys_fcntl(int fd, int cmd, int arg);

#endif
