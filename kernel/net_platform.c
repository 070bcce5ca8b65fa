/*
 * The kernel's implementation of net/platform.h: slab caches, the TSC
 * clock, timer-wheel timers, softirqs, wait queues, the crng and printk.  The host's
 * implementation for unit tests is tests/host/net_platform_host.c.
 */
#include "net/platform.h"

#include <stdarg.h>

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/kernel.h"
#include "kernel/lib/format.h"
#include "kernel/mm/slab.h"
#include "kernel/printk.h"
#include "kernel/random.h"
#include "kernel/sched/sched.h"
#include "kernel/softirq.h"
#include "kernel/time.h"
#include "kernel/timer.h"

struct net_cache *net_cache_create(const char *name, size_t size)
{
	return (struct net_cache *)kmem_cache_create(name, size, 16);
}

void *net_cache_alloc(struct net_cache *c)
{
	return kmem_cache_alloc((struct kmem_cache *)c);
}

void net_cache_free(struct net_cache *c, void *obj)
{
	kmem_cache_free((struct kmem_cache *)c, obj);
}

void *net_alloc(size_t size)
{
	return kzalloc(size);
}

void *net_alloc_uninit(size_t size)
{
	return kmalloc(size);
}

void net_free(void *p)
{
	kfree(p);
}

uint64_t net_now_ns(void)
{
	return now_ns();
}

/* A net_timer carries its kernel timer_list inside impl[]. */
_Static_assert(sizeof(struct timer_list) <= sizeof(((struct net_timer *)0)->impl),
	       "timer_list must fit in net_timer.impl");

static struct timer_list *net_timer_impl(const struct net_timer *t)
{
	return (struct timer_list *)(uintptr_t)t->impl;
}

static void net_timer_fire(struct timer_list *tl)
{
	struct net_timer *t = container_of((void *)tl, struct net_timer, impl);

	t->fn(t);
}

void net_timer_init(struct net_timer *t, void (*fn)(struct net_timer *t))
{
	t->fn = fn;
	t->expires_ns = 0;
	timer_setup(net_timer_impl(t), net_timer_fire);
}

void net_timer_mod(struct net_timer *t, uint64_t expires_ns)
{
	t->expires_ns = expires_ns;
	mod_timer_deadline(net_timer_impl(t), expires_ns);
}

void net_timer_del(struct net_timer *t)
{
	del_timer(net_timer_impl(t));
}

bool net_timer_pending(const struct net_timer *t)
{
	return timer_pending(net_timer_impl(t));
}

static enum softirq_nr net_softirq_nr(enum net_softirq which)
{
	return which == NET_SOFTIRQ_TX ? NET_TX_SOFTIRQ : NET_RX_SOFTIRQ;
}

void net_open_softirq(enum net_softirq which, void (*action)(void))
{
	open_softirq(net_softirq_nr(which), action);
}

void net_raise_softirq(enum net_softirq which)
{
	raise_softirq(net_softirq_nr(which));
}

void net_bh_disable(void)
{
	local_bh_disable();
}

void net_bh_enable(void)
{
	local_bh_enable();
}

unsigned long net_irq_save(void)
{
	return irq_save();
}

void net_irq_restore(unsigned long flags)
{
	irq_restore(flags);
}

/* A net_waitq carries the kernel's wait_queue inside impl[]. */
_Static_assert(sizeof(struct wait_queue) <= sizeof(((struct net_waitq *)0)->impl),
	       "wait_queue must fit in net_waitq.impl");

static struct wait_queue *net_waitq_impl(struct net_waitq *wq)
{
	return (struct wait_queue *)(uintptr_t)wq->impl;
}

void net_waitq_init(struct net_waitq *wq)
{
	wait_queue_init(net_waitq_impl(wq));
}

/* prepare_to_wait marks us sleeping before cond is tested, so a wake_up
 * from the softirqs that local_bh_enable runs (or from an IRQ) makes
 * schedule_until return at once. */
int net_wait(struct net_waitq *wq, bool (*cond)(void *arg), void *arg, uint64_t deadline_ns)
{
	struct wait_queue *q = net_waitq_impl(wq);
	struct wait_entry we;
	int ret = 0;

	for (;;) {
		prepare_to_wait(q, &we);
		if (cond(arg))
			break;
		if (deadline_ns && now_ns() >= deadline_ns) {
			ret = -ETIMEDOUT;
			break;
		}
		local_bh_enable();
		schedule_until(deadline_ns);
		local_bh_disable();
	}
	finish_wait(q, &we);
	return ret;
}

void net_wake_up(struct net_waitq *wq)
{
	wake_up(net_waitq_impl(wq));
}

void net_random_bytes(void *buf, size_t len)
{
	get_random_bytes(buf, len);
}

uint32_t net_random_u32(void)
{
	return get_random_u32();
}

void net_log(int level, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (level > printk_get_level())
		return;		/* printk would drop it: do not format it */
	va_start(ap, fmt);
	kvsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk(level, "%s", msg);
}
