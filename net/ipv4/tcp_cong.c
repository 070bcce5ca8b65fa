/*
 * Congestion control: the table of algorithms (tcp_congestion_ops, as in
 * Linux) and Reno (RFC 5681), whose slow start and additive increase the
 * other algorithms reuse.  CUBIC (tcp_cubic.c) is the default.
 *
 * cwnd counts segments.  cong_avoid runs on ACKs that advance SND.UNA
 * outside fast recovery, while the window limits the sender (tcp_ack.c).
 *
 * Context: softirq, or a thread inside lock_sock (setsockopt).
 */
#include "net/ipv4/tcp.h"

#include "kernel/lib/string.h"

#define TCP_CWND_MAX	65535u

/* RFC 5681 3.1: cwnd += min(N, SMSS) per ACK in slow start, in segments:
 * one per segment acked, up to ssthresh; returns what is left over. */
void tcp_slow_start(struct tcp_sock *tp, uint32_t *acked)
{
	uint32_t cwnd = tp->snd_cwnd + *acked;

	if (cwnd > tp->snd_ssthresh)
		cwnd = tp->snd_ssthresh > tp->snd_cwnd ? tp->snd_ssthresh : tp->snd_cwnd;
	*acked -= cwnd - tp->snd_cwnd;
	tp->snd_cwnd = cwnd > TCP_CWND_MAX ? TCP_CWND_MAX : cwnd;
}

/* Additive increase: one segment per w segments acked. */
void tcp_cong_avoid_ai(struct tcp_sock *tp, uint32_t w, uint32_t acked)
{
	if (!w)
		w = 1;
	tp->snd_cwnd_cnt += acked;
	if (tp->snd_cwnd_cnt >= w) {
		tp->snd_cwnd += tp->snd_cwnd_cnt / w;
		tp->snd_cwnd_cnt %= w;
	}
	if (tp->snd_cwnd > TCP_CWND_MAX)
		tp->snd_cwnd = TCP_CWND_MAX;
}

static void tcp_reno_cong_avoid(struct tcp_sock *tp, uint32_t acked)
{
	if (tp->snd_cwnd < tp->snd_ssthresh) {
		tcp_slow_start(tp, &acked);
		if (!acked)
			return;
	}
	tcp_cong_avoid_ai(tp, tp->snd_cwnd, acked);
}

/* RFC 5681 (4): ssthresh = max(FlightSize / 2, 2*SMSS). */
uint32_t tcp_reno_ssthresh(struct tcp_sock *tp)
{
	uint32_t half = tp->snd_cwnd / 2;

	return half > 2 ? half : 2;
}

const struct tcp_congestion_ops tcp_reno = {
	.name = "reno",
	.ssthresh = tcp_reno_ssthresh,
	.cong_avoid = tcp_reno_cong_avoid,
};

static const struct tcp_congestion_ops *const tcp_ca_list[] = { &tcp_cubic, &tcp_reno };

const struct tcp_congestion_ops *tcp_ca_find(const char *name)
{
	for (size_t i = 0; i < sizeof(tcp_ca_list) / sizeof(tcp_ca_list[0]); i++)
		if (!strcmp(tcp_ca_list[i]->name, name))
			return tcp_ca_list[i];
	return NULL;
}

void tcp_set_congestion_control(struct tcp_sock *tp, const struct tcp_congestion_ops *ca)
{
	tp->ca_ops = ca;
	memset(tp->ca_priv, 0, sizeof(tp->ca_priv));
	if (tp->sk.sk_state == TCP_ESTABLISHED && ca->init)
		ca->init(tp);
}
