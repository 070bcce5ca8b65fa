/*
 * The HTTP scenario of bench_net: the server of apps/http_*.c on the host
 * stack, a client on a keep-alive loopback connection sending
 * "GET / HTTP/1.1" and reading the whole answer, driven like the
 * application loop drives the server (epoll_wait, http_server_event,
 * http_server_tick).  One unit is one request: client and server sides
 * of TCP over loopback, the parser, the response and the copies.
 */
#include "tests/bench/bench_http.h"

#include <stdlib.h>
#include <string.h>

#include "apps/http.h"
#include "kernel/errno.h"
#include "net/core/byteorder.h"
#include "net/core/sock.h"
#include "net/eventpoll.h"
#include "net/ipv4/devinet.h"
#include "net/socket.h"
#include "tests/host/net_platform_host.h"
#include "tests/host/test_ipv4_util.h"

static struct http_server *srv;
static int epfd = -1, cfd = -1;
static const char request[] = "GET / HTTP/1.1\r\nHost: 198.18.0.2\r\n\r\n";

static void pump(void)
{
	struct epoll_event ev[32];
	int n = sys_epoll_wait(epfd, ev, 32, 0);

	for (int i = 0; i < n; i++)
		http_server_event(srv, ev[i].data.fd, ev[i].events);
	http_server_tick(srv);
}

bool bench_http_setup(void)
{
	struct http_config cfg;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(HTTP_PORT),
				 .sin_addr = { htonl(INADDR_LOOPBACK) } };

	http_config_default(&cfg);
	epfd = sys_epoll_create1(0);
	if (epfd < 0 || http_server_start(&srv, epfd, &cfg))
		return false;
	cfd = sys_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (cfd < 0)
		return false;
	sys_connect(cfd, (struct sockaddr *)&a, sizeof(a));
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
