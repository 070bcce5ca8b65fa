/*
 * MSG_STATIC: TCP queues memory the caller keeps valid and unchanged by
 * reference (alloc_skb_static), never copying it into the write queue and
 * never freeing it (ASan would report a bad free).  Checks: such an skb
 * counts as cloned, has no room to write into, and clones and copies of it
 * behave; on an SG device the transmitted frags point into the caller's
 * memory; a lost burst is retransmitted from it intact; the non-SG and
 * software-checksum fallbacks send copies with valid checksums; a window
 * that splits a static skb keeps the tail by reference; and a transfer over
 * loopback arrives byte for byte.
 */
#include "net/ipv4/tcp.h"

#include <string.h>

#include "net/core/byteorder.h"
#include "net/core/netdevice.h"
#include "net/core/sock.h"
#include "net/ipv4/devinet.h"
#include "net/socket.h"
#include "tests/host/check.h"
#include "tests/host/net_platform_host.h"
#include "tests/host/test_tcp_util.h"

#define A	TCPHDR_ACK

static uint8_t data[64 * 1024];

static void fill(void)
{
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 13 + (i >> 9));
}

static bool in_data(const unsigned char *p)
{
	return p >= data && p < data + sizeof(data);
}

static long send_static(struct sock *sk, const void *buf, size_t len)
{
	long n;

	net_bh_disable();
	n = tcp_prot.sendmsg(sk, buf, len, MSG_STATIC, NULL);
	net_bh_enable();
	host_run_softirqs(0);
	return n;
}

/* The skb itself: read-only, no room, clones and copies as usual. */
static void test_skb_static(void)
{
	struct skb_accounting base = *skb_accounting();
	struct sk_buff *skb = alloc_skb_static(data + 100, 1000);
	struct sk_buff *clone, *copy;

	CHECK(skb != NULL);
	CHECK(skb->data == data + 100 && skb->len == 1000);
	CHECK(skb_cloned(skb));
	CHECK_EQ(skb_tailroom(skb), 0);
	CHECK(skb_put(skb, 1) == NULL);
	CHECK(skb_pull(skb, 20) == data + 120);
	CHECK(skb_push(skb, 20) == NULL);	/* headroom is the caller's */
	skb_trim(skb, 900);
	CHECK_EQ(skb_tailroom(skb), 0);
	CHECK_EQ(skb_accounting()->data_alive, base.data_alive);
	clone = skb_clone(skb);
	CHECK(clone != NULL && clone->data == skb->data && clone->ext_data);
	copy = skb_unshare(clone);		/* private now */
	CHECK(copy != NULL && !copy->ext_data && !skb_cloned(copy));
	CHECK(!memcmp(copy->data, data + 120, 900));
	CHECK_EQ(skb_cow_head(skb, 64), 0);
	CHECK(!skb->ext_data && skb_headroom(skb) >= 64);
	CHECK(!memcmp(skb->data, data + 120, 900));
	kfree_skb(copy);
	kfree_skb(skb);
	CHECK_EQ(skb_accounting()->skbs_alive, base.skbs_alive);
	CHECK_EQ(skb_accounting()->data_alive, base.data_alive);
}

/* Pops one segment sent on an SG device: its frag points into data at
 * the offset of its seq; then, as a device without SG or checksum
 * offload would get it (linear copy, software checksum), its payload. */
static void expect_sg_segment(struct ipt_env *env, const struct tcpt_conn *c,
			      uint32_t base, uint32_t seq, uint8_t flags)
{
	struct net_device *dev = env->eth->dev;
	unsigned int features = dev->features;
	struct sk_buff *skb = ipt_pop(env);
	struct tcpt_seg s;

	CHECK(skb != NULL);
	if (!skb)
		return;
	CHECK(skb_is_nonlinear(skb) && skb->frag_list);
	CHECK(skb->frag_list->data == data + (seq - base));
	CHECK(in_data(skb->frag_list->data));
	dev->features = 0;
	CHECK_EQ(dev_queue_xmit(skb), 0);
	dev->features = features;
	CHECK(tcpt_expect(env, flags, seq, c->peer_seq, &s));
	CHECK_EQ(s.len, tcp_current_mss(c->sk));
	CHECK(!memcmp(s.data, data + (seq - base), s.len));
}

/* SG: frags reference the caller's memory; the lost first flight comes
 * back from it on the timeout, intact; acking frees only our structs. */
static void test_sg_loss(void)
{
	struct skb_accounting before;
	struct ipt_env env;
	struct tcpt_conn c;
	unsigned int mss, total;
	uint32_t base;

	fill();
	CHECK(tcpt_open_with(&env, &c, 42000, NETIF_F_SG | NETIF_F_HW_CSUM));
	before = *skb_accounting();
	mss = tcp_current_mss(c.sk);
	total = 4 * mss;
	base = c.our_seq;
	CHECK_EQ(send_static(c.sk, data, total), (long)total);
	CHECK_EQ(skb_queue_len(&c.sk->sk_write_queue), 4);
	CHECK(skb_peek(&c.sk->sk_write_queue)->data == data);
	CHECK_EQ(skb_accounting()->data_alive, before.data_alive + 4);	/* headers only */
	CHECK_EQ(ipt_drain(&env), 4);					/* lost */
	for (unsigned int i = 0; i < 4; i++) {
		if (!ipt_tx_count(&env))	/* the rest is resent on timeouts */
			host_clock_advance(tcp_rto_ns(tcp_sk(c.sk)));
		expect_sg_segment(&env, &c, base, base + i * mss,
				  i == 3 ? (uint8_t)(A | TCPHDR_PSH) : A);
		c.our_seq = base + (i + 1) * mss;
		tcpt_peer_ack(&env, &c);
	}
	CHECK_EQ(skb_queue_len(&c.sk->sk_write_queue), 0);
	tcpt_close_all(&env, &c);
}

/* No SG, no offload: segments are copies with full checksums.  Data
 * queued behind a closed window and then cut to a smaller MSS is split
 * (tcp_fragment) with the tails still by reference. */
static void test_linear_split(void)
{
	struct ipt_env env;
	struct tcpt_conn c;
	struct tcpt_seg s;
	unsigned int mss, total, off = 0, n = 0;
	uint32_t base;

	fill();
	CHECK(tcpt_open_with(&env, &c, 42001, 0));
	mss = tcp_current_mss(c.sk);
	total = 2 * mss;
	base = c.our_seq;
	c.peer_win = 0;
	tcpt_peer_ack(&env, &c);
	CHECK_EQ(send_static(c.sk, data + 7, total), (long)total);
	CHECK_EQ(ipt_tx_count(&env), 0);
	tcp_sync_mss(c.sk, 1000);
	c.peer_win = 65535 >> 7;
	tcpt_peer_ack(&env, &c);
	for (struct sk_buff *skb = skb_peek(&c.sk->sk_write_queue); skb; skb = skb->next) {
		CHECK(skb->ext_data && skb->data == data + 7 + (TCP_SKB_CB(skb)->seq - base));
		n++;
	}
	CHECK_EQ(n, 4);
	while (off < total && tcpt_pop(&env, &s)) {
		CHECK_EQ(s.seq, base + off);
		CHECK(s.len > 0 && s.len < mss);
		CHECK(!memcmp(s.data, data + 7 + off, s.len));
		off += s.len ? s.len : total;
		c.our_seq = base + off;
		tcpt_peer_ack(&env, &c);	/* Nagle holds a second small one */
	}
	CHECK_EQ(off, total);
	CHECK_EQ(skb_queue_len(&c.sk->sk_write_queue), 0);
	tcpt_close_all(&env, &c);
}

/* Over loopback (no SG: copied on transmit) the bytes arrive in order. */
static void test_loopback(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(4242),
				 .sin_addr = { htonl(INADDR_LOOPBACK) } };
	static uint8_t in[sizeof(data)];
	struct ipt_env env;
	size_t sent = 0, got = 0;
	int l, cl, sv, rounds = 0;

	fill();
	ipt_setup(&env, IPT_ADDR(198, 18, 0, 2), 24, 0);
	CHECK_EQ(dev_set_mtu(inet_loopback_dev(), 16436), 0);
	l = sys_socket(AF_INET, SOCK_STREAM, 0);
	CHECK_EQ(sys_bind(l, (struct sockaddr *)&a, sizeof(a)), 0);
	CHECK_EQ(sys_listen(l, 4), 0);
	cl = sys_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	sys_connect(cl, (struct sockaddr *)&a, sizeof(a));
	sv = sys_accept(l, NULL, NULL);
	CHECK(sv >= 0);
	while (got < sizeof(data) && rounds++ < 10000) {
		long n;

		if (sent < sizeof(data) &&
		    (n = sys_send(sv, data + sent, sizeof(data) - sent, MSG_STATIC)) > 0)
			sent += (size_t)n;
		while ((n = sys_read(cl, in + got, sizeof(in) - got)) > 0)
			got += (size_t)n;
	}
	CHECK_EQ(got, sizeof(data));
	CHECK(!memcmp(in, data, sizeof(data)));
	sys_close(cl);
	sys_close(sv);
	sys_close(l);
	host_clock_advance(300 * SEC);
	ipt_teardown(&env);
}

int main(void)
{
	host_log_level(3);
	fill();
	test_skb_static();
	test_sg_loss();
	test_linear_split();
	test_loopback();
	return check_report();
}
