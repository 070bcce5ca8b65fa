/*
 * net/platform.h for host tests: libc allocation with accounting and
 * failure injection, a fake monotonic clock, one-shot timers kept in a
 * sorted list and fired by host_clock_advance, softirqs as pending bits
 * drained by host_run_softirqs (and by net_bh_enable, as in the kernel),
 * blocking waits that run softirqs and move the clock to the next timer
 * instead of sleeping, deterministic randomness, and logging to stderr.
 *
 * Controls for tests: net_platform_host.h.  Single-threaded.
 */
#include "net/platform.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/host/net_platform_host.h"

struct net_cache {
	const char *name;
	size_t size;
};

/* net_alloc blocks carry their size in front, keeping 16-byte alignment. */
struct alloc_hdr {
	size_t size;
	size_t pad;
};

static uint64_t now_ns;
static struct net_timer *timer_head;
static void (*softirq_action[2])(void);
static unsigned int softirq_pending;
static uint64_t softirq_runs[2];
static int bh_depth;
static bool softirq_running;
static struct host_alloc_stats alloc_st;
static long fail_after = -1;
static size_t fail_larger;		/* 0: off */
static int log_level = 3;
static char log_last[256];
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static void (*wait_hook)(void *ctx);
static void *wait_hook_ctx;
static uint64_t wait_sleeps;

static bool alloc_should_fail(void)
{
	if (fail_after < 0)
		return false;
	if (fail_after == 0) {
		alloc_st.failures++;
		return true;
	}
	fail_after--;
	return false;
}

void host_alloc_fail_after(long n)
{
	fail_after = n;
}

void host_alloc_fail_larger(size_t n)
{
	fail_larger = n;
}

void host_alloc_stats(struct host_alloc_stats *st)
{
	struct net_timer *t;

	*st = alloc_st;
	st->timers_pending = 0;
	for (t = timer_head; t; t = t->impl[0])
		st->timers_pending++;
}

struct net_cache *net_cache_create(const char *name, size_t size)
{
	struct net_cache *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->name = name;
	c->size = size;
	return c;
}

void *net_cache_alloc(struct net_cache *c)
{
	void *p;

	if (alloc_should_fail())
		return NULL;
	p = malloc(c->size);
	if (!p)
		return NULL;
	/* Cache objects are not zeroed: poison them so tests notice. */
	memset(p, 0xa5, c->size);
	alloc_st.cache_alive++;
	return p;
}

void net_cache_free(struct net_cache *c, void *obj)
{
	(void)c;
	if (!obj)
		return;
	free(obj);
	alloc_st.cache_alive--;
}

/* True if the next net_alloc of size bytes is to fail (counted). */
static bool net_alloc_should_fail(size_t size)
{
	if (fail_larger && size > fail_larger) {
		alloc_st.failures++;
		return true;
	}
	return alloc_should_fail();
}

/* Counts a fresh block h (NULL: none) of size bytes; its user's pointer. */
static void *alloc_hdr_init(struct alloc_hdr *h, size_t size)
{
	if (!h)
		return NULL;
	h->size = size;
	alloc_st.alloc_alive++;
	alloc_st.alloc_bytes += size;
	return h + 1;
}

void *net_alloc(size_t size)
{
	if (net_alloc_should_fail(size))
		return NULL;
	return alloc_hdr_init(calloc(1, sizeof(struct alloc_hdr) + size), size);
}

/* Poisoned like cache objects, so code that wrongly expects zeroes fails
 * here. */
void *net_alloc_uninit(size_t size)
{
	struct alloc_hdr *h;

	if (net_alloc_should_fail(size))
		return NULL;
	h = malloc(sizeof(*h) + size);
	if (h)
		memset(h + 1, 0xa5, size);
	return alloc_hdr_init(h, size);
}

void net_free(void *p)
{
	struct alloc_hdr *h;

	if (!p)
		return;
	h = (struct alloc_hdr *)p - 1;
	alloc_st.alloc_alive--;
	alloc_st.alloc_bytes -= h->size;
	free(h);
}

uint64_t net_now_ns(void)
{
	return now_ns;
}

/* Timer bookkeeping in the platform-owned words: impl[0] next, impl[1]
 * non-NULL while pending. */
static void timer_unlink(struct net_timer *t)
{
	struct net_timer **pp;

	for (pp = &timer_head; *pp; pp = (struct net_timer **)&(*pp)->impl[0]) {
		if (*pp == t) {
			*pp = t->impl[0];
			break;
		}
	}
	t->impl[0] = NULL;
	t->impl[1] = NULL;
}

void net_timer_init(struct net_timer *t, void (*fn)(struct net_timer *t))
{
	memset(t, 0, sizeof(*t));
	t->fn = fn;
}

void net_timer_mod(struct net_timer *t, uint64_t expires_ns)
{
	struct net_timer **pp;

	if (t->impl[1])
		timer_unlink(t);
	t->expires_ns = expires_ns;
	for (pp = &timer_head; *pp && (*pp)->expires_ns <= expires_ns;
	     pp = (struct net_timer **)&(*pp)->impl[0])
		;
	t->impl[0] = *pp;
	t->impl[1] = t;
	*pp = t;
}

void net_timer_del(struct net_timer *t)
{
	if (t->impl[1])
		timer_unlink(t);
}

bool net_timer_pending(const struct net_timer *t)
{
	return t->impl[1] != NULL;
}

void net_open_softirq(enum net_softirq which, void (*action)(void))
{
	softirq_action[which] = action;
}

void net_raise_softirq(enum net_softirq which)
{
	softirq_pending |= 1u << which;
}

bool host_softirq_pending(void)
{
	return softirq_pending != 0;
}

uint64_t host_softirq_runs(int which)
{
	return softirq_runs[which];
}

/* TX before RX, as the kernel's softirq numbering orders them. */
unsigned int host_run_softirqs(unsigned int max_rounds)
{
	unsigned int runs = 0, round, nr;

	if (softirq_running)
		return 0;
	softirq_running = true;
	if (!max_rounds)
		max_rounds = 1000;
	for (round = 0; round < max_rounds && softirq_pending; round++) {
		for (nr = 0; nr < 2; nr++) {
			if (!(softirq_pending & (1u << nr)))
				continue;
			softirq_pending &= ~(1u << nr);
			softirq_runs[nr]++;
			runs++;
			if (softirq_action[nr])
				softirq_action[nr]();
		}
	}
	softirq_running = false;
	return runs;
}

void net_bh_disable(void)
{
	bh_depth++;
}

void net_bh_enable(void)
{
	if (--bh_depth == 0 && softirq_pending)
		host_run_softirqs(0);
}

unsigned long net_irq_save(void)
{
	return 0;
}

void net_irq_restore(unsigned long flags)
{
	(void)flags;
}

void host_clock_tick(uint64_t ns)
{
	now_ns += ns;
}

void host_clock_advance(uint64_t ns)
{
	uint64_t target = now_ns + ns;
	struct net_timer *t;

	while ((t = timer_head) != NULL && t->expires_ns <= target) {
		timer_unlink(t);
		if (t->expires_ns > now_ns)
			now_ns = t->expires_ns;
		/* The kernel runs timers in the TIMER softirq: what they raise
		 * runs after them, never inside them. */
		bh_depth++;
		t->fn(t);
		bh_depth--;
		host_run_softirqs(0);
	}
	now_ns = target;
	host_run_softirqs(0);
}

void net_waitq_init(struct net_waitq *wq)
{
	wq->impl[0] = NULL;
}

/* Counts wakeups in impl[0], for tests that want to see them. */
void net_wake_up(struct net_waitq *wq)
{
	wq->impl[0] = (void *)((uintptr_t)wq->impl[0] + 1);
}

void host_set_wait_hook(void (*fn)(void *ctx), void *ctx)
{
	wait_hook = fn;
	wait_hook_ctx = ctx;
}

/* One "sleep" of a blocked thread, with bottom halves enabled: the armed
 * hook if any (one-shot), else pending softirqs, else the clock jumps to
 * the next timer or the deadline, whichever comes first. */
static void host_wait_step(uint64_t deadline_ns)
{
	void (*hook)(void *) = wait_hook;

	if (hook) {
		wait_hook = NULL;
		hook(wait_hook_ctx);
	} else if (softirq_pending) {
		host_run_softirqs(0);
	} else if (timer_head && (!deadline_ns || timer_head->expires_ns < deadline_ns)) {
		host_clock_advance(timer_head->expires_ns > now_ns ?
				   timer_head->expires_ns - now_ns : 0);
	} else if (deadline_ns) {
		host_clock_advance(deadline_ns - now_ns);
	} else {
		fprintf(stderr, "net_wait: would sleep forever (no timer, no deadline)\n");
		abort();
	}
}

int net_wait(struct net_waitq *wq, bool (*cond)(void *arg), void *arg, uint64_t deadline_ns)
{
	(void)wq;
	for (;;) {
		if (cond(arg))
			return 0;
		if (deadline_ns && now_ns >= deadline_ns)
			return -ETIMEDOUT;
		bh_depth--;
		host_wait_step(deadline_ns);
		bh_depth++;
		wait_sleeps++;
	}
}

uint64_t host_wait_sleeps(void)
{
	return wait_sleeps;
}

/* splitmix64: deterministic, so failures reproduce. */
uint32_t net_random_u32(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return (uint32_t)((z ^ (z >> 31)) >> 32);
}

void net_random_bytes(void *buf, size_t len)
{
	unsigned char *p = buf;
	uint32_t r;

	while (len) {
		size_t n = len < 4 ? len : 4;

		r = net_random_u32();
		memcpy(p, &r, n);
		p += n;
		len -= n;
	}
}

void host_random_seed(uint64_t seed)
{
	rng_state = seed;
}

void net_log(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(log_last, sizeof(log_last), fmt, ap);
	va_end(ap);
	if (level <= log_level)
		fprintf(stderr, "net<%d>: %s\n", level, log_last);
}

void host_log_level(int level)
{
	log_level = level;
}

const char *host_log_last(void)
{
	return log_last;
}

void host_platform_reset(void)
{
	while (timer_head)
		timer_unlink(timer_head);
	softirq_pending = 0;
	bh_depth = 0;
	fail_after = -1;
	fail_larger = 0;
	wait_hook = NULL;
}
