/*
 * TCP through the socket layer over loopback: blocking connect/accept and
 * a stream both ways; EOF, half-close, EPIPE; ECONNREFUSED from a closed
 * port; EADDRINUSE; non-blocking connect with EINPROGRESS, EPOLLOUT and
 * SO_ERROR; accept's EAGAIN and a blocked accept woken by a connection;
 * SO_LINGER 0 -> ECONNRESET at the peer; SO_LINGER with a time: close
 * blocks until data and FIN are acknowledged or the time ends, not at all
 * when non-blocking, and 0 discards queued data with RST; a 2 MB transfer
 * through the echo service; and memory back at baseline once TIME_WAIT
 * has passed.
 */
#include "net/socket.h"

#include "apps/echo.h"
#include "kernel/errno.h"
#include "kernel/lib/format.h"
#include "net/core/byteorder.h"
#include "net/core/netfilter.h"
#include "net/core/sock.h"
#include "net/eventpoll.h"
#include "net/core/netdevice.h"
#include "net/ipv4/devinet.h"
#include "net/ipv4/ip.h"
#include "net/ipv4/tcp.h"
#include "tests/host/check.h"
#include "tests/host/net_platform_host.h"
#include "tests/host/test_ipv4_util.h"

#define OURS	IPT_ADDR(198, 18, 0, 2)
#define LO	INADDR_LOOPBACK

static struct sockaddr_in in4(uint32_t addr, uint16_t port)
{
	struct sockaddr_in s = { .sin_family = AF_INET, .sin_port = htons(port),
				 .sin_addr = { htonl(addr) } };
	return s;
}

#define SA(s) ((struct sockaddr *)&(s))

/* Loopback at 16436 bytes (Linux's old lo MTU): at 65536, a full TCP
 * segment with options is 65536 bytes of IP, one more than IPv4 carries,
 * and ip_queue_xmit drops it (a TCP MSS clamp to report, not a socket
 * matter). */
static void setup(struct ipt_env *env)
{
	ipt_setup(env, OURS, 24, 0);
	CHECK_EQ(dev_set_mtu(inet_loopback_dev(), 16436), 0);
}

/* Lets TIME_WAIT and every timer run out, then checks the baselines. */
static void teardown(struct ipt_env *env)
{
	host_clock_advance(300 * SEC);
	CHECK_EQ(fd_count(), 0);
	CHECK_EQ(sk_accounting()->socks_alive, 0);
	ipt_teardown(env);
}

static int tcp_listener(uint16_t port, int flags)
{
	struct sockaddr_in a = in4(0, port);
	int fd = sys_socket(AF_INET, SOCK_STREAM | flags, 0);

	CHECK(fd >= 0);
	CHECK_EQ(sys_bind(fd, SA(a), sizeof(a)), 0);
	CHECK_EQ(sys_listen(fd, 16), 0);
	return fd;
}

static int tcp_connect(uint16_t port)
{
	struct sockaddr_in a = in4(LO, port);
	int fd = sys_socket(AF_INET, SOCK_STREAM, 0);

	CHECK(fd >= 0);
	CHECK_EQ(sys_connect(fd, SA(a), sizeof(a)), 0);
	return fd;
}

static void test_stream(void)
{
	struct ipt_env env;
	struct sockaddr_in peer, name;
	socklen_t plen = sizeof(peer), nlen = sizeof(name);
	int l, c, s, one = 1;
	char buf[64];

	setup(&env);
	l = tcp_listener(8000, 0);
	c = tcp_connect(8000);
	s = sys_accept(l, SA(peer), &plen);
	CHECK(s >= 0);
	CHECK_EQ(ntohl(peer.sin_addr.s_addr), LO);
	CHECK_EQ(sys_getsockname(c, SA(name), &nlen), 0);
	CHECK_EQ(name.sin_port, peer.sin_port);
	CHECK_EQ(sys_getpeername(c, SA(name), &nlen), 0);
	CHECK_EQ(ntohs(name.sin_port), 8000);
	CHECK_EQ(sys_setsockopt(c, SOL_TCP, TCP_NODELAY, &one, sizeof(one)), 0);
	CHECK_EQ(sys_write(c, "ping", 4), 4);
	CHECK_EQ(sys_read(s, buf, sizeof(buf)), 4);
	CHECK(!memcmp(buf, "ping", 4));
	CHECK_EQ(sys_send(s, "pong!", 5, 0), 5);
	CHECK_EQ(sys_recv(c, buf, 2, MSG_WAITALL), 2);
	CHECK_EQ(sys_recv(c, buf, 3, MSG_WAITALL), 3);
	CHECK(!memcmp(buf, "ng!", 3));
	/* Half-close: the server sees EOF and can still answer. */
	CHECK_EQ(sys_shutdown(c, SHUT_WR), 0);
	CHECK_EQ(sys_read(s, buf, sizeof(buf)), 0);
	CHECK_EQ(sys_write(c, "x", 1), -EPIPE);
	CHECK_EQ(sys_write(s, "late", 4), 4);
	CHECK_EQ(sys_read(c, buf, sizeof(buf)), 4);
	sys_close(s);
	CHECK_EQ(sys_read(c, buf, sizeof(buf)), 0);
	sys_close(c);
	sys_close(l);
	teardown(&env);
}

static void test_refused_and_inuse(void)
{
	struct ipt_env env;
	struct sockaddr_in a = in4(LO, 8001), any = in4(0, 8002);
	int c, l, l2;

	setup(&env);
	c = sys_socket(AF_INET, SOCK_STREAM, 0);
	CHECK_EQ(sys_connect(c, SA(a), sizeof(a)), -ECONNREFUSED);
	sys_close(c);
	l = tcp_listener(8002, 0);
	l2 = sys_socket(AF_INET, SOCK_STREAM, 0);
	CHECK_EQ(sys_bind(l2, SA(any), sizeof(any)), -EADDRINUSE);
	CHECK_EQ(sys_accept(l2, NULL, NULL), -EINVAL);
	sys_close(l2);
	sys_close(l);
	teardown(&env);
}

static void test_nonblocking_connect(void)
{
	struct ipt_env env;
	struct sockaddr_in a = in4(LO, 8003);
	struct epoll_event ev = { .events = EPOLLOUT }, out[2];
	int l, c, s, ep, err;
	socklen_t len = sizeof(err);

	setup(&env);
	l = tcp_listener(8003, SOCK_NONBLOCK);
	CHECK_EQ(sys_accept(l, NULL, NULL), -EAGAIN);
	c = sys_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	ep = sys_epoll_create1(0);
	/* The handshake runs in softirq once bottom halves are enabled again,
	 * so the result may already be known when connect returns. */
	err = sys_connect(c, SA(a), sizeof(a));
	CHECK(err == -EINPROGRESS || err == 0);
	CHECK_EQ(sys_epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev), 0);
	CHECK_EQ(sys_epoll_wait(ep, out, 2, 1000), 1);
	CHECK(out[0].events & EPOLLOUT);
	CHECK_EQ(sys_getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &len), 0);
	CHECK_EQ(err, 0);
	CHECK_EQ(sys_connect(c, SA(a), sizeof(a)), -EISCONN);
	s = sys_accept4(l, NULL, NULL, SOCK_NONBLOCK);
	CHECK(s >= 0);
	CHECK_EQ(sys_fcntl(s, F_GETFL, 0), O_NONBLOCK);
	CHECK_EQ(sys_recv(s, out, 1, 0), -EAGAIN);
	sys_close(s);
	sys_close(c);
	sys_close(ep);
	sys_close(l);
	teardown(&env);
}

static void hook_connect(void *ctx)
{
	struct sockaddr_in a = in4(LO, 8004);
	int c = sys_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

	(void)ctx;
	sys_connect(c, SA(a), sizeof(a));
	*(int *)ctx = c;
}

static void test_blocked_accept_and_reset(void)
{
	struct ipt_env env;
	struct linger abort_now = { .l_onoff = 1, .l_linger = 0 };
	int l, c = -1, s;
	char buf[8];

	setup(&env);
	l = tcp_listener(8004, 0);
	host_set_wait_hook(hook_connect, &c);
	s = sys_accept(l, NULL, NULL);
	CHECK(s >= 0);
	CHECK(c >= 0);
	/* SO_LINGER 0: close sends RST; the peer's read says ECONNRESET. */
	CHECK_EQ(sys_setsockopt(c, SOL_SOCKET, SO_LINGER, &abort_now, sizeof(abort_now)), 0);
	sys_close(c);
	CHECK_EQ(sys_read(s, buf, sizeof(buf)), -ECONNRESET);
	sys_close(s);
	sys_close(l);
	teardown(&env);
}

/* A connected pair over loopback (client *c, accepted *s); returns the
 * listener. */
static int tcp_pair(uint16_t port, int *c, int *s)
{
	int l = tcp_listener(port, 0);

	*c = tcp_connect(port);
	*s = sys_accept(l, NULL, NULL);
	CHECK(*s >= 0);
	return l;
}

/* Segments toward port vanish (LOCAL_IN) until nf_flush. */
static void drop_to_port(uint16_t port)
{
	char spec[48], err[128];

	ksnprintf(spec, sizeof(spec), "drop:in:tcp:dport=%u", port);
	CHECK_EQ(nf_parse_rules(spec, err, sizeof(err)), 0);
}

/* Sets SO_LINGER {1, secs} and closes fd; returns how long close took. */
static uint64_t linger_close(int fd, int secs)
{
	struct linger lg = { .l_onoff = 1, .l_linger = secs };
	uint64_t t0;

	CHECK_EQ(sys_setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)), 0);
	t0 = net_now_ns();
	CHECK_EQ(sys_close(fd), 0);
	return net_now_ns() - t0;
}

/* The peer of a closed socket gets "data" and then the end of stream. */
static void expect_data_then_eof(int s)
{
	char buf[8];

	CHECK_EQ(sys_read(s, buf, sizeof(buf)), 4);
	CHECK(!memcmp(buf, "data", 4));
	CHECK_EQ(sys_read(s, buf, sizeof(buf)), 0);
}

/* Nothing reaches the server: close waits the whole linger time, then
 * the FIN exchange goes on as an orphan's and completes once the path
 * works again. */
static void test_linger_timeout(void)
{
	struct ipt_env env;
	char buf[8];
	uint64_t took;
	int l, c, s;

	setup(&env);
	l = tcp_pair(8005, &c, &s);
	drop_to_port(8005);
	CHECK_EQ(sys_write(c, "data", 4), 4);
	took = linger_close(c, 2);
	CHECK(took >= 2 * SEC && took < 2 * SEC + 10 * MSEC);
	CHECK_EQ(sys_recv(s, buf, sizeof(buf), MSG_DONTWAIT), -EAGAIN);
	nf_flush();
	expect_data_then_eof(s);
	sys_close(s);
	sys_close(l);
	teardown(&env);
}

static void hook_nf_flush(void *ctx)
{
	(void)ctx;
	nf_flush();
}

/* The path comes back while close waits: it returns as soon as the data
 * and the FIN are acknowledged (a retransmission later), long before the
 * linger time. */
static void test_linger_acked(void)
{
	struct ipt_env env;
	uint64_t took, sleeps;
	int l, c, s;

	setup(&env);
	l = tcp_pair(8006, &c, &s);
	drop_to_port(8006);
	CHECK_EQ(sys_write(c, "data", 4), 4);
	sleeps = host_wait_sleeps();
	host_set_wait_hook(hook_nf_flush, NULL);
	took = linger_close(c, 30);
	CHECK(host_wait_sleeps() > sleeps);
	CHECK(took > 0 && took < 5 * SEC);
	expect_data_then_eof(s);
	sys_close(s);
	sys_close(l);
	teardown(&env);
}

/* Non-blocking: close returns at once and the data still goes out. */
static void test_linger_nonblocking(void)
{
	struct ipt_env env;
	int l, c, s;

	setup(&env);
	l = tcp_pair(8007, &c, &s);
	drop_to_port(8007);
	CHECK_EQ(sys_write(c, "data", 4), 4);
	CHECK_EQ(sys_fcntl(c, F_SETFL, O_NONBLOCK), 0);
	CHECK_EQ(linger_close(c, 5), 0);
	nf_flush();
	expect_data_then_eof(s);
	sys_close(s);
	sys_close(l);
	teardown(&env);
}

/* Linger 0: RST at once, the unacknowledged data is thrown away; unread
 * data at close also means RST, whatever the linger time. */
static void test_linger_abort(void)
{
	struct ipt_env env;
	uint64_t aborts = tcpext_statistics.TCPAbortOnLinger;
	uint64_t on_close = tcpext_statistics.TCPAbortOnClose;
	char buf[8];
	int l, c, s;

	setup(&env);
	l = tcp_pair(8008, &c, &s);
	drop_to_port(8008);
	CHECK_EQ(sys_write(c, "data", 4), 4);
	nf_flush();
	CHECK_EQ(linger_close(c, 0), 0);
	CHECK_EQ(tcpext_statistics.TCPAbortOnLinger, aborts + 1);
	CHECK_EQ(sys_read(s, buf, sizeof(buf)), -ECONNRESET);
	sys_close(s);
	c = tcp_connect(8008);
	s = sys_accept(l, NULL, NULL);
	CHECK_EQ(sys_write(c, "unread", 6), 6);
	CHECK_EQ(linger_close(s, 5), 0);
	CHECK_EQ(tcpext_statistics.TCPAbortOnClose, on_close + 1);
	CHECK_EQ(sys_read(c, buf, sizeof(buf)), -ECONNRESET);
	sys_close(c);
	sys_close(l);
	teardown(&env);
}

/* 2 MB through the echo service, client non-blocking, checked byte for
 * byte. */
static void test_echo_stream(void)
{
	enum { TOTAL = 2 << 20 };
	static uint8_t out[TOTAL], in[TOTAL];
	struct ipt_env env;
	struct echo_server *es;
	struct sockaddr_in a = in4(LO, ECHO_PORT);
	size_t sent = 0, got = 0;
	int c, rounds = 0;

	setup(&env);
	for (size_t i = 0; i < TOTAL; i++)
		out[i] = (uint8_t)(i * 131 + (i >> 12));
	CHECK_EQ(echo_server_start(&es, ECHO_PORT), 0);
	c = sys_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	sys_connect(c, SA(a), sizeof(a));
	while (got < TOTAL && rounds++ < 100000) {
		long n;

		echo_server_poll(es, 0);
		if (sent < TOTAL && (n = sys_write(c, out + sent, TOTAL - sent)) > 0)
			sent += (size_t)n;
		while ((n = sys_read(c, in + got, TOTAL - got)) > 0)
			got += (size_t)n;
		if (echo_server_conns(es) && sent == TOTAL && got < TOTAL)
			host_clock_advance(MSEC);
	}
	CHECK_EQ(got, TOTAL);
	CHECK(!memcmp(in, out, TOTAL));
	CHECK_EQ(echo_server_stats(es)->TcpInBytes, TOTAL);
	sys_close(c);
	for (int i = 0; i < 10 && echo_server_conns(es); i++)
		echo_server_poll(es, 0);
	CHECK_EQ(echo_server_conns(es), 0);
	CHECK_EQ(echo_server_stats(es)->Closed, 1);
	echo_server_stop(es);
	teardown(&env);
}

/* An idle echo connection holds no buffer: one is taken only for what a
 * write could not send while the client does not read, and given back
 * once the client has read it all. */
static void test_echo_buffer_on_demand(void)
{
	static uint8_t chunk[4096], in[1 << 20];
	struct host_alloc_stats idle, held, after;
	struct ipt_env env;
	struct echo_server *es;
	struct sockaddr_in a = in4(LO, ECHO_PORT);
	size_t sent = 0, got = 0;
	long n;
	int c;

	setup(&env);
	memset(chunk, 'e', sizeof(chunk));
	CHECK_EQ(echo_server_start(&es, ECHO_PORT), 0);
	c = sys_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	sys_connect(c, SA(a), sizeof(a));
	echo_server_poll(es, 0);
	CHECK_EQ(echo_server_conns(es), 1);
	CHECK_EQ(sys_write(c, "x", 1), 1);
	echo_server_poll(es, 0);
	CHECK_EQ(sys_read(c, in, sizeof(in)), 1);
	host_alloc_stats(&idle);
	/* the client writes and never reads until both directions are full */
	for (int i = 0; i < 1000 && sent < sizeof(in); i++) {
		n = sys_write(c, chunk, sizeof(chunk));
		if (n > 0)
			sent += (size_t)n;
		echo_server_poll(es, 0);
		if (n == -EAGAIN)
			break;
	}
	CHECK_EQ(n, -EAGAIN);
	host_alloc_stats(&held);
	CHECK(held.alloc_alive > idle.alloc_alive);	/* the remainder, at least */
	for (int i = 0; i < 1000 && got < sent; i++) {
		while ((n = sys_read(c, in + got, sizeof(in) - got)) > 0)
			got += (size_t)n;
		echo_server_poll(es, 0);
		host_clock_advance(MSEC);	/* window updates, persist */
	}
	CHECK_EQ(got, sent);
	host_alloc_stats(&after);
	CHECK_EQ(after.alloc_alive, idle.alloc_alive);
	CHECK_EQ(echo_server_stats(es)->NoMemCloses, 0);
	sys_close(c);
	echo_server_stop(es);
	teardown(&env);
}

int main(void)
{
	test_stream();
	test_refused_and_inuse();
	test_nonblocking_connect();
	test_blocked_accept_and_reset();
	test_linger_timeout();
	test_linger_acked();
	test_linger_nonblocking();
	test_linger_abort();
	test_echo_stream();
	test_echo_buffer_on_demand();
	return check_report();
}
