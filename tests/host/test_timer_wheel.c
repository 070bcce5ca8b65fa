/*
 * Timer wheel against a fake clock: exact level-0 ordering, never early,
 * lateness within tw_slack() on every level, cancel, re-arm from inside a
 * callback, far-future parking, wrap of the tick counter, next-expiry, and
 * thousands of random operations checked against a reference model.
 */
#include <stdint.h>
#include <stdlib.h>

#include "kernel/lib/timer_wheel.h"
#include "tests/host/check.h"

#define MAX_T 4096

struct ttimer {
	struct tw_timer tw;
	int id;
	uint64_t armed_at;	/* wheel clock when armed */
	uint64_t expires;
	int fired;
	uint64_t fired_at;
};

static struct timer_wheel wheel;
static struct ttimer timers[MAX_T];
static int fire_log[MAX_T * 4];
static int nfired;
static int bad_fires;	/* fired early, too late, or while not armed */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* The tick being processed when a callback runs. */
static uint64_t cur_tick(void)
{
	return wheel.clk - 1;
}

static void check_fire(struct ttimer *t)
{
	uint64_t now = cur_tick();
	uint64_t late = now - t->expires;
	uint64_t delta = t->expires - t->armed_at;

	if ((int64_t)(now - t->expires) < 0 || late > tw_slack(delta)) {
		bad_fires++;
		fprintf(stderr, "timer %d: expires %llu (delta %llu) fired at %llu\n", t->id,
			(unsigned long long)t->expires, (unsigned long long)delta,
			(unsigned long long)now);
	}
	t->fired++;
	t->fired_at = now;
	if (nfired < (int)(sizeof(fire_log) / sizeof(fire_log[0])))
		fire_log[nfired] = t->id;
	nfired++;
}

static void on_fire(struct tw_timer *tw)
{
	check_fire((struct ttimer *)tw);
}

static void reset(uint64_t start)
{
	tw_init(&wheel, start);
	for (int i = 0; i < MAX_T; i++) {
		timers[i] = (struct ttimer){ .id = i };
		tw_timer_init(&timers[i].tw, on_fire);
	}
	nfired = 0;
	bad_fires = 0;
}

static void arm(int i, uint64_t expires)
{
	timers[i].armed_at = wheel.clk;
	timers[i].expires = expires;
	tw_add(&wheel, &timers[i].tw, expires);
}

static void test_slack_table(void)
{
	CHECK_EQ(tw_slack(0), 0);
	CHECK_EQ(tw_slack(63), 0);
	CHECK_EQ(tw_slack(64), 7);
	CHECK_EQ(tw_slack(504), 7);
	CHECK_EQ(tw_slack(505), 63);
	CHECK_EQ(tw_slack(4032), 63);
	CHECK_EQ(tw_slack(4033), 511);
	CHECK_EQ(tw_slack(63ull << 21), (1ull << 21) - 1);
	CHECK_EQ(tw_slack(63ull << 24), (1ull << 24) - 1);
	CHECK_EQ(tw_slack(1ull << 40), (1ull << 24) - 1);
	/* Relative lateness stays under 8/63 everywhere past level 0. */
	for (uint64_t d = 64; d < (1ull << 32); d = d * 3 / 2 + 1)
		CHECK(tw_slack(d) * 63 < d * 8);
}

/* Level 0 is exact: 63 timers armed together fire on their tick, in order. */
static void test_level0_order(void)
{
	int perm[63];

	reset(1000);
	for (int i = 0; i < 63; i++)
		perm[i] = i;
	for (int i = 62; i > 0; i--) {
		int j = rnd() % (i + 1), tmp = perm[i];

		perm[i] = perm[j];
		perm[j] = tmp;
	}
	for (int i = 0; i < 63; i++)
		arm(perm[i], 1000 + 1 + perm[i]);
	for (uint64_t now = 1000; now <= 1070; now++)
		tw_advance(&wheel, now);
	CHECK_EQ(nfired, 63);
	CHECK_EQ(bad_fires, 0);
	for (int i = 0; i < 63; i++) {
		CHECK_EQ(fire_log[i], i);
		CHECK_EQ(timers[i].fired_at, timers[i].expires);
	}
}

/* Same expiry: FIFO in arming order.  Expiry in the past: next tick. */
static void test_same_tick_and_past(void)
{
	reset(500);
	arm(0, 520);
	arm(1, 520);
	arm(2, 520);
	arm(3, 100);
	tw_advance(&wheel, 500);
	CHECK_EQ(nfired, 1);
	CHECK_EQ(timers[3].fired_at, 500);
	tw_advance(&wheel, 519);
	CHECK_EQ(nfired, 1);
	tw_advance(&wheel, 520);
	CHECK_EQ(nfired, 4);
	CHECK_EQ(fire_log[1], 0);
	CHECK_EQ(fire_log[2], 1);
	CHECK_EQ(fire_log[3], 2);
}

/* Every level: sweep deltas across its range from unaligned clocks. */
static void test_levels_bounded(void)
{
	for (int round = 0; round < 8; round++) {
		uint64_t start = rnd() >> 20;
		int n = 0;

		reset(start);
		for (uint64_t d = 0; d < (63ull << 24) && n < MAX_T; d = d + 1 + d / 16)
			arm(n++, start + d);
		for (int i = 0; i < 200 && n < MAX_T; i++)
			arm(n++, start + rnd() % (63ull << 24));
		/* Jump in big random steps; the wheel visits only due ticks. */
		for (uint64_t now = start; nfired < n; now += rnd() % 5000000)
			tw_advance(&wheel, now);
		CHECK_EQ(nfired, n);
		CHECK_EQ(bad_fires, 0);
		CHECK_EQ(wheel.count, 0);
	}
}

/*
 * Deltas on and around every level's span limits, from clocks aligned to
 * each granularity and from unaligned ones: off-by-ones at a level edge
 * show up as a timer filed into a slot visited before its expiry.
 */
static void test_level_edges(void)
{
	for (unsigned align = 0; align <= 30; align += 3) {
		for (int skew = 0; skew < 3; skew++) {
			uint64_t start = ((rnd() >> 24) << align) + (uint64_t)skew;
			int n = 0;

			reset(start);
			for (unsigned lvl = 0; lvl < TW_LEVELS; lvl++) {
				uint64_t g = 1ull << (3 * lvl);
				const uint64_t base[] = { g, 63 * g, 64 * g, 65 * g };

				for (unsigned b = 0; b < 4; b++)
					for (int off = -2; off <= 2; off++)
						arm(n++, start + base[b] + (uint64_t)off);
			}
			for (uint64_t now = start; nfired < n; now += 1 + rnd() % 100000)
				tw_advance(&wheel, now);
			CHECK_EQ(nfired, n);
			CHECK_EQ(bad_fires, 0);
		}
	}
}

/* Ticking one by one gives the same firing ticks as jumping. */
static void test_tick_by_tick(void)
{
	reset(7);
	for (int i = 0; i < 300; i++)
		arm(i, 7 + rnd() % 40000);
	for (uint64_t now = 7; now < 7 + 40000 + 4096; now++)
		tw_advance(&wheel, now);
	CHECK_EQ(nfired, 300);
	CHECK_EQ(bad_fires, 0);
}

static void test_cancel(void)
{
	reset(0);
	arm(0, 10);
	arm(1, 10);
	arm(2, 5000);
	CHECK(tw_pending(&timers[1].tw));
	CHECK(tw_del(&wheel, &timers[1].tw));
	CHECK(!tw_pending(&timers[1].tw));
	CHECK(!tw_del(&wheel, &timers[1].tw));
	CHECK(tw_del(&wheel, &timers[2].tw));
	tw_advance(&wheel, 100000);
	CHECK_EQ(nfired, 1);
	CHECK_EQ(timers[0].fired, 1);
	CHECK(!tw_pending(&timers[0].tw));
	CHECK(!tw_del(&wheel, &timers[0].tw));
	/* Modify moves a pending timer. */
	arm(3, 100010);
	arm(3, 100020);
	tw_advance(&wheel, 100015);
	CHECK_EQ(nfired, 1);
	tw_advance(&wheel, 100020);
	CHECK_EQ(nfired, 2);
	CHECK_EQ(timers[3].fired_at, 100020);
}

static int periodic_left;

/* Re-arms itself 5 ticks on, and the past-expiry case once. */
static void periodic_fire(struct tw_timer *tw)
{
	struct ttimer *t = (struct ttimer *)tw;

	check_fire(t);
	if (--periodic_left > 0) {
		uint64_t next = periodic_left == 3 ? cur_tick() - 50 : cur_tick() + 5;

		t->armed_at = wheel.clk;
		t->expires = next;
		tw_add(&wheel, tw, next);
	}
	/* Cancels a sibling due on this very tick: it must not run. */
	tw_del(&wheel, &timers[1].tw);
}

static void test_rearm_in_callback(void)
{
	reset(0);
	timers[0].tw.fn = periodic_fire;
	periodic_left = 6;
	arm(0, 20);
	arm(1, 20);
	tw_advance(&wheel, 1000);
	CHECK_EQ(timers[0].fired, 6);
	CHECK_EQ(timers[1].fired, 0);
	/* 20, 25, 30, then armed into the past: 31, then 36, 41. */
	CHECK_EQ(timers[0].fired_at, 41);
	CHECK_EQ(bad_fires, 0);
}

static void test_far_future(void)
{
	uint64_t far = 1ull << 40;

	reset(123);
	arm(0, 123 + far);
	arm(1, 123 + (64ull << 24) + 5);
	arm(2, 123 + (1ull << 45));
	uint64_t next;

	CHECK(tw_next_expiry(&wheel, &next));
	for (uint64_t now = 123; timers[0].fired == 0; now += 1ull << 28)
		tw_advance(&wheel, now);
	CHECK_EQ(timers[1].fired, 1);
	CHECK_EQ(timers[2].fired, 0);
	CHECK_EQ(bad_fires, 0);
	tw_advance(&wheel, 123 + (1ull << 45) + (1ull << 24));
	CHECK_EQ(timers[2].fired, 1);
	CHECK_EQ(bad_fires, 0);
}

static void test_wrap(void)
{
	uint64_t start = UINT64_MAX - 2999;

	reset(start);
	for (int i = 0; i < 1000; i++)
		arm(i, start + rnd() % 200000);
	arm(1000, start + 3000);	/* lands exactly on 2^64 == 0 */
	for (uint64_t now = start; nfired < 1001; now += 97)
		tw_advance(&wheel, now);
	CHECK_EQ(bad_fires, 0);
	CHECK_EQ(timers[1000].fired_at, 0);
}

/* tw_next_expiry names exactly the tick at which something fires. */
static void test_next_expiry(void)
{
	uint64_t next;

	reset(50);
	CHECK(!tw_next_expiry(&wheel, &next));
	for (int i = 0; i < 64; i++)
		arm(i, 50 + 1 + rnd() % 1000000);
	while (tw_next_expiry(&wheel, &next)) {
		int before = nfired;

		tw_advance(&wheel, next - 1);
		CHECK_EQ(nfired, before);
		tw_advance(&wheel, next);
		CHECK(nfired > before);
	}
	CHECK_EQ(nfired, 64);
	CHECK_EQ(bad_fires, 0);
}

/* An idle wheel brought forward arms relative to the new clock. */
static void test_forward(void)
{
	reset(0);
	arm(0, 500000);
	tw_forward(&wheel, 100000);
	CHECK_EQ(wheel.clk, 100001);
	arm(1, 100010);
	CHECK(tw_maybe_due(&wheel, 100010));
	CHECK(!tw_maybe_due(&wheel, 100009));
	tw_advance(&wheel, 100010);
	CHECK_EQ(timers[1].fired_at, 100010);
	tw_advance(&wheel, 600000);
	CHECK_EQ(timers[0].fired, 1);
	CHECK_EQ(bad_fires, 0);
}

/* Random adds, modifies, deletes and clock moves against a model. */
static void test_random_model(void)
{
	static bool armed[MAX_T];
	uint64_t now = 1ull << 33;

	reset(now);
	for (int i = 0; i < MAX_T; i++)
		armed[i] = false;
	for (int step = 0; step < 40000; step++) {
		int i = rnd() % MAX_T, op = rnd() % 10;

		if (op < 6) {
			uint64_t span = 1ull << (rnd() % 24);

			arm(i, now + rnd() % span);
			armed[i] = true;
		} else if (op < 8) {
			CHECK_EQ(tw_del(&wheel, &timers[i].tw), armed[i]);
			armed[i] = false;
		} else {
			now += rnd() % 300;
			for (int k = 0; k < MAX_T; k++)
				timers[k].fired = 0;
			tw_advance(&wheel, now);
			for (int k = 0; k < MAX_T; k++) {
				CHECK(timers[k].fired <= (armed[k] ? 1 : 0));
				if (timers[k].fired)
					armed[k] = false;
				CHECK_EQ(tw_pending(&timers[k].tw), armed[k]);
			}
		}
	}
	for (int k = 0; k < MAX_T; k++)
		timers[k].fired = 0;
	tw_advance(&wheel, now + (1ull << 25));
	for (int k = 0; k < MAX_T; k++)
		CHECK_EQ(timers[k].fired, armed[k] ? 1 : 0);
	CHECK_EQ(bad_fires, 0);
	CHECK_EQ(wheel.count, 0);
}

int main(void)
{
	test_slack_table();
	test_level0_order();
	test_same_tick_and_past();
	test_levels_bounded();
	test_level_edges();
	test_tick_by_tick();
	test_cancel();
	test_rearm_in_callback();
	test_far_future();
	test_wrap();
	test_next_expiry();
	test_forward();
	test_random_model();
	return check_report();
}
