/*
 * Bulk transfers through a lossy path, both directions, against a
 * scripted peer: every segment between the stack and the peer is dropped
 * (5%), duplicated (1%) or held back behind the next one (25%) by a
 * seeded generator, ACKs included.  The peer's receiver keeps a byte map
 * and answers with cumulative ACKs, SACK blocks and D-SACKs for
 * duplicates (so spurious retransmissions are undone); its sender fills the
 * window we offer and retransmits on three duplicate ACKs or a 200 ms
 * stall.  The bytes that arrive must equal the bytes sent, and memory
 * returns to its baseline.
 */
#include "net/ipv4/tcp.h"

#include <stdlib.h>
#include <string.h>

#include "tests/host/check.h"
#include "tests/host/net_platform_host.h"
#include "tests/host/test_tcp_util.h"

#define TOTAL		(1024u * 1024u)
#define MAX_ROUNDS	400000u

static uint64_t rng_state;

static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 11);
}

static bool chance(unsigned int percent)
{
	return rng() % 100 < percent;
}

/* The impaired link toward the stack, as tools/impair does it: drops,
 * duplicates, and holds a segment until REORDER_GAP later ones passed.
 * Segments spend LINK_DELAY on it, so the stack sees a real RTT. */
#define REORDER_GAP	3
#define LINK_DELAY	MSEC
#define WIRE_MAX	8192

static struct tcpt_seg *wire[WIRE_MAX];
static unsigned int wire_len;
static struct tcpt_seg *held;
static unsigned int passed;

static struct tcpt_seg *seg_copy(const struct tcpt_seg *s)
{
	struct tcpt_seg *c = malloc(sizeof(*c));

	*c = *s;
	if (s->len)
		memcpy(c->buf, s->data, s->len);
	c->data = c->buf;
	return c;
}

static void link_deliver(struct ipt_env *env, struct tcpt_seg *s)
{
	(void)env;
	if (chance(5) || wire_len + 2 > WIRE_MAX)
		return;
	wire[wire_len++] = seg_copy(s);
	if (chance(1))
		wire[wire_len++] = seg_copy(s);
}

static void link_inject(struct ipt_env *env, struct tcpt_seg *s)
{
	tcpt_inject(env, s);
	free(s);
}

/* One LINK_DELAY passes; what was on the wire arrives, reordered. */
static void link_run(struct ipt_env *env)
{
	struct tcpt_seg *batch[WIRE_MAX];
	unsigned int n = wire_len;

	memcpy(batch, wire, n * sizeof(batch[0]));
	wire_len = 0;
	host_clock_advance(LINK_DELAY);
	for (unsigned int i = 0; i < n; i++) {
		if (!held && chance(25)) {
			held = batch[i];
			passed = 0;
			continue;
		}
		link_inject(env, batch[i]);
		if (held && ++passed >= REORDER_GAP) {
			link_inject(env, held);
			held = NULL;
		}
	}
}

static void link_flush(struct ipt_env *env)
{
	link_run(env);
	if (held) {
		link_inject(env, held);
		held = NULL;
	}
}

/* The peer as receiver. */
struct peer_rx {
	uint8_t *data;
	uint8_t *have;
	uint32_t base;			/* sequence number of byte 0 */
	uint32_t nxt;			/* bytes in order */
	uint32_t high;			/* highest byte seen + 1 */
};

static void peer_rx_sacks(const struct peer_rx *r, uint32_t latest, struct tcpt_seg *ack)
{
	uint32_t i = r->nxt;

	ack->nsacks = 0;
	while (i < r->high && ack->nsacks < 3) {
		uint32_t start;

		while (i < r->high && !r->have[i])
			i++;
		if (i >= r->high)
			break;
		start = i;
		while (i < r->high && r->have[i])
			i++;
		ack->sacks[ack->nsacks++] = (struct tcp_sack_block){ r->base + start, r->base + i };
	}
	/* RFC 2018: the block with the latest segment first */
	for (uint8_t k = 1; k < ack->nsacks; k++) {
		if (!before(latest, ack->sacks[k].start_seq) && before(latest, ack->sacks[k].end_seq)) {
			struct tcp_sack_block t = ack->sacks[0];

			ack->sacks[0] = ack->sacks[k];
			ack->sacks[k] = t;
		}
	}
}

static void peer_rx_segment(struct ipt_env *env, struct tcpt_conn *c, struct peer_rx *r,
			    const struct tcpt_seg *s)
{
	uint32_t off = s->seq - r->base;
	struct tcpt_seg ack;
	bool dup = s->len && off + s->len <= r->high && (off + s->len <= r->nxt || r->have[off]);

	if (s->len && off < TOTAL && off + s->len <= TOTAL) {
		memcpy(r->data + off, s->data, s->len);
		memset(r->have + off, 1, s->len);
		if (off + s->len > r->high)
			r->high = off + s->len;
		while (r->nxt < r->high && r->have[r->nxt])
			r->nxt++;
	}
	c->our_tsval = s->tsval;
	c->our_seq = r->base + r->nxt;
	c->peer_tsval = (uint32_t)(net_now_ns() / MSEC);
	ack = tcpt_peer_seg(c, TCPHDR_ACK);
	peer_rx_sacks(r, s->seq, &ack);
	if (dup) {			/* RFC 2883: the duplicate first */
		memmove(&ack.sacks[1], &ack.sacks[0], 3 * sizeof(ack.sacks[0]));
		ack.sacks[0] = (struct tcp_sack_block){ s->seq, s->seq + s->len };
		ack.nsacks = ack.nsacks < 3 ? ack.nsacks + 1 : 3;
	}
	link_deliver(env, &ack);
}

static void test_bulk_to_peer(void)
{
	struct ipt_env env;
	struct tcpt_conn c;
	struct peer_rx r = { 0 };
	uint8_t *src = malloc(TOTAL);
	uint32_t written = 0, rounds = 0;

	rng_state = 0x9e3779b97f4a7c15ull;
	for (uint32_t i = 0; i < TOTAL; i++)
		src[i] = (uint8_t)(rng() >> 3);
	r.data = calloc(TOTAL, 1);
	r.have = calloc(TOTAL, 1);
	tcpt_setup(&env);
	CHECK(tcpt_passive_open(&env, tcpt_listen(7, 4), 40100, &c));
	c.peer_win = 0xffff;		/* << 7: 8 MiB */
	r.base = c.our_seq;
	while (r.nxt < TOTAL && rounds++ < MAX_ROUNDS) {
		struct tcpt_seg s;
		bool any = false;

		if (written < TOTAL) {
			long n = tcpt_send(c.sk, src + written, TOTAL - written);

			if (n > 0)
				written += (uint32_t)n;
		}
		while (tcpt_pop(&env, &s)) {
			any = true;
			if (!chance(5))		/* loss on the way to the peer */
				peer_rx_segment(&env, &c, &r, &s);
		}
		if (wire_len)
			link_run(&env);
		else if (!any) {
			link_flush(&env);
			host_clock_advance(10 * MSEC);
		}
	}
	CHECK_EQ(r.nxt, TOTAL);
	CHECK(memcmp(r.data, src, TOTAL) == 0);
	CHECK(tcp_statistics.RetransSegs > 0);
	CHECK(tcpext_statistics.TCPSackRecovery > 0);
	tcpt_close(c.sk);
	tcpt_close(c.listener);
	tcpt_teardown(&env);
	free(src);
	free(r.data);
	free(r.have);
}

/* The peer as sender: fills our window, go-back-N on a stall, fast
 * retransmit on three duplicate ACKs. */
struct peer_tx {
	uint32_t base, una, nxt, wnd, last_ack;
	unsigned int dups;
	uint64_t progress_ns;
};

static void peer_tx_send(struct ipt_env *env, struct tcpt_conn *c, struct peer_tx *t,
			 const uint8_t *src, uint32_t off)
{
	struct tcpt_seg s;
	uint32_t len = TOTAL - off < 1448 ? TOTAL - off : 1448;

	c->peer_seq = t->base + off;
	c->peer_tsval = (uint32_t)(net_now_ns() / MSEC);
	s = tcpt_peer_seg(c, TCPHDR_ACK | TCPHDR_PSH);
	s.data = src + off;
	s.len = len;
	link_deliver(env, &s);
}

static void peer_tx_ack(struct ipt_env *env, struct tcpt_conn *c, struct peer_tx *t,
			const struct tcpt_seg *s, const uint8_t *src)
{
	uint32_t acked = s->ack - t->base;

	c->our_tsval = s->tsval;
	t->wnd = (uint32_t)s->win << c->our_wscale;
	if (after(s->ack, t->base + t->una)) {
		t->una = acked;
		t->dups = 0;
		t->progress_ns = net_now_ns();
		if (before(t->base + t->nxt, s->ack))
			t->nxt = acked;
	} else if (s->ack == t->base + t->una && t->nxt > t->una && ++t->dups == 3) {
		peer_tx_send(env, c, t, src, t->una);
	}
}

static void test_bulk_from_peer(void)
{
	struct ipt_env env;
	struct tcpt_conn c;
	struct peer_tx t = { 0 };
	uint8_t *src = malloc(TOTAL), *dst = calloc(TOTAL, 1);
	uint32_t got = 0, rounds = 0;

	rng_state = 0x2545f4914f6cdd1dull;
	for (uint32_t i = 0; i < TOTAL; i++)
		src[i] = (uint8_t)(rng() >> 5);
	tcpt_setup(&env);
	CHECK(tcpt_passive_open(&env, tcpt_listen(7, 4), 40101, &c));
	t.base = c.peer_seq;
	t.wnd = 65535;
	t.progress_ns = net_now_ns();
	while (got < TOTAL && rounds++ < MAX_ROUNDS) {
		struct tcpt_seg s;
		long n;

		while (t.nxt < TOTAL && t.nxt - t.una < t.wnd && t.nxt - t.una < 256 * 1024) {
			peer_tx_send(&env, &c, &t, src, t.nxt);
			t.nxt += TOTAL - t.nxt < 1448 ? TOTAL - t.nxt : 1448;
		}
		while (tcpt_pop(&env, &s))
			if (!chance(5))
				peer_tx_ack(&env, &c, &t, &s, src);
		n = tcpt_recv(c.sk, dst + got, TOTAL - got);
		if (n > 0)
			got += (uint32_t)n;
		if (wire_len) {
			link_run(&env);
		} else if (n <= 0) {
			link_flush(&env);
			host_clock_advance(10 * MSEC);
			if (net_now_ns() - t.progress_ns > 200 * MSEC) {
				t.nxt = t.una;		/* go back N */
				t.progress_ns = net_now_ns();
			}
		}
	}
	CHECK_EQ(got, TOTAL);
	CHECK(memcmp(dst, src, TOTAL) == 0);
	CHECK(tcpext_statistics.TCPOFOQueue > 0);
	CHECK_EQ(tcp_sk(c.sk)->out_of_order_queue.qlen, 0);
	tcpt_close(c.sk);
	tcpt_close(c.listener);
	tcpt_teardown(&env);
	free(src);
	free(dst);
}

int main(void)
{
	host_log_level(3);
	test_bulk_to_peer();
	test_bulk_from_peer();
	return check_report();
}
