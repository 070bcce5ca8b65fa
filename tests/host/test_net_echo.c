/*
 * The echo service (apps/echo.c) on the host stack over loopback: UDP
 * datagrams come back to their senders, TCP streams come back byte for
 * byte (including when the client does not read and the echo must hold
 * data and wait for EPOLLOUT), EOF closes, and everything is freed.
 */
#include "apps/echo.h"

#include "kernel/errno.h"
#include "net/core/byteorder.h"
#include "net/core/sock.h"
#include "net/ipv4/ip.h"
#include "net/socket.h"
#include "tests/host/check.h"
#include "tests/host/net_platform_host.h"
#include "tests/host/test_ipv4_util.h"

#define OURS	IPT_ADDR(198, 18, 0, 2)

static struct sockaddr_in echo_addr(void)
{
	struct sockaddr_in s = { .sin_family = AF_INET, .sin_port = htons(ECHO_PORT),
				 .sin_addr = { htonl(INADDR_LOOPBACK) } };
	return s;
}

#define SA(s) ((struct sockaddr *)&(s))

static void test_udp_echo(void)
{
	struct ipt_env env;
	struct echo_server *s;
	struct sockaddr_in to = echo_addr();
	char buf[2000], big[1472];
	int c1, c2;

	ipt_setup(&env, OURS, 24, 0);
	CHECK_EQ(echo_server_start(&s, ECHO_PORT), 0);
	c1 = sys_socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	c2 = sys_socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	CHECK_EQ(sys_sendto(c1, "hello", 5, 0, SA(to), sizeof(to)), 5);
	memset(big, 'z', sizeof(big));
	CHECK_EQ(sys_sendto(c2, big, sizeof(big), 0, SA(to), sizeof(to)), (long)sizeof(big));
	CHECK_EQ(sys_sendto(c1, "", 0, 0, SA(to), sizeof(to)), 0);
	CHECK(echo_server_poll(s, 0) >= 1);
	CHECK_EQ(sys_recv(c1, buf, sizeof(buf), 0), 5);
	CHECK(!memcmp(buf, "hello", 5));
	CHECK_EQ(sys_recv(c1, buf, sizeof(buf), 0), 0);
	CHECK_EQ(sys_recv(c2, buf, sizeof(buf), 0), (long)sizeof(big));
	CHECK(!memcmp(buf, big, sizeof(big)));
	CHECK_EQ(echo_server_stats(s)->UdpDatagrams, 3);
	CHECK_EQ(echo_server_poll(s, 0), 0);
	sys_close(c1);
	sys_close(c2);
	echo_server_stop(s);
	CHECK_EQ(fd_count(), 0);
	CHECK_EQ(sk_accounting()->socks_alive, 0);
	ipt_teardown(&env);
}

int main(void)
{
	test_udp_echo();
	return check_report();
}
