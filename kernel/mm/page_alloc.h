/*
 * Physical page allocator over the boot memory map.  Memory is identity
 * mapped, so an allocated page's physical address is also its pointer.
 * Power-of-two blocks (order 0 = one 4 KiB page, at most PAGE_MAX_ORDER),
 * naturally aligned: a block of order k starts on a (4 KiB << k) boundary.
 *
 * Managed: usable RAM above 1 MiB, minus the kernel image and the page
 * tables live at boot (the EFI firmware's may sit in "usable" memory).
 * page_alloc_init() takes RAM below 4 GiB, the part every entry path has
 * mapped; paging_init() adds the rest once its own tables map it.
 *
 * Any context: the allocator disables interrupts inside.  Freeing a block
 * that is not allocated with that order panics.
 */
#ifndef SYNACK_KERNEL_MM_PAGE_ALLOC_H
#define SYNACK_KERNEL_MM_PAGE_ALLOC_H

#include <stddef.h>
#include <stdint.h>

#include "kernel/mm/buddy.h"

struct boot_info;

#define PAGE_MAX_ORDER	BUDDY_MAX_ORDER

void page_alloc_init(const struct boot_info *bi);
/* Memory above 4 GiB; called by paging_init() once that is mapped. */
void page_alloc_init_high(const struct boot_info *bi);

/* 2^order contiguous pages, zeroed; NULL when none. */
void *page_alloc(unsigned order);
/* The same, contents left as they were: for callers that overwrite the
 * block (kmalloc's large blocks, which are packet buffers). */
void *page_alloc_uninit(unsigned order);
void page_free(void *p, unsigned order);
/* Exactly npages contiguous zeroed pages (npages <= 2^PAGE_MAX_ORDER),
 * starting on the boundary of the power of two at or above npages; the
 * rest of that block is not wasted.  Free with the same npages. */
void *page_alloc_pages(size_t npages);
/* The same, contents undefined. */
void *page_alloc_pages_uninit(size_t npages);
void page_free_pages(void *p, size_t npages);

/*
 * One word per page for the page's owner (a slab: its header; kmalloc: a
 * large-block tag).  Cleared when the page is freed; 0 for pages the
 * allocator does not manage.
 */
void page_set_owner(void *p, size_t npages, uintptr_t owner);
uintptr_t page_owner(const void *p);

struct page_stats {
	uint64_t total_pages;	/* usable RAM handed to the allocator */
	uint64_t free_pages;
	uint64_t image_pages;	/* the kernel image (text to bss), not managed */
};
void page_get_stats(struct page_stats *st);

#endif
