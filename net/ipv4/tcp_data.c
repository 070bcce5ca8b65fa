/*
 * The receive side of a connection: in-order data to the receive queue,
 * the out-of-order queue (sorted, no overlaps, memory bounded by
 * SO_RCVBUF), the FIN once it is in order, when to ACK (delayed ACKs at
 * most every second full segment or 40 ms, quick ACKs at the start, for
 * out-of-order data and for a FIN), the window we offer (never shrinking
 * the right edge, RFC 9293 3.8.6.2.2 receiver SWS avoidance) and its
 * auto-tuning (grow SO_RCVBUF to four times what the reader takes per
 * RTT unless the user fixed it).
 *
 * Context: softirq, or a thread inside lock_sock (reads).
 */
#include "net/ipv4/tcp.h"

#define TCP_QUICKACKS		16u

void tcp_enter_quickack(struct tcp_sock *tp)
{
	tp->quickack = TCP_QUICKACKS;
}

uint32_t tcp_receive_window(const struct tcp_sock *tp)
{
	int32_t win = (int32_t)(tp->rcv_wup + tp->rcv_wnd - tp->rcv_nxt);

	return win < 0 ? 0 : (uint32_t)win;
}

/* The window our buffer allows now (half the free memory: an skb's
 * truesize is up to twice its payload). */
static uint32_t tcp_space_window(const struct sock *sk)
{
	const struct tcp_sock *tp = (const struct tcp_sock *)sk;
	int free = sk->sk_rcvbuf - sk->sk_rmem_alloc;
	uint32_t win = free > 0 ? (uint32_t)free / 2 : 0;

	if (tp->window_clamp && win > tp->window_clamp)
		win = tp->window_clamp;
	return win;
}

/* Frees out-of-order segments beyond seq, from the highest down, while
 * the receive memory is above limit (RFC 2018 8 lets the receiver discard
 * SACKed data; what lies farthest from RCV.NXT is needed last, as in
 * Linux's tcp_prune_ofo_queue); the SACK blocks follow.  True if any went. */
static bool tcp_prune_ofo_queue(struct sock *sk, int limit, uint32_t seq)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb;
	bool pruned = false;

	while (sk->sk_rmem_alloc > limit && (skb = tp->out_of_order_queue.prev) != NULL &&
	       after(TCP_SKB_CB(skb)->seq, seq)) {
		skb_unlink(skb, &tp->out_of_order_queue);
		kfree_skb(skb);
		pruned = true;
	}
	if (pruned) {
		NET_INC_STATS(OfoPruned);
		tcp_sack_build(tp, 0);
	}
	return pruned;
}

uint32_t tcp_select_window(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	uint32_t cur = tcp_receive_window(tp), win = tcp_space_window(sk);
	uint32_t mss = tp->rcv_mss ? tp->rcv_mss : TCP_MSS_DEFAULT;
	uint32_t old = tp->rcv_wnd;

	/* Out-of-order data must not close the window on the hole before
	 * it: the peer could never fill it.  Drop some so that two segments
	 * fit again (the window is half the free memory). */
	if (win < mss && cur < mss &&
	    tcp_prune_ofo_queue(sk, sk->sk_rcvbuf - 4 * (int)mss, tp->rcv_nxt))
		win = tcp_space_window(sk);

	/* SWS avoidance: open the window only by a full segment (or half the
	 * buffer); never move the right edge left. */
	if (win > cur && win - cur < mss && win - cur < (uint32_t)sk->sk_rcvbuf / 4)
		win = cur;
	if (win < cur)
		win = cur;
	win = (win + (1u << tp->rcv_wscale) - 1) >> tp->rcv_wscale;
	if (win > 0xffff)
		win = 0xffff;
	tp->rcv_wnd = win << tp->rcv_wscale;
	tp->rcv_wup = tp->rcv_nxt;
	if (!win) {
		NET_INC_STATS(TCPToZeroWindowAdv);
		if (tcp_space_window(sk) == 0)
			NET_INC_STATS(TCPWantZeroWindowAdv);
	} else if (!old) {
		NET_INC_STATS(TCPFromZeroWindowAdv);
	}
	return win;
}

void tcp_init_rcv_space(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	tp->rcv_mss = tp->advmss < TCP_MSS_DEFAULT ? tp->advmss : TCP_MSS_DEFAULT;
	tp->rcvq_space = 10u * tp->advmss;
	tp->rcvq_seq = tp->copied_seq;
	tp->rcvq_time_ns = net_now_ns();
	tp->rcvq_copied = 0;
	tcp_enter_quickack(tp);
}

/* Dynamic right-sizing, once per RTT: the reader took `copied` bytes. */
void tcp_rcv_space_adjust(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	uint64_t now = net_now_ns(), rtt = tp->srtt_us ? tp->srtt_us * 1000ull : 100 * TCP_NS_PER_MS;
	uint32_t copied = tp->copied_seq - tp->rcvq_seq;

	if (now - tp->rcvq_time_ns < rtt)
		return;
	if (copied > tp->rcvq_space) {
		tp->rcvq_space = copied;
		if (!(sk->sk_userlocks & SOCK_RCVBUF_LOCK)) {
			uint64_t want = 4ull * copied;

			if (want > SK_BUF_MAX)
				want = SK_BUF_MAX;
			if (want > (uint64_t)sk->sk_rcvbuf) {
				sk->sk_rcvbuf = (int)want;
				NET_INC_STATS(TCPRcvBufGrow);
			}
		}
	}
	tp->rcvq_seq = tp->copied_seq;
	tp->rcvq_time_ns = now;
}

/* After the reader took bytes: announce a window that doubled, or one
 * that reopened from zero (RFC 9293 3.8.6.2.2). */
void tcp_cleanup_rbuf(struct sock *sk, uint32_t copied)
{
	struct tcp_sock *tp = tcp_sk(sk);
	uint32_t now_wnd = tcp_receive_window(tp), space = tcp_space_window(sk);

	if (!copied || sk->sk_state == TCP_CLOSE || sk->sk_state == TCP_LISTEN)
		return;
	if ((now_wnd == 0 && space >= tp->rcv_mss) || space >= 2 * now_wnd + tp->rcv_mss * 2)
		tcp_send_ack(sk);
}

static void tcp_measure_rcv_mss(struct tcp_sock *tp, uint32_t len)
{
	if (len > tp->rcv_mss && len <= tp->advmss)
		tp->rcv_mss = (uint16_t)len;
}

/* Appends in-order payload (seq == rcv_nxt) to the receive queue. */
static void tcp_queue_rcv(struct sock *sk, struct sk_buff *skb, uint32_t seq, uint32_t len,
			  bool fin)
{
	struct tcp_sock *tp = tcp_sk(sk);

	tp->rcv_nxt = seq + len;
	if (len) {
		*TCP_SKB_CB(skb) = (struct tcp_skb_cb){ .seq = seq, .end_seq = seq + len };
		skb_set_owner_r(skb, sk);
		skb_queue_tail(&sk->sk_receive_queue, skb);
	} else {
		kfree_skb(skb);
	}
	if (fin) {
		tp->rcv_nxt++;
		tcp_fin(sk);
	}
}

/* Moves segments that became in order from the out-of-order queue. */
static void tcp_ofo_queue(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb;

	while ((skb = skb_peek(&tp->out_of_order_queue)) != NULL) {
		struct tcp_skb_cb *cb = TCP_SKB_CB(skb);
		uint32_t seq = cb->seq, end = cb->end_seq;
		bool fin = cb->tcp_flags & TCPHDR_FIN;

		if (after(seq, tp->rcv_nxt))
			break;
		skb_unlink(skb, &tp->out_of_order_queue);
		if (!after(end, tp->rcv_nxt) && !fin) {
			tcp_dsack_set(tp, seq, end);
			kfree_skb(skb);
			continue;
		}
		skb_pull(skb, tp->rcv_nxt - seq);	/* drop the overlap */
		tcp_queue_rcv(sk, skb, tp->rcv_nxt, end - tp->rcv_nxt, fin);
		if (fin)
			break;
	}
}

/* Inserts a segment beyond rcv_nxt, sorted, trimming overlaps. */
static void tcp_data_queue_ofo(struct sock *sk, struct sk_buff *skb, uint32_t seq, uint32_t end,
			       bool fin)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff_head *q = &tp->out_of_order_queue;
	struct sk_buff *pos = q->prev;

	NET_INC_STATS(TCPOFOQueue);
	tcp_enter_quickack(tp);
	tp->ack_pending |= TCP_ACK_SCHED;
	while (pos && after(TCP_SKB_CB(pos)->seq, seq))
		pos = pos->prev;
	if (pos && !before(TCP_SKB_CB(pos)->end_seq, end)) {	/* all duplicate */
		NET_INC_STATS(TCPOFOMerge);
		tcp_dsack_set(tp, seq, end);
		kfree_skb(skb);
		return;
	}
	if (pos && after(TCP_SKB_CB(pos)->end_seq, seq)) {	/* overlaps pos: trim front */
		skb_pull(skb, TCP_SKB_CB(pos)->end_seq - seq);
		seq = TCP_SKB_CB(pos)->end_seq;
	}
	/* drop what the new segment covers completely; trim a partial one */
	while (1) {
		struct sk_buff *next = pos ? pos->next : q->next;

		if (!next || !after(end, TCP_SKB_CB(next)->seq))
			break;
		if (after(TCP_SKB_CB(next)->end_seq, end)) {
			skb_trim(skb, TCP_SKB_CB(next)->seq - seq);
			end = TCP_SKB_CB(next)->seq;
			fin = false;
			break;
		}
		NET_INC_STATS(TCPOFOMerge);
		skb_unlink(next, q);
		kfree_skb(next);
	}
	*TCP_SKB_CB(skb) = (struct tcp_skb_cb){ .seq = seq, .end_seq = end,
						.tcp_flags = fin ? TCPHDR_FIN : 0 };
	skb_set_owner_r(skb, sk);
	if (!pos) {
		skb_queue_head(q, skb);
	} else {
		skb->prev = pos;
		skb->next = pos->next;
		if (pos->next)
			pos->next->prev = skb;
		else
			q->prev = skb;
		pos->next = skb;
		q->qlen++;
	}
	tcp_sack_build(tp, seq);
}

/* Room for need more bytes of truesize: in-order data may overshoot
 * SO_RCVBUF by a quarter (the window promised it, and the skbs a NIC
 * hands us can be larger than the window math assumed); out-of-order
 * data may not.  Else out-of-order data beyond seq is freed, the
 * highest first, as far as that makes room. */
static bool tcp_rmem_room(struct sock *sk, unsigned int need, uint32_t seq)
{
	bool in_order = !after(seq, tcp_sk(sk)->rcv_nxt);
	int limit = sk->sk_rcvbuf + (in_order ? sk->sk_rcvbuf / 4 : 0);

	if (sk->sk_rmem_alloc + (int)need <= limit)
		return true;
	NET_INC_STATS(PruneCalled);
	tcp_prune_ofo_queue(sk, limit - (int)need, seq);
	return sk->sk_rmem_alloc + (int)need <= limit;
}

void tcp_data_queue(struct sock *sk, struct sk_buff *skb, const struct tcp_seg *seg)
{
	struct tcp_sock *tp = tcp_sk(sk);
	uint32_t seq = seg->seq, end = seg->seq + seg->len;
	bool fin = seg->flags & TCPHDR_FIN;

	if (!seg->len && !fin) {
		kfree_skb(skb);
		return;
	}
	tp->ack_pending |= TCP_ACK_SCHED;
	if (before(seq, tp->rcv_nxt)) {
		if (!after(end, tp->rcv_nxt) && !(fin && end == tp->rcv_nxt)) {
			/* all old: a duplicate (RFC 2883 D-SACK), ACK at once;
			 * the peer resent it, so our ACK of it was lost */
			NET_INC_STATS(DelayedACKLost);
			tcp_dsack_set(tp, seq, end);
			tcp_enter_quickack(tp);
			kfree_skb(skb);
			return;
		}
		skb_pull(skb, tp->rcv_nxt - seq);
		seq = tp->rcv_nxt;
	}
	if (!tcp_rmem_room(sk, skb->truesize, seq)) {
		if (after(seq, tp->rcv_nxt))
			NET_INC_STATS(TCPOFODrop);
		else
			NET_INC_STATS(TCPRcvQDrop);
		tcp_enter_quickack(tp);
		kfree_skb(skb);
		return;
	}
	if (after(seq, tp->rcv_nxt)) {
		tcp_data_queue_ofo(sk, skb, seq, end, fin);
		return;
	}
	tcp_measure_rcv_mss(tp, end - seq);
	if (end - seq >= tp->rcv_mss)
		tp->rcv_segs_unacked++;
	tcp_queue_rcv(sk, skb, seq, end - seq, fin);
	if (!skb_queue_empty(&tp->out_of_order_queue)) {
		tcp_ofo_queue(sk);
		tcp_enter_quickack(tp);		/* a hole filled: ACK at once */
		tcp_sack_build(tp, 0);
	}
	if (!sock_flag(sk, SOCK_DEAD))
		sk->sk_data_ready(sk);
}

/* The first data of a connection, less than a segment, not yet acked,
 * with a reader that may still answer: a request, whose answer will
 * carry the ACK (else the delayed-ACK timer does).  Quick-ACK mode (there
 * for the peer's slow start) would spend a segment on it. */
static bool tcp_first_request(const struct sock *sk)
{
	const struct tcp_sock *tp = (const struct tcp_sock *)sk;

	return tp->rcv_wup == tp->irs + 1 && !tp->rcv_segs_unacked && !sk->sk_shutdown &&
	       !sock_flag(sk, SOCK_DEAD);
}

/* RFC 9293 3.8.6.3 / RFC 5681 4.2: ACK at least every second full-sized
 * segment, and within 40 ms otherwise. */
void tcp_ack_snd_check(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (!(tp->ack_pending & TCP_ACK_SCHED))
		return;
	if (tp->rcv_segs_unacked >= 2 || (tp->quickack && !tcp_first_request(sk)) ||
	    tp->dsack_pending || !skb_queue_empty(&tp->out_of_order_queue)) {
		tcp_send_ack(sk);
		return;
	}
	tcp_send_delayed_ack(sk);
}
