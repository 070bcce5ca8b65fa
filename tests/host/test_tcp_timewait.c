/*
 * TIME-WAIT as a struct tcp_timewait_sock (tcp_minisocks.c): the full
 * sock is freed on entry; the timewait sock re-ACKs a retransmitted FIN,
 * ACKs old duplicates and PAWS-rejected segments, dies on a RST at
 * RCV.NXT only, keeps its 4-tuple from connect, shows in the socket
 * listing, and is freed after 2*MSL; 10,000 of them cost a small
 * fraction of full socks and leave nothing behind.  (SYN reuse rules:
 * test_tcp_listen.c; the FIN re-ACK and expiry timing: test_tcp.c.)
 */
#include "net/ipv4/tcp.h"

#include <string.h>

#include "kernel/errno.h"
#include "net/ipv4/inet_diag.h"
#include "net/ipv4/inet_hashtables.h"
#include "tests/host/check.h"
#include "tests/host/net_platform_host.h"
#include "tests/host/test_tcp_util.h"

#define A	TCPHDR_ACK
#define FA	(TCPHDR_FIN | TCPHDR_ACK)

/* A passive connection from peer_port that we close first, taken to
 * TIME-WAIT by the peer's FIN; the peer's FIN segment in *fin. */
static void tw_passive(struct ipt_env *env, struct sock *l, uint16_t peer_port,
		       struct tcpt_conn *c, struct tcpt_seg *fin)
{
	CHECK(tcpt_passive_open(env, l, peer_port, c));
	tcpt_close(c->sk);
	CHECK(tcpt_expect(env, FA, c->our_seq, c->peer_seq, NULL));
	c->our_seq++;
	*fin = tcpt_peer_seg(c, FA);
	tcpt_inject(env, fin);
	c->peer_seq++;
	CHECK(tcpt_expect(env, A, c->our_seq, c->peer_seq, NULL));
}

static struct tcp_timewait_sock *tw_find(const struct tcpt_conn *c)
{
	return inet_lookup_timewait(TCPT_PEER, c->peer_port, TCPT_OURS, c->our_port);
}

static void test_rst(void)
{
	struct ipt_env env;
	struct tcpt_conn c;
	struct tcpt_seg fin, rst;
	struct sock *l;

	tcpt_setup(&env);
	l = tcpt_listen(80, 4);
	tw_passive(&env, l, 46000, &c, &fin);
	CHECK(tw_find(&c) != NULL);
	/* only the listener is left: the child went at TIME-WAIT entry */
	CHECK_EQ(sk_accounting()->socks_alive, 1);
	rst = tcpt_peer_seg(&c, TCPHDR_RST);
	rst.seq = c.peer_seq + 1000;
	tcpt_inject(&env, &rst);
	CHECK(tcpt_expect_none(&env));
	CHECK(tw_find(&c) != NULL);
	CHECK_EQ(tcpext_statistics.TCPInRstOutOfWindow, 1);
	rst.seq = c.peer_seq;
	tcpt_inject(&env, &rst);
	CHECK(tcpt_expect_none(&env));
	CHECK(tw_find(&c) == NULL);
	CHECK_EQ(inet_twsk_count(), 0);
	tcpt_close(l);
	tcpt_teardown(&env);
}

/* RFC 7323 5.3: an old timestamp is an old duplicate: ACK it and stay. */
static void test_paws(void)
{
	struct ipt_env env;
	struct tcpt_conn c;
	struct tcpt_seg fin, old;
	struct sock *l;

	tcpt_setup(&env);
	l = tcpt_listen(80, 4);
	tw_passive(&env, l, 46001, &c, &fin);
	old = tcpt_peer_seg(&c, A);
	old.tsval = c.peer_tsval - 100;
	tcpt_inject(&env, &old);
	CHECK(tcpt_expect(&env, A, c.our_seq, c.peer_seq, NULL));
	CHECK_EQ(tcpext_statistics.PAWSEstab, 1);
	CHECK(tw_find(&c) != NULL);
	/* a FIN with the old timestamp is PAWS-rejected too, but ACKed */
	fin.tsval = c.peer_tsval - 100;
	tcpt_inject(&env, &fin);
	CHECK(tcpt_expect(&env, A, c.our_seq, c.peer_seq, NULL));
	CHECK_EQ(tcpext_statistics.PAWSEstab, 2);
	tcpt_close(l);
	tcpt_teardown(&env);
}

/* RFC 9293 3.10.7.4 first check: an unacceptable segment gets an ACK; an
 * acceptable bare ACK gets nothing. */
static void test_old_duplicates(void)
{
	struct ipt_env env;
	struct tcpt_conn c;
	struct tcpt_seg fin, seg;
	struct sock *l;
	struct tcpt_seg got;

	tcpt_setup(&env);
	l = tcpt_listen(80, 4);
	tw_passive(&env, l, 46002, &c, &fin);
	seg = tcpt_peer_seg(&c, A);
	tcpt_inject(&env, &seg);
	CHECK(tcpt_expect_none(&env));
	seg.seq = c.peer_seq - 5000;		/* old data */
	seg.data = (const uint8_t *)"stale";
	seg.len = 5;
	tcpt_inject(&env, &seg);
	CHECK(tcpt_expect(&env, A, c.our_seq, c.peer_seq, &got));
	CHECK(got.ts);
	CHECK_EQ(got.tsecr, c.peer_tsval);
	tcpt_close(l);
	tcpt_teardown(&env);
}

/* The 4-tuple stays taken for connect; the port is free for bind. */
static void test_tuple_kept(void)
{
	struct ipt_env env;
	struct tcpt_conn c;
	struct tcpt_seg fin;
	struct sock *sk;

	tcpt_setup(&env);
	CHECK(tcpt_active_open(&env, 9100, &c));
	tcpt_close(c.sk);
	CHECK(tcpt_expect(&env, FA, c.our_seq, c.peer_seq, NULL));
	c.our_seq++;
	tcpt_peer_ack(&env, &c);
	fin = tcpt_peer_seg(&c, FA);
	tcpt_inject(&env, &fin);
	c.peer_seq++;
	CHECK(tcpt_expect(&env, A, c.our_seq, c.peer_seq, NULL));
	CHECK(tw_find(&c) != NULL);
	sk = tcpt_socket(c.our_port);
	net_bh_disable();
	CHECK_EQ(tcp_prot.connect(sk, TCPT_PEER, 9100), -EADDRINUSE);
	CHECK_EQ(tcp_prot.connect(sk, TCPT_PEER, 9101), -EINPROGRESS);
	net_bh_enable();
	tcpt_close(sk);
	tcpt_teardown(&env);
}

static int count_tw(const struct sock_info *si, void *arg)
{
	if (si->protocol == IPPROTO_TCP && !strcmp(si->state_name, "TIME_WAIT") &&
	    si->lport == 80 && si->laddr == TCPT_OURS && si->raddr == TCPT_PEER)
		(*(unsigned int *)arg)++;
	return 0;
}

/* 10,000 connections closed by us: each waits in TIME-WAIT as one small
 * allocation (no sock, no skb, one timer), all are listed, and 2*MSL
 * later memory is back at its baseline. */
static void test_many_time_waits(void)
{
	struct ipt_env env;
	struct host_alloc_stats base, during, now;
	struct sock *l;
	uint64_t skbs;
	unsigned int listed = 0;

	tcpt_setup(&env);
	l = tcpt_listen(80, 64);
	host_alloc_stats(&base);
	skbs = skb_accounting()->skbs_alive;
	for (unsigned int i = 0; i < 10000; i++) {
		struct tcpt_conn c;
		struct tcpt_seg fin;

		tw_passive(&env, l, (uint16_t)(20000 + i), &c, &fin);
		ipt_drain(&env);
	}
	host_alloc_stats(&during);
	CHECK_EQ(inet_twsk_count(), 10000);
	CHECK_EQ(inet_ehash_count(), 0);
	CHECK_EQ(sk_accounting()->socks_alive, 1);
	CHECK_EQ(skb_accounting()->skbs_alive, skbs);
	CHECK(during.alloc_alive - base.alloc_alive <= 10000);
	CHECK(during.alloc_bytes - base.alloc_bytes <= 10000 * 128);
	CHECK(sizeof(struct tcp_timewait_sock) * 7 < sizeof(struct tcp_sock));
	/* one 2*MSL timer each (and maybe the neighbour's) */
	CHECK(during.timers_pending - base.timers_pending >= 10000);
	CHECK(during.timers_pending - base.timers_pending <= 10001);
	sock_for_each(count_tw, &listed);
	CHECK_EQ(listed, 10000);
	host_clock_advance(TCP_TIMEWAIT_NS + SEC);
	ipt_drain(&env);
	host_alloc_stats(&now);
	CHECK_EQ(inet_twsk_count(), 0);
	CHECK(now.alloc_alive <= base.alloc_alive);	/* the ARP entry may have gone */
	CHECK_EQ(now.timers_pending, base.timers_pending);
	CHECK_EQ(skb_accounting()->skbs_alive, skbs);
	CHECK_EQ(tcp_statistics.CurrEstab, 0);
	tcpt_close(l);
	tcpt_teardown(&env);
}

int main(void)
{
	host_log_level(3);
	test_rst();
	test_paws();
	test_old_duplicates();
	test_tuple_kept();
	test_many_time_waits();
	return check_report();
}
