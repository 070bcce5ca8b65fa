/*
 * Buddy allocator (buddy.h).  A free block of order k is the head page of
 * 2^k free pages; its buddy is the block whose pfn differs only in bit k.
 * Freeing merges with the buddy while the buddy is a free block of the
 * same order, so free blocks are always as large as alignment allows.
 *
 * state[] per page: STATE_NONE (inside a block, or reserved for the
 * metadata), FREE_HEAD(k) or ALLOC_HEAD(k).  Checking for ALLOC_HEAD(k)
 * on free is what catches double frees and order mismatches.
 *
 * word[] per page: the owner while allocated, 0 inside a free block, and
 * for a free head the doubly linked free list of its order as two page
 * indices (next in the low half, prev in the high half).
 */
#include "kernel/mm/buddy.h"

#include "kernel/errno.h"
#include "kernel/kernel.h"
#include "kernel/lib/string.h"
#include "kernel/mm/paging.h"

#define STATE_NONE	0x00
#define FREE_HEAD(k)	(0x40 | (k))
#define ALLOC_HEAD(k)	(0x80 | (k))
#define IS_FREE_HEAD(s)	(((s) & 0xc0) == 0x40)

static inline uintptr_t pfn_of(const void *p)
{
	return (uintptr_t)p >> PAGE_SHIFT;
}

static inline void *page_of(uintptr_t pfn)
{
	return (void *)(pfn << PAGE_SHIFT);
}

static inline uint8_t *state_of(struct buddy_zone *z, uintptr_t pfn)
{
	return &z->state[pfn - z->start_pfn];
}

static inline uint32_t link_next(const struct buddy_zone *z, uint32_t i)
{
	return (uint32_t)z->word[i];
}

static inline uint32_t link_prev(const struct buddy_zone *z, uint32_t i)
{
	return (uint32_t)(z->word[i] >> 32);
}

static inline void set_links(struct buddy_zone *z, uint32_t i, uint32_t next, uint32_t prev)
{
	z->word[i] = ((uint64_t)prev << 32) | next;
}

static void list_push(struct buddy_zone *z, unsigned order, uint32_t i)
{
	uint32_t head = z->free_head[order];

	set_links(z, i, head, BUDDY_NIL);
	if (head != BUDDY_NIL)
		set_links(z, head, link_next(z, head), i);
	z->free_head[order] = i;
}

static void list_del(struct buddy_zone *z, unsigned order, uint32_t i)
{
	uint32_t next = link_next(z, i), prev = link_prev(z, i);

	if (prev == BUDDY_NIL)
		z->free_head[order] = next;
	else
		set_links(z, prev, next, link_prev(z, prev));
	if (next != BUDDY_NIL)
		set_links(z, next, link_next(z, next), prev);
	z->word[i] = 0;
}

static void put_free(struct buddy_zone *z, uintptr_t pfn, unsigned order)
{
	*state_of(z, pfn) = FREE_HEAD(order);
	list_push(z, order, pfn - z->start_pfn);
}

/* Frees a block known to be allocated, merging it with free buddies. */
static void free_block(struct buddy_zone *z, uintptr_t pfn, unsigned order)
{
	z->free_pages += 1ull << order;
	*state_of(z, pfn) = STATE_NONE;
	while (order < BUDDY_MAX_ORDER) {
		uintptr_t buddy = pfn ^ (1ull << order);

		if (buddy < z->start_pfn || buddy >= z->end_pfn ||
		    *state_of(z, buddy) != FREE_HEAD(order))
			break;
		list_del(z, order, buddy - z->start_pfn);
		*state_of(z, buddy) = STATE_NONE;
		pfn &= ~(1ull << order);
		order++;
	}
	put_free(z, pfn, order);
}

/* Largest order a block at pfn may have with `left` pages remaining. */
static unsigned fit_order(uintptr_t pfn, size_t left)
{
	unsigned order = 0;

	while (order < BUDDY_MAX_ORDER && !(pfn & (1ull << order)) &&
	       (2ull << order) <= left)
		order++;
	return order;
}

struct buddy_zone *buddy_zone_create(uintptr_t base, uintptr_t end)
{
	size_t npages = MIN((end - base) >> PAGE_SHIFT, (size_t)BUDDY_NIL);
	size_t meta = ALIGN_UP(sizeof(struct buddy_zone), sizeof(uint64_t)) +
		      npages * (sizeof(uint64_t) + 1);
	size_t meta_pages = ALIGN_UP(meta, PAGE_SIZE) >> PAGE_SHIFT;
	struct buddy_zone *z = (struct buddy_zone *)base;

	if (end <= base || npages <= meta_pages)
		return NULL;
	memset(z, 0, meta_pages << PAGE_SHIFT);
	z->word = (uint64_t *)(base + ALIGN_UP(sizeof(*z), sizeof(uint64_t)));
	z->state = (uint8_t *)(z->word + npages);
	z->start_pfn = pfn_of((void *)base) + meta_pages;
	z->end_pfn = pfn_of((void *)base) + npages;
	for (unsigned k = 0; k <= BUDDY_MAX_ORDER; k++)
		z->free_head[k] = BUDDY_NIL;
	for (uintptr_t pfn = z->start_pfn; pfn < z->end_pfn; ) {
		unsigned order = fit_order(pfn, z->end_pfn - pfn);

		free_block(z, pfn, order);
		pfn += 1ull << order;
	}
	z->total_pages = z->free_pages;
	return z;
}

bool buddy_zone_contains(const struct buddy_zone *z, const void *p)
{
	return pfn_of(p) >= z->start_pfn && pfn_of(p) < z->end_pfn;
}

void *buddy_alloc(struct buddy_zone *z, unsigned order)
{
	unsigned k = order;
	uintptr_t pfn;

	while (k <= BUDDY_MAX_ORDER && z->free_head[k] == BUDDY_NIL)
		k++;
	if (k > BUDDY_MAX_ORDER)
		return NULL;
	pfn = z->start_pfn + z->free_head[k];
	list_del(z, k, z->free_head[k]);
	*state_of(z, pfn) = STATE_NONE;
	/* split: the upper half of each level goes back on the free lists */
	while (k > order) {
		k--;
		put_free(z, pfn + (1ull << k), k);
	}
	*state_of(z, pfn) = ALLOC_HEAD(order);
	z->free_pages -= 1ull << order;
	return page_of(pfn);
}

int buddy_free(struct buddy_zone *z, void *p, unsigned order)
{
	uintptr_t pfn = pfn_of(p);

	if (order > BUDDY_MAX_ORDER || ((uintptr_t)p & (PAGE_SIZE - 1)) ||
	    !buddy_zone_contains(z, p) || *state_of(z, pfn) != ALLOC_HEAD(order))
		return -EINVAL;
	memset(&z->word[pfn - z->start_pfn], 0, sizeof(uint64_t) << order);
	free_block(z, pfn, order);
	return 0;
}

/*
 * An exact run of npages starting on a 2^k boundary splits into the
 * blocks of npages' binary digits, largest first; alloc and free walk the
 * same split, so each piece is an allocated block of its own order.
 */
void *buddy_alloc_pages(struct buddy_zone *z, size_t npages)
{
	unsigned order = 0;
	uintptr_t pfn, end;
	void *p;

	if (!npages || npages > (1ull << BUDDY_MAX_ORDER))
		return NULL;
	while ((1ull << order) < npages)
		order++;
	p = buddy_alloc(z, order);
	if (!p)
		return NULL;
	pfn = pfn_of(p);
	end = pfn + npages;
	*state_of(z, pfn) = STATE_NONE;
	for (uintptr_t at = pfn; at < end; ) {
		unsigned k = fit_order(at, end - at);

		*state_of(z, at) = ALLOC_HEAD(k);
		at += 1ull << k;
	}
	for (uintptr_t at = end; at < pfn + (1ull << order); ) {
		unsigned k = fit_order(at, pfn + (1ull << order) - at);

		free_block(z, at, k);
		at += 1ull << k;
	}
	return p;
}

int buddy_free_pages(struct buddy_zone *z, void *p, size_t npages)
{
	uintptr_t pfn = pfn_of(p), end = pfn + npages;

	if (!npages || ((uintptr_t)p & (PAGE_SIZE - 1)) || !buddy_zone_contains(z, p) ||
	    end > z->end_pfn)
		return -EINVAL;
	for (uintptr_t at = pfn; at < end; ) {
		unsigned k = fit_order(at, end - at);

		if (*state_of(z, at) != ALLOC_HEAD(k))
			return -EINVAL;
		at += 1ull << k;
	}
	for (uintptr_t at = pfn; at < end; ) {
		unsigned k = fit_order(at, end - at);

		buddy_free(z, page_of(at), k);
		at += 1ull << k;
	}
	return 0;
}

void buddy_set_owner(struct buddy_zone *z, void *p, size_t npages, uintptr_t owner)
{
	uintptr_t first = pfn_of(p) - z->start_pfn;

	for (size_t i = 0; i < npages; i++)
		z->word[first + i] = owner;
}

uintptr_t buddy_owner(const struct buddy_zone *z, const void *p)
{
	uintptr_t i = pfn_of(p) - z->start_pfn;

	if (!buddy_zone_contains(z, p) || IS_FREE_HEAD(z->state[i]))
		return 0;
	return z->word[i];
}
