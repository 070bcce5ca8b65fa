/*
 * SACK (RFC 2018) on both sides.
 *
 * Sender: tcp_sacktag marks write-queue skbs the peer reports holding
 * (TCPCB_SACKED_ACKED) and ignores blocks outside SND.UNA..SND.NXT; a
 * D-SACK block (RFC 2883) counts one retransmission as a duplicate, and
 * when all of an episode's are, the reduction is undone (tcp_ack.c).
 * tcp_sack_mark_lost applies RFC 6675's IsLost (DupThresh SACKed
 * segments above an un-SACKed one; DupThresh grows with the reordering
 * seen) so recovery retransmits exactly the holes.  Reordering is
 * measured as Linux does, in segments from the late segment up to the
 * highest SACKed sequence (highest_sack) known before it arrived.
 *
 * Receiver: the blocks we report are rebuilt from the out-of-order queue,
 * the block holding the latest segment first (RFC 2018 4: "the first
 * SACK block MUST specify the contiguous block of data containing the
 * segment which triggered this ACK"); a D-SACK block reports duplicates.
 *
 * Context: softirq, or release_sock's backlog processing.
 */
#include "net/ipv4/tcp.h"

uint32_t tcp_highest_sack_seq(const struct tcp_sock *tp)
{
	return tp->sacked_out ? tp->highest_sack : tp->snd_una;
}

void tcp_check_sack_reordering(struct tcp_sock *tp, uint32_t low_seq, uint32_t fack)
{
	uint32_t mss = tp->mss_cache;

	if (!before(low_seq, fack))
		return;
	tcp_update_reordering(tp, (fack - low_seq + mss - 1) / mss);
}

/* Marks one skb SACKed.  One sent once and SACKed only now, below what
 * earlier ACKs SACKed (prior_fack), was overtaken on the path: *reord
 * keeps the lowest such sequence. */
static void tcp_sacktag_one(struct tcp_sock *tp, struct sk_buff *skb, uint32_t prior_fack,
			    uint32_t *reord, uint64_t *newest)
{
	struct tcp_skb_cb *cb = TCP_SKB_CB(skb);

	if (cb->sacked & TCPCB_SACKED_ACKED)
		return;
	if (cb->when_ns > *newest)
		*newest = cb->when_ns;
	if (!(cb->sacked & TCPCB_EVER_RETRANS) && before(cb->seq, prior_fack) &&
	    before(cb->seq, *reord))
		*reord = cb->seq;
	if (cb->sacked & TCPCB_LOST)
		tp->lost_out--;
	if (cb->sacked & TCPCB_SACKED_RETRANS)
		tp->retrans_out--;
	cb->sacked = (uint8_t)((cb->sacked & TCPCB_EVER_RETRANS) | TCPCB_SACKED_ACKED);
	tp->sacked_out++;
	if (after(cb->end_seq, tp->highest_sack))
		tp->highest_sack = cb->end_seq;
}

/* RFC 2883 4: a first block below SND.UNA, or inside the second block,
 * reports a duplicate. */
static bool tcp_is_dsack(const struct tcp_sock *tp, const struct tcp_options_received *o)
{
	const struct tcp_sack_block *b = o->sacks;

	if (!after(b[0].end_seq, tp->snd_una))
		return true;
	return o->num_sacks > 1 && !before(b[0].start_seq, b[1].start_seq) &&
	       !after(b[0].end_seq, b[1].end_seq);
}

/* A retransmission is lost too when data sent after it (by more than a
 * quarter of the min RTT, the reordering window) is SACKed before it:
 * it becomes lost again instead of waiting for the RTO (RACK's rule,
 * RFC 8985 6.2, for retransmissions only). */
static void tcp_mark_lost_retrans(struct sock *sk, uint64_t newest_sacked_ns)
{
	struct tcp_sock *tp = tcp_sk(sk);
	uint64_t reo_wnd = tp->rtt_min_us * 1000ull / 4;
	struct sk_buff *skb;

	if (!newest_sacked_ns || !tp->retrans_out)
		return;
	for (skb = skb_peek(&sk->sk_write_queue); skb && skb != tp->send_head; skb = skb->next) {
		struct tcp_skb_cb *cb = TCP_SKB_CB(skb);

		if ((cb->sacked & (TCPCB_SACKED_RETRANS | TCPCB_SACKED_ACKED)) !=
		    TCPCB_SACKED_RETRANS || cb->when_ns + reo_wnd >= newest_sacked_ns)
			continue;
		cb->sacked &= (uint8_t)~TCPCB_SACKED_RETRANS;
		tp->retrans_out--;
		if (!(cb->sacked & TCPCB_LOST)) {
			cb->sacked |= TCPCB_LOST;
			tp->lost_out++;
		}
		NET_INC_STATS(TCPLostRetransmit);
	}
}

void tcp_sacktag(struct sock *sk, const struct tcp_seg *seg, bool *dsack)
{
	struct tcp_sock *tp = tcp_sk(sk);
	const struct tcp_options_received *o = &seg->opt;
	uint32_t prior_fack, reord = tp->snd_nxt;
	uint64_t newest = 0;
	unsigned int i = 0;

	/* An empty scoreboard starts again at SND.UNA: an old highest_sack
	 * may lie 2^31 behind by now and compare as ahead (Linux resets
	 * its highest_sack at the same point). */
	if (!tp->sacked_out)
		tp->highest_sack = tp->snd_una;
	prior_fack = tp->highest_sack;
	if (tcp_is_dsack(tp, o)) {
		NET_INC_STATS(TCPDSACKRecv);
		*dsack = true;
		i = 1;
		if (tp->undo_active && tp->undo_retrans > 0) {
			tp->undo_retrans--;
			tcp_update_reordering(tp, tp->reordering + 1);
			tcp_try_undo(sk);
		}
	}
	for (; i < o->num_sacks; i++) {
		const struct tcp_sack_block *b = &o->sacks[i];
		struct sk_buff *skb;

		if (!after(b->end_seq, b->start_seq) || before(b->start_seq, tp->snd_una) ||
		    after(b->end_seq, tp->snd_nxt)) {
			NET_INC_STATS(TCPSACKDiscard);
			continue;
		}
		for (skb = skb_peek(&sk->sk_write_queue); skb && skb != tp->send_head;
		     skb = skb->next) {
			struct tcp_skb_cb *cb = TCP_SKB_CB(skb);

			if (!after(cb->end_seq, b->start_seq))
				continue;
			if (after(cb->end_seq, b->end_seq))
				break;
			if (!before(cb->seq, b->start_seq))
				tcp_sacktag_one(tp, skb, prior_fack, &reord, &newest);
		}
	}
	tcp_check_sack_reordering(tp, reord, prior_fack);
	tcp_mark_lost_retrans(sk, newest);
}

/* RFC 6675 4 IsLost(SeqNum): "DupThresh discontiguous SACKed sequences"
 * above it.  Walks from the highest sent skb down. */
void tcp_sack_mark_lost(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb = tp->send_head ? tp->send_head->prev : sk->sk_write_queue.prev;
	unsigned int sacked_above = 0;

	for (; skb; skb = skb->prev) {
		struct tcp_skb_cb *cb = TCP_SKB_CB(skb);

		if (cb->sacked & TCPCB_SACKED_ACKED) {
			sacked_above++;
			continue;
		}
		if (sacked_above < tp->reordering)
			continue;
		if (cb->sacked & (TCPCB_LOST | TCPCB_SACKED_RETRANS))
			continue;
		cb->sacked |= TCPCB_LOST;
		tp->lost_out++;
	}
}

void tcp_update_reordering(struct tcp_sock *tp, uint32_t distance)
{
	if (distance <= tp->reordering)
		return;
	tp->reordering = distance > TCP_MAX_REORDERING ? TCP_MAX_REORDERING : distance;
	NET_INC_STATS(TCPSACKReorder);
}

void tcp_dsack_set(struct tcp_sock *tp, uint32_t seq, uint32_t end_seq)
{
	if (!tp->sack_ok)
		return;
	tp->dsack.start_seq = seq;
	tp->dsack.end_seq = end_seq;
	tp->dsack_pending = true;
	if (before(seq, tp->rcv_nxt))
		NET_INC_STATS(TCPDSACKOldSent);
	else
		NET_INC_STATS(TCPDSACKOfoSent);
}

void tcp_sack_build(struct tcp_sock *tp, uint32_t latest_seq)
{
	struct tcp_sack_block blocks[TCP_SACK_BLOCKS_KEPT * 4];
	unsigned int n = 0, first = 0;
	struct sk_buff *skb;

	tp->num_sacks = 0;
	if (!tp->sack_ok)
		return;
	skb_queue_walk(&tp->out_of_order_queue, skb) {
		struct tcp_skb_cb *cb = TCP_SKB_CB(skb);

		if (n && cb->seq == blocks[n - 1].end_seq) {
			blocks[n - 1].end_seq = cb->end_seq;
		} else if (n < sizeof(blocks) / sizeof(blocks[0])) {
			blocks[n].start_seq = cb->seq;
			blocks[n].end_seq = cb->end_seq;
			n++;
		}
		if (!before(latest_seq, cb->seq) && before(latest_seq, cb->end_seq))
			first = n - 1;
	}
	if (!n)
		return;
	tp->selective_acks[tp->num_sacks++] = blocks[first];
	for (unsigned int i = n; i-- > 0 && tp->num_sacks < TCP_SACK_BLOCKS_KEPT;)
		if (i != first)
			tp->selective_acks[tp->num_sacks++] = blocks[i];
}
