/*
 * Kernel threads, the FIFO run queue, schedule() and the idle task.
 *
 * Cooperative (see sched.h): only schedule() switches, and it refuses to
 * run from interrupt or softirq context or with bottom halves disabled, so
 * interrupts and softirqs always return to the thread they interrupted.
 * The boot flow is the idle task from sched_init() on; it is never on the
 * run queue and runs only when nothing else can.  In sched_start() it
 * halts the CPU, with the run queue checked under interrupts-off and
 * `sti; hlt` closing the gap.  Before that (initcalls), a blocking call in
 * the boot flow lets other threads run and otherwise busy-waits: schedule()
 * falls back to the idle task, which is the caller itself.
 *
 * Every switch happens inside schedule() with interrupts disabled; each
 * task restores its own interrupt flag when its schedule() returns.  An
 * exited task is put on the zombie list and freed by whichever task runs
 * after it, once its stack is no longer in use.
 */
#include "kernel/sched/sched.h"

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/kernel.h"
#include "kernel/lib/string.h"
#include "kernel/mm/slab.h"
#include "kernel/mm/vm.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/sched/task.h"
#include "kernel/softirq.h"

#define KTHREAD_STACK_SIZE	KiB(16)

static struct task idle_task = { .state = TASK_RUNNING, .name = "idle" };
static struct task *current = &idle_task;
static struct task *runq_head, *runq_tail;
static struct task *zombies;

static void runq_push(struct task *t)
{
	t->next = NULL;
	if (runq_tail)
		runq_tail->next = t;
	else
		runq_head = t;
	runq_tail = t;
}

static struct task *runq_pop(void)
{
	struct task *t = runq_head;

	if (t) {
		runq_head = t->next;
		if (!runq_head)
			runq_tail = NULL;
	}
	return t;
}

struct task *current_task(void)
{
	return current;
}

const char *task_name(const struct task *t)
{
	return t->name;
}

/* Frees exited tasks; runs on another task's stack, interrupts off. */
static void sched_reap(void)
{
	while (zombies) {
		struct task *t = zombies;

		zombies = t->next;
		kstack_free(t->stack, KTHREAD_STACK_SIZE);
		kfree(t);
	}
}

void schedule(void)
{
	BUG_ON(in_interrupt());
	unsigned long flags = irq_save();
	struct task *prev = current, *next;

	if (prev->state == TASK_RUNNING && prev != &idle_task)
		runq_push(prev);
	next = runq_pop();
	if (!next)
		next = &idle_task;
	if (next != prev) {
		current = next;
		next->switches++;
		sched_switch(&prev->rsp, next->rsp);
		sched_reap();
	}
	irq_restore(flags);
}

void yield(void)
{
	schedule();
}

void sched_set_sleeping(void)
{
	current->state = TASK_SLEEPING;
}

void wake_up_task(struct task *t)
{
	unsigned long flags = irq_save();

	if (t->state == TASK_SLEEPING) {
		t->state = TASK_RUNNING;
		/* The current task is between deciding to sleep and schedule();
		 * idle is never queued: it runs whenever the queue is empty. */
		if (t != current && t != &idle_task)
			runq_push(t);
	}
	irq_restore(flags);
}

/* A schedule_until() deadline passed: softirq context. */
static void task_timeout(struct timer_list *tl)
{
	struct task *t = from_timer(t, tl, timeout);

	wake_up_task(t);
}

void kthread_exit(void)
{
	BUG_ON(current == &idle_task);
	irq_disable();
	current->state = TASK_DEAD;
	current->next = zombies;
	zombies = current;
	schedule();
	panic("sched: dead task %s ran again", current->name);
}

/* First code of every thread: arrives from sched_switch's ret. */
static void __attribute__((noreturn)) kthread_entry(void)
{
	sched_reap();
	irq_enable();
	current->fn(current->arg);
	kthread_exit();
}

/* Lays out a switch frame so the first switch "returns" into kthread_entry. */
static uint64_t kthread_initial_rsp(void *stack)
{
	uint64_t *top = (uint64_t *)((char *)stack + KTHREAD_STACK_SIZE);

	top[-1] = 0;				/* kthread_entry's return address: ends backtraces */
	top[-2] = (uint64_t)kthread_entry;	/* 16-byte aligned, as after a call */
	for (int i = 3; i <= 8; i++)
		top[-i] = 0;			/* %rbp %rbx %r12-%r15 */
	return (uint64_t)&top[-8];
}

struct task *kthread_create(const char *name, void (*fn)(void *arg), void *arg)
{
	struct task *t = kzalloc(sizeof(*t));
	unsigned long flags;

	if (!t)
		return NULL;
	t->stack = kstack_alloc(KTHREAD_STACK_SIZE);
	if (!t->stack) {
		kfree(t);
		return NULL;
	}
	strlcpy(t->name, name, sizeof(t->name));
	t->fn = fn;
	t->arg = arg;
	t->rsp = kthread_initial_rsp(t->stack);
	timer_setup(&t->timeout, task_timeout);
	t->state = TASK_RUNNING;
	flags = irq_save();
	runq_push(t);
	irq_restore(flags);
	return t;
}

void sched_init(void)
{
	current = &idle_task;
	timer_setup(&idle_task.timeout, task_timeout);
}

void sched_start(void)
{
	irq_enable();
	for (;;) {
		irq_disable();
		if (!runq_head) {
			irq_enable();
			/* Console output waits for idle; a wakeup comes first. */
			if (console_idle_flush())
				continue;
			irq_disable();
			if (!runq_head)
				cpu_idle_halt();	/* sti; hlt: a wakeup's IRQ ends the halt */
			continue;
		}
		irq_enable();
		schedule();
	}
}
