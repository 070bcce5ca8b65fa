/*
 * CUBIC congestion control (RFC 9438) in integer arithmetic.
 *
 * W_cubic(t) = C * (t - K)^3 + W_max, C = 0.4, beta = 0.7,
 * K = cbrt(W_max * (1 - beta) / C), t in milliseconds since the epoch
 * (the first ACK after a reduction).  With t in ms the cube is scaled by
 * 10^9: C*(t-K)^3 segments = 4 * (t-K)^3 / 10^10.  K in ms is
 * cbrt(W_max * 0.75 * 10^9).  The Reno-friendly estimate (RFC 9438
 * 4.3) grows by 3(1-beta)/(1+beta) = 0.53 segments per window.  Fast
 * convergence (4.7) lowers W_max when the window shrank since the last
 * reduction.  Below ssthresh: Reno's slow start.
 *
 * Context: softirq (called from tcp_ack.c through tcp_congestion_ops).
 */
#include "net/ipv4/tcp.h"

#include "kernel/lib/string.h"

#define CUBIC_BETA_NUM		717u	/* beta = 0.7 in 1/1024 */
#define CUBIC_BETA_DEN		1024u
#define CUBIC_MAX_DT_MS		1000000ll	/* cap on |t - K| for the cube */

struct cubic {
	uint32_t w_max;			/* window before the last reduction */
	uint32_t w_last_max;		/* for fast convergence */
	uint32_t k_ms;
	uint32_t cnt;			/* acks per cwnd increment */
	uint64_t epoch_ns;		/* 0: no epoch yet */
	uint32_t w_est_x1024;		/* Reno-friendly window, 1/1024 segments */
};
_Static_assert(sizeof(struct cubic) <= sizeof(((struct tcp_sock *)0)->ca_priv), "fits ca_priv");

static struct cubic *cubic_of(struct tcp_sock *tp)
{
	return (struct cubic *)tp->ca_priv;
}

/* Integer cube root by bisection (x < 2^63). */
static uint32_t cubic_root(uint64_t x)
{
	uint64_t lo = 0, hi = 2097152;	/* 2^21: (2^21)^3 = 2^63 */

	while (lo < hi) {
		uint64_t mid = (lo + hi + 1) / 2;

		if (mid * mid * mid <= x)
			lo = mid;
		else
			hi = mid - 1;
	}
	return (uint32_t)lo;
}

static void cubic_reset(struct tcp_sock *tp)
{
	memset(cubic_of(tp), 0, sizeof(struct cubic));
}

static void cubic_init(struct tcp_sock *tp)
{
	cubic_reset(tp);
}

static void cubic_epoch_start(struct tcp_sock *tp, struct cubic *c)
{
	c->epoch_ns = net_now_ns();
	if (c->w_max <= tp->snd_cwnd) {
		c->k_ms = 0;
		c->w_max = tp->snd_cwnd;
	} else {
		c->k_ms = cubic_root((uint64_t)(c->w_max - tp->snd_cwnd) * 2500000000ull);
	}
	c->w_est_x1024 = tp->snd_cwnd * 1024u;
}

/* W_cubic(t) for t ms into the epoch, in segments. */
static uint32_t cubic_window(const struct cubic *c, uint64_t t_ms)
{
	int64_t d = (int64_t)t_ms - c->k_ms, delta;

	if (d > CUBIC_MAX_DT_MS)
		d = CUBIC_MAX_DT_MS;
	if (d < -CUBIC_MAX_DT_MS)
		d = -CUBIC_MAX_DT_MS;
	delta = d * d / 1000 * d / 1000 * 4 / 10000;	/* 0.4 * d^3 / 10^9 */
	if ((int64_t)c->w_max + delta < 1)
		return 1;
	return (uint32_t)((int64_t)c->w_max + delta);
}

static void cubic_cong_avoid(struct tcp_sock *tp, uint32_t acked)
{
	struct cubic *c = cubic_of(tp);
	uint64_t t_ms, rtt_ms = tp->srtt_us / 1000;
	uint32_t target;

	if (tp->snd_cwnd < tp->snd_ssthresh) {
		tcp_slow_start(tp, &acked);
		if (!acked)
			return;
	}
	if (!c->epoch_ns)
		cubic_epoch_start(tp, c);
	/* RFC 9438 4.2: target is W_cubic(t + RTT) */
	t_ms = (net_now_ns() - c->epoch_ns) / TCP_NS_PER_MS + rtt_ms;
	target = cubic_window(c, t_ms);
	if (target > tp->snd_cwnd)
		c->cnt = tp->snd_cwnd / (target - tp->snd_cwnd);
	else
		c->cnt = 100 * tp->snd_cwnd;
	/* 4.3 Reno-friendly region: W_est += 0.53 per cwnd acked */
	c->w_est_x1024 += (uint32_t)((uint64_t)acked * 542 / tp->snd_cwnd);
	if (c->w_est_x1024 / 1024 > tp->snd_cwnd) {
		uint32_t cnt = tp->snd_cwnd / (c->w_est_x1024 / 1024 - tp->snd_cwnd);

		if (cnt < c->cnt)
			c->cnt = cnt;
	}
	if (c->cnt < 2)
		c->cnt = 2;
	tcp_cong_avoid_ai(tp, c->cnt, acked);
}

static uint32_t cubic_ssthresh(struct tcp_sock *tp)
{
	struct cubic *c = cubic_of(tp);
	uint32_t w;

	c->epoch_ns = 0;
	/* 4.7 fast convergence */
	if (tp->snd_cwnd < c->w_last_max)
		c->w_max = tp->snd_cwnd * (CUBIC_BETA_DEN + CUBIC_BETA_NUM) / (2 * CUBIC_BETA_DEN);
	else
		c->w_max = tp->snd_cwnd;
	c->w_last_max = tp->snd_cwnd;
	w = tp->snd_cwnd * CUBIC_BETA_NUM / CUBIC_BETA_DEN;
	return w > 2 ? w : 2;
}

static void cubic_set_state(struct tcp_sock *tp, uint8_t state)
{
	if (state == TCP_CA_Loss)
		cubic_of(tp)->epoch_ns = 0;
}

static void cubic_cwnd_event(struct tcp_sock *tp, enum tcp_ca_event ev)
{
	if (ev == CA_EVENT_TX_START)
		cubic_of(tp)->epoch_ns = 0;
}

const struct tcp_congestion_ops tcp_cubic = {
	.name = "cubic",
	.init = cubic_init,
	.ssthresh = cubic_ssthresh,
	.cong_avoid = cubic_cong_avoid,
	.set_state = cubic_set_state,
	.cwnd_event = cubic_cwnd_event,
};
