/*
 * TSC clock; its frequency is found once at boot (time_init.c).
 * now_ns() scales with a 32.32 fixed-point multiplier so the hot path has
 * no division.
 */
#include "kernel/time.h"

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/kernel.h"

volatile uint64_t jiffies;

static uint64_t tsc_base;
static uint64_t tsc_freq_khz;
static uint64_t ns_mult;	/* ns per tick, 32.32 fixed point */
static uint64_t boot_tsc;

uint64_t now_ns(void)
{
	if (!ns_mult)
		return 0;
	uint64_t d = rdtsc() - tsc_base;
	return (uint64_t)(((unsigned __int128)d * ns_mult) >> 32);
}

uint64_t tsc_khz(void)
{
	return tsc_freq_khz;
}

/* Keep the stamps continuous: boot time counts from the first rdtsc. */
void time_set_tsc_khz(uint64_t khz)
{
	tsc_freq_khz = khz;
	tsc_base = 0;
	ns_mult = (1000000ull << 32) / khz;
}

void time_set_boot_tsc(uint64_t tsc)
{
	boot_tsc = tsc;
}

uint64_t time_since_boot_us(void)
{
	if (!tsc_freq_khz)
		return 0;
	return (rdtsc() - boot_tsc) * 1000 / tsc_freq_khz;
}

void udelay(uint64_t us)
{
	uint64_t end = rdtsc() + us * tsc_freq_khz / 1000;

	while (rdtsc() < end)
		cpu_relax();
}
