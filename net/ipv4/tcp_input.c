/*
 * SEGMENT ARRIVES (RFC 9293 3.10.7), one function per step:
 *   LISTEN          tcp_rcv_listen
 *   SYN-SENT        tcp_rcv_synsent
 *   otherwise       tcp_check_seq (first: sequence number and PAWS),
 *                   tcp_check_rst (second), tcp_check_syn (fourth),
 *                   tcp_check_ack (fifth, with tcp_ack for the
 *                   synchronized states), then the segment text and FIN
 *                   (tcp_data_queue in tcp_data.c, seventh and eighth).
 * RFC 5961: RSTs and SYNs that are in the window but not exact get a
 * challenge ACK (rate limited), never a reset of the connection.
 *
 * Every function here that takes an skb consumes it.
 *
 * Context: softirq, or release_sock's backlog processing.
 */
#include "net/ipv4/tcp.h"

#include "kernel/errno.h"
#include "net/ipv4/inet_hashtables.h"

/* RFC 5961 7: "a system-wide limit" on challenge ACKs per second. */
#define TCP_CHALLENGE_ACK_LIMIT	1000u
#define TCP_CHALLENGE_PER_SOCK_NS	(TCP_NS_PER_MS / 2)

static uint64_t challenge_window_ns;
static unsigned int challenge_count;

static void tcp_drop(struct sk_buff *skb)
{
	kfree_skb(skb);
}

void tcp_send_challenge_ack(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	uint64_t now = net_now_ns();

	if (now - tp->last_challenge_ns < TCP_CHALLENGE_PER_SOCK_NS && tp->last_challenge_ns)
		return;
	if (now - challenge_window_ns >= 1000 * TCP_NS_PER_MS) {
		challenge_window_ns = now;
		challenge_count = 0;
	}
	if (challenge_count >= TCP_CHALLENGE_ACK_LIMIT)
		return;
	challenge_count++;
	tp->last_challenge_ns = now;
	NET_INC_STATS(TCPChallengeACK);
	tcp_send_ack(sk);
}

/* RFC 7323 5.3 R1: reject if SEG.TSval < TS.Recent, unless TS.Recent is
 * older than 24 days (5.5).  Like Linux we let TSval lag by one tick: a
 * segment reordered behind a later ACK from the same millisecond is not
 * an old duplicate. */
#define TCP_PAWS_WINDOW	1

bool tcp_paws_check(bool tstamp_ok, uint32_t ts_recent, uint64_t ts_recent_stamp_ns,
		    const struct tcp_seg *seg)
{
	if (!tstamp_ok || !seg->opt.saw_tstamp || !ts_recent_stamp_ns)
		return false;
	if ((int32_t)(ts_recent - seg->opt.rcv_tsval) <= TCP_PAWS_WINDOW)
		return false;
	return net_now_ns() - ts_recent_stamp_ns < TCP_PAWS_24DAYS_NS;
}

bool tcp_paws_reject(const struct tcp_sock *tp, const struct tcp_seg *seg)
{
	return tcp_paws_check(tp->tstamp_ok, tp->ts_recent, tp->ts_recent_stamp_ns, seg);
}

/* RFC 7323 4.3: "If SEG.TSval >= TS.Recent and SEG.SEQ <= Last.ACK.sent
 * then SEG.TSval is copied to TS.Recent". */
void tcp_store_ts_recent(struct tcp_sock *tp, const struct tcp_seg *seg)
{
	if (!tp->tstamp_ok || !seg->opt.saw_tstamp)
		return;
	if ((int32_t)(seg->opt.rcv_tsval - tp->ts_recent) >= 0 && !after(seg->seq, tp->rcv_wup)) {
		tp->ts_recent = seg->opt.rcv_tsval;
		tp->ts_recent_stamp_ns = net_now_ns();
	}
}

/* Linux's exception to PAWS (its tcp_disordered_ack): a segment that can
 * change no state but the duplicate-ACK count is let through when its
 * TSval is behind TS.Recent by at most an RTO (in milliseconds, the
 * unit of most peers' clocks).  The peer's ACKs overtake each other on a
 * reordering path, and a reordered duplicate ACK still reports a segment
 * that arrived (fast retransmit needs it).  Such a segment carries no
 * data, sits at RCV.NXT, acknowledges exactly SND.UNA and leaves the send
 * window as it is; anything else still fails PAWS. */
static bool tcp_disordered_ack(const struct tcp_sock *tp, const struct tcp_seg *seg)
{
	uint32_t wnd = (uint32_t)seg->wnd << tp->snd_wscale;

	if (!(seg->flags & TCPHDR_ACK) || seg->end_seq != seg->seq || seg->seq != tp->rcv_nxt)
		return false;
	if (seg->ack != tp->snd_una || after(seg->seq, tp->snd_wl1) || wnd != tp->snd_wnd)
		return false;
	return (int32_t)(tp->ts_recent - seg->opt.rcv_tsval) <=
	       (int32_t)(tcp_rto_ns(tp) / TCP_NS_PER_MS);
}

/* The connection was reset (RFC 9293 second check). */
void tcp_reset(struct sock *sk)
{
	switch (sk->sk_state) {
	case TCP_SYN_SENT:
		sk->sk_err = ECONNREFUSED;
		break;
	case TCP_CLOSE_WAIT:
		sk->sk_err = EPIPE;
		break;
	case TCP_CLOSE:
		return;
	default:
		sk->sk_err = ECONNRESET;
	}
	sk->sk_error_report(sk);
	sock_set_flag(sk, SOCK_DONE);
	tcp_done(sk);
}

static int tcp_rcv_listen(struct sock *sk, struct sk_buff *skb, const struct tcp_seg *seg)
{
	/* "first check for an RST": ignore it. */
	if (seg->flags & TCPHDR_RST) {
		NET_INC_STATS(TCPInRstIgnored);
		goto drop;
	}
	/* "second check for an ACK": <SEQ=SEG.ACK><CTL=RST> */
	if (seg->flags & TCPHDR_ACK) {
		NET_INC_STATS(TCPInListenBadFlags);
		tcp_v4_send_reset(seg);
		goto drop;
	}
	if (seg->flags & TCPHDR_SYN) {
		tcp_conn_request(sk, skb, seg);
		goto drop;
	}
	NET_INC_STATS(TCPInListenBadFlags);
drop:
	tcp_drop(skb);
	return 0;
}

/* Takes the peer's SYN options into the sock (both opens). */
static void tcp_apply_syn_options(struct tcp_sock *tp, const struct tcp_seg *seg)
{
	const struct tcp_options_received *o = &seg->opt;
	struct dst_entry *dst = sk_dst_get(&tp->sk);

	tp->mss_clamp = o->saw_mss && o->mss ? o->mss : TCP_MSS_DEFAULT;
	if (tp->user_mss && tp->mss_clamp > tp->user_mss)
		tp->mss_clamp = tp->user_mss;
	/* RFC 7323 2.2: scaling only when both sides sent the option. */
	tp->wscale_ok = o->saw_wscale;
	tp->snd_wscale = o->saw_wscale ? o->snd_wscale : 0;
	if (!tp->wscale_ok)
		tp->rcv_wscale = 0;
	tp->sack_ok = o->sack_ok;
	tp->tstamp_ok = o->saw_tstamp;
	if (tp->tstamp_ok) {
		tp->ts_recent = o->rcv_tsval;
		tp->ts_recent_stamp_ns = net_now_ns();
	}
	tcp_sync_mss(&tp->sk, dst ? dst->mtu : 576);
}

static void tcp_finish_connect(struct sock *sk, const struct tcp_seg *seg)
{
	struct tcp_sock *tp = tcp_sk(sk);

	tcp_set_state(sk, TCP_ESTABLISHED);
	tp->snd_wnd = seg->wnd;		/* RFC 7323 2.2: a SYN's window is unscaled */
	tp->max_window = tp->snd_wnd;
	tp->snd_wl1 = seg->seq;
	tp->snd_wl2 = seg->ack;
	tcp_init_transfer(sk);
	sk->sk_state_change(sk);
}

/* RFC 9293 3.10.7.3 SYN-SENT. */
static int tcp_rcv_synsent(struct sock *sk, struct sk_buff *skb, const struct tcp_seg *seg)
{
	struct tcp_sock *tp = tcp_sk(sk);
	bool ack = seg->flags & TCPHDR_ACK;

	/* "If SEG.ACK =< ISS or SEG.ACK > SND.NXT, send a reset (unless the
	 * RST bit is set, if so drop the segment and return)" */
	if (ack && (!after(seg->ack, tp->iss) || after(seg->ack, tp->snd_nxt))) {
		NET_INC_STATS(TCPInSynSentBadAck);
		tcp_v4_send_reset(seg);
		goto drop;
	}
	if (seg->flags & TCPHDR_RST) {
		/* "If the ACK was acceptable, signal "connection reset"" */
		if (ack)
			tcp_reset(sk);
		else
			NET_INC_STATS(TCPInRstIgnored);
		goto drop;
	}
	if (!(seg->flags & TCPHDR_SYN))
		goto drop;
	tp->irs = seg->seq;
	tp->rcv_nxt = tp->rcv_wup = tp->copied_seq = seg->seq + 1;
	tcp_apply_syn_options(tp, seg);
	if (ack) {
		/* "If SND.UNA > ISS (our SYN has been ACKed), change the
		 * connection state to ESTABLISHED" */
		tcp_ack(sk, seg);
		tcp_finish_connect(sk, seg);
		tcp_enter_quickack(tp);
		tcp_push(sk);
		if (tp->ack_pending & TCP_ACK_SCHED || tp->snd_nxt == tp->write_seq)
			tcp_send_ack(sk);
		goto drop;
	}
	/* Simultaneous open: "enter SYN-RECEIVED, form a SYN,ACK segment
	 * <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>" */
	tcp_set_state(sk, TCP_SYN_RECV);
	tp->snd_wnd = seg->wnd;
	tp->snd_wl1 = seg->seq;
	tcp_retransmit_skb(sk, skb_peek(&sk->sk_write_queue));
drop:
	tcp_drop(skb);
	return 0;
}

/* RFC 9293 first check, with Linux's allowance for in-window ACKs when
 * the window is zero: !before(SEG.SEQ+SEG.LEN, RCV.WUP) and
 * !after(SEG.SEQ, RCV.NXT+RCV.WND). */
static bool tcp_sequence_ok(const struct tcp_sock *tp, const struct tcp_seg *seg)
{
	return !before(seg->end_seq, tp->rcv_wup) &&
	       !after(seg->seq, tp->rcv_nxt + tcp_receive_window(tp));
}

static bool tcp_check_seq(struct sock *sk, struct sk_buff *skb, const struct tcp_seg *seg)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (tcp_paws_reject(tp, seg) && !(seg->flags & TCPHDR_RST) &&
	    !tcp_disordered_ack(tp, seg)) {
		NET_INC_STATS(PAWSEstab);
		tcp_send_ack(sk);
		tcp_drop(skb);
		return false;
	}
	if (!tcp_sequence_ok(tp, seg)) {
		/* "If an incoming segment is not acceptable, an acknowledgment
		 * should be sent in reply (unless the RST bit is set)" */
		NET_INC_STATS(TCPInOutOfWindow);
		if (!(seg->flags & TCPHDR_RST)) {
			if (seg->len && !after(seg->end_seq, tp->rcv_nxt))
				tcp_dsack_set(tp, seg->seq, seg->end_seq);
			tcp_send_ack(sk);
		}
		tcp_drop(skb);
		return false;
	}
	return true;
}

/* RFC 5961 3.2: reset only if SEG.SEQ == RCV.NXT; else, in window,
 * challenge ACK. */
static bool tcp_check_rst(struct sock *sk, struct sk_buff *skb, const struct tcp_seg *seg)
{
	if (!(seg->flags & TCPHDR_RST))
		return true;
	if (seg->seq == tcp_sk(sk)->rcv_nxt) {
		tcp_reset(sk);
	} else {
		NET_INC_STATS(TCPInRstOutOfWindow);
		tcp_send_challenge_ack(sk);
	}
	tcp_drop(skb);
	return false;
}

/* RFC 5961 4.2: a SYN in a synchronized state gets a challenge ACK. */
static bool tcp_check_syn(struct sock *sk, struct sk_buff *skb, const struct tcp_seg *seg)
{
	if (!(seg->flags & TCPHDR_SYN))
		return true;
	NET_INC_STATS(TCPSYNChallenge);
	tcp_send_challenge_ack(sk);
	tcp_drop(skb);
	return false;
}

/* SYN-RECEIVED: "If SND.UNA < SEG.ACK =< SND.NXT, then enter ESTABLISHED"
 * else "<SEQ=SEG.ACK><CTL=RST>". */
static bool tcp_synrecv_ack(struct sock *sk, const struct tcp_seg *seg)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (!after(seg->ack, tp->snd_una) || after(seg->ack, tp->snd_nxt)) {
		NET_INC_STATS(TCPInBadAck);
		tcp_v4_send_reset(seg);
		return false;
	}
	tcp_set_state(sk, TCP_ESTABLISHED);
	tp->snd_wnd = (uint32_t)seg->wnd << tp->snd_wscale;
	tp->max_window = tp->snd_wnd;
	tp->snd_wl1 = seg->seq;
	tp->snd_wl2 = seg->ack;
	tcp_init_transfer(sk);
	if (tp->parent) {
		struct tcp_sock *lp = tp->parent;

		tp->parent = NULL;
		tcp_accept_enqueue(lp, tp);
		lp->sk.sk_data_ready(&lp->sk);
	} else {
		sk->sk_state_change(sk);
	}
	return true;
}

/* After tcp_ack: the states whose exit depends on our FIN being acked. */
static bool tcp_ack_state_change(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	bool fin_acked = tp->snd_una == tp->write_seq;

	switch (sk->sk_state) {
	case TCP_FIN_WAIT1:
		if (fin_acked) {
			tcp_set_state(sk, TCP_FIN_WAIT2);
			sk->sk_shutdown |= SEND_SHUTDOWN;
			sk->sk_state_change(sk);
			if (sock_flag(sk, SOCK_DEAD))
				tcp_reset_keepalive_timer(sk, net_now_ns() + tp->linger2_ns);
		}
		return true;
	case TCP_CLOSING:
		if (fin_acked)
			tcp_time_wait(sk, TCP_TIMEWAIT_NS);
		return !fin_acked;
	case TCP_LAST_ACK:
		if (fin_acked) {
			tcp_done(sk);
			return false;
		}
		return true;
	default:
		return true;
	}
}

static bool tcp_check_ack(struct sock *sk, struct sk_buff *skb, const struct tcp_seg *seg)
{
	if (!(seg->flags & TCPHDR_ACK)) {
		/* "if the ACK bit is off, drop the segment and return" */
		NET_INC_STATS(TCPInBadFlags);
		goto drop;
	}
	if (sk->sk_state == TCP_SYN_RECV && !tcp_synrecv_ack(sk, seg))
		goto drop;
	if (!tcp_ack(sk, seg))
		goto drop;
	if (!tcp_ack_state_change(sk))
		goto drop;
	return true;
drop:
	tcp_drop(skb);
	return false;
}

/* Seventh and eighth: text and FIN, in the states that still receive. */
static void tcp_rcv_text(struct sock *sk, struct sk_buff *skb, const struct tcp_seg *seg)
{
	struct tcp_sock *tp = tcp_sk(sk);

	switch (sk->sk_state) {
	case TCP_ESTABLISHED:
	case TCP_FIN_WAIT1:
	case TCP_FIN_WAIT2:
		break;
	default:
		/* CLOSE-WAIT, CLOSING, LAST-ACK: "This should not occur, since
		 * a FIN has been received from the remote side.  Ignore." */
		if (seg->len)
			NET_INC_STATS(TCPInClosedData);
		tcp_drop(skb);
		return;
	}
	/* Nobody will read an orphan's data: abort (RFC 2525 2.17). */
	if (sock_flag(sk, SOCK_DEAD) && seg->len && after(seg->seq + seg->len, tp->rcv_nxt)) {
		NET_INC_STATS(TCPAbortOnData);
		tcp_send_active_reset(sk);
		tcp_done(sk);
		tcp_drop(skb);
		return;
	}
	tcp_data_queue(sk, skb, seg);
}

int tcp_rcv_state_process(struct sock *sk, struct sk_buff *skb, const struct tcp_seg *seg)
{
	struct tcp_sock *tp = tcp_sk(sk);

	switch (sk->sk_state) {
	case TCP_CLOSE:
		tcp_v4_send_reset(seg);
		tcp_drop(skb);
		return 0;
	case TCP_LISTEN:
		return tcp_rcv_listen(sk, skb, seg);
	case TCP_SYN_SENT:
		return tcp_rcv_synsent(sk, skb, seg);
	default:
		break;
	}
	if (!tcp_check_seq(sk, skb, seg) || !tcp_check_rst(sk, skb, seg) ||
	    !tcp_check_syn(sk, skb, seg))
		return 0;
	tcp_store_ts_recent(tp, seg);
	tp->rcv_tstamp_ns = net_now_ns();
	if (!tcp_check_ack(sk, skb, seg))
		return 0;
	tcp_rcv_text(sk, skb, seg);
	if (sk->sk_state != TCP_CLOSE) {
		tcp_push(sk);
		tcp_ack_snd_check(sk);
	}
	return 0;
}

/* Eighth step, once the FIN is in order (tcp_data.c calls it). */
void tcp_fin(struct sock *sk)
{
	sk->sk_shutdown |= RCV_SHUTDOWN;
	sock_set_flag(sk, SOCK_DONE);
	tcp_sk(sk)->ack_pending |= TCP_ACK_SCHED;
	tcp_enter_quickack(tcp_sk(sk));
	switch (sk->sk_state) {
	case TCP_SYN_RECV:
	case TCP_ESTABLISHED:
		tcp_set_state(sk, TCP_CLOSE_WAIT);
		break;
	case TCP_FIN_WAIT1:
		/* Our FIN is not acked yet (tcp_ack_state_change ran). */
		tcp_set_state(sk, TCP_CLOSING);
		break;
	case TCP_FIN_WAIT2:
		tcp_send_ack(sk);
		tcp_time_wait(sk, TCP_TIMEWAIT_NS);
		break;
	default:
		break;
	}
	skb_queue_purge(&tcp_sk(sk)->out_of_order_queue);
	tcp_sack_build(tcp_sk(sk), 0);
	if (!sock_flag(sk, SOCK_DEAD)) {
		sk->sk_state_change(sk);
		sk->sk_data_ready(sk);
	}
}
