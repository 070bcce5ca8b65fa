/*
 * x86-64 4-level paging: the entry bits and edits of a table tree.  The
 * kernel runs identity mapped (virtual == physical) with its own tables
 * (kernel/mm/vm.c builds them), so a table's physical address is also its
 * pointer.  Levels count from the leaf: 0 = PT (4 KiB), 1 = PD (2 MiB),
 * 2 = PDPT (1 GiB), 3 = PML4.
 *
 * The edit functions take the tree's root and allocate or split tables as
 * needed; callers serialize (interrupts off) and flush the TLB after
 * editing the live tree.
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

/*
 * Maps [va, va + len) to [pa, ...) with leaf bits `flags` (PTE_P etc.,
 * never PTE_PS), replacing what was there.  Uses leaves up to level
 * max_level (0: 4 KiB only, 1: 2 MiB, 2: 1 GiB) where alignment and length
 * allow.  va, pa and len page aligned.  0 or -ENOMEM (partly mapped then).
 */
int paging_map(uint64_t *root, uintptr_t va, uint64_t pa, uint64_t len,
	       uint64_t flags, unsigned max_level);
/* Unmaps the 4 KiB page at va, splitting a large page around it.
 * 0 or -ENOMEM. */
int paging_unmap_page(uint64_t *root, uintptr_t va);

#endif
