/*
 * Loss recovery through RACK-TLP (RFC 8985) and undo (RFC 3708, Eifel):
 * the tail loss probe after about 2 * SRTT, RACK marking lost only once
 * the reordering window has passed, reordering inside the window costing
 * no retransmission (and on a reordering path DupThresh SACKed segments
 * needed as well), D-SACK undo of a fast recovery and timestamp undo of a
 * spurious RTO.  The clock moves only when a test moves it.
 */
#include "net/ipv4/tcp.h"

#include "tests/host/check.h"
#include "tests/host/net_platform_host.h"
#include "tests/host/test_tcp_util.h"

#define A	TCPHDR_ACK
#define AP	(TCPHDR_ACK | TCPHDR_PSH)
#define USEC	1000ull
#define RTT	(20 * MSEC)

static uint8_t data[64 * 1024];

/* An established connection (SACK, timestamps, TCP_NODELAY) whose SRTT
 * has settled near RTT after a few exchanges of one small segment. */
static void open_conn(struct ipt_env *env, struct tcpt_conn *c, uint16_t peer_port)
{
	struct tcpt_seg got, ack;
	int one = 1;

	tcpt_setup(env);
	CHECK(tcpt_passive_open(env, tcpt_listen(80, 4), peer_port, c));
	CHECK_EQ(tcp_prot.setsockopt(c->sk, SOL_TCP, TCP_NODELAY, &one, sizeof(one)), 0);
	for (int i = 0; i < 24; i++) {
		CHECK_EQ(tcpt_send(c->sk, data, 10), 10);
		CHECK(tcpt_pop(env, &got));
		host_clock_advance(RTT);
		c->our_seq += 10;
		ack = tcpt_peer_seg(c, A);
		ack.tsecr = got.tsval;
		tcpt_inject(env, &ack);
	}
	CHECK(tcpt_expect_none(env));
	/* within an eighth of RTT of it */
	CHECK(tcp_sk(c->sk)->srtt_us > RTT / 1000 * 7 / 8);
}

static void close_conn(struct ipt_env *env, struct tcpt_conn *c)
{
	tcpt_close(c->sk);
	tcpt_close(c->listener);
	tcpt_teardown(env);
}

/* Sends n full segments; returns the first sequence number. */
static uint32_t send_burst(struct ipt_env *env, struct tcpt_conn *c, unsigned int n,
			   uint32_t *tsval)
{
	uint32_t mss = tcp_current_mss(c->sk), start = c->our_seq;
	struct tcpt_seg got;

	CHECK_EQ(tcpt_send(c->sk, data, n * mss), (long)(n * mss));
	for (unsigned int i = 0; i < n; i++) {
		CHECK(tcpt_pop(env, &got));
		CHECK_EQ(got.seq, start + i * mss);
		*tsval = got.tsval;
	}
	return start;
}

/* The peer acks up to ack and SACKs [s0, e0) (nothing if e0 == s0). */
static void peer_sack(struct ipt_env *env, struct tcpt_conn *c, uint32_t ack, uint32_t s0,
		      uint32_t e0, uint32_t tsecr)
{
	struct tcpt_seg seg;

	c->our_seq = ack;
	seg = tcpt_peer_seg(c, A);
	seg.tsecr = tsecr;
	if (e0 != s0) {
		seg.nsacks = 1;
		seg.sacks[0] = (struct tcp_sack_block){ s0, e0 };
	}
	tcpt_inject(env, &seg);
}

/* RFC 8985 7: the whole tail of a flight is lost; after 2 * SRTT (not the
 * RTO) the last segment is sent again, its ACK repairs the loss, and the
 * window is reduced once. */
static void test_tlp_probes_tail(void)
{
	struct ipt_env env;
	struct tcpt_conn c;
	struct tcpt_seg got;
	uint32_t mss, start, tsval, cwnd;
	uint64_t pto;

	open_conn(&env, &c, 41000);
	mss = tcp_current_mss(c.sk);
	start = send_burst(&env, &c, 4, &tsval);
	pto = 2ull * tcp_sk(c.sk)->srtt_us * 1000;
	CHECK(pto < tcp_rto_ns(tcp_sk(c.sk)));
	host_clock_advance(pto - MSEC);
	CHECK(tcpt_expect_none(&env));
	host_clock_advance(MSEC);
	CHECK(tcpt_expect(&env, AP, start + 3 * mss, c.peer_seq, &got));
	CHECK_EQ(got.len, mss);
	CHECK_EQ(tcpext_statistics.TCPLossProbes, 1);
	CHECK_EQ(tcpext_statistics.TCPTimeouts, 0);
	/* only one probe per flight: the RTO follows */
	host_clock_advance(pto);
	CHECK(tcpt_expect_none(&env));
	cwnd = tcp_sk(c.sk)->snd_cwnd;
	peer_sack(&env, &c, start + 4 * mss, 0, 0, got.tsval);
	CHECK_EQ(tcpext_statistics.TCPLossProbeRecovery, 1);
	CHECK(tcp_sk(c.sk)->snd_cwnd < cwnd);
	CHECK_EQ(tcp_sk(c.sk)->tlp_high_seq, 0);
	close_conn(&env, &c);
}

/* A probe whose original arrived too is D-SACKed: no reduction. */
static void test_tlp_dsack_no_reduction(void)
{
	struct ipt_env env;
	struct tcpt_conn c;
	struct tcpt_seg got, ack;
	uint32_t mss, start, tsval, cwnd;

	open_conn(&env, &c, 41001);
	mss = tcp_current_mss(c.sk);
	start = send_burst(&env, &c, 4, &tsval);
	cwnd = tcp_sk(c.sk)->snd_cwnd;
	host_clock_advance(2ull * tcp_sk(c.sk)->srtt_us * 1000);
	CHECK(tcpt_expect(&env, AP, start + 3 * mss, c.peer_seq, &got));
	c.our_seq = start + 4 * mss;
	ack = tcpt_peer_seg(&c, A);
	ack.tsecr = got.tsval;
	ack.nsacks = 1;
	ack.sacks[0] = (struct tcp_sack_block){ start + 3 * mss, start + 4 * mss };
	tcpt_inject(&env, &ack);
	CHECK_EQ(tcpext_statistics.TCPDSACKRecv, 1);
	CHECK_EQ(tcpext_statistics.TCPLossProbeRecovery, 0);
	CHECK(tcp_sk(c.sk)->snd_cwnd >= cwnd);	/* no reduction: slow start went on */
	close_conn(&env, &c);
}

/* RFC 8985 6.2: with one segment SACKed above a hole and no reordering
 * seen yet, the hole is lost only once RACK.rtt + reo_wnd (a quarter of
 * the min RTT) has passed since it was sent: the reordering timer. */
static void test_rack_waits_reo_wnd(void)
{
	struct ipt_env env;
	struct tcpt_conn c;
	uint32_t mss, start, tsval;
	uint64_t reo_wnd;

	open_conn(&env, &c, 41002);
	mss = tcp_current_mss(c.sk);
	start = send_burst(&env, &c, 6, &tsval);
	reo_wnd = tcp_sk(c.sk)->rtt_min_us * 1000ull / 4;
	CHECK(reo_wnd > 0);
	host_clock_advance(MSEC);
	peer_sack(&env, &c, start + mss, start + 2 * mss, start + 3 * mss, tsval);
	CHECK(tcpt_expect_none(&env));
	CHECK_EQ(tcp_sk(c.sk)->rtx_pending, TCP_TIME_REO);
	host_clock_advance(reo_wnd - 1);
	CHECK(tcpt_expect_none(&env));
	host_clock_advance(1);
	CHECK(tcpt_expect(&env, A, start + mss, c.peer_seq, NULL));
	CHECK_EQ(tcpext_statistics.TCPRACKReoTimeout, 1);
	CHECK_EQ(tcp_sk(c.sk)->ca_state, TCP_CA_Recovery);
	CHECK_EQ(tcp_statistics.RetransSegs, 1);
	close_conn(&env, &c);
}

/* The hole arrives late but inside the window: nothing is resent and
 * the reordering is noted.  From then on an original needs DupThresh
 * SACKed segments above it as well: a hole below two waits (here 10 ms,
 * far beyond the window) without a retransmission, one below three is
 * resent once the window has passed. */
static void test_rack_reordering_in_window(void)
{
	struct ipt_env env;
	struct tcpt_conn c;
	uint32_t mss, start, tsval;

	open_conn(&env, &c, 41003);
	mss = tcp_current_mss(c.sk);
	start = send_burst(&env, &c, 8, &tsval);
	host_clock_advance(MSEC);
	peer_sack(&env, &c, start + mss, start + 2 * mss, start + 3 * mss, tsval);
	CHECK_EQ(tcp_sk(c.sk)->rtx_pending, TCP_TIME_REO);
	host_clock_advance(100 * USEC);
	peer_sack(&env, &c, start + 8 * mss, 0, 0, tsval);	/* the hole came */
	CHECK(tcp_sk(c.sk)->rack.reord);
	CHECK_EQ(tcpext_statistics.TCPSACKReorder, 1);
	CHECK_EQ(tcp_statistics.RetransSegs, 0);

	start = send_burst(&env, &c, 8, &tsval);
	host_clock_advance(MSEC);
	peer_sack(&env, &c, start + mss, start + 2 * mss, start + 4 * mss, tsval);
	host_clock_advance(10 * MSEC);
	CHECK(tcpt_expect_none(&env));
	peer_sack(&env, &c, start + 8 * mss, 0, 0, tsval);
	CHECK(tcpt_expect_none(&env));
	CHECK_EQ(tcp_statistics.RetransSegs, 0);
	CHECK_EQ(tcp_sk(c.sk)->ca_state, TCP_CA_Open);

	start = send_burst(&env, &c, 8, &tsval);
	host_clock_advance(MSEC);
	peer_sack(&env, &c, start + mss, start + 2 * mss, start + 5 * mss, tsval);
	CHECK(tcpt_expect_none(&env));
	host_clock_advance(tcp_sk(c.sk)->rtt_min_us * 1000ull / 4 * 2);
	CHECK(tcpt_expect(&env, A, start + mss, c.peer_seq, NULL));
	CHECK_EQ(tcp_statistics.RetransSegs, 1);
	close_conn(&env, &c);
}

/* RFC 3708: the only retransmission of a fast recovery is D-SACKed (the
 * original was late, not lost): cwnd and ssthresh come back. */
static void test_dsack_undo(void)
{
	struct ipt_env env;
	struct tcpt_conn c;
	struct tcpt_seg ack;
	uint32_t mss, start, tsval, cwnd, ssthresh;

	open_conn(&env, &c, 41004);
	mss = tcp_current_mss(c.sk);
	start = send_burst(&env, &c, 8, &tsval);
	cwnd = tcp_sk(c.sk)->snd_cwnd;
	ssthresh = tcp_sk(c.sk)->snd_ssthresh;
	host_clock_advance(MSEC);
	peer_sack(&env, &c, start + mss, start + 2 * mss, start + 5 * mss, tsval);
	CHECK(tcpt_expect(&env, A, start + mss, c.peer_seq, NULL));
	CHECK_EQ(tcp_sk(c.sk)->ca_state, TCP_CA_Recovery);
	CHECK(tcp_sk(c.sk)->snd_cwnd < cwnd);
	/* the original arrives, then the retransmission: a D-SACK */
	c.our_seq = start + 8 * mss;
	ack = tcpt_peer_seg(&c, A);
	ack.tsecr = tsval;
	ack.nsacks = 1;
	ack.sacks[0] = (struct tcp_sack_block){ start + mss, start + 2 * mss };
	tcpt_inject(&env, &ack);
	CHECK_EQ(tcpext_statistics.TCPDSACKUndo, 1);
	CHECK_EQ(tcp_sk(c.sk)->snd_cwnd, cwnd);
	CHECK_EQ(tcp_sk(c.sk)->snd_ssthresh, ssthresh);
	CHECK_EQ(tcp_sk(c.sk)->ca_state, TCP_CA_Open);
	CHECK_EQ(tcp_sk(c.sk)->rack.reo_wnd_steps, 1);
	close_conn(&env, &c);
}

/* Eifel (RFC 3522, 4015): after an RTO the ACK echoes the timestamp of
 * the original transmission: the RTO was spurious and is undone. */
static void test_eifel_spurious_rto(void)
{
	struct ipt_env env;
	struct tcpt_conn c;
	struct tcpt_seg got;
	uint32_t mss, start, tsval, cwnd;

	open_conn(&env, &c, 41005);
	mss = tcp_current_mss(c.sk);
	start = send_burst(&env, &c, 4, &tsval);
	cwnd = tcp_sk(c.sk)->snd_cwnd;
	host_clock_advance(2ull * tcp_sk(c.sk)->srtt_us * 1000);
	CHECK(tcpt_expect(&env, AP, start + 3 * mss, c.peer_seq, &got));	/* probe */
	host_clock_advance(tcp_rto_ns(tcp_sk(c.sk)));
	CHECK(tcpt_expect(&env, A, start, c.peer_seq, &got));		/* RTO */
	CHECK_EQ(tcpext_statistics.TCPTimeouts, 1);
	CHECK_EQ(tcp_sk(c.sk)->snd_cwnd, 1);
	host_clock_advance(MSEC);
	peer_sack(&env, &c, start + mss, 0, 0, tsval);		/* echoes the original */
	CHECK_EQ(tcpext_statistics.TCPSpuriousRTOs, 1);
	CHECK_EQ(tcp_sk(c.sk)->snd_cwnd, cwnd);
	CHECK_EQ(tcp_sk(c.sk)->ca_state, TCP_CA_Open);
	close_conn(&env, &c);
}

int main(void)
{
	host_log_level(3);
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 13 + 5);
	test_tlp_probes_tail();
	test_tlp_dsack_no_reduction();
	test_rack_waits_reo_wnd();
	test_rack_reordering_in_window();
	test_dsack_undo();
	test_eifel_spurious_rto();
	return check_report();
}
