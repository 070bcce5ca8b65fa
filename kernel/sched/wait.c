/*
 * Wait queues and timed sleeps.
 *
 * No lost wakeups: prepare_to_wait() queues the entry and marks the task
 * SLEEPING before the caller tests its condition.  A wake_up() after that
 * point, from any context, sets the task back to RUNNING, and
 * schedule_until() then returns at once instead of sleeping.  Entries stay
 * queued across wakeups until finish_wait(), so a waiter that loops (as
 * wait_event does) calls prepare_to_wait() again on a queued entry; that is
 * detected by walking the queue, which also means an entry needs no
 * initialization.  Queues are short (one CPU, a handful of threads).
 *
 * Wakeups wake every waiter, in the order they queued.  Queue updates and
 * wakeups run with interrupts disabled.
 */
#include "kernel/sched/sched.h"

#include <stddef.h>

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/sched/task.h"

void wait_queue_init(struct wait_queue *wq)
{
	wq->head = NULL;
}

void prepare_to_wait(struct wait_queue *wq, struct wait_entry *we)
{
	unsigned long flags = irq_save();
	struct wait_entry **pp = &wq->head;

	while (*pp && *pp != we)
		pp = &(*pp)->next;
	if (!*pp) {
		we->task = current_task();
		we->next = NULL;
		*pp = we;
	}
	sched_set_sleeping();
	irq_restore(flags);
}

void finish_wait(struct wait_queue *wq, struct wait_entry *we)
{
	unsigned long flags = irq_save();
	struct wait_entry **pp = &wq->head;

	/* Woken or not, the task goes on running. */
	wake_up_task(current_task());
	while (*pp && *pp != we)
		pp = &(*pp)->next;
	if (*pp)
		*pp = we->next;
	irq_restore(flags);
}

void wake_up(struct wait_queue *wq)
{
	unsigned long flags = irq_save();

	for (struct wait_entry *we = wq->head; we; we = we->next)
		wake_up_task(we->task);
	irq_restore(flags);
}

bool schedule_until(uint64_t deadline_ns)
{
	struct task *self = current_task();
	unsigned long flags = irq_save();

	if (self->state != TASK_SLEEPING) {
		irq_restore(flags);
		return true;		/* woken since prepare_to_wait */
	}
	if (deadline_ns && now_ns() >= deadline_ns) {
		self->state = TASK_RUNNING;
		irq_restore(flags);
		return false;
	}
	if (deadline_ns)
		mod_timer_deadline(&self->timeout, deadline_ns);
	schedule();
	if (deadline_ns)
		del_timer(&self->timeout);
	irq_restore(flags);
	/* A tick a hair early reads as a spurious wakeup: callers re-check. */
	return !deadline_ns || now_ns() < deadline_ns;
}

void sleep_ns(uint64_t ns)
{
	uint64_t deadline = now_ns() + ns;

	/* Only the deadline timer wakes a bare sleeper; loop in case of a spurious one. */
	while (now_ns() < deadline) {
		sched_set_sleeping();
		schedule_until(deadline);
	}
}
