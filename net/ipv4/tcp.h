/*
 * TCP (RFC 9293) over IPv4: the wire header, the connection state
 * (struct tcp_sock), and the functions the tcp*.c files share.
 *
 * Files, one job each:
 *   tcp.c           the socket layer's calls: tcp_prot (connect, listen,
 *                   accept, sendmsg, recvmsg, shutdown, close, options, poll)
 *   tcp_ipv4.c      tcp_v4_rcv: checksum, parse, demux, RST for no socket,
 *                   ICMP errors, ISNs, registration and counters
 *   tcp_options.c   option parse (once, bounds-checked) and emit
 *   tcp_input.c     SEGMENT ARRIVES, one function per RFC 9293 step
 *   tcp_ack.c       ACK processing: RTT/RTO, retransmit queue, dup ACKs,
 *                   NewReno and SACK recovery, window update
 *   tcp_sack.c      SACK scoreboard (RFC 6675) and the blocks we send
 *   tcp_data.c      receive queue, out-of-order queue, ACK scheduling,
 *                   receive window and its auto-tuning
 *   tcp_output.c    tcp_write_xmit, tcp_transmit_skb, SYN/FIN/ACK/RST
 *   tcp_timer.c     retransmit, persist, delayed ACK, keepalive, orphan FIN_WAIT2
 *   tcp_minisocks.c request socks (SYN queue), children, accept queue,
 *                   TIME_WAIT (struct tcp_timewait_sock)
 *   syncookies.c    SYN cookies
 *   tcp_cong.c      congestion control registry and Reno; tcp_cubic.c
 *   inet_hashtables.c  bind, listening and established tables, ports
 *
 * Socket layer API (see also net/core/sock.h):
 *   sk = sk_alloc(&tcp_prot, AF_INET, SOCK_STREAM, IPPROTO_TCP);
 *   tcp_prot.bind(sk, addr, port)       0, -EADDRINUSE, -EADDRNOTAVAIL
 *   tcp_prot.connect(sk, daddr, dport)  -EINPROGRESS; sk_state_change
 *        fires on ESTABLISHED or failure (then sk_err: ECONNREFUSED,
 *        ETIMEDOUT, ECONNRESET, EHOSTUNREACH ...); -EISCONN, -EALREADY
 *   tcp_prot.listen(sk, backlog)        0 or -errno
 *   tcp_prot.accept(sk, &err)           child or NULL, err = -EAGAIN;
 *        sk_data_ready fires on the listener when one is queued
 *   tcp_prot.sendmsg / recvmsg          bytes, -EAGAIN, 0 = EOF (recv),
 *        -EPIPE (send after shutdown or reset, or never connected, as
 *        on Linux), -ECONNRESET, -ENOTCONN (recv on a listener)
 *   tcp_prot.shutdown(sk, RCV_SHUTDOWN | SEND_SHUTDOWN)
 *   tcp_prot.close(sk, linger_ns)       consumes the reference; with
 *        SOCK_LINGER and linger 0 aborts with RST, else FIN and the
 *        orphan finishes the exchange alone
 *   tcp_prot.poll(sk)                   SK_POLLIN/OUT/HUP/RDHUP/ERR
 *   tcp_prot.setsockopt(sk, SOL_TCP, TCP_NODELAY, TCP_MAXSEG, TCP_KEEPIDLE ...,
 *        TCP_CONGESTION ("cubic", "reno"))
 *
 * Invariants: snd_una <= snd_nxt <= write_seq; the write queue holds every
 * byte (and SYN/FIN) from snd_una to write_seq in order, send_head is the
 * first skb not yet sent; the receive queue holds in-order bytes from
 * copied_seq to rcv_nxt; the out-of-order queue holds segments beyond
 * rcv_nxt sorted by seq, without overlaps.  A pending timer holds a
 * reference on its sock; a hashed sock holds one too.
 *
 * Context: softirq, or a thread inside lock_sock (net/core/sock.h).
 */
#ifndef SYNACK_NET_IPV4_TCP_H
#define SYNACK_NET_IPV4_TCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/core/skbuff.h"
#include "net/core/sock.h"
#include "net/core/stats.h"
#include "net/platform.h"

struct tcp_sock;
struct request_sock;

/* The wire header (network byte order fields). */
struct tcphdr {
	uint16_t source;
	uint16_t dest;
	uint32_t seq;
	uint32_t ack_seq;
	uint8_t doff_res;	/* data offset << 4 */
	uint8_t flags;
	uint16_t window;
	uint16_t check;
	uint16_t urg_ptr;
} __attribute__((packed));
_Static_assert(sizeof(struct tcphdr) == 20, "TCP header is 20 bytes without options");

#define TCPHDR_FIN	0x01
#define TCPHDR_SYN	0x02
#define TCPHDR_RST	0x04
#define TCPHDR_PSH	0x08
#define TCPHDR_ACK	0x10
#define TCPHDR_URG	0x20
#define TCPHDR_ECE	0x40
#define TCPHDR_CWR	0x80

#define TCP_HDR_LEN		20u
#define TCP_MAX_HDR_LEN		60u
#define TCP_MAX_OPT_LEN		40u

/* Option kinds (RFC 9293, 7323, 2018). */
#define TCPOPT_EOL		0
#define TCPOPT_NOP		1
#define TCPOPT_MSS		2
#define TCPOPT_WINDOW		3
#define TCPOPT_SACK_PERM	4
#define TCPOPT_SACK		5
#define TCPOPT_TIMESTAMP	8

#define TCP_MAX_SACKS		4	/* blocks in one option */
#define TCP_SACK_BLOCKS_KEPT	4	/* receiver side: blocks we remember */
#define TCP_MAX_WSCALE		14	/* RFC 7323 2.3 */

/* Sizes. */
#define TCP_MSS_DEFAULT		536u	/* RFC 9293 3.7.1: no MSS option */
#define TCP_MIN_MSS		88u
#define TCP_MAX_MSS		(0xffffu - 20u - TCP_HDR_LEN - TCP_MAX_OPT_LEN)	/* 16-bit IP length, 20-byte IP header */
#define TCP_INIT_CWND		10u	/* RFC 6928 */
/* Payload of one GSO skb at most: with the headers and MAX_HEADER the
 * buffer stays within 64 KiB (an order-4 block), and the IP datagram
 * under 65535 bytes. */
#define TCP_GSO_MAX_SIZE	(65536u - 1024u)
#define TCP_MAX_REORDERING	300u

/* Timing (nanoseconds). */
#define TCP_NS_PER_MS		1000000ull
#define TCP_RTO_MIN_NS		(200 * TCP_NS_PER_MS)	/* RFC 6298 2.4 allows 200 ms (Linux) */
#define TCP_RTO_MAX_NS		(120000 * TCP_NS_PER_MS)
#define TCP_TIMEOUT_INIT_NS	(1000 * TCP_NS_PER_MS)	/* RFC 6298 2.1 */
#define TCP_DELACK_NS		(40 * TCP_NS_PER_MS)
#define TCP_MSL_NS		(30000 * TCP_NS_PER_MS)
#define TCP_TIMEWAIT_NS		(2 * TCP_MSL_NS)
#define TCP_FIN_TIMEOUT_NS	(60000 * TCP_NS_PER_MS)	/* orphan in FIN_WAIT2 */
#define TCP_KEEPIDLE_NS		(7200000 * TCP_NS_PER_MS)
#define TCP_KEEPINTVL_NS	(75000 * TCP_NS_PER_MS)
#define TCP_KEEPCNT		9
#define TCP_SYN_RETRIES		6
#define TCP_SYNACK_RETRIES	5
#define TCP_RETRIES2		15
#define TCP_ORPHAN_RETRIES	8
#define TCP_PAWS_24DAYS_NS	(24ull * 86400 * 1000000000ull)	/* RFC 7323 5.5 */
#define TCP_PAWS_MSL_S		60

/* SOL_TCP options (Linux values). */
#define TCP_NODELAY		1
#define TCP_MAXSEG		2
#define TCP_KEEPIDLE		4
#define TCP_KEEPINTVL		5
#define TCP_KEEPCNT_OPT		6
#define TCP_CONGESTION		13
#define TCP_CA_NAME_MAX		16

/* ioctl commands (Linux values). */
#define SIOCINQ			0x541b
#define SIOCOUTQ		0x5411

static inline bool before(uint32_t seq1, uint32_t seq2)
{
	return (int32_t)(seq1 - seq2) < 0;
}

static inline bool after(uint32_t seq1, uint32_t seq2)
{
	return before(seq2, seq1);
}

/* seq1 <= seq2 <= seq3 */
static inline bool between(uint32_t seq2, uint32_t seq1, uint32_t seq3)
{
	return seq3 - seq1 >= seq2 - seq1;
}

/* Options as received (tcp_options.c fills it from one header). */
struct tcp_sack_block {
	uint32_t start_seq;
	uint32_t end_seq;
};

struct tcp_options_received {
	bool saw_mss, saw_wscale, sack_ok, saw_tstamp;
	uint8_t num_sacks;
	uint8_t snd_wscale;		/* shift the peer applies, clamped to 14 */
	uint16_t mss;
	uint32_t rcv_tsval;
	uint32_t rcv_tsecr;
	struct tcp_sack_block sacks[TCP_MAX_SACKS];
};

/* One decoded segment: parsed once by tcp_v4_rcv (header and options),
 * host byte order, trusted afterwards.  skb->data is at the payload. */
struct tcp_seg {
	uint32_t saddr, daddr;
	uint16_t sport, dport;
	uint32_t seq;			/* SEG.SEQ */
	uint32_t ack;			/* SEG.ACK */
	uint32_t end_seq;		/* SEG.SEQ + SEG.LEN (SYN and FIN count) */
	uint32_t len;			/* payload bytes */
	uint16_t wnd;			/* SEG.WND as sent (unscaled) */
	uint8_t flags;
	uint8_t doff;			/* header bytes */
	struct tcp_options_received opt;
};

/* skb->cb while TCP owns an skb on one of its queues. */
struct tcp_skb_cb {
	uint32_t seq;
	uint32_t end_seq;
	uint64_t when_ns;		/* last (re)transmission */
	uint8_t tcp_flags;		/* SYN, FIN (+ PSH) on the write queue */
	uint8_t sacked;			/* TCPCB_* */
};
_Static_assert(sizeof(struct tcp_skb_cb) <= 48, "tcp_skb_cb fits skb->cb");

#define TCPCB_SACKED_ACKED	0x01
#define TCPCB_SACKED_RETRANS	0x02	/* retransmitted and not yet acked */
#define TCPCB_LOST		0x04
#define TCPCB_EVER_RETRANS	0x08

static inline struct tcp_skb_cb *TCP_SKB_CB(struct sk_buff *skb)
{
	return (struct tcp_skb_cb *)skb->cb;
}

/* Congestion control (tcp_cong.c).  State lives in tcp_sock.ca_priv. */
enum tcp_ca_state {
	TCP_CA_Open,
	TCP_CA_Disorder,		/* dup ACKs or SACKs seen */
	TCP_CA_Recovery,		/* fast recovery */
	TCP_CA_Loss,			/* after an RTO */
};

enum tcp_ca_event {
	CA_EVENT_TX_START,		/* first transmit after idle */
	CA_EVENT_LOSS,			/* RTO */
};

struct tcp_congestion_ops {
	const char *name;
	void (*init)(struct tcp_sock *tp);
	uint32_t (*ssthresh)(struct tcp_sock *tp);	/* on loss */
	void (*cong_avoid)(struct tcp_sock *tp, uint32_t acked);
	void (*set_state)(struct tcp_sock *tp, uint8_t ca_state);
	void (*cwnd_event)(struct tcp_sock *tp, enum tcp_ca_event ev);
};

extern const struct tcp_congestion_ops tcp_reno;
extern const struct tcp_congestion_ops tcp_cubic;
const struct tcp_congestion_ops *tcp_ca_find(const char *name);
void tcp_set_congestion_control(struct tcp_sock *tp, const struct tcp_congestion_ops *ca);
/* Reno's pieces, for other algorithms. */
void tcp_slow_start(struct tcp_sock *tp, uint32_t *acked);
void tcp_cong_avoid_ai(struct tcp_sock *tp, uint32_t w, uint32_t acked);
uint32_t tcp_reno_ssthresh(struct tcp_sock *tp);

/* Listener state: the SYN queue of request socks and the accept queue of
 * established children (tcp_minisocks.c). */
struct tcp_listen_queue {
	struct request_sock *syn_head;
	unsigned int syn_qlen;
	struct tcp_sock *accept_head;
	struct tcp_sock *accept_tail;
};

struct tcp_sock {
	struct sock sk;			/* first */

	/* Send sequence variables (RFC 9293 3.3.1). */
	uint32_t iss;
	uint32_t snd_una;
	uint32_t snd_nxt;
	uint32_t snd_wnd;		/* scaled */
	uint32_t snd_wl1;
	uint32_t snd_wl2;
	uint32_t write_seq;		/* end of queued data */
	uint32_t max_window;
	uint32_t snd_sml;		/* end of the last small segment (Nagle) */

	/* Receive sequence variables. */
	uint32_t irs;
	uint32_t rcv_nxt;
	uint32_t rcv_wnd;		/* as last advertised */
	uint32_t rcv_wup;		/* rcv_nxt when rcv_wnd was advertised */
	uint32_t copied_seq;		/* next byte the reader gets */
	uint32_t window_clamp;		/* largest window we offer */

	/* Negotiated options. */
	uint16_t mss_cache;		/* current send MSS (payload bytes) */
	uint16_t advmss;		/* MSS we advertise */
	uint16_t mss_clamp;		/* peer's MSS option, or TCP_MAXSEG */
	uint16_t user_mss;
	uint8_t snd_wscale;		/* peer's shift, applied to SEG.WND */
	uint8_t rcv_wscale;		/* our shift */
	bool wscale_ok, sack_ok, tstamp_ok;
	uint32_t ts_recent;		/* TS.Recent (RFC 7323) */
	uint64_t ts_recent_stamp_ns;
	uint32_t ts_offset;		/* random per connection */

	/* RTT and RTO (RFC 6298), microseconds. */
	uint32_t srtt_us;		/* 0: no sample yet */
	uint32_t rttvar_us;
	uint32_t rto_us;
	uint32_t rtt_min_us;
	uint8_t backoff;
	uint8_t retransmits;		/* consecutive RTOs */
	uint8_t probes_out;		/* zero-window or keepalive probes */
	uint64_t retrans_stamp_ns;	/* first retransmission of snd_una */

	/* Congestion state. */
	uint32_t snd_cwnd;		/* segments */
	uint32_t snd_ssthresh;
	uint32_t snd_cwnd_cnt;
	uint32_t prior_cwnd;		/* before the reduction (undo) */
	uint32_t prior_ssthresh;
	int undo_retrans;		/* retransmissions not yet D-SACKed */
	bool undo_active;		/* a reduction that D-SACKs may undo */
	uint32_t packets_out;		/* segments between snd_una and snd_nxt */
	uint32_t sacked_out;
	uint32_t lost_out;
	uint32_t retrans_out;
	uint32_t high_seq;		/* recovery point (RFC 6582 "recover") */
	uint32_t dupacks;
	uint32_t reordering;		/* DupThresh, raised when reordering is seen */
	uint8_t ca_state;		/* enum tcp_ca_state */
	uint64_t lsndtime_ns;		/* last data sent */
	const struct tcp_congestion_ops *ca_ops;
	uint64_t ca_priv[8];

	/* Queues. */
	struct sk_buff *send_head;	/* first unsent skb on sk_write_queue */
	struct sk_buff_head out_of_order_queue;
	struct tcp_sack_block selective_acks[TCP_SACK_BLOCKS_KEPT];
	uint8_t num_sacks;
	struct tcp_sack_block dsack;	/* duplicate we report once */
	bool dsack_pending;
	uint32_t highest_sack;		/* highest SACKed end_seq, while sacked_out
					 * (read through tcp_highest_sack_seq) */

	/* ACK scheduling (tcp_data.c). */
	uint8_t ack_pending;		/* TCP_ACK_* */
	uint8_t quickack;		/* ACK this many segments at once */
	uint32_t rcv_segs_unacked;	/* full segments since our last ACK */
	uint16_t rcv_mss;		/* estimate of the peer's MSS */

	/* Receive window auto-tuning. */
	uint32_t rcvq_space;		/* bytes copied per RTT to keep up with */
	uint32_t rcvq_copied;
	uint32_t rcvq_seq;
	uint64_t rcvq_time_ns;

	/* Timers (tcp_timer.c): retransmit doubles as persist (pending). */
	struct net_timer retransmit_timer;
	struct net_timer delack_timer;
	struct net_timer keepalive_timer;	/* also the orphan's FIN_WAIT2 */
	uint8_t rtx_pending;		/* TCP_TIME_RETRANS / TCP_TIME_PROBE0 */

	/* User settings. */
	bool nodelay;
	bool keepalive_on;
	uint64_t keepalive_time_ns;
	uint64_t keepalive_intvl_ns;
	uint8_t keepalive_probes;
	uint64_t rcv_tstamp_ns;		/* last segment received (keepalive) */
	uint64_t linger2_ns;

	/* RFC 5961 challenge ACK limit for this sock. */
	uint64_t last_challenge_ns;

	/* Passive open: the listener's queues; for a child, its listener
	 * until accepted (not a reference) and the accept queue link. */
	struct tcp_listen_queue accept_queue;
	struct tcp_sock *accept_next;
	struct tcp_sock *parent;
};

static inline struct tcp_sock *tcp_sk(struct sock *sk)
{
	return (struct tcp_sock *)sk;
}

#define TCP_ACK_SCHED	1	/* an ACK is owed */
#define TCP_ACK_TIMER	2	/* the delayed-ACK timer is armed */
#define TCP_ACK_PUSHED	4

#define TCP_TIME_RETRANS	1
#define TCP_TIME_PROBE0		2

/* A pending connection (SYN received, SYN-ACK sent). */
struct request_sock {
	struct request_sock *next;
	struct tcp_sock *listener;	/* not a reference: the listener frees us */
	struct net_timer timer;		/* SYN-ACK retransmission */
	uint32_t rmt_addr, loc_addr;
	uint16_t rmt_port, loc_port;
	uint32_t snt_isn;
	uint32_t rcv_isn;
	uint32_t ts_recent;
	uint32_t ts_off;
	uint32_t snt_tsval;		/* nonzero: TSval to send (SYN cookies) */
	uint16_t mss;			/* peer's MSS option */
	uint8_t snd_wscale;
	uint8_t rcv_wscale;
	bool wscale_ok, sack_ok, tstamp_ok;
	uint8_t num_retrans;
};

/* A connection in TIME-WAIT (tcp_minisocks.c): what 2*MSL of re-ACKing
 * the peer's FIN, answering RSTs and old duplicates, and judging SYNs
 * that would reuse the 4-tuple needs, and nothing else.  The full sock is
 * freed when the connection enters TIME-WAIT.  Owned by the timewait
 * table of inet_hashtables.c until its timer fires (or a RST or reusing
 * SYN ends it early). */
struct tcp_timewait_sock {
	struct sk_node tw_node;		/* timewait table chain */
	uint32_t tw_rcv_saddr, tw_daddr;
	uint16_t tw_num, tw_dport;	/* local and peer port */
	uint32_t tw_snd_nxt;
	uint32_t tw_rcv_nxt;
	uint32_t tw_rcv_wnd;		/* as last advertised, scaled */
	uint8_t tw_rcv_wscale;
	bool tw_tstamp_ok;
	uint32_t tw_ts_recent;
	uint32_t tw_ts_offset;
	uint64_t tw_ts_recent_stamp_ns;
	struct net_timer tw_timer;	/* 2*MSL */
};

/* Counters: /proc/net/snmp "Tcp:" and "TcpExt:" names, plus a named
 * counter for every drop reason. */
#define TCP_MIB_LIST(X) \
	X(RtoAlgorithm) X(RtoMin) X(RtoMax) X(MaxConn) X(ActiveOpens) \
	X(PassiveOpens) X(AttemptFails) X(EstabResets) X(CurrEstab) \
	X(InSegs) X(OutSegs) X(RetransSegs) X(InErrs) X(OutRsts) X(InCsumErrors)

#define TCPEXT_MIB_LIST(X) \
	X(SyncookiesSent) X(SyncookiesRecv) X(SyncookiesFailed) \
	X(EmbryonicRsts) X(PruneCalled) X(OfoPruned) X(OutOfWindowIcmps) \
	X(TW) X(TWRecycled) X(TCPTimeWaitOverflow) X(PAWSEstab) X(DelayedACKs) X(DelayedACKLocked) \
	X(DelayedACKLost) X(ListenOverflows) X(ListenDrops) X(TCPPureAcks) \
	X(TCPRenoRecovery) X(TCPSackRecovery) X(TCPFastRetrans) \
	X(TCPSlowStartRetrans) X(TCPTimeouts) X(TCPRenoRecoveryFail) \
	X(TCPSackRecoveryFail) X(TCPUndo) X(TCPSpuriousRTOs) X(TCPSACKReorder) X(TCPLostRetransmit) \
	X(TCPDSACKOldSent) X(TCPDSACKOfoSent) \
	X(TCPDSACKRecv) X(TCPAbortOnData) X(TCPAbortOnClose) \
	X(TCPAbortOnTimeout) X(TCPAbortOnLinger) X(TCPSACKDiscard) \
	X(TCPBacklogDrop) X(TCPReqQFullDoCookies) X(TCPReqQFullDrop) \
	X(TCPRcvQDrop) X(TCPOFOQueue) X(TCPOFODrop) X(TCPOFOMerge) \
	X(TCPChallengeACK) X(TCPSYNChallenge) X(TCPFromZeroWindowAdv) \
	X(TCPToZeroWindowAdv) X(TCPWantZeroWindowAdv) X(TCPSynRetrans) \
	X(TCPOrigDataSent) X(TCPACKSkippedChallenge) X(TCPWinProbe) \
	X(TCPKeepAlive) X(TCPRcvBufGrow) X(TCPMemoryPressures) \
	/* drops by reason, beyond Linux's names */ \
	X(TCPInTruncated) X(TCPInBadDoff) X(TCPInBadOptLen) X(TCPInSynFin) \
	X(TCPInBadFlags) X(TCPInNoSocket) X(TCPInBcast) X(TCPInBadAck) \
	X(TCPInOutOfWindow) X(TCPInRstIgnored) X(TCPInRstOutOfWindow) \
	X(TCPInListenBadFlags) X(TCPInSynSentBadAck) X(TCPInClosedData) \
	X(TCPOutNoMem) X(TCPOutNoRoute)

struct tcp_mib {
	TCP_MIB_LIST(MIB_FIELD)
};

struct tcpext_mib {
	TCPEXT_MIB_LIST(MIB_FIELD)
};

extern struct tcp_mib tcp_statistics;
extern struct tcpext_mib tcpext_statistics;
#define TCP_INC_STATS(f)	(tcp_statistics.f++)
#define TCP_DEC_STATS(f)	(tcp_statistics.f--)
#define NET_INC_STATS(f)	(tcpext_statistics.f++)
#define NET_ADD_STATS(f, n)	(tcpext_statistics.f += (n))

extern const struct proto tcp_prot;

/* tcp_ipv4.c */
int tcp_v4_rcv(struct sk_buff *skb);
int tcp_v4_backlog_rcv(struct sock *sk, struct sk_buff *skb);
/* seg (skb at its data) to sk, or to sk's backlog while the socket layer
 * owns it; consumes skb. */
void tcp_v4_deliver(struct sock *sk, struct sk_buff *skb, const struct tcp_seg *seg);
uint32_t tcp_v4_init_seq(uint32_t saddr, uint32_t daddr, uint16_t sport, uint16_t dport);
uint32_t tcp_v4_init_ts_off(uint32_t saddr, uint32_t daddr);
/* RST in answer to seg (RFC 9293 3.10.7.1 "reset generation"). */
void tcp_v4_send_reset(const struct tcp_seg *seg);
/* A bare ACK outside any sock (TIME_WAIT, request socks, cookies). */
void tcp_v4_send_ack(const struct tcp_seg *seg, uint32_t seq, uint32_t ack, uint32_t win,
		     uint32_t tsval, uint32_t tsecr);
int tcp_init(void);
void tcp_exit(void);

/* tcp_options.c: 0, or -1 for an option that runs past the header. */
int tcp_parse_options(const uint8_t *opt, size_t len, bool syn, struct tcp_options_received *rx);
struct tcp_out_options {
	uint16_t mss;			/* 0: none */
	int8_t wscale;			/* < 0: none */
	bool sack_perm;
	bool tstamp;
	uint32_t tsval, tsecr;
	uint8_t num_sacks;
	const struct tcp_sack_block *sacks;
	const struct tcp_sack_block *dsack;
};
size_t tcp_options_size(const struct tcp_out_options *o);
void tcp_options_write(uint8_t *p, const struct tcp_out_options *o);

/* tcp_input.c */
int tcp_rcv_state_process(struct sock *sk, struct sk_buff *skb, const struct tcp_seg *seg);
void tcp_send_challenge_ack(struct sock *sk);
bool tcp_paws_reject(const struct tcp_sock *tp, const struct tcp_seg *seg);
/* The same test on TS.Recent and when it was stored (TIME-WAIT too). */
bool tcp_paws_check(bool tstamp_ok, uint32_t ts_recent, uint64_t ts_recent_stamp_ns,
		    const struct tcp_seg *seg);
void tcp_store_ts_recent(struct tcp_sock *tp, const struct tcp_seg *seg);
void tcp_fin(struct sock *sk);
void tcp_reset(struct sock *sk);

/* tcp_ack.c */
/* RFC 9293 step 5 for synchronized states: false when the segment must
 * be dropped (after an ACK if the RFC asks for one). */
bool tcp_ack(struct sock *sk, const struct tcp_seg *seg);
void tcp_rtt_estimator(struct tcp_sock *tp, uint32_t rtt_us);
void tcp_set_rto(struct tcp_sock *tp);
void tcp_enter_loss(struct sock *sk);
/* Restores the window if no retransmission of the last reduction is
 * left unexplained (undo_retrans 0). */
void tcp_try_undo(struct sock *sk);
void tcp_init_cwnd(struct tcp_sock *tp);
void tcp_ack_update_window(struct tcp_sock *tp, const struct tcp_seg *seg);

/* tcp_sack.c */
void tcp_sacktag(struct sock *sk, const struct tcp_seg *seg, bool *dsack);
/* Reordering of distance segments was seen: DupThresh follows it. */
void tcp_update_reordering(struct tcp_sock *tp, uint32_t distance);
/* The end of the highest SACKed segment, SND.UNA when none is. */
uint32_t tcp_highest_sack_seq(const struct tcp_sock *tp);
/* Data from low_seq arrived after data up to fack (a highest SACKed
 * sequence): reordering of that many segments (mss_cache each). */
void tcp_check_sack_reordering(struct tcp_sock *tp, uint32_t low_seq, uint32_t fack);
void tcp_sack_mark_lost(struct sock *sk);
/* Rebuilds the blocks we send from the out-of-order queue, the one
 * holding latest_seq first (RFC 2018 4). */
void tcp_sack_build(struct tcp_sock *tp, uint32_t latest_seq);
void tcp_dsack_set(struct tcp_sock *tp, uint32_t seq, uint32_t end_seq);

/* tcp_data.c */
void tcp_data_queue(struct sock *sk, struct sk_buff *skb, const struct tcp_seg *seg);
void tcp_ack_snd_check(struct sock *sk);
void tcp_enter_quickack(struct tcp_sock *tp);
uint32_t tcp_select_window(struct sock *sk);
uint32_t tcp_receive_window(const struct tcp_sock *tp);
void tcp_rcv_space_adjust(struct sock *sk);
void tcp_init_rcv_space(struct sock *sk);
void tcp_cleanup_rbuf(struct sock *sk, uint32_t copied);

/* tcp_output.c */
void tcp_write_xmit(struct sock *sk, bool push_one);
/* Retransmits skbs marked lost, as the congestion window allows. */
void tcp_xmit_retransmit_queue(struct sock *sk);
void tcp_push(struct sock *sk);
int tcp_retransmit_skb(struct sock *sk, struct sk_buff *skb);
void tcp_send_ack(struct sock *sk);
void tcp_send_delayed_ack(struct sock *sk);
int tcp_send_syn(struct sock *sk);
void tcp_send_fin(struct sock *sk);
void tcp_send_active_reset(struct sock *sk);
int tcp_send_synack(struct request_sock *req);
void tcp_send_probe0(struct sock *sk);
int tcp_write_wakeup(struct sock *sk);
void tcp_sync_mss(struct sock *sk, unsigned int pmtu);
uint32_t tcp_current_mss(struct sock *sk);
uint32_t tcp_tsval(const struct tcp_sock *tp);
uint32_t tcp_time_stamp_ms(void);
void tcp_check_probe_timer(struct sock *sk);
/* Bytes of sk_write_queue memory free for the user. */
int tcp_wspace(const struct sock *sk);
void tcp_new_space(struct sock *sk);

/* tcp_mem.c: the send path ran out of memory (counted once per episode
 * in TCPMemoryPressures): sk's send buffer shrinks to half of what its
 * write queue holds.  Outside pressure, tcp_new_space lets it grow back. */
void tcp_enter_memory_pressure(struct sock *sk);
bool tcp_under_memory_pressure(void);
void tcp_sndbuf_expand(struct sock *sk);

/* tcp_timer.c */
void tcp_init_xmit_timers(struct sock *sk);
void tcp_clear_xmit_timers(struct sock *sk);
void tcp_reset_rtx_timer(struct sock *sk, uint8_t what, uint64_t when_ns);
void tcp_clear_rtx_timer(struct sock *sk);
void tcp_reset_delack_timer(struct sock *sk, uint64_t when_ns);
void tcp_clear_delack_timer(struct sock *sk);
void tcp_reset_keepalive_timer(struct sock *sk, uint64_t when_ns);
void tcp_clear_keepalive_timer(struct sock *sk);
void tcp_set_keepalive(struct sock *sk, bool on);
uint64_t tcp_rto_ns(const struct tcp_sock *tp);

/* tcp.c */
void tcp_set_state(struct sock *sk, int state);
void tcp_done(struct sock *sk);
void tcp_init_sock_defaults(struct tcp_sock *tp);
void tcp_write_queue_purge(struct sock *sk);
void tcp_init_transfer(struct sock *sk);
/* Our window scale for a receive buffer that may grow to SK_BUF_MAX
 * (or is fixed by SO_RCVBUF). */
unsigned int tcp_choose_wscale(const struct sock *sk);

/* tcp_minisocks.c */
int tcp_conn_request(struct sock *sk, struct sk_buff *skb, const struct tcp_seg *seg);
/* An ACK or RST to a listener: the listener itself (no request matches:
 * process it as the listener), a new child in SYN-RECEIVED holding a
 * reference for the caller, or NULL (handled or dropped; the caller frees
 * skb). */
struct sock *tcp_check_req(struct sock *sk, struct sk_buff *skb, const struct tcp_seg *seg);
struct request_sock *tcp_req_find(struct tcp_sock *lp, const struct tcp_seg *seg);
struct sock *tcp_create_openreq_child(struct tcp_sock *lp, const struct request_sock *req);
void tcp_accept_enqueue(struct tcp_sock *lp, struct tcp_sock *child);
struct tcp_sock *tcp_accept_dequeue(struct tcp_sock *lp);
void tcp_listen_stop(struct sock *sk);
/* TIME-WAIT (RFC 9293 3.10.7.4): sk moves to CLOSED and is released; a
 * tcp_timewait_sock keeps the connection for timeo_ns (without memory
 * for one: CLOSED at once, TCPTimeWaitOverflow). */
void tcp_time_wait(struct sock *sk, uint64_t timeo_ns);
/* A segment for a TIME-WAIT connection; consumes skb. */
void tcp_timewait_state_process(struct tcp_timewait_sock *tw, struct sk_buff *skb,
				const struct tcp_seg *seg);
void tcp_openreq_init(struct request_sock *req, struct tcp_sock *lp, const struct tcp_seg *seg);

/* syncookies.c */
uint32_t cookie_v4_init_sequence(struct request_sock *req, const struct tcp_seg *seg);
/* For an ACK that matches no request: the child for a valid cookie (with
 * a reference for the caller), the listener itself when it is no cookie
 * (the listener answers with RST), NULL to drop (counted).  Also sets
 * req->snt_tsval when timestamps carry the options. */
struct sock *cookie_v4_check(struct sock *sk, const struct tcp_seg *seg);
void tcp_syncookies_init(void);

#endif
