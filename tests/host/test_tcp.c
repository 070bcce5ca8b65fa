/*
 * TCP state machine, packetdrill style: passive and active opens, data
 * both ways, every close sequence (active, passive, simultaneous, with
 * TIME_WAIT), simultaneous open, half-close, resets (closed port,
 * in-window RST, RFC 5961 challenge ACKs), connect failures (RST, SYN
 * timeout with backoff, ICMP port unreachable), input deferred by
 * lock_sock, and the counters each step moves.
 */
#include "net/ipv4/tcp.h"

#include <stdio.h>

#include "kernel/errno.h"
#include "net/core/byteorder.h"
#include "net/core/checksum.h"
#include "net/ipv4/icmp.h"
#include "net/ipv4/inet_hashtables.h"
#include "tests/host/check.h"
#include "tests/host/net_platform_host.h"
#include "tests/host/test_tcp_util.h"

#define A	TCPHDR_ACK
#define AP	(TCPHDR_ACK | TCPHDR_PSH)
#define FA	(TCPHDR_FIN | TCPHDR_ACK)
#define SA	(TCPHDR_SYN | TCPHDR_ACK)
#define RA	(TCPHDR_RST | TCPHDR_ACK)

static void test_passive_open_data_close(void)
{
	struct ipt_env env;
	struct tcpt_conn c;
	struct tcpt_seg got, fin;
	struct sock *l;
	char buf[64];

	tcpt_setup(&env);
	l = tcpt_listen(80, 8);
	CHECK(tcpt_passive_open(&env, l, 40000, &c));
	CHECK_EQ(tcp_statistics.PassiveOpens, 1);
	CHECK_EQ(tcp_statistics.CurrEstab, 1);
	/* data in: the first request of a connection is not ACKed alone,
	 * its answer carries the ACK */
	tcpt_peer_send(&env, &c, "hello", 5);
	CHECK(tcpt_expect_none(&env));
	CHECK_EQ(tcpt_recv(c.sk, buf, sizeof(buf)), 5);
	CHECK(memcmp(buf, "hello", 5) == 0);
	CHECK_EQ(tcpt_recv(c.sk, buf, sizeof(buf)), -EAGAIN);
	/* data out */
	CHECK_EQ(tcpt_send(c.sk, "world!", 6), 6);
	CHECK(tcpt_expect(&env, AP, c.our_seq, c.peer_seq, &got));
	CHECK_EQ(got.len, 6);
	CHECK(memcmp(got.data, "world!", 6) == 0);
	CHECK(got.ts);
	c.our_seq += 6;
	tcpt_peer_ack(&env, &c);
	CHECK(tcpt_expect_none(&env));
	/* the peer closes: CLOSE_WAIT, EOF */
	fin = tcpt_peer_seg(&c, FA);
	tcpt_inject(&env, &fin);
	c.peer_seq++;
	CHECK(tcpt_expect(&env, A, c.our_seq, c.peer_seq, NULL));
	CHECK_EQ(c.sk->sk_state, TCP_CLOSE_WAIT);
	CHECK_EQ(tcpt_recv(c.sk, buf, sizeof(buf)), 0);
	CHECK(tcp_prot.poll(c.sk) & SK_POLLRDHUP);
	/* we close: LAST_ACK, then CLOSED on the peer's ACK */
	sock_hold(c.sk);
	tcpt_close(c.sk);
	CHECK(tcpt_expect(&env, FA, c.our_seq, c.peer_seq, NULL));
	CHECK_EQ(c.sk->sk_state, TCP_LAST_ACK);
	c.our_seq++;
	tcpt_peer_ack(&env, &c);
	CHECK_EQ(c.sk->sk_state, TCP_CLOSE);
	sock_put(c.sk);
	CHECK_EQ(tcp_statistics.CurrEstab, 0);
	tcpt_close(l);
	tcpt_teardown(&env);
}

/* c's connection waits in the timewait table; its full sock is closed. */
static struct tcp_timewait_sock *tw_of(const struct tcpt_conn *c)
{
	if (c->sk->sk_state != TCP_CLOSE)
		return NULL;
	return inet_lookup_timewait(TCPT_PEER, c->peer_port, TCPT_OURS, c->our_port);
}

static void test_active_open_close_time_wait(void)
{
	struct ipt_env env;
	struct tcpt_conn c;
	struct tcpt_seg fin;
	struct sock *sk;

	tcpt_setup(&env);
	CHECK(tcpt_active_open(&env, 9000, &c));
	CHECK_EQ(tcp_statistics.ActiveOpens, 1);
	CHECK(c.our_port >= INET_EPHEMERAL_LOW && c.our_port <= INET_EPHEMERAL_HIGH);
	sk = c.sk;
	sock_hold(sk);
	tcpt_close(sk);
	CHECK(tcpt_expect(&env, FA, c.our_seq, c.peer_seq, NULL));
	CHECK_EQ(sk->sk_state, TCP_FIN_WAIT1);
	c.our_seq++;
	tcpt_peer_ack(&env, &c);
	CHECK_EQ(sk->sk_state, TCP_FIN_WAIT2);
	fin = tcpt_peer_seg(&c, FA);
	tcpt_inject(&env, &fin);
	c.peer_seq++;
	CHECK(tcpt_expect(&env, A, c.our_seq, c.peer_seq, NULL));
	CHECK(tw_of(&c) != NULL);
	CHECK_EQ(tcpext_statistics.TW, 1);
	CHECK_EQ(inet_ehash_count(), 0);	/* the full sock left the tables */
	sock_put(sk);
	CHECK_EQ(sk_accounting()->socks_alive, 0);	/* and is freed */
	/* a retransmitted FIN is ACKed again, and restarts 2*MSL */
	host_clock_advance(10 * SEC);
	tcpt_inject(&env, &fin);
	CHECK(tcpt_expect(&env, A, c.our_seq, c.peer_seq, NULL));
	/* 2*MSL after that it is gone */
	host_clock_advance(TCP_TIMEWAIT_NS - SEC);
	CHECK_EQ(inet_twsk_count(), 1);
	host_clock_advance(2 * SEC);
	CHECK_EQ(inet_twsk_count(), 0);
	/* and a segment for it now finds no connection */
	tcpt_inject(&env, &fin);
	CHECK(tcpt_expect(&env, TCPHDR_RST, c.our_seq, 0, NULL));
	tcpt_teardown(&env);
}

static void test_simultaneous_close(void)
{
	struct ipt_env env;
	struct tcpt_conn c;
	struct tcpt_seg fin;
	struct sock *sk;

	tcpt_setup(&env);
	CHECK(tcpt_active_open(&env, 9001, &c));
	sk = c.sk;
	sock_hold(sk);
	tcpt_close(sk);
	CHECK(tcpt_expect(&env, FA, c.our_seq, c.peer_seq, NULL));
	/* the peer's FIN crosses ours: it does not ack our FIN */
	fin = tcpt_peer_seg(&c, FA);
	tcpt_inject(&env, &fin);
	c.peer_seq++;
	CHECK_EQ(sk->sk_state, TCP_CLOSING);
	CHECK(tcpt_expect(&env, A, c.our_seq + 1, c.peer_seq, NULL));
	c.our_seq++;
	tcpt_peer_ack(&env, &c);
	CHECK(tw_of(&c) != NULL);
	sock_put(sk);
	tcpt_teardown(&env);
}

static void test_simultaneous_open(void)
{
	struct ipt_env env;
	struct tcpt_seg got, syn, ack;
	struct sock *sk;
	uint32_t iss;

	tcpt_setup(&env);
	sk = tcpt_socket(5555);
	CHECK_EQ(tcp_prot.connect(sk, TCPT_PEER, 6666), -EINPROGRESS);
	CHECK(tcpt_pop(&env, &got));
	CHECK_EQ(got.flags, TCPHDR_SYN);
	iss = got.seq;
	/* the peer's SYN crosses ours */
	syn = (struct tcpt_seg){ .sport = 6666, .dport = 5555, .seq = 3000, .flags = TCPHDR_SYN,
				 .win = 8192, .mss = 1000, .wscale = -1 };
	tcpt_inject(&env, &syn);
	CHECK_EQ(sk->sk_state, TCP_SYN_RECV);
	CHECK(tcpt_expect(&env, SA, iss, 3001, &got));
	ack = (struct tcpt_seg){ .sport = 6666, .dport = 5555, .seq = 3001, .ack = iss + 1,
				 .flags = TCPHDR_ACK, .win = 8192, .wscale = -1 };
	tcpt_inject(&env, &ack);
	CHECK_EQ(sk->sk_state, TCP_ESTABLISHED);
	CHECK_EQ(tcp_sk(sk)->mss_cache, 1000);
	CHECK_EQ(tcp_sk(sk)->snd_wnd, 8192);	/* no window scaling */
	tcpt_close(sk);
	tcpt_teardown(&env);
}

static void test_rst_closed_port(void)
{
	struct ipt_env env;
	struct tcpt_seg syn = { .sport = 1234, .dport = 81, .seq = 77, .flags = TCPHDR_SYN,
				.win = 1000, .wscale = -1 };
	struct tcpt_seg ack = { .sport = 1234, .dport = 81, .seq = 77, .ack = 999,
				.flags = TCPHDR_ACK, .win = 1000, .wscale = -1 };
	struct tcpt_seg rst = ack;

	tcpt_setup(&env);
	tcpt_inject(&env, &syn);
	/* <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK> */
	CHECK(tcpt_expect(&env, RA, 0, 78, NULL));
	tcpt_inject(&env, &ack);
	/* <SEQ=SEG.ACK><CTL=RST> */
	CHECK(tcpt_expect(&env, TCPHDR_RST, 999, 0, NULL));
	rst.flags = TCPHDR_RST;
	tcpt_inject(&env, &rst);
	CHECK(tcpt_expect_none(&env));
	CHECK_EQ(tcp_statistics.OutRsts, 2);
	CHECK_EQ(tcpext_statistics.TCPInNoSocket, 3);
	tcpt_teardown(&env);
}

static void test_rst_and_challenge_ack(void)
{
	struct ipt_env env;
	struct tcpt_conn c;
	struct tcpt_seg rst;
	char buf[8];

	tcpt_setup(&env);
	CHECK(tcpt_passive_open(&env, tcpt_listen(80, 4), 40001, &c));
	/* RFC 5961 3.2: in window but not exact -> challenge ACK */
	rst = tcpt_peer_seg(&c, TCPHDR_RST);
	rst.seq += 100;
	tcpt_inject(&env, &rst);
	CHECK(tcpt_expect(&env, A, c.our_seq, c.peer_seq, NULL));
	CHECK_EQ(tcpext_statistics.TCPChallengeACK, 1);
	CHECK_EQ(c.sk->sk_state, TCP_ESTABLISHED);
	/* out of window: dropped */
	rst.seq += 10000000;
	tcpt_inject(&env, &rst);
	CHECK(tcpt_expect_none(&env));
	/* a SYN in ESTABLISHED: challenge ACK (RFC 5961 4.2), rate limited */
	{
		struct tcpt_seg syn = tcpt_peer_seg(&c, TCPHDR_SYN);

		host_clock_advance(MSEC);
		tcpt_inject(&env, &syn);
		CHECK(tcpt_expect(&env, A, c.our_seq, c.peer_seq, NULL));
		tcpt_inject(&env, &syn);
		CHECK(tcpt_expect_none(&env));	/* within 0.5 ms of the last */
		CHECK_EQ(tcpext_statistics.TCPSYNChallenge, 2);
	}
	/* exact RST: reset */
	rst.seq = c.peer_seq;
	tcpt_inject(&env, &rst);
	CHECK_EQ(c.sk->sk_state, TCP_CLOSE);
	CHECK_EQ(tcpt_recv(c.sk, buf, sizeof(buf)), -ECONNRESET);
	CHECK_EQ(tcp_statistics.EstabResets, 1);
	tcpt_close(c.sk);
	tcpt_close(c.listener);
	tcpt_teardown(&env);
}

static void test_connect_refused_and_timeout(void)
{
	struct ipt_env env;
	struct tcpt_seg got, rst;
	struct sock *sk;
	uint64_t t0;

	tcpt_setup(&env);
	sk = tcpt_socket(0);
	CHECK_EQ(tcp_prot.connect(sk, TCPT_PEER, 22), -EINPROGRESS);
	CHECK(tcpt_pop(&env, &got));
	rst = (struct tcpt_seg){ .sport = 22, .dport = got.sport, .seq = 0, .ack = got.seq + 1,
				 .flags = RA, .wscale = -1 };
	tcpt_inject(&env, &rst);
	CHECK_EQ(sk->sk_state, TCP_CLOSE);
	CHECK_EQ(sock_error(sk), -ECONNREFUSED);
	CHECK_EQ(tcp_statistics.AttemptFails, 1);
	tcpt_close(sk);

	/* SYN retransmitted after 1, 2, 4, 8, 16, 32 s, then ETIMEDOUT */
	sk = tcpt_socket(0);
	CHECK_EQ(tcp_prot.connect(sk, TCPT_PEER, 23), -EINPROGRESS);
	CHECK(tcpt_pop(&env, &got));
	t0 = 1;
	for (int i = 0; i < TCP_SYN_RETRIES; i++) {
		host_clock_advance(t0 * SEC - MSEC);
		CHECK(tcpt_expect_none(&env));
		host_clock_advance(MSEC);
		CHECK(tcpt_expect(&env, TCPHDR_SYN, got.seq, 0, NULL));
		t0 *= 2;
	}
	host_clock_advance(t0 * SEC);
	CHECK_EQ(sk->sk_state, TCP_CLOSE);
	CHECK_EQ(sock_error(sk), -ETIMEDOUT);
	CHECK_EQ(tcpext_statistics.TCPSynRetrans, TCP_SYN_RETRIES);
	tcpt_close(sk);
	tcpt_teardown(&env);
}

static void test_half_close(void)
{
	struct ipt_env env;
	struct tcpt_conn c;
	struct tcpt_seg fin;
	struct sock *sk;
	char buf[16];

	tcpt_setup(&env);
	CHECK(tcpt_passive_open(&env, tcpt_listen(80, 4), 40010, &c));
	sk = c.sk;
	net_bh_disable();
	tcp_prot.shutdown(sk, SEND_SHUTDOWN);
	net_bh_enable();
	CHECK(tcpt_expect(&env, FA, c.our_seq, c.peer_seq, NULL));
	c.our_seq++;
	tcpt_peer_ack(&env, &c);
	CHECK_EQ(sk->sk_state, TCP_FIN_WAIT2);
	CHECK_EQ(tcpt_send(sk, "no", 2), -EPIPE);
	/* the other direction still works */
	tcpt_peer_send(&env, &c, "late data", 9);
	CHECK(tcpt_expect(&env, A, c.our_seq, c.peer_seq, NULL));
	CHECK_EQ(tcpt_recv(sk, buf, sizeof(buf)), 9);
	CHECK(memcmp(buf, "late data", 9) == 0);
	/* long after the keepalive time, still half-open (it has an owner) */
	host_clock_advance(100 * SEC);
	CHECK_EQ(sk->sk_state, TCP_FIN_WAIT2);
	fin = tcpt_peer_seg(&c, FA);
	tcpt_inject(&env, &fin);
	c.peer_seq++;
	CHECK(tcpt_expect(&env, A, c.our_seq, c.peer_seq, NULL));
	CHECK(tw_of(&c) != NULL);
	CHECK_EQ(tcpt_recv(sk, buf, sizeof(buf)), 0);
	tcpt_close(sk);
	tcpt_close(c.listener);
	tcpt_teardown(&env);
}

/* An ICMP port unreachable quoting our SYN: a hard error while
 * connecting (RFC 1122 4.2.3.9). */
static void test_icmp_port_unreachable(void)
{
	struct ipt_env env;
	struct tcpt_seg got;
	struct sock *sk;
	uint8_t icmp[8 + 20 + 8] = { ICMP_DEST_UNREACH, ICMP_PORT_UNREACH }, pkt[128];
	struct ip4_hdr_info q = { .saddr = TCPT_OURS, .daddr = TCPT_PEER,
				  .protocol = IPPROTO_TCP, .tot_len = 60, .ttl = 64 };
	struct ip4_hdr_info h = { .saddr = TCPT_PEER, .daddr = TCPT_OURS,
				  .protocol = IPPROTO_ICMP, .id = 9 };
	uint16_t sum;

	tcpt_setup(&env);
	sk = tcpt_socket(0);
	CHECK_EQ(tcp_prot.connect(sk, TCPT_PEER, 4444), -EINPROGRESS);
	CHECK(tcpt_pop(&env, &got));
	ip4_emit(&q, icmp + 8);
	put_be16(icmp + 28, got.sport);
	put_be16(icmp + 30, 4444);
	put_be32(icmp + 32, got.seq);
	sum = csum_fold(csum_partial(icmp, sizeof(icmp), 0));
	memcpy(icmp + 2, &sum, 2);
	ipt_inject_ip(&env, pkt, ipt_build_ip(pkt, h, icmp, sizeof(icmp)));
	CHECK_EQ(sk->sk_state, TCP_CLOSE);
	CHECK_EQ(sock_error(sk), -ECONNREFUSED);
	tcpt_close(sk);
	tcpt_teardown(&env);
}

/* Segments that arrive while the socket layer owns the sock wait on the
 * backlog and are processed by release_sock. */
static void test_backlog(void)
{
	struct ipt_env env;
	struct tcpt_conn c;
	char buf[16];

	tcpt_setup(&env);
	CHECK(tcpt_passive_open(&env, tcpt_listen(80, 4), 40011, &c));
	lock_sock(c.sk);
	tcpt_peer_send(&env, &c, "queued", 6);
	CHECK(tcpt_expect_none(&env));
	CHECK_EQ(skb_queue_len(&c.sk->sk_backlog), 1);
	release_sock(c.sk);
	host_run_softirqs(0);
	CHECK_EQ(skb_queue_len(&c.sk->sk_backlog), 0);
	CHECK_EQ(tcpt_recv(c.sk, buf, sizeof(buf)), 6);
	/* no answer to this first request: the delayed ACK */
	host_clock_advance(TCP_DELACK_NS);
	CHECK(tcpt_expect(&env, A, c.our_seq, c.peer_seq, NULL));
	tcpt_close(c.sk);
	tcpt_close(c.listener);
	tcpt_teardown(&env);
}

/* The peer's FIN and its retransmission both wait on the backlog; the
 * first moves the connection to TIME-WAIT and closes the sock, so the
 * second is TIME-WAIT's to answer (an ACK), not the closed sock's (RST). */
static void test_backlog_fin_then_time_wait(void)
{
	struct ipt_env env;
	struct tcpt_conn c;
	struct tcpt_seg fin;

	tcpt_setup(&env);
	CHECK(tcpt_passive_open(&env, tcpt_listen(80, 4), 40012, &c));
	net_bh_disable();
	tcp_prot.shutdown(c.sk, SEND_SHUTDOWN);
	net_bh_enable();
	CHECK(tcpt_expect(&env, FA, c.our_seq, c.peer_seq, NULL));
	c.our_seq++;
	tcpt_peer_ack(&env, &c);
	CHECK_EQ(c.sk->sk_state, TCP_FIN_WAIT2);
	lock_sock(c.sk);
	fin = tcpt_peer_seg(&c, FA);
	tcpt_inject(&env, &fin);
	tcpt_inject(&env, &fin);
	CHECK_EQ(skb_queue_len(&c.sk->sk_backlog), 2);
	release_sock(c.sk);
	host_run_softirqs(0);
	c.peer_seq++;
	CHECK_EQ(c.sk->sk_state, TCP_CLOSE);
	CHECK(tw_of(&c) != NULL);
	CHECK(tcpt_expect(&env, A, c.our_seq, c.peer_seq, NULL));
	CHECK(tcpt_expect(&env, A, c.our_seq, c.peer_seq, NULL));
	CHECK(tcpt_expect_none(&env));
	CHECK_EQ(tcp_statistics.OutRsts, 0);
	tcpt_close(c.sk);
	tcpt_close(c.listener);
	tcpt_teardown(&env);
}

int main(void)
{
	host_log_level(3);
	test_passive_open_data_close();
	test_active_open_close_time_wait();
	test_simultaneous_close();
	test_simultaneous_open();
	test_rst_closed_port();
	test_rst_and_challenge_ack();
	test_connect_refused_and_timeout();
	test_half_close();
	test_icmp_port_unreachable();
	test_backlog();
	test_backlog_fin_then_time_wait();
	return check_report();
}
