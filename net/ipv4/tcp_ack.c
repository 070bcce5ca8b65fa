/*
 * ACK processing for the synchronized states (RFC 9293 3.10.7.4 fifth
 * check): window update, the retransmit queue, RTT samples and the RTO
 * (RFC 6298, Karn's rule through timestamps or never-retransmitted
 * segments), and loss recovery:
 *   - three duplicate ACKs, or (with SACK) a segment RFC 6675 IsLost(),
 *     start fast recovery: ssthresh from the congestion control,
 *     cwnd = ssthresh, recover = SND.NXT (RFC 6582 "recover");
 *   - the pipe (in flight) is packets_out - sacked_out - lost_out +
 *     retrans_out (RFC 6675 SetPipe); without SACK every duplicate ACK
 *     counts as one SACKed segment, which makes NewReno's inflation;
 *   - partial ACKs retransmit the next hole (RFC 6582 3.2 step 5),
 *     a full ACK (>= recover) ends recovery with cwnd = ssthresh;
 *   - an RTO (tcp_timer.c) enters Loss: everything in flight is lost,
 *     cwnd 1, slow start through the retransmissions;
 *   - a reduction is undone when every retransmission of the episode
 *     turns out unnecessary (D-SACKed, or acked too soon to be the one
 *     that arrived), and the reordering seen raises DupThresh.
 *
 * Context: softirq, or release_sock's backlog processing.
 */
#include "net/ipv4/tcp.h"

void tcp_init_cwnd(struct tcp_sock *tp)
{
	tp->snd_cwnd = TCP_INIT_CWND;
	tp->snd_cwnd_cnt = 0;
	tp->ca_state = TCP_CA_Open;
}

void tcp_set_rto(struct tcp_sock *tp)
{
	/* RFC 6298 2.3: RTO <- SRTT + max (G, K*RTTVAR), K = 4 */
	uint64_t rto = (uint64_t)tp->srtt_us + 4ull * tp->rttvar_us;

	if (rto < TCP_RTO_MIN_NS / 1000)	/* 2.4: at least the minimum */
		rto = TCP_RTO_MIN_NS / 1000;
	if (rto > TCP_RTO_MAX_NS / 1000)
		rto = TCP_RTO_MAX_NS / 1000;
	tp->rto_us = (uint32_t)rto;
}

void tcp_rtt_estimator(struct tcp_sock *tp, uint32_t r)
{
	if (!r)
		r = 1;
	if (!tp->srtt_us) {
		/* 2.2: SRTT <- R, RTTVAR <- R/2 */
		tp->srtt_us = r;
		tp->rttvar_us = r / 2;
	} else {
		/* 2.3: RTTVAR <- (1 - 1/4) * RTTVAR + 1/4 * |SRTT - R'|,
		 *      SRTT <- (1 - 1/8) * SRTT + 1/8 * R' */
		uint32_t delta = tp->srtt_us > r ? tp->srtt_us - r : r - tp->srtt_us;

		tp->rttvar_us = tp->rttvar_us - tp->rttvar_us / 4 + delta / 4;
		tp->srtt_us = tp->srtt_us - tp->srtt_us / 8 + r / 8;
	}
	if (!tp->rtt_min_us || r < tp->rtt_min_us)
		tp->rtt_min_us = r;
	tcp_set_rto(tp);
}

static void tcp_ca_set_state(struct tcp_sock *tp, uint8_t state)
{
	if (tp->ca_ops->set_state)
		tp->ca_ops->set_state(tp, state);
	tp->ca_state = state;
}

/* Remembers the window before a reduction, for tcp_try_undo_dsack. */
static void tcp_init_undo(struct tcp_sock *tp)
{
	tp->prior_cwnd = tp->snd_cwnd;
	tp->prior_ssthresh = tp->snd_ssthresh;
	tp->undo_retrans = 0;
	tp->undo_active = true;
}

void tcp_enter_loss(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb;

	if (tp->ca_state != TCP_CA_Loss || tp->backoff == 0) {
		if (tp->ca_state != TCP_CA_Recovery)
			tcp_init_undo(tp);
		tp->snd_ssthresh = tp->ca_ops->ssthresh(tp);
	}
	if (tp->ca_ops->cwnd_event)
		tp->ca_ops->cwnd_event(tp, CA_EVENT_LOSS);
	tp->snd_cwnd = 1;
	tp->snd_cwnd_cnt = 0;
	tp->lost_out = tp->retrans_out = 0;
	if (!tp->sack_ok)
		tp->sacked_out = 0;
	for (skb = skb_peek(&sk->sk_write_queue); skb && skb != tp->send_head; skb = skb->next) {
		struct tcp_skb_cb *cb = TCP_SKB_CB(skb);

		cb->sacked &= (uint8_t)~(TCPCB_SACKED_RETRANS | TCPCB_LOST);
		if (!tp->sack_ok)
			cb->sacked &= (uint8_t)~TCPCB_SACKED_ACKED;
		if (!(cb->sacked & TCPCB_SACKED_ACKED)) {
			cb->sacked |= TCPCB_LOST;
			tp->lost_out++;
		}
	}
	tp->high_seq = tp->snd_nxt;
	tp->dupacks = 0;
	tcp_ca_set_state(tp, TCP_CA_Loss);
}

/* Marks the first unacknowledged, un-SACKed skb lost (NewReno's hole). */
static void tcp_mark_head_lost(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb = skb_peek(&sk->sk_write_queue);

	for (; skb && skb != tp->send_head; skb = skb->next) {
		struct tcp_skb_cb *cb = TCP_SKB_CB(skb);

		if (cb->sacked & TCPCB_SACKED_ACKED && tp->sack_ok)
			continue;
		if (!(cb->sacked & (TCPCB_LOST | TCPCB_SACKED_RETRANS))) {
			cb->sacked |= TCPCB_LOST;
			tp->lost_out++;
		}
		return;
	}
}

static void tcp_enter_recovery(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	NET_INC_STATS(TCPFastRetrans);
	if (tp->sack_ok)
		NET_INC_STATS(TCPSackRecovery);
	else
		NET_INC_STATS(TCPRenoRecovery);
	tcp_init_undo(tp);
	tp->snd_ssthresh = tp->ca_ops->ssthresh(tp);
	tp->snd_cwnd = tp->snd_ssthresh;
	tp->snd_cwnd_cnt = 0;
	tp->high_seq = tp->snd_nxt;
	tcp_ca_set_state(tp, TCP_CA_Recovery);
	tcp_mark_head_lost(sk);
}

/* RFC 3708-style undo: every retransmission of the episode was D-SACKed
 * or answered by its original, so nothing was lost: the reduction is
 * taken back and the reordering that fooled us raises DupThresh. */
void tcp_try_undo(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb;

	if (!tp->undo_active || tp->undo_retrans > 0)
		return;
	tp->undo_active = false;
	NET_INC_STATS(TCPUndo);
	if (tp->ca_state == TCP_CA_Loss)
		NET_INC_STATS(TCPSpuriousRTOs);
	if (tp->snd_cwnd < tp->prior_cwnd)
		tp->snd_cwnd = tp->prior_cwnd;
	if (tp->snd_ssthresh < tp->prior_ssthresh)
		tp->snd_ssthresh = tp->prior_ssthresh;
	for (skb = skb_peek(&sk->sk_write_queue); skb && skb != tp->send_head; skb = skb->next)
		TCP_SKB_CB(skb)->sacked &= (uint8_t)~TCPCB_LOST;
	tp->lost_out = 0;
	tp->dupacks = 0;
	if (tp->ca_state == TCP_CA_Recovery || tp->ca_state == TCP_CA_Loss)
		tcp_ca_set_state(tp, TCP_CA_Open);
}

static void tcp_exit_recovery(struct tcp_sock *tp)
{
	if (tp->ca_state == TCP_CA_Recovery)
		tp->snd_cwnd = tp->snd_ssthresh;	/* RFC 6582 3.2 step 3 */
	if (!tp->sack_ok)
		tp->sacked_out = 0;
	tp->dupacks = 0;
	tcp_ca_set_state(tp, TCP_CA_Open);
}

/* Reno's emulated SACK: one more segment left the network. */
static void tcp_add_reno_sack(struct tcp_sock *tp)
{
	if (tp->sacked_out + 1 < tp->packets_out)
		tp->sacked_out++;
}

/* The recovery state machine after an ACK (acked: segments newly acked
 * cumulatively, dup: a duplicate ACK). */
static void tcp_fastretrans_alert(struct sock *sk, uint32_t acked, bool dup)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (dup) {
		tp->dupacks++;
		if (!tp->sack_ok)
			tcp_add_reno_sack(tp);
	}
	if (!tp->sack_ok && acked && tp->sacked_out)
		tp->sacked_out = acked >= tp->sacked_out ? 0 : tp->sacked_out - acked;
	if ((tp->ca_state == TCP_CA_Recovery || tp->ca_state == TCP_CA_Loss) &&
	    !before(tp->snd_una, tp->high_seq)) {
		tcp_exit_recovery(tp);	/* full ACK */
	}
	if (tp->sack_ok && tp->sacked_out)
		tcp_sack_mark_lost(sk);
	switch (tp->ca_state) {
	case TCP_CA_Open:
	case TCP_CA_Disorder:
		if (tp->dupacks >= tp->reordering || tp->lost_out) {
			tcp_enter_recovery(sk);
		} else if (tp->dupacks || tp->sacked_out) {
			tcp_ca_set_state(tp, TCP_CA_Disorder);
		} else if (tp->ca_state == TCP_CA_Disorder) {
			tcp_ca_set_state(tp, TCP_CA_Open);
		}
		break;
	case TCP_CA_Recovery:
		/* RFC 6582 3.2 step 5: a partial ACK retransmits the next hole */
		if (acked && !tp->sack_ok)
			tcp_mark_head_lost(sk);
		break;
	default:
		break;
	}
	if (tp->ca_state == TCP_CA_Recovery || tp->ca_state == TCP_CA_Loss)
		tcp_xmit_retransmit_queue(sk);
}

/* Scoreboard counts for one skb leaving the retransmit queue. */
static void tcp_rtx_skb_acked(struct tcp_sock *tp, const struct tcp_skb_cb *cb)
{
	if (cb->sacked & TCPCB_SACKED_ACKED)
		tp->sacked_out--;
	else if (cb->sacked & TCPCB_LOST)
		tp->lost_out--;
	if (cb->sacked & TCPCB_SACKED_RETRANS)
		tp->retrans_out--;
	tp->packets_out--;
}

/* An ACK for a retransmitted skb sooner than half the smallest RTT after
 * the retransmission was caused by the original (Eifel's idea, RFC 3522,
 * by timing instead of timestamps). */
static bool tcp_rtx_was_spurious(const struct tcp_sock *tp, const struct tcp_skb_cb *cb,
				 uint64_t now)
{
	return (cb->sacked & TCPCB_EVER_RETRANS) && tp->rtt_min_us &&
	       now - cb->when_ns < tp->rtt_min_us * 1000ull / 2;
}

/* Frees the fully acknowledged skbs; returns how many, and the RTT
 * sample (us) or 0 when Karn's rule forbids one.  prior_fack: the
 * highest SACKed sequence before this ACK.  *spurious: a retransmission
 * proved unnecessary. */
static uint32_t tcp_clean_rtx_queue(struct sock *sk, uint32_t ack, uint32_t prior_fack,
				    uint32_t *rtt_us, bool *spurious)
{
	struct tcp_sock *tp = tcp_sk(sk);
	uint64_t now = net_now_ns(), sent = 0;
	bool retransmitted = false;
	uint32_t acked = 0, reord = tp->snd_nxt;
	struct sk_buff *skb;

	while ((skb = skb_peek(&sk->sk_write_queue)) != NULL && skb != tp->send_head) {
		struct tcp_skb_cb *cb = TCP_SKB_CB(skb);

		if (after(cb->end_seq, ack)) {
			if (after(ack, cb->seq)) {	/* partly acked */
				skb_pull(skb, ack - cb->seq);
				cb->seq = ack;
			}
			break;
		}
		if (cb->sacked & TCPCB_EVER_RETRANS)
			retransmitted = true;
		else
			sent = cb->when_ns;
		/* a hole filled by the original (never retransmitted: no
		 * loss) below data earlier ACKs SACKed: the path reorders */
		if (!(cb->sacked & (TCPCB_SACKED_ACKED | TCPCB_EVER_RETRANS)) &&
		    before(cb->seq, reord))
			reord = cb->seq;
		if (tcp_rtx_was_spurious(tp, cb, now))
			*spurious = true;
		tcp_rtx_skb_acked(tp, cb);
		acked++;
		sk->sk_wmem_queued -= (int)skb->truesize;
		skb_unlink(skb, &sk->sk_write_queue);
		kfree_skb(skb);
	}
	if (tp->sack_ok)
		tcp_check_sack_reordering(tp, reord, prior_fack);
	*rtt_us = (sent && !retransmitted) ? (uint32_t)((now - sent) / 1000) : 0;
	return acked;
}

/* RFC 9293: "If SND.UNA < SEG.ACK =< SND.NXT, the send window should be
 * updated.  If (SND.WL1 < SEG.SEQ or (SND.WL1 = SEG.SEQ and SND.WL2 =<
 * SEG.ACK)), set SND.WND <- SEG.WND, SND.WL1 <- SEG.SEQ, SND.WL2 <- SEG.ACK" */
void tcp_ack_update_window(struct tcp_sock *tp, const struct tcp_seg *seg)
{
	uint32_t wnd = (uint32_t)seg->wnd << tp->snd_wscale;

	if (before(tp->snd_wl1, seg->seq) ||
	    (tp->snd_wl1 == seg->seq && !before(seg->ack, tp->snd_wl2))) {
		tp->snd_wnd = wnd;
		tp->snd_wl1 = seg->seq;
		tp->snd_wl2 = seg->ack;
		if (wnd > tp->max_window)
			tp->max_window = wnd;
	}
}

static void tcp_ack_rtt(struct tcp_sock *tp, const struct tcp_seg *seg, uint32_t rtt_us)
{
	/* RFC 7323 4.1: with timestamps every ACK that advances gives a
	 * sample from TSecr; Karn's rule is then satisfied. */
	if (tp->tstamp_ok && seg->opt.saw_tstamp && seg->opt.rcv_tsecr) {
		uint32_t ms = tcp_tsval(tp) - seg->opt.rcv_tsecr;

		if (ms < 0x7fffffffu / 1000)
			rtt_us = ms ? ms * 1000 : 1000 / 2;
	}
	if (rtt_us)
		tcp_rtt_estimator(tp, rtt_us);
}

static void tcp_cong_control(struct tcp_sock *tp, uint32_t acked, uint32_t prior_in_flight,
			     uint8_t prior_state)
{
	/* no growth in fast recovery, nor on the ACK that ends it */
	if (tp->ca_state == TCP_CA_Recovery || prior_state == TCP_CA_Recovery || !acked)
		return;
	/* RFC 7661: grow only while the window limits the sender. */
	if (prior_in_flight + 1 < tp->snd_cwnd &&
	    !(tp->snd_cwnd < tp->snd_ssthresh && prior_in_flight * 2 >= tp->snd_cwnd))
		return;
	tp->ca_ops->cong_avoid(tp, acked);
}

/* New data acknowledged: timers and counters. */
static void tcp_ack_advanced(struct sock *sk, const struct tcp_seg *seg, uint32_t acked,
			     uint32_t rtt_us)
{
	struct tcp_sock *tp = tcp_sk(sk);

	tcp_ack_rtt(tp, seg, rtt_us);
	tp->backoff = 0;
	tp->retransmits = 0;
	tp->probes_out = 0;
	tp->retrans_stamp_ns = 0;
	/* RFC 6298 5.2/5.3: all acked -> stop the timer; else restart it. */
	if (tp->packets_out)
		tcp_reset_rtx_timer(sk, TCP_TIME_RETRANS, net_now_ns() + tcp_rto_ns(tp));
	else
		tcp_clear_rtx_timer(sk);
	if (acked)
		tcp_new_space(sk);
}

bool tcp_ack(struct sock *sk, const struct tcp_seg *seg)
{
	struct tcp_sock *tp = tcp_sk(sk);
	uint32_t prior_in_flight = tp->packets_out - (tp->sacked_out + tp->lost_out) +
				   tp->retrans_out;
	uint32_t prior_wnd = tp->snd_wnd, acked = 0, rtt_us = 0, prior_sacked, prior_fack;
	uint8_t prior_state = tp->ca_state;
	bool advanced, dup, dsack = false;

	/* "If the ACK acks something not yet sent (SEG.ACK > SND.NXT) then
	 * send an ACK, drop the segment, and return." */
	if (after(seg->ack, tp->snd_nxt)) {
		NET_INC_STATS(TCPInBadAck);
		tcp_send_ack(sk);
		return false;
	}
	/* RFC 5961 5.2: acceptable is (SND.UNA - MAX.SND.WND) =< SEG.ACK */
	if (before(seg->ack, tp->snd_una - tp->max_window)) {
		NET_INC_STATS(TCPACKSkippedChallenge);
		tcp_send_challenge_ack(sk);
		return false;
	}
	/* "If the ACK is a duplicate (SEG.ACK < SND.UNA), it can be ignored." */
	if (before(seg->ack, tp->snd_una))
		return true;
	advanced = after(seg->ack, tp->snd_una);
	prior_sacked = tp->sacked_out;
	prior_fack = tcp_highest_sack_seq(tp);
	tcp_ack_update_window(tp, seg);
	if (tp->sack_ok && seg->opt.num_sacks)
		tcp_sacktag(sk, seg, &dsack);
	if (advanced) {
		bool spurious = false;

		acked = tcp_clean_rtx_queue(sk, seg->ack, prior_fack, &rtt_us, &spurious);
		tp->snd_una = seg->ack;
		tcp_ack_advanced(sk, seg, acked, rtt_us);
		if (spurious && tp->undo_active) {
			tcp_update_reordering(tp, prior_sacked + 1);
			tp->undo_retrans = 0;
			tcp_try_undo(sk);
		}
	} else if (!seg->len) {
		NET_INC_STATS(TCPPureAcks);
	}
	/* RFC 5681 2 "DUPLICATE ACKNOWLEDGMENT": outstanding data, no payload,
	 * no SYN/FIN, SEG.ACK = SND.UNA, unchanged window. */
	dup = !advanced && tp->packets_out && !seg->len && !dsack &&
	      !(seg->flags & (TCPHDR_SYN | TCPHDR_FIN)) && tp->snd_wnd == prior_wnd;
	if (advanced && tp->ca_state <= TCP_CA_Disorder)
		tp->dupacks = 0;
	if (tp->ca_state != TCP_CA_Open || dup || tp->sacked_out)
		tcp_fastretrans_alert(sk, acked, dup);
	tcp_cong_control(tp, acked, prior_in_flight, prior_state);
	if (tp->snd_wnd && tp->rtx_pending == TCP_TIME_PROBE0 && tp->send_head) {
		tcp_clear_rtx_timer(sk);
		tp->backoff = 0;
	}
	return true;
}
