/*
 * The socket layer over loopback: UDP send/recv with blocking and
 * non-blocking sockets (O_NONBLOCK, SOCK_NONBLOCK, MSG_DONTWAIT),
 * SO_RCVTIMEO/SO_SNDTIMEO timeouts measured on the fake clock, a blocked
 * recv woken by a datagram, by shutdown and by close (-EBADF), socket
 * options, names, descriptor errors, and memory back at baseline.
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
}

static void teardown(struct ipt_env *env)
{
	CHECK_EQ(fd_count(), 0);
	CHECK_EQ(sk_accounting()->socks_alive, 0);
	ipt_teardown(env);
}

static int udp_at(uint16_t port, int flags)
{
	struct sockaddr_in a = in4(LO, port);
	int fd = sys_socket(AF_INET, SOCK_DGRAM | flags, IPPROTO_UDP);

	CHECK(fd >= 0);
	if (port)
		CHECK_EQ(sys_bind(fd, SA(a), sizeof(a)), 0);
	return fd;
}

static void test_loopback_udp(void)
{
	struct ipt_env env;
	struct sockaddr_in to = in4(LO, 9000), from, name;
	socklen_t flen = sizeof(from), nlen = sizeof(name);
	int rx, tx;
	char buf[100];

	setup(&env);
	rx = udp_at(9000, 0);
	tx = udp_at(0, 0);
	CHECK_EQ(sys_sendto(tx, "over lo", 7, 0, SA(to), sizeof(to)), 7);
	CHECK_EQ(sys_recvfrom(rx, buf, sizeof(buf), 0, SA(from), &flen), 7);
	CHECK(!memcmp(buf, "over lo", 7));
	CHECK_EQ(ntohl(from.sin_addr.s_addr), LO);
	CHECK_EQ(sys_getsockname(tx, SA(name), &nlen), 0);
	CHECK_EQ(name.sin_port, from.sin_port);
	CHECK_EQ(ntohl(name.sin_addr.s_addr), 0);
	/* Connected pair; read/write; peer names. */
	CHECK_EQ(sys_connect(tx, SA(to), sizeof(to)), 0);
	CHECK_EQ(sys_getpeername(tx, SA(name), &nlen), 0);
	CHECK_EQ(ntohs(name.sin_port), 9000);
	CHECK_EQ(sys_getpeername(rx, SA(name), &nlen), -ENOTCONN);
	CHECK_EQ(sys_write(tx, "abc", 3), 3);
	CHECK_EQ(sys_read(rx, buf, sizeof(buf)), 3);
	/* MSG_PEEK leaves the datagram. */
	CHECK_EQ(sys_write(tx, "peek", 4), 4);
	CHECK_EQ(sys_recv(rx, buf, sizeof(buf), MSG_PEEK), 4);
	CHECK_EQ(sys_recv(rx, buf, sizeof(buf), 0), 4);
	CHECK_EQ(sys_close(rx), 0);
	CHECK_EQ(sys_close(tx), 0);
	CHECK_EQ(sys_close(tx), -EBADF);
	teardown(&env);
}

static void test_nonblocking(void)
{
	struct ipt_env env;
	int a, b;
	char buf[8];

	setup(&env);
	a = udp_at(9001, SOCK_NONBLOCK);
	CHECK_EQ(sys_fcntl(a, F_GETFL, 0), O_NONBLOCK);
	CHECK_EQ(sys_recv(a, buf, sizeof(buf), 0), -EAGAIN);
	CHECK_EQ(sys_fcntl(a, F_SETFL, 0), 0);
	CHECK_EQ(sys_fcntl(a, F_GETFL, 0), 0);
	CHECK_EQ(sys_recv(a, buf, sizeof(buf), MSG_DONTWAIT), -EAGAIN);
	b = udp_at(9002, 0);
	CHECK_EQ(sys_fcntl(b, F_SETFL, O_NONBLOCK), 0);
	CHECK_EQ(sys_recv(b, buf, sizeof(buf), 0), -EAGAIN);
	CHECK_EQ(sys_fcntl(b, 99, 0), -EINVAL);
	CHECK_EQ(host_wait_sleeps(), 0);	/* nothing ever slept */
	sys_close(a);
	sys_close(b);
	teardown(&env);
}

static void test_timeouts(void)
{
	struct ipt_env env;
	uint64_t timeo = 2 * SEC, t0, got;
	socklen_t len = sizeof(got);
	int fd;
	char buf[8];

	setup(&env);
	fd = udp_at(9003, 0);
	CHECK_EQ(sys_setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeo, sizeof(timeo)), 0);
	CHECK_EQ(sys_getsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &got, &len), 0);
	CHECK_EQ(got, 2 * SEC);
	t0 = net_now_ns();
	CHECK_EQ(sys_recv(fd, buf, sizeof(buf), 0), -EAGAIN);
	CHECK_EQ(net_now_ns() - t0, 2 * SEC);
	sys_close(fd);
	/* SO_SNDTIMEO: datagrams waiting for ARP hold the send buffer. */
	fd = udp_at(0, 0);
	timeo = 300 * MSEC;
	CHECK_EQ(sys_setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeo, sizeof(timeo)), 0);
	CHECK_EQ(sys_getsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &got, &len), 0);
	CHECK_EQ(got, 300 * MSEC);
	{
		struct sockaddr_in peer = in4(IPT_ADDR(198, 18, 0, 1), 9);
		static char big[1400];
		int small = 1;
		long r;

		sys_setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &small, sizeof(small));
		while ((r = sys_sendto(fd, big, sizeof(big), MSG_DONTWAIT, SA(peer),
				       sizeof(peer))) > 0)
			;
		CHECK_EQ(r, -EAGAIN);
		t0 = net_now_ns();
		CHECK_EQ(sys_sendto(fd, big, sizeof(big), 0, SA(peer), sizeof(peer)), -EAGAIN);
		CHECK_EQ(net_now_ns() - t0, 300 * MSEC);
	}
	sys_close(fd);
	host_clock_advance(10 * SEC);	/* ARP gives up; the queue is freed */
	teardown(&env);
}

static int hook_fd;

static void hook_send(void *ctx)
{
	struct sockaddr_in to = in4(LO, 9004);
	int tx = udp_at(0, 0);

	(void)ctx;
	CHECK_EQ(sys_sendto(tx, "wake", 4, 0, SA(to), sizeof(to)), 4);
	sys_close(tx);
}

static void hook_close(void *ctx)
{
	(void)ctx;
	CHECK_EQ(sys_close(hook_fd), 0);
}

static void hook_shutdown(void *ctx)
{
	(void)ctx;
	CHECK_EQ(sys_shutdown(hook_fd, SHUT_RD), -ENOTCONN);
}

static void test_blocking_wakeups(void)
{
	struct ipt_env env;
	char buf[8];

	setup(&env);
	/* A datagram arrives while recv sleeps. */
	hook_fd = udp_at(9004, 0);
	host_set_wait_hook(hook_send, NULL);
	CHECK_EQ(sys_recv(hook_fd, buf, sizeof(buf), 0), 4);
	CHECK(!memcmp(buf, "wake", 4));
	/* shutdown(SHUT_RD) from "another thread": recv returns 0. */
	host_set_wait_hook(hook_shutdown, NULL);
	CHECK_EQ(sys_recv(hook_fd, buf, sizeof(buf), 0), 0);
	sys_close(hook_fd);
	/* close from "another thread": -EBADF, and the socket is freed after
	 * the blocked call returns. */
	hook_fd = udp_at(9005, 0);
	host_set_wait_hook(hook_close, NULL);
	CHECK_EQ(sys_recv(hook_fd, buf, sizeof(buf), 0), -EBADF);
	CHECK_EQ(fd_count(), 0);
	CHECK_EQ(sk_accounting()->socks_alive, 0);
	teardown(&env);
}

static void test_options(void)
{
	struct ipt_env env;
	struct linger lg = { .l_onoff = 1, .l_linger = 5 }, lg2;
	int fd, val, one = 1;
	socklen_t len = sizeof(val), llen = sizeof(lg2);

	setup(&env);
	fd = udp_at(0, 0);
	CHECK_EQ(sys_setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)), 0);
	CHECK_EQ(sys_getsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &val, &len), 0);
	CHECK_EQ(val, 1);
	CHECK_EQ(sys_setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one)), 0);
	CHECK_EQ(sys_getsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &val, &len), 0);
	CHECK_EQ(val, 1);
	val = 100000;
	CHECK_EQ(sys_setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &val, sizeof(val)), 0);
	CHECK_EQ(sys_getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &val, &len), 0);
	CHECK_EQ(val, 200000);
	CHECK_EQ(sys_setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)), 0);
	CHECK_EQ(sys_getsockopt(fd, SOL_SOCKET, SO_LINGER, &lg2, &llen), 0);
	CHECK_EQ(lg2.l_onoff, 1);
	CHECK_EQ(lg2.l_linger, 5);
	CHECK_EQ(sys_getsockopt(fd, SOL_SOCKET, SO_TYPE, &val, &len), 0);
	CHECK_EQ(val, SOCK_DGRAM);
	CHECK_EQ(sys_getsockopt(fd, SOL_SOCKET, SO_ERROR, &val, &len), 0);
	CHECK_EQ(val, 0);
	CHECK_EQ(sys_setsockopt(fd, SOL_SOCKET, 999, &one, sizeof(one)), -ENOPROTOOPT);
	CHECK_EQ(sys_setsockopt(fd, SOL_TCP, TCP_NODELAY, &one, sizeof(one)), -ENOPROTOOPT);
	CHECK_EQ(sys_setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, 1), -EINVAL);
	CHECK_EQ(sys_listen(fd, 5), -EOPNOTSUPP);
	CHECK_EQ(sys_accept(fd, NULL, NULL), -EOPNOTSUPP);
	sys_close(fd);
	teardown(&env);
}

static void test_descriptor_errors(void)
{
	struct ipt_env env;
	struct sockaddr_in a = in4(LO, 1);
	char buf[4];
	int ep, fd;

	setup(&env);
	CHECK_EQ(sys_send(-1, "x", 1, 0), -EBADF);
	CHECK_EQ(sys_recv(NET_NR_OPEN, buf, 1, 0), -EBADF);
	CHECK_EQ(sys_close(7), -EBADF);
	ep = sys_epoll_create(1);
	CHECK(ep >= 0);
	CHECK_EQ(sys_send(ep, "x", 1, 0), -ENOTSOCK);
	CHECK_EQ(sys_bind(ep, SA(a), sizeof(a)), -ENOTSOCK);
	CHECK_EQ(sys_socket(AF_INET, SOCK_RAW + 1, 0), -EINVAL);
	CHECK_EQ(sys_socket(1, SOCK_DGRAM, 0), -EAFNOSUPPORT);
	CHECK_EQ(sys_socket(AF_INET, SOCK_DGRAM, IPPROTO_TCP), -EPROTONOSUPPORT);
	CHECK_EQ(sys_socket(AF_INET, SOCK_DGRAM | 0x100000, 0), -EINVAL);
	fd = sys_socket(AF_INET, SOCK_DGRAM, 0);
	CHECK_EQ(sys_bind(fd, SA(a), 4), -EINVAL);
	a.sin_family = 10;
	CHECK_EQ(sys_bind(fd, SA(a), sizeof(a)), -EAFNOSUPPORT);
	CHECK_EQ(sys_shutdown(fd, 3), -EINVAL);
	sys_close(fd);
	sys_close(ep);
	teardown(&env);
}

/* Every descriptor, then EMFILE; all come back. */
static void test_fd_table(void)
{
	struct ipt_env env;
	int n = 0, fd;

	setup(&env);
	while ((fd = sys_epoll_create1(0)) >= 0)
		n++;
	CHECK_EQ(fd, -EMFILE);
	CHECK_EQ(n, NET_NR_OPEN);
	for (fd = 0; fd < NET_NR_OPEN; fd++)
		sys_close(fd);
	teardown(&env);
}

int main(void)
{
	test_loopback_udp();
	test_nonblocking();
	test_timeouts();
	test_blocking_wakeups();
	test_options();
	test_descriptor_errors();
	test_fd_table();
	return check_report();
}
