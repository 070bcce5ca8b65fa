/*
 * AF_INET sockets (inetsw.h): inet_create picks the transport from
 * inetsw; the inet_* proto_ops convert BSD addresses at the edge, call
 * the struct proto under lock_sock, and turn its -EAGAIN into a sleep on
 * the socket's wait queue for blocking sockets (the protos never sleep;
 * sock.h).
 *
 * Blocking rules: recv waits for SK_POLLIN/ERR/HUP/RDHUP up to
 * SO_RCVTIMEO, send for SK_POLLOUT/ERR/HUP up to SO_SNDTIMEO (a stream
 * send returns once every byte is queued, or what was queued when an
 * error or the timeout ends it), accept for SK_POLLIN up to SO_RCVTIMEO,
 * connect for the end of SYN_SENT up to SO_SNDTIMEO (then -EINPROGRESS),
 * close of a blocking stream socket with SO_LINGER on and a positive time
 * for its FIN to be acknowledged, up to that time (inet_stream_linger).
 *
 * Context: thread; proto calls inside lock_sock, poll with bottom halves
 * disabled.
 */
#include "net/ipv4/inetsw.h"

#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "net/core/byteorder.h"
#include "net/core/sock.h"
#include "net/ipv4/devinet.h"
#include "net/ipv4/ip.h"
#include "net/ipv4/raw.h"
#include "net/ipv4/tcp.h"
#include "net/ipv4/udp.h"
#include "net/socket.h"

#define INETSW_MAX	8
#define SOMAXCONN	4096

static const struct inet_protosw *inetsw[INETSW_MAX];

static const struct inet_protosw inetsw_array[] = {
	{ .type = SOCK_STREAM, .protocol = IPPROTO_TCP, .prot = &tcp_prot,
	  .ops = &inet_stream_ops },
	{ .type = SOCK_DGRAM, .protocol = IPPROTO_UDP, .prot = &udp_prot,
	  .ops = &inet_dgram_ops },
	/* IPPROTO_IP: any protocol the caller names (not 0). */
	{ .type = SOCK_RAW, .protocol = IPPROTO_IP, .prot = &raw_prot,
	  .ops = &inet_dgram_ops },
};

int inet_register_protosw(const struct inet_protosw *p)
{
	int free_slot = -1;

	for (int i = 0; i < INETSW_MAX; i++) {
		if (!inetsw[i]) {
			if (free_slot < 0)
				free_slot = i;
		} else if (inetsw[i]->type == p->type && inetsw[i]->protocol == p->protocol) {
			return -EEXIST;
		}
	}
	if (free_slot < 0)
		return -ENOSPC;
	inetsw[free_slot] = p;
	return 0;
}

void inet_unregister_protosw(const struct inet_protosw *p)
{
	for (int i = 0; i < INETSW_MAX; i++)
		if (inetsw[i] == p)
			inetsw[i] = NULL;
}

/* Linux's inet_create match: the exact (type, protocol), protocol 0 for
 * the type's first entry, or a wildcard entry (IPPROTO_IP) for a named
 * protocol.  NULL and *err = -EPROTONOSUPPORT (the type exists) or
 * -ESOCKTNOSUPPORT. */
static const struct inet_protosw *inetsw_find(int type, int protocol, int *err)
{
	*err = -ESOCKTNOSUPPORT;
	for (int i = 0; i < INETSW_MAX; i++) {
		const struct inet_protosw *p = inetsw[i];

		if (!p || p->type != type)
			continue;
		*err = -EPROTONOSUPPORT;
		if (p->protocol == IPPROTO_IP ? protocol != 0 :
		    protocol == 0 || protocol == p->protocol)
			return p;
	}
	return NULL;
}

static int inet_create(struct socket *sock, int protocol)
{
	const struct inet_protosw *answer;
	struct sock *sk;
	int err;

	if (protocol < 0 || protocol > 255)
		return -EINVAL;
	/* IPPROTO_RAW means IP_HDRINCL, which raw sockets lack (raw.h). */
	if (sock->type == SOCK_RAW && protocol == IPPROTO_RAW)
		return -EPROTONOSUPPORT;
	answer = inetsw_find(sock->type, protocol, &err);
	if (!answer)
		return err;
	sk = sk_alloc(answer->prot, AF_INET, (uint16_t)sock->type,
		      answer->protocol ? answer->protocol : (uint8_t)protocol);
	if (!sk)
		return -ENOMEM;
	sock->ops = answer->ops;
	sock_graft(sk, sock);
	return 0;
}

static const struct net_proto_family inet_family_ops = {
	.family = AF_INET,
	.create = inet_create,
};

/* Decodes a sockaddr_in; AF_UNSPEC is accepted where Linux does (the
 * caller checks).  0 or -EINVAL / -EAFNOSUPPORT. */
static int inet_addr_in(const struct sockaddr *uaddr, socklen_t len, struct sk_addr *out,
			int *family)
{
	struct sockaddr_in sin;

	if (!uaddr || len < sizeof(uaddr->sa_family))
		return -EINVAL;
	*family = uaddr->sa_family;
	if (uaddr->sa_family == AF_UNSPEC) {
		out->addr = 0;
		out->port = 0;
		return 0;
	}
	if (len < sizeof(sin))
		return -EINVAL;
	if (uaddr->sa_family != AF_INET)
		return -EAFNOSUPPORT;
	memcpy(&sin, uaddr, sizeof(sin));
	out->addr = ntohl(sin.sin_addr.s_addr);
	out->port = ntohs(sin.sin_port);
	return 0;
}

static void inet_addr_out(uint32_t addr, uint16_t port, struct sockaddr *uaddr, socklen_t *len)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
		.sin_addr = { .s_addr = htonl(addr) },
	};
	socklen_t n = *len < sizeof(sin) ? *len : (socklen_t)sizeof(sin);

	memcpy(uaddr, &sin, n);
	*len = sizeof(sin);
}

/* Not Linux's sk_stream_closing: no FIN of ours waits for its ACK. */
static bool inet_stream_settled(void *arg)
{
	const struct sock *sk = arg;

	return sk->sk_state != TCP_FIN_WAIT1 && sk->sk_state != TCP_CLOSING &&
	       sk->sk_state != TCP_LAST_ACK;
}

/*
 * SO_LINGER with a positive time on a blocking stream socket (Linux's
 * tcp_close and sk_stream_wait_close): shut both ways now, which sends
 * the FIN behind the queued data, then sleep on the wait queue until the
 * peer has acknowledged all of it and the FIN (FIN_WAIT2, or CLOSE: in
 * TIME_WAIT the sock is closed) or the linger time ends; the close that
 * follows carries on from there (after a timeout the FIN exchange goes
 * on as an orphan's, as on Linux).  Unread data or a zero time leave it to close's RST, and a
 * non-blocking socket does not wait.
 */
static void inet_stream_linger(struct socket *sock)
{
	struct sock *sk = sock->sk;

	if (!sock_flag(sk, SOCK_LINGER) || !sk->sk_lingertime_ns || (sock->flags & O_NONBLOCK))
		return;
	lock_sock(sk);
	if (!skb_queue_empty(&sk->sk_receive_queue) || sk->sk_state == TCP_LISTEN) {
		release_sock(sk);
		return;
	}
	sk->sk_prot->shutdown(sk, SHUTDOWN_MASK);
	release_sock(sk);
	net_bh_disable();
	net_wait(&sock->wq.wait, inet_stream_settled, sk, net_now_ns() + sk->sk_lingertime_ns);
	net_bh_enable();
}

/* Orphans the sock and hands it to the proto's close, which consumes our
 * reference; bottom halves stay off for the whole call (sock.h). */
static int inet_release(struct socket *sock)
{
	struct sock *sk = sock->sk;

	if (!sk)
		return 0;
	net_bh_disable();
	sock->sk = NULL;
	sock_orphan(sk);
	sk->sk_prot->close(sk, sk->sk_lingertime_ns);
	net_bh_enable();
	return 0;
}

static int inet_bind(struct socket *sock, const struct sockaddr *uaddr, socklen_t len)
{
	struct sock *sk = sock->sk;
	struct sk_addr a;
	int family, err;

	err = inet_addr_in(uaddr, len, &a, &family);
	if (err)
		return err;
	if (family != AF_INET)
		return -EAFNOSUPPORT;
	if (a.addr != INADDR_ANY && a.addr != INADDR_BROADCAST && !inet_addr_local(a.addr))
		return -EADDRNOTAVAIL;
	lock_sock(sk);
	if (sk->sk_state != TCP_CLOSE || sk->sk_num)
		err = -EINVAL;
	else
		err = sk->sk_prot->bind(sk, a.addr, a.port);
	release_sock(sk);
	return err;
}

static int inet_dgram_connect(struct socket *sock, const struct sockaddr *uaddr,
			      socklen_t len, int flags)
{
	struct sock *sk = sock->sk;
	struct sk_addr a;
	int family, err;

	(void)flags;
	err = inet_addr_in(uaddr, len, &a, &family);
	if (err)
		return err;
	lock_sock(sk);
	if (family == AF_UNSPEC) {
		err = sk->sk_prot->disconnect(sk, 0);
		sock->state = SS_UNCONNECTED;
	} else {
		err = sk->sk_prot->connect(sk, a.addr, a.port);
		if (!err)
			sock->state = SS_CONNECTED;
	}
	release_sock(sk);
	return err;
}

static bool inet_connecting(const struct sock *sk)
{
	return sk->sk_state == TCP_SYN_SENT || sk->sk_state == TCP_SYN_RECV;
}

/* The outcome of a connect that left SYN_SENT. */
static int inet_connect_result(struct socket *sock)
{
	struct sock *sk = sock->sk;
	int err;

	if (sk->sk_state == TCP_CLOSE) {
		err = sock_error(sk);
		sock->state = SS_UNCONNECTED;
		return err ? err : -ECONNREFUSED;
	}
	sock->state = SS_CONNECTED;
	return 0;
}

static int inet_stream_connect(struct socket *sock, const struct sockaddr *uaddr,
			       socklen_t len, int flags)
{
	struct sock *sk = sock->sk;
	struct sk_addr a;
	int family, err;

	err = inet_addr_in(uaddr, len, &a, &family);
	if (err)
		return err;
	if (family != AF_INET)
		return -EAFNOSUPPORT;
	lock_sock(sk);
	if (sock->state == SS_CONNECTED) {
		err = -EISCONN;
	} else if (sock->state == SS_CONNECTING) {
		err = -EALREADY;
	} else {
		err = sk->sk_prot->connect(sk, a.addr, a.port);
		if (!err || err == -EINPROGRESS) {
			sock->state = SS_CONNECTING;
			err = -EINPROGRESS;
		}
	}
	release_sock(sk);
	if (err != -EINPROGRESS && err != -EALREADY)
		return err;
	if (inet_connecting(sk)) {
		int werr;

		if (flags & O_NONBLOCK)
			return err;
		/* Time up: -EINPROGRESS, or -EALREADY for a repeated call. */
		net_bh_disable();
		werr = sock_wait_poll(sock, SK_POLLOUT | SK_POLLERR | SK_POLLHUP,
				      sk->sk_sndtimeo_ns);
		net_bh_enable();
		if (werr)
			return werr == -EAGAIN ? err : werr;
		if (inet_connecting(sk))
			return err;
	}
	return inet_connect_result(sock);
}

static int inet_accept(struct socket *sock, struct socket *newsock, int flags)
{
	struct sock *sk = sock->sk, *child;
	int err;

	for (;;) {
		lock_sock(sk);
		child = sk->sk_state == TCP_LISTEN ? sk->sk_prot->accept(sk, &err) : NULL;
		if (sk->sk_state != TCP_LISTEN)
			err = -EINVAL;
		release_sock(sk);
		if (child)
			break;
		if (err != -EAGAIN || (flags & O_NONBLOCK))
			return err;
		net_bh_disable();
		err = sock_wait_poll(sock, SK_POLLIN | SK_POLLERR | SK_POLLHUP, sk->sk_rcvtimeo_ns);
		net_bh_enable();
		if (err)
			return err;
	}
	sock_graft(child, newsock);
	newsock->state = SS_CONNECTED;
	return 0;
}

static int inet_getname(struct socket *sock, struct sockaddr *uaddr, socklen_t *len, bool peer)
{
	struct sock *sk = sock->sk;

	if (peer) {
		if (!sk->sk_dport || sk->sk_state == TCP_CLOSE || sk->sk_state == TCP_SYN_SENT)
			return -ENOTCONN;
		inet_addr_out(sk->sk_daddr, sk->sk_dport, uaddr, len);
	} else {
		inet_addr_out(sk->sk_rcv_saddr ? sk->sk_rcv_saddr : sk->sk_saddr, sk->sk_num,
			      uaddr, len);
	}
	return 0;
}

static unsigned int inet_poll(struct socket *sock)
{
	unsigned int mask;

	net_bh_disable();
	mask = sock->sk->sk_prot->poll(sock->sk);
	net_bh_enable();
	return mask;
}

static int inet_listen(struct socket *sock, int backlog)
{
	struct sock *sk = sock->sk;
	int err;

	if (sock->state != SS_UNCONNECTED || sock->type != SOCK_STREAM)
		return -EINVAL;
	if (backlog > SOMAXCONN)
		backlog = SOMAXCONN;
	lock_sock(sk);
	if (sk->sk_state != TCP_CLOSE && sk->sk_state != TCP_LISTEN)
		err = -EINVAL;
	else
		err = sk->sk_prot->listen(sk, backlog < 0 ? 0 : backlog);
	release_sock(sk);
	return err;
}

static int inet_shutdown(struct socket *sock, int how)
{
	struct sock *sk = sock->sk;
	int err = 0;

	lock_sock(sk);
	if (sk->sk_state == TCP_CLOSE)
		err = -ENOTCONN;
	/* A listener or a pending connect stops (Linux disconnects it); a
	 * datagram socket takes the bits even unconnected, which is how a
	 * blocked recv is woken. */
	if ((sk->sk_state == TCP_LISTEN || sk->sk_state == TCP_SYN_SENT) &&
	    ((how + 1) & RCV_SHUTDOWN))
		sk->sk_prot->disconnect(sk, O_NONBLOCK);
	else if (!err || sk->sk_type != SOCK_STREAM)
		sk->sk_prot->shutdown(sk, how + 1);
	sk->sk_state_change(sk);
	release_sock(sk);
	return err;
}

static int inet_setsockopt(struct socket *sock, int level, int optname, const void *optval,
			   socklen_t optlen)
{
	struct sock *sk = sock->sk;
	int err;

	lock_sock(sk);
	if (level == SOL_SOCKET)
		err = sock_setsockopt(sk, optname, optval, optlen);
	else if (sk->sk_prot->setsockopt)
		err = sk->sk_prot->setsockopt(sk, level, optname, optval, optlen);
	else
		err = -ENOPROTOOPT;
	release_sock(sk);
	return err;
}

static int inet_getsockopt(struct socket *sock, int level, int optname, void *optval,
			   socklen_t *optlen)
{
	struct sock *sk = sock->sk;
	int err;

	lock_sock(sk);
	if (level == SOL_SOCKET)
		err = sock_getsockopt(sk, optname, optval, optlen);
	else if (sk->sk_prot->getsockopt)
		err = sk->sk_prot->getsockopt(sk, level, optname, optval, optlen);
	else
		err = -ENOPROTOOPT;
	release_sock(sk);
	return err;
}

static long inet_send_once(struct sock *sk, const void *buf, size_t len, int flags,
			   const struct sk_addr *to)
{
	long n;

	lock_sock(sk);
	n = sk->sk_prot->sendmsg(sk, buf, len, flags, to);
	release_sock(sk);
	return n;
}

static long inet_sendmsg(struct socket *sock, const void *buf, size_t len, int flags,
			 const struct sockaddr *uto, socklen_t tolen)
{
	struct sock *sk = sock->sk;
	struct sk_addr to;
	size_t sent = 0;
	int family, err;
	long n;

	if (uto) {
		err = inet_addr_in(uto, tolen, &to, &family);
		if (err)
			return err;
		if (family != AF_INET)
			return -EAFNOSUPPORT;
	}
	for (;;) {
		n = inet_send_once(sk, (const char *)buf + sent, len - sent, flags,
				   uto ? &to : NULL);
		if (n >= 0 && sk->sk_type != SOCK_STREAM)
			return n;
		if (n >= 0) {
			sent += (size_t)n;
			if (sent == len)
				return (long)sent;
			continue;
		}
		if (n != -EAGAIN || (flags & MSG_DONTWAIT))
			return sent ? (long)sent : n;
		net_bh_disable();
		err = sock_wait_poll(sock, SK_POLLOUT | SK_POLLERR | SK_POLLHUP, sk->sk_sndtimeo_ns);
		net_bh_enable();
		if (err)
			return sent ? (long)sent : err;
	}
}

static long inet_recv_once(struct sock *sk, void *buf, size_t len, int flags,
			   struct sockaddr *ufrom, socklen_t *fromlen)
{
	struct sk_addr from = { 0, 0 };
	long n;

	lock_sock(sk);
	n = sk->sk_prot->recvmsg(sk, buf, len, flags, ufrom ? &from : NULL);
	release_sock(sk);
	if (n >= 0 && ufrom && fromlen)
		inet_addr_out(from.addr, from.port, ufrom, fromlen);
	return n;
}

static long inet_recvmsg(struct socket *sock, void *buf, size_t len, int flags,
			 struct sockaddr *ufrom, socklen_t *fromlen)
{
	struct sock *sk = sock->sk;
	bool waitall = (flags & MSG_WAITALL) && sk->sk_type == SOCK_STREAM;
	size_t copied = 0;
	long n;
	int err;

	for (;;) {
		n = inet_recv_once(sk, (char *)buf + copied, len - copied, flags & ~MSG_WAITALL,
				   ufrom, fromlen);
		if (n > 0) {
			copied += (size_t)n;
			if (!waitall || copied == len)
				return (long)copied;
			continue;
		}
		if (n != -EAGAIN || (flags & MSG_DONTWAIT))
			return copied ? (long)copied : n;
		net_bh_disable();
		err = sock_wait_poll(sock, SK_POLLIN | SK_POLLERR | SK_POLLHUP | SK_POLLRDHUP,
				     sk->sk_rcvtimeo_ns);
		net_bh_enable();
		if (err)
			return copied ? (long)copied : err;
	}
}

static int inet_stream_release(struct socket *sock)
{
	if (sock->sk)
		inet_stream_linger(sock);
	return inet_release(sock);
}

const struct proto_ops inet_stream_ops = {
	.family = AF_INET,
	.release = inet_stream_release,
	.bind = inet_bind,
	.connect = inet_stream_connect,
	.accept = inet_accept,
	.getname = inet_getname,
	.poll = inet_poll,
	.listen = inet_listen,
	.shutdown = inet_shutdown,
	.setsockopt = inet_setsockopt,
	.getsockopt = inet_getsockopt,
	.sendmsg = inet_sendmsg,
	.recvmsg = inet_recvmsg,
};

static int inet_no_accept(struct socket *sock, struct socket *newsock, int flags)
{
	(void)sock;
	(void)newsock;
	(void)flags;
	return -EOPNOTSUPP;
}

static int inet_no_listen(struct socket *sock, int backlog)
{
	(void)sock;
	(void)backlog;
	return -EOPNOTSUPP;
}

const struct proto_ops inet_dgram_ops = {
	.family = AF_INET,
	.release = inet_release,
	.bind = inet_bind,
	.connect = inet_dgram_connect,
	.accept = inet_no_accept,
	.getname = inet_getname,
	.poll = inet_poll,
	.listen = inet_no_listen,
	.shutdown = inet_shutdown,
	.setsockopt = inet_setsockopt,
	.getsockopt = inet_getsockopt,
	.sendmsg = inet_sendmsg,
	.recvmsg = inet_recvmsg,
};

int inetsw_init(void)
{
	size_t i;
	int err;

	for (i = 0; i < sizeof(inetsw_array) / sizeof(inetsw_array[0]); i++) {
		err = inet_register_protosw(&inetsw_array[i]);
		if (err)
			goto err_unregister;
	}
	err = sock_register(&inet_family_ops);
	if (err)
		goto err_unregister;
	return 0;

err_unregister:
	while (i--)
		inet_unregister_protosw(&inetsw_array[i]);
	return err;
}

void inetsw_exit(void)
{
	sock_unregister(AF_INET);
	for (size_t i = 0; i < sizeof(inetsw_array) / sizeof(inetsw_array[0]); i++)
		inet_unregister_protosw(&inetsw_array[i]);
}
