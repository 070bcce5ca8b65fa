/*
 * x86-64 4-level paging.  The kernel runs identity mapped (virtual ==
 * physical) with its own tables.
 */
#ifndef SYNACK_KERNEL_MM_PAGING_H
#define SYNACK_KERNEL_MM_PAGING_H

#include <stdbool.h>
#include <stdint.h>

#define PAGE_SIZE	4096ul
#define PAGE_SHIFT	12

#define PTE_P		(1ull << 0)
#define PTE_W		(1ull << 1)
#define PTE_U		(1ull << 2)
#define PTE_PWT		(1ull << 3)
#define PTE_PCD		(1ull << 4)
#define PTE_PS		(1ull << 7)
#define PTE_G		(1ull << 8)
#define PTE_NX		(1ull << 63)
#define PTE_ADDR_MASK	0x000ffffffffff000ull

/* Walks the live page tables (CR3): is `va` present? */
bool paging_is_mapped(uintptr_t va);

#endif
