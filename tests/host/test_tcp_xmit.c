/*
 * TCP sending: RTO timings and exponential backoff (RFC 6298), fast
 * retransmit on three duplicate ACKs with NewReno partial ACKs (RFC
 * 6582), SACK-driven recovery that resends only the holes (RFC 6675),
 * a lost retransmission found through later SACKed data (RFC 8985),
 * reordering (DupThresh) measured from the highest SACKed sequence, also
 * when sequence numbers wrap,
 * zero window and the persist timer, window scaling, out-of-order data
 * that fills the buffer without closing the window, data segments that
 * fit the MTU beside their SACK blocks, the MSS cap for loopback, Nagle and
 * TCP_NODELAY, MSG_MORE with the FIN riding on the held segment, delayed
 * and quick ACKs, PAWS and its exception for reordered duplicate ACKs,
 * keepalive.
 */
#include "net/ipv4/tcp.h"

#include <stdio.h>

#include "kernel/errno.h"
#include "tests/host/check.h"
#include "tests/host/net_platform_host.h"
#include "tests/host/test_tcp_util.h"

#define A	TCPHDR_ACK
#define AP	(TCPHDR_ACK | TCPHDR_PSH)

static uint8_t data[64 * 1024];

static void fill(void)
{
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 31 + 7);
}

static void nodelay(struct sock *sk)
{
	int one = 1;

	CHECK_EQ(tcp_prot.setsockopt(sk, SOL_TCP, TCP_NODELAY, &one, sizeof(one)), 0);
}

static void test_rto_backoff(void)
{
	struct ipt_env env;
	struct tcpt_conn c;
	uint64_t rto = 200 * MSEC;

	tcpt_setup(&env);
	CHECK(tcpt_passive_open(&env, tcpt_listen(80, 4), 40000, &c));
	/* the handshake's timestamp echo gave an RTT sample: RTO at its floor */
	CHECK_EQ(tcp_rto_ns(tcp_sk(c.sk)), TCP_RTO_MIN_NS);
	CHECK_EQ(tcpt_send(c.sk, data, 100), 100);
	CHECK(tcpt_expect(&env, AP, c.our_seq, c.peer_seq, NULL));
	for (int i = 0; i < 4; i++) {
		host_clock_advance(rto - MSEC);
		CHECK(tcpt_expect_none(&env));
		host_clock_advance(MSEC);
		CHECK(tcpt_expect(&env, AP, c.our_seq, c.peer_seq, NULL));
		rto *= 2;
	}
	CHECK_EQ(tcp_statistics.RetransSegs, 4);
	CHECK_EQ(tcpext_statistics.TCPTimeouts, 4);
	CHECK_EQ(tcp_sk(c.sk)->snd_cwnd, 1);
	/* the ACK ends the backoff */
	c.our_seq += 100;
	tcpt_peer_ack(&env, &c);
	CHECK_EQ(tcp_sk(c.sk)->backoff, 0);
	CHECK(!net_timer_pending(&tcp_sk(c.sk)->retransmit_timer));
	tcpt_close(c.sk);
	tcpt_close(c.listener);
	tcpt_teardown(&env);
}

/* Sends n segments of mss bytes and returns the first sequence number. */
static uint32_t send_burst(struct ipt_env *env, struct tcpt_conn *c, unsigned int n, uint32_t mss)
{
	uint32_t start = c->our_seq;

	CHECK_EQ(tcpt_send(c->sk, data, n * mss), (long)(n * mss));
	for (unsigned int i = 0; i < n; i++) {
		struct tcpt_seg got;

		CHECK(tcpt_pop(env, &got));
		CHECK_EQ(got.seq, start + i * mss);
		CHECK_EQ(got.len, mss);
	}
	return start;
}

static void test_fast_retransmit_newreno(void)
{
	struct ipt_env env;
	struct tcpt_conn c;
	struct tcpt_seg got;
	uint32_t mss, start;

	fill();
	tcpt_setup(&env);
	CHECK(tcpt_passive_open_opts(&env, tcpt_listen(80, 4), 40001, &c, false, false));
	nodelay(c.sk);
	mss = tcp_current_mss(c.sk);
	CHECK_EQ(mss, 1460);
	start = send_burst(&env, &c, 10, mss);
	/* segment 1 and 3 are lost: the peer acks 0, then dups */
	c.our_seq = start + mss;
	tcpt_peer_ack(&env, &c);
	tcpt_peer_ack(&env, &c);
	tcpt_peer_ack(&env, &c);
	CHECK(tcpt_expect_none(&env));
	tcpt_peer_ack(&env, &c);		/* third duplicate */
	CHECK(tcpt_expect(&env, A, start + mss, c.peer_seq, &got));
	CHECK_EQ(got.len, mss);
	CHECK_EQ(tcpext_statistics.TCPFastRetrans, 1);
	CHECK_EQ(tcpext_statistics.TCPRenoRecovery, 1);
	CHECK_EQ(tcp_sk(c.sk)->ca_state, TCP_CA_Recovery);
	CHECK_EQ(tcp_sk(c.sk)->snd_ssthresh, 10 * 717 / 1024);
	/* partial ACK up to the second hole: it is resent at once */
	c.our_seq = start + 3 * mss;
	tcpt_peer_ack(&env, &c);
	CHECK(tcpt_expect(&env, A, start + 3 * mss, c.peer_seq, &got));
	/* full ACK ends recovery */
	c.our_seq = start + 10 * mss;
	tcpt_peer_ack(&env, &c);
	CHECK_EQ(tcp_sk(c.sk)->ca_state, TCP_CA_Open);
	CHECK_EQ(tcp_sk(c.sk)->snd_cwnd, tcp_sk(c.sk)->snd_ssthresh);
	CHECK_EQ(tcpext_statistics.TCPTimeouts, 0);
	tcpt_close(c.sk);
	tcpt_close(c.listener);
	tcpt_teardown(&env);
}

static void test_sack_recovery(void)
{
	struct ipt_env env;
	struct tcpt_conn c;
	struct tcpt_seg got, ack;
	uint32_t mss, start;

	fill();
	tcpt_setup(&env);
	CHECK(tcpt_passive_open(&env, tcpt_listen(80, 4), 40002, &c));
	nodelay(c.sk);
	mss = tcp_current_mss(c.sk);
	start = send_burst(&env, &c, 10, mss);
	/* segments 2 and 5 lost (0-based 1 and 4); the peer SACKs the rest */
	c.our_seq = start + mss;
	ack = tcpt_peer_seg(&c, A);
	ack.nsacks = 1;
	ack.sacks[0] = (struct tcp_sack_block){ start + 2 * mss, start + 3 * mss };
	tcpt_inject(&env, &ack);
	ack.sacks[0].end_seq = start + 4 * mss;
	tcpt_inject(&env, &ack);
	ack.nsacks = 2;
	ack.sacks[0] = (struct tcp_sack_block){ start + 5 * mss, start + 6 * mss };
	ack.sacks[1] = (struct tcp_sack_block){ start + 2 * mss, start + 4 * mss };
	tcpt_inject(&env, &ack);
	/* three SACKed segments above the first hole: it is lost */
	CHECK(tcpt_expect(&env, A, start + mss, c.peer_seq, &got));
	CHECK_EQ(tcpext_statistics.TCPSackRecovery, 1);
	ack.sacks[0].end_seq = start + 8 * mss;
	tcpt_inject(&env, &ack);
	/* now the second hole has three SACKed above it as well */
	CHECK(tcpt_expect(&env, A, start + 4 * mss, c.peer_seq, &got));
	CHECK(tcpt_expect_none(&env));	/* and nothing else with it */
	/* the first retransmission arrives (an RTT later: not too soon to be
	 * its answer): a partial ACK up to the second hole; nothing arrived
	 * late, so no reordering is seen */
	host_clock_advance(MSEC);
	ack.ack = start + 4 * mss;
	tcpt_inject(&env, &ack);
	CHECK_EQ(tcp_sk(c.sk)->snd_una, start + 4 * mss);
	CHECK_EQ(tcp_sk(c.sk)->reordering, 3);
	CHECK_EQ(tcpext_statistics.TCPSACKReorder, 0);
	c.our_seq = start + 10 * mss;
	tcpt_peer_ack(&env, &c);
	CHECK_EQ(tcp_sk(c.sk)->reordering, 3);
	CHECK_EQ(tcp_sk(c.sk)->ca_state, TCP_CA_Open);
	CHECK_EQ(tcp_statistics.RetransSegs, 2);
	CHECK_EQ(tcp_sk(c.sk)->packets_out, 0);
	CHECK_EQ(tcp_sk(c.sk)->sacked_out, 0);
	tcpt_close(c.sk);
	tcpt_close(c.listener);
	tcpt_teardown(&env);
}

/* RFC 8985 6.2 for retransmissions: the hole's retransmission is lost
 * as well; data sent after it gets SACKed, so it is resent without
 * waiting for the RTO. */
static void test_lost_retransmit(void)
{
	struct ipt_env env;
	struct tcpt_conn c;
	struct tcpt_seg ack, got;
	uint32_t mss, start;

	fill();
	tcpt_setup(&env);
	CHECK(tcpt_passive_open(&env, tcpt_listen(80, 4), 40009, &c));
	nodelay(c.sk);
	mss = tcp_current_mss(c.sk);
	start = send_burst(&env, &c, 10, mss);
	c.our_seq = start + mss;
	ack = tcpt_peer_seg(&c, A);
	ack.nsacks = 1;
	ack.sacks[0] = (struct tcp_sack_block){ start + 2 * mss, start + 5 * mss };
	tcpt_inject(&env, &ack);
	CHECK(tcpt_expect(&env, A, start + mss, c.peer_seq, &got));
	host_clock_advance(10 * MSEC);
	CHECK_EQ(tcpt_send(c.sk, data, mss), (long)mss);
	ack.sacks[0].end_seq = start + 10 * mss;
	tcpt_inject(&env, &ack);		/* the pipe drains: new data leaves */
	CHECK(tcpt_expect(&env, AP, start + 10 * mss, c.peer_seq, &got));
	ack.sacks[0].end_seq = start + 11 * mss;
	tcpt_inject(&env, &ack);		/* sent after the retransmission, SACKed */
	CHECK(tcpt_expect(&env, A, start + mss, c.peer_seq, &got));
	CHECK_EQ(tcpext_statistics.TCPLostRetransmit, 1);
	CHECK_EQ(tcpext_statistics.TCPTimeouts, 0);
	tcpt_close(c.sk);
	tcpt_close(c.listener);
	tcpt_teardown(&env);
}

/* Picks a peer port and moves the clock so that the next passive open
 * from that port to port 80 gets iss as our ISN: the ISN is a hash of the
 * 4-tuple plus the clock in 4096 ns ticks (tcp_v4_init_seq). */
static uint16_t port_for_iss(uint32_t iss)
{
	uint32_t best = UINT32_MAX;
	uint16_t port = 0;
	uint64_t now = net_now_ns();

	for (uint32_t p = 40100; p <= 0xffff; p++) {
		uint32_t shift = iss - tcp_v4_init_seq(TCPT_OURS, TCPT_PEER, 80, (uint16_t)p);

		if (shift && shift < best) {
			best = shift;
			port = (uint16_t)p;
		}
	}
	host_clock_advance((((now >> 12) + best) << 12) - now);
	return port;
}

/* Reordering measured from the highest SACKed sequence, on a connection
 * whose data starts at first_seq: segment 2 is SACKed after 5-6 were
 * (reordering of 5 segments: DupThresh 5, so three SACKed segments above
 * segment 1 do not make it lost), then the cumulative ACK shows that 1
 * arrived after 6 (6 segments).  Nothing is retransmitted. */
static void sack_reordering_at(uint32_t first_seq)
{
	struct ipt_env env;
	struct tcpt_conn c;
	struct tcpt_seg ack;
	struct sock *listener;
	struct tcp_sock *tp;
	uint32_t mss, start;

	fill();
	tcpt_setup(&env);
	listener = tcpt_listen(80, 4);
	CHECK(tcpt_passive_open(&env, listener, port_for_iss(first_seq - 1), &c));
	tp = tcp_sk(c.sk);
	CHECK_EQ(tp->iss, first_seq - 1);
	nodelay(c.sk);
	mss = tcp_current_mss(c.sk);
	start = send_burst(&env, &c, 10, mss);
	CHECK_EQ(start, first_seq);
	CHECK_EQ(tcp_highest_sack_seq(tp), start);
	c.our_seq = start + mss;
	ack = tcpt_peer_seg(&c, A);
	ack.nsacks = 1;
	ack.sacks[0] = (struct tcp_sack_block){ start + 5 * mss, start + 7 * mss };
	tcpt_inject(&env, &ack);
	CHECK_EQ(tcp_highest_sack_seq(tp), start + 7 * mss);
	CHECK_EQ(tp->reordering, 3);
	CHECK_EQ(tcpext_statistics.TCPSACKReorder, 0);
	ack.nsacks = 2;
	ack.sacks[0] = (struct tcp_sack_block){ start + 2 * mss, start + 3 * mss };
	ack.sacks[1] = (struct tcp_sack_block){ start + 5 * mss, start + 7 * mss };
	tcpt_inject(&env, &ack);
	CHECK_EQ(tp->reordering, 5);
	CHECK_EQ(tcpext_statistics.TCPSACKReorder, 1);
	CHECK_EQ(tp->sacked_out, 3);
	CHECK_EQ(tp->lost_out, 0);
	CHECK_EQ(tp->ca_state, TCP_CA_Disorder);
	CHECK(tcpt_expect_none(&env));
	c.our_seq = start + 7 * mss;
	tcpt_peer_ack(&env, &c);
	CHECK_EQ(tp->reordering, 6);
	CHECK_EQ(tcpext_statistics.TCPSACKReorder, 2);
	CHECK_EQ(tp->sacked_out, 0);
	CHECK_EQ(tcp_highest_sack_seq(tp), start + 7 * mss);
	CHECK_EQ(tp->ca_state, TCP_CA_Open);
	c.our_seq = start + 10 * mss;
	tcpt_peer_ack(&env, &c);
	CHECK_EQ(tp->packets_out, 0);
	CHECK_EQ(tcpext_statistics.TCPFastRetrans, 0);
	CHECK_EQ(tcp_statistics.RetransSegs, 0);
	tcpt_close(c.sk);
	tcpt_close(listener);
	tcpt_teardown(&env);
}

/* The same below 2^31, across the wrap of 2^32, and in the upper half,
 * where a highest_sack left at 0 compares as ahead of every sequence. */
static void test_sack_reordering(void)
{
	sack_reordering_at(0x10000000u);
	sack_reordering_at(0u - 4 * 1448);
	sack_reordering_at(0xc0000000u);
}

static void test_zero_window_persist(void)
{
	struct ipt_env env;
	struct tcpt_conn c;
	struct tcpt_seg got;
	uint64_t t = 200 * MSEC;

	tcpt_setup(&env);
	CHECK(tcpt_passive_open(&env, tcpt_listen(80, 4), 40003, &c));
	c.peer_win = 0;
	tcpt_peer_ack(&env, &c);
	CHECK_EQ(tcp_sk(c.sk)->snd_wnd, 0);
	CHECK_EQ(tcpt_send(c.sk, data, 500), 500);
	CHECK(tcpt_expect_none(&env));
	/* probes: SND.UNA - 1, no data, backed off */
	for (int i = 0; i < 3; i++) {
		host_clock_advance(t - MSEC);
		CHECK(tcpt_expect_none(&env));
		host_clock_advance(MSEC);
		CHECK(tcpt_expect(&env, A, c.our_seq - 1, c.peer_seq, &got));
		CHECK_EQ(got.len, 0);
		c.peer_tsval++;
		tcpt_peer_ack(&env, &c);	/* still zero */
		t *= 2;
	}
	CHECK_EQ(tcpext_statistics.TCPWinProbe, 3);
	c.peer_win = 100;			/* << 7 = 12800 */
	tcpt_peer_ack(&env, &c);
	CHECK_EQ(tcp_sk(c.sk)->snd_wnd, 12800);
	CHECK(tcpt_expect(&env, AP, c.our_seq, c.peer_seq, &got));
	CHECK_EQ(got.len, 500);
	tcpt_close(c.sk);
	tcpt_close(c.listener);
	tcpt_teardown(&env);
}

static void test_window_scaling(void)
{
	struct ipt_env env;
	struct tcpt_conn c;
	struct tcpt_seg got;
	struct tcp_sock *tp;

	tcpt_setup(&env);
	CHECK(tcpt_passive_open(&env, tcpt_listen(80, 4), 40004, &c));
	tp = tcp_sk(c.sk);
	CHECK_EQ(tp->snd_wscale, 7);
	CHECK_EQ(c.our_wscale, tp->rcv_wscale);
	CHECK_EQ(tp->rcv_wscale, 7);		/* 8 MiB max buffer / 65535 */
	CHECK_EQ(tp->snd_wnd, (65535u >> 7) << 7);
	tcpt_peer_send(&env, &c, data, 1000);
	CHECK(tcpt_expect(&env, A, c.our_seq, c.peer_seq, &got));
	/* the advertised field times 2^7 is the window we hold open */
	CHECK_EQ((uint32_t)got.win << 7, tp->rcv_wnd);
	CHECK(tp->rcv_wnd >= (uint32_t)(c.sk->sk_rcvbuf - c.sk->sk_rmem_alloc) / 2 - 128);
	tcpt_close(c.sk);
	tcpt_close(c.listener);
	tcpt_teardown(&env);
}

static void test_nagle_and_nodelay(void)
{
	struct ipt_env env;
	struct tcpt_conn c;
	struct tcpt_seg got;

	tcpt_setup(&env);
	CHECK(tcpt_passive_open(&env, tcpt_listen(80, 4), 40005, &c));
	CHECK_EQ(tcpt_send(c.sk, "a", 1), 1);
	CHECK(tcpt_expect(&env, AP, c.our_seq, c.peer_seq, NULL));
	CHECK_EQ(tcpt_send(c.sk, "b", 1), 1);
	CHECK_EQ(tcpt_send(c.sk, "c", 1), 1);
	CHECK(tcpt_expect_none(&env));		/* a small segment is unacked */
	c.our_seq++;
	tcpt_peer_ack(&env, &c);
	CHECK(tcpt_expect(&env, AP, c.our_seq, c.peer_seq, &got));
	CHECK_EQ(got.len, 2);
	c.our_seq += 2;
	nodelay(c.sk);
	CHECK_EQ(tcpt_send(c.sk, "d", 1), 1);
	CHECK_EQ(tcpt_send(c.sk, "e", 1), 1);
	CHECK(tcpt_expect(&env, AP, c.our_seq, c.peer_seq, NULL));
	CHECK(tcpt_expect(&env, AP, c.our_seq + 1, c.peer_seq, NULL));
	tcpt_close(c.sk);
	tcpt_close(c.listener);
	tcpt_teardown(&env);
}

/* MSG_MORE holds a partial segment; the shutdown's FIN rides on it. */
static void test_msg_more_then_fin(void)
{
	struct ipt_env env;
	struct tcpt_conn c;
	struct tcpt_seg got;

	tcpt_setup(&env);
	CHECK(tcpt_passive_open(&env, tcpt_listen(80, 4), 40006, &c));
	nodelay(c.sk);
	net_bh_disable();
	CHECK_EQ(tcp_prot.sendmsg(c.sk, "answer", 6, MSG_MORE, NULL), 6);
	net_bh_enable();
	host_run_softirqs(0);
	CHECK(tcpt_expect_none(&env));
	net_bh_disable();
	tcp_prot.shutdown(c.sk, SEND_SHUTDOWN);
	net_bh_enable();
	host_run_softirqs(0);
	CHECK(tcpt_expect(&env, AP | TCPHDR_FIN, c.our_seq, c.peer_seq, &got));
	CHECK_EQ(got.len, 6);
	CHECK(tcpt_expect_none(&env));
	tcpt_close(c.sk);
	tcpt_close(c.listener);
	tcpt_teardown(&env);
}

static void test_delayed_ack(void)
{
	struct ipt_env env;
	struct tcpt_conn c;
	char buf[4096];

	fill();
	tcpt_setup(&env);
	CHECK(tcpt_passive_open(&env, tcpt_listen(80, 4), 40006, &c));
	/* quick ACKs first */
	for (int i = 0; i < 16; i++) {
		tcpt_peer_send(&env, &c, data, 1448);
		CHECK(tcpt_expect(&env, A, c.our_seq, c.peer_seq, NULL));
		CHECK_EQ(tcpt_recv(c.sk, buf, sizeof(buf)), 1448);
	}
	/* then one full segment waits 40 ms */
	tcpt_peer_send(&env, &c, data, 1448);
	CHECK(tcpt_expect_none(&env));
	host_clock_advance(39 * MSEC);
	CHECK(tcpt_expect_none(&env));
	host_clock_advance(1 * MSEC);
	CHECK(tcpt_expect(&env, A, c.our_seq, c.peer_seq, NULL));
	CHECK_EQ(tcpext_statistics.DelayedACKs, 1);
	/* and two are ACKed at once */
	tcpt_peer_send(&env, &c, data, 1448);
	CHECK(tcpt_expect_none(&env));
	tcpt_peer_send(&env, &c, data, 1448);
	CHECK(tcpt_expect(&env, A, c.our_seq, c.peer_seq, NULL));
	/* out of order: immediate duplicate ACK with a SACK block */
	{
		struct tcpt_seg s = tcpt_peer_seg(&c, AP), got;

		s.seq += 1000;
		s.data = data;
		s.len = 100;
		tcpt_inject(&env, &s);
		CHECK(tcpt_expect(&env, A, c.our_seq, c.peer_seq, &got));
		CHECK_EQ(got.nsacks, 1);
		CHECK_EQ(got.sacks[0].start_seq, c.peer_seq + 1000);
		CHECK_EQ(got.sacks[0].end_seq, c.peer_seq + 1100);
		CHECK_EQ(tcpext_statistics.TCPOFOQueue, 1);
	}
	tcpt_close(c.sk);
	tcpt_close(c.listener);
	tcpt_teardown(&env);
}

/* Out-of-order data filling the buffer must not close the window on the
 * hole before it (the peer could never fill it); when memory runs short,
 * the out-of-order data farthest from the hole goes first. */
static void test_ofo_fills_buffer(void)
{
	struct ipt_env env;
	struct tcpt_conn c;
	struct tcpt_seg s, got;
	int small = 8192;
	uint32_t hole;

	fill();
	tcpt_setup(&env);
	CHECK(tcpt_passive_open(&env, tcpt_listen(80, 4), 40012, &c));
	CHECK_EQ(sock_setsockopt(c.sk, SO_RCVBUF, &small, sizeof(small)), 0);
	hole = c.peer_seq;
	for (int i = 1; i <= 12; i++) {
		s = tcpt_peer_seg(&c, AP);
		s.seq = hole + (uint32_t)i * 1000;
		s.data = data;
		s.len = 1000;
		tcpt_inject(&env, &s);
		while (tcpt_pop(&env, &got))
			;
	}
	CHECK(tcpext_statistics.TCPOFODrop + tcpext_statistics.OfoPruned > 0);	/* it filled */
	CHECK((uint32_t)got.win << c.our_wscale >= 1000);	/* room for the hole */
	s = tcpt_peer_seg(&c, AP);
	s.data = data;
	s.len = 1000;
	tcpt_inject(&env, &s);
	/* the hole and the out-of-order data right after it are in order:
	 * what had to go was the highest */
	CHECK(!before(tcp_sk(c.sk)->rcv_nxt, hole + 3000));
	tcpt_close(c.sk);
	tcpt_close(c.listener);
	tcpt_teardown(&env);
}

/* While out-of-order data is held, our data segments carry SACK blocks:
 * the MSS shrinks by them so every segment still fits the 1500-byte MTU
 * (with DF set, a larger one would be dropped). */
static void test_sack_blocks_fit_mtu(void)
{
	struct ipt_env env;
	struct tcpt_conn c;
	struct tcpt_seg s, got;
	uint32_t sent = 0, total = 6 * 1448;

	fill();
	tcpt_setup(&env);
	CHECK(tcpt_passive_open(&env, tcpt_listen(80, 4), 40013, &c));
	nodelay(c.sk);
	for (int i = 1; i <= 3; i++) {		/* three holes: three blocks */
		s = tcpt_peer_seg(&c, AP);
		s.seq = c.peer_seq + (uint32_t)i * 2000;
		s.data = data;
		s.len = 1000;
		tcpt_inject(&env, &s);
		CHECK(tcpt_pop(&env, &got));
	}
	CHECK_EQ(got.nsacks, 3);
	CHECK_EQ(tcpt_send(c.sk, data, total), (long)total);
	while (sent < total) {
		CHECK(tcpt_pop(&env, &got));
		if (!got.len)
			break;
		CHECK_EQ(got.nsacks, 3);
		CHECK(20u + (uint32_t)got.doff + got.len <= 1500u);
		sent += got.len;
	}
	CHECK_EQ(sent, total);
	tcpt_close(c.sk);
	tcpt_close(c.listener);
	tcpt_teardown(&env);
}

/* Loopback's MTU is 65536, but the IP total length is 16 bits: a full
 * segment with the most options must still fit 65535 bytes. */
static void test_mss_cap(void)
{
	struct ipt_env env;
	struct sock *sk;
	struct tcp_sock *tp;

	tcpt_setup(&env);
	sk = tcpt_socket(0);
	tp = tcp_sk(sk);

	tp->tstamp_ok = tp->sack_ok = true;
	tcp_sync_mss(sk, 65536);
	CHECK_EQ(tp->mss_cache, TCP_MAX_MSS);
	CHECK(20u + TCP_HDR_LEN + TCP_MAX_OPT_LEN + tp->mss_cache <= 0xffffu);
	CHECK_EQ(tcp_current_mss(sk), TCP_MAX_MSS - 12);
	tcp_sync_mss(sk, 1500);
	CHECK_EQ(tp->mss_cache, 1460);
	tcpt_close(sk);
	tcpt_teardown(&env);
}

static void test_paws(void)
{
	struct ipt_env env;
	struct tcpt_conn c;
	struct tcpt_seg s;

	tcpt_setup(&env);
	CHECK(tcpt_passive_open(&env, tcpt_listen(80, 4), 40007, &c));
	c.peer_tsval = 1000;
	tcpt_peer_send(&env, &c, "x", 1);
	/* a first request waits for its answer, at most the delayed-ACK time */
	CHECK(tcpt_expect_none(&env));
	host_clock_advance(TCP_DELACK_NS);
	CHECK(tcpt_expect(&env, A, c.our_seq, c.peer_seq, NULL));
	/* an old timestamp: dropped, ACKed (RFC 7323 5.3) */
	s = tcpt_peer_seg(&c, AP);
	s.tsval = 900;
	s.data = (const uint8_t *)"y";
	s.len = 1;
	tcpt_inject(&env, &s);
	CHECK(tcpt_expect(&env, A, c.our_seq, c.peer_seq, NULL));
	CHECK_EQ(tcpext_statistics.PAWSEstab, 1);
	CHECK_EQ(tcp_sk(c.sk)->rcv_nxt, c.peer_seq);
	tcpt_close(c.sk);
	tcpt_close(c.listener);
	tcpt_teardown(&env);
}

/* Sends a pure ACK of c->our_seq with the given TSval and window. */
static void peer_ack_ts(struct ipt_env *env, const struct tcpt_conn *c, uint32_t tsval,
			uint16_t win)
{
	struct tcpt_seg s = tcpt_peer_seg(c, A);

	s.tsval = tsval;
	s.win = win;
	tcpt_inject(env, &s);
}

/* Linux's exception to PAWS (tcp_disordered_ack): the peer's third
 * duplicate ACK overtook its second, so its TSval is older than
 * TS.Recent; it changes nothing but the duplicate count, and fast
 * retransmit still happens.  An old TSval beyond an RTO, or on an ACK
 * that would move SND.UNA or the window, or on data, still fails PAWS. */
static void test_paws_disordered_ack(void)
{
	struct ipt_env env;
	struct tcpt_conn c;
	struct tcpt_seg got, s;
	uint32_t mss, start;
	uint16_t win;

	fill();
	tcpt_setup(&env);
	CHECK(tcpt_passive_open_opts(&env, tcpt_listen(80, 4), 40010, &c, false, true));
	nodelay(c.sk);
	mss = tcp_current_mss(c.sk);
	start = send_burst(&env, &c, 4, mss);
	win = c.peer_win;
	peer_ack_ts(&env, &c, 1000, win);
	peer_ack_ts(&env, &c, 1010, win);
	CHECK_EQ(tcp_sk(c.sk)->ts_recent, 1010);
	CHECK(tcpt_expect_none(&env));
	peer_ack_ts(&env, &c, 1005, win);	/* sent before the 1010 one */
	CHECK_EQ(tcpext_statistics.PAWSEstab, 0);
	CHECK(tcpt_expect(&env, A, start, c.peer_seq, &got));
	CHECK_EQ(got.len, mss);
	CHECK_EQ(tcpext_statistics.TCPFastRetrans, 1);
	CHECK_EQ(tcp_sk(c.sk)->ts_recent, 1010);
	/* older than an RTO (200 ms, in the peer's millisecond ticks) */
	CHECK_EQ(tcp_rto_ns(tcp_sk(c.sk)), TCP_RTO_MIN_NS);
	peer_ack_ts(&env, &c, 1010 - 201, win);
	CHECK_EQ(tcpext_statistics.PAWSEstab, 1);
	CHECK(tcpt_expect(&env, A, start + 4 * mss, c.peer_seq, &got));
	CHECK_EQ(got.len, 0);
	peer_ack_ts(&env, &c, 1010 - 200, win);	/* exactly an RTO: accepted */
	CHECK_EQ(tcpext_statistics.PAWSEstab, 1);
	CHECK(tcpt_expect_none(&env));
	/* a different window */
	peer_ack_ts(&env, &c, 1005, (uint16_t)(win - 1));
	CHECK_EQ(tcpext_statistics.PAWSEstab, 2);
	CHECK(tcpt_expect(&env, A, start + 4 * mss, c.peer_seq, NULL));
	CHECK_EQ(tcp_sk(c.sk)->snd_wnd, (uint32_t)win << 7);
	/* new data acknowledged */
	c.our_seq = start + mss;
	peer_ack_ts(&env, &c, 1005, win);
	CHECK_EQ(tcpext_statistics.PAWSEstab, 3);
	CHECK(tcpt_expect(&env, A, start + 4 * mss, c.peer_seq, NULL));
	CHECK_EQ(tcp_sk(c.sk)->snd_una, start);
	/* data */
	c.our_seq = start;
	s = tcpt_peer_seg(&c, AP);
	s.tsval = 1005;
	s.data = (const uint8_t *)"z";
	s.len = 1;
	tcpt_inject(&env, &s);
	CHECK_EQ(tcpext_statistics.PAWSEstab, 4);
	CHECK(tcpt_expect(&env, A, start + 4 * mss, c.peer_seq, NULL));
	CHECK_EQ(tcp_sk(c.sk)->rcv_nxt, c.peer_seq);
	/* a current timestamp acknowledges everything */
	c.our_seq = start + 4 * mss;
	peer_ack_ts(&env, &c, 1020, win);
	CHECK_EQ(tcp_sk(c.sk)->ca_state, TCP_CA_Open);
	CHECK_EQ(tcp_sk(c.sk)->packets_out, 0);
	CHECK_EQ(tcpext_statistics.PAWSEstab, 4);
	tcpt_close(c.sk);
	tcpt_close(c.listener);
	tcpt_teardown(&env);
}

static void test_keepalive(void)
{
	struct ipt_env env;
	struct tcpt_conn c;
	int v = 10;

	tcpt_setup(&env);
	CHECK(tcpt_passive_open(&env, tcpt_listen(80, 4), 40008, &c));
	CHECK_EQ(tcp_prot.setsockopt(c.sk, SOL_TCP, TCP_KEEPIDLE, &v, sizeof(v)), 0);
	v = 1;
	CHECK_EQ(tcp_prot.setsockopt(c.sk, SOL_TCP, TCP_KEEPINTVL, &v, sizeof(v)), 0);
	v = 3;
	CHECK_EQ(tcp_prot.setsockopt(c.sk, SOL_TCP, TCP_KEEPCNT_OPT, &v, sizeof(v)), 0);
	v = 1;
	CHECK_EQ(sock_setsockopt(c.sk, SO_KEEPALIVE, &v, sizeof(v)), 0);
	host_clock_advance(10 * SEC);
	CHECK(tcpt_expect(&env, A, c.our_seq - 1, c.peer_seq, NULL));
	tcpt_peer_ack(&env, &c);		/* alive: back to idle */
	host_clock_advance(9 * SEC);
	CHECK(tcpt_expect_none(&env));
	host_clock_advance(1 * SEC);
	CHECK(tcpt_expect(&env, A, c.our_seq - 1, c.peer_seq, NULL));
	host_clock_advance(1 * SEC);
	CHECK(tcpt_expect(&env, A, c.our_seq - 1, c.peer_seq, NULL));
	host_clock_advance(1 * SEC);
	CHECK(tcpt_expect(&env, A, c.our_seq - 1, c.peer_seq, NULL));
	host_clock_advance(1 * SEC);
	CHECK(tcpt_expect(&env, TCPHDR_RST | A, c.our_seq, c.peer_seq, NULL));
	CHECK_EQ(c.sk->sk_state, TCP_CLOSE);
	CHECK_EQ(sock_error(c.sk), -ETIMEDOUT);
	CHECK_EQ(tcpext_statistics.TCPKeepAlive, 4);
	tcpt_close(c.sk);
	tcpt_close(c.listener);
	tcpt_teardown(&env);
}

int main(void)
{
	host_log_level(3);
	test_rto_backoff();
	test_fast_retransmit_newreno();
	test_sack_recovery();
	test_lost_retransmit();
	test_sack_reordering();
	test_zero_window_persist();
	test_window_scaling();
	test_nagle_and_nodelay();
	test_msg_more_then_fin();
	test_delayed_ack();
	test_ofo_fills_buffer();
	test_sack_blocks_fit_mtu();
	test_mss_cap();
	test_paws();
	test_paws_disordered_ack();
	test_keepalive();
	return check_report();
}
