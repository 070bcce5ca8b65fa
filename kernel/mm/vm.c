/*
 * The kernel's address space (vm.h): builds the identity map at boot,
 * then edits it for stack guard pages and device mappings.  Edits of the
 * live tables run with interrupts off and end with a TLB flush.
 */
#include "kernel/mm/vm.h"

#include "boot/boot_info.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/kernel.h"
#include "kernel/mm/memrange.h"
#include "kernel/mm/page_alloc.h"
#include "kernel/mm/paging.h"
#include "kernel/panic.h"
#include "kernel/printk.h"

#define EFER_NXE	(1ull << 11)
#define CR0_WP		(1ull << 16)
#define CPUID_EXT_NX	(1u << 20)
#define CPUID_EXT_1G	(1u << 26)
#define PHYS_LIMIT	(1ull << 47)
#define EARLY_IOREMAP_MAX 16

extern char __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern char __data_start[], __kernel_start[], __kernel_end[];

static uint64_t *kernel_root;		/* NULL until paging_init */
static uint64_t pte_nx;			/* PTE_NX if the CPU has NX, else 0 */
static unsigned max_leaf_level;		/* 2 with 1 GiB pages, else 1 */
static struct memrange_set map_ranges;	/* paging_init only */
static struct mem_range early_ioremaps[EARLY_IOREMAP_MAX];
static unsigned nr_early_ioremaps;

/* Drops every cached translation (no global pages are used). */
static inline void paging_flush_tlb(void)
{
	write_cr3(read_cr3());
}

static void cpu_paging_features(void)
{
	uint32_t a, b, c, d;

	cpuid(0x80000000, 0, &a, &b, &c, &d);
	d = 0;
	if (a >= 0x80000001)
		cpuid(0x80000001, 0, &a, &b, &c, &d);
	pte_nx = (d & CPUID_EXT_NX) ? PTE_NX : 0;
	max_leaf_level = (d & CPUID_EXT_1G) ? 2 : 1;
	/* NX bits are reserved (fault) until EFER.NXE; the EFI path may not set it */
	if (pte_nx)
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
	write_cr0(read_cr0() | CR0_WP);
}

static void map_or_panic(uintptr_t base, uint64_t len, uint64_t flags, unsigned max_level)
{
	if (paging_map(kernel_root, base, base, len, flags, max_level))
		panic("paging_init: out of memory for page tables");
}

/* Everything in the boot map but bad RAM, and the first MiB (BIOS areas
 * that ACPI scans), minus page 0 and the kernel image. */
static void map_ram(const struct boot_info *bi)
{
	memrange_init(&map_ranges);
	memrange_add(&map_ranges, PAGE_SIZE, MiB(1));
	for (uint32_t i = 0; i < bi->nmem; i++) {
		const struct boot_mem_range *m = &bi->mem[i];

		if (m->type != BOOT_MEM_BAD)
			memrange_add(&map_ranges, ALIGN_DOWN(m->base, PAGE_SIZE),
				     ALIGN_UP(m->base + m->len, PAGE_SIZE));
	}
	memrange_subtract(&map_ranges, 0, PAGE_SIZE);
	memrange_subtract(&map_ranges, (uintptr_t)__kernel_start, (uintptr_t)__kernel_end);
	memrange_subtract(&map_ranges, PHYS_LIMIT, UINT64_MAX);
	for (unsigned i = 0; i < map_ranges.n; i++)
		map_or_panic(map_ranges.r[i].base, map_ranges.r[i].end - map_ranges.r[i].base,
			     PTE_P | PTE_W | pte_nx, max_leaf_level);
}

/* W^X by section, 4 KiB pages so each boundary is exact. */
static void map_kernel(void)
{
	BUG_ON((uintptr_t)__kernel_start != (uintptr_t)__text_start);
	map_or_panic((uintptr_t)__text_start, __text_end - __text_start, PTE_P, 0);
	map_or_panic((uintptr_t)__rodata_start, __rodata_end - __rodata_start,
		     PTE_P | pte_nx, 0);
	map_or_panic((uintptr_t)__data_start, __kernel_end - __data_start,
		     PTE_P | PTE_W | pte_nx, 0);
}

static int map_device(uint64_t base, uint64_t end)
{
	return paging_map(kernel_root, base, base, end - base,
			  PTE_P | PTE_W | PTE_PCD | PTE_PWT | pte_nx, max_leaf_level);
}

static void map_devices(const struct boot_info *bi)
{
	const struct boot_framebuffer *fb = &bi->fb;

	if (fb->addr && map_device(ALIGN_DOWN(fb->addr, PAGE_SIZE),
				   ALIGN_UP(fb->addr + (uint64_t)fb->pitch * fb->height, PAGE_SIZE)))
		panic("paging_init: cannot map the framebuffer");
	for (unsigned i = 0; i < nr_early_ioremaps; i++)
		if (map_device(early_ioremaps[i].base, early_ioremaps[i].end))
			panic("paging_init: cannot map early ioremap %#lx",
			      (unsigned long)early_ioremaps[i].base);
}

void paging_init(const struct boot_info *bi)
{
	struct page_stats st;

	cpu_paging_features();
	kernel_root = page_alloc(0);
	if (!kernel_root)
		panic("paging_init: no memory");
	map_ram(bi);
	map_kernel();
	map_devices(bi);
	write_cr3((uintptr_t)kernel_root);
	page_alloc_init_high(bi);
	page_get_stats(&st);
	pr_info("mm: paging on, NX %s, 1 GiB pages %s; %lu MiB (%lu pages) managed, %lu MiB free\n",
		pte_nx ? "on" : "off", max_leaf_level == 2 ? "on" : "off",
		(unsigned long)(st.total_pages >> 8), (unsigned long)st.total_pages,
		(unsigned long)(st.free_pages >> 8));
}

void *ioremap(uint64_t phys, size_t len)
{
	uint64_t base = ALIGN_DOWN(phys, PAGE_SIZE), end = ALIGN_UP(phys + len, PAGE_SIZE);
	unsigned long flags;
	int err;

	if (!kernel_root) {
		/* the boot tables identity map the first 4 GiB; remember the range */
		if (end > GiB(4) || nr_early_ioremaps == EARLY_IOREMAP_MAX)
			panic("ioremap(%#lx) before paging_init: above 4 GiB or too many",
			      (unsigned long)phys);
		early_ioremaps[nr_early_ioremaps++] = (struct mem_range){ base, end };
		return (void *)(uintptr_t)phys;
	}
	flags = irq_save();
	err = map_device(base, end);
	paging_flush_tlb();
	irq_restore(flags);
	return err ? NULL : (void *)(uintptr_t)phys;
}

void *kstack_alloc(size_t size)
{
	size_t npages = size / PAGE_SIZE + 1;
	unsigned long flags;
	char *guard;
	int err;

	BUG_ON(!kernel_root || !size || size % PAGE_SIZE);
	guard = page_alloc_pages(npages);
	if (!guard)
		return NULL;
	flags = irq_save();
	err = paging_unmap_page(kernel_root, (uintptr_t)guard);
	paging_flush_tlb();
	irq_restore(flags);
	if (err) {
		page_free_pages(guard, npages);
		return NULL;
	}
	return guard + PAGE_SIZE;
}

void kstack_free(void *base, size_t size)
{
	char *guard = (char *)base - PAGE_SIZE;
	unsigned long flags = irq_save();

	/* the guard's 4 KiB table exists since kstack_alloc split it: no allocation */
	if (paging_map(kernel_root, (uintptr_t)guard, (uintptr_t)guard, PAGE_SIZE,
		       PTE_P | PTE_W | pte_nx, 0))
		panic("kstack_free(%p): cannot remap the guard page", base);
	paging_flush_tlb();
	irq_restore(flags);
	page_free_pages(guard, size / PAGE_SIZE + 1);
}
