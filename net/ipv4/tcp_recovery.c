/*
 * RACK-TLP loss detection (RFC 8985) for SACK connections.
 *
 * RACK: a segment is lost when a segment sent after it was delivered
 * (acked or SACKed) and more than RACK.rtt + reo_wnd has passed since it
 * was sent.  reo_wnd is 0 while no reordering has been seen (once in
 * recovery or DupThresh segments are SACKed), else a quarter of the min
 * RTT times reo_wnd_steps, at most SRTT; each round trip with a D-SACK
 * adds a step, and 16 recoveries without one take them back (6.2 step 4).
 * Once the path has been seen reordering, an original segment also needs
 * DupThresh (tp->reordering, raised to the reordering measured) SACKed
 * segments above it, as RFC 6675's IsLost: reordering can outlast the
 * window's bound (SRTT) when a frame is held behind a few later ones at
 * the end of a flight, and each such spurious loss costs a window
 * reduction; a lost tail is then the loss probe's.  Retransmissions need
 * time alone.  What is not lost yet arms the reordering timer
 * (TCP_TIME_REO) for the moment it would be.
 *
 * TLP: outside recovery a probe timeout (2 * SRTT, plus the peer's
 * delayed-ACK allowance with one segment in flight, never later than the
 * RTO) sends one new segment, or resends the last one, so that a lost
 * tail is answered by SACKs (and RACK) instead of an RTO.  When the ACK
 * covering the probe carries no D-SACK for it, a loss was repaired: the
 * window is reduced as for a fast recovery.
 *
 * The retransmit timer carries RTO, persist, REO and loss probe
 * (tp->rtx_pending says which).
 *
 * Context: softirq, or release_sock's backlog processing.
 */
#include "net/ipv4/tcp.h"

#define TCP_RACK_RECOVERY_THRESH	16
#define TCP_TLP_DELACK_NS		(200 * TCP_NS_PER_MS)	/* RFC 8985 7.2 WCDelAckT */
#define TCP_TLP_MIN_NS			(2 * TCP_NS_PER_MS)

/* RFC 8985 6.2 RACK_sent_after */
static bool tcp_rack_sent_after(uint64_t t1, uint64_t t2, uint32_t seq1, uint32_t seq2)
{
	return t1 > t2 || (t1 == t2 && after(seq1, seq2));
}

void tcp_rack_advance(struct tcp_sock *tp, uint8_t sacked, uint32_t end_seq, uint64_t xmit_ns)
{
	uint64_t now = net_now_ns();
	uint32_t rtt_us = now > xmit_ns ? (uint32_t)((now - xmit_ns) / 1000) : 0;

	/* 6.2 step 2: a retransmission acked sooner than the min RTT was
	 * probably delivered as its original: its time says nothing. */
	if ((sacked & TCPCB_EVER_RETRANS) && rtt_us < tp->rtt_min_us)
		return;
	tp->rack.advanced = true;
	tp->rack.rtt_us = rtt_us;
	if (tcp_rack_sent_after(xmit_ns, tp->rack.mstamp_ns, end_seq, tp->rack.end_seq)) {
		tp->rack.mstamp_ns = xmit_ns;
		tp->rack.end_seq = end_seq;
	}
}

/* 6.2 step 4 */
static uint64_t tcp_rack_reo_wnd_ns(const struct tcp_sock *tp)
{
	uint64_t wnd;

	if (!tp->rack.reord && (tp->ca_state >= TCP_CA_Recovery ||
				tp->sacked_out >= tp->reordering))
		return 0;
	wnd = (uint64_t)tp->rtt_min_us * 1000 / 4 * (tp->rack.reo_wnd_steps + 1u);
	if (wnd > tp->srtt_us * 1000ull)
		wnd = tp->srtt_us * 1000ull;

	return wnd;
}


static void tcp_rack_mark_skb_lost(struct tcp_sock *tp, struct tcp_skb_cb *cb)
{
	if (cb->sacked & TCPCB_SACKED_RETRANS) {
		/* the retransmission is lost as well */
		cb->sacked &= (uint8_t)~TCPCB_SACKED_RETRANS;
		tp->retrans_out--;
		NET_INC_STATS(TCPLostRetransmit);
	}
	if (!(cb->sacked & TCPCB_LOST)) {
		cb->sacked |= TCPCB_LOST;
		tp->lost_out++;
	}
}

/* 6.2 step 5 RACK_detect_loss: returns the time until the next segment
 * sent before RACK.xmit_ts would count as lost (0: none waits).  On a
 * reordering path an original below fewer than DupThresh SACKed
 * segments waits for more of them (no timer). */
static uint64_t tcp_rack_detect_loss(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	uint64_t now = net_now_ns(), reo_wnd = tcp_rack_reo_wnd_ns(tp), wait = 0;
	uint32_t sacked_above = tp->sacked_out;
	struct sk_buff *skb;

	for (skb = skb_peek(&sk->sk_write_queue); skb && skb != tp->send_head; skb = skb->next) {
		struct tcp_skb_cb *cb = TCP_SKB_CB(skb);
		uint64_t deadline;

		if (cb->sacked & TCPCB_SACKED_ACKED) {
			sacked_above--;
			continue;
		}
		/* already lost and not resent: nothing to learn */
		if ((cb->sacked & (TCPCB_LOST | TCPCB_SACKED_RETRANS)) == TCPCB_LOST)
			continue;
		if (!tcp_rack_sent_after(tp->rack.mstamp_ns, cb->when_ns, tp->rack.end_seq,
					 cb->end_seq))
			continue;
		deadline = cb->when_ns + tp->rack.rtt_us * 1000ull + reo_wnd;
		if (tp->rack.reord && !(cb->sacked & TCPCB_EVER_RETRANS) &&
		    sacked_above < tp->reordering)
			continue;
		if (deadline <= now)
			tcp_rack_mark_skb_lost(tp, cb);
		else if (deadline - now > wait)
			wait = deadline - now;
	}
	return wait;
}

void tcp_rack_mark_lost(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	uint64_t wait;

	if (!tp->rack.advanced)
		return;
	tp->rack.advanced = false;
	wait = tcp_rack_detect_loss(sk);
	if (wait)
		tcp_reset_rtx_timer(sk, TCP_TIME_REO, net_now_ns() + wait);
}

/* The reordering timer fired: what is overdue now is lost. */
void tcp_rack_reo_timeout(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	uint32_t prior_lost = tp->lost_out;
	uint64_t wait;

	NET_INC_STATS(TCPRACKReoTimeout);
	wait = tcp_rack_detect_loss(sk);
	if (tp->lost_out > prior_lost) {
		if (tp->ca_state < TCP_CA_Recovery)
			tcp_enter_recovery(sk);
		tcp_xmit_retransmit_queue(sk);
	}
	if (wait)
		tcp_reset_rtx_timer(sk, TCP_TIME_REO, net_now_ns() + wait);
	else if (tp->rtx_pending == TCP_TIME_REO || !net_timer_pending(&tp->retransmit_timer))
		tcp_set_xmit_timer(sk, true);
}

void tcp_rack_dsack_seen(struct tcp_sock *tp)
{
	tp->rack.reord = true;
	/* one step per round trip, however many D-SACKs it brings */
	if (tp->rack.dsack_seen && before(tp->snd_una, tp->rack.dsack_seq))
		return;
	tp->rack.dsack_seen = true;
	tp->rack.dsack_seq = tp->snd_nxt;
	if (tp->rack.reo_wnd_steps < 255)
		tp->rack.reo_wnd_steps++;
	tp->rack.reo_wnd_persist = TCP_RACK_RECOVERY_THRESH;
}

void tcp_rack_recovery_done(struct tcp_sock *tp)
{
	if (tp->rack.reo_wnd_persist && --tp->rack.reo_wnd_persist == 0) {
		tp->rack.reo_wnd_steps = 0;
		tp->rack.dsack_seen = false;
	}
}

/* When the RTO would fire, counted from the oldest outstanding segment. */
static uint64_t tcp_rto_deadline(struct sock *sk)
{
	struct sk_buff *head = skb_peek(&sk->sk_write_queue);
	uint64_t now = net_now_ns(), at = now + tcp_rto_ns(tcp_sk(sk));

	if (head && TCP_SKB_CB(head)->when_ns + tcp_rto_ns(tcp_sk(sk)) < at)
		at = TCP_SKB_CB(head)->when_ns + tcp_rto_ns(tcp_sk(sk));
	return at > now ? at : now + 1;
}

/* RFC 8985 7.2: may a probe be scheduled now? */
static bool tcp_tlp_allowed(const struct sock *sk)
{
	const struct tcp_sock *tp = (const struct tcp_sock *)sk;

	return tp->sack_ok && tp->packets_out && tp->ca_state <= TCP_CA_Disorder &&
	       !tp->tlp_high_seq && tp->srtt_us &&
	       (sk->sk_state == TCP_ESTABLISHED || sk->sk_state == TCP_CLOSE_WAIT);
}

static uint64_t tcp_tlp_pto_ns(const struct tcp_sock *tp)
{
	uint64_t srtt = tp->srtt_us * 1000ull, pto = 2 * srtt;

	if (tp->packets_out == 1 && pto < srtt + srtt / 2 + TCP_TLP_DELACK_NS)
		pto = srtt + srtt / 2 + TCP_TLP_DELACK_NS;
	return pto < TCP_TLP_MIN_NS ? TCP_TLP_MIN_NS : pto;
}

void tcp_set_xmit_timer(struct sock *sk, bool restart)
{
	struct tcp_sock *tp = tcp_sk(sk);
	uint64_t now = net_now_ns();

	if (!tp->packets_out)
		return;
	if (tcp_tlp_allowed(sk)) {
		uint64_t at = now + tcp_tlp_pto_ns(tp), rto = tcp_rto_deadline(sk);

		tcp_reset_rtx_timer(sk, TCP_TIME_LOSS_PROBE, at < rto ? at : rto);
		return;
	}
	/* RFC 6298 5.1: a running RTO keeps its deadline while data leaves */
	if (restart || tp->rtx_pending != TCP_TIME_RETRANS ||
	    !net_timer_pending(&tp->retransmit_timer))
		tcp_reset_rtx_timer(sk, TCP_TIME_RETRANS, now + tcp_rto_ns(tp));
}

/* RFC 8985 7.3: a new segment if the windows take one, else the last
 * segment sent again. */
void tcp_send_loss_probe(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	uint32_t prior_nxt = tp->snd_nxt;
	struct sk_buff *last;

	if (!tcp_tlp_allowed(sk)) {
		tcp_set_xmit_timer(sk, true);
		return;
	}
	if (tp->send_head)
		tcp_write_xmit(sk, true);
	tp->tlp_retrans = false;
	if (tp->snd_nxt == prior_nxt) {
		last = tp->send_head ? tp->send_head->prev : sk->sk_write_queue.prev;
		if (!last || (TCP_SKB_CB(last)->sacked & TCPCB_SACKED_ACKED) ||
		    tcp_retransmit_skb(sk, last)) {
			tcp_reset_rtx_timer(sk, TCP_TIME_RETRANS, tcp_rto_deadline(sk));
			return;
		}
		tp->tlp_retrans = true;
	}
	NET_INC_STATS(TCPLossProbes);
	tp->tlp_high_seq = tp->snd_nxt;
	tcp_reset_rtx_timer(sk, TCP_TIME_RETRANS, net_now_ns() + tcp_rto_ns(tp));
}

/* RFC 8985 7.4: the ACK covering the probe.  A D-SACK for it means the
 * original arrived too: nothing was lost.  Else a resent probe repaired
 * a loss, which halves the window as a fast recovery would have. */
void tcp_process_tlp_ack(struct sock *sk, uint32_t ack, bool dsack_tlp)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (!tp->tlp_high_seq || before(ack, tp->tlp_high_seq))
		return;
	if (tp->tlp_retrans && !dsack_tlp) {
		NET_INC_STATS(TCPLossProbeRecovery);
		tcp_cwnd_reduce_once(sk, 1);
	}
	tp->tlp_high_seq = 0;
}
