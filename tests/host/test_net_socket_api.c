/*
 * The socket API of issue 4, call by call, for the POSIX errors the other
 * socket tests do not reach: connect to a silent peer ends in ETIMEDOUT
 * (SO_SNDTIMEO turns it into EINPROGRESS, then EALREADY when repeated);
 * no route is ENETUNREACH;
 * RST makes read ECONNRESET, then write EPIPE; calls that do not fit the
 * socket's state (connect on a listener, recv on a listener, bind twice,
 * a foreign address, a bad shutdown) fail as on Linux; names of unbound
 * and unconnected sockets; SO_ERROR after a refused non-blocking connect;
 * the TCP-level options (TCP_NODELAY) read back; timeouts as struct
 * timeval.
 */
#include "net/socket.h"

#include "kernel/errno.h"
#include "net/core/byteorder.h"
#include "net/core/sock.h"
#include "net/eventpoll.h"
#include "net/ipv4/ip.h"
#include "tests/host/check.h"
#include "tests/host/net_platform_host.h"
#include "tests/host/test_ipv4_util.h"

#define OURS	IPT_ADDR(198, 18, 0, 2)
#define PEER	IPT_ADDR(198, 18, 0, 1)
#define LO	INADDR_LOOPBACK

static struct sockaddr_in in4(uint32_t addr, uint16_t port)
{
	struct sockaddr_in s = { .sin_family = AF_INET, .sin_port = htons(port),
				 .sin_addr = { htonl(addr) } };
	return s;
}

#define SA(s) ((struct sockaddr *)&(s))

static void setup(struct ipt_env *env)
{
	ipt_setup(env, OURS, 24, 0);
	ipt_learn_peer(env, PEER);
}

static void teardown(struct ipt_env *env)
{
	host_clock_advance(300 * SEC);
	ipt_drain(env);
	CHECK_EQ(fd_count(), 0);
	CHECK_EQ(sk_accounting()->socks_alive, 0);
	ipt_teardown(env);
}

static int tcp_listener(uint16_t port)
{
	struct sockaddr_in a = in4(0, port);
	int fd = sys_socket(AF_INET, SOCK_STREAM, 0);

	CHECK(fd >= 0);
	CHECK_EQ(sys_bind(fd, SA(a), sizeof(a)), 0);
	CHECK_EQ(sys_listen(fd, 4), 0);
	return fd;
}

/* The peer on eth0 never answers: SYNs go out with backoff until the
 * connect gives up with ETIMEDOUT; with SO_SNDTIMEO it returns
 * EINPROGRESS when the time is up, as Linux does. */
static void test_connect_timeout(void)
{
	struct ipt_env env;
	struct sockaddr_in peer = in4(PEER, 9), far = in4(IPT_ADDR(203, 0, 113, 1), 9);
	uint64_t timeo = 500 * MSEC, t0;
	int fd;

	setup(&env);
	fd = sys_socket(AF_INET, SOCK_STREAM, 0);
	t0 = net_now_ns();
	CHECK_EQ(sys_connect(fd, SA(peer), sizeof(peer)), -ETIMEDOUT);
	CHECK(net_now_ns() - t0 >= 60 * SEC);
	CHECK(ipt_drain(&env) >= 6);
	sys_close(fd);
	fd = sys_socket(AF_INET, SOCK_STREAM, 0);
	CHECK_EQ(sys_setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeo, sizeof(timeo)), 0);
	t0 = net_now_ns();
	CHECK_EQ(sys_connect(fd, SA(peer), sizeof(peer)), -EINPROGRESS);
	CHECK_EQ(net_now_ns() - t0, timeo);
	/* Linux: a repeated blocking connect waits again, then EALREADY. */
	t0 = net_now_ns();
	CHECK_EQ(sys_connect(fd, SA(peer), sizeof(peer)), -EALREADY);
	CHECK_EQ(net_now_ns() - t0, timeo);
	sys_close(fd);
	fd = sys_socket(AF_INET, SOCK_STREAM, 0);
	CHECK_EQ(sys_connect(fd, SA(far), sizeof(far)), -ENETUNREACH);
	sys_close(fd);
	fd = sys_socket(AF_INET, SOCK_DGRAM, 0);
	CHECK_EQ(sys_sendto(fd, "x", 1, 0, SA(far), sizeof(far)), -ENETUNREACH);
	sys_close(fd);
	teardown(&env);
}

/* The peer resets: the next read says ECONNRESET once, then writes say
 * EPIPE and reads end of stream. */
static void test_reset_then_epipe(void)
{
	struct ipt_env env;
	struct sockaddr_in a = in4(LO, 8100);
	struct linger abort_now = { .l_onoff = 1, .l_linger = 0 };
	char buf[8];
	int l, c, s;

	setup(&env);
	l = tcp_listener(8100);
	c = sys_socket(AF_INET, SOCK_STREAM, 0);
	CHECK_EQ(sys_connect(c, SA(a), sizeof(a)), 0);
	s = sys_accept(l, NULL, NULL);
	CHECK_EQ(sys_setsockopt(s, SOL_SOCKET, SO_LINGER, &abort_now, sizeof(abort_now)), 0);
	sys_close(s);
	CHECK_EQ(sys_read(c, buf, sizeof(buf)), -ECONNRESET);
	CHECK_EQ(sys_write(c, "x", 1), -EPIPE);
	CHECK_EQ(sys_read(c, buf, sizeof(buf)), 0);
	sys_close(c);
	sys_close(l);
	teardown(&env);
}

static void test_wrong_state(void)
{
	struct ipt_env env;
	struct sockaddr_in a = in4(LO, 8101), foreign = in4(PEER, 8102), name;
	socklen_t nlen = sizeof(name);
	char buf[4];
	int l, fd, err;
	socklen_t elen = sizeof(err);

	setup(&env);
	l = tcp_listener(8101);
	CHECK_EQ(sys_connect(l, SA(a), sizeof(a)), -EISCONN);
	CHECK_EQ(sys_recv(l, buf, sizeof(buf), 0), -ENOTCONN);
	/* Linux's sk_stream_wait_connect: a listener cannot send, -EPIPE. */
	CHECK_EQ(sys_send(l, "x", 1, 0), -EPIPE);
	CHECK_EQ(sys_bind(l, SA(a), sizeof(a)), -EINVAL);
	CHECK_EQ(sys_shutdown(l, 3), -EINVAL);
	fd = sys_socket(AF_INET, SOCK_STREAM, 0);
	CHECK_EQ(sys_bind(fd, SA(foreign), sizeof(foreign)), -EADDRNOTAVAIL);
	CHECK_EQ(sys_getsockname(fd, SA(name), &nlen), 0);
	CHECK_EQ(name.sin_addr.s_addr, 0);
	CHECK_EQ(name.sin_port, 0);
	CHECK_EQ(sys_getpeername(fd, SA(name), &nlen), -ENOTCONN);
	/* Never connected: -EPIPE as on Linux (its state is CLOSE), not
	 * POSIX's -ENOTCONN; a zero-length send too. */
	CHECK_EQ(sys_send(fd, "x", 1, 0), -EPIPE);
	CHECK_EQ(sys_send(fd, "", 0, 0), -EPIPE);
	CHECK_EQ(sys_recv(fd, buf, sizeof(buf), 0), -ENOTCONN);
	CHECK_EQ(sys_shutdown(fd, SHUT_RDWR), -ENOTCONN);
	sys_close(fd);
	/* Refused while non-blocking: SO_ERROR tells, once. */
	a = in4(LO, 8103);
	fd = sys_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	err = sys_connect(fd, SA(a), sizeof(a));
	CHECK(err == -EINPROGRESS || err == -ECONNREFUSED);
	if (err == -EINPROGRESS) {
		CHECK_EQ(sys_getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen), 0);
		CHECK_EQ(err, ECONNREFUSED);
		CHECK_EQ(sys_getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen), 0);
		CHECK_EQ(err, 0);
	}
	sys_close(fd);
	sys_close(l);
	teardown(&env);
}

static void test_tcp_options(void)
{
	struct ipt_env env;
	int fd, one = 1, val = -1, rcv = 50000;
	socklen_t len = sizeof(val);

	setup(&env);
	fd = sys_socket(AF_INET, SOCK_STREAM, 0);
	CHECK_EQ(sys_getsockopt(fd, SOL_TCP, TCP_NODELAY, &val, &len), 0);
	CHECK_EQ(val, 0);
	CHECK_EQ(sys_setsockopt(fd, SOL_TCP, TCP_NODELAY, &one, sizeof(one)), 0);
	CHECK_EQ(sys_getsockopt(fd, SOL_TCP, TCP_NODELAY, &val, &len), 0);
	CHECK_EQ(val, 1);
	CHECK_EQ(sys_setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv)), 0);
	CHECK_EQ(sys_getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &val, &len), 0);
	CHECK_EQ(val, 2 * rcv);
	CHECK_EQ(sys_setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one)), 0);
	CHECK_EQ(sys_getsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &val, &len), 0);
	CHECK_EQ(val, 1);
	CHECK_EQ(sys_getsockopt(fd, SOL_SOCKET, SO_TYPE, &val, &len), 0);
	CHECK_EQ(val, SOCK_STREAM);
	CHECK_EQ(sys_getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &val, &len), 0);
	CHECK_EQ(val, 0);
	len = 1;
	CHECK_EQ(sys_getsockopt(fd, SOL_TCP, TCP_NODELAY, &val, &len), -EINVAL);
	sys_close(fd);
	teardown(&env);
}

/* SO_RCVTIMEO / SO_SNDTIMEO in POSIX's struct sock_timeval, beside the
 * 8-byte nanoseconds form. */
static void test_timeval_timeouts(void)
{
	struct ipt_env env;
	struct sock_timeval tv = { .tv_sec = 1, .tv_usec = 250000 }, got;
	socklen_t len = sizeof(got), nlen = sizeof(uint64_t);
	uint64_t ns, t0;
	char buf[4];
	int fd;

	setup(&env);
	fd = sys_socket(AF_INET, SOCK_DGRAM, 0);
	CHECK_EQ(sys_setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), 0);
	CHECK_EQ(sys_getsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &got, &len), 0);
	CHECK_EQ(len, sizeof(got));
	CHECK_EQ(got.tv_sec, 1);
	CHECK_EQ(got.tv_usec, 250000);
	CHECK_EQ(sys_getsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &ns, &nlen), 0);
	CHECK_EQ(ns, 1250 * MSEC);
	t0 = net_now_ns();
	CHECK_EQ(sys_recv(fd, buf, sizeof(buf), 0), -EAGAIN);
	CHECK_EQ(net_now_ns() - t0, 1250 * MSEC);
	tv.tv_usec = 1000000;
	CHECK_EQ(sys_setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)), -EDOM);
	tv = (struct sock_timeval){ 0, 0 };
	CHECK_EQ(sys_setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), 0);
	CHECK_EQ(sys_getsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &ns, &nlen), 0);
	CHECK_EQ(ns, 0);
	ns = 1500;
	CHECK_EQ(sys_setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &ns, sizeof(ns)), 0);
	CHECK_EQ(sys_getsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &got, &len), 0);
	CHECK_EQ(got.tv_usec, 2);
	CHECK_EQ(sys_setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &ns, 4), -EINVAL);
	sys_close(fd);
	teardown(&env);
}

int main(void)
{
	test_connect_timeout();
	test_reset_then_epipe();
	test_wrong_state();
	test_tcp_options();
	test_timeval_timeouts();
	return check_report();
}
