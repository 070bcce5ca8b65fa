/*
 * The HTTP scenario of bench_net: the server of apps/http_*.c on the host
 * stack, a client on a keep-alive loopback connection sending
 * "GET / HTTP/1.1" and reading the whole answer, driven like the
 * application loop drives the server (epoll_wait, http_server_event,
 * http_server_tick).  One unit is one request: client and server sides
 * of TCP over loopback, the parser, the response and the copies.
 *
 * The connection-per-request scenario is ab without -k: each unit
 * connects, sends "GET / HTTP/1.0", reads the answer up to the server's
 * FIN, closes, and runs the loop until the server has closed its side
 * too (the server's end then waits in TIME_WAIT, as on the guest).
 */
#include "tests/bench/bench_http.h"

#include <stdlib.h>
#include <string.h>

#include "apps/http.h"
#include "kernel/errno.h"
#include "net/core/byteorder.h"
#include "net/core/netdevice.h"
#include "net/core/sock.h"
#include "net/eventpoll.h"
#include "net/ipv4/devinet.h"
#include "net/socket.h"
#include "tests/host/net_platform_host.h"
#include "tests/host/test_ipv4_util.h"

static struct http_server *srv;
static int epfd = -1, cfd = -1;
static const char request[] = "GET / HTTP/1.1\r\nHost: 198.18.0.2\r\n\r\n";
static const char request10[] = "GET / HTTP/1.0\r\nHost: 198.18.0.2\r\n\r\n";
static struct sockaddr_in server_addr;

static void pump(void)
{
	struct epoll_event ev[32];
	int n = sys_epoll_wait(epfd, ev, 32, 0);

	for (int i = 0; i < n; i++)
		http_server_event(srv, ev[i].data.fd, ev[i].events);
	http_server_tick(srv);
}

bool bench_http_server_setup(struct ipt_env *env)
{
	struct http_config cfg;

	(void)env;
	/* Ethernet's MTU: segments as large as the guest's, and a 64 KiB
	 * loopback MSS would make every small write a zeroed 64 KiB buffer
	 * the NICs never see. */
	if (dev_set_mtu(dev_get_by_name("lo"), 1500))
		return false;
	http_config_default(&cfg);
	server_addr = (struct sockaddr_in){ .sin_family = AF_INET, .sin_port = htons(HTTP_PORT),
					    .sin_addr = { htonl(INADDR_LOOPBACK) } };
	epfd = sys_epoll_create1(0);
	return epfd >= 0 && !http_server_start(&srv, epfd, &cfg);
}

bool bench_http_setup(struct ipt_env *env)
{
	if (!bench_http_server_setup(env))
		return false;
	cfd = sys_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (cfd < 0)
		return false;
	sys_connect(cfd, (const struct sockaddr *)&server_addr, sizeof(server_addr));
	for (int i = 0; i < 10; i++)
		pump();
	return true;
}

/* One request on the kept-alive connection; true when a whole 200 came. */
bool bench_http_request(void)
{
	static char buf[65536];
	size_t have = 0, head = 0, want = 0;

	if (sys_write(cfd, request, sizeof(request) - 1) != (long)(sizeof(request) - 1))
		return false;
	for (int round = 0; round < 10000; round++) {
		long n = sys_read(cfd, head ? buf : buf + have,
				  head ? sizeof(buf) : sizeof(buf) - 1 - have);

		if (n == 0)
			return false;
		if (n < 0) {
			pump();
			host_clock_advance(MSEC / 10);
			continue;
		}
		if (!head) {
			char *end, *cl;

			have += (size_t)n;
			buf[have] = '\0';
			end = strstr(buf, "\r\n\r\n");
			if (!end)
				continue;
			cl = strstr(buf, "Content-Length: ");
			if (strncmp(buf, "HTTP/1.1 200", 12) || !cl)
				return false;
			head = (size_t)(end + 4 - buf);
			want = head + strtoul(cl + 16, NULL, 10);
		} else {
			have += (size_t)n;
		}
		if (have >= want)
			return have == want;
	}
	return false;
}

/* Reads fd to EOF; true when what came is a 200 with its head. */
static bool read_to_eof(int fd)
{
	static char buf[65536];
	size_t have = 0;

	for (int round = 0; round < 10000; round++) {
		long n = sys_read(fd, buf + have, sizeof(buf) - 1 - have);

		if (n == 0) {
			buf[have] = '\0';
			return !strncmp(buf, "HTTP/1.1 200", 12) && strstr(buf, "\r\n\r\n");
		}
		if (n < 0) {
			pump();
			host_clock_advance(MSEC / 10);
			continue;
		}
		have += (size_t)n;
		if (have == sizeof(buf) - 1)
			return false;
	}
	return false;
}

/* One connection: connect, request, answer, both closes. */
bool bench_http_conn_request(void)
{
	int fd = sys_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	bool ok;

	if (fd < 0)
		return false;
	/* Over loopback the handshake completes inside connect; the request
	 * follows at once, before the server runs, as ab's does. */
	sys_connect(fd, (const struct sockaddr *)&server_addr, sizeof(server_addr));
	ok = sys_write(fd, request10, sizeof(request10) - 1) == (long)(sizeof(request10) - 1) &&
	     read_to_eof(fd);
	sys_close(fd);
	for (int i = 0; i < 100 && http_server_conns(srv); i++) {
		pump();
		host_clock_advance(MSEC / 10);
	}
	return ok && !http_server_conns(srv);
}
