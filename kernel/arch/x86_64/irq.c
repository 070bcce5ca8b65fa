/*
 * Vector dispatch.  trap_common (trap_entry.S) calls trap_dispatch() for
 * every vector with interrupts off.  Exceptions go to traps.c; a vector
 * with a handler runs it between irq_enter() and irq_exit(), sending the
 * LAPIC EOI after the handler (which has quietened its device) and before
 * irq_exit() runs softirqs, so further interrupts can arrive meanwhile.
 * The spurious vector gets no EOI (the LAPIC did not set its ISR bit).
 * Anything else is unexpected: counted, logged at a falling rate, EOI'd
 * only if the LAPIC really has it in service, and otherwise ignored.
 *
 * The handler table is only changed with interrupts off; one CPU.
 */
#include "kernel/arch/x86_64/irq.h"

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/lapic.h"
#include "kernel/arch/x86_64/trap.h"
#include "kernel/arch/x86_64/vectors.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/softirq.h"

struct vector_slot {
	irq_handler_t handler;
	void *arg;
};

static struct vector_slot slots[NR_VECTORS];
static uint64_t counts[NR_VECTORS];
static uint64_t unexpected;

static bool is_power_of_two(uint64_t n)
{
	return n && !(n & (n - 1));
}

static void irq_unexpected(int vector)
{
	unexpected++;
	if (lapic_in_service(vector))
		lapic_eoi();
	if (is_power_of_two(counts[vector]))
		pr_warn("irq: unexpected vector %d (seen %lu times)\n", vector,
			(unsigned long)counts[vector]);
}

void trap_dispatch(struct trap_frame *tf)
{
	int vector = (int)(tf->vector & 0xff);
	const struct vector_slot *slot = &slots[vector];

	counts[vector]++;
	if (vector < NR_EXCEPTIONS) {
		exception_handle(tf);
	} else if (vector == VECTOR_SPURIOUS) {
		return;
	} else if (slot->handler) {
		irq_enter();
		slot->handler(slot->arg);
		lapic_eoi();
		irq_exit();
	} else {
		irq_unexpected(vector);
	}
}

void irq_install_fixed(int vector, irq_handler_t handler, void *arg)
{
	unsigned long flags = irq_save();

	slots[vector] = (struct vector_slot){ handler, arg };
	irq_restore(flags);
}

int irq_alloc_vector(irq_handler_t handler, void *arg)
{
	unsigned long flags;
	int found = -ENOSPC;

	if (!handler)
		return -EINVAL;
	flags = irq_save();
	for (int v = VECTOR_DEVICE_FIRST; v <= VECTOR_DEVICE_LAST; v++) {
		if (!slots[v].handler) {
			slots[v] = (struct vector_slot){ handler, arg };
			found = v;
			break;
		}
	}
	irq_restore(flags);
	return found;
}

void irq_free_vector(int vector)
{
	if (vector >= VECTOR_DEVICE_FIRST && vector <= VECTOR_DEVICE_LAST)
		irq_install_fixed(vector, NULL, NULL);
}

uint64_t irq_count(int vector)
{
	return vector >= 0 && vector < NR_VECTORS ? counts[vector] : 0;
}

uint64_t irq_unexpected_count(void)
{
	return unexpected;
}
