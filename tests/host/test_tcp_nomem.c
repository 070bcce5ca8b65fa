/*
 * TCP when memory runs out on the send path (tcp_mem.c): a GSO skb that
 * cannot be had as one block goes out as smaller ones, every byte in
 * place; a failed write-queue allocation shrinks the send buffer to half
 * of what is queued, so the writer sees no room (and no allocation is
 * tried again) until ACKs free memory, and the buffer grows back once the
 * pressure is over; a segment that could not be built is sent by the
 * probe timer, not by a retry loop.
 */
#include "net/ipv4/tcp.h"

#include <string.h>

#include "kernel/errno.h"
#include "net/core/byteorder.h"
#include "tests/host/check.h"
#include "tests/host/net_platform_host.h"
#include "tests/host/test_tcp_util.h"

#define A	TCPHDR_ACK
#define AP	(TCPHDR_ACK | TCPHDR_PSH)

static uint8_t data[128 * 1024];

static void fill(void)
{
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 31 + 7);
}

/*
 * Pops every frame sent, checks that its payload continues at *seq with
 * the bytes of data from (*seq - base) on, advances *seq; *segs_max gets
 * the most segments one frame carried.  Returns the number of frames.
 */
static unsigned int drain_check(struct ipt_env *env, uint32_t base, uint32_t *seq,
				unsigned int *segs_max)
{
	struct sk_buff *skb;
	unsigned int frames = 0;

	while ((skb = ipt_pop(env)) != NULL) {
		struct ip4_hdr_info h;
		const uint8_t *th;
		unsigned int doff, plen, segs;

		CHECK(ipt_frame_ip(skb, &h, &th));
		doff = (th[12] >> 4) * 4u;
		plen = h.tot_len - h.hdr_len - doff;
		CHECK_EQ(get_be32(th + 4), *seq);
		CHECK(!memcmp(th + doff, data + (*seq - base), plen));
		*seq += plen;
		segs = skb_is_gso(skb) ? skb->gso_segs : 1;
		if (segs > *segs_max)
			*segs_max = segs;
		kfree_skb(skb);
		frames++;
	}
	return frames;
}

static unsigned int tcp_poll_mask(struct sock *sk)
{
	return tcp_prot.poll(sk);
}

/* No block for a five-segment GSO skb: two segments per skb instead, the
 * same bytes, and no memory pressure (single segments were never short). */
static void test_gso_smaller_blocks(void)
{
	struct ipt_env env;
	struct tcpt_conn c;
	struct tcp_sock *tp;
	unsigned int mss, segs_max = 0;
	uint64_t nomem = tcpext_statistics.TCPOutNoMem;
	uint64_t pressures = tcpext_statistics.TCPMemoryPressures;
	uint32_t base, seq;

	CHECK(tcpt_open_with(&env, &c, 42001, NETIF_F_HW_CSUM | NETIF_F_TSO));
	tp = tcp_sk(c.sk);
	mss = tcp_current_mss(c.sk);
	base = seq = c.our_seq;
	/* enough for two segments and their headers, not for three */
	host_alloc_fail_larger(MAX_HEADER + 60 + 2 * mss + 64);
	CHECK_EQ(tcpt_send(c.sk, data, 10 * mss), (long)(10 * mss));
	CHECK_EQ(drain_check(&env, base, &seq, &segs_max), 5);
	CHECK_EQ(segs_max, 2);
	CHECK_EQ(seq, base + 10 * mss);
	CHECK_EQ(tp->packets_out, 10);
	/* a try at more than two segments (5, 5, 5, then 4 as the window
	 * filled) failed before each of the first four frames */
	CHECK_EQ(tcpext_statistics.TCPOutNoMem - nomem, 4);
	CHECK_EQ(tcpext_statistics.TCPMemoryPressures, pressures);
	CHECK_EQ(c.sk->sk_sndbuf, SK_SNDBUF_DEFAULT);
	host_alloc_fail_larger(0);
	c.our_seq = seq;
	tcpt_peer_ack(&env, &c);
	CHECK_EQ(skb_queue_len(&c.sk->sk_write_queue), 0);
	tcpt_close_all(&env, &c);
}

/* A write-queue skb that cannot be had: the send buffer shrinks to half
 * of what is queued, the writer gets no room and its retries allocate
 * nothing; ACKs give it room again, and after the pressure the buffer
 * grows back toward the default. */
static void test_sndbuf_moderated(void)
{
	struct ipt_env env;
	struct tcpt_conn c;
	unsigned int mss, segs_max = 0;
	uint64_t nomem = tcpext_statistics.TCPOutNoMem;
	uint64_t pressures = tcpext_statistics.TCPMemoryPressures;
	struct host_alloc_stats st;
	uint64_t failures;
	uint32_t base, seq;
	int queued;

	CHECK(tcpt_open_with(&env, &c, 42002, 0));
	mss = tcp_current_mss(c.sk);
	base = seq = c.our_seq;
	CHECK_EQ(tcpt_send(c.sk, data, 40 * mss), (long)(40 * mss));
	CHECK_EQ(drain_check(&env, base, &seq, &segs_max), TCP_INIT_CWND);
	CHECK(tcp_poll_mask(c.sk) & SK_POLLOUT);
	queued = c.sk->sk_wmem_queued;

	host_alloc_fail_after(0);
	CHECK_EQ(tcpt_send(c.sk, data + 40 * mss, mss), -EAGAIN);
	CHECK_EQ(tcpext_statistics.TCPOutNoMem - nomem, 1);
	CHECK_EQ(tcpext_statistics.TCPMemoryPressures - pressures, 1);
	CHECK(tcp_under_memory_pressure());
	CHECK_EQ(c.sk->sk_sndbuf, queued / 2);
	CHECK(!(tcp_poll_mask(c.sk) & SK_POLLOUT));
	/* a writer that tries anyway finds no room: nothing is allocated */
	host_alloc_stats(&st);
	failures = st.failures;
	for (int i = 0; i < 100; i++)
		CHECK_EQ(tcpt_send(c.sk, data + 40 * mss, mss), -EAGAIN);
	host_alloc_stats(&st);
	CHECK_EQ(st.failures, failures);
	CHECK_EQ(tcpext_statistics.TCPOutNoMem - nomem, 1);
	host_alloc_fail_after(-1);

	/* ACKs free the queue: room again, the buffer stays small meanwhile */
	while (seq != base + 40 * mss) {
		c.our_seq = seq;
		tcpt_peer_ack(&env, &c);
		CHECK(drain_check(&env, base, &seq, &segs_max) > 0 || seq == base + 40 * mss);
	}
	c.our_seq = seq;
	tcpt_peer_ack(&env, &c);
	CHECK_EQ(c.sk->sk_wmem_queued, 0);
	CHECK_EQ(c.sk->sk_sndbuf, queued / 2);
	CHECK(tcp_poll_mask(c.sk) & SK_POLLOUT);

	/* pressure over: each ACK that frees room doubles the buffer */
	host_clock_advance(2 * SEC);
	CHECK(!tcp_under_memory_pressure());
	base = seq;
	CHECK_EQ(tcpt_send(c.sk, data, mss), (long)mss);
	CHECK_EQ(drain_check(&env, base, &seq, &segs_max), 1);
	c.our_seq = seq;
	tcpt_peer_ack(&env, &c);
	CHECK_EQ(c.sk->sk_sndbuf, queued);
	CHECK_EQ(tcpext_statistics.TCPMemoryPressures - pressures, 1);
	tcpt_close_all(&env, &c);
}

/* Nothing in flight and no memory for the segment: the data waits in the
 * write queue and the probe timer sends it, one try per timeout. */
static void test_transmit_retried_by_timer(void)
{
	struct ipt_env env;
	struct tcpt_conn c;
	struct tcp_sock *tp;
	uint64_t nomem = tcpext_statistics.TCPOutNoMem;

	CHECK(tcpt_open_with(&env, &c, 42003, 0));
	tp = tcp_sk(c.sk);
	/* the write-queue skb (struct and buffer) is had, the segment not */
	host_alloc_fail_after(2);
	CHECK_EQ(tcpt_send(c.sk, data, 100), 100);
	CHECK(tcpt_expect_none(&env));
	CHECK_EQ(tcpext_statistics.TCPOutNoMem - nomem, 1);
	CHECK_EQ(tp->packets_out, 0);
	CHECK(tp->send_head != NULL);
	CHECK(net_timer_pending(&tp->retransmit_timer));
	CHECK_EQ(tp->rtx_pending, TCP_TIME_PROBE0);
	/* still no memory at the first timeout: one more try, then wait */
	host_clock_advance(tcp_rto_ns(tp));
	CHECK(tcpt_expect_none(&env));
	CHECK_EQ(tcpext_statistics.TCPOutNoMem - nomem, 2);
	CHECK(net_timer_pending(&tp->retransmit_timer));
	host_alloc_fail_after(-1);
	host_clock_advance(tcp_rto_ns(tp));
	CHECK(tcpt_expect(&env, AP, c.our_seq, c.peer_seq, NULL));
	CHECK_EQ(tp->packets_out, 1);
	CHECK_EQ(tcpext_statistics.TCPOutNoMem - nomem, 2);
	c.our_seq += 100;
	tcpt_peer_ack(&env, &c);
	tcpt_close_all(&env, &c);
}

int main(void)
{
	host_log_level(3);
	fill();
	test_gso_smaller_blocks();
	test_sndbuf_moderated();
	test_transmit_retried_by_timer();
	return check_report();
}
