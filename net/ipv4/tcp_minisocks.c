/*
 * Passive open and TIME_WAIT (Linux's "minisocks").
 *
 * A listener keeps two queues (seeds/004 chapter 6): the SYN queue of
 * request socks (SYN received, SYN-ACK sent, a timer retransmitting it
 * TCP_SYNACK_RETRIES times with backoff) bounded by the backlog, and
 * the accept queue of established children, bounded by the backlog too.
 * A SYN that finds the accept queue full is dropped (ListenOverflows,
 * ListenDrops); one that finds the SYN queue full is answered with a SYN
 * cookie (syncookies.c) and no state.  The ACK that completes a handshake
 * turns the request into a full sock in SYN-RECEIVED, which the same ACK
 * moves to ESTABLISHED and onto the accept queue (tcp_input.c).
 *
 * TIME_WAIT keeps a struct tcp_timewait_sock (about a tenth of a
 * tcp_sock) in the timewait table for 2*MSL and frees the full sock at
 * once, as Linux's inet_timewait_sock does.  It re-ACKs a retransmitted
 * FIN (restarting the timer), ACKs old duplicates, PAWS-rejects
 * (RFC 7323 5), dies on a RST at RCV.NXT, and yields to a new SYN whose
 * sequence number or timestamp is beyond the old connection's (RFC 1122
 * 4.2.2.13, RFC 6191).
 *
 * References: the accept queue holds one reference on each child; request
 * socks are owned by their listener, which frees them when it closes.
 *
 * Context: softirq, or a thread inside lock_sock (accept, close).
 */
#include "net/ipv4/tcp.h"

#include "kernel/errno.h"
#include "net/ipv4/inet_hashtables.h"
#include "net/ipv4/ip.h"
#include "net/ipv4/route.h"

#define TCP_SYNACK_TIMEOUT_NS	TCP_TIMEOUT_INIT_NS

static void reqsk_free(struct tcp_sock *lp, struct request_sock *req)
{
	struct request_sock **pp = &lp->accept_queue.syn_head;

	while (*pp && *pp != req)
		pp = &(*pp)->next;
	if (*pp) {
		*pp = req->next;
		lp->accept_queue.syn_qlen--;
	}
	net_timer_del(&req->timer);
	net_free(req);
}

static void reqsk_timer_fire(struct net_timer *t)
{
	struct request_sock *req =
		(struct request_sock *)((char *)t - offsetof(struct request_sock, timer));

	if (req->num_retrans >= TCP_SYNACK_RETRIES) {
		reqsk_free(req->listener, req);
		return;
	}
	req->num_retrans++;
	if (!tcp_send_synack(req)) {
		TCP_INC_STATS(RetransSegs);
		NET_INC_STATS(TCPSynRetrans);
	}
	net_timer_mod(t, net_now_ns() + (TCP_SYNACK_TIMEOUT_NS << req->num_retrans));
}

void tcp_openreq_init(struct request_sock *req, struct tcp_sock *lp, const struct tcp_seg *seg)
{
	const struct tcp_options_received *o = &seg->opt;

	req->listener = lp;
	req->rmt_addr = seg->saddr;
	req->loc_addr = seg->daddr;
	req->rmt_port = seg->sport;
	req->loc_port = seg->dport;
	req->rcv_isn = seg->seq;
	req->mss = o->saw_mss && o->mss ? o->mss : TCP_MSS_DEFAULT;
	req->wscale_ok = o->saw_wscale;
	req->snd_wscale = o->snd_wscale;
	req->rcv_wscale = req->wscale_ok ? (uint8_t)tcp_choose_wscale(&lp->sk) : 0;
	req->sack_ok = o->sack_ok;
	req->tstamp_ok = o->saw_tstamp;
	req->ts_recent = o->rcv_tsval;
	req->ts_off = tcp_v4_init_ts_off(seg->daddr, seg->saddr);
}

struct request_sock *tcp_req_find(struct tcp_sock *lp, const struct tcp_seg *seg)
{
	struct request_sock *req;

	for (req = lp->accept_queue.syn_head; req; req = req->next)
		if (req->rmt_addr == seg->saddr && req->rmt_port == seg->sport &&
		    req->loc_addr == seg->daddr && req->loc_port == seg->dport)
			return req;
	return NULL;
}

static void tcp_send_cookie(struct tcp_sock *lp, const struct tcp_seg *seg)
{
	struct request_sock req = { 0 };

	tcp_openreq_init(&req, lp, seg);
	req.snt_isn = cookie_v4_init_sequence(&req, seg);
	NET_INC_STATS(TCPReqQFullDoCookies);
	NET_INC_STATS(SyncookiesSent);
	tcp_send_synack(&req);
}

int tcp_conn_request(struct sock *sk, struct sk_buff *skb, const struct tcp_seg *seg)
{
	struct tcp_sock *lp = tcp_sk(sk);
	struct request_sock *req = tcp_req_find(lp, seg);

	(void)skb;
	if (req) {				/* the peer retransmitted its SYN */
		tcp_send_synack(req);
		return 0;
	}
	if (sk->sk_ack_backlog >= sk->sk_max_ack_backlog) {
		NET_INC_STATS(ListenOverflows);
		NET_INC_STATS(ListenDrops);
		return -ENOBUFS;
	}
	if (lp->accept_queue.syn_qlen >= (unsigned int)sk->sk_max_ack_backlog) {
		tcp_send_cookie(lp, seg);
		return 0;
	}
	req = net_alloc(sizeof(*req));
	if (!req) {
		NET_INC_STATS(TCPReqQFullDrop);
		NET_INC_STATS(ListenDrops);
		return -ENOMEM;
	}
	tcp_openreq_init(req, lp, seg);
	req->snt_isn = tcp_v4_init_seq(seg->daddr, seg->saddr, seg->dport, seg->sport);
	req->next = lp->accept_queue.syn_head;
	lp->accept_queue.syn_head = req;
	lp->accept_queue.syn_qlen++;
	net_timer_init(&req->timer, reqsk_timer_fire);
	net_timer_mod(&req->timer, net_now_ns() + TCP_SYNACK_TIMEOUT_NS);
	tcp_send_synack(req);
	return 0;
}

static void tcp_child_copy_settings(struct sock *sk, const struct sock *lsk)
{
	const struct tcp_sock *lp = (const struct tcp_sock *)lsk;
	struct tcp_sock *tp = tcp_sk(sk);

	sk->sk_rcvbuf = lsk->sk_rcvbuf;
	sk->sk_sndbuf = lsk->sk_sndbuf;
	sk->sk_userlocks = lsk->sk_userlocks & (SOCK_RCVBUF_LOCK | SOCK_SNDBUF_LOCK);
	sk->sk_flags = lsk->sk_flags & ((1u << SOCK_KEEPOPEN) | (1u << SOCK_LINGER));
	sk->sk_lingertime_ns = lsk->sk_lingertime_ns;
	tp->nodelay = lp->nodelay;
	tp->user_mss = lp->user_mss;
	tp->keepalive_time_ns = lp->keepalive_time_ns;
	tp->keepalive_intvl_ns = lp->keepalive_intvl_ns;
	tp->keepalive_probes = lp->keepalive_probes;
	tp->ca_ops = lp->ca_ops;
}

/* Sequence state and options of a child in SYN-RECEIVED. */
static void tcp_child_init_seq(struct tcp_sock *tp, const struct request_sock *req)
{
	tp->iss = req->snt_isn;
	tp->snd_una = tp->highest_sack = tp->iss;
	tp->snd_nxt = tp->write_seq = tp->snd_sml = tp->iss + 1;
	tp->irs = req->rcv_isn;
	tp->rcv_nxt = tp->rcv_wup = tp->copied_seq = req->rcv_isn + 1;
	tp->wscale_ok = req->wscale_ok;
	tp->snd_wscale = req->wscale_ok ? req->snd_wscale : 0;
	tp->rcv_wscale = req->wscale_ok ? req->rcv_wscale : 0;
	tp->sack_ok = req->sack_ok;
	tp->tstamp_ok = req->tstamp_ok;
	tp->ts_recent = req->ts_recent;
	tp->ts_recent_stamp_ns = net_now_ns();
	tp->ts_offset = req->ts_off;
	tp->mss_clamp = req->mss;
	tp->window_clamp = SK_BUF_MAX / 2;
	tp->rcv_wnd = (uint32_t)tp->sk.sk_rcvbuf / 2 > 0xffff ? 0xffff : (uint32_t)tp->sk.sk_rcvbuf / 2;
}

struct sock *tcp_create_openreq_child(struct tcp_sock *lp, const struct request_sock *req)
{
	struct flowi4 fl = { .daddr = req->rmt_addr, .saddr = req->loc_addr,
			     .proto = IPPROTO_TCP };
	struct sock *sk;
	struct rtable *rt;

	if (ip_route_output(&fl, &rt))
		return NULL;
	sk = sk_alloc(&tcp_prot, AF_INET, SOCK_STREAM, IPPROTO_TCP);
	if (!sk) {
		dst_release(&rt->dst);
		return NULL;
	}
	tcp_child_copy_settings(sk, &lp->sk);
	sk_dst_set(sk, &rt->dst);
	sk->sk_rcv_saddr = sk->sk_saddr = req->loc_addr;
	sk->sk_daddr = req->rmt_addr;
	sk->sk_dport = req->rmt_port;
	tcp_child_init_seq(tcp_sk(sk), req);
	tcp_sk(sk)->advmss = (uint16_t)(rt->dst.mtu - IP_HDR_LEN - TCP_HDR_LEN);
	if (tcp_sk(sk)->user_mss && tcp_sk(sk)->advmss > tcp_sk(sk)->user_mss)
		tcp_sk(sk)->advmss = tcp_sk(sk)->user_mss;
	tcp_sync_mss(sk, rt->dst.mtu);
	inet_inherit_port(sk, &lp->sk);
	sk->sk_state = TCP_SYN_RECV;
	inet_ehash_insert(sk);
	tcp_sk(sk)->parent = lp;
	TCP_INC_STATS(PassiveOpens);
	return sk;
}

/* The handshake's last ACK for req; see tcp_check_req. */
static struct sock *tcp_req_ack(struct tcp_sock *lp, struct request_sock *req,
				const struct tcp_seg *seg)
{
	struct sock *child;

	if (!(seg->flags & TCPHDR_ACK))
		return NULL;
	/* RFC 9293 SYN-RECEIVED: an unacceptable ACK gets <SEQ=SEG.ACK><CTL=RST> */
	if (seg->ack != req->snt_isn + 1) {
		NET_INC_STATS(TCPInBadAck);
		tcp_v4_send_reset(seg);
		return NULL;
	}
	if (seg->seq != req->rcv_isn + 1) {
		NET_INC_STATS(TCPInOutOfWindow);
		return NULL;
	}
	if (lp->sk.sk_ack_backlog >= lp->sk.sk_max_ack_backlog) {
		NET_INC_STATS(ListenOverflows);
		NET_INC_STATS(ListenDrops);
		return NULL;
	}
	child = tcp_create_openreq_child(lp, req);
	if (!child) {
		NET_INC_STATS(ListenDrops);
		return NULL;
	}
	reqsk_free(lp, req);
	return child;
}

struct sock *tcp_check_req(struct sock *sk, struct sk_buff *skb, const struct tcp_seg *seg)
{
	struct tcp_sock *lp = tcp_sk(sk);
	struct request_sock *req = tcp_req_find(lp, seg);

	(void)skb;
	if (!req) {
		if ((seg->flags & (TCPHDR_ACK | TCPHDR_RST)) == TCPHDR_ACK)
			return cookie_v4_check(sk, seg);
		return sk;
	}
	if (seg->flags & TCPHDR_RST) {
		/* RFC 5961 3.2: only the exact sequence number resets. */
		if (seg->seq == req->rcv_isn + 1) {
			NET_INC_STATS(EmbryonicRsts);
			reqsk_free(lp, req);
		} else {
			NET_INC_STATS(TCPInRstOutOfWindow);
		}
		return NULL;
	}
	return tcp_req_ack(lp, req, seg);
}

void tcp_accept_enqueue(struct tcp_sock *lp, struct tcp_sock *child)
{
	struct tcp_listen_queue *q = &lp->accept_queue;

	sock_hold(&child->sk);
	child->accept_next = NULL;
	if (q->accept_tail)
		q->accept_tail->accept_next = child;
	else
		q->accept_head = child;
	q->accept_tail = child;
	lp->sk.sk_ack_backlog++;
}

struct tcp_sock *tcp_accept_dequeue(struct tcp_sock *lp)
{
	struct tcp_listen_queue *q = &lp->accept_queue;
	struct tcp_sock *child = q->accept_head;

	if (!child)
		return NULL;
	q->accept_head = child->accept_next;
	if (!q->accept_head)
		q->accept_tail = NULL;
	child->accept_next = NULL;
	lp->sk.sk_ack_backlog--;
	return child;
}

void tcp_listen_stop(struct sock *sk)
{
	struct tcp_sock *lp = tcp_sk(sk), *child;

	while (lp->accept_queue.syn_head)
		reqsk_free(lp, lp->accept_queue.syn_head);
	while ((child = tcp_accept_dequeue(lp)) != NULL) {
		NET_INC_STATS(TCPAbortOnClose);
		if (child->sk.sk_state != TCP_CLOSE)
			tcp_send_active_reset(&child->sk);
		tcp_done(&child->sk);
		sock_put(&child->sk);
	}
}

/* RFC 1122 4.2.2.13: a SYN may reopen a TIME-WAIT connection when its
 * sequence number is beyond the old one's, or (RFC 6191) its timestamp
 * is newer: either is enough, as in Linux. */
static bool tcp_tw_syn_reusable(const struct tcp_timewait_sock *tw, const struct tcp_seg *seg)
{
	if (after(seg->seq, tw->tw_rcv_nxt))
		return true;
	return tw->tw_tstamp_ok && seg->opt.saw_tstamp &&
	       (int32_t)(seg->opt.rcv_tsval - tw->tw_ts_recent) > 0;
}

static void tcp_tw_free(struct tcp_timewait_sock *tw)
{
	net_timer_del(&tw->tw_timer);
	inet_twsk_unhash(tw);
	net_free(tw);
}

static void tcp_tw_timer_fire(struct net_timer *t)
{
	tcp_tw_free((struct tcp_timewait_sock *)((char *)t -
						  offsetof(struct tcp_timewait_sock, tw_timer)));
}

static void tcp_tw_send_ack(const struct tcp_timewait_sock *tw, const struct tcp_seg *seg)
{
	tcp_v4_send_ack(seg, tw->tw_snd_nxt, tw->tw_rcv_nxt, tw->tw_rcv_wnd >> tw->tw_rcv_wscale,
			tcp_time_stamp_ms() + tw->tw_ts_offset, tw->tw_ts_recent);
}

void tcp_time_wait(struct sock *sk, uint64_t timeo_ns)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_timewait_sock *tw = net_alloc(sizeof(*tw));

	if (!tw) {
		NET_INC_STATS(TCPTimeWaitOverflow);
		tcp_done(sk);
		return;
	}
	tw->tw_rcv_saddr = sk->sk_rcv_saddr;
	tw->tw_daddr = sk->sk_daddr;
	tw->tw_num = sk->sk_num;
	tw->tw_dport = sk->sk_dport;
	tw->tw_snd_nxt = tp->snd_nxt;
	tw->tw_rcv_nxt = tp->rcv_nxt;
	tw->tw_rcv_wnd = tcp_receive_window(tp);
	tw->tw_rcv_wscale = tp->rcv_wscale;
	tw->tw_tstamp_ok = tp->tstamp_ok;
	tw->tw_ts_recent = tp->ts_recent;
	tw->tw_ts_recent_stamp_ns = tp->ts_recent_stamp_ns;
	tw->tw_ts_offset = tp->ts_offset;
	tcp_done(sk);		/* before the insert: the 4-tuple is free again */
	inet_twsk_hash(tw);
	net_timer_init(&tw->tw_timer, tcp_tw_timer_fire);
	net_timer_mod(&tw->tw_timer, net_now_ns() + timeo_ns);
	NET_INC_STATS(TW);
}

static void tcp_tw_reopen(struct tcp_timewait_sock *tw, struct sk_buff *skb,
			  const struct tcp_seg *seg)
{
	struct sock *lsk = inet_lookup_listener(seg->daddr, seg->dport);

	NET_INC_STATS(TWRecycled);
	tcp_tw_free(tw);
	if (!lsk) {
		tcp_v4_send_reset(seg);
		kfree_skb(skb);
		return;
	}
	/* Like any SYN for the listener: on its backlog while it is owned,
	 * not dropped (the client would wait a second to retransmit it). */
	tcp_v4_deliver(lsk, skb, seg);
}

/* RFC 9293 3.10.7.4 in TIME-WAIT, with Linux's tcp_timewait_state_process
 * for what the RFC leaves open. */
void tcp_timewait_state_process(struct tcp_timewait_sock *tw, struct sk_buff *skb,
				const struct tcp_seg *seg)
{
	if (seg->flags & TCPHDR_RST) {
		if (seg->seq == tw->tw_rcv_nxt)
			tcp_tw_free(tw);
		else
			NET_INC_STATS(TCPInRstOutOfWindow);
	} else if (tcp_paws_check(tw->tw_tstamp_ok, tw->tw_ts_recent, tw->tw_ts_recent_stamp_ns,
				  seg)) {
		NET_INC_STATS(PAWSEstab);
		tcp_tw_send_ack(tw, seg);
	} else if (seg->flags & TCPHDR_SYN) {
		if (tcp_tw_syn_reusable(tw, seg)) {
			tcp_tw_reopen(tw, skb, seg);
			return;
		}
		tcp_tw_send_ack(tw, seg);
	} else if ((seg->flags & TCPHDR_FIN) && seg->end_seq == tw->tw_rcv_nxt) {
		/* RFC 9293 TIME-WAIT: "acknowledge it, and restart the 2 MSL
		 * timeout" */
		if (tw->tw_tstamp_ok && seg->opt.saw_tstamp &&
		    (int32_t)(seg->opt.rcv_tsval - tw->tw_ts_recent) >= 0) {
			tw->tw_ts_recent = seg->opt.rcv_tsval;
			tw->tw_ts_recent_stamp_ns = net_now_ns();
		}
		tcp_tw_send_ack(tw, seg);
		net_timer_mod(&tw->tw_timer, net_now_ns() + TCP_TIMEWAIT_NS);
	} else if (seg->len || !between(seg->seq, tw->tw_rcv_nxt, tw->tw_rcv_nxt + tw->tw_rcv_wnd)) {
		tcp_tw_send_ack(tw, seg);
	}
	kfree_skb(skb);
}
