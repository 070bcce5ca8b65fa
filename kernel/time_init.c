/*
 * The TSC frequency, found once at boot: where the platform reports it
 * (arch/x86_64/tsc_freq.c: a hypervisor's timing leaf or KVM's pvclock,
 * CPUID leaf 0x15 or 0x16), else by counting TSC ticks across PIT channel
 * 2 one-shots until two agree (calibrate_agreeing).  Boot-only code, built
 * for size.
 */
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/tsc_freq.h"
#include "kernel/kernel.h"
#include "kernel/printk.h"
#include "kernel/time.h"

static void cpuid_regs(uint32_t leaf, uint32_t sub, struct cpuid_regs *r)
{
	cpuid(leaf, sub, &r->a, &r->b, &r->c, &r->d);
}

/* KVM's pvclock (Documentation/virt/kvm/x86/msr.rst in Linux): the host
 * fills this area once it is registered through the MSR; a reader retries
 * while the version is odd or changes under it. */
struct pvclock_vcpu_time_info {
	uint32_t version;
	uint32_t pad0;
	uint64_t tsc_timestamp;
	uint64_t system_time;
	uint32_t tsc_to_system_mul;
	int8_t tsc_shift;
	uint8_t flags;
	uint8_t pad[2];
} __attribute__((aligned(32)));

static uint64_t pvclock_read_khz(uint32_t msr)
{
	static struct pvclock_vcpu_time_info pv;
	uint32_t v, mul = 0;
	int8_t shift = 0;

	/* Kernel data is identity mapped: its address is the physical one. */
	wrmsr(msr, (uint64_t)(uintptr_t)&pv | 1);
	for (int tries = 0; tries < 1000; tries++) {
		v = __atomic_load_n(&pv.version, __ATOMIC_ACQUIRE);
		mul = pv.tsc_to_system_mul;
		shift = pv.tsc_shift;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (!(v & 1) && v == __atomic_load_n(&pv.version, __ATOMIC_RELAXED))
			break;
		mul = 0;
	}
	wrmsr(msr, 0);
	return pvclock_tsc_khz(mul, shift);
}

static const struct tsc_freq_ops tsc_freq_cpu_ops = {
	.cpuid = cpuid_regs,
	.pvclock_khz = pvclock_read_khz,
};

#define PIT_HZ 1193182u

#define PIT_WINDOW_MS	5

/* Gate PIT channel 2 for PIT_WINDOW_MS and count TSC ticks until it
 * expires. */
static uint64_t tsc_khz_pit_window(void)
{
	uint32_t count = PIT_HZ * PIT_WINDOW_MS / 1000;
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
	return (t1 - t0) / PIT_WINDOW_MS;
}

#define CALIBRATE_TRIES	5

static bool khz_agree(uint64_t a, uint64_t b)
{
	uint64_t d = a > b ? a - b : b - a;

	return d <= (a < b ? a : b) / 256;
}

/* One window can be wrong by far: a vCPU of a loaded host that stalls
 * inside it gave 8 to 200 GHz under QEMU's TCG, and every timer of the
 * stack then ran that many times slow.  Two windows that agree within
 * 1/256 are believed; failing that, the median of all of them. */
uint64_t calibrate_agreeing(uint64_t (*measure)(void), const char *what)
{
	uint64_t s[CALIBRATE_TRIES];

	for (unsigned n = 0; n < CALIBRATE_TRIES; n++) {
		s[n] = measure();
		for (unsigned i = 0; i < n; i++)
			if (khz_agree(s[i], s[n]))
				return (s[i] + s[n]) / 2;
	}
	for (unsigned i = 1; i < CALIBRATE_TRIES; i++)	/* insertion sort, 5 values */
		for (unsigned j = i; j && s[j - 1] > s[j]; j--) {
			uint64_t t = s[j];

			s[j] = s[j - 1];
			s[j - 1] = t;
		}
	pr_warn("%s: calibration windows disagree, taking their median\n", what);
	return s[CALIBRATE_TRIES / 2];
}

void time_init(void)
{
	const char *src = NULL;

	uint64_t khz = tsc_khz_reported(&tsc_freq_cpu_ops, &src);

	if (!khz) {
		khz = calibrate_agreeing(tsc_khz_pit_window, "time: PIT");
		src = "pit";
	}
	time_set_tsc_khz(khz);
	pr_info("time: tsc %lu.%03lu MHz (%s)\n", (unsigned long)(khz / 1000),
		(unsigned long)(khz % 1000), src);
}

