/*
 * Sets of physical address ranges: sorted, disjoint, half-open [base, end).
 * The page allocator builds "usable RAM minus everything reserved" with
 * one, paging builds "everything to identity map" with another.
 *
 * Fixed capacity and no allocation, because they run before any allocator
 * exists.  add() merges overlapping and touching ranges.  subtract() never
 * fails: if splitting a range would overflow the set it keeps only the
 * lower piece, which loses memory but never hands out a reserved byte.
 * Kernel-independent: the host tests compile it too.
 */
#ifndef SYNACK_KERNEL_MM_MEMRANGE_H
#define SYNACK_KERNEL_MM_MEMRANGE_H

#include <stdint.h>

struct boot_info;

#define MEMRANGE_MAX 256

struct mem_range {
	uint64_t base, end;
};

struct memrange_set {
	unsigned n;
	struct mem_range r[MEMRANGE_MAX];
};

void memrange_init(struct memrange_set *s);
/* 0, or -ENOSPC when the set is full (the range is then dropped). */
int memrange_add(struct memrange_set *s, uint64_t base, uint64_t end);
void memrange_subtract(struct memrange_set *s, uint64_t base, uint64_t end);
/* Shrinks every range to whole pages, dropping ranges that vanish. */
void memrange_trim_to_pages(struct memrange_set *s);

/*
 * Usable RAM of the boot map inside [lo, hi), minus every range of any other
 * type (firmware maps may overlap; reserved wins), trimmed to whole pages.
 */
void memrange_usable(struct memrange_set *s, const struct boot_info *bi,
		     uint64_t lo, uint64_t hi);

#endif
