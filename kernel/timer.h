/*
 * Kernel timers on the hierarchical wheel (kernel/lib/timer_wheel.h), Linux
 * style.  timer_tick() runs from the LAPIC interrupt HZ times a second: it
 * brings jiffies up to now_ns() in HZ units (so jiffies are milliseconds of
 * uptime, however many ticks were lost) and raises TIMER_SOFTIRQ when a
 * timer may be due; the
 * softirq runs the expired callbacks, one at a time, in softirq context
 * (interrupts enabled, must not sleep).  Accuracy is the wheel's: never
 * before the expiry jiffy, exact for expiries up to 63 jiffies ahead, late
 * by at most 1/8 of the delay beyond.
 *
 * Every call may come from any context; wheel updates run with interrupts
 * disabled.  A callback may re-arm or delete any timer, its own included.
 * There is no del_timer_sync: on one CPU a thread never runs while a
 * callback does.
 */
#ifndef SYNACK_KERNEL_TIMER_H
#define SYNACK_KERNEL_TIMER_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/kernel.h"
#include "kernel/lib/timer_wheel.h"

struct timer_list {
	struct tw_timer tw;
	void (*function)(struct timer_list *t);
};

/* Recovers the structure embedding a timer_list from the callback argument. */
#define from_timer(var, timer, field) container_of(timer, __typeof__(*(var)), field)

void timer_setup(struct timer_list *t, void (*fn)(struct timer_list *t));
/* Arms or re-arms `t` for jiffy `expires`; returns 1 if it was pending. */
int mod_timer(struct timer_list *t, uint64_t expires);
/* Arms `t` to fire at the first tick at which now_ns() >= `deadline_ns`. */
int mod_timer_deadline(struct timer_list *t, uint64_t deadline_ns);
/* Arms `t` to fire no sooner than `delay_ns` from now. */
int mod_timer_ns(struct timer_list *t, uint64_t delay_ns);
static inline int mod_timer_ms(struct timer_list *t, uint64_t delay_ms)
{
	return mod_timer_ns(t, delay_ms * 1000000ull);
}
/* Disarms `t`; returns 1 if it was pending. */
int del_timer(struct timer_list *t);

static inline bool timer_pending(const struct timer_list *t)
{
	return tw_pending(&t->tw);
}

/* Jiffies covering at least `ns` (rounded up). */
uint64_t ns_to_jiffies(uint64_t ns);
/* The jiffy at which the next timer fires; false if none is armed (for a
 * tickless idle that would program the LAPIC to that point). */
bool timer_next_expiry(uint64_t *jiffy);

/* Hard-IRQ context, HZ times a second (kernel/arch/x86_64/lapic_timer.c). */
void timer_tick(void);
/* Empties the wheel and opens TIMER_SOFTIRQ; before the tick starts. */
void timers_init(void);

#endif
