/*
 * Kernel threads and wait queues.
 *
 * Preemption rule: threads are cooperative.  A thread runs until it
 * blocks on a wait queue, sleeps or yields; interrupts and softirqs run on
 * top of whichever thread is current but never switch threads themselves.
 * A wake_up() from IRQ or softirq context only makes the sleeper runnable;
 * it runs at the next schedule point.  With one CPU this means thread code
 * needs no locks against other threads, only local_bh_disable() against
 * softirqs.  When nothing is runnable the idle loop halts the CPU.
 */
#ifndef SYNACK_KERNEL_SCHED_SCHED_H
#define SYNACK_KERNEL_SCHED_SCHED_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/errno.h"
#include "kernel/time.h"

struct task;

/* Creates a runnable kernel thread on its own guarded 16 KiB stack; NULL on
 * no memory.  The pointer is valid until the thread exits (returning from
 * fn exits it). */
struct task *kthread_create(const char *name, void (*fn)(void *arg), void *arg);
struct task *current_task(void);
const char *task_name(const struct task *t);
void kthread_exit(void) __attribute__((noreturn));

/* Give up the CPU; returns when this task runs again.  Thread context only:
 * calling it from IRQ or softirq context or with bottom halves disabled
 * is a bug (BUG_ON). */
void schedule(void);
void yield(void);		/* stay runnable, let others run first */
void wake_up_task(struct task *t);
/* Sleep for at least `ns` nanoseconds (timer wheel). */
void sleep_ns(uint64_t ns);

/* Turns the boot flow into the idle task (enables interrupts); never returns. */
void sched_start(void) __attribute__((noreturn));
/* Makes the boot flow the current task; before kthread_create(). */
void sched_init(void);

struct wait_queue {
	struct wait_entry *head;
};

struct wait_entry {
	struct task *task;
	struct wait_entry *next;
};

#define WAIT_QUEUE_INIT { 0 }

void wait_queue_init(struct wait_queue *wq);
/* Wakes every waiter; callable from any context. */
void wake_up(struct wait_queue *wq);

/* Queues `we` (once; it needs no initialization) and marks the current
 * task sleeping; from here a wake_up() cannot be missed. */
void prepare_to_wait(struct wait_queue *wq, struct wait_entry *we);
/* Dequeues `we` and leaves the task running. */
void finish_wait(struct wait_queue *wq, struct wait_entry *we);
/* After prepare_to_wait(): sleeps unless already woken, until woken or
 * `deadline_ns` (now_ns() time, 0: none) passes; false on timeout.  A true
 * return may be spurious: callers re-test their condition. */
bool schedule_until(uint64_t deadline_ns);

/*
 * Sleep until `cond` holds; thread context only, bottom halves enabled.
 * `cond` is tested after prepare_to_wait() has queued the entry and marked
 * the task sleeping, so a wake_up() that lands between the test and the
 * sleep makes schedule_until() return at once: no wakeup is lost.  The
 * condition is re-tested after every wakeup.  Returns 0, or -ETIMEDOUT for
 * the _timeout form when `timeout_ns` (0: none) passed with `cond` still
 * false.
 */
#define wait_event(wq, cond) wait_event_timeout(wq, cond, 0)
#define wait_event_timeout(wq, cond, timeout_ns) ({ \
	struct wait_entry __we; \
	uint64_t __to = (timeout_ns); \
	uint64_t __dl = __to ? now_ns() + __to : 0; \
	int __ret = 0; \
	for (;;) { \
		prepare_to_wait(&(wq), &__we); \
		if (cond) \
			break; \
		if (!schedule_until(__dl) && !(cond)) { \
			__ret = -ETIMEDOUT; \
			break; \
		} \
	} \
	finish_wait(&(wq), &__we); \
	__ret; \
})

#endif
