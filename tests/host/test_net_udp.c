/*
 * UDP: header parse/emit and checksum; datagrams from the wire to a bound
 * socket (zero checksum accepted, bad checksum and bad lengths counted);
 * port unreachable for a closed port; the receive queue bounded by
 * SO_RCVBUF with RcvbufErrors; ICMP port unreachable -> ECONNREFUSED on a
 * connected socket only; ephemeral ports on sendto; the checksum of what
 * we send; bind conflicts; 4-tuple lookup before wildcard; the Udp MIB.
 */
#include "net/ipv4/udp.h"

#include "kernel/errno.h"
#include "net/core/byteorder.h"
#include "net/core/checksum.h"
#include "net/core/sock.h"
#include "net/core/stats.h"
#include "net/ethernet/eth.h"
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

static uint8_t pkt[70000], dgram[70000];

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
	CHECK_EQ(fd_count(), 0);
	CHECK_EQ(sk_accounting()->socks_alive, 0);
	ipt_teardown(env);
}

/* A UDP datagram from saddr:sport to daddr:dport as an IP packet in pkt;
 * csum: 1 correct, 0 none, -1 wrong.  Returns the packet length. */
static size_t udp_packet(uint32_t saddr, uint16_t sport, uint32_t daddr, uint16_t dport,
			 const void *data, size_t len, int csum)
{
	struct udp_info u = { .source = sport, .dest = dport, .len = (uint16_t)(UDP_HLEN + len) };
	struct ip4_hdr_info h = { .saddr = saddr, .daddr = daddr, .protocol = IPPROTO_UDP };
	uint16_t check = 0;

	udp_emit(&u, dgram);
	memcpy(dgram + UDP_HLEN, data, len);
	if (csum)
		check = udp_csum(dgram, u.len, saddr, daddr) ^ (csum < 0 ? 0x0100 : 0);
	memcpy(dgram + 6, &check, 2);
	return ipt_build_ip(pkt, h, dgram, u.len);
}

static void inject_udp(struct ipt_env *env, uint32_t saddr, uint16_t sport, uint16_t dport,
		       const char *data, int csum)
{
	ipt_inject_ip(env, pkt, udp_packet(saddr, sport, OURS, dport, data, strlen(data), csum));
}

static int udp_bound(uint32_t addr, uint16_t port)
{
	int fd = sys_socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	struct sockaddr_in a = in4(addr, port);

	CHECK(fd >= 0);
	CHECK_EQ(sys_bind(fd, SA(a), sizeof(a)), 0);
	return fd;
}

static void test_wire(void)
{
	uint8_t buf[32] = { 0 };
	struct udp_info u = { .source = 1234, .dest = 7, .len = 12 }, v;

	CHECK_EQ(udp_emit(&u, buf), UDP_HLEN);
	memcpy(buf + 8, "ping", 4);
	CHECK_EQ(udp_parse(buf, 12, &v), 0);
	CHECK_EQ(v.source, 1234);
	CHECK_EQ(v.dest, 7);
	CHECK_EQ(v.len, 12);
	CHECK_EQ(udp_parse(buf, 7, &v), -UDP_ERR_TRUNCATED);
	CHECK_EQ(udp_parse(buf, 11, &v), -UDP_ERR_LEN);
	put_be16(buf + 4, 7);
	CHECK_EQ(udp_parse(buf, 12, &v), -UDP_ERR_LEN);
	put_be16(buf + 4, 12);
	{
		uint16_t c = udp_csum(buf, 12, OURS, PEER);

		memcpy(buf + 6, &c, 2);
		CHECK_EQ(csum_tcpudp_magic(htonl(OURS), htonl(PEER), 12, IPPROTO_UDP,
					   csum_partial(buf, 12, 0)), 0);
	}
}

static void test_receive(void)
{
	struct ipt_env env;
	struct sockaddr_in from;
	socklen_t flen = sizeof(from);
	char buf[64];
	int fd;

	setup(&env);
	fd = udp_bound(0, 7);
	inject_udp(&env, PEER, 5555, 7, "hello", 1);
	inject_udp(&env, PEER, 5556, 7, "nosum", 0);
	inject_udp(&env, PEER, 5557, 7, "wrong", -1);
	CHECK_EQ(udp_statistics.InDatagrams, 2);
	CHECK_EQ(udp_statistics.InCsumErrors, 1);
	CHECK_EQ(udp_statistics.InErrors, 1);
	CHECK_EQ(sys_recvfrom(fd, buf, sizeof(buf), 0, SA(from), &flen), 5);
	CHECK(!memcmp(buf, "hello", 5));
	CHECK_EQ(flen, sizeof(from));
	CHECK_EQ(ntohl(from.sin_addr.s_addr), PEER);
	CHECK_EQ(ntohs(from.sin_port), 5555);
	/* A short buffer truncates the datagram; the rest is gone. */
	CHECK_EQ(sys_recv(fd, buf, 2, 0), 2);
	CHECK(!memcmp(buf, "no", 2));
	CHECK_EQ(sys_recv(fd, buf, sizeof(buf), 0), -EAGAIN);
	/* Bad lengths: counted, dropped. */
	udp_packet(PEER, 1, OURS, 7, "x", 1, 0);
	put_be16(pkt + IP_HDR_LEN + 4, 200);
	ipt_inject_ip(&env, pkt, IP_HDR_LEN + 9);
	{
		struct ip4_hdr_info h = { .saddr = PEER, .daddr = OURS, .protocol = IPPROTO_UDP };

		ipt_inject_ip(&env, pkt, ipt_build_ip(pkt, h, "abcd", 4));
	}
	CHECK_EQ(udp_statistics.InBadLen, 1);
	CHECK_EQ(udp_statistics.InTruncated, 1);
	CHECK_EQ(udp_statistics.InErrors, 3);
	CHECK_EQ(mib_lookup(mib_find("Udp"), "InDatagrams"), 2);
	sys_close(fd);
	teardown(&env);
}

static void test_port_unreachable(void)
{
	struct ipt_env env;
	struct sk_buff *skb;
	struct ip4_hdr_info h;
	const uint8_t *p;

	setup(&env);
	inject_udp(&env, PEER, 4000, 9, "anyone?", 1);
	CHECK_EQ(udp_statistics.NoPorts, 1);
	skb = ipt_pop(&env);
	CHECK(skb != NULL);
	CHECK(ipt_frame_ip(skb, &h, &p));
	CHECK_EQ(h.protocol, IPPROTO_ICMP);
	CHECK_EQ(h.daddr, PEER);
	CHECK_EQ(p[0], ICMP_DEST_UNREACH);
	CHECK_EQ(p[1], ICMP_PORT_UNREACH);
	CHECK_EQ(get_be16(p + 8 + IP_HDR_LEN + 2), 9);	/* the quoted UDP header */
	kfree_skb(skb);
	/* Broadcast: no ICMP (RFC 1122), still NoPorts. */
	ipt_inject_ip(&env, pkt, udp_packet(PEER, 4000, A(198, 18, 0, 255), 9, "b", 1, 1));
	CHECK_EQ(udp_statistics.NoPorts, 2);
	CHECK_EQ(ipt_tx_count(&env), 0);
	teardown(&env);
}

static void test_rcvbuf(void)
{
	struct ipt_env env;
	int fd, small = 1, val;
	socklen_t len = sizeof(val);
	unsigned int n = 0;
	char buf[2048];

	setup(&env);
	fd = udp_bound(0, 7);
	CHECK_EQ(sys_setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small)), 0);
	CHECK_EQ(sys_getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &val, &len), 0);
	CHECK_EQ(val, SK_BUF_MIN);
	memset(buf, 'x', 1000);
	buf[1000] = 0;
	for (int i = 0; i < 20; i++)
		inject_udp(&env, PEER, 5000, 7, buf, 1);
	CHECK(udp_statistics.RcvbufErrors > 0);
	CHECK_EQ(udp_statistics.InDatagrams + udp_statistics.RcvbufErrors, 20);
	CHECK_EQ(udp_statistics.InErrors, udp_statistics.RcvbufErrors);
	while (sys_recv(fd, buf, sizeof(buf), 0) == 1000)
		n++;
	CHECK_EQ(n, udp_statistics.InDatagrams);
	/* Drained: room again. */
	inject_udp(&env, PEER, 5000, 7, "again", 1);
	CHECK_EQ(sys_recv(fd, buf, sizeof(buf), 0), 5);
	sys_close(fd);
	teardown(&env);
}

/* Sends "x" from fd (to: NULL when connected) and turns the frame on the
 * wire into a port unreachable from the peer. */
static void bounce_port_unreachable(struct ipt_env *env, int fd, const struct sockaddr_in *to)
{
	struct icmp_info ic = { .type = ICMP_DEST_UNREACH, .code = ICMP_PORT_UNREACH };
	struct ip4_hdr_info h, oh = { .saddr = PEER, .daddr = OURS, .protocol = IPPROTO_ICMP };
	static uint8_t msg[600];
	struct sk_buff *skb;
	size_t qlen;

	CHECK_EQ(sys_sendto(fd, "x", 1, 0, to ? (const struct sockaddr *)to : NULL,
			    to ? sizeof(*to) : 0), 1);
	skb = ipt_pop(env);
	CHECK(skb != NULL && ipt_frame_ip(skb, &h, NULL));
	qlen = h.tot_len;
	memcpy(msg + ICMP_HDR_LEN, skb->data + ETH_HLEN, qlen);
	kfree_skb(skb);
	icmp_emit(&ic, msg, ICMP_HDR_LEN + qlen);
	ipt_inject_ip(env, pkt, ipt_build_ip(pkt, oh, msg, ICMP_HDR_LEN + qlen));
}

static void test_icmp_error(void)
{
	struct ipt_env env;
	struct sockaddr_in peer = in4(PEER, 9), unspec = { .sin_family = AF_UNSPEC };
	int fd, fd2, err;
	socklen_t len = sizeof(err);
	char buf[8];

	setup(&env);
	fd = sys_socket(AF_INET, SOCK_DGRAM, 0);
	CHECK_EQ(sys_connect(fd, SA(peer), sizeof(peer)), 0);
	bounce_port_unreachable(&env, fd, NULL);
	CHECK_EQ(udp_statistics.IcmpErrDelivered, 1);
	CHECK_EQ(sys_recv(fd, buf, sizeof(buf), 0), -ECONNREFUSED);
	CHECK_EQ(sys_recv(fd, buf, sizeof(buf), MSG_DONTWAIT), -EAGAIN);	/* once */
	bounce_port_unreachable(&env, fd, NULL);
	CHECK_EQ(sys_getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len), 0);
	CHECK_EQ(err, ECONNREFUSED);
	CHECK_EQ(sys_getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len), 0);
	CHECK_EQ(err, 0);
	/* Disconnected (AF_UNSPEC): no destination any more. */
	CHECK_EQ(sys_connect(fd, SA(unspec), sizeof(unspec)), 0);
	CHECK_EQ(sys_send(fd, "x", 1, 0), -EDESTADDRREQ);
	sys_close(fd);

	/* An unconnected socket does not see it (no IP_RECVERR). */
	fd2 = sys_socket(AF_INET, SOCK_DGRAM, 0);
	bounce_port_unreachable(&env, fd2, &peer);
	CHECK_EQ(udp_statistics.IcmpErrIgnored, 1);
	CHECK_EQ(sys_recv(fd2, buf, sizeof(buf), MSG_DONTWAIT), -EAGAIN);
	sys_close(fd2);
	/* Nobody left on that port. */
	fd = sys_socket(AF_INET, SOCK_DGRAM, 0);
	CHECK_EQ(sys_connect(fd, SA(peer), sizeof(peer)), 0);
	bounce_port_unreachable(&env, fd, NULL);
	sys_close(fd);
	CHECK_EQ(udp_statistics.IcmpErrDelivered, 3);
	teardown(&env);
}

static void test_send(void)
{
	struct ipt_env env;
	struct sockaddr_in peer = in4(PEER, 53), me;
	socklen_t len = sizeof(me);
	struct sk_buff *skb;
	struct ip4_hdr_info h;
	const uint8_t *p;
	struct udp_info u;
	int fd;

	setup(&env);
	fd = sys_socket(AF_INET, SOCK_DGRAM, 0);
	CHECK_EQ(sys_getsockname(fd, SA(me), &len), 0);
	CHECK_EQ(me.sin_port, 0);
	CHECK_EQ(sys_sendto(fd, "query", 5, 0, SA(peer), sizeof(peer)), 5);
	CHECK_EQ(sys_getsockname(fd, SA(me), &len), 0);
	CHECK(ntohs(me.sin_port) >= UDP_PORT_LOW && ntohs(me.sin_port) <= UDP_PORT_HIGH);
	skb = ipt_pop(&env);
	CHECK(skb != NULL && ipt_frame_ip(skb, &h, &p));
	CHECK_EQ(h.saddr, OURS);
	CHECK_EQ(h.daddr, PEER);
	CHECK_EQ(h.protocol, IPPROTO_UDP);
	CHECK_EQ(udp_parse(p, h.tot_len - h.hdr_len, &u), 0);
	CHECK_EQ(u.source, ntohs(me.sin_port));
	CHECK_EQ(u.dest, 53);
	CHECK_EQ(u.len, 13);
	CHECK(u.check != 0);
	CHECK_EQ(csum_tcpudp_magic(htonl(OURS), htonl(PEER), 13, IPPROTO_UDP,
				   csum_partial(p, 13, 0)), 0);
	CHECK(!memcmp(p + 8, "query", 5));
	kfree_skb(skb);
	CHECK_EQ(udp_statistics.OutDatagrams, 1);
	/* Too big, no destination, no route. */
	CHECK_EQ(sys_sendto(fd, pkt, UDP_MAX_PAYLOAD + 1, 0, SA(peer), sizeof(peer)), -EMSGSIZE);
	CHECK_EQ(sys_send(fd, "x", 1, 0), -EDESTADDRREQ);
	{
		struct sockaddr_in far = in4(A(10, 1, 1, 1), 53);

		CHECK_EQ(sys_sendto(fd, "x", 1, 0, SA(far), sizeof(far)), -ENETUNREACH);
	}
	/* A 60000-byte datagram leaves in fragments. */
	CHECK_EQ(sys_sendto(fd, pkt, 60000, 0, SA(peer), sizeof(peer)), 60000);
	CHECK(ipt_drain(&env) > 30);
	sys_close(fd);
	teardown(&env);
}

/* A device with checksum offload gets the pseudo-header sum in the field
 * and CHECKSUM_PARTIAL, except for a datagram that leaves in fragments. */
static void test_send_csum_offload(void)
{
	struct ipt_env env;
	struct sockaddr_in peer = in4(PEER, 53);
	struct sk_buff *skb;
	struct ip4_hdr_info h;
	const uint8_t *p;
	uint8_t copy[13];
	uint16_t field, sum;
	int fd;

	setup(&env);
	env.eth->dev->features = NETIF_F_HW_CSUM;
	fd = sys_socket(AF_INET, SOCK_DGRAM, 0);
	CHECK_EQ(sys_sendto(fd, "query", 5, 0, SA(peer), sizeof(peer)), 5);
	skb = ipt_pop(&env);
	CHECK(skb != NULL && ipt_frame_ip(skb, &h, &p));
	CHECK_EQ(skb->ip_summed, CHECKSUM_PARTIAL);
	CHECK_EQ(skb->csum_start - skb_headroom(skb), (unsigned int)(p - skb->data));
	CHECK_EQ(skb->csum_offset, 6);
	memcpy(&field, p + 6, 2);
	CHECK_EQ(field, (uint16_t)~csum_tcpudp_magic(htonl(OURS), htonl(PEER), 13, IPPROTO_UDP, 0));
	memcpy(copy, p, 13);
	sum = csum_fold(csum_partial(copy, 13, 0));
	memcpy(copy + 6, &sum, 2);
	CHECK_EQ(csum_tcpudp_magic(htonl(OURS), htonl(PEER), 13, IPPROTO_UDP,
				   csum_partial(copy, 13, 0)), 0);
	kfree_skb(skb);
	CHECK_EQ(env.eth->dev->stats.tx_csum_offload, 1);
	CHECK_EQ(sys_sendto(fd, pkt, 3000, 0, SA(peer), sizeof(peer)), 3000);
	while ((skb = ipt_pop(&env)) != NULL) {
		CHECK_EQ(skb->ip_summed, CHECKSUM_NONE);
		kfree_skb(skb);
	}
	CHECK_EQ(env.eth->dev->stats.tx_csum_offload, 1);
	sys_close(fd);
	teardown(&env);
}

static void test_bind_conflicts(void)
{
	struct ipt_env env;
	struct sockaddr_in any = in4(0, 7), mine = in4(OURS, 7), other = in4(PEER, 7);
	int a, b, c, one = 1;

	setup(&env);
	a = udp_bound(0, 7);
	b = sys_socket(AF_INET, SOCK_DGRAM, 0);
	CHECK_EQ(sys_bind(b, SA(any), sizeof(any)), -EADDRINUSE);
	CHECK_EQ(sys_bind(b, SA(mine), sizeof(mine)), -EADDRINUSE);
	CHECK_EQ(sys_bind(b, SA(other), sizeof(other)), -EADDRNOTAVAIL);
	sys_close(a);
	CHECK_EQ(sys_bind(b, SA(mine), sizeof(mine)), 0);
	CHECK_EQ(sys_bind(b, SA(mine), sizeof(mine)), -EINVAL);	/* already bound */
	/* Loopback address, same port: no overlap with 198.18.0.2. */
	c = udp_bound(INADDR_LOOPBACK, 7);
	sys_close(b);
	sys_close(c);
	/* SO_REUSEADDR on both: shared. */
	a = sys_socket(AF_INET, SOCK_DGRAM, 0);
	b = sys_socket(AF_INET, SOCK_DGRAM, 0);
	CHECK_EQ(sys_setsockopt(a, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)), 0);
	CHECK_EQ(sys_setsockopt(b, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)), 0);
	CHECK_EQ(sys_bind(a, SA(any), sizeof(any)), 0);
	CHECK_EQ(sys_bind(b, SA(any), sizeof(any)), 0);
	sys_close(a);
	sys_close(b);
	teardown(&env);
}

static void test_lookup_order(void)
{
	struct ipt_env env;
	struct sockaddr_in any = in4(0, 7), peer = in4(PEER, 5000);
	int wild, conn, one = 1;
	char buf[16];

	setup(&env);
	wild = sys_socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	conn = sys_socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	sys_setsockopt(wild, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	sys_setsockopt(conn, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	CHECK_EQ(sys_bind(conn, SA(any), sizeof(any)), 0);
	CHECK_EQ(sys_connect(conn, SA(peer), sizeof(peer)), 0);
	CHECK_EQ(sys_bind(wild, SA(any), sizeof(any)), 0);
	inject_udp(&env, PEER, 5000, 7, "to-conn", 1);
	inject_udp(&env, PEER, 5001, 7, "to-wild", 1);
	inject_udp(&env, PEER2, 5000, 7, "to-wild2", 1);
	CHECK_EQ(sys_recv(conn, buf, sizeof(buf), 0), 7);
	CHECK(!memcmp(buf, "to-conn", 7));
	CHECK_EQ(sys_recv(conn, buf, sizeof(buf), 0), -EAGAIN);
	CHECK_EQ(sys_recv(wild, buf, sizeof(buf), 0), 7);
	CHECK(!memcmp(buf, "to-wild", 7));
	CHECK_EQ(sys_recv(wild, buf, sizeof(buf), 0), 8);
	sys_close(wild);
	sys_close(conn);
	teardown(&env);
}

int main(void)
{
	test_wire();
	test_receive();
	test_port_unreachable();
	test_rcvbuf();
	test_icmp_error();
	test_send();
	test_send_csum_offload();
	test_bind_conflicts();
	test_lookup_order();
	return check_report();
}
