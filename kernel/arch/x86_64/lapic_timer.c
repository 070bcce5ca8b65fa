/*
 * The tick: the LAPIC timer interrupts HZ times a second and each
 * interrupt calls timer_tick() (kernel/timer.c) in hard-IRQ context.
 *
 * Where CPUID advertises TSC-deadline mode the timer fires when the TSC
 * reaches IA32_TSC_DEADLINE, and the handler re-arms it one tick period
 * after the previous deadline, so ticks stay on the TSC's grid; a tick
 * that comes too late to keep that grid (a long interrupts-off section,
 * an emulator stall) is dropped rather than replayed in a burst.
 * Otherwise the timer runs periodic with an initial count calibrated
 * against the TSC (now_ns()) over 1 ms windows until two agree.
 */
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/irq.h"
#include "kernel/arch/x86_64/lapic.h"
#include "kernel/arch/x86_64/vectors.h"
#include "kernel/kernel.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/time.h"
#include "kernel/timer.h"

#define CPUID1_ECX_TSC_DEADLINE	(1u << 24)
#define TIMER_DIVIDE_BY_16	0x3
#define TIMER_DIVISOR		16
#define CALIBRATE_NS		NSEC_PER_MSEC

static uint64_t tsc_per_tick;
static uint64_t next_deadline;

static bool cpu_has_tsc_deadline(void)
{
	uint32_t a, b, c, d;

	cpuid(1, 0, &a, &b, &c, &d);
	return c & CPUID1_ECX_TSC_DEADLINE;
}

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

/* Input clock of the timer after the divider, in Hz, over one window.
 * Both reads of each clock sit next to each other, so a stall of the vCPU
 * inside the window costs nothing; one between the two reads at either
 * end does, and calibrate_agreeing() throws that window out. */
static uint64_t lapic_timer_window(void)
{
	uint64_t t0, t1;
	uint32_t left;

	lapic_write(LAPIC_TIMER_DIVIDE, TIMER_DIVIDE_BY_16);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | VECTOR_LAPIC_TIMER);	/* one-shot */
	lapic_write(LAPIC_TIMER_INIT, UINT32_MAX);
	t0 = now_ns();
	while (now_ns() - t0 < CALIBRATE_NS)
		cpu_relax();
	left = lapic_read(LAPIC_TIMER_CURRENT);
	t1 = now_ns();
	lapic_write(LAPIC_TIMER_INIT, 0);
	return (uint64_t)(UINT32_MAX - left) * NSEC_PER_SEC / (t1 - t0);
}

static void lapic_timer_start_periodic(void)
{
	uint64_t hz = calibrate_agreeing(lapic_timer_window, "lapic timer");
	uint64_t count = hz / HZ;

	BUG_ON(count == 0 || count > UINT32_MAX);
	lapic_write(LAPIC_LVT_TIMER, LVT_TIMER_PERIODIC | VECTOR_LAPIC_TIMER);
	lapic_write(LAPIC_TIMER_INIT, (uint32_t)count);
	pr_info("lapic timer: periodic, %lu.%03lu MHz x%d, count %lu per tick\n",
		(unsigned long)(hz / 1000000), (unsigned long)(hz / 1000 % 1000),
		TIMER_DIVISOR, (unsigned long)count);
}

static void lapic_timer_start_deadline(void)
{
	tsc_per_tick = tsc_khz() * 1000 / HZ;
	lapic_write(LAPIC_LVT_TIMER, LVT_TIMER_TSC_DEADLINE | VECTOR_LAPIC_TIMER);
	/* SDM 10.5.4.1: order the xAPIC MMIO write before the MSR write. */
	__asm__ volatile("mfence" ::: "memory");
	next_deadline = rdtsc();
	tsc_deadline_rearm();
	pr_info("lapic timer: tsc-deadline, %lu tsc cycles per tick\n",
		(unsigned long)tsc_per_tick);
}

void lapic_timer_start(void)
{
	BUG_ON(!lapic_present() || !tsc_khz());
	irq_install_fixed(VECTOR_LAPIC_TIMER, lapic_timer_interrupt, NULL);
	if (cpu_has_tsc_deadline())
		lapic_timer_start_deadline();
	else
		lapic_timer_start_periodic();
}
