/*
 * TCP over IPv4: the receive entry point (tcp_v4_rcv), ICMP errors,
 * resets and bare ACKs sent without a sock, initial sequence numbers,
 * the counters and registration with inet_protos[].
 *
 * tcp_v4_rcv validates a segment once: unicast to us, a whole header,
 * data offset within the segment, checksum, options that stay inside the
 * header, no SYN+FIN or SYN+RST.  Each failure has its own counter.  Then
 * it finds the sock (4-tuple first, then TIME-WAIT, then a listener) and
 * hands the decoded segment (struct tcp_seg) to tcp_rcv_state_process (or
 * tcp_timewait_state_process), or to the backlog while the socket layer
 * owns the sock.  No sock: RST (RFC 9293 3.10.7.1).  A segment taken off
 * a listener's or a since closed sock's backlog is looked up again
 * (tcp_v4_backlog_redirect).
 *
 * ISNs (RFC 6528): ISN = M + F(localip, localport, remoteip, remoteport,
 * secretkey), M a 4 us clock (ns / 4096 here), F SipHash-2-4 keyed with
 * a random secret drawn at init.
 *
 * Context: softirq (receive, ICMP), or a thread with bottom halves
 * disabled (sends).
 */
#include "net/ipv4/tcp.h"

#include "kernel/errno.h"
#include "kernel/lib/siphash.h"
#include "kernel/lib/string.h"
#include "net/core/byteorder.h"
#include "net/core/checksum.h"
#include "net/core/stats.h"
#include "net/ipv4/icmp.h"
#include "net/ipv4/inet_hashtables.h"
#include "net/ipv4/ip.h"
#include "net/ipv4/protocol.h"
#include "net/ipv4/route.h"

struct tcp_mib tcp_statistics;
struct tcpext_mib tcpext_statistics;

static const char *const tcp_mib_names[] = { TCP_MIB_LIST(MIB_NAME) };
static const char *const tcpext_mib_names[] = { TCPEXT_MIB_LIST(MIB_NAME) };
_Static_assert(sizeof(tcp_mib_names) / sizeof(tcp_mib_names[0]) ==
	       sizeof(struct tcp_mib) / sizeof(uint64_t), "one name per Tcp counter");
_Static_assert(sizeof(tcpext_mib_names) / sizeof(tcpext_mib_names[0]) ==
	       sizeof(struct tcpext_mib) / sizeof(uint64_t), "one name per TcpExt counter");
static struct mib tcp_mib_entry = MIB_INIT("Tcp", tcp_mib_names, &tcp_statistics);
static struct mib tcpext_mib_entry = MIB_INIT("TcpExt", tcpext_mib_names, &tcpext_statistics);

static uint8_t tcp_secret[SIPHASH_KEY_SIZE];

uint32_t tcp_v4_init_seq(uint32_t saddr, uint32_t daddr, uint16_t sport, uint16_t dport)
{
	uint32_t tuple[3] = { saddr, daddr, (uint32_t)sport << 16 | dport };

	return (uint32_t)siphash(tuple, sizeof(tuple), tcp_secret) +
	       (uint32_t)(net_now_ns() >> 12);
}

uint32_t tcp_v4_init_ts_off(uint32_t saddr, uint32_t daddr)
{
	uint32_t pair[3] = { saddr, daddr, 0x7473u };

	return (uint32_t)siphash(pair, sizeof(pair), tcp_secret);
}

/* Fills seg from skb (data at the TCP header).  0, or a negative value
 * after counting why the segment is bad. */
static int tcp_seg_parse(struct sk_buff *skb, struct tcp_seg *seg)
{
	const struct tcphdr *th = (const struct tcphdr *)skb->data;
	const struct inet_skb_parm *ip = IPCB_const(skb);

	if (!skb_may_pull(skb, TCP_HDR_LEN)) {
		NET_INC_STATS(TCPInTruncated);
		return -1;
	}
	seg->doff = (uint8_t)((th->doff_res >> 4) * 4);
	if (seg->doff < TCP_HDR_LEN || !skb_may_pull(skb, seg->doff)) {
		NET_INC_STATS(TCPInBadDoff);
		return -1;
	}
	seg->flags = th->flags;
	if (tcp_parse_options(skb->data + TCP_HDR_LEN, seg->doff - TCP_HDR_LEN,
			      seg->flags & TCPHDR_SYN, &seg->opt)) {
		NET_INC_STATS(TCPInBadOptLen);
		return -1;
	}
	seg->saddr = ip->hdr.saddr;
	seg->daddr = ip->hdr.daddr;
	seg->sport = ntohs(th->source);
	seg->dport = ntohs(th->dest);
	seg->seq = ntohl(th->seq);
	seg->ack = ntohl(th->ack_seq);
	seg->wnd = ntohs(th->window);
	seg->len = skb->len - seg->doff;
	seg->end_seq = seg->seq + seg->len + !!(seg->flags & TCPHDR_SYN) +
		       !!(seg->flags & TCPHDR_FIN);
	return 0;
}

static bool tcp_checksum_ok(const struct sk_buff *skb)
{
	const struct inet_skb_parm *ip = IPCB_const(skb);

	if (skb->ip_summed == CHECKSUM_UNNECESSARY)
		return true;
	return csum_tcpudp_magic(htonl(ip->hdr.saddr), htonl(ip->hdr.daddr), (uint16_t)skb->len,
				 IPPROTO_TCP, csum_partial(skb->data, skb->len, 0)) == 0;
}

/* The checks before any sock sees the segment; false: counted, drop. */
static bool tcp_v4_validate(struct sk_buff *skb, struct tcp_seg *seg)
{
	const struct rtable *rt = skb_rtable(skb);

	if (skb->pkt_type != PACKET_HOST || (rt && rt->rt_type == RTN_BROADCAST)) {
		NET_INC_STATS(TCPInBcast);
		return false;
	}
	if (tcp_seg_parse(skb, seg))
		goto bad;
	if (!tcp_checksum_ok(skb)) {
		TCP_INC_STATS(InCsumErrors);
		goto bad;
	}
	if ((seg->flags & TCPHDR_SYN) && (seg->flags & (TCPHDR_FIN | TCPHDR_RST))) {
		if (seg->flags & TCPHDR_FIN)
			NET_INC_STATS(TCPInSynFin);
		else
			NET_INC_STATS(TCPInBadFlags);
		goto bad;
	}
	return true;
bad:
	TCP_INC_STATS(InErrs);
	return false;
}

static void tcp_v4_do_rcv(struct sock *sk, struct sk_buff *skb, const struct tcp_seg *seg)
{
	if (sk->sk_state == TCP_LISTEN && !(seg->flags & TCPHDR_SYN)) {
		struct sock *child = tcp_check_req(sk, skb, seg);

		if (!child) {
			kfree_skb(skb);
			return;
		}
		if (child != sk) {	/* SYN_RECV, hashed; the ACK completes it */
			tcp_rcv_state_process(child, skb, seg);
			if (child->sk_state == TCP_SYN_RECV)
				tcp_done(child);	/* the ACK did not complete it */
			sock_put(child);
			return;
		}
	}
	tcp_rcv_state_process(sk, skb, seg);
}

/* Hands seg to sk now, or to its backlog while the socket layer owns it. */
void tcp_v4_deliver(struct sock *sk, struct sk_buff *skb, const struct tcp_seg *seg)
{
	sock_hold(sk);
	if (sock_owned_by_user(sk)) {
		if (sk_add_backlog(sk, skb, sk->sk_rcvbuf + sk->sk_sndbuf))
			NET_INC_STATS(TCPBacklogDrop);
	} else {
		tcp_v4_do_rcv(sk, skb, seg);
	}
	sock_put(sk);
}

/* A segment on sk's backlog was looked up when it arrived; the segments
 * ahead of it may have changed the answer since.  A listener's: the
 * handshake's ACK turned the request sock into a child, which owns the
 * 4-tuple now (the listener would find no request sock and answer RST;
 * Linux's tcp_v4_hnd_req looked again for the same reason).  A closed
 * sock's: a FIN moved the connection to TIME-WAIT.  True: delivered. */
static bool tcp_v4_backlog_redirect(struct sock *sk, struct sk_buff *skb,
				    const struct tcp_seg *seg)
{
	struct tcp_timewait_sock *tw;
	struct sock *nsk;

	if (sk->sk_state != TCP_LISTEN && sk->sk_state != TCP_CLOSE)
		return false;
	nsk = inet_lookup_established(seg->saddr, seg->sport, seg->daddr, seg->dport);
	if (nsk && nsk != sk) {
		tcp_v4_deliver(nsk, skb, seg);
		return true;
	}
	tw = inet_lookup_timewait(seg->saddr, seg->sport, seg->daddr, seg->dport);
	if (tw) {
		tcp_timewait_state_process(tw, skb, seg);
		return true;
	}
	return false;
}

int tcp_v4_backlog_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_seg seg;

	skb_push(skb, (unsigned int)(skb->data - skb_transport_header(skb)));
	if (tcp_seg_parse(skb, &seg)) {
		kfree_skb(skb);
		return 0;
	}
	skb_pull(skb, seg.doff);
	if (!tcp_v4_backlog_redirect(sk, skb, &seg))
		tcp_v4_do_rcv(sk, skb, &seg);
	return 0;
}

int tcp_v4_rcv(struct sk_buff *skb)
{
	struct tcp_seg seg;
	struct sock *sk;

	TCP_INC_STATS(InSegs);
	if (!tcp_v4_validate(skb, &seg))
		goto drop;
	sk = inet_lookup_established(seg.saddr, seg.sport, seg.daddr, seg.dport);
	if (!sk) {
		struct tcp_timewait_sock *tw =
			inet_lookup_timewait(seg.saddr, seg.sport, seg.daddr, seg.dport);

		if (tw) {
			skb_pull(skb, seg.doff);
			tcp_timewait_state_process(tw, skb, &seg);
			return 0;
		}
		sk = inet_lookup_listener(seg.daddr, seg.dport);
	}
	if (!sk) {
		NET_INC_STATS(TCPInNoSocket);
		tcp_v4_send_reset(&seg);
		goto drop;
	}
	skb_pull(skb, seg.doff);
	tcp_v4_deliver(sk, skb, &seg);
	return 0;
drop:
	kfree_skb(skb);
	return NET_RX_DROP;
}

/* Builds and sends a header-only segment from seg's destination back to
 * its source. */
static void tcp_v4_send_ctl(const struct tcp_seg *seg, uint32_t seq, uint32_t ack,
			    uint8_t flags, uint16_t win, const struct tcp_out_options *opt)
{
	size_t olen = opt ? tcp_options_size(opt) : 0;
	struct ip_tx tx = { .protocol = IPPROTO_TCP, .df = true };
	struct sk_buff *skb = alloc_skb((unsigned int)(MAX_HEADER + TCP_HDR_LEN + olen));
	struct tcphdr *th;

	if (!skb) {
		NET_INC_STATS(TCPOutNoMem);
		return;
	}
	skb_reserve(skb, MAX_HEADER);
	th = skb_put_zero(skb, (unsigned int)(TCP_HDR_LEN + olen));
	th->source = htons(seg->dport);
	th->dest = htons(seg->sport);
	th->seq = htonl(seq);
	th->ack_seq = htonl(ack);
	th->doff_res = (uint8_t)(((TCP_HDR_LEN + olen) / 4) << 4);
	th->flags = flags;
	th->window = htons(win);
	if (opt)
		tcp_options_write((uint8_t *)(th + 1), opt);
	th->check = csum_tcpudp_magic(htonl(seg->daddr), htonl(seg->saddr), (uint16_t)skb->len,
				      IPPROTO_TCP, csum_partial(skb->data, skb->len, 0));
	TCP_INC_STATS(OutSegs);
	if (flags & TCPHDR_RST)
		TCP_INC_STATS(OutRsts);
	if (ip_send_to(skb, seg->daddr, seg->saddr, &tx))
		NET_INC_STATS(TCPOutNoRoute);
}

void tcp_v4_send_reset(const struct tcp_seg *seg)
{
	/* RFC 9293 3.10.7.1: "An incoming segment containing a RST is
	 * discarded." */
	if (seg->flags & TCPHDR_RST)
		return;
	/* "If the ACK bit is on, <SEQ=SEG.ACK><CTL=RST>; otherwise
	 * <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>" */
	if (seg->flags & TCPHDR_ACK)
		tcp_v4_send_ctl(seg, seg->ack, 0, TCPHDR_RST, 0, NULL);
	else
		tcp_v4_send_ctl(seg, 0, seg->end_seq, TCPHDR_RST | TCPHDR_ACK, 0, NULL);
}

void tcp_v4_send_ack(const struct tcp_seg *seg, uint32_t seq, uint32_t ack, uint32_t win,
		     uint32_t tsval, uint32_t tsecr)
{
	struct tcp_out_options opt = { .wscale = -1, .tstamp = true, .tsval = tsval,
				       .tsecr = tsecr };

	tcp_v4_send_ctl(seg, seq, ack, TCPHDR_ACK, (uint16_t)(win > 0xffff ? 0xffff : win),
			seg->opt.saw_tstamp ? &opt : NULL);
}

/* RFC 1122 4.2.3.9: port and protocol unreachable are hard errors while
 * connecting; the rest are soft (kept in sk_err_soft). */
static void tcp_v4_err_apply(struct sock *sk, const struct icmp_err *e, uint32_t seq)
{
	struct tcp_sock *tp = tcp_sk(sk);
	bool hard = e->type == ICMP_DEST_UNREACH &&
		    (e->code == ICMP_PORT_UNREACH || e->code == ICMP_PROT_UNREACH);

	if (e->type == ICMP_DEST_UNREACH && e->code == ICMP_FRAG_NEEDED) {
		tcp_sync_mss(sk, e->info);
		if (seq == tp->snd_una && skb_peek(&sk->sk_write_queue))
			tcp_retransmit_skb(sk, skb_peek(&sk->sk_write_queue));
		return;
	}
	if (sk->sk_state == TCP_SYN_SENT && hard) {
		sk->sk_err = ECONNREFUSED;
		sk->sk_error_report(sk);
		tcp_done(sk);
		return;
	}
	sk->sk_err_soft = e->type == ICMP_DEST_UNREACH ? EHOSTUNREACH : EPROTO;
}

static void tcp_v4_err(const struct icmp_err *e)
{
	const uint8_t *th = e->transport;
	struct sock *sk;
	uint32_t seq;

	/* The quoted datagram is one we sent: its source is us. */
	sk = inet_lookup_established(e->quoted.daddr, get_be16(th + 2), e->quoted.saddr,
				     get_be16(th));
	if (!sk)
		return;
	seq = get_be32(th + 4);
	/* RFC 5927 4.1: act only if SND.UNA <= seq < SND.NXT. */
	if (sk->sk_state != TCP_LISTEN &&
	    !between(seq, tcp_sk(sk)->snd_una, tcp_sk(sk)->snd_nxt)) {
		NET_INC_STATS(OutOfWindowIcmps);
		return;
	}
	sock_hold(sk);
	if (!sock_owned_by_user(sk))
		tcp_v4_err_apply(sk, e, seq);
	sock_put(sk);
}

static const struct net_protocol tcp_protocol = {
	.handler = tcp_v4_rcv,
	.err_handler = tcp_v4_err,
};

int tcp_init(void)
{
	int err;

	net_random_bytes(tcp_secret, sizeof(tcp_secret));
	inet_hashinfo_init();
	tcp_syncookies_init();
	err = inet_add_protocol(&tcp_protocol, IPPROTO_TCP);
	if (err)
		return err;
	tcp_statistics.RtoAlgorithm = 1;	/* "other" (RFC 2012): RFC 6298 */
	tcp_statistics.RtoMin = TCP_RTO_MIN_NS / TCP_NS_PER_MS;
	tcp_statistics.RtoMax = TCP_RTO_MAX_NS / TCP_NS_PER_MS;
	tcp_statistics.MaxConn = UINT64_MAX;	/* -1: dynamic */
	mib_register(&tcp_mib_entry);
	mib_register(&tcpext_mib_entry);
	return 0;
}

void tcp_exit(void)
{
	mib_unregister(&tcpext_mib_entry);
	mib_unregister(&tcp_mib_entry);
	inet_del_protocol(&tcp_protocol, IPPROTO_TCP);
	memset(&tcp_statistics, 0, sizeof(tcp_statistics));
	memset(&tcpext_statistics, 0, sizeof(tcpext_statistics));
}
