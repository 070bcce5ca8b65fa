/*
 * The HTTP server (apps/http_*.c) on the host stack over loopback, driven
 * like the application loop drives it (epoll_wait, http_server_event,
 * http_server_tick) with the fake clock: static files with their heads,
 * keep-alive reuse, pipelined requests answered in order, HTTP/1.0
 * closes, 304, 206/416, /bytes/N framing (body checked against the
 * pattern, HEAD of a 5 GB body), error statuses closing the connection,
 * slowloris and idle timeouts, the connection cap's 503, /metrics and
 * /stats, and everything freed at the end.
 */
#include <stdlib.h>

#include "apps/http.h"
#include "apps/http_static.h"
#include "kernel/errno.h"
#include "net/core/byteorder.h"
#include "net/core/sock.h"
#include "net/eventpoll.h"
#include "net/ipv4/devinet.h"
#include "net/socket.h"
#include "tests/host/check.h"
#include "tests/host/net_platform_host.h"
#include "tests/host/test_ipv4_util.h"

#define OURS		IPT_ADDR(198, 18, 0, 2)
#define BODY_KEEP	(256 * 1024)
#define ROUNDS		20000

static struct http_server *srv;
static int epfd;

struct resp {
	int status;
	char head[2048];
	char body[BODY_KEEP];
	uint64_t body_len;		/* received, all of it (body keeps a prefix) */
	bool pattern_ok;		/* body matched the /bytes pattern */
	bool closed;			/* the server closed after the answer */
};
static struct resp R;

static void pump(void)
{
	struct epoll_event ev[32];
	int n = sys_epoll_wait(epfd, ev, 32, 0);

	for (int i = 0; i < n; i++)
		CHECK(http_server_event(srv, ev[i].data.fd, ev[i].events));
	http_server_tick(srv);
}

static void start(unsigned int max_conns)
{
	struct http_config cfg;

	http_config_default(&cfg);
	cfg.max_conns = max_conns;
	cfg.boot_epoch = 784111777;
	epfd = sys_epoll_create1(0);
	CHECK(epfd >= 0);
	CHECK_EQ(http_server_start(&srv, epfd, &cfg), 0);
}

static void stop(void)
{
	http_server_stop(srv);
	sys_close(epfd);
}

static int client(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(HTTP_PORT),
				 .sin_addr = { htonl(INADDR_LOOPBACK) } };
	int fd = sys_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

	sys_connect(fd, (struct sockaddr *)&a, sizeof(a));
	for (int i = 0; i < 10; i++)
		pump();
	return fd;
}

static void send_str(int fd, const char *s)
{
	CHECK_EQ(sys_write(fd, s, strlen(s)), (long)strlen(s));
}

static uint64_t header_u64(const char *head, const char *name)
{
	const char *p = strstr(head, name);

	return p ? strtoull(p + strlen(name), NULL, 10) : UINT64_MAX;
}

static bool pattern_check(const char *p, size_t n, uint64_t off)
{
	static const char alphabet[] =
		"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-";

	for (size_t i = 0; i < n; i++) {
		size_t k = (off + i) % 64;

		if (p[i] != (k == 63 ? '\n' : alphabet[k]))
			return false;
	}
	return true;
}

/* Reads one answer: the head, then Content-Length bytes of body (none if
 * no_body).  Leaves R filled; status -1 if nothing complete arrived. */
static void read_resp(int fd, bool no_body)
{
	static char buf[65536];
	size_t hlen = 0;
	uint64_t want = 0;
	bool in_body = false;

	memset(&R, 0, sizeof(R));	/* bodies are compared as strings too */
	R.status = -1;
	R.pattern_ok = true;
	for (int round = 0; round < ROUNDS; round++) {
		size_t cap = in_body ? sizeof(buf) : 1;	/* the head a byte at a time */
		long n;

		if (in_body && R.body_len == want)
			return;
		n = sys_read(fd, buf, in_body && want - R.body_len < cap ? want - R.body_len : cap);
		if (n == 0) {
			R.closed = true;
			return;
		}
		if (n < 0) {
			pump();
			host_clock_advance(MSEC / 10);
			continue;
		}
		if (!in_body) {
			R.head[hlen++] = buf[0];
			if (hlen < 4 || memcmp(R.head + hlen - 4, "\r\n\r\n", 4))
				continue;
			R.status = atoi(R.head + 9);
			want = no_body || R.status == 304 ? 0 : header_u64(R.head, "Content-Length: ");
			in_body = true;
			continue;
		}
		if (R.body_len < BODY_KEEP - 1)
			memcpy(R.body + R.body_len, buf, (size_t)n < BODY_KEEP - 1 - R.body_len ?
			       (size_t)n : BODY_KEEP - 1 - R.body_len);
		R.pattern_ok = R.pattern_ok && pattern_check(buf, (size_t)n, R.body_len);
		R.body_len += (uint64_t)n;
	}
}

/* True if the server closes fd (EOF) within a few rounds. */
static bool closed_by_server(int fd)
{
	char c;

	for (int i = 0; i < 200; i++) {
		long n = sys_read(fd, &c, 1);

		if (n == 0 || n == -ECONNRESET)
			return true;
		if (n > 0)
			return false;
		pump();
		host_clock_advance(MSEC);
	}
	return false;
}

static void test_static_and_keepalive(void)
{
	const struct http_file *index = http_static_lookup("/");
	int fd;

	start(HTTP_MAX_CONNS);
	fd = client();
	CHECK(index != NULL);
	send_str(fd, "GET / HTTP/1.1\r\nHost: t\r\n\r\n");
	read_resp(fd, false);
	CHECK_EQ(R.status, 200);
	CHECK_EQ(R.body_len, index->len);
	CHECK(!memcmp(R.body, index->data, index->len));
	CHECK(strstr(R.head, "Server: synack\r\n"));
	CHECK(strstr(R.head, "Date: Sun, 06 Nov 1994 08:49:"));
	CHECK(strstr(R.head, "Content-Type: text/html; charset=utf-8\r\n"));
	CHECK(strstr(R.head, index->etag));
	CHECK(!strstr(R.head, "Connection:"));
	/* the same connection again: keep-alive */
	send_str(fd, "HEAD /style.css HTTP/1.1\r\nHost: t\r\n\r\n");
	read_resp(fd, true);
	CHECK_EQ(R.status, 200);
	CHECK_EQ(header_u64(R.head, "Content-Length: "), http_static_lookup("/style.css")->len);
	CHECK(strstr(R.head, "Content-Type: text/css"));
	send_str(fd, "GET /nope.html HTTP/1.1\r\nHost: t\r\n\r\n");
	read_resp(fd, false);
	CHECK_EQ(R.status, 404);
	CHECK(!closed_by_server(fd));
	CHECK_EQ(http_server_stats(srv)->Accepted, 1);
	CHECK_EQ(http_server_stats(srv)->Requests, 3);
	CHECK_EQ(http_server_stats(srv)->Resp4xx, 1);
	sys_close(fd);
	for (int i = 0; i < 50 && http_server_conns(srv); i++) {
		pump();
		host_clock_advance(MSEC);
	}
	CHECK_EQ(http_server_conns(srv), 0);
	stop();
}

static void test_pipelining_and_http10(void)
{
	int fd;

	start(HTTP_MAX_CONNS);
	fd = client();
	send_str(fd, "GET /robots.txt HTTP/1.1\r\nHost: t\r\n\r\nGET /missing HTTP/1.1\r\nHost: t\r\n\r\n"
		     "HEAD /robots.txt HTTP/1.1\r\nHost: t\r\n\r\nGET /favicon.svg HTTP/1.1\r\nHost: t\r\n\r\n");
	read_resp(fd, false);
	CHECK_EQ(R.status, 200);
	CHECK(!memcmp(R.body, "User-agent", 10));
	read_resp(fd, false);
	CHECK_EQ(R.status, 404);
	read_resp(fd, true);
	CHECK_EQ(R.status, 200);
	read_resp(fd, false);
	CHECK_EQ(R.status, 200);
	CHECK(!memcmp(R.body, "<svg", 4));
	/* HTTP/1.0: closes unless asked; keep-alive when asked */
	send_str(fd, "GET /robots.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
	read_resp(fd, false);
	CHECK(strstr(R.head, "Connection: keep-alive\r\n"));
	send_str(fd, "GET /robots.txt HTTP/1.0\r\n\r\n");
	read_resp(fd, false);
	CHECK_EQ(R.status, 200);
	CHECK(strstr(R.head, "Connection: close\r\n"));
	CHECK(closed_by_server(fd));
	sys_close(fd);
	stop();
}

static void test_conditional_and_ranges(void)
{
	const struct http_file *f = http_static_lookup("/robots.txt");
	char req[256];
	int fd;

	start(HTTP_MAX_CONNS);
	fd = client();
	snprintf(req, sizeof(req), "GET /robots.txt HTTP/1.1\r\nHost: t\r\nIf-None-Match: \"x\", %s\r\n\r\n",
		 f->etag);
	send_str(fd, req);
	read_resp(fd, false);
	CHECK_EQ(R.status, 304);
	CHECK(strstr(R.head, f->etag));
	CHECK(!strstr(R.head, "Content-Length"));
	send_str(fd, "GET /robots.txt HTTP/1.1\r\nHost: t\r\nRange: bytes=5-9\r\n\r\n");
	read_resp(fd, false);
	CHECK_EQ(R.status, 206);
	CHECK_EQ(R.body_len, 5);
	CHECK(!memcmp(R.body, f->data + 5, 5));
	snprintf(req, sizeof(req), "Content-Range: bytes 5-9/%zu\r\n", f->len);
	CHECK(strstr(R.head, req));
	send_str(fd, "GET /robots.txt HTTP/1.1\r\nHost: t\r\nRange: bytes=-3\r\n\r\n");
	read_resp(fd, false);
	CHECK_EQ(R.status, 206);
	CHECK(!memcmp(R.body, f->data + f->len - 3, 3));
	send_str(fd, "GET /robots.txt HTTP/1.1\r\nHost: t\r\nRange: bytes=9999-\r\n\r\n");
	read_resp(fd, false);
	CHECK_EQ(R.status, 416);
	snprintf(req, sizeof(req), "Content-Range: bytes */%zu\r\n", f->len);
	CHECK(strstr(R.head, req));
	/* If-Range that does not match: the whole file */
	send_str(fd, "GET /robots.txt HTTP/1.1\r\nHost: t\r\nRange: bytes=0-1\r\nIf-Range: \"old\"\r\n\r\n");
	read_resp(fd, false);
	CHECK_EQ(R.status, 200);
	CHECK_EQ(R.body_len, f->len);
	/* Range on HEAD is ignored */
	send_str(fd, "HEAD /robots.txt HTTP/1.1\r\nHost: t\r\nRange: bytes=0-1\r\n\r\n");
	read_resp(fd, true);
	CHECK_EQ(R.status, 200);
	sys_close(fd);
	stop();
}

static void test_bytes(void)
{
	int fd;

	start(HTTP_MAX_CONNS);
	fd = client();
	send_str(fd, "GET /bytes/3000001 HTTP/1.1\r\nHost: t\r\n\r\n");
	read_resp(fd, false);
	CHECK_EQ(R.status, 200);
	CHECK_EQ(header_u64(R.head, "Content-Length: "), 3000001);
	CHECK_EQ(R.body_len, 3000001);
	CHECK(R.pattern_ok);
	send_str(fd, "GET /bytes/0 HTTP/1.1\r\nHost: t\r\n\r\n");
	read_resp(fd, false);
	CHECK_EQ(R.status, 200);
	CHECK_EQ(R.body_len, 0);
	send_str(fd, "HEAD /bytes/5000000000 HTTP/1.1\r\nHost: t\r\n\r\n");
	read_resp(fd, true);
	CHECK_EQ(header_u64(R.head, "Content-Length: "), 5000000000ull);
	send_str(fd, "GET /bytes/18446744073709551616 HTTP/1.1\r\nHost: t\r\n\r\n");
	read_resp(fd, false);
	CHECK_EQ(R.status, 404);
	send_str(fd, "GET /bytes/12x HTTP/1.1\r\nHost: t\r\n\r\n");
	read_resp(fd, false);
	CHECK_EQ(R.status, 404);
	/* the same connection still frames correctly */
	send_str(fd, "GET /bytes/100 HTTP/1.1\r\nHost: t\r\n\r\n");
	read_resp(fd, false);
	CHECK_EQ(R.body_len, 100);
	CHECK(R.pattern_ok);
	CHECK(http_server_stats(srv)->BodyBytes >= 3000101);
	sys_close(fd);
	stop();
}

/* Each bad request gets its status on a fresh connection, which closes. */
static void expect_error(const char *req, int status)
{
	int fd = client();

	send_str(fd, req);
	read_resp(fd, false);
	CHECK_EQ(R.status, status);
	CHECK(strstr(R.head, "Connection: close\r\n"));
	CHECK(closed_by_server(fd));
	sys_close(fd);
}

static void test_errors(void)
{
	static char big[20000];

	start(HTTP_MAX_CONNS);
	expect_error("GET / HTTP/1.1\r\n\r\n", 400);
	expect_error("GET /../etc/passwd HTTP/1.1\r\nHost: t\r\n\r\n", 400);
	expect_error("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc", 405);
	CHECK(strstr(R.head, "Allow: GET, HEAD\r\n"));
	expect_error("BREW / HTTP/1.1\r\nHost: t\r\n\r\n", 501);
	expect_error("GET / HTTP/2.0\r\n\r\n", 505);
	snprintf(big, sizeof(big), "GET / HTTP/1.1\r\nHost: t\r\nX: %017000d\r\n\r\n", 0);
	expect_error(big, 431);
	CHECK_EQ(http_server_stats(srv)->ParseErrors, 6);
	CHECK_EQ(http_server_stats(srv)->Resp4xx, 4);
	CHECK_EQ(http_server_stats(srv)->Resp5xx, 2);
	stop();
}

static void test_timeouts(void)
{
	int slow, idle;

	start(HTTP_MAX_CONNS);
	slow = client();
	idle = client();
	send_str(slow, "GET / HTTP/1.1\r\nHo");
	pump();
	/* a byte every second keeps it under the idle limit, not the header one */
	for (int i = 0; i < 9; i++) {
		send_str(slow, "s");
		host_clock_advance(SEC);
		pump();
	}
	CHECK_EQ(http_server_conns(srv), 2);
	host_clock_advance(2 * SEC);
	pump();
	CHECK(closed_by_server(slow));
	CHECK_EQ(http_server_stats(srv)->HeaderTimeouts, 1);
	CHECK_EQ(http_server_conns(srv), 1);
	host_clock_advance(20 * SEC);
	pump();
	CHECK(closed_by_server(idle));
	CHECK_EQ(http_server_stats(srv)->IdleTimeouts, 1);
	CHECK_EQ(http_server_conns(srv), 0);
	sys_close(slow);
	sys_close(idle);
	stop();
}

static void test_cap(void)
{
	int a, b, c;

	start(2);
	a = client();
	b = client();
	c = client();
	read_resp(c, false);
	CHECK_EQ(R.status, 503);
	CHECK(strstr(R.head, "Retry-After: 1\r\n"));
	CHECK(closed_by_server(c));
	CHECK_EQ(http_server_stats(srv)->Overloaded, 1);
	send_str(a, "GET /robots.txt HTTP/1.1\r\nHost: t\r\n\r\n");
	read_resp(a, false);
	CHECK_EQ(R.status, 200);
	sys_close(a);
	sys_close(b);
	sys_close(c);
	stop();
}

static void test_metrics_stats(void)
{
	int fd, old;

	start(HTTP_MAX_CONNS);
	/* A finished HTTP/1.0 exchange: the server closed first, so its end
	 * waits in TIME_WAIT, held by no descriptor, and is listed still. */
	old = client();
	send_str(old, "GET / HTTP/1.0\r\n\r\n");
	read_resp(old, false);
	CHECK_EQ(R.status, 200);
	sys_close(old);
	fd = client();
	send_str(fd, "GET /metrics HTTP/1.1\r\nHost: t\r\n\r\n");
	read_resp(fd, false);
	CHECK_EQ(R.status, 200);
	CHECK(strstr(R.head, "Content-Type: text/plain; version=0.0.4"));
	CHECK(strstr(R.body, "# TYPE synack_snmp untyped\n"));
	CHECK(strstr(R.body, "synack_snmp{family=\"Http\",counter=\"Requests\"} 2\n"));
	CHECK(strstr(R.body, "synack_snmp{family=\"Tcp\",counter=\"ActiveOpens\"} "));
	CHECK(strstr(R.body, "synack_netdev{device=\"eth0\",counter=\"rx_packets\"} "));
	CHECK(strstr(R.body, "synack_http_connections 1\n"));
	CHECK(strstr(R.body, "synack_sockets{proto=\"tcp\",state=\"LISTEN\"} 1\n"));
	CHECK(strstr(R.body, "synack_sockets{proto=\"tcp\",state=\"ESTABLISHED\"} 2\n"));
	CHECK(strstr(R.body, "synack_sockets{proto=\"tcp\",state=\"TIME_WAIT\"} 1\n"));
	CHECK(strstr(R.body, "synack_socket_queue_bytes{proto=\"tcp\",state=\"LISTEN\","
		     "local=\"0.0.0.0:80\",peer=\"0.0.0.0:0\",queue=\"send\"} "));
	CHECK(strstr(R.body, "synack_sockets_not_listed 0\n"));
	send_str(fd, "GET /stats HTTP/1.1\r\nHost: t\r\n\r\n");
	read_resp(fd, false);
	CHECK_EQ(R.status, 200);
	CHECK(R.body[0] == '{' && R.body[R.body_len - 2] == '}');
	CHECK(strstr(R.body, "\"addresses\":[\"198.18.0.2/24\"]"));
	CHECK(strstr(R.body, "\"dst\":\"198.18.0.0/24\""));
	CHECK(strstr(R.body, "\"state\":\"LISTEN\",\"local\":\"0.0.0.0:80\""));
	CHECK(strstr(R.body, "\"state\":\"ESTABLISHED\",\"local\":\"127.0.0.1:80\""));
	CHECK(strstr(R.body, "\"state\":\"TIME_WAIT\",\"local\":\"127.0.0.1:80\""));
	CHECK(strstr(R.body, "\"sockets_not_listed\":0"));
	CHECK(strstr(R.body, "\"Http\":{\"Accepted\":2,"));
	sys_close(fd);
	stop();
}

int main(void)
{
	static void (*const tests[])(void) = {
		test_static_and_keepalive, test_pipelining_and_http10,
		test_conditional_and_ranges, test_bytes, test_errors, test_timeouts,
		test_cap, test_metrics_stats,
	};

	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		struct ipt_env env;

		ipt_setup(&env, OURS, 24, 0);
		CHECK_EQ(dev_set_mtu(inet_loopback_dev(), 16436), 0);
		tests[i]();
		host_clock_advance(300 * SEC);
		CHECK_EQ(fd_count(), 0);
		CHECK_EQ(sk_accounting()->socks_alive, 0);
		ipt_teardown(&env);
	}
	return check_report();
}
