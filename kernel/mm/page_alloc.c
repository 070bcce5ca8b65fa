/*
 * The kernel's page allocator: boot map -> free ranges -> one buddy zone
 * per range (kernel/mm/buddy.c), plus interrupt safety, zeroing and the
 * panics on misuse.  Zones are searched in address order, so low memory
 * goes first; there are only as many zones as holes in the map.
 */
#include "kernel/mm/page_alloc.h"

#include "boot/boot_info.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/kernel.h"
#include "kernel/lib/string.h"
#include "kernel/mm/memrange.h"
#include "kernel/mm/paging.h"
#include "kernel/panic.h"
#include "kernel/printk.h"

#define LOW_LIMIT	MiB(1)		/* real-mode leftovers, BIOS data, AP trampolines */
#define HIGH_START	GiB(4)
#define PHYS_LIMIT	(1ull << 47)	/* identity map: canonical lower half only */

extern char __kernel_start[], __kernel_end[];

static struct buddy_zone *zones;
static struct buddy_zone **zones_tail = &zones;
static struct memrange_set free_ranges;	/* only used during init */

/* Removes every page-table page reachable from table (at level, 3 = PML4). */
static void reserve_tables(struct memrange_set *s, const uint64_t *table, int level)
{
	memrange_subtract(s, (uintptr_t)table, (uintptr_t)table + PAGE_SIZE);
	if (level == 0)
		return;
	for (int i = 0; i < 512; i++) {
		uint64_t e = table[i];

		if ((e & PTE_P) && !(level < 3 && (e & PTE_PS)))
			reserve_tables(s, (const uint64_t *)(uintptr_t)(e & PTE_ADDR_MASK),
				       level - 1);
	}
}

static void add_zones(const struct memrange_set *s)
{
	for (unsigned i = 0; i < s->n; i++) {
		struct buddy_zone *z = buddy_zone_create(s->r[i].base, s->r[i].end);

		if (!z)
			continue;
		*zones_tail = z;
		zones_tail = &z->next;
		pr_debug("mm: zone %#lx-%#lx, %lu pages\n", (unsigned long)s->r[i].base,
			 (unsigned long)s->r[i].end, (unsigned long)z->total_pages);
	}
}

void page_alloc_init(const struct boot_info *bi)
{
	memrange_usable(&free_ranges, bi, LOW_LIMIT, HIGH_START);
	memrange_subtract(&free_ranges, (uintptr_t)__kernel_start, (uintptr_t)__kernel_end);
	reserve_tables(&free_ranges, (const uint64_t *)(uintptr_t)(read_cr3() & PTE_ADDR_MASK), 3);
	add_zones(&free_ranges);
}

void page_alloc_init_high(const struct boot_info *bi)
{
	memrange_usable(&free_ranges, bi, HIGH_START, PHYS_LIMIT);
	add_zones(&free_ranges);
}

static struct buddy_zone *zone_of(const void *p)
{
	for (struct buddy_zone *z = zones; z; z = z->next)
		if (buddy_zone_contains(z, p))
			return z;
	return NULL;
}

void *page_alloc_uninit(unsigned order)
{
	unsigned long flags = irq_save();
	void *p = NULL;

	for (struct buddy_zone *z = zones; z && !p; z = z->next)
		p = buddy_alloc(z, order);
	irq_restore(flags);
	return p;
}

void *page_alloc(unsigned order)
{
	void *p = page_alloc_uninit(order);

	if (p)
		memset(p, 0, PAGE_SIZE << order);
	return p;
}

void page_free(void *p, unsigned order)
{
	unsigned long flags = irq_save();
	struct buddy_zone *z = zone_of(p);

	if (!z || buddy_free(z, p, order))
		panic("page_free(%p, order %u): not an allocated block of that order", p, order);
	irq_restore(flags);
}

void *page_alloc_pages_uninit(size_t npages)
{
	unsigned long flags = irq_save();
	void *p = NULL;

	for (struct buddy_zone *z = zones; z && !p; z = z->next)
		p = buddy_alloc_pages(z, npages);
	irq_restore(flags);
	return p;
}

void *page_alloc_pages(size_t npages)
{
	void *p = page_alloc_pages_uninit(npages);

	if (p)
		memset(p, 0, npages * PAGE_SIZE);
	return p;
}

void page_free_pages(void *p, size_t npages)
{
	unsigned long flags = irq_save();
	struct buddy_zone *z = zone_of(p);

	if (!z || buddy_free_pages(z, p, npages))
		panic("page_free_pages(%p, %zu): not an allocated run of that size", p, npages);
	irq_restore(flags);
}

void page_set_owner(void *p, size_t npages, uintptr_t owner)
{
	unsigned long flags = irq_save();
	struct buddy_zone *z = zone_of(p);

	BUG_ON(!z);
	buddy_set_owner(z, p, npages, owner);
	irq_restore(flags);
}

uintptr_t page_owner(const void *p)
{
	unsigned long flags = irq_save();
	struct buddy_zone *z = zone_of(p);
	uintptr_t owner = z ? buddy_owner(z, p) : 0;

	irq_restore(flags);
	return owner;
}

void page_get_stats(struct page_stats *st)
{
	unsigned long flags = irq_save();

	st->image_pages = ((uintptr_t)__kernel_end - (uintptr_t)__kernel_start + PAGE_SIZE - 1) /
			  PAGE_SIZE;
	st->total_pages = st->free_pages = 0;
	for (struct buddy_zone *z = zones; z; z = z->next) {
		st->total_pages += z->total_pages;
		st->free_pages += z->free_pages;
	}
	irq_restore(flags);
}
