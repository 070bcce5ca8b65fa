/*
 * Hierarchical timer wheel: pure logic over an abstract clock counted in
 * ticks (the kernel uses jiffies at HZ 1000; host tests drive a fake clock).
 *
 * Layout: TW_LEVELS levels of 64 slots.  Level n advances every 8^n ticks,
 * so its granularity is 8^n ticks and it spans 64 * 8^n ticks.  A timer is
 * filed once, in the lowest level that can hold it, at the first slot
 * boundary at or after its expiry; timers never cascade between levels.
 * Insert, delete and modify are O(1) (a level pick over TW_LEVELS is the
 * only loop); advancing costs O(TW_LEVELS) per slot boundary that holds
 * timers, and jumps straight over empty stretches.
 *
 * Accuracy guarantee: a timer never fires before its expiry tick.  Armed
 * `delta` ticks ahead of the wheel clock it fires at most tw_slack(delta)
 * ticks late:
 *
 *   level  delta (ticks)          granularity   late by at most
 *   0      0 .. 63                1             0 (exact)
 *   1      64 .. 504              8             7
 *   2      505 .. 4032            64            63
 *   n      63*8^(n-1)+1 .. 63*8^n 8^n           8^n - 1   (< 12.7% of delta)
 *   8      .. 63*8^8 (~12.2 days at HZ 1000)    8^8 - 1 (~4.7 h)
 *
 * (The level boundaries above are the worst case: a timer whose expiry
 * happens to sit on a slot boundary may be filed one level lower.)  A timer
 * further out than the top level spans is parked in the top level's
 * furthest slot and refiled when that slot comes due, so it still never
 * fires early.  Timers due on the same tick fire in level order, then in
 * the order they were armed; timers armed at the same moment within 63
 * ticks fire in expiry order.
 *
 * Clock arithmetic is modulo 2^64 (comparisons are signed differences), so
 * the wheel survives the tick counter wrapping; deltas must stay below
 * 2^63 ticks.
 *
 * Context: not reentrant and takes no locks.  The owner serializes every
 * call (the kernel disables interrupts around each one).  tw_expire_next()
 * hands out one expired timer at a time, so callbacks run outside the
 * owner's critical section and may re-arm or delete any timer.
 */
#ifndef SYNACK_KERNEL_LIB_TIMER_WHEEL_H
#define SYNACK_KERNEL_LIB_TIMER_WHEEL_H

#include <stdbool.h>
#include <stdint.h>

#define TW_LEVELS	9
#define TW_SLOT_BITS	6
#define TW_SLOTS	(1u << TW_SLOT_BITS)
#define TW_LEVEL_SHIFT	3	/* each level is 8x coarser than the one below */

#define TW_EXPIRED	(TW_LEVELS * TW_SLOTS)	/* list index of collected timers */

struct tw_timer {
	struct tw_timer *next;
	struct tw_timer **pprev;	/* NULL when not pending */
	uint64_t expires;		/* tick at or after which it fires */
	void (*fn)(struct tw_timer *t);
	uint16_t list;			/* level * TW_SLOTS + slot, or TW_EXPIRED */
};

/* FIFO list: tail points at the last timer's next field (or at head). */
struct tw_list {
	struct tw_timer *head;
	struct tw_timer **tail;
};

struct timer_wheel {
	uint64_t clk;			/* next tick to process; earlier ones are done */
	uint64_t next_due;		/* no slot fires before this tick (may be early) */
	uint64_t count;			/* timers filed in slots */
	uint64_t occupied[TW_LEVELS];	/* bit s: slot s of that level is non-empty */
	struct tw_list list[TW_EXPIRED + 1];	/* the slots, then the expired list */
};

/* Starts an empty wheel whose clock reads `now`.  The wheel holds pointers
 * into itself: initialize it in place and never copy it. */
void tw_init(struct timer_wheel *w, uint64_t now);
void tw_timer_init(struct tw_timer *t, void (*fn)(struct tw_timer *t));

/* Arms (or re-arms, if pending) `t` to fire at tick `expires`; an expiry in
 * the past fires on the next tick processed. */
void tw_add(struct timer_wheel *w, struct tw_timer *t, uint64_t expires);
/* Disarms `t`; true if it was pending. */
bool tw_del(struct timer_wheel *w, struct tw_timer *t);

static inline bool tw_pending(const struct tw_timer *t)
{
	return t->pprev != 0;
}

/* Processes ticks up to and including `now` and returns one expired timer,
 * already disarmed, for the caller to run; NULL when none is left. */
struct tw_timer *tw_expire_next(struct timer_wheel *w, uint64_t now);
/* Runs every timer due by `now` (tw_expire_next in a loop). */
void tw_advance(struct timer_wheel *w, uint64_t now);

/* The tick at which the next timer will fire; false if none is armed. */
bool tw_next_expiry(struct timer_wheel *w, uint64_t *tick);
/* Cheap check for the tick interrupt: might a timer be due by `now`? */
static inline bool tw_maybe_due(const struct timer_wheel *w, uint64_t now)
{
	return w->list[TW_EXPIRED].head || (w->count && (int64_t)(now - w->next_due) >= 0);
}

/*
 * Moves an idle wheel's clock up to `now` without running anything.  The
 * slack table is relative to the wheel clock, so an owner that does not
 * process every tick (the kernel only does when a timer is due) calls this
 * before arming a timer.
 */
void tw_forward(struct timer_wheel *w, uint64_t now);

/* Upper bound on how late a timer armed `delta` ticks ahead may fire. */
uint64_t tw_slack(uint64_t delta);

#endif
