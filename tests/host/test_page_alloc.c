/*
 * Host tests of the page allocator's logic: range sets (kernel/mm/memrange.c)
 * and the buddy allocator (kernel/mm/buddy.c) over a heap arena that stands
 * in for physical memory, including a fake boot memory map with holes.
 */
#include <stdint.h>
#include <stdlib.h>

#include "boot/boot_info.h"
#include "kernel/errno.h"
#include "kernel/kernel.h"
#include "kernel/mm/buddy.h"
#include "kernel/mm/memrange.h"
#include "kernel/mm/paging.h"
#include "tests/host/check.h"

#define ARENA_SIZE	(32ul << 20)
#define ARENA_ALIGN	(PAGE_SIZE << BUDDY_MAX_ORDER)

static struct memrange_set set;	/* 4 KiB: static, not on the stack */

static void test_memrange_add(void)
{
	memrange_init(&set);
	CHECK_EQ(memrange_add(&set, 100, 200), 0);
	CHECK_EQ(memrange_add(&set, 300, 400), 0);
	CHECK_EQ(memrange_add(&set, 0, 50), 0);
	CHECK_EQ(set.n, 3);
	CHECK_EQ(set.r[0].base, 0);
	CHECK_EQ(set.r[1].base, 100);
	/* touching merges, overlapping two merges all three */
	memrange_add(&set, 50, 60);
	CHECK_EQ(set.n, 3);
	CHECK_EQ(set.r[0].end, 60);
	memrange_add(&set, 150, 350);
	CHECK_EQ(set.n, 2);
	CHECK_EQ(set.r[1].base, 100);
	CHECK_EQ(set.r[1].end, 400);
	memrange_add(&set, 500, 500);	/* empty: ignored */
	CHECK_EQ(set.n, 2);
}

static void test_memrange_subtract(void)
{
	memrange_init(&set);
	memrange_add(&set, 0, 1000);
	memrange_subtract(&set, 100, 200);	/* split */
	CHECK_EQ(set.n, 2);
	CHECK_EQ(set.r[0].end, 100);
	CHECK_EQ(set.r[1].base, 200);
	memrange_subtract(&set, 50, 250);	/* clip both sides of the hole */
	CHECK_EQ(set.r[0].end, 50);
	CHECK_EQ(set.r[1].base, 250);
	memrange_subtract(&set, 0, 50);		/* whole range */
	CHECK_EQ(set.n, 1);
	memrange_subtract(&set, 900, UINT64_MAX);
	CHECK_EQ(set.r[0].end, 900);
	memrange_add(&set, 0x1001, 0x3fff);
	memrange_trim_to_pages(&set);
	CHECK_EQ(set.n, 1);			/* [250,900) vanished, 0x2000-0x3000 stays */
	CHECK_EQ(set.r[0].base, 0x2000);
	CHECK_EQ(set.r[0].end, 0x3000);
}

static void test_memrange_full(void)
{
	memrange_init(&set);
	for (unsigned i = 0; i < MEMRANGE_MAX; i++)
		CHECK_EQ(memrange_add(&set, i * 100, i * 100 + 50), 0);
	CHECK_EQ(memrange_add(&set, 1000000, 1000001), -ENOSPC);
	/* a split that cannot fit keeps the lower piece: nothing reserved survives */
	memrange_subtract(&set, 10, 20);
	CHECK_EQ(set.n, MEMRANGE_MAX);
	CHECK_EQ(set.r[0].base, 0);
	CHECK_EQ(set.r[0].end, 10);
	CHECK_EQ(set.r[1].base, 100);
}

static void test_memrange_usable(void)
{
	static struct boot_info bi;

	bi.nmem = 0;
	bi.mem[bi.nmem++] = (struct boot_mem_range){ 0, 0x9fc00, BOOT_MEM_USABLE, 0 };
	bi.mem[bi.nmem++] = (struct boot_mem_range){ 0x100000, 0x7f00000, BOOT_MEM_USABLE, 0 };
	/* a firmware map that overlaps: reserved inside usable wins */
	bi.mem[bi.nmem++] = (struct boot_mem_range){ 0x200100, 0x100, BOOT_MEM_RESERVED, 0 };
	bi.mem[bi.nmem++] = (struct boot_mem_range){ 0x7000000, 0x1000000, BOOT_MEM_ACPI, 0 };
	bi.mem[bi.nmem++] = (struct boot_mem_range){ 0x100000000, 0x40000000, BOOT_MEM_USABLE, 0 };
	memrange_usable(&set, &bi, 0x100000, 0x100000000);
	CHECK_EQ(set.n, 2);
	CHECK_EQ(set.r[0].base, 0x100000);
	CHECK_EQ(set.r[0].end, 0x200000);
	CHECK_EQ(set.r[1].base, 0x201000);
	CHECK_EQ(set.r[1].end, 0x7000000);
	memrange_usable(&set, &bi, 0x100000000, 1ull << 47);
	CHECK_EQ(set.n, 1);
	CHECK_EQ(set.r[0].base, 0x100000000);
}

static uint64_t rng_state = 88172645463325252ull;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* How many blocks of the largest order a zone gives: a fingerprint of full coalescing. */
static unsigned count_max_blocks(struct buddy_zone *z, void **out)
{
	unsigned n = 0;
	void *p;

	while ((p = buddy_alloc(z, BUDDY_MAX_ORDER)))
		out[n++] = p;
	for (unsigned i = 0; i < n; i++)
		CHECK_EQ(buddy_free(z, out[i], BUDDY_MAX_ORDER), 0);
	return n;
}

static void test_buddy_churn(char *arena)
{
	/* an odd start and end, so the zone has unaligned edges */
	struct buddy_zone *z = buddy_zone_create((uintptr_t)arena + 3 * PAGE_SIZE,
						 (uintptr_t)arena + ARENA_SIZE - 5 * PAGE_SIZE);
	size_t max = ARENA_SIZE / PAGE_SIZE;
	void **pages = calloc(max, sizeof(void *));
	unsigned fresh, n = 0;

	CHECK(z != NULL);
	CHECK_EQ(z->free_pages, z->total_pages);
	CHECK((uintptr_t)z->start_pfn * PAGE_SIZE > (uintptr_t)z);	/* metadata not handed out */
	fresh = count_max_blocks(z, pages);
	CHECK(fresh > 0);
	while ((pages[n] = buddy_alloc(z, 0)))
		n++;
	CHECK_EQ(n, z->total_pages);
	CHECK_EQ(z->free_pages, 0);
	for (unsigned i = 0; i < n; i++)
		CHECK(buddy_zone_contains(z, pages[i]));
	for (unsigned left = n; left > 0; left--) {	/* random order */
		unsigned i = rng() % left;

		CHECK_EQ(buddy_free(z, pages[i], 0), 0);
		pages[i] = pages[left - 1];
	}
	CHECK_EQ(z->free_pages, z->total_pages);
	CHECK_EQ(count_max_blocks(z, pages), fresh);
	free(pages);
}

static void test_buddy_orders(char *arena)
{
	struct buddy_zone *z = buddy_zone_create((uintptr_t)arena, (uintptr_t)arena + ARENA_SIZE);
	void *blocks[BUDDY_MAX_ORDER + 1];

	for (unsigned k = 0; k <= BUDDY_MAX_ORDER; k++) {
		blocks[k] = buddy_alloc(z, k);
		CHECK(blocks[k] != NULL);
		CHECK_EQ((uintptr_t)blocks[k] % (PAGE_SIZE << k), 0);
	}
	CHECK_EQ(buddy_alloc(z, BUDDY_MAX_ORDER + 1), 0);
	/* misuse is refused and changes nothing */
	CHECK_EQ(buddy_free(z, blocks[3], 2), -EINVAL);
	CHECK_EQ(buddy_free(z, (char *)blocks[3] + PAGE_SIZE, 0), -EINVAL);
	CHECK_EQ(buddy_free(z, (char *)blocks[3] + 8, 3), -EINVAL);
	CHECK_EQ(buddy_free(z, arena + ARENA_SIZE, 0), -EINVAL);
	for (unsigned k = 0; k <= BUDDY_MAX_ORDER; k++)
		CHECK_EQ(buddy_free(z, blocks[k], k), 0);
	CHECK_EQ(buddy_free(z, blocks[3], 3), -EINVAL);	/* double free */
	CHECK_EQ(z->free_pages, z->total_pages);
}

static void test_buddy_exact_and_owner(char *arena)
{
	struct buddy_zone *z = buddy_zone_create((uintptr_t)arena, (uintptr_t)arena + ARENA_SIZE);
	uint64_t before = z->free_pages;
	char *p = buddy_alloc_pages(z, 5), *q;

	CHECK(p != NULL);
	CHECK_EQ(z->free_pages, before - 5);
	q = buddy_alloc_pages(z, 3);	/* the tail of p's 8-page block is free again */
	CHECK(q != NULL);
	CHECK_EQ(buddy_free_pages(z, p, 6), -EINVAL);	/* wrong lengths */
	CHECK_EQ(buddy_free_pages(z, p, 3), -EINVAL);
	buddy_set_owner(z, p, 5, 0x1234);
	CHECK_EQ(buddy_owner(z, p + 4 * PAGE_SIZE + 17), 0x1234);
	CHECK_EQ(buddy_owner(z, p + 5 * PAGE_SIZE), 0);
	CHECK_EQ(buddy_free_pages(z, p, 5), 0);
	CHECK_EQ(buddy_owner(z, p), 0);			/* freeing clears the owner */
	CHECK_EQ(buddy_free_pages(z, p, 5), -EINVAL);	/* double free */
	CHECK_EQ(buddy_free_pages(z, q, 3), 0);
	CHECK_EQ(z->free_pages, before);
	CHECK_EQ(buddy_alloc_pages(z, (1u << BUDDY_MAX_ORDER) + 1), 0);
	CHECK_EQ(buddy_alloc_pages(z, 0), 0);
}

/* The kernel's path: a fake boot map over the arena, holes never handed out. */
static void test_zones_from_map(char *arena)
{
	static struct boot_info bi;
	uintptr_t a = (uintptr_t)arena, hole = a + (5ul << 20) + 0x123;
	struct buddy_zone *zones[4];
	unsigned nz = 0;
	uint64_t got = 0, total = 0;
	void *p;

	bi.nmem = 0;
	bi.mem[bi.nmem++] = (struct boot_mem_range){ a, ARENA_SIZE / 2, BOOT_MEM_USABLE, 0 };
	bi.mem[bi.nmem++] = (struct boot_mem_range){ hole, 0x3000, BOOT_MEM_NVS, 0 };
	bi.mem[bi.nmem++] = (struct boot_mem_range){ a + ARENA_SIZE / 2 + PAGE_SIZE,
						     ARENA_SIZE / 4, BOOT_MEM_USABLE, 0 };
	memrange_usable(&set, &bi, 0, UINT64_MAX);
	CHECK_EQ(set.n, 3);
	for (unsigned i = 0; i < set.n; i++)
		if ((zones[nz] = buddy_zone_create(set.r[i].base, set.r[i].end)))
			total += zones[nz++]->total_pages;
	CHECK_EQ(nz, 3);
	for (unsigned i = 0; i < nz; i++) {
		while ((p = buddy_alloc(zones[i], 0))) {
			uintptr_t v = (uintptr_t)p;

			CHECK(v + PAGE_SIZE <= ALIGN_DOWN(hole, PAGE_SIZE) || v >= hole + 0x3000);
			CHECK(v < a + ARENA_SIZE / 2 || v >= a + ARENA_SIZE / 2 + PAGE_SIZE);
			got++;
		}
	}
	CHECK_EQ(got, total);
}

int main(void)
{
	char *arena = aligned_alloc(ARENA_ALIGN, ARENA_SIZE);

	test_memrange_add();
	test_memrange_subtract();
	test_memrange_full();
	test_memrange_usable();
	test_buddy_churn(arena);
	test_buddy_orders(arena);
	test_buddy_exact_and_owner(arena);
	test_zones_from_map(arena);
	free(arena);
	return check_report();
}
