/*
 * struct timer_list over the timer wheel, driven by the tick.
 *
 * jiffies is the TSC clock in HZ units, sampled at every tick: jiffy J is
 * reached at the first tick at which now_ns() >= J ms.  Ticks that never
 * came (an emulator under load drops them, a long interrupts-off section
 * merges them) therefore delay timers only until the next tick instead of
 * slowing jiffies down, and a nanosecond deadline maps exactly onto a
 * jiffy: a timer armed for deadline D runs once now_ns() >= D, never before.
 *
 * The wheel is only advanced when a timer may be due, so arming first
 * brings an idle wheel's clock up to jiffies (tw_forward): the wheel's
 * accuracy is relative to its own clock.
 */
#include "kernel/timer.h"

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/softirq.h"
#include "kernel/printk.h"
#include "kernel/time.h"

#define NSEC_PER_JIFFY	(NSEC_PER_SEC / HZ)

static struct timer_wheel wheel;

static void timer_fire(struct tw_timer *tw)
{
	struct timer_list *t = container_of(tw, struct timer_list, tw);

	t->function(t);
}

void timer_setup(struct timer_list *t, void (*fn)(struct timer_list *t))
{
	tw_timer_init(&t->tw, timer_fire);
	t->function = fn;
}

int mod_timer(struct timer_list *t, uint64_t expires)
{
	unsigned long flags = irq_save();
	int was = tw_pending(&t->tw);

	tw_forward(&wheel, jiffies);
	tw_add(&wheel, &t->tw, expires);
	irq_restore(flags);
	return was;
}

uint64_t ns_to_jiffies(uint64_t ns)
{
	return (ns + NSEC_PER_JIFFY - 1) / NSEC_PER_JIFFY;
}

int mod_timer_deadline(struct timer_list *t, uint64_t deadline_ns)
{
	return mod_timer(t, ns_to_jiffies(deadline_ns));
}

int mod_timer_ns(struct timer_list *t, uint64_t delay_ns)
{
	return mod_timer_deadline(t, now_ns() + delay_ns);
}

int del_timer(struct timer_list *t)
{
	unsigned long flags = irq_save();
	int was = tw_del(&wheel, &t->tw);

	irq_restore(flags);
	return was;
}

bool timer_next_expiry(uint64_t *jiffy)
{
	unsigned long flags = irq_save();
	bool any = tw_next_expiry(&wheel, jiffy);

	irq_restore(flags);
	return any;
}

void timer_tick(void)
{
	uint64_t j = now_ns() / NSEC_PER_JIFFY;

	if (j > jiffies)
		jiffies = j;
	if (tw_maybe_due(&wheel, jiffies))
		raise_softirq(TIMER_SOFTIRQ);
	console_tick();
}

/* TIMER_SOFTIRQ: hands out expired timers one by one, callbacks unlocked. */
static void run_timer_softirq(void)
{
	for (;;) {
		unsigned long flags = irq_save();
		struct tw_timer *tw = tw_expire_next(&wheel, jiffies);

		irq_restore(flags);
		if (!tw)
			return;
		tw->fn(tw);
	}
}

void timers_init(void)
{
	tw_init(&wheel, jiffies);
	open_softirq(TIMER_SOFTIRQ, run_timer_softirq);
}
