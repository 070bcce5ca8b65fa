/*
 * TCP timers, one-shots on the platform's timer wheel:
 *   retransmit_timer  RTO (RFC 6298 5.4-5.7: retransmit the earliest
 *                     unacknowledged segment, back off, give up after
 *                     TCP_RETRIES2 / TCP_SYN_RETRIES) or, with nothing in
 *                     flight and a closed window, the persist timer
 *                     (RFC 9293 3.8.6.1 zero-window probes, backed off)
 *   delack_timer      the delayed ACK (40 ms)
 *   keepalive_timer   keepalive probes (RFC 1122 4.2.3.6) and the orphan
 *                     FIN_WAIT2 timeout (TIME_WAIT: tcp_minisocks.c)
 *
 * Each pending timer holds a reference on its sock, taken when armed from
 * idle and dropped when it fires or is deleted.  A timer that fires while
 * the socket layer owns the sock tries again shortly.
 *
 * Context: softirq (callbacks); arming from anywhere inside lock_sock.
 */
#include "net/ipv4/tcp.h"

#include "kernel/errno.h"

#define TCP_TIMER_RETRY_NS	(5 * TCP_NS_PER_MS)

#define tp_of(t, member) \
	((struct tcp_sock *)((char *)(t) - offsetof(struct tcp_sock, member)))

static void tcp_timer_reset(struct sock *sk, struct net_timer *t, uint64_t when_ns)
{
	if (!net_timer_pending(t))
		sock_hold(sk);
	net_timer_mod(t, when_ns);
}

static void tcp_timer_clear(struct sock *sk, struct net_timer *t)
{
	if (net_timer_pending(t)) {
		net_timer_del(t);
		sock_put(sk);
	}
}

uint64_t tcp_rto_ns(const struct tcp_sock *tp)
{
	uint64_t rto = (uint64_t)tp->rto_us * 1000;
	unsigned int shift = tp->backoff;

	while (shift-- && rto < TCP_RTO_MAX_NS)
		rto <<= 1;
	return rto > TCP_RTO_MAX_NS ? TCP_RTO_MAX_NS : rto;
}

void tcp_reset_rtx_timer(struct sock *sk, uint8_t what, uint64_t when_ns)
{
	tcp_sk(sk)->rtx_pending = what;
	tcp_timer_reset(sk, &tcp_sk(sk)->retransmit_timer, when_ns);
}

void tcp_clear_rtx_timer(struct sock *sk)
{
	tcp_sk(sk)->rtx_pending = 0;
	tcp_timer_clear(sk, &tcp_sk(sk)->retransmit_timer);
}

void tcp_reset_delack_timer(struct sock *sk, uint64_t when_ns)
{
	tcp_timer_reset(sk, &tcp_sk(sk)->delack_timer, when_ns);
}

void tcp_clear_delack_timer(struct sock *sk)
{
	tcp_sk(sk)->ack_pending &= (uint8_t)~TCP_ACK_TIMER;
	tcp_timer_clear(sk, &tcp_sk(sk)->delack_timer);
}

void tcp_reset_keepalive_timer(struct sock *sk, uint64_t when_ns)
{
	tcp_timer_reset(sk, &tcp_sk(sk)->keepalive_timer, when_ns);
}

void tcp_clear_keepalive_timer(struct sock *sk)
{
	tcp_timer_clear(sk, &tcp_sk(sk)->keepalive_timer);
}

void tcp_clear_xmit_timers(struct sock *sk)
{
	tcp_clear_rtx_timer(sk);
	tcp_clear_delack_timer(sk);
	tcp_clear_keepalive_timer(sk);
}

/* Gives up on the connection: sk_err, then CLOSED. */
static void tcp_write_err(struct sock *sk)
{
	sk->sk_err = sk->sk_err_soft ? sk->sk_err_soft : ETIMEDOUT;
	if (sk->sk_state == TCP_SYN_SENT && sk->sk_err_soft == 0)
		sk->sk_err = ETIMEDOUT;
	sk->sk_error_report(sk);
	NET_INC_STATS(TCPAbortOnTimeout);
	tcp_done(sk);
}

static bool tcp_write_timeout(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	unsigned int limit = TCP_RETRIES2;

	if (sk->sk_state == TCP_SYN_SENT || sk->sk_state == TCP_SYN_RECV)
		limit = TCP_SYN_RETRIES;
	else if (sock_flag(sk, SOCK_DEAD))
		limit = TCP_ORPHAN_RETRIES;
	if (tp->retransmits < limit)
		return false;
	tcp_write_err(sk);
	return true;
}

static void tcp_retransmit_timer(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *head = skb_peek(&sk->sk_write_queue);

	if (!tp->packets_out || !head)
		return;
	if (tcp_write_timeout(sk))
		return;
	NET_INC_STATS(TCPTimeouts);
	if (tp->ca_state == TCP_CA_Open || tp->ca_state == TCP_CA_Disorder)
		NET_INC_STATS(TCPSlowStartRetrans);
	else if (tp->ca_state == TCP_CA_Recovery && tp->sack_ok)
		NET_INC_STATS(TCPSackRecoveryFail);
	else if (tp->ca_state == TCP_CA_Recovery)
		NET_INC_STATS(TCPRenoRecoveryFail);
	tcp_enter_loss(sk);
	tcp_retransmit_skb(sk, head);
	/* RFC 6298 5.5: "back off the timer" (RTO = RTO * 2, at most max). */
	tp->backoff++;
	tp->retransmits++;
	tcp_reset_rtx_timer(sk, TCP_TIME_RETRANS, net_now_ns() + tcp_rto_ns(tp));
}

static void tcp_probe_timer(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (tp->packets_out || !tp->send_head) {
		tp->probes_out = 0;
		tp->backoff = 0;
		return;
	}
	if (tp->probes_out >= (sock_flag(sk, SOCK_DEAD) ? TCP_ORPHAN_RETRIES : TCP_RETRIES2)) {
		tcp_write_err(sk);
		return;
	}
	tcp_write_wakeup(sk);
	tp->probes_out++;
	if (tp->backoff < 16)
		tp->backoff++;
	if (!tp->packets_out)
		tcp_reset_rtx_timer(sk, TCP_TIME_PROBE0, net_now_ns() + tcp_rto_ns(tp));
}

static void tcp_retransmit_fire(struct net_timer *t)
{
	struct tcp_sock *tp = tp_of(t, retransmit_timer);
	struct sock *sk = &tp->sk;

	if (sock_owned_by_user(sk)) {
		net_timer_mod(t, net_now_ns() + TCP_TIMER_RETRY_NS);
		return;
	}
	if (sk->sk_state != TCP_CLOSE && sk->sk_state != TCP_LISTEN) {
		if (tp->rtx_pending == TCP_TIME_PROBE0)
			tcp_probe_timer(sk);
		else
			tcp_retransmit_timer(sk);
	}
	sock_put(sk);
}

static void tcp_delack_fire(struct net_timer *t)
{
	struct tcp_sock *tp = tp_of(t, delack_timer);
	struct sock *sk = &tp->sk;

	if (sock_owned_by_user(sk)) {
		NET_INC_STATS(DelayedACKLocked);
		net_timer_mod(t, net_now_ns() + TCP_TIMER_RETRY_NS);
		return;
	}
	tp->ack_pending &= (uint8_t)~TCP_ACK_TIMER;
	if (tp->ack_pending & TCP_ACK_SCHED) {
		NET_INC_STATS(DelayedACKs);
		tcp_send_ack(sk);
	}
	sock_put(sk);
}

static void tcp_keepalive_probe(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	uint64_t now = net_now_ns(), idle = now - tp->rcv_tstamp_ns;

	if (!tp->keepalive_on || (sk->sk_state != TCP_ESTABLISHED &&
				  sk->sk_state != TCP_CLOSE_WAIT))
		return;
	if (tp->packets_out || tp->send_head) {
		tcp_reset_keepalive_timer(sk, now + tp->keepalive_time_ns);
		return;
	}
	if (idle < tp->keepalive_time_ns) {
		tp->probes_out = 0;
		tcp_reset_keepalive_timer(sk, now + tp->keepalive_time_ns - idle);
		return;
	}
	if (tp->probes_out >= tp->keepalive_probes) {
		tcp_send_active_reset(sk);
		tcp_write_err(sk);
		return;
	}
	NET_INC_STATS(TCPKeepAlive);
	tcp_write_wakeup(sk);
	tp->probes_out++;
	tcp_reset_keepalive_timer(sk, now + tp->keepalive_intvl_ns);
}

static void tcp_keepalive_fire(struct net_timer *t)
{
	struct tcp_sock *tp = tp_of(t, keepalive_timer);
	struct sock *sk = &tp->sk;

	if (sock_owned_by_user(sk)) {
		net_timer_mod(t, net_now_ns() + TCP_TIMER_RETRY_NS);
		return;
	}
	if (sk->sk_state == TCP_FIN_WAIT2 && sock_flag(sk, SOCK_DEAD))
		tcp_done(sk);	/* the orphan's FIN_WAIT2 timeout */
	else
		tcp_keepalive_probe(sk);
	sock_put(sk);
}

void tcp_init_xmit_timers(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	net_timer_init(&tp->retransmit_timer, tcp_retransmit_fire);
	net_timer_init(&tp->delack_timer, tcp_delack_fire);
	net_timer_init(&tp->keepalive_timer, tcp_keepalive_fire);
}

void tcp_set_keepalive(struct sock *sk, bool on)
{
	struct tcp_sock *tp = tcp_sk(sk);

	tp->keepalive_on = on;
	if (sk->sk_state != TCP_ESTABLISHED && sk->sk_state != TCP_CLOSE_WAIT)
		return;
	if (on)
		tcp_reset_keepalive_timer(sk, net_now_ns() + tp->keepalive_time_ns);
	else
		tcp_clear_keepalive_timer(sk);
}
