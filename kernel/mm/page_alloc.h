/*
 * Physical page allocator over the boot memory map.  Memory is identity
 * mapped, so an allocated page's physical address is also its pointer.
 * Power-of-two blocks (order 0 = one 4 KiB page).
 */
#ifndef SYNACK_KERNEL_MM_PAGE_ALLOC_H
#define SYNACK_KERNEL_MM_PAGE_ALLOC_H

#include <stddef.h>
#include <stdint.h>

struct boot_info;

void page_alloc_init(const struct boot_info *bi);
/* 2^order contiguous pages, zeroed; NULL when none. */
void *page_alloc(unsigned order);
void page_free(void *p, unsigned order);

struct page_stats {
	uint64_t total_pages;	/* usable RAM handed to the allocator */
	uint64_t free_pages;
};
void page_get_stats(struct page_stats *st);

#endif
