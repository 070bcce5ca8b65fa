/*
 * SYN cookies: when a listener's SYN queue is full, the SYN-ACK's
 * sequence number carries the connection instead of a request sock
 * (RFC 4987 3.6), and the handshake's last ACK rebuilds it.
 *
 * ISN layout (our own): bits 31..27 a 64-second counter (mod 32), bits
 * 26..24 an index into cookie_mss[], bits 23..0 SipHash-2-4 of the
 * 4-tuple, the client's ISN and the counter, under a secret drawn at
 * init.  A cookie is good for two counter periods.
 *
 * With timestamps, our TSval in the SYN-ACK carries the options the MSS
 * index cannot: low 4 bits the peer's window scale (15 = none), bit 4
 * SACK-permitted; the ACK's TSecr echoes them back.  Without timestamps
 * the connection runs without window scaling and SACK.
 *
 * Context: softirq.
 */
#include "net/ipv4/tcp.h"

#include "kernel/lib/siphash.h"

#define COOKIE_PERIOD_SHIFT	36	/* 2^36 ns, about 68.7 s */
#define COOKIE_WSCALE_NONE	0xfu
#define COOKIE_SACK_BIT		0x10u
#define COOKIE_OPT_MASK		0x1fu

static const uint16_t cookie_mss[8] = { 536, 1200, 1300, 1360, 1400, 1440, 1460, 8960 };
static uint8_t cookie_secret[SIPHASH_KEY_SIZE];

void tcp_syncookies_init(void)
{
	net_random_bytes(cookie_secret, sizeof(cookie_secret));
}

static uint32_t cookie_count(void)
{
	return (uint32_t)(net_now_ns() >> COOKIE_PERIOD_SHIFT) & 31u;
}

static uint32_t cookie_hash(const struct tcp_seg *seg, uint32_t client_isn, uint32_t count)
{
	uint32_t in[5] = { seg->saddr, seg->daddr, (uint32_t)seg->sport << 16 | seg->dport,
			   client_isn, count };

	return (uint32_t)siphash(in, sizeof(in), cookie_secret) & 0xffffffu;
}

uint32_t cookie_v4_init_sequence(struct request_sock *req, const struct tcp_seg *seg)
{
	uint32_t count = cookie_count(), mssind = 0;

	for (uint32_t i = 0; i < 8; i++)
		if (cookie_mss[i] <= req->mss)
			mssind = i;
	if (req->tstamp_ok) {
		uint32_t opts = req->wscale_ok ? req->snd_wscale : COOKIE_WSCALE_NONE;

		if (req->sack_ok)
			opts |= COOKIE_SACK_BIT;
		req->snt_tsval = ((tcp_time_stamp_ms() + req->ts_off) & ~COOKIE_OPT_MASK) | opts;
	}
	return count << 27 | mssind << 24 | cookie_hash(seg, seg->seq, count);
}

/* The options the timestamp echo carries back. */
static void cookie_decode_options(struct request_sock *req, const struct tcp_seg *seg)
{
	uint32_t opts = seg->opt.rcv_tsecr & COOKIE_OPT_MASK;

	req->tstamp_ok = seg->opt.saw_tstamp;
	if (!req->tstamp_ok)
		return;
	req->ts_recent = seg->opt.rcv_tsval;
	req->sack_ok = opts & COOKIE_SACK_BIT;
	if ((opts & COOKIE_WSCALE_NONE) != COOKIE_WSCALE_NONE) {
		req->wscale_ok = true;
		req->snd_wscale = (uint8_t)(opts & COOKIE_WSCALE_NONE);
	}
}

struct sock *cookie_v4_check(struct sock *sk, const struct tcp_seg *seg)
{
	struct tcp_sock *lp = tcp_sk(sk);
	uint32_t cookie = seg->ack - 1, client_isn = seg->seq - 1;
	uint32_t count = cookie >> 27, age = (cookie_count() - count) & 31u;
	struct request_sock req = { 0 };
	struct sock *child;

	if (age > 1 || (cookie & 0xffffffu) != cookie_hash(seg, client_isn, count)) {
		NET_INC_STATS(SyncookiesFailed);
		return sk;
	}
	NET_INC_STATS(SyncookiesRecv);
	if (sk->sk_ack_backlog >= sk->sk_max_ack_backlog) {
		NET_INC_STATS(ListenOverflows);
		NET_INC_STATS(ListenDrops);
		return NULL;
	}
	req.listener = lp;
	req.rmt_addr = seg->saddr;
	req.loc_addr = seg->daddr;
	req.rmt_port = seg->sport;
	req.loc_port = seg->dport;
	req.rcv_isn = client_isn;
	req.snt_isn = cookie;
	req.mss = cookie_mss[(cookie >> 24) & 7u];
	req.ts_off = tcp_v4_init_ts_off(seg->daddr, seg->saddr);
	cookie_decode_options(&req, seg);
	req.rcv_wscale = req.wscale_ok ? (uint8_t)tcp_choose_wscale(sk) : 0;
	child = tcp_create_openreq_child(lp, &req);
	if (!child)
		NET_INC_STATS(ListenDrops);
	return child;
}
