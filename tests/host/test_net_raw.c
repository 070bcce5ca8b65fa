/*
 * Raw sockets (net/ipv4/raw.h) through the socket API: which protocols
 * socket() takes; an echo request from the wire reaches every raw ICMP
 * socket as IP header + payload with its source, while ICMP still
 * answers it; filtering by protocol, bound address and connected peer; an
 * unknown protocol with a raw socket is not answered with protocol
 * unreachable; SO_RCVBUF bounds the queue with counted drops; sendto
 * builds the IP header around the caller's bytes; connect/send and its
 * errors; blocking recv (timeout, wakeup), O_NONBLOCK and epoll; a ping of
 * 127.0.0.1 matched by id and seq; ICMP_FILTER; ICMP errors about a raw
 * socket's datagrams.
 */
#include "net/ipv4/raw.h"

#include "kernel/errno.h"
#include "net/core/byteorder.h"
#include "net/core/checksum.h"
#include "net/core/sock.h"
#include "net/ethernet/eth.h"
#include "net/eventpoll.h"
#include "net/ipv4/icmp.h"
#include "net/ipv4/snmp.h"
#include "net/socket.h"
#include "tests/host/check.h"
#include "tests/host/net_platform_host.h"
#include "tests/host/test_ipv4_util.h"

#define A IPT_ADDR
#define OURS	A(198, 18, 0, 2)
#define PEER	A(198, 18, 0, 1)
#define PEER2	A(198, 18, 0, 3)
#define PROTO_TEST	253
#define IP_HDRINCL	3

static uint8_t pkt[4096], msg[4096], buf[4096];

static struct sockaddr_in in4(uint32_t addr)
{
	struct sockaddr_in s = { .sin_family = AF_INET, .sin_addr = { htonl(addr) } };
	return s;
}

#define SA(s) ((struct sockaddr *)&(s))

static void setup(struct ipt_env *env)
{
	ipt_setup(env, OURS, 24, 0);
	ipt_learn_peer(env, PEER);
	memset(&raw_statistics, 0, sizeof(raw_statistics));
}

static void teardown(struct ipt_env *env)
{
	CHECK_EQ(fd_count(), 0);
	CHECK_EQ(sk_accounting()->socks_alive, 0);
	ipt_teardown(env);
}

static int raw_socket(int protocol, int flags)
{
	int fd = sys_socket(AF_INET, SOCK_RAW | flags, protocol);

	CHECK(fd >= 0);
	return fd;
}

/* An echo request of plen bytes from saddr to daddr, injected on eth0. */
static void inject_echo(struct ipt_env *env, uint32_t saddr, uint32_t daddr, uint16_t seq,
			size_t plen)
{
	struct ip4_hdr_info h = { .saddr = saddr, .daddr = daddr, .protocol = IPPROTO_ICMP };
	size_t n = ipt_build_echo(msg, 0x1234, seq, plen);

	ipt_inject_ip(env, pkt, ipt_build_ip(pkt, h, msg, n));
}

static void inject_proto(struct ipt_env *env, uint8_t protocol, const char *data)
{
	struct ip4_hdr_info h = { .saddr = PEER, .daddr = OURS, .protocol = protocol };

	ipt_inject_ip(env, pkt, ipt_build_ip(pkt, h, data, strlen(data)));
}

/* Pops every sent frame; returns how many were ICMP of the given type. */
static unsigned int pop_icmp(struct ipt_env *env, uint8_t type)
{
	unsigned int n = 0;
	struct sk_buff *skb;

	while ((skb = ipt_pop(env)) != NULL) {
		struct ip4_hdr_info h;
		const uint8_t *p;

		if (ipt_frame_ip(skb, &h, &p) && h.protocol == IPPROTO_ICMP && p[0] == type)
			n++;
		kfree_skb(skb);
	}
	return n;
}

static void test_create(void)
{
	struct ipt_env env;
	int one = 1, fd;

	setup(&env);
	CHECK_EQ(sys_socket(AF_INET, SOCK_RAW, 0), -EPROTONOSUPPORT);
	CHECK_EQ(sys_socket(AF_INET, SOCK_RAW, IPPROTO_RAW), -EPROTONOSUPPORT);
	CHECK_EQ(sys_socket(AF_INET, SOCK_RAW, 256), -EINVAL);
	fd = raw_socket(IPPROTO_ICMP, 0);
	/* No IP_HDRINCL: the kernel always builds the header. */
	CHECK_EQ(sys_setsockopt(fd, IPPROTO_IP, IP_HDRINCL, &one, sizeof(one)), -ENOPROTOOPT);
	CHECK_EQ(sys_listen(fd, 1), -EOPNOTSUPP);
	CHECK_EQ(sys_close(fd), 0);
	fd = raw_socket(IPPROTO_TCP, 0);
	CHECK_EQ(sys_close(fd), 0);
	teardown(&env);
}

/* Checks that fd holds the echo request inject_echo sent with seq. */
static void check_echo_copy(int fd, uint32_t from_addr, uint16_t seq, size_t plen)
{
	struct sockaddr_in from;
	socklen_t flen = sizeof(from);
	struct ip4_hdr_info h;
	long n = sys_recvfrom(fd, buf, sizeof(buf), 0, SA(from), &flen);

	CHECK_EQ(n, (long)(IP_HDR_LEN + 8 + plen));
	CHECK_EQ(ip4_parse(buf, (size_t)n, &h), 0);
	CHECK_EQ(h.protocol, IPPROTO_ICMP);
	CHECK_EQ(h.saddr, from_addr);
	CHECK_EQ(buf[IP_HDR_LEN], ICMP_ECHO);
	CHECK_EQ(get_be16(buf + IP_HDR_LEN + 6), seq);
	CHECK_EQ(flen, sizeof(from));
	CHECK_EQ(from.sin_family, AF_INET);
	CHECK_EQ(ntohl(from.sin_addr.s_addr), from_addr);
	CHECK_EQ(from.sin_port, 0);
}

static void test_deliver(void)
{
	struct ipt_env env;
	int a, b, u;

	setup(&env);
	a = raw_socket(IPPROTO_ICMP, SOCK_NONBLOCK);
	b = raw_socket(IPPROTO_ICMP, SOCK_NONBLOCK);
	u = raw_socket(IPPROTO_UDP, SOCK_NONBLOCK);
	inject_echo(&env, PEER, OURS, 1, 32);
	/* ICMP still answers: raw sockets get copies beside the handler. */
	CHECK_EQ(pop_icmp(&env, ICMP_ECHOREPLY), 1);
	check_echo_copy(a, PEER, 1, 32);
	check_echo_copy(b, PEER, 1, 32);
	CHECK_EQ(sys_recv(a, buf, sizeof(buf), 0), -EAGAIN);
	CHECK_EQ(sys_recv(u, buf, sizeof(buf), 0), -EAGAIN);
	CHECK_EQ(raw_statistics.InDelivers, 2);
	/* A short buffer gets the start of the datagram; MSG_PEEK keeps it. */
	inject_echo(&env, PEER, OURS, 2, 100);
	ipt_drain(&env);
	CHECK_EQ(sys_recv(a, buf, 10, MSG_PEEK), 10);
	CHECK_EQ(sys_recv(a, buf, 10, 0), 10);
	CHECK_EQ(buf[0], 0x45);
	CHECK_EQ(sys_recv(a, buf, sizeof(buf), 0), -EAGAIN);
	sys_close(a);
	sys_close(b);
	sys_close(u);
	teardown(&env);
}

static void test_filter(void)
{
	struct ipt_env env;
	struct sockaddr_in ours = in4(OURS), lo = in4(INADDR_LOOPBACK), peer = in4(PEER),
			   peer2 = in4(PEER2);
	int bound_ours, bound_lo, conn_peer, conn_peer2;

	setup(&env);
	bound_ours = raw_socket(IPPROTO_ICMP, SOCK_NONBLOCK);
	bound_lo = raw_socket(IPPROTO_ICMP, SOCK_NONBLOCK);
	conn_peer = raw_socket(IPPROTO_ICMP, SOCK_NONBLOCK);
	conn_peer2 = raw_socket(IPPROTO_ICMP, SOCK_NONBLOCK);
	CHECK_EQ(sys_bind(bound_ours, SA(ours), sizeof(ours)), 0);
	CHECK_EQ(sys_bind(bound_lo, SA(lo), sizeof(lo)), 0);
	CHECK_EQ(sys_connect(conn_peer, SA(peer), sizeof(peer)), 0);
	CHECK_EQ(sys_connect(conn_peer2, SA(peer2), sizeof(peer2)), 0);
	inject_echo(&env, PEER, OURS, 7, 8);
	ipt_drain(&env);
	check_echo_copy(bound_ours, PEER, 7, 8);
	check_echo_copy(conn_peer, PEER, 7, 8);
	CHECK_EQ(sys_recv(bound_lo, buf, sizeof(buf), 0), -EAGAIN);
	CHECK_EQ(sys_recv(conn_peer2, buf, sizeof(buf), 0), -EAGAIN);
	/* Disconnect (AF_UNSPEC): the peer filter goes. */
	peer2.sin_family = AF_UNSPEC;
	CHECK_EQ(sys_connect(conn_peer2, SA(peer2), sizeof(peer2)), 0);
	inject_echo(&env, PEER, OURS, 8, 8);
	ipt_drain(&env);
	check_echo_copy(conn_peer2, PEER, 8, 8);
	sys_close(bound_ours);
	sys_close(bound_lo);
	sys_close(conn_peer);
	sys_close(conn_peer2);
	teardown(&env);
}

static void test_unknown_protocol(void)
{
	struct ipt_env env;
	uint64_t unknown;
	int fd;

	setup(&env);
	unknown = ip_statistics.InUnknownProtos;
	inject_proto(&env, PROTO_TEST, "nobody");
	CHECK_EQ(pop_icmp(&env, ICMP_DEST_UNREACH), 1);
	CHECK_EQ(ip_statistics.InUnknownProtos, unknown + 1);
	fd = raw_socket(PROTO_TEST, SOCK_NONBLOCK);
	inject_proto(&env, PROTO_TEST, "raw only");
	CHECK_EQ(pop_icmp(&env, ICMP_DEST_UNREACH), 0);
	CHECK_EQ(ip_statistics.InUnknownProtos, unknown + 1);
	CHECK_EQ(sys_recv(fd, buf, sizeof(buf), 0), (long)(IP_HDR_LEN + 8));
	CHECK(!memcmp(buf + IP_HDR_LEN, "raw only", 8));
	sys_close(fd);
	teardown(&env);
}

static void test_rcvbuf(void)
{
	struct ipt_env env;
	int small = 1, fd, got = 0, sent = 40, rcvbuf;
	socklen_t len = sizeof(rcvbuf);

	setup(&env);
	fd = raw_socket(IPPROTO_ICMP, SOCK_NONBLOCK);
	CHECK_EQ(sys_setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small)), 0);
	CHECK_EQ(sys_getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, &len), 0);
	CHECK_EQ(rcvbuf, SK_BUF_MIN);
	for (int i = 0; i < sent; i++) {
		inject_echo(&env, PEER, OURS, (uint16_t)i, 500);
		ipt_drain(&env);
	}
	while (sys_recv(fd, buf, sizeof(buf), 0) > 0)
		got++;
	CHECK(got > 0 && got < sent);
	CHECK_EQ(raw_statistics.InDelivers, (uint64_t)got);
	CHECK_EQ(raw_statistics.RcvbufErrors, (uint64_t)(sent - got));
	sys_close(fd);
	teardown(&env);
}

static void test_send(void)
{
	struct ipt_env env;
	struct sockaddr_in peer = in4(PEER), ours = in4(OURS), name;
	socklen_t nlen = sizeof(name);
	struct ip4_hdr_info h;
	const uint8_t *p;
	struct sk_buff *skb;
	size_t n = ipt_build_echo(msg, 77, 1, 24);
	int fd;

	setup(&env);
	fd = raw_socket(IPPROTO_ICMP, 0);
	CHECK_EQ(sys_send(fd, msg, n, 0), -EDESTADDRREQ);
	CHECK_EQ(sys_sendto(fd, msg, n, 0, SA(peer), sizeof(peer)), (long)n);
	skb = ipt_pop(&env);
	CHECK(skb && ipt_frame_ip(skb, &h, &p));
	CHECK_EQ(h.protocol, IPPROTO_ICMP);
	CHECK_EQ(h.saddr, OURS);
	CHECK_EQ(h.daddr, PEER);
	CHECK_EQ(h.ttl, IP_DEFAULT_TTL);
	CHECK_EQ(h.tot_len, IP_HDR_LEN + n);
	CHECK(!memcmp(p, msg, n));
	kfree_skb(skb);
	CHECK_EQ(raw_statistics.OutDatagrams, 1);
	/* Connected: send without an address; getpeername has no port. */
	CHECK_EQ(sys_bind(fd, SA(ours), sizeof(ours)), 0);
	CHECK_EQ(sys_connect(fd, SA(peer), sizeof(peer)), 0);
	CHECK_EQ(sys_getsockname(fd, SA(name), &nlen), 0);
	CHECK_EQ(ntohl(name.sin_addr.s_addr), OURS);
	CHECK_EQ(sys_getpeername(fd, SA(name), &nlen), -ENOTCONN);
	CHECK_EQ(sys_send(fd, msg, n, 0), (long)n);
	CHECK_EQ(pop_icmp(&env, ICMP_ECHO), 1);
	CHECK_EQ(sys_send(fd, msg, IP_MAX_PACKET - IP_HDR_LEN + 1, 0), -EMSGSIZE);
	CHECK_EQ(sys_shutdown(fd, SHUT_WR), 0);
	CHECK_EQ(sys_send(fd, msg, n, 0), -EPIPE);
	sys_close(fd);
	teardown(&env);
}

static struct ipt_env *hook_env;

static void hook_inject(void *ctx)
{
	(void)ctx;
	inject_echo(hook_env, PEER, OURS, 9, 16);
}

static void test_blocking(void)
{
	struct ipt_env env;
	struct epoll_event ev = { .events = EPOLLIN }, out[1];
	uint64_t timeo = 300 * MSEC, t0;
	int fd, nb, ep;

	setup(&env);
	hook_env = &env;
	fd = raw_socket(IPPROTO_ICMP, 0);
	nb = raw_socket(IPPROTO_ICMP, SOCK_NONBLOCK);
	CHECK_EQ(sys_setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeo, sizeof(timeo)), 0);
	t0 = net_now_ns();
	CHECK_EQ(sys_recv(fd, buf, sizeof(buf), 0), -EAGAIN);
	CHECK(net_now_ns() - t0 >= timeo);
	CHECK_EQ(sys_recv(nb, buf, sizeof(buf), 0), -EAGAIN);
	CHECK_EQ(sys_recv(fd, buf, sizeof(buf), MSG_DONTWAIT), -EAGAIN);
	ep = sys_epoll_create1(0);
	CHECK_EQ(sys_epoll_ctl(ep, EPOLL_CTL_ADD, nb, &ev), 0);
	CHECK_EQ(sys_epoll_wait(ep, out, 1, 0), 0);
	/* A blocked recv is woken by the datagram another "thread" injects. */
	host_set_wait_hook(hook_inject, NULL);
	CHECK_EQ(sys_recv(fd, buf, sizeof(buf), 0), (long)(IP_HDR_LEN + 8 + 16));
	ipt_drain(&env);
	CHECK_EQ(sys_epoll_wait(ep, out, 1, 0), 1);
	CHECK(out[0].events & EPOLLIN);
	CHECK_EQ(sys_recv(nb, buf, sizeof(buf), 0), (long)(IP_HDR_LEN + 8 + 16));
	CHECK_EQ(sys_epoll_wait(ep, out, 1, 0), 0);
	sys_close(ep);
	sys_close(fd);
	sys_close(nb);
	teardown(&env);
}

/* ping 127.0.0.1: the socket sees its own request (loopback) and the
 * kernel's reply; the reply is found by type, id and seq. */
static void test_ping_loopback(void)
{
	struct ipt_env env;
	struct sockaddr_in lo = in4(INADDR_LOOPBACK), from;
	socklen_t flen = sizeof(from);
	uint64_t timeo = SEC;
	size_t n = ipt_build_echo(msg, 4242, 3, 56);
	int fd, replies = 0, requests = 0;
	long r;

	setup(&env);
	fd = raw_socket(IPPROTO_ICMP, 0);
	CHECK_EQ(sys_setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeo, sizeof(timeo)), 0);
	CHECK_EQ(sys_sendto(fd, msg, n, 0, SA(lo), sizeof(lo)), (long)n);
	while ((r = sys_recvfrom(fd, buf, sizeof(buf), 0, SA(from), &flen)) > 0) {
		const uint8_t *icmp = buf + (buf[0] & 15) * 4;

		CHECK_EQ(r, (long)(IP_HDR_LEN + n));
		CHECK_EQ(ntohl(from.sin_addr.s_addr), INADDR_LOOPBACK);
		if (icmp[0] == ICMP_ECHO)
			requests++;
		if (icmp[0] == ICMP_ECHOREPLY && get_be16(icmp + 4) == 4242 &&
		    get_be16(icmp + 6) == 3 && !memcmp(icmp + 8, msg + 8, n - 8))
			replies++;
	}
	CHECK_EQ(r, -EAGAIN);
	CHECK_EQ(requests, 1);
	CHECK_EQ(replies, 1);
	sys_close(fd);
	teardown(&env);
}

/* An ICMP message of the given type/code whose body is body, from PEER. */
static void inject_icmp(struct ipt_env *env, uint8_t type, uint8_t code, const void *body,
			size_t blen)
{
	struct icmp_info ic = { .type = type, .code = code };
	struct ip4_hdr_info h = { .saddr = PEER, .daddr = OURS, .protocol = IPPROTO_ICMP };

	memcpy(msg + ICMP_HDR_LEN, body, blen);
	icmp_emit(&ic, msg, ICMP_HDR_LEN + blen);
	ipt_inject_ip(env, pkt, ipt_build_ip(pkt, h, msg, ICMP_HDR_LEN + blen));
}

/* Sends 8 bytes on the connected fd and answers the frame on the wire
 * with an ICMP error of type/code from the peer, quoting it. */
static void bounce_error(struct ipt_env *env, int fd, uint8_t type, uint8_t code)
{
	static uint8_t quote[128];
	struct ip4_hdr_info h;
	struct sk_buff *skb;

	CHECK_EQ(sys_send(fd, "payload!", 8, 0), 8);
	skb = ipt_pop(env);
	CHECK(skb && ipt_frame_ip(skb, &h, NULL));
	memcpy(quote, skb->data + ETH_HLEN, h.tot_len);
	kfree_skb(skb);
	inject_icmp(env, type, code, quote, h.tot_len);
}

static void test_icmp_filter(void)
{
	struct ipt_env env;
	struct icmp_filter f = { 1u << ICMP_ECHO }, got;
	socklen_t len = sizeof(got);
	uint8_t quote[IP_HDR_LEN + 8];
	int fd, other;

	setup(&env);
	fd = raw_socket(IPPROTO_ICMP, SOCK_NONBLOCK);
	CHECK_EQ(sys_getsockopt(fd, SOL_RAW, ICMP_FILTER, &got, &len), 0);
	CHECK_EQ(len, sizeof(got));
	CHECK_EQ(got.data, 0);
	CHECK_EQ(sys_setsockopt(fd, SOL_RAW, ICMP_FILTER, &f, sizeof(f)), 0);
	CHECK_EQ(sys_getsockopt(fd, SOL_RAW, ICMP_FILTER, &got, &len), 0);
	CHECK_EQ(got.data, 1u << ICMP_ECHO);
	/* Echo requests filtered out (ICMP still answers them); an error
	 * (any ICMP message) still reaches the socket. */
	inject_echo(&env, PEER, OURS, 1, 8);
	CHECK_EQ(pop_icmp(&env, ICMP_ECHOREPLY), 1);
	CHECK_EQ(raw_statistics.InFiltered, 1);
	CHECK_EQ(sys_recv(fd, buf, sizeof(buf), 0), -EAGAIN);
	CHECK_EQ(ipt_build_ip(quote, (struct ip4_hdr_info){ .saddr = OURS, .daddr = PEER,
							     .protocol = 17 }, "udp hdr!", 8),
		 sizeof(quote));
	inject_icmp(&env, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, quote, sizeof(quote));
	CHECK_EQ(sys_recv(fd, buf, sizeof(buf), 0), (long)(IP_HDR_LEN + 8 + sizeof(quote)));
	CHECK_EQ(buf[IP_HDR_LEN], ICMP_DEST_UNREACH);
	CHECK_EQ(buf[IP_HDR_LEN + 1], ICMP_PORT_UNREACH);
	/* Now the errors are filtered and echo requests pass; types above
	 * 31 always pass. */
	f.data = ~(1u << ICMP_ECHO);
	CHECK_EQ(sys_setsockopt(fd, SOL_RAW, ICMP_FILTER, &f, sizeof(f)), 0);
	inject_icmp(&env, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, quote, sizeof(quote));
	CHECK_EQ(raw_statistics.InFiltered, 2);
	CHECK_EQ(sys_recv(fd, buf, sizeof(buf), 0), -EAGAIN);
	inject_echo(&env, PEER, OURS, 2, 8);
	ipt_drain(&env);
	check_echo_copy(fd, PEER, 2, 8);
	inject_icmp(&env, 40, 0, "abcd", 4);
	CHECK_EQ(sys_recv(fd, buf, sizeof(buf), 0), (long)(IP_HDR_LEN + 8 + 4));
	CHECK_EQ(buf[IP_HDR_LEN], 40);
	CHECK_EQ(raw_statistics.InFiltered, 2);
	/* Bad calls: short buffers, other options, other protocols. */
	CHECK_EQ(sys_setsockopt(fd, SOL_RAW, ICMP_FILTER, &f, 2), -EINVAL);
	len = 2;
	CHECK_EQ(sys_getsockopt(fd, SOL_RAW, ICMP_FILTER, &got, &len), -EINVAL);
	len = sizeof(got);
	CHECK_EQ(sys_setsockopt(fd, SOL_RAW, ICMP_FILTER + 1, &f, sizeof(f)), -ENOPROTOOPT);
	CHECK_EQ(sys_setsockopt(fd, IPPROTO_IP, ICMP_FILTER, &f, sizeof(f)), -ENOPROTOOPT);
	other = raw_socket(PROTO_TEST, 0);
	CHECK_EQ(sys_setsockopt(other, SOL_RAW, ICMP_FILTER, &f, sizeof(f)), -EOPNOTSUPP);
	CHECK_EQ(sys_getsockopt(other, SOL_RAW, ICMP_FILTER, &got, &len), -EOPNOTSUPP);
	sys_close(other);
	sys_close(fd);
	teardown(&env);
}

/* An ICMP error about a datagram a raw socket sent: a connected socket of
 * that protocol takes a hard one as its error, once (no IP_RECVERR, as
 * Linux without it); unconnected sockets and soft errors are ignored,
 * sockets connected elsewhere are not matched; a raw ICMP socket sees
 * the error message itself. */
static void test_icmp_error(void)
{
	struct ipt_env env;
	struct sockaddr_in peer = in4(PEER), peer2 = in4(PEER2);
	int conn, unconn, elsewhere, icmp, err;
	socklen_t elen = sizeof(err);

	setup(&env);
	conn = raw_socket(PROTO_TEST, SOCK_NONBLOCK);
	unconn = raw_socket(PROTO_TEST, SOCK_NONBLOCK);
	elsewhere = raw_socket(PROTO_TEST, SOCK_NONBLOCK);
	icmp = raw_socket(IPPROTO_ICMP, SOCK_NONBLOCK);
	CHECK_EQ(sys_connect(conn, SA(peer), sizeof(peer)), 0);
	CHECK_EQ(sys_connect(elsewhere, SA(peer2), sizeof(peer2)), 0);
	bounce_error(&env, conn, ICMP_DEST_UNREACH, ICMP_PROT_UNREACH);
	CHECK_EQ(raw_statistics.IcmpErrDelivered, 1);
	CHECK_EQ(raw_statistics.IcmpErrIgnored, 1);
	CHECK_EQ(sys_recv(conn, buf, sizeof(buf), 0), -ENOPROTOOPT);
	CHECK_EQ(sys_recv(conn, buf, sizeof(buf), 0), -EAGAIN);
	CHECK_EQ(sys_recv(unconn, buf, sizeof(buf), 0), -EAGAIN);
	CHECK_EQ(sys_recv(elsewhere, buf, sizeof(buf), 0), -EAGAIN);
	CHECK_EQ(sys_recv(icmp, buf, sizeof(buf), 0), (long)(IP_HDR_LEN + 8 + IP_HDR_LEN + 8));
	CHECK_EQ(buf[IP_HDR_LEN], ICMP_DEST_UNREACH);
	CHECK_EQ(buf[IP_HDR_LEN + 8 + 9], PROTO_TEST);
	/* A soft error (host unreachable) is not reported. */
	bounce_error(&env, conn, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH);
	CHECK_EQ(raw_statistics.IcmpErrDelivered, 1);
	CHECK_EQ(raw_statistics.IcmpErrIgnored, 3);
	CHECK_EQ(sys_getsockopt(conn, SOL_SOCKET, SO_ERROR, &err, &elen), 0);
	CHECK_EQ(err, 0);
	/* Administratively prohibited is hard: SO_ERROR reads it. */
	bounce_error(&env, conn, ICMP_DEST_UNREACH, ICMP_PKT_FILTERED);
	CHECK_EQ(raw_statistics.IcmpErrDelivered, 2);
	CHECK_EQ(sys_getsockopt(conn, SOL_SOCKET, SO_ERROR, &err, &elen), 0);
	CHECK_EQ(err, EACCES);
	sys_close(conn);
	sys_close(unconn);
	sys_close(elsewhere);
	sys_close(icmp);
	teardown(&env);
}

int main(void)
{
	test_create();
	test_deliver();
	test_filter();
	test_unknown_protocol();
	test_rcvbuf();
	test_send();
	test_blocking();
	test_ping_loopback();
	test_icmp_filter();
	test_icmp_error();
	return check_report();
}
