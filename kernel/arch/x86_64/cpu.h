/* CPU control: interrupt flag, control registers, MSRs, CPUID, TSC. */
#ifndef SYNACK_KERNEL_ARCH_X86_64_CPU_H
#define SYNACK_KERNEL_ARCH_X86_64_CPU_H

#include <stdbool.h>
#include <stdint.h>

static inline unsigned long irq_save(void)
{
	unsigned long flags;
	__asm__ volatile("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
	return flags;
}

static inline void irq_restore(unsigned long flags)
{
	if (flags & (1ul << 9))
		__asm__ volatile("sti" ::: "memory");
}

static inline void irq_enable(void)  { __asm__ volatile("sti" ::: "memory"); }
static inline void irq_disable(void) { __asm__ volatile("cli" ::: "memory"); }

static inline int irqs_enabled(void)
{
	unsigned long flags;
	__asm__ volatile("pushfq; popq %0" : "=r"(flags));
	return (flags >> 9) & 1;
}

/* Enables interrupts and halts atomically (sti's one-instruction shadow). */
static inline void cpu_idle_halt(void) { __asm__ volatile("sti; hlt" ::: "memory"); }
static inline void cpu_halt(void)      { __asm__ volatile("hlt" ::: "memory"); }

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t *a, uint32_t *b,
			 uint32_t *c, uint32_t *d)
{
	__asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
			 : "a"(leaf), "c"(sub));
}

/* True under QEMU's TCG: the hypervisor leaf (present when CPUID.1:ECX
 * bit 31 says a hypervisor runs us) reads "TCGTCGTCGTCG". */
static inline bool cpu_hypervisor_is_tcg(void)
{
	uint32_t a, b, c, d;

	cpuid(1, 0, &a, &b, &c, &d);
	if (!(c & (1u << 31)))
		return false;
	cpuid(0x40000000, 0, &a, &b, &c, &d);
	return b == 0x54474354 && c == 0x43544743 && d == 0x47435447;
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline uint64_t read_cr0(void) { uint64_t v; __asm__ volatile("mov %%cr0, %0" : "=r"(v)); return v; }
static inline uint64_t read_cr2(void) { uint64_t v; __asm__ volatile("mov %%cr2, %0" : "=r"(v)); return v; }
static inline uint64_t read_cr3(void) { uint64_t v; __asm__ volatile("mov %%cr3, %0" : "=r"(v)); return v; }
static inline uint64_t read_cr4(void) { uint64_t v; __asm__ volatile("mov %%cr4, %0" : "=r"(v)); return v; }
static inline void write_cr0(uint64_t v) { __asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory"); }
static inline void write_cr3(uint64_t v) { __asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory"); }
static inline void write_cr4(uint64_t v) { __asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory"); }

#define MSR_EFER		0xc0000080
#define MSR_APIC_BASE		0x1b
#define MSR_TSC_DEADLINE	0x6e0

#endif
