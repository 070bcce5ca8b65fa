/*
 * TCP output: tcp_write_xmit decides what may leave now (congestion
 * window, peer's window, Nagle, SWS avoidance) and tcp_transmit_skb
 * builds each segment: a fresh skb with the header, our options and the
 * payload of the write-queue skb, which stays queued until acknowledged.
 * Also SYN, FIN, pure ACKs, resets, window probes and retransmissions of
 * single skbs.
 *
 * Offloads: when the route's device has them, the checksum is left to it
 * (CHECKSUM_PARTIAL), and with TSO consecutive full-MSS write-queue skbs
 * that may all leave now go out as one GSO skb (tcp_tso_segs): the write
 * queue itself stays one skb per MSS, so acknowledgment, SACK and loss
 * recovery never see the merge, and retransmissions are single segments.
 * With scatter-gather (NETIF_F_SG) and checksum offload the payload is not
 * copied: the segment's frag list holds clones of the write-queue skbs,
 * whose buffers nothing writes once they are queued.  Otherwise a GSO skb
 * is one contiguous buffer.  When a segment's memory cannot be had, half
 * as many segments are tried, down to one, and only when even one fails
 * does the send wait (tcp_mem.c: memory pressure; an ACK or a timer
 * retries).
 *
 * Invariants: a write-queue skb carries at most one MSS of payload when
 * first sent; its cb holds seq, end_seq and the SYN/FIN flags; everything
 * before send_head was sent and is counted in packets_out.
 *
 * Context: softirq, or a thread inside lock_sock.
 */
#include "net/ipv4/tcp.h"

#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "net/core/byteorder.h"
#include "net/core/checksum.h"
#include "net/ipv4/ip.h"
#include "net/ipv4/route.h"

uint32_t tcp_time_stamp_ms(void)
{
	return (uint32_t)(net_now_ns() / TCP_NS_PER_MS);
}

uint32_t tcp_tsval(const struct tcp_sock *tp)
{
	return tcp_time_stamp_ms() + tp->ts_offset;
}

static struct rtable *tcp_route(struct sock *sk)
{
	struct dst_entry *dst = sk_dst_get(sk);
	struct flowi4 fl = { .daddr = sk->sk_daddr, .saddr = sk->sk_saddr,
			     .proto = IPPROTO_TCP };
	struct rtable *rt;

	if (dst)
		return (struct rtable *)dst_hold(dst);
	if (ip_route_output(&fl, &rt)) {
		NET_INC_STATS(TCPOutNoRoute);
		return NULL;
	}
	sk_dst_set(sk, dst_hold(&rt->dst));
	return rt;
}

static void tcp_syn_options(struct tcp_sock *tp, struct tcp_out_options *o, bool synack)
{
	o->mss = tp->advmss;
	o->wscale = (!synack || tp->wscale_ok) ? (int8_t)tp->rcv_wscale : -1;
	o->sack_perm = !synack || tp->sack_ok;
	o->tstamp = !synack || tp->tstamp_ok;
}

static void tcp_established_options(struct tcp_sock *tp, struct tcp_out_options *o)
{
	o->tstamp = tp->tstamp_ok;
	if (!tp->sack_ok)
		return;
	o->num_sacks = tp->num_sacks;
	o->sacks = tp->selective_acks;
	if (tp->dsack_pending)
		o->dsack = &tp->dsack;
}

/* After any segment that carries our ACK: no ACK is owed any more. */
static void tcp_event_ack_sent(struct tcp_sock *tp)
{
	tp->ack_pending &= (uint8_t)~(TCP_ACK_SCHED | TCP_ACK_PUSHED);
	tp->rcv_segs_unacked = 0;
	tp->dsack_pending = false;
	if (tp->quickack)
		tp->quickack--;
	tcp_clear_delack_timer(&tp->sk);
}

/* The checksum: left to the device when it can (the field holds the
 * pseudo-header sum, as CHECKSUM_PARTIAL wants), else done here. */
static void tcp_set_csum(struct sk_buff *skb, const struct rtable *rt)
{
	struct tcphdr *th = (struct tcphdr *)skb->data;
	uint32_t src = htonl(rt->rt_src), dst = htonl(rt->rt_dst);

	if (rt->dst.dev->features & NETIF_F_CSUM_MASK) {
		th->check = (uint16_t)~csum_tcpudp_magic(src, dst, (uint16_t)skb->len, IPPROTO_TCP, 0);
		skb_partial_csum_set(skb, 0, offsetof(struct tcphdr, check));
		return;
	}
	th->check = csum_tcpudp_magic(src, dst, (uint16_t)skb->len, IPPROTO_TCP,
				      csum_partial(skb->data, skb->len, 0));
}

/* Total payload of segs write-queue skbs from data on. */
static unsigned int tcp_burst_len(const struct sk_buff *data, unsigned int segs)
{
	unsigned int len = 0;

	for (; segs--; data = data->next)
		len += data->len;
	return len;
}

/*
 * The payload of segs write-queue skbs from data on, after the header in
 * skb: referenced (clones on the frag list) if sg, when the device takes
 * nonlinear skbs and sums the checksum itself, else copied.  0 or -ENOMEM
 * (skb then holds part of it: the caller frees skb).
 */
static int tcp_add_payload(struct sk_buff *skb, struct sk_buff *data, unsigned int segs, bool sg)
{
	for (; segs--; data = data->next) {
		struct sk_buff *frag;

		if (!sg || !data->len) {
			skb_put_data(skb, data->data, data->len);
			continue;
		}
		frag = skb_clone(data);
		if (!frag)
			return -ENOMEM;
		skb_add_frag(skb, frag);
	}
	return 0;
}

/*
 * Sends one segment: seq, flags and the payload of segs write-queue skbs
 * from data on (none if data is NULL); segs > 1 makes a GSO skb, for which
 * the caller checked the device (tcp_tso_segs).  The window is chosen here
 * (tcp_select_window), and the options follow the state.  0 or -errno
 * (the write-queue skbs are not changed; their buffers may be shared with
 * the segment, which only reads them).
 */
static int tcp_transmit(struct sock *sk, uint32_t seq, uint8_t flags, struct sk_buff *data,
			unsigned int segs)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_out_options o = { .wscale = -1 };
	struct ip_tx tx = { .protocol = IPPROTO_TCP, .df = true };
	struct sk_buff *skb;
	struct tcphdr *th;
	struct rtable *rt;
	unsigned int len = data ? tcp_burst_len(data, segs) : 0;
	uint32_t win;
	size_t hlen;
	bool sg;

	if (flags & TCPHDR_SYN)
		tcp_syn_options(tp, &o, flags & TCPHDR_ACK);
	else
		tcp_established_options(tp, &o);
	if (o.tstamp) {
		o.tsval = tcp_tsval(tp);
		o.tsecr = tp->ts_recent;
	}
	hlen = TCP_HDR_LEN + tcp_options_size(&o);
	rt = tcp_route(sk);
	if (!rt)
		return -EHOSTUNREACH;
	sg = (rt->dst.dev->features & NETIF_F_SG) && (rt->dst.dev->features & NETIF_F_CSUM_MASK);
	skb = alloc_skb((unsigned int)(MAX_HEADER + hlen + (sg ? 0 : len)));
	if (!skb)
		goto nomem;
	skb_reserve(skb, MAX_HEADER);
	th = skb_put_zero(skb, (unsigned int)hlen);
	if (segs > 1) {
		skb->gso_size = (uint16_t)data->len;	/* all but the last are this long */
		skb->gso_segs = (uint16_t)segs;
	}
	if (data && tcp_add_payload(skb, data, segs, sg)) {
		kfree_skb(skb);
		goto nomem;
	}
	/* RFC 7323 2.2: the window field of a SYN is never scaled. */
	win = (flags & TCPHDR_SYN) ? (tp->rcv_wnd > 0xffff ? 0xffff : tp->rcv_wnd)
				   : tcp_select_window(sk);
	th->source = htons(sk->sk_num);
	th->dest = htons(sk->sk_dport);
	th->seq = htonl(seq);
	th->ack_seq = htonl((flags & TCPHDR_ACK) ? tp->rcv_nxt : 0);
	th->doff_res = (uint8_t)((hlen / 4) << 4);
	th->flags = flags;
	th->window = htons((uint16_t)win);
	tcp_options_write((uint8_t *)(th + 1), &o);
	tcp_set_csum(skb, rt);
	if (flags & TCPHDR_ACK)
		tcp_event_ack_sent(tp);
	tcp_statistics.OutSegs += segs > 1 ? segs : 1;
	if (flags & TCPHDR_RST)
		TCP_INC_STATS(OutRsts);
	return ip_queue_xmit(skb, rt, &tx);

nomem:
	dst_release(&rt->dst);
	NET_INC_STATS(TCPOutNoMem);
	return -ENOBUFS;
}

/* Sends segs write-queue skbs from skb on (not consumed) as one segment:
 * their seq, payload and the flags of the last (FIN and PSH ride there). */
static int tcp_transmit_burst(struct sock *sk, struct sk_buff *skb, unsigned int segs)
{
	struct sk_buff *last = skb;
	uint8_t flags;

	TCP_SKB_CB(skb)->when_ns = net_now_ns();
	for (unsigned int i = 1; i < segs; i++) {
		last = last->next;
		TCP_SKB_CB(last)->when_ns = TCP_SKB_CB(skb)->when_ns;
	}
	flags = TCP_SKB_CB(last)->tcp_flags;
	if (sk->sk_state != TCP_SYN_SENT)
		flags |= TCPHDR_ACK;
	if (last->len && !last->next)
		flags |= TCPHDR_PSH;	/* the last data queued */
	return tcp_transmit(sk, TCP_SKB_CB(skb)->seq, flags, skb, segs);
}

/* Sends a write-queue skb (not consumed): its seq, flags and payload. */
static int tcp_transmit_skb(struct sock *sk, struct sk_buff *skb)
{
	return tcp_transmit_burst(sk, skb, 1);
}

/* Splits a write-queue skb after len payload bytes; the tail becomes a
 * new skb right after it (counted in packets_out if skb was sent). */
static int tcp_fragment(struct sock *sk, struct sk_buff *skb, unsigned int len)
{
	struct tcp_sock *tp = tcp_sk(sk);
	unsigned int rest = skb->len - len;
	/* A static skb's tail stays a reference to the same memory. */
	struct sk_buff *buff = skb->ext_data ? alloc_skb_static(skb->data + len, rest) :
					       alloc_skb(rest ? rest : 1);
	bool sent = skb != tp->send_head && !after(TCP_SKB_CB(skb)->end_seq, tp->snd_nxt);

	if (!buff) {
		NET_INC_STATS(TCPOutNoMem);
		return -ENOMEM;
	}
	if (!buff->ext_data)
		skb_put_data(buff, skb->data + len, rest);
	*TCP_SKB_CB(buff) = *TCP_SKB_CB(skb);
	TCP_SKB_CB(buff)->seq = TCP_SKB_CB(skb)->seq + len;
	TCP_SKB_CB(skb)->end_seq = TCP_SKB_CB(buff)->seq;
	TCP_SKB_CB(skb)->tcp_flags &= (uint8_t)~(TCPHDR_FIN | TCPHDR_PSH);
	skb_trim(skb, len);
	sk->sk_wmem_queued += (int)buff->truesize;
	/* insert buff after skb */
	buff->next = skb->next;
	buff->prev = skb;
	if (skb->next)
		skb->next->prev = buff;
	else
		sk->sk_write_queue.prev = buff;
	skb->next = buff;
	sk->sk_write_queue.qlen++;
	if (sent) {
		tp->packets_out++;
		if (TCP_SKB_CB(buff)->sacked & TCPCB_LOST)
			tp->lost_out++;
		if (TCP_SKB_CB(buff)->sacked & TCPCB_SACKED_RETRANS)
			tp->retrans_out++;
	}
	return 0;
}

/* The payload that fits the path MTU beside the options the next segment
 * carries: timestamps, and the SACK blocks while out-of-order data is
 * held (a data segment with them would otherwise exceed the MTU and be
 * dropped under DF). */
uint32_t tcp_current_mss(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_out_options o = { .wscale = -1 };
	uint32_t mss = tp->mss_cache, opts;

	tcp_established_options(tp, &o);
	opts = (uint32_t)tcp_options_size(&o);
	if (mss > TCP_MIN_MSS + opts)
		mss -= opts;
	return mss;
}

void tcp_sync_mss(struct sock *sk, unsigned int pmtu)
{
	struct tcp_sock *tp = tcp_sk(sk);
	uint32_t mss;

	if (pmtu < IP_HDR_LEN + TCP_HDR_LEN + TCP_MIN_MSS)
		pmtu = IP_HDR_LEN + TCP_HDR_LEN + TCP_MIN_MSS;
	mss = pmtu - IP_HDR_LEN - TCP_HDR_LEN;
	/* The IP total length is 16 bits: on loopback (MTU 65536) a full
	 * segment with options must still fit 65535 bytes. */
	if (mss > TCP_MAX_MSS)
		mss = TCP_MAX_MSS;
	if (tp->mss_clamp && mss > tp->mss_clamp)
		mss = tp->mss_clamp;
	tp->mss_cache = (uint16_t)mss;
}

static uint32_t tcp_in_flight(const struct tcp_sock *tp)
{
	return tp->packets_out - (tp->sacked_out + tp->lost_out) + tp->retrans_out;
}

/* Minshall's Nagle: hold a small segment while an earlier small one is
 * unacknowledged (RFC 1122 4.2.3.4 with Minshall's refinement). */
static bool tcp_nagle_check(const struct tcp_sock *tp, const struct sk_buff *skb, uint32_t mss,
			    bool last)
{
	if (skb->len >= mss || tp->nodelay || !last)
		return false;
	if (TCP_SKB_CB((struct sk_buff *)skb)->tcp_flags & TCPHDR_FIN)
		return false;
	return tp->packets_out && before(tp->snd_una, tp->snd_sml);
}

/* How much of skb the peer's window takes now; 0: wait.  RFC 9293
 * 3.8.6.2.1 sender SWS avoidance: send a full segment, or at least half
 * the largest window the peer offered, or everything that is queued. */
static uint32_t tcp_window_allows(const struct tcp_sock *tp, struct sk_buff *skb, uint32_t mss)
{
	uint32_t wnd_end = tp->snd_una + tp->snd_wnd;
	struct tcp_skb_cb *cb = TCP_SKB_CB(skb);
	uint32_t avail;

	if (!after(cb->end_seq, wnd_end))
		return skb->len ? skb->len : 1;
	if (!after(wnd_end, cb->seq))
		return 0;
	avail = wnd_end - cb->seq;
	if (avail >= mss || avail >= tp->max_window / 2)
		return avail;
	return 0;
}

static void tcp_event_new_data_sent(struct sock *sk, struct sk_buff *skb, uint32_t mss)
{
	struct tcp_sock *tp = tcp_sk(sk);
	bool was_idle = tp->packets_out == 0;

	tp->send_head = skb->next;
	tp->snd_nxt = TCP_SKB_CB(skb)->end_seq;
	tp->packets_out++;
	if (skb->len < mss)
		tp->snd_sml = TCP_SKB_CB(skb)->end_seq;
	NET_INC_STATS(TCPOrigDataSent);
	if (was_idle || !net_timer_pending(&tp->retransmit_timer) ||
	    tp->rtx_pending != TCP_TIME_RETRANS)
		tcp_reset_rtx_timer(sk, TCP_TIME_RETRANS, net_now_ns() + tcp_rto_ns(tp));
}

/* RFC 5681 4.1 / RFC 7661-lite: after an idle period longer than the
 * RTO, restart from the initial window. */
static void tcp_cwnd_restart_check(struct tcp_sock *tp)
{
	uint64_t now = net_now_ns();

	if (tp->packets_out || !tp->lsndtime_ns)
		return;
	if (now - tp->lsndtime_ns > tcp_rto_ns(tp)) {
		if (tp->ca_ops->cwnd_event)
			tp->ca_ops->cwnd_event(tp, CA_EVENT_TX_START);
		if (tp->snd_cwnd > TCP_INIT_CWND)
			tp->snd_cwnd = TCP_INIT_CWND;
	}
}

/*
 * How many write-queue skbs from skb on (skb itself is sendable) leave as
 * one GSO skb: full MSS each but the last, every one wholly inside the
 * peer's window and passing Nagle, no SYN, no bare FIN; at most what the
 * congestion window has room for, half the congestion window (so a window
 * is at least two packets and ACKs keep clocking), TCP_GSO_MAX_SIZE
 * bytes and MAX_SKB_FRAGS skbs (a frag each, tcp_add_payload).  1 when
 * the route's device has no TSO.
 */
static unsigned int tcp_tso_segs(struct sock *sk, struct sk_buff *skb, uint32_t mss)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct dst_entry *dst = sk_dst_get(sk);
	uint32_t limit = tp->snd_cwnd - tcp_in_flight(tp);
	uint32_t half = tp->snd_cwnd / 2 > 2 ? tp->snd_cwnd / 2 : 2;
	unsigned int segs = 1;

	if (!dst || !(dst->dev->features & NETIF_F_TSO) || skb->len != mss)
		return 1;
	if (limit > half)
		limit = half;
	if (limit > TCP_GSO_MAX_SIZE / mss)
		limit = TCP_GSO_MAX_SIZE / mss;
	if (limit > MAX_SKB_FRAGS)
		limit = MAX_SKB_FRAGS;
	for (skb = skb->next; skb && segs < limit; skb = skb->next) {
		if (!skb->len || skb->len > mss || (TCP_SKB_CB(skb)->tcp_flags & TCPHDR_SYN) ||
		    tcp_window_allows(tp, skb, mss) != skb->len ||
		    tcp_nagle_check(tp, skb, mss, skb->next == NULL))
			break;
		segs++;
		if (skb->len < mss)
			break;
	}
	return segs;
}

void tcp_write_xmit(struct sock *sk, bool push_one)
{
	struct tcp_sock *tp = tcp_sk(sk);
	uint32_t mss = tcp_current_mss(sk);
	struct sk_buff *skb;

	if (sk->sk_state == TCP_SYN_SENT || sk->sk_state == TCP_CLOSE)
		return;
	while ((skb = tp->send_head) != NULL) {
		unsigned int segs;
		uint32_t len;
		int err;

		tcp_cwnd_restart_check(tp);
		if (tcp_in_flight(tp) >= tp->snd_cwnd)
			break;
		len = tcp_window_allows(tp, skb, mss);
		if (!len)
			break;
		if (len < skb->len && tcp_fragment(sk, skb, len))
			break;
		if (skb->len > mss && tcp_fragment(sk, skb, mss))
			break;
		if (tcp_nagle_check(tp, skb, mss, skb->next == NULL))
			break;
		segs = push_one ? 1 : tcp_tso_segs(sk, skb, mss);
		while ((err = tcp_transmit_burst(sk, skb, segs)) == -ENOBUFS && segs > 1)
			segs /= 2;
		if (err == -ENOBUFS) {
			tcp_enter_memory_pressure(sk);
			break;
		}
		while (segs--) {
			struct sk_buff *next = skb->next;

			tcp_event_new_data_sent(sk, skb, mss);
			skb = next;
		}
		tp->lsndtime_ns = net_now_ns();
		if (push_one)
			break;
	}
	tcp_check_probe_timer(sk);
}

void tcp_push(struct sock *sk)
{
	tcp_write_xmit(sk, false);
}

int tcp_retransmit_skb(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_skb_cb *cb = TCP_SKB_CB(skb);
	uint32_t mss = tcp_current_mss(sk);
	int err;

	if (before(cb->seq, tp->snd_una)) {	/* partly acked: send the rest */
		skb_pull(skb, tp->snd_una - cb->seq);
		cb->seq = tp->snd_una;
	}
	if (skb->len > mss && tcp_fragment(sk, skb, mss))
		return -ENOMEM;
	err = tcp_transmit_skb(sk, skb);
	if (err)
		return err;
	TCP_INC_STATS(RetransSegs);
	if (tp->undo_active)
		tp->undo_retrans++;
	if (cb->tcp_flags & TCPHDR_SYN)
		NET_INC_STATS(TCPSynRetrans);
	if (!(cb->sacked & TCPCB_SACKED_RETRANS))
		tp->retrans_out++;
	cb->sacked |= TCPCB_SACKED_RETRANS | TCPCB_EVER_RETRANS;
	if (!tp->retrans_stamp_ns)
		tp->retrans_stamp_ns = net_now_ns();
	return 0;
}

void tcp_xmit_retransmit_queue(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb;

	for (skb = skb_peek(&sk->sk_write_queue); skb && skb != tp->send_head; skb = skb->next) {
		uint8_t sacked = TCP_SKB_CB(skb)->sacked;

		if (tcp_in_flight(tp) >= tp->snd_cwnd)
			break;
		if (!(sacked & TCPCB_LOST) || (sacked & (TCPCB_SACKED_ACKED | TCPCB_SACKED_RETRANS)))
			continue;
		if (tcp_retransmit_skb(sk, skb))
			break;
		if (!net_timer_pending(&tp->retransmit_timer))
			tcp_reset_rtx_timer(sk, TCP_TIME_RETRANS, net_now_ns() + tcp_rto_ns(tp));
	}
}

void tcp_send_ack(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (sk->sk_state == TCP_CLOSE || sk->sk_state == TCP_LISTEN)
		return;
	tcp_transmit(sk, tp->snd_nxt, TCPHDR_ACK, NULL, 0);
}

void tcp_send_active_reset(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	tcp_transmit(sk, tp->snd_nxt, TCPHDR_RST | TCPHDR_ACK, NULL, 0);
}

/* Queues a payload-less skb carrying flags (SYN or FIN) at write_seq. */
static struct sk_buff *tcp_queue_ctl(struct sock *sk, uint8_t flags)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb = alloc_skb(1);

	if (!skb) {
		NET_INC_STATS(TCPOutNoMem);
		return NULL;
	}
	*TCP_SKB_CB(skb) = (struct tcp_skb_cb){ .seq = tp->write_seq,
						.end_seq = tp->write_seq + 1,
						.tcp_flags = flags };
	tp->write_seq++;
	sk->sk_wmem_queued += (int)skb->truesize;
	skb_queue_tail(&sk->sk_write_queue, skb);
	if (!tp->send_head)
		tp->send_head = skb;
	return skb;
}

int tcp_send_syn(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb = tcp_queue_ctl(sk, TCPHDR_SYN);

	if (!skb)
		return -ENOBUFS;
	tp->send_head = skb->next;
	tp->snd_nxt = tp->write_seq;
	tp->packets_out++;
	tcp_transmit_skb(sk, skb);
	tcp_reset_rtx_timer(sk, TCP_TIME_RETRANS, net_now_ns() + tcp_rto_ns(tp));
	return 0;
}

/* FIN rides on the last unsent skb if there is one, else on its own. */
void tcp_send_fin(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *tail = sk->sk_write_queue.prev;

	if (tail && tp->send_head && !(TCP_SKB_CB(tail)->tcp_flags & (TCPHDR_SYN | TCPHDR_FIN))) {
		TCP_SKB_CB(tail)->tcp_flags |= TCPHDR_FIN;
		TCP_SKB_CB(tail)->end_seq++;
		tp->write_seq++;
	} else if (!tcp_queue_ctl(sk, TCPHDR_FIN)) {
		return;
	}
	tcp_push(sk);
}

/* A window probe: one byte past snd_una - 1 (RFC 9293 3.8.6.1 allows
 * re-sending old data; Linux's "window probe" sends snd_una - 1). */
void tcp_send_probe0(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	NET_INC_STATS(TCPWinProbe);
	tcp_transmit(sk, tp->snd_una - 1, TCPHDR_ACK, NULL, 0);
}

/* Keepalive and persist: send new data if the window opened, else a
 * probe.  0 if something was sent. */
int tcp_write_wakeup(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb = tp->send_head;

	if (skb && before(TCP_SKB_CB(skb)->seq, tp->snd_una + tp->snd_wnd)) {
		tcp_write_xmit(sk, true);
		return 0;
	}
	tcp_send_probe0(sk);
	return 0;
}

void tcp_check_probe_timer(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (!tp->packets_out && tp->send_head && !net_timer_pending(&tp->retransmit_timer))
		tcp_reset_rtx_timer(sk, TCP_TIME_PROBE0, net_now_ns() + tcp_rto_ns(tp));
}

int tcp_send_synack(struct request_sock *req)
{
	struct tcp_seg seg = { .saddr = req->rmt_addr, .daddr = req->loc_addr,
			       .sport = req->rmt_port, .dport = req->loc_port };
	struct tcp_out_options o = { .mss = req->listener->advmss, .wscale = -1,
				     .sack_perm = req->sack_ok, .tstamp = req->tstamp_ok };
	struct ip_tx tx = { .protocol = IPPROTO_TCP, .df = true };
	size_t hlen;
	struct sk_buff *skb;
	struct tcphdr *th;

	if (req->wscale_ok)
		o.wscale = (int8_t)req->rcv_wscale;
	if (req->tstamp_ok) {
		o.tsval = req->snt_tsval ? req->snt_tsval : tcp_time_stamp_ms() + req->ts_off;
		o.tsecr = req->ts_recent;
	}
	hlen = TCP_HDR_LEN + tcp_options_size(&o);
	skb = alloc_skb((unsigned int)(MAX_HEADER + hlen));
	if (!skb) {
		NET_INC_STATS(TCPOutNoMem);
		return -ENOBUFS;
	}
	skb_reserve(skb, MAX_HEADER);
	th = skb_put_zero(skb, (unsigned int)hlen);
	th->source = htons(seg.dport);
	th->dest = htons(seg.sport);
	th->seq = htonl(req->snt_isn);
	th->ack_seq = htonl(req->rcv_isn + 1);
	th->doff_res = (uint8_t)((hlen / 4) << 4);
	th->flags = TCPHDR_SYN | TCPHDR_ACK;
	th->window = htons((uint16_t)(req->listener->sk.sk_rcvbuf / 2 > 0xffff ?
				      0xffff : req->listener->sk.sk_rcvbuf / 2));
	tcp_options_write((uint8_t *)(th + 1), &o);
	th->check = csum_tcpudp_magic(htonl(seg.daddr), htonl(seg.saddr), (uint16_t)skb->len,
				      IPPROTO_TCP, csum_partial(skb->data, skb->len, 0));
	TCP_INC_STATS(OutSegs);
	return ip_send_to(skb, seg.daddr, seg.saddr, &tx);
}

int tcp_wspace(const struct sock *sk)
{
	return sk->sk_sndbuf - sk->sk_wmem_queued;
}

/* Wakes the writer once a third of the send buffer is free. */
void tcp_new_space(struct sock *sk)
{
	tcp_sndbuf_expand(sk);
	if (tcp_wspace(sk) >= sk->sk_sndbuf / 3 && !(sk->sk_shutdown & SEND_SHUTDOWN))
		sk->sk_write_space(sk);
}

void tcp_send_delayed_ack(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (tp->ack_pending & TCP_ACK_TIMER)
		return;
	tp->ack_pending |= TCP_ACK_TIMER;
	tcp_reset_delack_timer(sk, net_now_ns() + TCP_DELACK_NS);
}
