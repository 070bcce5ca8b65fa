/*
 * TSC clock.  The frequency comes from CPUID leaf 0x15 (crystal ratio) or
 * 0x16 when the CPU reports them, else from counting TSC ticks across
 * PIT channel 2 one-shots of 10 ms until two agree (tsc_khz_calibrate_pit).
 * now_ns() scales with a 32.32 fixed-point multiplier so the hot path has
 * no division.
 */
#include "kernel/time.h"

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/kernel.h"
#include "kernel/printk.h"

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

static uint64_t tsc_khz_from_cpuid(void)
{
	uint32_t a, b, c, d, max;

	cpuid(0, 0, &max, &b, &c, &d);
	if (max >= 0x15) {
		cpuid(0x15, 0, &a, &b, &c, &d);
		if (a && b && c)
			return (uint64_t)c * b / a / 1000;
	}
	if (max >= 0x16) {
		cpuid(0x16, 0, &a, &b, &c, &d);
		if (a)
			return (uint64_t)a * 1000;	/* base MHz */
	}
	return 0;
}

#define PIT_HZ 1193182u

/* Gate PIT channel 2 for `ms` and count TSC ticks until it expires. */
static uint64_t tsc_khz_from_pit(unsigned ms)
{
	uint32_t count = PIT_HZ * ms / 1000;
	uint64_t t0, t1;

	outb(0x61, (inb(0x61) & ~0x02) | 0x01);	/* gate on, speaker off */
	outb(0x43, 0xb0);			/* ch2, lobyte/hibyte, mode 0 */
	outb(0x42, count & 0xff);
	outb(0x42, count >> 8);
	outb(0x61, inb(0x61) & ~0x01);		/* restart the count */
	outb(0x61, inb(0x61) | 0x01);
	t0 = rdtsc();
	while (!(inb(0x61) & 0x20))
		cpu_relax();
	t1 = rdtsc();
	return (t1 - t0) / ms;
}

#define PIT_TRIES	5
#define PIT_WINDOW_MS	10

static bool khz_agree(uint64_t a, uint64_t b)
{
	uint64_t d = a > b ? a - b : b - a;

	return d <= (a < b ? a : b) / 256;
}

/* One window can be wrong by far: a vCPU of a loaded host that stalls
 * inside it gave 8 to 200 GHz under QEMU's TCG, and every timer of the
 * stack then ran that many times slow.  Two windows that agree within
 * 1/256 are believed; failing that, the median of all of them. */
static uint64_t tsc_khz_calibrate_pit(void)
{
	uint64_t s[PIT_TRIES];

	for (unsigned n = 0; n < PIT_TRIES; n++) {
		s[n] = tsc_khz_from_pit(PIT_WINDOW_MS);
		for (unsigned i = 0; i < n; i++)
			if (khz_agree(s[i], s[n]))
				return (s[i] + s[n]) / 2;
	}
	for (unsigned i = 1; i < PIT_TRIES; i++)	/* insertion sort, 5 values */
		for (unsigned j = i; j && s[j - 1] > s[j]; j--) {
			uint64_t t = s[j];

			s[j] = s[j - 1];
			s[j - 1] = t;
		}
	pr_warn("time: PIT calibration windows disagree, taking their median\n");
	return s[PIT_TRIES / 2];
}

void time_init(void)
{
	const char *src = "cpuid";

	tsc_freq_khz = tsc_khz_from_cpuid();
	if (!tsc_freq_khz) {
		tsc_freq_khz = tsc_khz_calibrate_pit();
		src = "pit";
	}
	/* Keep the stamps continuous: boot time counts from the first rdtsc. */
	tsc_base = 0;
	ns_mult = (1000000ull << 32) / tsc_freq_khz;
	pr_info("time: tsc %lu.%03lu MHz (%s)\n", (unsigned long)(tsc_freq_khz / 1000),
		(unsigned long)(tsc_freq_khz % 1000), src);
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
