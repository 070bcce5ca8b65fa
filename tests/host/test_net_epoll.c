/*
 * epoll over UDP sockets on loopback: level-triggered events repeat
 * until the data is read, edge-triggered ones come once per arrival,
 * EPOLLONESHOT disarms until MOD, EPOLLOUT, timeouts on the fake clock,
 * a blocked epoll_wait woken by an arrival and by closing the epoll fd,
 * a closed socket leaves every set, ctl errors, and a thousand idle
 * sockets with one ready reporting just that one (fed by callbacks).
 */
#include "net/eventpoll.h"

#include "kernel/errno.h"
#include "net/core/byteorder.h"
#include "net/core/sock.h"
#include "net/ipv4/ip.h"
#include "net/socket.h"
#include "tests/host/check.h"
#include "tests/host/net_platform_host.h"
#include "tests/host/test_ipv4_util.h"

#define OURS	IPT_ADDR(198, 18, 0, 2)

static struct sockaddr_in in4(uint32_t addr, uint16_t port)
{
	struct sockaddr_in s = { .sin_family = AF_INET, .sin_port = htons(port),
				 .sin_addr = { htonl(addr) } };
	return s;
}

#define SA(s) ((struct sockaddr *)&(s))

static int tx_fd;

static void setup(struct ipt_env *env)
{
	ipt_setup(env, OURS, 24, 0);
	tx_fd = sys_socket(AF_INET, SOCK_DGRAM, 0);
	CHECK(tx_fd >= 0);
}

static void teardown(struct ipt_env *env)
{
	sys_close(tx_fd);
	CHECK_EQ(fd_count(), 0);
	CHECK_EQ(sk_accounting()->socks_alive, 0);
	ipt_teardown(env);
}

static int udp_at(uint16_t port)
{
	struct sockaddr_in a = in4(INADDR_LOOPBACK, port);
	int fd = sys_socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);

	CHECK(fd >= 0);
	CHECK_EQ(sys_bind(fd, SA(a), sizeof(a)), 0);
	return fd;
}

static void send_to(uint16_t port, const char *s)
{
	struct sockaddr_in to = in4(INADDR_LOOPBACK, port);

	CHECK_EQ(sys_sendto(tx_fd, s, strlen(s), 0, SA(to), sizeof(to)), (long)strlen(s));
}

static int add(int ep, int fd, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data = { .u64 = 1000u + (unsigned)fd } };

	return sys_epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

static void test_level_triggered(void)
{
	struct ipt_env env;
	struct epoll_event ev[4];
	int ep, fd;
	char buf[16];

	setup(&env);
	ep = sys_epoll_create(1);
	fd = udp_at(7000);
	CHECK_EQ(add(ep, fd, EPOLLIN), 0);
	CHECK_EQ(sys_epoll_wait(ep, ev, 4, 0), 0);
	send_to(7000, "one");
	send_to(7000, "two");
	for (int i = 0; i < 3; i++) {
		CHECK_EQ(sys_epoll_wait(ep, ev, 4, 0), 1);
		CHECK_EQ(ev[0].events, EPOLLIN);
		CHECK_EQ(ev[0].data.u64, 1000u + (unsigned)fd);
	}
	sys_recv(fd, buf, sizeof(buf), 0);
	CHECK_EQ(sys_epoll_wait(ep, ev, 4, 0), 1);
	sys_recv(fd, buf, sizeof(buf), 0);
	CHECK_EQ(sys_epoll_wait(ep, ev, 4, 0), 0);
	sys_close(fd);
	sys_close(ep);
	teardown(&env);
}

static void test_edge_triggered(void)
{
	struct ipt_env env;
	struct epoll_event ev[4], mod = { .events = EPOLLIN | EPOLLONESHOT };
	int ep, fd, fd2;
	char buf[16];

	setup(&env);
	ep = sys_epoll_create1(0);
	fd = udp_at(7001);
	CHECK_EQ(add(ep, fd, EPOLLIN | EPOLLET), 0);
	send_to(7001, "a");
	CHECK_EQ(sys_epoll_wait(ep, ev, 4, 0), 1);
	CHECK_EQ(sys_epoll_wait(ep, ev, 4, 0), 0);	/* still readable, not reported */
	send_to(7001, "b");
	CHECK_EQ(sys_epoll_wait(ep, ev, 4, 0), 1);	/* a new arrival: once more */
	CHECK_EQ(sys_epoll_wait(ep, ev, 4, 0), 0);
	/* One-shot: reported once, silent until MOD. */
	fd2 = udp_at(7002);
	CHECK_EQ(add(ep, fd2, EPOLLIN | EPOLLONESHOT), 0);
	send_to(7002, "c");
	CHECK_EQ(sys_epoll_wait(ep, ev, 4, 0), 1);
	send_to(7002, "d");
	CHECK_EQ(sys_epoll_wait(ep, ev, 4, 0), 0);
	CHECK_EQ(sys_epoll_ctl(ep, EPOLL_CTL_MOD, fd2, &mod), 0);
	CHECK_EQ(sys_epoll_wait(ep, ev, 4, 0), 1);
	/* EPOLLOUT: a UDP socket with room is writable, level-triggered. */
	mod.events = EPOLLOUT;
	CHECK_EQ(sys_epoll_ctl(ep, EPOLL_CTL_MOD, fd2, &mod), 0);
	CHECK_EQ(sys_epoll_wait(ep, ev, 4, 0), 1);
	CHECK_EQ(ev[0].events, EPOLLOUT);
	CHECK_EQ(sys_epoll_wait(ep, ev, 4, 0), 1);
	while (sys_recv(fd, buf, sizeof(buf), 0) > 0)
		;
	sys_close(fd);
	sys_close(fd2);
	sys_close(ep);
	teardown(&env);
}

static int hook_ep;

static void hook_arrival(void *ctx)
{
	(void)ctx;
	send_to(7003, "wake");
}

static void hook_close_ep(void *ctx)
{
	(void)ctx;
	sys_close(hook_ep);
}

static void test_wait(void)
{
	struct ipt_env env;
	struct epoll_event ev[4];
	uint64_t t0;
	int fd;

	setup(&env);
	hook_ep = sys_epoll_create1(0);
	fd = udp_at(7003);
	CHECK_EQ(add(hook_ep, fd, EPOLLIN), 0);
	t0 = net_now_ns();
	CHECK_EQ(sys_epoll_wait(hook_ep, ev, 4, 1500), 0);
	CHECK_EQ(net_now_ns() - t0, 1500 * MSEC);
	host_set_wait_hook(hook_arrival, NULL);
	CHECK_EQ(sys_epoll_wait(hook_ep, ev, 4, -1), 1);
	CHECK_EQ(net_now_ns() - t0, 1500 * MSEC);
	CHECK_EQ(ev[0].events, EPOLLIN);
	/* Closing the epoll descriptor wakes its waiter. */
	CHECK_EQ(sys_epoll_ctl(hook_ep, EPOLL_CTL_DEL, fd, NULL), 0);
	host_set_wait_hook(hook_close_ep, NULL);
	CHECK_EQ(sys_epoll_wait(hook_ep, ev, 4, -1), -EBADF);
	sys_close(fd);
	teardown(&env);
}

static void test_ctl_errors(void)
{
	struct ipt_env env;
	struct epoll_event ev = { .events = EPOLLIN }, out[2];
	int ep, ep2, fd;

	setup(&env);
	ep = sys_epoll_create1(0);
	ep2 = sys_epoll_create1(0);
	fd = udp_at(7004);
	CHECK_EQ(sys_epoll_create(0), -EINVAL);
	CHECK_EQ(sys_epoll_create1(1), -EINVAL);
	CHECK_EQ(sys_epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev), -ENOENT);
	CHECK_EQ(sys_epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL), -ENOENT);
	CHECK_EQ(sys_epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev), 0);
	CHECK_EQ(sys_epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev), -EEXIST);
	CHECK_EQ(sys_epoll_ctl(ep, EPOLL_CTL_ADD, fd, NULL), -EFAULT);
	CHECK_EQ(sys_epoll_ctl(ep, 9, fd, &ev), -EINVAL);
	CHECK_EQ(sys_epoll_ctl(ep, EPOLL_CTL_ADD, ep, &ev), -EINVAL);
	CHECK_EQ(sys_epoll_ctl(ep, EPOLL_CTL_ADD, ep2, &ev), -EPERM);
	CHECK_EQ(sys_epoll_ctl(fd, EPOLL_CTL_ADD, ep, &ev), -EINVAL);
	CHECK_EQ(sys_epoll_ctl(3000, EPOLL_CTL_ADD, fd, &ev), -EBADF);
	CHECK_EQ(sys_epoll_ctl(ep, EPOLL_CTL_ADD, 3000, &ev), -EBADF);
	CHECK_EQ(sys_epoll_wait(ep, out, 0, 0), -EINVAL);
	CHECK_EQ(sys_epoll_wait(fd, out, 2, 0), -EINVAL);
	CHECK_EQ(sys_epoll_wait(3000, out, 2, 0), -EBADF);
	/* The same socket in two sets; closing it empties both. */
	CHECK_EQ(sys_epoll_ctl(ep2, EPOLL_CTL_ADD, fd, &ev), 0);
	send_to(7004, "x");
	sys_close(fd);
	CHECK_EQ(sys_epoll_wait(ep, out, 2, 0), 0);
	CHECK_EQ(sys_epoll_wait(ep2, out, 2, 0), 0);
	sys_close(ep);
	sys_close(ep2);
	teardown(&env);
}

/* 1000 idle sockets; events arrive in order and only the ready ones are
 * reported, maxevents at a time, level-triggered ones rotating. */
static void test_many(void)
{
	struct ipt_env env;
	static int fds[1000];
	struct epoll_event ev[8];
	int ep, n;

	setup(&env);
	ep = sys_epoll_create1(0);
	for (int i = 0; i < 1000; i++) {
		fds[i] = udp_at((uint16_t)(20000 + i));
		CHECK_EQ(add(ep, fds[i], EPOLLIN), 0);
	}
	CHECK_EQ(sys_epoll_wait(ep, ev, 8, 0), 0);
	send_to(20500, "x");
	CHECK_EQ(sys_epoll_wait(ep, ev, 8, 0), 1);
	CHECK_EQ(ev[0].data.u64, 1000u + (unsigned)fds[500]);
	for (int i = 0; i < 10; i++)
		send_to((uint16_t)(20000 + i), "y");
	n = sys_epoll_wait(ep, ev, 8, 0);
	CHECK_EQ(n, 8);
	CHECK_EQ(ev[0].data.u64, 1000u + (unsigned)fds[500]);
	CHECK_EQ(ev[1].data.u64, 1000u + (unsigned)fds[0]);
	n = sys_epoll_wait(ep, ev, 8, 0);
	CHECK_EQ(n, 8);
	CHECK_EQ(ev[0].data.u64, 1000u + (unsigned)fds[7]);	/* the rest come first */
	for (int i = 0; i < 1000; i++)
		sys_close(fds[i]);
	CHECK_EQ(sys_epoll_wait(ep, ev, 8, 0), 0);
	sys_close(ep);
	teardown(&env);
}

int main(void)
{
	test_level_triggered();
	test_edge_triggered();
	test_wait();
	test_ctl_errors();
	test_many();
	return check_report();
}
