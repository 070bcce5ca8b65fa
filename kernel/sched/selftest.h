/*
 * test=sched: threads, wait queues, timers and softirqs checked in the
 * booted kernel.  sched_selftest() starts a controller thread (call it
 * after softirq_init(), before sched_start()); the controller runs:
 *   - two threads ping-ponging through one wait queue, one of them with
 *     wait_event_timeout, which must then time out at about its deadline
 *   - a wake_up from softirq context landing between prepare_to_wait and
 *     the sleep: schedule_until must not sleep through it
 *   - sleep_ns accuracy (printed; never early)
 *   - timers firing in expiry order, never before their jiffy
 *   - the cooperative rule: a busy thread is not switched away from,
 *     though interrupts and softirqs run on top of it
 *   - a softirq that re-raises itself: the budget defers it to ksoftirqd,
 *     the counters show it, and a sleeping thread still wakes on time
 * and prints "sched-selftest: ok" or "sched-selftest: FAIL <what>", then
 * leaves QEMU through isa-debug-exit (0 on success).
 */
#ifndef SYNACK_KERNEL_SCHED_SELFTEST_H
#define SYNACK_KERNEL_SCHED_SELFTEST_H

void sched_selftest(void);

#endif
