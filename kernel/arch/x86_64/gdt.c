/*
 * GDT: null, 64-bit kernel code, kernel data, and the TSS whose interrupt
 * stack table gives #DF, NMI and #MC known-good stacks: a double fault from
 * a blown thread stack or an NMI landing anywhere must not push onto the
 * stack that caused it.  The IST stacks start out static (this runs
 * before the page allocator); interrupts_init() moves them to stacks with
 * an unmapped guard page once paging is up.
 */
#include "kernel/arch/x86_64/gdt.h"

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];	/* IST1..IST7 */
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));
_Static_assert(sizeof(struct tss) == 104, "64-bit TSS is 104 bytes");

struct gdt_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

static struct tss tss;
static uint8_t ist_stacks[IST_COUNT][IST_STACK_SIZE] __attribute__((aligned(16)));

/* Slots: 0 null, 1 code, 2 data, 3-4 TSS (16-byte system descriptor). */
static uint64_t gdt[5] __attribute__((aligned(16))) = {
	[GDT_KERNEL_CS / 8] = 0x00af9a000000ffffull,	/* P, DPL0, code, exec/read, L */
	[GDT_KERNEL_DS / 8] = 0x00cf92000000ffffull,	/* P, DPL0, data, read/write */
};

static void gdt_set_tss(void)
{
	uint64_t base = (uintptr_t)&tss;
	uint64_t limit = sizeof(tss) - 1;

	gdt[GDT_TSS / 8] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
			   (0x89ull << 40) |		/* P, DPL0, available 64-bit TSS */
			   (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	gdt[GDT_TSS / 8 + 1] = base >> 32;
}

/* Reloads CS with a far return and the data segments; FS/GS stay null. */
static void load_segments(void)
{
	__asm__ volatile(
		"pushq %[cs]\n\t"
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"
		"1:\n\t"
		"movl %[ds], %%eax\n\t"
		"movl %%eax, %%ds\n\t"
		"movl %%eax, %%es\n\t"
		"movl %%eax, %%ss\n\t"
		: : [cs] "i"(GDT_KERNEL_CS), [ds] "i"(GDT_KERNEL_DS) : "rax", "memory");
}

void tss_set_ist(int ist, uintptr_t stack_top)
{
	tss.ist[ist - 1] = stack_top;
}

void gdt_init(void)
{
	struct gdt_ptr ptr = { sizeof(gdt) - 1, (uintptr_t)gdt };

	for (int i = 0; i < IST_COUNT; i++)
		tss.ist[i] = (uintptr_t)&ist_stacks[i][IST_STACK_SIZE];
	tss.iomap_base = sizeof(tss);	/* no I/O permission bitmap */
	gdt_set_tss();
	__asm__ volatile("lgdt %0" : : "m"(ptr) : "memory");
	load_segments();
	__asm__ volatile("ltr %w0" : : "r"(GDT_TSS) : "memory");
}
