/*
 * Test-side controls of the host implementation of net/platform.h
 * (net_platform_host.c): a clock the test moves, timers that fire when it
 * moves, softirqs the test drains, blocking waits that move the clock,
 * allocation accounting and failure injection, captured log lines.
 */
#ifndef SYNACK_TESTS_HOST_NET_PLATFORM_HOST_H
#define SYNACK_TESTS_HOST_NET_PLATFORM_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Moves the clock forward by ns, firing due timers in expiry order (the
 * clock reads each timer's expiry while its callback runs), then runs
 * pending softirqs. */
void host_clock_advance(uint64_t ns);
/* Moves the clock without firing anything (for use inside a callback,
 * e.g. a NAPI poll that "takes time"). */
void host_clock_tick(uint64_t ns);

/* Runs pending NET_TX / NET_RX actions until none is pending (at most
 * max_rounds rounds; 0 means 1000).  Returns the number of action runs. */
unsigned int host_run_softirqs(unsigned int max_rounds);
bool host_softirq_pending(void);
/* How many times each action ran since start (NET_SOFTIRQ_TX, _RX). */
uint64_t host_softirq_runs(int which);

struct host_alloc_stats {
	uint64_t alloc_alive;		/* net_alloc blocks */
	uint64_t alloc_bytes;
	uint64_t cache_alive;		/* net_cache objects, all caches */
	uint64_t failures;		/* injected failures */
	uint64_t timers_pending;
};
void host_alloc_stats(struct host_alloc_stats *st);
/* The next n allocations (net_alloc or net_cache_alloc) succeed, then all
 * fail until host_alloc_fail_after(-1). */
void host_alloc_fail_after(long n);
/* net_alloc or net_alloc_uninit of more than n bytes fails (a block that
 * large cannot be had), until host_alloc_fail_larger(0). */
void host_alloc_fail_larger(size_t n);

/* Log lines at or below this level go to stderr (default 3). */
void host_log_level(int level);
/* The last line logged (any level), "" if none. */
const char *host_log_last(void);

void host_random_seed(uint64_t seed);

/* Blocking calls (net_wait) never sleep on the host: while the condition
 * is false they run pending softirqs, else move the clock to the next
 * timer or the deadline; with neither the test aborts ("would sleep
 * forever").  An armed hook runs instead, once, at the next such step:
 * it plays another thread acting while the caller is blocked (inject a
 * frame, close the socket).  host_wait_sleeps counts the steps. */
void host_set_wait_hook(void (*fn)(void *ctx), void *ctx);
uint64_t host_wait_sleeps(void);

/* Forgets every pending timer and softirq (between test cases). */
void host_platform_reset(void);

#endif
