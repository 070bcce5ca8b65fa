/*
 * Hierarchical timer wheel (see timer_wheel.h for the accuracy contract).
 *
 * Invariants:
 *  - clk is the next tick to process; every slot visit before clk is done.
 *  - A timer in level n, slot s fires at the first tick r >= clk that is a
 *    multiple of 8^n with (r >> 3n) & 63 == s.  Filing guarantees that r is
 *    at or after the expiry and less than clk + 64 * 8^n, so the slot is
 *    not visited before r.
 *  - occupied[n] bit s is set iff list (n, s) is non-empty; count is the
 *    number of timers in all slot lists (the expired list excluded).
 *  - next_due <= the firing tick of every filed timer (equal after
 *    tw_refresh_next; deletions may leave it early, which only costs a
 *    recomputation).
 */
#include "kernel/lib/timer_wheel.h"

#include <stddef.h>

#define LVL_SHIFT(n)	((unsigned)(n) * TW_LEVEL_SHIFT)
#define LVL_GRAN(n)	(1ull << LVL_SHIFT(n))
#define TOP_LEVEL	(TW_LEVELS - 1)

static inline bool tick_before(uint64_t a, uint64_t b)
{
	return (int64_t)(a - b) < 0;
}

static inline uint64_t round_up_gran(uint64_t tick, unsigned level)
{
	uint64_t g = LVL_GRAN(level);

	return (tick + g - 1) & ~(g - 1);
}

static void list_append(struct timer_wheel *w, unsigned idx, struct tw_timer *t)
{
	struct tw_list *l = &w->list[idx];

	t->next = NULL;
	t->pprev = l->tail;
	t->list = (uint16_t)idx;
	*l->tail = t;
	l->tail = &t->next;
}

static void tw_unlink(struct timer_wheel *w, struct tw_timer *t)
{
	struct tw_list *l = &w->list[t->list];

	*t->pprev = t->next;
	if (t->next)
		t->next->pprev = t->pprev;
	else
		l->tail = t->pprev;
	t->pprev = NULL;
	if (t->list == TW_EXPIRED)
		return;
	w->count--;
	if (!l->head)
		w->occupied[t->list / TW_SLOTS] &= ~(1ull << (t->list % TW_SLOTS));
}

/*
 * The lowest level whose slot boundary at or after `expires` lies within
 * the level's span from clk, and that boundary in *fire.  A timer beyond
 * the top level's span is parked at the top level's furthest boundary.
 */
static unsigned tw_pick_level(const struct timer_wheel *w, uint64_t expires, uint64_t *fire)
{
	uint64_t c = w->clk;

	if (tick_before(expires, c))
		expires = c;
	for (unsigned n = 0; n < TW_LEVELS; n++) {
		uint64_t r = round_up_gran(expires, n);

		if (r - c < TW_SLOTS * LVL_GRAN(n)) {
			*fire = r;
			return n;
		}
	}
	*fire = (c + TW_SLOTS * LVL_GRAN(TOP_LEVEL) - 1) & ~(LVL_GRAN(TOP_LEVEL) - 1);
	return TOP_LEVEL;
}

static void tw_file(struct timer_wheel *w, struct tw_timer *t)
{
	uint64_t fire;
	unsigned n = tw_pick_level(w, t->expires, &fire);
	unsigned s = (fire >> LVL_SHIFT(n)) & (TW_SLOTS - 1);

	list_append(w, n * TW_SLOTS + s, t);
	w->occupied[n] |= 1ull << s;
	if (!w->count++ || tick_before(fire, w->next_due))
		w->next_due = fire;
}

/* First tick >= clk at which level n visits an occupied slot. */
static uint64_t tw_level_next(const struct timer_wheel *w, unsigned n)
{
	uint64_t base = round_up_gran(w->clk, n) >> LVL_SHIFT(n);
	unsigned cur = base & (TW_SLOTS - 1);
	uint64_t map = w->occupied[n];

	if (cur)
		map = (map >> cur) | (map << (TW_SLOTS - cur));
	return (base + (unsigned)__builtin_ctzll(map)) << LVL_SHIFT(n);
}

/* Recomputes next_due exactly; the wheel must hold timers. */
static void tw_refresh_next(struct timer_wheel *w)
{
	bool found = false;

	for (unsigned n = 0; n < TW_LEVELS; n++) {
		if (!w->occupied[n])
			continue;
		uint64_t r = tw_level_next(w, n);

		if (!found || r - w->clk < w->next_due - w->clk)
			w->next_due = r;
		found = true;
	}
}

void tw_init(struct timer_wheel *w, uint64_t now)
{
	w->clk = now;
	w->next_due = now;
	w->count = 0;
	for (unsigned n = 0; n < TW_LEVELS; n++)
		w->occupied[n] = 0;
	for (unsigned i = 0; i <= TW_EXPIRED; i++) {
		w->list[i].head = NULL;
		w->list[i].tail = &w->list[i].head;
	}
}

void tw_timer_init(struct tw_timer *t, void (*fn)(struct tw_timer *t))
{
	t->next = NULL;
	t->pprev = NULL;
	t->expires = 0;
	t->fn = fn;
	t->list = 0;
}

void tw_add(struct timer_wheel *w, struct tw_timer *t, uint64_t expires)
{
	if (tw_pending(t))
		tw_unlink(w, t);
	t->expires = expires;
	tw_file(w, t);
}

bool tw_del(struct timer_wheel *w, struct tw_timer *t)
{
	if (!tw_pending(t))
		return false;
	tw_unlink(w, t);
	return true;
}

/*
 * Visits tick j (the wheel's next due tick): moves the timers of every
 * level's slot due at j to the expired list, refiling parked far-future
 * timers whose expiry is still ahead.
 */
static void tw_collect(struct timer_wheel *w, uint64_t j)
{
	w->clk = j + 1;
	for (unsigned n = 0; n < TW_LEVELS && !(j & (LVL_GRAN(n) - 1)); n++) {
		unsigned s = (j >> LVL_SHIFT(n)) & (TW_SLOTS - 1);
		struct tw_list *l = &w->list[n * TW_SLOTS + s];
		struct tw_timer *t = l->head;

		if (!t)
			continue;
		l->head = NULL;
		l->tail = &l->head;
		w->occupied[n] &= ~(1ull << s);
		while (t) {
			struct tw_timer *next = t->next;

			w->count--;
			if (tick_before(j, t->expires))
				tw_file(w, t);
			else
				list_append(w, TW_EXPIRED, t);
			t = next;
		}
	}
}

static void tw_catch_up(struct timer_wheel *w, uint64_t now)
{
	if (tick_before(w->clk, now + 1))
		w->clk = now + 1;
}

struct tw_timer *tw_expire_next(struct timer_wheel *w, uint64_t now)
{
	for (;;) {
		struct tw_timer *t = w->list[TW_EXPIRED].head;

		if (t) {
			tw_unlink(w, t);
			return t;
		}
		if (!w->count) {
			tw_catch_up(w, now);
			return NULL;
		}
		if (!tick_before(now, w->next_due))
			tw_refresh_next(w);
		if (tick_before(now, w->next_due)) {
			tw_catch_up(w, now);
			return NULL;
		}
		tw_collect(w, w->next_due);
		if (w->count)
			tw_refresh_next(w);
	}
}

void tw_advance(struct timer_wheel *w, uint64_t now)
{
	struct tw_timer *t;

	while ((t = tw_expire_next(w, now)))
		t->fn(t);
}

void tw_forward(struct timer_wheel *w, uint64_t now)
{
	if (w->list[TW_EXPIRED].head)
		return;
	if (w->count && !tick_before(now, w->next_due))
		tw_refresh_next(w);
	if (!w->count || tick_before(now, w->next_due))
		tw_catch_up(w, now);
	else if (tick_before(w->clk, w->next_due))
		w->clk = w->next_due;
}

bool tw_next_expiry(struct timer_wheel *w, uint64_t *tick)
{
	if (w->list[TW_EXPIRED].head) {
		*tick = w->clk - 1;
		return true;
	}
	if (!w->count)
		return false;
	tw_refresh_next(w);
	*tick = w->next_due;
	return true;
}

uint64_t tw_slack(uint64_t delta)
{
	for (unsigned n = 0; n < TOP_LEVEL; n++)
		if (delta <= (TW_SLOTS - 1) * LVL_GRAN(n))
			return LVL_GRAN(n) - 1;
	return LVL_GRAN(TOP_LEVEL) - 1;
}
