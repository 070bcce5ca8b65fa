/*
 * The kernel side of the softirq port (softirq_port.h) and the ksoftirqd
 * thread, which runs softirqs that the irq_exit budget left over, and
 * those raised from thread context where no irq_exit was coming.
 *
 * ksoftirqd runs one budgeted round, then yields if work is left, so the
 * application runs between rounds; with nothing pending it sleeps on its
 * wait queue, which any context may wake.
 */
#include <stddef.h>

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/panic.h"
#include "kernel/sched/sched.h"
#include "kernel/softirq.h"
#include "kernel/softirq_port.h"
#include "kernel/time.h"

#define EFLAGS_IF	(1ul << 9)

static struct wait_queue ksoftirqd_wq = WAIT_QUEUE_INIT;

bool softirq_port_irq_save(void)
{
	return irq_save() & EFLAGS_IF;
}

void softirq_port_irq_restore(bool was_on)
{
	if (was_on)
		irq_enable();
}

void softirq_port_irq_enable(void)	{ irq_enable(); }
void softirq_port_irq_disable(void)	{ irq_disable(); }
uint64_t softirq_port_now_ns(void)	{ return now_ns(); }

void softirq_port_wake_ksoftirqd(void)
{
	wake_up(&ksoftirqd_wq);
}

static void ksoftirqd_main(void *arg)
{
	(void)arg;
	for (;;) {
		wait_event(ksoftirqd_wq, softirq_pending_any());
		if (softirq_run_ksoftirqd())
			yield();
	}
}

void softirq_init(void)
{
	if (!kthread_create("ksoftirqd", ksoftirqd_main, NULL))
		panic("softirq: cannot start ksoftirqd");
}
