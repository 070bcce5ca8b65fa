/*
 * The tick: the LAPIC timer interrupts HZ times a second and each
 * interrupt calls timer_tick() (kernel/timer.c) in hard-IRQ context.
 * lapic_timer_setup.c picks the mode at boot.
 *
 * In TSC-deadline mode the timer fires when the TSC reaches
 * IA32_TSC_DEADLINE, and the handler re-arms it one tick period after the
 * previous deadline, so ticks stay on the TSC's grid; a tick that comes
 * too late to keep that grid (a long interrupts-off section, an emulator
 * stall) is dropped rather than replayed in a burst.
 */
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/irq.h"
#include "kernel/arch/x86_64/lapic.h"
#include "kernel/arch/x86_64/vectors.h"
#include "kernel/timer.h"

static uint64_t tsc_per_tick;
static uint64_t next_deadline;

static void tsc_deadline_rearm(void)
{
	uint64_t now = rdtsc();

	next_deadline += tsc_per_tick;
	if ((int64_t)(next_deadline - now) <= 0)
		next_deadline = now + tsc_per_tick;
	wrmsr(MSR_TSC_DEADLINE, next_deadline);
}

static void lapic_timer_interrupt(void *arg)
{
	(void)arg;
	if (tsc_per_tick)
		tsc_deadline_rearm();
	timer_tick();
}

void lapic_timer_irq_install(void)
{
	irq_install_fixed(VECTOR_LAPIC_TIMER, lapic_timer_interrupt, NULL);
}

void lapic_timer_deadline_start(uint64_t tsc_cycles_per_tick)
{
	tsc_per_tick = tsc_cycles_per_tick;
	next_deadline = rdtsc();
	tsc_deadline_rearm();
}
