/*
 * Where the TSC frequency is written down.  Under a hypervisor its word
 * comes first: a guest's TSC may be scaled, so the host CPU's leaf 0x15
 * (passed through) can be wrong for it, while the hypervisor's timing leaf
 * 0x40000010 (VMware's, also QEMU's with vmware-cpuid-freq) and KVM's
 * pvclock scale describe the guest's own TSC.  Bare metal: leaf 0x15
 * (crystal clock times the TSC/crystal ratio), else 0x16 (base MHz).
 */
#include "kernel/arch/x86_64/tsc_freq.h"

#include <stdbool.h>

#define CPUID1_ECX_HYPERVISOR		(1u << 31)
#define HV_LEAF_FIRST			0x40000000u
#define HV_LEAF_LAST			0x4000ff00u
#define HV_LEAF_TIMING			0x40000010u
#define KVM_FEATURE_CLOCKSOURCE		(1u << 0)
#define KVM_FEATURE_CLOCKSOURCE2	(1u << 3)

uint64_t pvclock_tsc_khz(uint32_t mul, int8_t shift)
{
	uint64_t khz;

	if (!mul)
		return 0;
	khz = (1000000ull << 32) / mul;
	return shift < 0 ? khz << -shift : khz >> shift;
}

static bool is_kvm(const struct cpuid_regs *r)
{
	/* "KVMKVMKVM\0\0\0" */
	return r->b == 0x4b4d564b && r->c == 0x564b4d56 && r->d == 0x0000004d;
}

/* KVM publishes its leaves at 0x40000000 or, behind another interface
 * such as Hyper-V's, at a later multiple of 0x100. */
static uint64_t kvm_tsc_khz(const struct tsc_freq_ops *ops)
{
	struct cpuid_regs r;

	for (uint32_t base = HV_LEAF_FIRST; base <= HV_LEAF_LAST; base += 0x100) {
		ops->cpuid(base, 0, &r);
		if (!is_kvm(&r))
			continue;
		ops->cpuid(base + 1, 0, &r);
		if (r.a & KVM_FEATURE_CLOCKSOURCE2)
			return ops->pvclock_khz(MSR_KVM_SYSTEM_TIME_NEW);
		if (r.a & KVM_FEATURE_CLOCKSOURCE)
			return ops->pvclock_khz(MSR_KVM_SYSTEM_TIME);
		return 0;
	}
	return 0;
}

static uint64_t hypervisor_tsc_khz(const struct tsc_freq_ops *ops, const char **src)
{
	struct cpuid_regs r;
	uint64_t khz;

	ops->cpuid(HV_LEAF_FIRST, 0, &r);
	if (r.a >= HV_LEAF_TIMING && r.a < HV_LEAF_FIRST + 0x100) {
		ops->cpuid(HV_LEAF_TIMING, 0, &r);
		if (r.a) {
			*src = "cpuid 0x40000010";
			return r.a;
		}
	}
	khz = kvm_tsc_khz(ops);
	if (khz)
		*src = "kvmclock";
	return khz;
}

uint64_t tsc_khz_reported(const struct tsc_freq_ops *ops, const char **src)
{
	struct cpuid_regs r;
	uint32_t max;
	uint64_t khz;

	ops->cpuid(1, 0, &r);
	if (r.c & CPUID1_ECX_HYPERVISOR) {
		khz = hypervisor_tsc_khz(ops, src);
		if (khz)
			return khz;
	}
	ops->cpuid(0, 0, &r);
	max = r.a;
	if (max >= 0x15) {
		ops->cpuid(0x15, 0, &r);
		if (r.a && r.b && r.c) {
			*src = "cpuid 0x15";
			return (uint64_t)r.c * r.b / r.a / 1000;
		}
	}
	if (max >= 0x16) {
		ops->cpuid(0x16, 0, &r);
		if (r.a) {
			*src = "cpuid 0x16";
			return (uint64_t)r.a * 1000;
		}
	}
	return 0;
}
