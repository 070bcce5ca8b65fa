/*
 * The platform seam: everything net/ needs from below, and nothing more.
 * The kernel implements it in kernel/net_platform.c; tests/host implements
 * it over libc with a clock the test moves.  net/ includes no kernel
 * header except this one (and kernel/lib/, kernel/errno.h, which are
 * host-compilable).
 *
 * Context: on one CPU, net/ code runs in softirq context or in a thread
 * with bottom halves disabled, so it needs no locks of its own.
 */
#ifndef SYNACK_NET_PLATFORM_H
#define SYNACK_NET_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Memory.  Caches are for hot fixed-size objects (skbs, sockets); both
 * allocation calls may fail (NULL) and callers count the failure.  Cache
 * objects come back uninitialised; net_alloc memory is zeroed,
 * net_alloc_uninit memory is not (packet buffers the caller fills: zeroing
 * a 64 KiB GSO buffer costs as much as filling it).  net_free takes both. */
struct net_cache;
struct net_cache *net_cache_create(const char *name, size_t size);
void *net_cache_alloc(struct net_cache *c);
void net_cache_free(struct net_cache *c, void *obj);
void *net_alloc(size_t size);		/* zeroed */
void *net_alloc_uninit(size_t size);
void net_free(void *p);

/* Time: monotonic nanoseconds; never goes backwards. */
uint64_t net_now_ns(void);

/* One-shot timers.  net_timer_mod re-arms a pending timer; del is safe on
 * an idle timer.  Callbacks run in softirq context. */
struct net_timer {
	void (*fn)(struct net_timer *t);
	uint64_t expires_ns;
	void *impl[6];			/* owned by the platform */
};
void net_timer_init(struct net_timer *t, void (*fn)(struct net_timer *t));
void net_timer_mod(struct net_timer *t, uint64_t expires_ns);
void net_timer_del(struct net_timer *t);
bool net_timer_pending(const struct net_timer *t);

/* Bottom halves.  net_dev_init registers the NET_TX and NET_RX actions
 * with net_open_softirq; net_raise_softirq marks one pending from any
 * context (hard IRQ included), and the platform runs it later. */
enum net_softirq { NET_SOFTIRQ_TX, NET_SOFTIRQ_RX };
void net_open_softirq(enum net_softirq which, void (*action)(void));
void net_raise_softirq(enum net_softirq which);
void net_bh_disable(void);
void net_bh_enable(void);

/* Hard-IRQ exclusion for the few fields a hard IRQ handler touches
 * (napi_schedule): returns the previous state for net_irq_restore. */
unsigned long net_irq_save(void);
void net_irq_restore(unsigned long flags);

/* Blocking, for the socket layer (thread context only).  A waitq is a
 * list of sleeping threads.  net_wait is entered with bottom halves
 * disabled once (the caller's own net_bh_disable) and returns the same
 * way: it tests cond(arg) with bottom halves disabled and, while cond is
 * false, enables them, sleeps until net_wake_up(wq) or deadline_ns
 * (net_now_ns time, 0: none), and disables them again.  No wakeup is lost
 * between the test and the sleep.  Returns 0 once cond holds, or
 * -ETIMEDOUT.  net_wake_up may be called from any context. */
struct net_waitq {
	void *impl[2];			/* owned by the platform */
};
void net_waitq_init(struct net_waitq *wq);
int net_wait(struct net_waitq *wq, bool (*cond)(void *arg), void *arg, uint64_t deadline_ns);
void net_wake_up(struct net_waitq *wq);

/* Randomness (ISNs, ephemeral ports, ARP jitter). */
void net_random_bytes(void *buf, size_t len);
uint32_t net_random_u32(void);

/* Logging: level as in kernel/printk.h (3 err, 4 warn, 6 info, 7 debug). */
void net_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
