/*
 * The TSC frequency as the platform reports it, so that boot need not
 * measure it: a hypervisor's timing leaf, KVM's pvclock, CPUID leaf 0x15
 * or 0x16.  Kernel-independent (CPUID and the pvclock read come in as
 * functions) so tests/host can feed it the tables of real platforms.
 */
#ifndef SYNACK_KERNEL_ARCH_X86_64_TSC_FREQ_H
#define SYNACK_KERNEL_ARCH_X86_64_TSC_FREQ_H

#include <stdint.h>

struct cpuid_regs {
	uint32_t a, b, c, d;
};

#define MSR_KVM_SYSTEM_TIME	0x12u
#define MSR_KVM_SYSTEM_TIME_NEW	0x4b564d01u

struct tsc_freq_ops {
	void (*cpuid)(uint32_t leaf, uint32_t sub, struct cpuid_regs *r);
	/* Registers a pvclock area through `msr`, reads its scale, turns it
	 * off again: the TSC kHz it implies, 0 if it gave none. */
	uint64_t (*pvclock_khz)(uint32_t msr);
};

/* kHz and the name of its source, or 0 when nothing reports it. */
uint64_t tsc_khz_reported(const struct tsc_freq_ops *ops, const char **src);

/* The TSC kHz implied by a pvclock scale: ns = (tsc << shift) * mul >> 32
 * (a negative shift shifts right). */
uint64_t pvclock_tsc_khz(uint32_t mul, int8_t shift);

#endif
