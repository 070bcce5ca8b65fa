/*
 * The socket layer (socket.h has the contracts): the descriptor table,
 * struct socket lifetime, the wakeup callbacks a sock calls into, the
 * generic wait, and the sys_* calls that dispatch to proto_ops.
 *
 * Invariants: a socket's users count is its descriptor (until sys_close)
 * plus one per call in progress; the last sock_put_socket releases the
 * poll hooks (epoll entries), then the family's release, then the memory.
 * After sys_close the socket is "closed": waiters wake with -EBADF and no
 * new call can find it.
 *
 * Context: thread (sys_*); the wakeup callbacks run in softirq or with
 * bottom halves disabled.
 */
#include "net/socket.h"

#include "kernel/errno.h"

struct net_file {
	const struct net_file_ops *ops;
	void *private_data;
};

static struct net_file fd_table[NET_NR_OPEN];
static unsigned int fd_open;
static const struct net_proto_family *net_families[NPROTO];

static void sock_file_release(void *private_data);

static const struct net_file_ops socket_file_ops = {
	.release = sock_file_release,
};

int fd_install(const struct net_file_ops *ops, void *private_data)
{
	for (int fd = 0; fd < NET_NR_OPEN; fd++) {
		if (!fd_table[fd].ops) {
			fd_table[fd].ops = ops;
			fd_table[fd].private_data = private_data;
			fd_open++;
			return fd;
		}
	}
	return -EMFILE;
}

void *fd_lookup(int fd, const struct net_file_ops *ops)
{
	if (fd < 0 || fd >= NET_NR_OPEN || fd_table[fd].ops != ops)
		return NULL;
	return fd_table[fd].private_data;
}

bool fd_is_open(int fd)
{
	return fd >= 0 && fd < NET_NR_OPEN && fd_table[fd].ops;
}

unsigned int fd_count(void)
{
	return fd_open;
}

struct socket *sockfd_lookup(int fd, int *err)
{
	struct socket *sock;

	if (!fd_is_open(fd)) {
		*err = -EBADF;
		return NULL;
	}
	sock = fd_lookup(fd, &socket_file_ops);
	if (!sock) {
		*err = -ENOTSOCK;
		return NULL;
	}
	sock->users++;
	return sock;
}

int sys_close(int fd)
{
	struct net_file f;

	if (!fd_is_open(fd))
		return -EBADF;
	f = fd_table[fd];
	fd_table[fd].ops = NULL;
	fd_table[fd].private_data = NULL;
	fd_open--;
	f.ops->release(f.private_data);
	return 0;
}

int sock_register(const struct net_proto_family *ops)
{
	if (ops->family < 0 || ops->family >= NPROTO)
		return -EINVAL;
	if (net_families[ops->family])
		return -EEXIST;
	net_families[ops->family] = ops;
	return 0;
}

void sock_unregister(int family)
{
	if (family >= 0 && family < NPROTO)
		net_families[family] = NULL;
}

/* Wakeups from the protocol: waiters re-test, hooks get the event bits. */
void sock_wake(struct socket *sock, unsigned int events)
{
	net_wake_up(&sock->wq.wait);
	for (struct poll_hook *h = sock->wq.hooks; h; h = h->next)
		h->wake(h, events);
}

void poll_hook_add(struct socket *sock, struct poll_hook *h)
{
	h->next = sock->wq.hooks;
	if (h->next)
		h->next->pprev = &h->next;
	sock->wq.hooks = h;
	h->pprev = &sock->wq.hooks;
}

void poll_hook_del(struct poll_hook *h)
{
	if (!h->pprev)
		return;
	*h->pprev = h->next;
	if (h->next)
		h->next->pprev = h->pprev;
	h->next = NULL;
	h->pprev = NULL;
}

static void sock_def_readable(struct sock *sk)
{
	if (sk->sk_socket)
		sock_wake(sk->sk_socket, SK_POLLIN | SK_POLLRDNORM);
}

static void sock_def_write_space(struct sock *sk)
{
	if (sk->sk_socket)
		sock_wake(sk->sk_socket, SK_POLLOUT | SK_POLLWRNORM);
}

static void sock_def_state_change(struct sock *sk)
{
	if (sk->sk_socket)
		sock_wake(sk->sk_socket, SK_POLLIN | SK_POLLOUT | SK_POLLERR | SK_POLLHUP |
			  SK_POLLRDHUP);
}

static void sock_def_error_report(struct sock *sk)
{
	if (sk->sk_socket)
		sock_wake(sk->sk_socket, SK_POLLERR);
}

void sock_graft(struct sock *sk, struct socket *sock)
{
	net_bh_disable();
	sock->sk = sk;
	sk->sk_socket = sock;
	sk->sk_wq = &sock->wq;
	sk->sk_data_ready = sock_def_readable;
	sk->sk_write_space = sock_def_write_space;
	sk->sk_state_change = sock_def_state_change;
	sk->sk_error_report = sock_def_error_report;
	net_bh_enable();
}

static struct socket *sock_alloc(int type)
{
	struct socket *sock = net_alloc(sizeof(*sock));

	if (!sock)
		return NULL;
	sock->state = SS_UNCONNECTED;
	sock->type = (short)type;
	sock->users = 1;
	net_waitq_init(&sock->wq.wait);
	return sock;
}

int sock_create(int family, int type, int protocol, struct socket **res)
{
	struct socket *sock;
	int err;

	if (family < 0 || family >= NPROTO || !net_families[family])
		return -EAFNOSUPPORT;
	if (type < SOCK_STREAM || type > SOCK_RAW)
		return -EINVAL;
	sock = sock_alloc(type);
	if (!sock)
		return -ENOMEM;
	err = net_families[family]->create(sock, protocol);
	if (err) {
		net_free(sock);
		return err;
	}
	*res = sock;
	return 0;
}

/* Epoll entries go first (their release unlinks them), then the family. */
static void sock_release(struct socket *sock)
{
	struct poll_hook *h;

	net_bh_disable();
	while ((h = sock->wq.hooks) != NULL) {
		poll_hook_del(h);
		h->release(h);
	}
	net_bh_enable();
	if (sock->ops)
		sock->ops->release(sock);
	net_free(sock);
}

void sock_put_socket(struct socket *sock)
{
	if (--sock->users == 0)
		sock_release(sock);
}

static void sock_file_release(void *private_data)
{
	struct socket *sock = private_data;

	sock->closed = true;
	net_bh_disable();
	sock_wake(sock, SK_POLLIN | SK_POLLOUT | SK_POLLERR | SK_POLLHUP);
	net_bh_enable();
	sock_put_socket(sock);
}

struct sock_wait_arg {
	struct socket *sock;
	unsigned int mask;
};

static bool sock_wait_ready(void *arg)
{
	struct sock_wait_arg *a = arg;

	return a->sock->closed || (a->sock->ops->poll(a->sock) & a->mask);
}

int sock_wait_poll(struct socket *sock, unsigned int mask, uint64_t timeo_ns)
{
	struct sock_wait_arg a = { .sock = sock, .mask = mask };
	uint64_t deadline = timeo_ns ? net_now_ns() + timeo_ns : 0;

	if (net_wait(&sock->wq.wait, sock_wait_ready, &a, deadline))
		return -EAGAIN;
	return sock->closed ? -EBADF : 0;
}

int sys_socket(int family, int type, int protocol)
{
	struct socket *sock;
	int flags = type & ~SOCK_TYPE_MASK, fd, err;

	if (flags & ~SOCK_NONBLOCK)
		return -EINVAL;
	err = sock_create(family, type & SOCK_TYPE_MASK, protocol, &sock);
	if (err)
		return err;
	if (flags & SOCK_NONBLOCK)
		sock->flags |= O_NONBLOCK;
	fd = fd_install(&socket_file_ops, sock);
	if (fd < 0)
		sock_put_socket(sock);
	return fd;
}

int sys_bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	struct socket *sock;
	int err;

	sock = sockfd_lookup(fd, &err);
	if (!sock)
		return err;
	err = sock->ops->bind(sock, addr, len);
	sock_put_socket(sock);
	return err;
}

int sys_listen(int fd, int backlog)
{
	struct socket *sock;
	int err;

	sock = sockfd_lookup(fd, &err);
	if (!sock)
		return err;
	err = sock->ops->listen(sock, backlog);
	sock_put_socket(sock);
	return err;
}

static int sock_accept(struct socket *sock, struct sockaddr *addr, socklen_t *len, int flags)
{
	struct socket *newsock = sock_alloc(sock->type);
	int err, fd;

	if (!newsock)
		return -ENOMEM;
	newsock->ops = sock->ops;
	err = sock->ops->accept(sock, newsock, flags | (int)(sock->flags & O_NONBLOCK));
	if (err) {
		newsock->ops = NULL;
		net_free(newsock);
		return err;
	}
	if (flags & SOCK_NONBLOCK)
		newsock->flags |= O_NONBLOCK;
	if (addr && len)
		newsock->ops->getname(newsock, addr, len, true);
	fd = fd_install(&socket_file_ops, newsock);
	if (fd < 0)
		sock_put_socket(newsock);
	return fd;
}

int sys_accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags)
{
	struct socket *sock;
	int err;

	if (flags & ~SOCK_NONBLOCK)
		return -EINVAL;
	sock = sockfd_lookup(fd, &err);
	if (!sock)
		return err;
	err = sock_accept(sock, addr, len, flags);
	sock_put_socket(sock);
	return err;
}

int sys_accept(int fd, struct sockaddr *addr, socklen_t *len)
{
	return sys_accept4(fd, addr, len, 0);
}

int sys_connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	struct socket *sock;
	int err;

	sock = sockfd_lookup(fd, &err);
	if (!sock)
		return err;
	err = sock->ops->connect(sock, addr, len, (int)(sock->flags & O_NONBLOCK));
	sock_put_socket(sock);
	return err;
}

long sys_sendto(int fd, const void *buf, size_t len, int flags,
		const struct sockaddr *to, socklen_t tolen)
{
	struct socket *sock;
	long ret;
	int err;

	sock = sockfd_lookup(fd, &err);
	if (!sock)
		return err;
	if (sock->flags & O_NONBLOCK)
		flags |= MSG_DONTWAIT;
	ret = sock->ops->sendmsg(sock, buf, len, flags, to, tolen);
	sock_put_socket(sock);
	return ret;
}

long sys_recvfrom(int fd, void *buf, size_t len, int flags,
		  struct sockaddr *from, socklen_t *fromlen)
{
	struct socket *sock;
	long ret;
	int err;

	sock = sockfd_lookup(fd, &err);
	if (!sock)
		return err;
	if (sock->flags & O_NONBLOCK)
		flags |= MSG_DONTWAIT;
	ret = sock->ops->recvmsg(sock, buf, len, flags, from, fromlen);
	sock_put_socket(sock);
	return ret;
}

long sys_send(int fd, const void *buf, size_t len, int flags)
{
	return sys_sendto(fd, buf, len, flags, NULL, 0);
}

long sys_recv(int fd, void *buf, size_t len, int flags)
{
	return sys_recvfrom(fd, buf, len, flags, NULL, NULL);
}

long sys_read(int fd, void *buf, size_t len)
{
	return sys_recvfrom(fd, buf, len, 0, NULL, NULL);
}

long sys_write(int fd, const void *buf, size_t len)
{
	return sys_sendto(fd, buf, len, 0, NULL, 0);
}

int sys_shutdown(int fd, int how)
{
	struct socket *sock;
	int err;

	if (how < SHUT_RD || how > SHUT_RDWR)
		return -EINVAL;
	sock = sockfd_lookup(fd, &err);
	if (!sock)
		return err;
	err = sock->ops->shutdown(sock, how);
	sock_put_socket(sock);
	return err;
}

int sys_setsockopt(int fd, int level, int optname, const void *optval, socklen_t optlen)
{
	struct socket *sock;
	int err;

	if (!optval)
		return -EFAULT;
	sock = sockfd_lookup(fd, &err);
	if (!sock)
		return err;
	err = sock->ops->setsockopt(sock, level, optname, optval, optlen);
	sock_put_socket(sock);
	return err;
}

int sys_getsockopt(int fd, int level, int optname, void *optval, socklen_t *optlen)
{
	struct socket *sock;
	int err;

	if (!optval || !optlen)
		return -EFAULT;
	sock = sockfd_lookup(fd, &err);
	if (!sock)
		return err;
	err = sock->ops->getsockopt(sock, level, optname, optval, optlen);
	sock_put_socket(sock);
	return err;
}

static int sock_getname(int fd, struct sockaddr *addr, socklen_t *len, bool peer)
{
	struct socket *sock;
	int err;

	if (!addr || !len)
		return -EFAULT;
	sock = sockfd_lookup(fd, &err);
	if (!sock)
		return err;
	err = sock->ops->getname(sock, addr, len, peer);
	sock_put_socket(sock);
	return err;
}

int sys_getsockname(int fd, struct sockaddr *addr, socklen_t *len)
{
	return sock_getname(fd, addr, len, false);
}

int sys_getpeername(int fd, struct sockaddr *addr, socklen_t *len)
{
	return sock_getname(fd, addr, len, true);
}

int sys_fcntl(int fd, int cmd, int arg)
{
	struct socket *sock;
	int err;

	sock = sockfd_lookup(fd, &err);
	if (!sock)
		return err;
	switch (cmd) {
	case F_GETFL:
		err = (int)sock->flags;
		break;
	case F_SETFL:
		sock->flags = (unsigned int)arg & O_NONBLOCK;
		err = 0;
		break;
	default:
		err = -EINVAL;
	}
	sock_put_socket(sock);
	return err;
}
