/*
 * The tick's set-up at boot (the tick itself: lapic_timer.c).  Where CPUID
 * advertises TSC-deadline mode the timer runs on the TSC's grid;
 * otherwise it runs periodic with an initial count calibrated against the
 * TSC (now_ns()) over 1 ms windows until two agree.
 */
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/irq.h"
#include "kernel/arch/x86_64/lapic.h"
#include "kernel/arch/x86_64/vectors.h"
#include "kernel/kernel.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/time.h"

#define CPUID1_ECX_TSC_DEADLINE	(1u << 24)
#define TIMER_DIVIDE_BY_16	0x3
#define TIMER_DIVISOR		16
#define CALIBRATE_NS		NSEC_PER_MSEC

static bool cpu_has_tsc_deadline(void)
{
	uint32_t a, b, c, d;

	cpuid(1, 0, &a, &b, &c, &d);
	return c & CPUID1_ECX_TSC_DEADLINE;
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
	uint64_t tsc_per_tick = tsc_khz() * 1000 / HZ;

	lapic_write(LAPIC_LVT_TIMER, LVT_TIMER_TSC_DEADLINE | VECTOR_LAPIC_TIMER);
	/* SDM 10.5.4.1: order the xAPIC MMIO write before the MSR write. */
	__asm__ volatile("mfence" ::: "memory");
	lapic_timer_deadline_start(tsc_per_tick);
	pr_info("lapic timer: tsc-deadline, %lu tsc cycles per tick\n",
		(unsigned long)tsc_per_tick);
}

void lapic_timer_start(void)
{
	BUG_ON(!lapic_present() || !tsc_khz());
	lapic_timer_irq_install();
	if (cpu_has_tsc_deadline())
		lapic_timer_start_deadline();
	else
		lapic_timer_start_periodic();
}
