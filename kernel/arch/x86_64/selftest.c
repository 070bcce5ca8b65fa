/*
 * Boot self tests (selftest.h).  Thread context, after interrupts_init()
 * and lapic_timer_start(), interrupts on.
 *
 * test=fault: the address is canonical and far above any RAM the kernel
 * maps, so the write is a not-present #PF (a non-canonical address would
 * raise #GP instead).
 * test=irq: one vector each way in: a LAPIC self-IPI on an allocated
 * vector, the PIT through the I/O APIC (ISA IRQ 0, after the MADT
 * override), and a software interrupt on a vector nobody owns, which must
 * be counted as unexpected and survived.
 */
#include "kernel/arch/x86_64/selftest.h"

#include <stdint.h>

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/irq.h"
#include "kernel/arch/x86_64/lapic.h"
#include "kernel/kernel.h"
#include "kernel/params.h"
#include "kernel/printk.h"
#include "kernel/time.h"

#define SELFTEST_FAULT_ADDR	0x00000badc0ffee00ull
#define TICKS_WAIT		100
#define WAIT_TIMEOUT_NS		(2 * NSEC_PER_SEC)
#define UNOWNED_VECTOR		0x2f	/* the remapped 8259's last vector */
#define PIT_HZ			1193182u
#define PIT_TEST_IRQS		10

static void __attribute__((noinline)) selftest_fault(void)
{
	volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)SELFTEST_FAULT_ADDR;

	pr_info("selftest: writing to %p, expect a page fault\n", (void *)p);
	*p = 0x5a5a5a5a5a5a5a5aull;
	pr_err("selftest: the write to %p did not fault\n", (void *)p);
}

/* Spins with interrupts on until *counter reaches target or 2 s pass. */
static bool wait_for_count(const volatile uint64_t *counter, uint64_t target)
{
	uint64_t start = now_ns();

	while (*counter < target) {
		if (now_ns() - start > WAIT_TIMEOUT_NS)
			return false;
		cpu_relax();
	}
	return true;
}

static void selftest_ticks(void)
{
	uint64_t j0 = READ_ONCE(jiffies);

	pr_info("ticks: jiffies=%lu\n", (unsigned long)j0);
	if (!wait_for_count(&jiffies, j0 + TICKS_WAIT))
		pr_err("ticks: jiffies stuck at %lu after 2 s\n", (unsigned long)READ_ONCE(jiffies));
	else
		pr_info("ticks: jiffies=%lu\n", (unsigned long)READ_ONCE(jiffies));
}

static volatile uint64_t test_hits;

static void test_handler(void *arg)
{
	(void)arg;
	test_hits++;
}

static bool selftest_irq_ipi(void)
{
	int v = irq_alloc_vector(test_handler, NULL);
	bool ok;

	if (v < 0)
		return false;
	test_hits = 0;
	lapic_send_self_ipi(v);
	ok = wait_for_count(&test_hits, 1) && irq_count(v) == 1;
	pr_info("irq: self-IPI on vector %#x: %lu handler run(s), %lu counted\n", v,
		(unsigned long)test_hits, (unsigned long)irq_count(v));
	irq_free_vector(v);
	return ok;
}

/* PIT channel 0 as a 1 kHz rate generator (mode 2), or stopped (mode 0, no count). */
static void pit_channel0(bool run)
{
	uint16_t count = PIT_HZ / 1000;

	outb(0x43, run ? 0x34 : 0x30);
	if (run) {
		outb(0x40, count & 0xff);
		outb(0x40, count >> 8);
	}
}

static bool selftest_irq_ioapic(void)
{
	bool level, active_low, ok;
	uint32_t gsi = irq_isa_to_gsi(0, &level, &active_low);
	int v = irq_alloc_vector(test_handler, NULL);

	if (v < 0)
		return false;
	test_hits = 0;
	pit_channel0(true);
	ok = ioapic_route_gsi(gsi, v, level, active_low) == 0 &&
	     wait_for_count(&test_hits, PIT_TEST_IRQS);
	ioapic_mask_gsi(gsi, true);
	pit_channel0(false);
	udelay(2000);		/* let an interrupt already in flight land */
	pr_info("irq: ISA IRQ 0 (PIT) -> gsi %u -> vector %#x: %lu interrupts\n", gsi, v,
		(unsigned long)test_hits);
	irq_free_vector(v);
	return ok;
}

static bool selftest_irq_unexpected(void)
{
	uint64_t before = irq_unexpected_count();

	__asm__ volatile("int %0" : : "i"(UNOWNED_VECTOR) : "memory");
	return irq_unexpected_count() == before + 1 && irq_count(UNOWNED_VECTOR) >= 1;
}

static void selftest_irq(void)
{
	bool ok = selftest_irq_ipi();

	ok = selftest_irq_ioapic() && ok;
	ok = selftest_irq_unexpected() && ok;
	pr_info("irq selftest: %s (unexpected vectors so far: %lu)\n", ok ? "ok" : "FAILED",
		(unsigned long)irq_unexpected_count());
}

void arch_selftest(void)
{
	const char *test = param_get("test");

	if (!test)
		return;
	if (!irqs_enabled())
		pr_err("selftest: interrupts are off\n");
	if (param_is("test", "fault"))
		selftest_fault();
	else if (param_is("test", "ticks"))
		selftest_ticks();
	else if (param_is("test", "irq"))
		selftest_irq();
	else
		return;
	/* Also keeps the calls above out of tail position, so a backtrace shows this frame. */
	pr_info("selftest: test=%s done\n", test);
}
