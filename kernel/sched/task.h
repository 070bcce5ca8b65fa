/*
 * struct task and the scheduler's internal interface, shared by sched.c
 * (threads, run queue, context switch, idle) and wait.c (wait queues,
 * timed sleeps).  Not for use outside kernel/sched/.
 *
 * States: RUNNING is runnable or on the CPU (then it is `current` and not
 * on the run queue); SLEEPING is waiting for wake_up_task(); DEAD has
 * exited and waits for its stack to be freed by the next task to run.
 * State changes happen with interrupts disabled.
 */
#ifndef SYNACK_KERNEL_SCHED_TASK_H
#define SYNACK_KERNEL_SCHED_TASK_H

#include <stddef.h>
#include <stdint.h>

#include "kernel/timer.h"

enum task_state {
	TASK_RUNNING,
	TASK_SLEEPING,
	TASK_DEAD,
};

#define TASK_NAME_LEN	16

struct task {
	uint64_t rsp;			/* saved stack pointer while switched out */
	enum task_state state;
	struct task *next;		/* run queue or zombie list */
	void (*fn)(void *arg);
	void *arg;
	void *stack;			/* base of the guarded stack; NULL for idle */
	struct timer_list timeout;	/* wakes it at a schedule_until deadline */
	uint64_t switches;		/* times it was switched to */
	char name[TASK_NAME_LEN];
};

/* Saves callee-saved registers and %rsp into *save_rsp, loads next_rsp and
 * returns on the other task's stack (kernel/sched/switch.S). */
void sched_switch(uint64_t *save_rsp, uint64_t next_rsp);

/* Marks the current task as about to sleep; a wake_up_task() from now on
 * turns it back to RUNNING and makes the coming schedule() return soon. */
void sched_set_sleeping(void);

#endif
