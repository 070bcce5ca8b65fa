/*
 * TCP under memory pressure, after Linux's tcp_enter_memory_pressure,
 * sk_stream_moderate_sndbuf and tcp_sndbuf_expand.  When memory for the
 * send path runs out (a write-queue skb or a segment to transmit), the
 * socket's send buffer shrinks to half of what its write queue holds: the
 * writer then sleeps until ACKs free that memory (tcp_poll reports no
 * room, tcp_new_space wakes it) instead of retrying the failed allocation
 * at once, and what the others free stays for receive buffers and other
 * sockets.  A segment that could not be built is sent again by an ACK or
 * a timer (the RTO, or the probe timer when nothing is in flight).
 *
 * There is no account of TCP's memory against a limit, so pressure ends
 * TCP_MEM_PRESSURE_NS after the last failure; from then on each ACK that
 * frees room doubles a shrunk buffer, up to the default (a buffer the user
 * set with SO_SNDBUF is left alone).
 *
 * Context: softirq, or a thread inside lock_sock.
 */
#include "net/ipv4/tcp.h"

#define TCP_MEM_PRESSURE_NS	(1000 * TCP_NS_PER_MS)

static uint64_t tcp_mem_pressure_end_ns;	/* 0: none yet */

bool tcp_under_memory_pressure(void)
{
	return tcp_mem_pressure_end_ns && net_now_ns() < tcp_mem_pressure_end_ns;
}

void tcp_enter_memory_pressure(struct sock *sk)
{
	int half = sk->sk_wmem_queued / 2;

	if (!tcp_under_memory_pressure())
		NET_INC_STATS(TCPMemoryPressures);
	tcp_mem_pressure_end_ns = net_now_ns() + TCP_MEM_PRESSURE_NS;
	if (sk->sk_userlocks & SOCK_SNDBUF_LOCK)
		return;
	if (half < SK_BUF_MIN)
		half = SK_BUF_MIN;
	if (sk->sk_sndbuf > half)
		sk->sk_sndbuf = half;
}

void tcp_sndbuf_expand(struct sock *sk)
{
	if ((sk->sk_userlocks & SOCK_SNDBUF_LOCK) || sk->sk_sndbuf >= SK_SNDBUF_DEFAULT ||
	    tcp_under_memory_pressure())
		return;
	sk->sk_sndbuf = sk->sk_sndbuf > SK_SNDBUF_DEFAULT / 2 ? SK_SNDBUF_DEFAULT
							      : sk->sk_sndbuf * 2;
}
