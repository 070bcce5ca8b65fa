/*
 * Transmit offloads: TCP leaves the checksum to a device that has a
 * checksum feature (CHECKSUM_PARTIAL with the pseudo-header sum in the
 * field), and hands a TSO device GSO skbs of several full-MSS segments
 * within the congestion window (at most half of it), the peer's window
 * and Nagle; retransmissions stay single segments.  dev_queue_xmit
 * completes partial checksums for devices without the feature and drops
 * GSO skbs for devices without TSO.  With NETIF_F_SG the payload is not
 * copied: the frags are clones of the write-queue skbs, and outlive their
 * acknowledgment; a device without SG gets a linear copy.  The test cuts
 * each GSO skb as a device does (headers per segment, seq advanced, FIN
 * and PSH only on the last) and checks boundaries, flags, checksums and
 * every payload byte.
 */
#include "net/ipv4/tcp.h"

#include <stdlib.h>
#include <string.h>

#include "kernel/errno.h"
#include "net/core/byteorder.h"
#include "net/core/checksum.h"
#include "net/ethernet/eth.h"
#include "tests/host/check.h"
#include "tests/host/net_platform_host.h"
#include "tests/host/test_tcp_util.h"

#define A	TCPHDR_ACK
#define AP	(TCPHDR_ACK | TCPHDR_PSH)
#define MAX_CUT	64

static uint8_t data[128 * 1024];

static void fill(void)
{
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 31 + 7);
}

/* One segment as a device cuts it out of a transmitted frame. */
struct cut {
	uint32_t seq;
	uint8_t flags;
	uint32_t len;			/* payload bytes */
	const uint8_t *payload;
};

/* The TCP checksum over th (tlen bytes) is valid. */
static bool tcp_csum_valid(const struct ip4_hdr_info *h, const uint8_t *th, unsigned int tlen)
{
	return csum_tcpudp_magic(htonl(h->saddr), htonl(h->daddr), (uint16_t)tlen, IPPROTO_TCP,
				 csum_partial(th, tlen, 0)) == 0;
}

/*
 * Checks a TCP frame that asks for checksum offload and cuts it into its
 * segments (one if not GSO) into out; returns how many.  The field must
 * hold the pseudo-header sum over the whole TCP length, and completing it
 * over the frame (on a copy) must give a valid checksum.
 */
static unsigned int cut_frame(const struct sk_buff *skb, struct cut *out)
{
	struct ip4_hdr_info h;
	const uint8_t *th;
	uint8_t *copy;
	unsigned int tlen, plen, doff, segs, size;
	uint16_t field, sum;

	CHECK(ipt_frame_ip(skb, &h, &th));
	CHECK_EQ(h.protocol, IPPROTO_TCP);
	tlen = h.tot_len - h.hdr_len;
	CHECK_EQ(h.tot_len + ETH_HLEN, skb->len);
	CHECK_EQ(skb->ip_summed, CHECKSUM_PARTIAL);
	CHECK_EQ(skb->csum_start - skb_headroom(skb), (unsigned int)(th - skb->data));
	CHECK_EQ(skb->csum_offset, 16);
	memcpy(&field, th + 16, 2);
	CHECK_EQ(field, (uint16_t)~csum_tcpudp_magic(htonl(h.saddr), htonl(h.daddr),
						     (uint16_t)tlen, IPPROTO_TCP, 0));
	copy = malloc(tlen);
	memcpy(copy, th, tlen);
	sum = csum_fold(csum_partial(copy, tlen, 0));
	memcpy(copy + 16, &sum, 2);
	CHECK(tcp_csum_valid(&h, copy, tlen));
	free(copy);

	doff = (th[12] >> 4) * 4u;
	plen = tlen - doff;
	segs = skb_is_gso(skb) ? skb->gso_segs : 1;
	size = skb_is_gso(skb) ? skb->gso_size : plen;
	CHECK(segs >= 1 && segs <= MAX_CUT);
	CHECK(size * (segs - 1) < plen || plen == 0);
	CHECK(plen <= size * segs);
	for (unsigned int i = 0; i < segs && i < MAX_CUT; i++) {
		bool last = i + 1 == segs;

		out[i].seq = get_be32(th + 4) + i * size;
		out[i].flags = last ? th[13] : (uint8_t)(th[13] & ~(TCPHDR_FIN | TCPHDR_PSH));
		out[i].len = last ? plen - i * size : size;
		out[i].payload = th + doff + i * size;
	}
	return segs;
}

/*
 * Pops every frame the stack sent, cuts it and checks that the segments
 * continue at *seq with the bytes of data from (*seq - base) on; advances
 * *seq.  Returns the number of frames; *gso_max gets the most segments
 * one frame carried, *last_flags the flags of the last segment.
 */
static unsigned int drain_cut(struct ipt_env *env, uint32_t base, uint32_t *seq,
			      unsigned int *gso_max, uint8_t *last_flags)
{
	struct sk_buff *skb;
	unsigned int frames = 0;

	while ((skb = ipt_pop(env)) != NULL) {
		struct sk_buff *lin = skb_is_nonlinear(skb) ? skb_copy(skb) : NULL;
		struct cut cuts[MAX_CUT];
		unsigned int n = cut_frame(lin ? lin : skb, cuts);

		for (unsigned int i = 0; i < n; i++) {
			CHECK_EQ(cuts[i].seq, *seq);
			CHECK(!memcmp(cuts[i].payload, data + (*seq - base), cuts[i].len));
			if (i + 1 < n)
				CHECK(!(cuts[i].flags & (TCPHDR_FIN | TCPHDR_PSH)));
			*seq += cuts[i].len + ((cuts[i].flags & TCPHDR_FIN) ? 1 : 0);
			*last_flags = cuts[i].flags;
		}
		if (n > *gso_max)
			*gso_max = n;
		kfree_skb(lin);
		kfree_skb(skb);
		frames++;
	}
	return frames;
}

static void nodelay(struct sock *sk)
{
	int one = 1;

	CHECK_EQ(tcp_prot.setsockopt(sk, SOL_TCP, TCP_NODELAY, &one, sizeof(one)), 0);
}

/* Checksum offload without TSO: every segment partial, one MSS each. */
static void test_csum_offload(void)
{
	struct ipt_env env;
	struct tcpt_conn c;
	unsigned int gso_max = 0, mss;
	uint32_t seq;
	uint8_t flags = 0;

	CHECK(tcpt_open_with(&env, &c, 41000, NETIF_F_HW_CSUM));
	mss = tcp_current_mss(c.sk);
	seq = c.our_seq;
	CHECK_EQ(tcpt_send(c.sk, data, 3 * mss + 100), (long)(3 * mss + 100));
	CHECK_EQ(drain_cut(&env, c.our_seq, &seq, &gso_max, &flags), 4);
	CHECK_EQ(gso_max, 1);
	CHECK_EQ(flags, AP);
	CHECK_EQ(seq, c.our_seq + 3 * mss + 100);
	CHECK_EQ(env.eth->dev->stats.tx_csum_offload, 4);
	CHECK_EQ(env.eth->dev->stats.tx_gso_packets, 0);
	tcpt_close_all(&env, &c);
}

/* TSO: bursts of at most half the congestion window, the write queue
 * still one skb per MSS, every byte where it belongs. */
static void test_tso_bursts(void)
{
	struct ipt_env env;
	struct tcpt_conn c;
	struct tcp_sock *tp;
	unsigned int gso_max = 0, mss, total, rounds = 0;
	uint32_t base, seq;
	uint8_t flags = 0;

	CHECK(tcpt_open_with(&env, &c, 41001, NETIF_F_HW_CSUM | NETIF_F_TSO));
	tp = tcp_sk(c.sk);
	mss = tcp_current_mss(c.sk);
	total = 40 * mss;
	base = seq = c.our_seq;
	CHECK_EQ(tp->snd_cwnd, TCP_INIT_CWND);
	CHECK_EQ(tcpt_send(c.sk, data, total), (long)total);
	CHECK_EQ(drain_cut(&env, base, &seq, &gso_max, &flags), 2);
	CHECK_EQ(gso_max, TCP_INIT_CWND / 2);
	CHECK_EQ(flags, A);			/* more data follows: no PSH */
	CHECK_EQ(tp->packets_out, TCP_INIT_CWND);
	CHECK_EQ(skb_queue_len(&c.sk->sk_write_queue), 40);
	CHECK_EQ(env.eth->dev->stats.tx_gso_packets, 2);
	CHECK_EQ(tcp_statistics.OutSegs >= TCP_INIT_CWND, true);
	while (seq != base + total && rounds++ < 20) {
		unsigned int cwnd;

		c.our_seq = seq;
		tcpt_peer_ack(&env, &c);
		cwnd = tp->snd_cwnd;
		gso_max = 0;
		CHECK(drain_cut(&env, base, &seq, &gso_max, &flags) >= 1);
		CHECK(gso_max <= cwnd / 2);
		CHECK(gso_max * mss <= TCP_GSO_MAX_SIZE);
	}
	CHECK_EQ(seq, base + total);
	CHECK_EQ(flags, AP);			/* the last data queued */
	c.our_seq = seq;
	tcpt_peer_ack(&env, &c);
	CHECK_EQ(skb_queue_len(&c.sk->sk_write_queue), 0);
	tcpt_close_all(&env, &c);
}

/* FIN and PSH ride on the last segment of the burst that ends the data. */
static void test_tso_fin_last(void)
{
	struct ipt_env env;
	struct tcpt_conn c;
	unsigned int gso_max = 0, mss;
	uint32_t base, seq;
	uint8_t flags = 0;

	CHECK(tcpt_open_with(&env, &c, 41002, NETIF_F_HW_CSUM | NETIF_F_TSO));
	mss = tcp_current_mss(c.sk);
	base = seq = c.our_seq;
	CHECK_EQ(tcpt_send(c.sk, data, 12 * mss + 10), (long)(12 * mss + 10));
	CHECK_EQ(drain_cut(&env, base, &seq, &gso_max, &flags), 2);
	tcp_prot.shutdown(c.sk, SEND_SHUTDOWN);
	CHECK_EQ(ipt_tx_count(&env), 0);	/* the window is full */
	c.our_seq = seq;
	tcpt_peer_ack(&env, &c);
	gso_max = 0;
	CHECK_EQ(drain_cut(&env, base, &seq, &gso_max, &flags), 1);
	CHECK_EQ(gso_max, 3);
	CHECK_EQ(flags, AP | TCPHDR_FIN);
	CHECK_EQ(seq, base + 12 * mss + 10 + 1);
	c.our_seq = seq;
	tcpt_peer_ack(&env, &c);
	tcpt_close_all(&env, &c);
}

/* A resend (the tail loss probe, or the timeout) is one MSS, not a burst. */
static void test_tso_retransmit_single(void)
{
	struct ipt_env env;
	struct tcpt_conn c;
	struct sk_buff *skb;
	unsigned int gso_max = 0, mss;
	uint32_t base, seq;
	uint8_t flags = 0;
	struct cut cut;

	CHECK(tcpt_open_with(&env, &c, 41003, NETIF_F_HW_CSUM | NETIF_F_TSO));
	mss = tcp_current_mss(c.sk);
	base = seq = c.our_seq;
	CHECK_EQ(tcpt_send(c.sk, data, 10 * mss), (long)(10 * mss));
	CHECK_EQ(drain_cut(&env, base, &seq, &gso_max, &flags), 2);
	host_clock_advance(tcp_rto_ns(tcp_sk(c.sk)));
	skb = ipt_pop(&env);
	CHECK(skb != NULL);
	CHECK(!skb_is_gso(skb));
	CHECK_EQ(cut_frame(skb, &cut), 1);
	CHECK(cut.seq - base < 10 * mss && (cut.seq - base) % mss == 0);
	CHECK_EQ(cut.len, mss);
	CHECK(!memcmp(cut.payload, data + (cut.seq - base), mss));
	kfree_skb(skb);
	CHECK_EQ(ipt_tx_count(&env), 0);
	c.our_seq = seq;
	tcpt_peer_ack(&env, &c);
	tcpt_close_all(&env, &c);
}

/* Without TSO the device gets one MSS per skb, whatever the window. */
static void test_no_tso_no_gso(void)
{
	struct ipt_env env;
	struct tcpt_conn c;
	unsigned int gso_max = 0, mss;
	uint32_t base, seq;
	uint8_t flags = 0;

	CHECK(tcpt_open_with(&env, &c, 41004, NETIF_F_HW_CSUM));
	nodelay(c.sk);
	mss = tcp_current_mss(c.sk);
	base = seq = c.our_seq;
	CHECK_EQ(tcpt_send(c.sk, data, 10 * mss), (long)(10 * mss));
	CHECK_EQ(drain_cut(&env, base, &seq, &gso_max, &flags), 10);
	CHECK_EQ(gso_max, 1);
	c.our_seq = seq;
	tcpt_peer_ack(&env, &c);
	tcpt_close_all(&env, &c);
}

/* dev_queue_xmit: a partial checksum for a device without the feature is
 * completed in software; a GSO skb for a device without TSO is dropped. */
static void test_dev_fallbacks(void)
{
	struct ipt_env env;
	struct tcpt_conn c;
	struct net_device *dev;
	struct sk_buff *skb;
	struct ip4_hdr_info h;
	const uint8_t *th;
	unsigned int mss;

	CHECK(tcpt_open_with(&env, &c, 41005, NETIF_F_HW_CSUM | NETIF_F_TSO));
	dev = env.eth->dev;
	mss = tcp_current_mss(c.sk);
	CHECK_EQ(tcpt_send(c.sk, data, 3 * mss), (long)(3 * mss));
	skb = ipt_pop(&env);
	CHECK(skb != NULL && skb_is_gso(skb));
	dev->features = 0;
	CHECK_EQ(dev_queue_xmit(skb), -ENOBUFS);
	CHECK_EQ(dev->stats.tx_dropped, 1);
	CHECK_EQ(ipt_tx_count(&env), 0);

	c.our_seq += 3 * mss;
	dev->features = NETIF_F_HW_CSUM;
	tcpt_peer_ack(&env, &c);		/* the peer saw nothing: acks all the same */
	CHECK_EQ(tcpt_send(c.sk, data, 100), 100);
	skb = ipt_pop(&env);
	CHECK(skb != NULL && skb->ip_summed == CHECKSUM_PARTIAL);
	dev->features = 0;
	CHECK_EQ(dev_queue_xmit(skb), 0);
	skb = ipt_pop(&env);
	CHECK(skb != NULL);
	CHECK_EQ(skb->ip_summed, CHECKSUM_NONE);
	CHECK(ipt_frame_ip(skb, &h, &th));
	CHECK(tcp_csum_valid(&h, th, h.tot_len - h.hdr_len));
	CHECK(!memcmp(th + (th[12] >> 4) * 4u, data, 100));
	kfree_skb(skb);
	c.our_seq += 100;
	tcpt_peer_ack(&env, &c);
	tcpt_close_all(&env, &c);
}

/* Frags of skb: count, and each the size of a full segment. */
static unsigned int frag_count(const struct sk_buff *skb, unsigned int mss)
{
	unsigned int n = 0;

	for (const struct sk_buff *f = skb->frag_list; f; f = f->next, n++)
		CHECK_EQ(f->len, mss);
	return n;
}

/* SG: each GSO skb is headers plus one frag per write-queue skb, sharing
 * its buffer; acknowledging the data while the device still holds the
 * frames leaves their bytes intact (ASan would see a use after free). */
static void test_sg_references(void)
{
	struct ipt_env env;
	struct tcpt_conn c;
	struct sk_buff *held[2], *lin;
	unsigned int gso_max = 0, mss, total, half = TCP_INIT_CWND / 2, rounds = 0;
	uint32_t base, seq;
	uint8_t flags = 0;

	CHECK(tcpt_open_with(&env, &c, 41006, NETIF_F_HW_CSUM | NETIF_F_TSO | NETIF_F_SG));
	mss = tcp_current_mss(c.sk);
	total = 30 * mss;
	base = seq = c.our_seq;
	CHECK_EQ(tcpt_send(c.sk, data, total), (long)total);
	held[0] = ipt_pop(&env);
	held[1] = ipt_pop(&env);
	CHECK(held[0] && held[1] && ipt_tx_count(&env) == 0);
	CHECK(skb_is_nonlinear(held[0]) && skb_is_gso(held[0]));
	CHECK_EQ(frag_count(held[0], mss), half);
	CHECK_EQ(held[0]->data_len, half * mss);
	CHECK(held[0]->frag_list->data == skb_peek(&c.sk->sk_write_queue)->data);
	CHECK_EQ(skb_queue_len(&c.sk->sk_write_queue), 30);

	c.our_seq = base + TCP_INIT_CWND * mss;
	tcpt_peer_ack(&env, &c);		/* frees the acked write-queue skbs */
	CHECK_EQ(skb_queue_len(&c.sk->sk_write_queue), 30 - TCP_INIT_CWND);
	for (unsigned int i = 0; i < 2; i++) {
		struct cut cuts[MAX_CUT];

		lin = skb_copy(held[i]);
		CHECK(lin != NULL);
		CHECK_EQ(cut_frame(lin, cuts), half);
		for (unsigned int k = 0; k < half; k++) {
			CHECK_EQ(cuts[k].seq, seq);
			CHECK(!memcmp(cuts[k].payload, data + (seq - base), mss));
			seq += mss;
		}
		kfree_skb(lin);
		kfree_skb(held[i]);
	}
	while (seq != base + total && rounds++ < 20) {
		CHECK(drain_cut(&env, base, &seq, &gso_max, &flags) >= 1);
		c.our_seq = seq;
		tcpt_peer_ack(&env, &c);
	}
	CHECK_EQ(seq, base + total);
	CHECK_EQ(flags, AP);
	CHECK_EQ(skb_queue_len(&c.sk->sk_write_queue), 0);
	tcpt_close_all(&env, &c);
}

/* A nonlinear skb for a device without SG leaves as a linear copy. */
static void test_sg_fallback(void)
{
	struct ipt_env env;
	struct tcpt_conn c;
	struct net_device *dev;
	struct sk_buff *skb;
	struct cut cuts[MAX_CUT];
	unsigned int mss;
	uint32_t base;

	CHECK(tcpt_open_with(&env, &c, 41007, NETIF_F_HW_CSUM | NETIF_F_TSO | NETIF_F_SG));
	dev = env.eth->dev;
	mss = tcp_current_mss(c.sk);
	base = c.our_seq;
	CHECK_EQ(tcpt_send(c.sk, data, 4 * mss), (long)(4 * mss));
	skb = ipt_pop(&env);
	CHECK(skb != NULL && skb_is_nonlinear(skb));
	CHECK_EQ(ipt_tx_count(&env), 0);
	dev->features = NETIF_F_HW_CSUM | NETIF_F_TSO;
	CHECK_EQ(dev_queue_xmit(skb), 0);
	skb = ipt_pop(&env);
	CHECK(skb != NULL && !skb_is_nonlinear(skb) && skb_is_gso(skb));
	CHECK_EQ(cut_frame(skb, cuts), 4);
	for (unsigned int k = 0; k < 4; k++) {
		CHECK_EQ(cuts[k].seq, base + k * mss);
		CHECK(!memcmp(cuts[k].payload, data + k * mss, mss));
	}
	kfree_skb(skb);
	c.our_seq = base + 4 * mss;
	tcpt_peer_ack(&env, &c);
	tcpt_close_all(&env, &c);
}

int main(void)
{
	host_log_level(3);
	fill();
	test_csum_offload();
	test_tso_bursts();
	test_tso_fin_last();
	test_tso_retransmit_single();
	test_no_tso_no_gso();
	test_dev_fallbacks();
	test_sg_references();
	test_sg_fallback();
	return check_report();
}
