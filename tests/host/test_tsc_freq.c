/*
 * tsc_khz_reported() against CPUID tables of the platforms synack boots
 * on: QEMU's TCG (nothing reported: the PIT it is), KVM with pvclock (at
 * 0x40000000, or at 0x40000100 behind Hyper-V's leaves), a hypervisor
 * timing leaf, bare metal with leaf 0x15 or only 0x16.  pvclock_tsc_khz()
 * against scales computed the way KVM computes them.
 */
#include "kernel/arch/x86_64/tsc_freq.h"

#include "check.h"

#define MAX_LEAVES 16

struct leaf {
	uint32_t leaf;
	struct cpuid_regs r;
};

static struct leaf table[MAX_LEAVES];
static int table_len;
static uint32_t pvclock_msr;		/* the MSR the last pvclock read used */
static uint64_t pvclock_result;

static void fake_cpuid(uint32_t leaf, uint32_t sub, struct cpuid_regs *r)
{
	(void)sub;
	for (int i = 0; i < table_len; i++)
		if (table[i].leaf == leaf) {
			*r = table[i].r;
			return;
		}
	*r = (struct cpuid_regs){ 0 };
}

static uint64_t fake_pvclock(uint32_t msr)
{
	pvclock_msr = msr;
	return pvclock_result;
}

static const struct tsc_freq_ops ops = { fake_cpuid, fake_pvclock };

static void set_table(const struct leaf *l, int n)
{
	for (int i = 0; i < n; i++)
		table[i] = l[i];
	table_len = n;
	pvclock_msr = 0;
}

#define HV (1u << 31)
#define KVM_SIG 0x4b4d564b, 0x564b4d56, 0x0000004d
#define TCG_SIG 0x54474354, 0x43544743, 0x47435447

static const char *src;

static uint64_t reported(const struct leaf *l, int n)
{
	set_table(l, n);
	src = NULL;
	return tsc_khz_reported(&ops, &src);
}

static void test_tcg_reports_nothing(void)
{
	/* QEMU 7.2 TCG, -cpu max: max basic leaf 0xd, no frequency anywhere. */
	const struct leaf l[] = {
		{ 0, { 0xd, 0, 0, 0 } }, { 1, { 0, 0, HV, 0 } },
		{ 0x40000000, { 0x40000001, TCG_SIG } },
	};

	CHECK_EQ(reported(l, 3), 0);
	CHECK(src == NULL);
	CHECK_EQ(pvclock_msr, 0);
}

static void test_kvm_pvclock(void)
{
	const struct leaf l[] = {
		{ 0, { 0xd, 0, 0, 0 } }, { 1, { 0, 0, HV, 0 } },
		{ 0x40000000, { 0x40000001, KVM_SIG } },
		{ 0x40000001, { 0x01000000 | (1u << 3) | 1u, 0, 0, 0 } },
	};

	pvclock_result = 2995200;
	CHECK_EQ(reported(l, 4), 2995200);
	CHECK_STR(src, "kvmclock");
	CHECK_EQ(pvclock_msr, MSR_KVM_SYSTEM_TIME_NEW);
}

static void test_kvm_old_clocksource(void)
{
	const struct leaf l[] = {
		{ 0, { 0xd, 0, 0, 0 } }, { 1, { 0, 0, HV, 0 } },
		{ 0x40000000, { 0x40000001, KVM_SIG } },
		{ 0x40000001, { 1u, 0, 0, 0 } },
	};

	pvclock_result = 1800000;
	CHECK_EQ(reported(l, 4), 1800000);
	CHECK_EQ(pvclock_msr, MSR_KVM_SYSTEM_TIME);
}

static void test_kvm_behind_hyperv(void)
{
	/* Hyper-V's "Microsoft Hv" at 0x40000000, KVM's leaves at 0x40000100. */
	const struct leaf l[] = {
		{ 0, { 0xd, 0, 0, 0 } }, { 1, { 0, 0, HV, 0 } },
		{ 0x40000000, { 0x4000000b, 0x7263694d, 0x666f736f, 0x76482074 } },
		{ 0x40000100, { 0x40000101, KVM_SIG } },
		{ 0x40000101, { 1u << 3, 0, 0, 0 } },
	};

	pvclock_result = 3400000;
	CHECK_EQ(reported(l, 5), 3400000);
	CHECK_EQ(pvclock_msr, MSR_KVM_SYSTEM_TIME_NEW);
}

static void test_kvm_without_clocksource_falls_to_cpuid(void)
{
	/* No pvclock feature, but the host's leaf 0x15 passed through. */
	const struct leaf l[] = {
		{ 0, { 0x16, 0, 0, 0 } }, { 1, { 0, 0, HV, 0 } },
		{ 0x15, { 2, 208, 24000000, 0 } },
		{ 0x40000000, { 0x40000001, KVM_SIG } },
		{ 0x40000001, { 0, 0, 0, 0 } },
	};

	CHECK_EQ(reported(l, 5), 2496000);
	CHECK_STR(src, "cpuid 0x15");
	CHECK_EQ(pvclock_msr, 0);
}

static void test_pvclock_giving_nothing_falls_through(void)
{
	const struct leaf l[] = {
		{ 0, { 0xd, 0, 0, 0 } }, { 1, { 0, 0, HV, 0 } },
		{ 0x40000000, { 0x40000001, KVM_SIG } },
		{ 0x40000001, { 1u << 3, 0, 0, 0 } },
	};

	pvclock_result = 0;
	CHECK_EQ(reported(l, 4), 0);
	CHECK_EQ(pvclock_msr, MSR_KVM_SYSTEM_TIME_NEW);
}

static void test_timing_leaf(void)
{
	/* VMware, or QEMU with vmware-cpuid-freq: EAX kHz, EBX APIC bus kHz. */
	const struct leaf l[] = {
		{ 0, { 0xd, 0, 0, 0 } }, { 1, { 0, 0, HV, 0 } },
		{ 0x40000000, { 0x40000010, KVM_SIG } },
		{ 0x40000001, { 1u << 3, 0, 0, 0 } },
		{ 0x40000010, { 2596096, 1000000, 0, 0 } },
	};

	CHECK_EQ(reported(l, 5), 2596096);
	CHECK_STR(src, "cpuid 0x40000010");
	CHECK_EQ(pvclock_msr, 0);
}

static void test_bare_metal(void)
{
	/* Skylake server: 25 MHz crystal, ratio 168/2; leaf 0x16 says 2100. */
	const struct leaf skx[] = {
		{ 0, { 0x16, 0, 0, 0 } }, { 1, { 0, 0, 0, 0 } },
		{ 0x15, { 2, 168, 25000000, 0 } }, { 0x16, { 2100, 3700, 100, 0 } },
	};
	/* A client part whose leaf 0x15 leaves the crystal out: 0x16 it is. */
	const struct leaf client[] = {
		{ 0, { 0x16, 0, 0, 0 } }, { 1, { 0, 0, 0, 0 } },
		{ 0x15, { 2, 176, 0, 0 } }, { 0x16, { 2200, 4000, 100, 0 } },
	};
	/* An older CPU without either leaf. */
	const struct leaf old[] = { { 0, { 0xb, 0, 0, 0 } }, { 1, { 0, 0, 0, 0 } } };

	CHECK_EQ(reported(skx, 4), 2100000);
	CHECK_STR(src, "cpuid 0x15");
	CHECK_EQ(reported(client, 4), 2200000);
	CHECK_STR(src, "cpuid 0x16");
	CHECK_EQ(reported(old, 2), 0);
	/* Leaves above the maximum are not believed. */
	const struct leaf capped[] = {
		{ 0, { 0x14, 0, 0, 0 } }, { 1, { 0, 0, 0, 0 } },
		{ 0x15, { 2, 168, 25000000, 0 } },
	};
	CHECK_EQ(reported(capped, 3), 0);
}

/* KVM's scale for a TSC of khz (kvm_get_time_scale(NSEC_PER_SEC, hz)):
 * shift so that the ratio lands in [0.5, 1), then mul = ratio * 2^32. */
static void kvm_scale(uint64_t khz, uint32_t *mul, int8_t *shift)
{
	uint64_t scaled = 1000000000ull, base = khz * 1000;
	int s = 0;

	while (base > scaled * 2) {
		base >>= 1;
		s--;
	}
	while (base <= scaled) {
		base <<= 1;
		s++;
	}
	*mul = (uint32_t)((scaled << 32) / base);
	*shift = (int8_t)s;
}

static void test_pvclock_scale(void)
{
	const uint64_t khz[] = { 800000, 1000000, 1999999, 2596096, 3700000, 5000000 };

	for (unsigned i = 0; i < sizeof(khz) / sizeof(khz[0]); i++) {
		uint32_t mul;
		int8_t shift;
		uint64_t got;

		kvm_scale(khz[i], &mul, &shift);
		got = pvclock_tsc_khz(mul, shift);
		CHECK(got + 1 >= khz[i] && got <= khz[i] + 1);
	}
	CHECK_EQ(pvclock_tsc_khz(0, 0), 0);
}

int main(void)
{
	test_tcg_reports_nothing();
	test_kvm_pvclock();
	test_kvm_old_clocksource();
	test_kvm_behind_hyperv();
	test_kvm_without_clocksource_falls_to_cpuid();
	test_pvclock_giving_nothing_falls_through();
	test_timing_leaf();
	test_bare_metal();
	test_pvclock_scale();
	return check_report();
}
