/*
 * The echo service's loop (echo.h has the behaviour).  Events carry the
 * descriptor; conns[fd] is the connection state of a TCP descriptor.
 *
 * Invariants: a connection's pending bytes are buf[off..len) and buf is
 * allocated exactly while some are pending; then it is registered for
 * EPOLLOUT only, otherwise for EPOLLIN (with EPOLLRDHUP).  A connection is freed exactly when its descriptor
 * is closed.
 *
 * Context: one thread.
 */
#include "apps/echo.h"

#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "net/core/byteorder.h"
#include "net/eventpoll.h"
#include "net/platform.h"
#include "net/socket.h"

#define ECHO_EVENTS	64
#define ECHO_UDP_BUDGET	64		/* datagrams per event */
#define ECHO_TCP_BUDGET	8		/* reads per event */
#define ECHO_UDP_MAX	65536

struct echo_conn {
	int fd;
	bool eof;
	size_t off, len;
	char *buf;			/* what a write left; NULL when nothing */
};

struct echo_server {
	int epfd, udp_fd, tcp_fd;
	unsigned int nconns;
	struct echo_stats stats;
	const struct echo_guest *guest;
	struct echo_conn *conns[NET_NR_OPEN];
	char dgram[ECHO_UDP_MAX];	/* a datagram, or a TCP read */
};
_Static_assert(ECHO_BUF_SIZE <= ECHO_UDP_MAX, "a TCP read fits the datagram buffer");

static int echo_epoll_add(struct echo_server *s, int fd, uint32_t events, int op)
{
	struct epoll_event ev = { .events = events, .data = { .fd = fd } };

	return sys_epoll_ctl(s->epfd, op, fd, &ev);
}

static int echo_listen_on(int type, uint16_t port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd = sys_socket(AF_INET, type | SOCK_NONBLOCK, 0), one = 1, err;

	if (fd < 0)
		return fd;
	err = sys_setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (!err)
		err = sys_bind(fd, (struct sockaddr *)&a, sizeof(a));
	if (!err && type == SOCK_STREAM)
		err = sys_listen(fd, ECHO_BACKLOG);
	if (err) {
		sys_close(fd);
		return err;
	}
	return fd;
}

int echo_server_start(struct echo_server **out, uint16_t port)
{
	struct echo_server *s = net_alloc(sizeof(*s));
	int err;

	if (!s)
		return -ENOMEM;
	s->udp_fd = s->tcp_fd = -1;
	s->epfd = sys_epoll_create1(0);
	if (s->epfd < 0) {
		err = s->epfd;
		goto err_free;
	}
	s->udp_fd = echo_listen_on(SOCK_DGRAM, port);
	if (s->udp_fd < 0) {
		err = s->udp_fd;
		goto err_stop;
	}
	err = echo_epoll_add(s, s->udp_fd, EPOLLIN, EPOLL_CTL_ADD);
	if (err)
		goto err_stop;
	s->tcp_fd = echo_listen_on(SOCK_STREAM, port);
	if (s->tcp_fd >= 0) {
		err = echo_epoll_add(s, s->tcp_fd, EPOLLIN, EPOLL_CTL_ADD);
		if (err)
			goto err_stop;
	} else if (s->tcp_fd != -ESOCKTNOSUPPORT) {
		err = s->tcp_fd;
		goto err_stop;
	}
	*out = s;
	return 0;

err_stop:
	echo_server_stop(s);
	return err;
err_free:
	net_free(s);
	return err;
}

static void echo_conn_close(struct echo_server *s, struct echo_conn *c)
{
	s->conns[c->fd] = NULL;
	sys_close(c->fd);
	net_free(c->buf);
	net_free(c);
	s->nconns--;
	s->stats.Closed++;
}

void echo_server_stop(struct echo_server *s)
{
	for (int fd = 0; fd < NET_NR_OPEN; fd++)
		if (s->conns[fd])
			echo_conn_close(s, s->conns[fd]);
	if (s->tcp_fd >= 0)
		sys_close(s->tcp_fd);
	if (s->udp_fd >= 0)
		sys_close(s->udp_fd);
	if (s->epfd >= 0)
		sys_close(s->epfd);
	net_free(s);
}

const struct echo_stats *echo_server_stats(const struct echo_server *s)
{
	return &s->stats;
}

unsigned int echo_server_conns(const struct echo_server *s)
{
	return s->nconns;
}

static void echo_udp(struct echo_server *s)
{
	for (int i = 0; i < ECHO_UDP_BUDGET; i++) {
		struct sockaddr_in from;
		socklen_t flen = sizeof(from);
		long n = sys_recvfrom(s->udp_fd, s->dgram, sizeof(s->dgram), 0,
				      (struct sockaddr *)&from, &flen);

		if (n == -EAGAIN)
			return;
		if (n < 0) {
			s->stats.Errors++;	/* an ICMP error on the socket */
			continue;
		}
		s->stats.UdpDatagrams++;
		if (sys_sendto(s->udp_fd, s->dgram, (size_t)n, 0, (struct sockaddr *)&from,
			       flen) != n)
			s->stats.SendDrops++;
	}
}

static void echo_accept(struct echo_server *s)
{
	for (;;) {
		int fd = sys_accept4(s->tcp_fd, NULL, NULL, SOCK_NONBLOCK);
		struct echo_conn *c;

		if (fd == -EAGAIN)
			return;
		if (fd < 0) {
			s->stats.Errors++;
			return;
		}
		c = s->nconns < ECHO_MAX_CONNS ? net_alloc(sizeof(*c)) : NULL;
		if (!c || echo_epoll_add(s, fd, EPOLLIN | EPOLLRDHUP, EPOLL_CTL_ADD)) {
			net_free(c);
			sys_close(fd);
			s->stats.Refused++;
			continue;
		}
		c->fd = fd;
		s->conns[fd] = c;
		s->nconns++;
		s->stats.Accepted++;
	}
}

/* Writes buf[*off..len) to c; false when the socket took less (EAGAIN)
 * or failed (*dead). */
static bool echo_write(struct echo_server *s, struct echo_conn *c, const char *buf,
		       size_t *off, size_t len, bool *dead)
{
	while (*off < len) {
		long n = sys_write(c->fd, buf + *off, len - *off);

		if (n == -EAGAIN)
			return false;
		if (n < 0) {
			*dead = true;
			return false;
		}
		*off += (size_t)n;
		s->stats.TcpOutBytes += (uint64_t)n;
	}
	return true;
}

/* Writes what is pending; true when nothing is left (and the buffer gone). */
static bool echo_flush(struct echo_server *s, struct echo_conn *c, bool *dead)
{
	if (!echo_write(s, c, c->buf, &c->off, c->len, dead))
		return false;
	net_free(c->buf);
	c->buf = NULL;
	c->off = c->len = 0;
	return true;
}

/* Keeps what the socket did not take of buf[off..len) for EPOLLOUT. */
static void echo_keep(struct echo_server *s, struct echo_conn *c, const char *buf,
		      size_t off, size_t len, bool *dead)
{
	c->buf = net_alloc_uninit(len - off);
	if (!c->buf) {
		s->stats.NoMemCloses++;
		*dead = true;
		return;
	}
	memcpy(c->buf, buf + off, len - off);
	c->off = 0;
	c->len = len - off;
}

/* Reads and echoes until the socket is empty, the budget is spent or the
 * peer stops taking data.  Sets *dead on an error. */
static void echo_pump(struct echo_server *s, struct echo_conn *c, bool *dead)
{
	for (int i = 0; i < ECHO_TCP_BUDGET && !*dead; i++) {
		long n = sys_read(c->fd, s->dgram, ECHO_BUF_SIZE);
		size_t off = 0;

		if (n == -EAGAIN)
			return;
		if (n <= 0) {
			c->eof = true;
			*dead = n < 0;
			return;
		}
		s->stats.TcpInBytes += (uint64_t)n;
		if (!echo_write(s, c, s->dgram, &off, (size_t)n, dead)) {
			if (!*dead)
				echo_keep(s, c, s->dgram, off, (size_t)n, dead);
			return;
		}
	}
}

static void echo_conn_event(struct echo_server *s, struct echo_conn *c, uint32_t events)
{
	bool dead = (events & EPOLLERR) != 0, had_pending = c->off < c->len;

	if (!dead && had_pending && echo_flush(s, c, &dead) && !c->eof)
		echo_epoll_add(s, c->fd, EPOLLIN | EPOLLRDHUP, EPOLL_CTL_MOD);
	else if (!dead && !had_pending)
		echo_pump(s, c, &dead);
	if (dead || (c->eof && c->off == c->len)) {
		if (dead)
			s->stats.Errors++;
		echo_conn_close(s, c);
	} else if (c->off < c->len && !had_pending) {
		echo_epoll_add(s, c->fd, EPOLLOUT, EPOLL_CTL_MOD);
	}
}

int echo_server_epfd(const struct echo_server *s)
{
	return s->epfd;
}

void echo_server_set_guest(struct echo_server *s, const struct echo_guest *g)
{
	s->guest = g;
}

int echo_server_poll(struct echo_server *s, int timeout_ms)
{
	struct epoll_event ev[ECHO_EVENTS];
	const struct echo_guest *g = s->guest;
	int gt = g ? g->timeout_ms(g->ctx) : -1, n;

	if (gt >= 0 && (timeout_ms < 0 || gt < timeout_ms))
		timeout_ms = gt;
	n = sys_epoll_wait(s->epfd, ev, ECHO_EVENTS, timeout_ms);

	for (int i = 0; i < n; i++) {
		int fd = ev[i].data.fd;

		if (fd == s->udp_fd)
			echo_udp(s);
		else if (fd == s->tcp_fd)
			echo_accept(s);
		else if (s->conns[fd])
			echo_conn_event(s, s->conns[fd], ev[i].events);
		else if (g)
			g->event(g->ctx, fd, ev[i].events);
	}
	if (g)
		g->tick(g->ctx);
	return n;
}
