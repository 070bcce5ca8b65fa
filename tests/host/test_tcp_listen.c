/*
 * TCP listeners and bad input: SYN-ACK retransmission and expiry, the
 * SYN queue overflowing into SYN cookies (MSS, window scale and SACK
 * carried through the timestamp), the accept queue bound (ListenOverflows,
 * ListenDrops), malformed segments dropped and counted (checksum, data
 * offset, option length, SYN+FIN), a SYN flood during which a normal
 * client still connects, TIME_WAIT reuse by a newer SYN (also while the
 * listener is owned), the handshake's ACK and the request both queued
 * behind a busy listener, bind conflicts, and memory back at its
 * baseline after 10,000 connections.
 */
#include "net/ipv4/tcp.h"

#include "kernel/errno.h"
#include "net/ipv4/inet_hashtables.h"
#include "tests/host/check.h"
#include "tests/host/net_platform_host.h"
#include "tests/host/test_tcp_util.h"

#define A	TCPHDR_ACK
#define SA	(TCPHDR_SYN | TCPHDR_ACK)
#define FA	(TCPHDR_FIN | TCPHDR_ACK)

static struct tcpt_seg syn_from(uint16_t sport, uint16_t dport, uint32_t seq)
{
	struct tcpt_seg s = { .sport = sport, .dport = dport, .seq = seq, .flags = TCPHDR_SYN,
			      .win = 65535, .mss = 1460, .wscale = 7, .sack_perm = true,
			      .ts = true, .tsval = 5000 };
	return s;
}

static void test_synack_retransmit(void)
{
	struct ipt_env env;
	struct sock *l;
	struct tcpt_seg syn = syn_from(41000, 80, 10), got;
	uint64_t t = 1;

	tcpt_setup(&env);
	l = tcpt_listen(80, 4);
	tcpt_inject(&env, &syn);
	CHECK(tcpt_pop(&env, &got));
	CHECK_EQ(got.flags, SA);
	CHECK_EQ(got.ack, 11);
	for (int i = 0; i < TCP_SYNACK_RETRIES; i++) {
		host_clock_advance(t * SEC);
		CHECK(tcpt_pop(&env, &got));
		CHECK_EQ(got.flags, SA);
		t *= 2;
	}
	host_clock_advance(t * SEC);
	CHECK(tcpt_expect_none(&env));
	CHECK_EQ(tcp_sk(l)->accept_queue.syn_qlen, 0);
	tcpt_close(l);
	tcpt_teardown(&env);
}

static void test_syn_cookies(void)
{
	struct ipt_env env;
	struct sock *l, *child;
	struct tcpt_seg syn, got, ack;
	int err;

	tcpt_setup(&env);
	l = tcpt_listen(80, 2);
	/* two half-open connections fill the SYN queue */
	syn = syn_from(42001, 80, 100);
	tcpt_inject(&env, &syn);
	syn = syn_from(42002, 80, 200);
	tcpt_inject(&env, &syn);
	ipt_drain(&env);
	CHECK_EQ(tcp_sk(l)->accept_queue.syn_qlen, 2);
	/* the third gets a cookie and no state */
	syn = syn_from(42003, 80, 300);
	tcpt_inject(&env, &syn);
	CHECK(tcpt_pop(&env, &got));
	CHECK_EQ(got.flags, SA);
	CHECK_EQ(got.ack, 301);
	CHECK_EQ(got.mss, 1460);
	CHECK_EQ(tcpext_statistics.SyncookiesSent, 1);
	CHECK_EQ(tcp_sk(l)->accept_queue.syn_qlen, 2);
	/* a forged cookie is refused with RST */
	ack = (struct tcpt_seg){ .sport = 42003, .dport = 80, .seq = 301, .ack = got.seq + 2,
				 .flags = A, .win = 100, .wscale = -1, .ts = true, .tsval = 5001,
				 .tsecr = got.tsval };
	tcpt_inject(&env, &ack);
	CHECK(tcpt_expect(&env, TCPHDR_RST, got.seq + 2, 0, NULL));
	CHECK_EQ(tcpext_statistics.SyncookiesFailed, 1);
	/* the real ACK makes a connection with the options restored */
	ack.ack = got.seq + 1;
	tcpt_inject(&env, &ack);
	CHECK_EQ(tcpext_statistics.SyncookiesRecv, 1);
	child = tcp_prot.accept(l, &err);
	CHECK(child != NULL);
	if (child) {
		CHECK_EQ(child->sk_state, TCP_ESTABLISHED);
		CHECK_EQ(tcp_sk(child)->snd_wscale, 7);
		CHECK(tcp_sk(child)->sack_ok);
		CHECK(tcp_sk(child)->tstamp_ok);
		CHECK_EQ(tcp_sk(child)->mss_clamp, 1460);
		CHECK_EQ(tcp_sk(child)->snd_wnd, 100u << 7);
		tcpt_close(child);
	}
	tcpt_close(l);
	tcpt_teardown(&env);
}

static void test_accept_queue_overflow(void)
{
	struct ipt_env env;
	struct tcpt_conn c1, c2;
	struct sock *l, *child;
	struct tcpt_seg syn = syn_from(43002, 80, 1000);
	int err;

	tcpt_setup(&env);
	l = tcpt_listen(80, 1);
	CHECK(tcpt_passive_open(&env, l, 43001, &c1));
	/* passive_open accepted the child: queue it again by not accepting */
	tcp_sk(l)->accept_queue.accept_head = NULL;
	CHECK(tcpt_passive_open(&env, l, 43003, &c2));
	CHECK_EQ(l->sk_ack_backlog, 0);
	/* refill: one established, unaccepted child */
	tcpt_inject(&env, &syn);
	{
		struct tcpt_seg got, ack;

		CHECK(tcpt_pop(&env, &got));
		ack = (struct tcpt_seg){ .sport = 43002, .dport = 80, .seq = 1001,
					 .ack = got.seq + 1, .flags = A, .win = 100, .wscale = -1,
					 .ts = true, .tsval = 5001, .tsecr = got.tsval };
		tcpt_inject(&env, &ack);
	}
	CHECK_EQ(l->sk_ack_backlog, 1);
	syn = syn_from(43004, 80, 2000);
	tcpt_inject(&env, &syn);
	CHECK(tcpt_expect_none(&env));
	CHECK_EQ(tcpext_statistics.ListenOverflows, 1);
	CHECK_EQ(tcpext_statistics.ListenDrops, 1);
	child = tcp_prot.accept(l, &err);
	CHECK(child != NULL);
	tcpt_close(child);
	tcpt_close(c1.sk);
	tcpt_close(c2.sk);
	tcpt_close(l);
	tcpt_teardown(&env);
}

static void test_bad_input(void)
{
	struct ipt_env env;
	struct sock *l;
	struct tcpt_seg s = syn_from(44000, 80, 1);
	static const uint8_t runaway[] = { TCPOPT_NOP, TCPOPT_MSS, 8, 0 };
	uint64_t errs;

	tcpt_setup(&env);
	l = tcpt_listen(80, 4);
	s.bad_csum = true;
	tcpt_inject(&env, &s);
	CHECK_EQ(tcp_statistics.InCsumErrors, 1);
	s.bad_csum = false;
	s.doff = 16;				/* below 20 */
	tcpt_inject(&env, &s);
	s.doff = 60;				/* past the segment */
	tcpt_inject(&env, &s);
	CHECK_EQ(tcpext_statistics.TCPInBadDoff, 2);
	s.doff = 0;
	s.raw_opts = runaway;			/* MSS length 8 runs past the header */
	s.raw_opts_len = sizeof(runaway);
	tcpt_inject(&env, &s);
	CHECK_EQ(tcpext_statistics.TCPInBadOptLen, 1);
	s.raw_opts = NULL;
	s.flags = TCPHDR_SYN | TCPHDR_FIN;
	tcpt_inject(&env, &s);
	CHECK_EQ(tcpext_statistics.TCPInSynFin, 1);
	CHECK(tcpt_expect_none(&env));
	errs = tcp_statistics.InErrs;
	CHECK_EQ(errs, 5);
	CHECK_EQ(tcp_sk(l)->accept_queue.syn_qlen, 0);
	tcpt_close(l);
	tcpt_teardown(&env);
}

static void test_syn_flood_then_connect(void)
{
	struct ipt_env env;
	struct tcpt_conn c;
	struct sock *l;
	struct host_alloc_stats before, during;

	tcpt_setup(&env);
	l = tcpt_listen(80, 16);
	host_alloc_stats(&before);
	for (unsigned int i = 0; i < 5000; i++) {
		struct tcpt_seg s = syn_from((uint16_t)(10000 + i), 80, i * 77);

		tcpt_inject(&env, &s);
		ipt_drain(&env);
	}
	host_alloc_stats(&during);
	/* the SYN queue is bounded: the rest were cookies */
	CHECK_EQ(tcp_sk(l)->accept_queue.syn_qlen, 16);
	CHECK_EQ(tcpext_statistics.SyncookiesSent, 5000 - 16);
	CHECK(during.alloc_alive - before.alloc_alive <= 16);
	CHECK(tcpt_passive_open(&env, l, 9999, &c));
	tcpt_close(c.sk);
	tcpt_close(l);
	tcpt_teardown(&env);
}

/* A passive connection from peer_port that we close first: it ends in
 * TIME_WAIT on our side after the peer's FIN. */
static void tw_passive(struct ipt_env *env, struct sock *l, uint16_t peer_port,
		       struct tcpt_conn *c)
{
	struct tcpt_seg fin;

	CHECK(tcpt_passive_open(env, l, peer_port, c));
	tcpt_close(c->sk);
	CHECK(tcpt_expect(env, FA, c->our_seq, c->peer_seq, NULL));
	c->our_seq++;
	fin = tcpt_peer_seg(c, FA);
	tcpt_inject(env, &fin);
	c->peer_seq++;
	CHECK(tcpt_expect(env, A, c->our_seq, c->peer_seq, NULL));
}

static void test_time_wait_reuse(void)
{
	struct ipt_env env;
	struct tcpt_conn c;
	struct sock *l;
	struct tcpt_seg syn, got;

	tcpt_setup(&env);
	l = tcpt_listen(80, 4);
	tw_passive(&env, l, 45000, &c);
	CHECK_EQ(inet_twsk_count(), 1);
	/* an old SYN (lower sequence, older timestamp) gets an ACK */
	syn = syn_from(45000, 80, 10);
	syn.tsval = 1;
	tcpt_inject(&env, &syn);
	CHECK(tcpt_expect(&env, A, c.our_seq, c.peer_seq, NULL));
	/* a newer one reopens */
	syn.seq = c.peer_seq + 100000;
	syn.tsval = c.peer_tsval + 1000;
	tcpt_inject(&env, &syn);
	CHECK(tcpt_pop(&env, &got));
	CHECK_EQ(got.flags, SA);
	CHECK_EQ(tcpext_statistics.TWRecycled, 1);
	CHECK_EQ(inet_twsk_count(), 0);
	tcpt_close(l);
	tcpt_teardown(&env);
}

/* RFC 6191 4.2 and Linux: a sequence number beyond the old connection's
 * is enough, even when the timestamp did not move (the same
 * millisecond: a client reusing its port at once). */
static void test_time_wait_reuse_same_tsval(void)
{
	struct ipt_env env;
	struct tcpt_conn c;
	struct sock *l;
	struct tcpt_seg syn, got;

	tcpt_setup(&env);
	l = tcpt_listen(80, 4);
	tw_passive(&env, l, 45001, &c);
	syn = syn_from(45001, 80, c.peer_seq + 1);
	syn.tsval = c.peer_tsval;
	tcpt_inject(&env, &syn);
	CHECK(tcpt_pop(&env, &got));
	CHECK_EQ(got.flags, SA);
	CHECK_EQ(tcpext_statistics.TWRecycled, 1);
	tcpt_close(l);
	tcpt_teardown(&env);
}

/* The handshake's ACK and the request right behind it both arrive while
 * the listener is owned by the socket layer (an accept() in progress) and
 * wait on its backlog, looked up before the ACK made the child.  The ACK
 * makes the child; the request belongs to the child too: the listener
 * has no request sock for it any more and would answer RST (what ab saw
 * as "Connection reset by peer" under load). */
static void test_backlog_ack_then_request(void)
{
	struct ipt_env env;
	struct sock *l, *child;
	struct tcpt_seg syn = syn_from(46000, 80, 1000), got, ack, req;
	char buf[16];
	int err;

	tcpt_setup(&env);
	l = tcpt_listen(80, 4);
	tcpt_inject(&env, &syn);
	CHECK(tcpt_pop(&env, &got));
	CHECK_EQ(got.flags, SA);
	ack = (struct tcpt_seg){ .sport = 46000, .dport = 80, .seq = 1001, .ack = got.seq + 1,
				 .flags = A, .win = 512, .wscale = -1, .ts = true, .tsval = 5001,
				 .tsecr = got.tsval };
	req = ack;
	req.flags = A | TCPHDR_PSH;
	req.data = (const uint8_t *)"GET /";
	req.len = 5;
	lock_sock(l);
	tcpt_inject(&env, &ack);
	tcpt_inject(&env, &req);
	CHECK_EQ(skb_queue_len(&l->sk_backlog), 2);
	release_sock(l);
	host_run_softirqs(0);
	CHECK_EQ(tcp_statistics.OutRsts, 0);
	CHECK_EQ(tcpext_statistics.TCPInListenBadFlags, 0);
	CHECK_EQ(tcpext_statistics.SyncookiesFailed, 0);
	child = tcp_prot.accept(l, &err);
	CHECK(child != NULL);
	if (child) {
		CHECK_EQ(child->sk_state, TCP_ESTABLISHED);
		CHECK_EQ(tcpt_recv(child, buf, sizeof(buf)), 5);
		tcpt_close(child);
	}
	tcpt_close(l);
	tcpt_teardown(&env);
}

/* A SYN that reopens a TIME-WAIT while the listener is owned waits on the
 * listener's backlog like any other segment for it, instead of being
 * dropped (the client would wait a second for its SYN retransmission). */
static void test_time_wait_reuse_listener_owned(void)
{
	struct ipt_env env;
	struct tcpt_conn c;
	struct sock *l;
	struct tcpt_seg syn, got = { 0 };

	tcpt_setup(&env);
	l = tcpt_listen(80, 4);
	tw_passive(&env, l, 45002, &c);
	syn = syn_from(45002, 80, c.peer_seq + 100000);
	syn.tsval = c.peer_tsval + 1000;
	lock_sock(l);
	tcpt_inject(&env, &syn);
	CHECK(tcpt_expect_none(&env));
	CHECK_EQ(inet_twsk_count(), 0);
	release_sock(l);
	host_run_softirqs(0);
	CHECK(tcpt_pop(&env, &got));
	CHECK_EQ(got.flags, SA);
	CHECK_EQ(got.ack, c.peer_seq + 100001);
	CHECK_EQ(tcpext_statistics.TWRecycled, 1);
	CHECK_EQ(tcp_sk(l)->accept_queue.syn_qlen, 1);
	tcpt_close(l);
	tcpt_teardown(&env);
}

static void test_bind_conflicts(void)
{
	struct ipt_env env;
	struct sock *a, *b;
	int one = 1;

	tcpt_setup(&env);
	a = tcpt_listen(80, 4);
	b = tcpt_socket(0);
	CHECK_EQ(tcp_prot.bind(b, 0, 80), -EADDRINUSE);
	CHECK_EQ(sock_setsockopt(b, SO_REUSEADDR, &one, sizeof(one)), 0);
	CHECK_EQ(tcp_prot.bind(b, 0, 80), -EADDRINUSE);	/* a listens */
	CHECK_EQ(tcp_prot.bind(b, IPT_ADDR(10, 9, 9, 9), 81), -EADDRNOTAVAIL);
	CHECK_EQ(tcp_prot.bind(b, TCPT_OURS, 81), 0);
	tcpt_close(b);
	tcpt_close(a);
	tcpt_teardown(&env);
}

/* 10,000 connections, both opens, every close path: memory returns. */
static void test_many_connections(void)
{
	struct ipt_env env;
	struct sock *l;
	struct host_alloc_stats base, now;
	uint64_t skbs;

	tcpt_setup(&env);
	l = tcpt_listen(80, 64);
	host_alloc_stats(&base);
	skbs = skb_accounting()->skbs_alive;
	for (unsigned int i = 0; i < 10000; i++) {
		struct tcpt_conn c;
		struct tcpt_seg fin;
		bool ok = (i & 1) ? tcpt_active_open(&env, (uint16_t)(1000 + i), &c)
				  : tcpt_passive_open(&env, l, (uint16_t)(20000 + i), &c);

		CHECK(ok);
		if (!ok)
			break;
		tcpt_peer_send(&env, &c, "ping", 4);
		fin = tcpt_peer_seg(&c, FA);
		tcpt_inject(&env, &fin);	/* the peer closes first */
		c.peer_seq++;
		tcpt_close(c.sk);		/* unread data: RST */
		c.our_seq++;
		tcpt_peer_ack(&env, &c);
		ipt_drain(&env);
	}
	host_clock_advance(100 * SEC);
	ipt_drain(&env);
	host_alloc_stats(&now);
	CHECK(now.alloc_alive <= base.alloc_alive);	/* the ARP entry may have gone */
	CHECK_EQ(now.timers_pending, base.timers_pending);
	CHECK_EQ(skb_accounting()->skbs_alive, skbs);
	CHECK_EQ(sk_accounting()->socks_alive, 1);
	CHECK_EQ(inet_ehash_count(), 0);
	CHECK_EQ(tcp_statistics.CurrEstab, 0);
	tcpt_close(l);
	tcpt_teardown(&env);
}

int main(void)
{
	host_log_level(3);
	test_synack_retransmit();
	test_syn_cookies();
	test_accept_queue_overflow();
	test_bad_input();
	test_syn_flood_then_connect();
	test_time_wait_reuse();
	test_time_wait_reuse_same_tsval();
	test_time_wait_reuse_listener_owned();
	test_backlog_ack_then_request();
	test_bind_conflicts();
	test_many_connections();
	return check_report();
}
