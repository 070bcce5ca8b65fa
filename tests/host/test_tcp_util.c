/*
 * Packetdrill-style TCP test helpers (test_tcp_util.h).
 */
#include "tests/host/test_tcp_util.h"

#include <stdio.h>
#include <string.h>

#include "kernel/errno.h"
#include "net/core/byteorder.h"
#include "net/core/checksum.h"
#include "net/core/sock.h"
#include "tests/host/check.h"
#include "tests/host/net_platform_host.h"

static uint8_t tcpt_frame[4096];

void tcpt_setup(struct ipt_env *env)
{
	ipt_setup(env, TCPT_OURS, 24, 0);
	ipt_learn_peer(env, TCPT_PEER);
}

void tcpt_teardown(struct ipt_env *env)
{
	/* Let TIME_WAIT and every other timer run out. */
	host_clock_advance(1000 * SEC);
	ipt_drain(env);
	CHECK_EQ(sk_accounting()->socks_alive, 0);
	ipt_teardown(env);
}

static size_t tcpt_build_opts(const struct tcpt_seg *s, uint8_t *p)
{
	struct tcp_out_options o = { .mss = s->mss, .wscale = (int8_t)s->wscale,
				     .sack_perm = s->sack_perm, .tstamp = s->ts,
				     .tsval = s->tsval, .tsecr = s->tsecr,
				     .num_sacks = s->nsacks, .sacks = s->sacks };

	if (s->raw_opts) {
		memcpy(p, s->raw_opts, s->raw_opts_len);
		return s->raw_opts_len;
	}
	tcp_options_write(p, &o);
	return tcp_options_size(&o);
}

void tcpt_inject(struct ipt_env *env, const struct tcpt_seg *s)
{
	static uint8_t seg[2200];
	struct ip4_hdr_info h = { .saddr = TCPT_PEER, .daddr = TCPT_OURS,
				  .protocol = IPPROTO_TCP, .id = 1 };
	struct tcphdr *th = (struct tcphdr *)seg;
	size_t olen = tcpt_build_opts(s, seg + TCP_HDR_LEN);
	size_t hlen = TCP_HDR_LEN + olen, len;
	int doff = s->doff ? s->doff : (int)hlen;

	memset(th, 0, TCP_HDR_LEN);
	th->source = htons(s->sport);
	th->dest = htons(s->dport);
	th->seq = htonl(s->seq);
	th->ack_seq = htonl(s->ack);
	th->doff_res = (uint8_t)((doff / 4) << 4);
	th->flags = s->flags;
	th->window = htons(s->win);
	if (s->len)
		memcpy(seg + hlen, s->data, s->len);
	len = hlen + s->len;
	th->check = csum_tcpudp_magic(htonl(TCPT_PEER), htonl(TCPT_OURS), (uint16_t)len,
				      IPPROTO_TCP, csum_partial(seg, len, 0));
	if (s->bad_csum)
		th->check ^= 0x5555;
	len = ipt_build_ip(tcpt_frame, h, seg, len);
	ipt_inject_ip(env, tcpt_frame, len);
}

/* The peer answers our ARP requests (the neighbour entry goes stale
 * during long waits on the fake clock). */
static void tcpt_answer_arp(struct ipt_env *env, const struct sk_buff *skb)
{
	struct arp_info a, r = { .op = ARPOP_REPLY, .sip = TCPT_PEER, .tip = TCPT_OURS };

	if (!ipt_frame_arp(skb, &a) || a.op != ARPOP_REQUEST || a.tip != TCPT_PEER)
		return;
	memcpy(r.sha, ipt_peer_mac, 6);
	memcpy(r.tha, ipt_our_mac, 6);
	ipt_inject_arp(env, &r, ipt_our_mac);
}

bool tcpt_pop(struct ipt_env *env, struct tcpt_seg *out)
{
	struct sk_buff *skb;

	while ((skb = ipt_pop(env)) != NULL) {
		struct ip4_hdr_info h;
		const uint8_t *p;
		struct tcp_options_received rx;
		unsigned int doff, len;

		if (!ipt_frame_ip(skb, &h, &p) || h.protocol != IPPROTO_TCP) {
			tcpt_answer_arp(env, skb);
			kfree_skb(skb);
			continue;
		}
		len = h.tot_len - h.hdr_len;
		CHECK_EQ(csum_tcpudp_magic(htonl(h.saddr), htonl(h.daddr), (uint16_t)len,
					   IPPROTO_TCP, csum_partial(p, len, 0)), 0);
		memset(out, 0, offsetof(struct tcpt_seg, buf));
		out->sport = get_be16(p);
		out->dport = get_be16(p + 2);
		out->seq = get_be32(p + 4);
		out->ack = get_be32(p + 8);
		doff = (p[12] >> 4) * 4u;
		out->doff = (int)doff;
		out->flags = p[13];
		out->win = get_be16(p + 14);
		CHECK_EQ(tcp_parse_options(p + 20, doff - 20, out->flags & TCPHDR_SYN, &rx), 0);
		out->mss = rx.saw_mss ? rx.mss : 0;
		out->wscale = rx.saw_wscale ? rx.snd_wscale : -1;
		out->sack_perm = rx.sack_ok;
		out->ts = rx.saw_tstamp;
		out->tsval = rx.rcv_tsval;
		out->tsecr = rx.rcv_tsecr;
		out->nsacks = rx.num_sacks;
		memcpy(out->sacks, rx.sacks, sizeof(out->sacks));
		out->len = len - doff;
		if (out->len > sizeof(out->buf))
			out->len = sizeof(out->buf);
		memcpy(out->buf, p + doff, out->len);
		out->data = out->buf;
		kfree_skb(skb);
		return true;
	}
	return false;
}

static void tcpt_print(const char *what, const struct tcpt_seg *s)
{
	fprintf(stderr, "  %s: flags %02x seq %u ack %u win %u len %u\n", what, s->flags, s->seq,
		s->ack, s->win, s->len);
}

bool tcpt_expect_at(const char *file, int line, struct ipt_env *env, uint8_t flags,
		    uint32_t seq, uint32_t ack, struct tcpt_seg *out)
{
	static struct tcpt_seg scratch;
	struct tcpt_seg *s = out ? out : &scratch;

	if (!tcpt_pop(env, s)) {
		fprintf(stderr, "%s:%d: expected a segment (flags %02x seq %u), got none\n", file,
			line, flags, seq);
		return false;
	}
	if (s->flags != flags || s->seq != seq || ((flags & TCPHDR_ACK) && s->ack != ack)) {
		fprintf(stderr, "%s:%d: expected flags %02x seq %u ack %u\n", file, line, flags,
			seq, ack);
		tcpt_print("got", s);
		return false;
	}
	return true;
}

bool tcpt_expect_none_at(const char *file, int line, struct ipt_env *env)
{
	struct tcpt_seg s;

	if (!tcpt_pop(env, &s))
		return true;
	fprintf(stderr, "%s:%d: expected no segment\n", file, line);
	tcpt_print("got", &s);
	return false;
}

struct sock *tcpt_socket(uint16_t port)
{
	struct sock *sk = sk_alloc(&tcp_prot, AF_INET, SOCK_STREAM, IPPROTO_TCP);

	CHECK(sk != NULL);
	if (port)
		CHECK_EQ(tcp_prot.bind(sk, 0, port), 0);
	return sk;
}

struct sock *tcpt_listen(uint16_t port, int backlog)
{
	struct sock *sk = tcpt_socket(port);

	CHECK_EQ(tcp_prot.listen(sk, backlog), 0);
	return sk;
}

struct tcpt_seg tcpt_peer_seg(const struct tcpt_conn *c, uint8_t flags)
{
	struct tcpt_seg s = { .sport = c->peer_port, .dport = c->our_port, .seq = c->peer_seq,
			      .ack = c->our_seq, .flags = flags, .win = c->peer_win,
			      .wscale = -1, .ts = c->ts, .tsval = c->peer_tsval,
			      .tsecr = c->our_tsval };
	return s;
}

static void tcpt_note(struct tcpt_conn *c, const struct tcpt_seg *got)
{
	if (got->ts)
		c->our_tsval = got->tsval;
}

bool tcpt_passive_open(struct ipt_env *env, struct sock *listener, uint16_t peer_port,
		       struct tcpt_conn *c)
{
	return tcpt_passive_open_opts(env, listener, peer_port, c, true, true);
}

bool tcpt_passive_open_opts(struct ipt_env *env, struct sock *listener, uint16_t peer_port,
			    struct tcpt_conn *c, bool sack, bool ts)
{
	struct tcpt_seg syn = { .sport = peer_port, .dport = listener->sk_num, .seq = 1000,
				.flags = TCPHDR_SYN, .win = 65535, .mss = 1460, .wscale = 7,
				.sack_perm = sack, .ts = ts, .tsval = 100 }, got;
	int err;

	memset(c, 0, sizeof(*c));
	c->listener = listener;
	c->our_port = listener->sk_num;
	c->peer_port = peer_port;
	c->ts = ts;
	c->peer_tsval = 101;
	c->peer_win = 65535 >> 7;
	tcpt_inject(env, &syn);
	if (!tcpt_pop(env, &got) || got.flags != (TCPHDR_SYN | TCPHDR_ACK) || got.ack != 1001)
		return false;
	tcpt_note(c, &got);
	c->peer_seq = 1001;
	c->our_seq = got.seq + 1;
	c->our_wscale = (uint8_t)got.wscale;
	{
		struct tcpt_seg ack = tcpt_peer_seg(c, TCPHDR_ACK);

		tcpt_inject(env, &ack);
	}
	net_bh_disable();
	c->sk = tcp_prot.accept(listener, &err);
	net_bh_enable();
	return c->sk != NULL && c->sk->sk_state == TCP_ESTABLISHED;
}

bool tcpt_active_open(struct ipt_env *env, uint16_t peer_port, struct tcpt_conn *c)
{
	struct tcpt_seg got;

	memset(c, 0, sizeof(*c));
	c->sk = tcpt_socket(0);
	c->peer_port = peer_port;
	c->ts = true;
	c->peer_tsval = 500;
	c->peer_win = 65535 >> 7;
	if (tcp_prot.connect(c->sk, TCPT_PEER, peer_port) != -EINPROGRESS)
		return false;
	host_run_softirqs(0);
	if (!tcpt_pop(env, &got) || got.flags != TCPHDR_SYN)
		return false;
	tcpt_note(c, &got);
	c->our_port = got.sport;
	c->our_seq = got.seq + 1;
	c->our_wscale = (uint8_t)got.wscale;
	c->peer_seq = 7000;
	{
		struct tcpt_seg sa = tcpt_peer_seg(c, TCPHDR_SYN | TCPHDR_ACK);

		sa.mss = 1460;
		sa.wscale = 7;
		sa.sack_perm = true;
		sa.win = 65535;
		tcpt_inject(env, &sa);
	}
	c->peer_seq++;
	if (!tcpt_pop(env, &got) || got.flags != TCPHDR_ACK || got.ack != c->peer_seq)
		return false;
	tcpt_note(c, &got);
	return c->sk->sk_state == TCP_ESTABLISHED;
}

void tcpt_peer_send(struct ipt_env *env, struct tcpt_conn *c, const void *data, uint32_t len)
{
	struct tcpt_seg s = tcpt_peer_seg(c, TCPHDR_ACK | TCPHDR_PSH);

	s.data = data;
	s.len = len;
	c->peer_tsval++;
	tcpt_inject(env, &s);
	c->peer_seq += len;
}

void tcpt_peer_ack(struct ipt_env *env, struct tcpt_conn *c)
{
	struct tcpt_seg s = tcpt_peer_seg(c, TCPHDR_ACK);

	c->peer_tsval++;
	tcpt_inject(env, &s);
}

long tcpt_send(struct sock *sk, const void *buf, size_t len)
{
	long n;

	net_bh_disable();
	n = tcp_prot.sendmsg(sk, buf, len, 0, NULL);
	net_bh_enable();
	host_run_softirqs(0);
	return n;
}

long tcpt_recv(struct sock *sk, void *buf, size_t len)
{
	long n;

	net_bh_disable();
	n = tcp_prot.recvmsg(sk, buf, len, 0, NULL);
	net_bh_enable();
	host_run_softirqs(0);
	return n;
}

void tcpt_close(struct sock *sk)
{
	net_bh_disable();
	tcp_prot.close(sk, 0);
	net_bh_enable();
	host_run_softirqs(0);
}

bool tcpt_open_with(struct ipt_env *env, struct tcpt_conn *c, uint16_t peer_port,
		    unsigned int features)
{
	tcpt_setup(env);
	if (!tcpt_passive_open(env, tcpt_listen(80, 4), peer_port, c))
		return false;
	env->eth->dev->features = features;
	return true;
}

void tcpt_close_all(struct ipt_env *env, struct tcpt_conn *c)
{
	tcpt_close(c->sk);
	tcpt_close(c->listener);
	ipt_drain(env);
	tcpt_teardown(env);
}
