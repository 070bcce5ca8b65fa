/*
 * Binary buddy allocator over one contiguous run of physical pages (a
 * zone).  Blocks are 2^order pages and naturally aligned by physical
 * address (a block of order k starts on a 2^k-page boundary), which the
 * slab allocator and 2 MiB mappings rely on.  Alloc and free are
 * O(BUDDY_MAX_ORDER).
 *
 * A zone keeps its metadata at its own start, carved out of the range it
 * manages: the zone header, one state byte per page (free-block head with
 * its order, allocated-block head with its order, or neither) and one
 * word per page.  For an allocated page the word is its owner's (the slab
 * allocator finds an object's slab through it); for a free-block head it
 * holds the free-list links.  Free pages themselves are never touched, so
 * a large zone costs nothing until used.
 *
 * No locking and no zeroing here: kernel/mm/page_alloc.c adds both.
 * Kernel-independent: the host tests compile it over a heap buffer.
 */
#ifndef SYNACK_KERNEL_MM_BUDDY_H
#define SYNACK_KERNEL_MM_BUDDY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BUDDY_MAX_ORDER	10	/* 4 MiB blocks */
#define BUDDY_NIL	UINT32_MAX	/* no page: zones hold fewer than 2^32 pages */

struct buddy_zone {
	uintptr_t start_pfn, end_pfn;	/* pages handed out: [start, end) */
	uint8_t *state;			/* indexed by pfn - start_pfn */
	uint64_t *word;			/* owner, or free-list links of a free head */
	uint32_t free_head[BUDDY_MAX_ORDER + 1];	/* page index, BUDDY_NIL if empty */
	uint64_t total_pages, free_pages;
	struct buddy_zone *next;
};

/*
 * Takes over [base, end) (page aligned, mapped): places the metadata at
 * base and frees every remaining page.  NULL if nothing would be left.
 * A range of 2^32 pages or more is cut short.
 */
struct buddy_zone *buddy_zone_create(uintptr_t base, uintptr_t end);
bool buddy_zone_contains(const struct buddy_zone *z, const void *p);

/* 2^order pages, not zeroed; NULL if the zone has no such block. */
void *buddy_alloc(struct buddy_zone *z, unsigned order);
/* 0, or -EINVAL if p is not the head of an allocated block of that order
 * (double free, wrong order, foreign pointer); nothing changes then. */
int buddy_free(struct buddy_zone *z, void *p, unsigned order);

/* Exactly npages pages (at most 2^BUDDY_MAX_ORDER): the tail of the
 * enclosing power-of-two block goes straight back to the free lists. */
void *buddy_alloc_pages(struct buddy_zone *z, size_t npages);
int buddy_free_pages(struct buddy_zone *z, void *p, size_t npages);

/* Owner word of every page in [p, p + npages pages); buddy_free clears it. */
void buddy_set_owner(struct buddy_zone *z, void *p, size_t npages, uintptr_t owner);
uintptr_t buddy_owner(const struct buddy_zone *z, const void *p);

#endif
