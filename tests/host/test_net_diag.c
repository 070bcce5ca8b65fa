/*
 * Socket listing (net/ipv4/inet_diag.h) over loopback: a TCP listener with
 * one connection waiting in its accept queue, an accepted pair with
 * unread bytes, a bound UDP socket, a raw ICMP socket with a datagram
 * queued, a TIME_WAIT sock after an active close, a request sock
 * (SYN_RECV) from a SYN on eth0, and sock_for_each stopping when its
 * callback says so.
 */
#include "net/ipv4/inet_diag.h"

#include "kernel/errno.h"
#include "net/core/byteorder.h"
#include "net/core/netdevice.h"
#include "net/core/sock.h"
#include "net/ipv4/devinet.h"
#include "net/ipv4/ip.h"
#include "net/ipv4/raw.h"
#include "net/socket.h"
#include "tests/host/check.h"
#include "tests/host/net_platform_host.h"
#include "tests/host/test_ipv4_util.h"
#include "tests/host/test_tcp_util.h"

#define OURS	IPT_ADDR(198, 18, 0, 2)
#define LO	INADDR_LOOPBACK
#define LIST_MAX	16

/* What one sock_for_each call saw. */
struct diag_list {
	struct sock_info si[LIST_MAX];
	int n;
	int stop_after;		/* 0: never stop */
};

static int diag_collect(const struct sock_info *si, void *arg)
{
	struct diag_list *l = arg;

	CHECK(l->n < LIST_MAX);
	if (l->n < LIST_MAX)
		l->si[l->n++] = *si;
	return l->stop_after && l->n == l->stop_after ? 7 : 0;
}

static int diag_list(struct diag_list *l, int stop_after)
{
	int r;

	l->n = 0;
	l->stop_after = stop_after;
	net_bh_disable();
	r = sock_for_each(diag_collect, l);
	net_bh_enable();
	return r;
}

/* The entry with this protocol, state name and local port, or NULL. */
static const struct sock_info *diag_find(const struct diag_list *l, const char *proto,
					 const char *state, uint16_t lport)
{
	for (int i = 0; i < l->n; i++) {
		const struct sock_info *si = &l->si[i];

		if (!strcmp(si->proto_name, proto) && !strcmp(si->state_name, state) &&
		    si->lport == lport)
			return si;
	}
	return NULL;
}

static struct sockaddr_in in4(uint32_t addr, uint16_t port)
{
	struct sockaddr_in s = { .sin_family = AF_INET, .sin_port = htons(port),
				 .sin_addr = { htonl(addr) } };
	return s;
}

#define SA(s) ((struct sockaddr *)&(s))

/* A socket of type bound to addr:port (listening with backlog 16 if TCP). */
static int bound(int type, uint32_t addr, uint16_t port)
{
	struct sockaddr_in a = in4(addr, port);
	int fd = sys_socket(AF_INET, type, 0);

	CHECK(fd >= 0);
	CHECK_EQ(sys_bind(fd, SA(a), sizeof(a)), 0);
	if (type == SOCK_STREAM)
		CHECK_EQ(sys_listen(fd, 16), 0);
	return fd;
}

static int connected(uint16_t port)
{
	struct sockaddr_in a = in4(LO, port);
	int fd = sys_socket(AF_INET, SOCK_STREAM, 0);

	CHECK(fd >= 0);
	CHECK_EQ(sys_connect(fd, SA(a), sizeof(a)), 0);
	return fd;
}

/* The listener, the accepted pair (5 bytes unread at the server), UDP
 * and raw. */
static void check_open(const struct diag_list *l, uint16_t cport)
{
	const struct sock_info *si;

	CHECK_EQ(l->n, 7);	/* listener, 2 client + 2 server ends, UDP, raw */
	si = diag_find(l, "tcp", "LISTEN", 8000);
	CHECK(si && si->laddr == 0 && si->raddr == 0 && si->rport == 0);
	CHECK(si && si->recv_q == 1 && si->send_q == 16);
	si = diag_find(l, "tcp", "ESTABLISHED", cport);
	CHECK(si && si->laddr == LO && si->raddr == LO && si->rport == 8000);
	CHECK(si && si->recv_q == 0 && si->send_q == 0);
	si = diag_find(l, "udp", "UNCONN", 9000);
	CHECK(si && si->protocol == IPPROTO_UDP && si->laddr == 0 && si->rport == 0);
	CHECK(si && si->recv_q == 0);
	si = diag_find(l, "raw", "UNCONN", IPPROTO_ICMP);
	CHECK(si && si->protocol == IPPROTO_RAW && si->laddr == 0 && si->raddr == 0);
	CHECK(si && si->recv_q > 0);
	for (int i = 0; i < l->n; i++) {
		si = &l->si[i];
		if (si->lport == 8000 && si->rport == cport)
			CHECK_EQ(si->recv_q, 5);
	}
}

static void test_list(void)
{
	struct ipt_env env;
	struct sockaddr_in name;
	socklen_t nlen = sizeof(name);
	struct diag_list l;
	struct sockaddr_in lo = in4(LO, 0);
	int lfd, c, s, c2, u, r;
	char buf[8];

	ipt_setup(&env, OURS, 24, 0);
	lfd = bound(SOCK_STREAM, 0, 8000);
	u = bound(SOCK_DGRAM, 0, 9000);
	/* Its own echo request to 127.0.0.1 and the reply wait unread. */
	r = sys_socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	CHECK_EQ(sys_sendto(r, "\x08\0\xf7\xff\0\0\0\0", 8, 0, SA(lo), sizeof(lo)), 8);
	c = connected(8000);
	s = sys_accept(lfd, NULL, NULL);
	CHECK(s >= 0);
	c2 = connected(8000);		/* stays in the accept queue */
	CHECK_EQ(sys_write(c, "hello", 5), 5);
	host_clock_advance(40 * MSEC);	/* the server's delayed ACK of a first request */
	CHECK_EQ(sys_getsockname(c, SA(name), &nlen), 0);
	CHECK_EQ(diag_list(&l, 0), 0);
	check_open(&l, ntohs(name.sin_port));
	CHECK_EQ(diag_list(&l, 2), 7);
	CHECK_EQ(l.n, 2);
	/* Active close by the client once the server has read everything (a
	 * close with unread bytes would reset): its end waits in TIME_WAIT. */
	CHECK_EQ(sys_read(s, buf, sizeof(buf)), 5);
	sys_close(c);
	sys_close(s);
	sys_close(c2);
	sys_close(lfd);
	sys_close(u);
	sys_close(r);
	CHECK_EQ(diag_list(&l, 0), 0);
	CHECK(diag_find(&l, "tcp", "TIME_WAIT", ntohs(name.sin_port)) != NULL);
	CHECK(diag_find(&l, "tcp", "LISTEN", 8000) == NULL);
	CHECK(diag_find(&l, "udp", "UNCONN", 9000) == NULL);
	host_clock_advance(300 * SEC);
	CHECK_EQ(diag_list(&l, 0), 0);
	CHECK_EQ(l.n, 0);
	CHECK_EQ(fd_count(), 0);
	CHECK_EQ(sk_accounting()->socks_alive, 0);
	ipt_teardown(&env);
}

static void test_state_names(void)
{
	CHECK(!strcmp(sock_state_name(TCP_LISTEN), "LISTEN"));
	CHECK(!strcmp(sock_state_name(TCP_CLOSE_WAIT), "CLOSE_WAIT"));
	CHECK(!strcmp(sock_state_name(0), "?"));
	CHECK(!strcmp(sock_state_name(TCP_MAX_STATES), "?"));
}

/* A SYN answered by a listener: the request sock is listed after it as
 * SYN_RECV until the handshake completes. */
static void test_syn_recv(void)
{
	struct tcpt_seg syn = { .sport = 41000, .dport = 80, .seq = 10, .flags = TCPHDR_SYN,
				.win = 65535, .mss = 1460, .wscale = -1 }, got;
	const struct sock_info *si;
	struct diag_list l;
	struct ipt_env env;
	struct sock *lsk;

	tcpt_setup(&env);
	lsk = tcpt_listen(80, 4);
	tcpt_inject(&env, &syn);
	CHECK(tcpt_pop(&env, &got));
	CHECK_EQ(diag_list(&l, 0), 0);
	CHECK_EQ(l.n, 2);
	CHECK(!strcmp(l.si[0].state_name, "LISTEN"));
	si = diag_find(&l, "tcp", "SYN_RECV", 80);
	CHECK(si == &l.si[1]);
	CHECK(si && si->state == TCP_SYN_RECV && si->laddr == TCPT_OURS &&
	      si->raddr == TCPT_PEER && si->rport == 41000 && si->recv_q == 0 && si->send_q == 0);
	/* A callback that stops at the request sock stops the walk there. */
	CHECK_EQ(diag_list(&l, 2), 7);
	tcpt_close(lsk);
	CHECK_EQ(diag_list(&l, 0), 0);
	CHECK_EQ(l.n, 0);
	tcpt_teardown(&env);
}

int main(void)
{
	test_state_names();
	test_list();
	test_syn_recv();
	return check_report();
}
