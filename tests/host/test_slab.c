/*
 * Host tests of the slab allocator and kmalloc (kernel/mm/slab.c,
 * kmalloc.c) through a host slab port: pages come from the real buddy
 * allocator over an aligned_alloc arena, the lock is a depth counter that
 * must balance, and slab_port_bug() longjmps back so misuse detection is
 * testable.  Accounting must return to its baseline after every pattern.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "kernel/errno.h"
#include "kernel/mm/buddy.h"
#include "kernel/mm/paging.h"
#include "kernel/mm/slab.h"
#include "kernel/mm/slab_port.h"
#include "tests/host/check.h"

#define ARENA_SIZE	(64ul << 20)

static struct buddy_zone *zone;
static int lock_depth;
static bool fail_pages;
static jmp_buf bug_jmp;
static bool bug_armed;
static char bug_msg[256];

void *slab_port_pages_alloc(unsigned order)
{
	return fail_pages ? NULL : buddy_alloc(zone, order);
}

void slab_port_pages_free(void *p, unsigned order)
{
	CHECK_EQ(buddy_free(zone, p, order), 0);
}

void *slab_port_pages_alloc_run(size_t npages)
{
	return fail_pages ? NULL : buddy_alloc_pages(zone, npages);
}

void slab_port_pages_free_run(void *p, size_t npages)
{
	CHECK_EQ(buddy_free_pages(zone, p, npages), 0);
}

void slab_port_set_owner(void *p, size_t npages, uintptr_t owner)
{
	buddy_set_owner(zone, p, npages, owner);
}

uintptr_t slab_port_owner(const void *p)
{
	return buddy_owner(zone, p);
}

unsigned long slab_port_lock(void)
{
	return (unsigned long)lock_depth++;
}

void slab_port_unlock(unsigned long flags)
{
	CHECK_EQ(--lock_depth, (long long)flags);
}

void slab_port_bug(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(bug_msg, sizeof(bug_msg), fmt, ap);
	va_end(ap);
	if (!bug_armed) {
		fprintf(stderr, "unexpected slab bug: %s\n", bug_msg);
		abort();
	}
	longjmp(bug_jmp, 1);
}

/* Runs a call that must be reported as misuse whose message contains `want`. */
#define EXPECT_BUG(call, want) do { \
	bug_msg[0] = 0; \
	bug_armed = true; \
	if (!setjmp(bug_jmp)) { \
		call; \
		CHECK(!"no bug reported for " #call); \
	} \
	bug_armed = false; \
	lock_depth = 0; \
	CHECK(strstr(bug_msg, want) != NULL); \
} while (0)

static void usage(uint64_t *objs, uint64_t *bytes)
{
	slab_usage(objs, bytes);
	CHECK_EQ(lock_depth, 0);
}

static uint64_t rng_state = 0x2545f4914f6cdd1dull;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* PER objects of `size`: aligned to their class, fully usable, no overlap. */
static void check_size(size_t size)
{
	enum { PER = 40 };
	unsigned char *p[PER];
	size_t cls = KMALLOC_MIN_SIZE;

	while (cls < size)
		cls *= 2;
	for (unsigned i = 0; i < PER; i++) {
		p[i] = kmalloc(size);
		CHECK(p[i] != NULL);
		CHECK_EQ((uintptr_t)p[i] % (cls < PAGE_SIZE ? cls : PAGE_SIZE), 0);
		memset(p[i], i, size);
	}
	for (unsigned i = 0; i < PER; i++) {
		for (size_t j = 0; j < size; j++)
			if (p[i][j] != (unsigned char)i) {
				CHECK(!"object overwritten by a neighbour");
				break;
			}
		kfree(p[i]);
	}
}

/* Every size class, its edges, and page blocks just above. */
static void test_size_classes(void)
{
	uint64_t o0, b0, o1, b1;

	usage(&o0, &b0);
	for (size_t size = 0; size <= 3 * KMALLOC_MAX_CACHE_SIZE; size += size / 2 + 1)
		check_size(size);
	for (size_t cls = KMALLOC_MIN_SIZE; cls <= 4 * KMALLOC_MAX_CACHE_SIZE; cls *= 2) {
		check_size(cls - 1);
		check_size(cls);
		check_size(cls + 1);
	}
	usage(&o1, &b1);
	CHECK_EQ(o1, o0);
	CHECK_EQ(b1, b0);
}

static void test_random_pattern(void)
{
	enum { SLOTS = 3000 };
	static unsigned char *p[SLOTS];
	static size_t sz[SLOTS];
	uint64_t o0, b0, o1, b1;

	usage(&o0, &b0);
	for (unsigned n = 0; n < 40000; n++) {
		unsigned i = rng() % SLOTS;

		if (p[i]) {
			CHECK_EQ(p[i][0], (unsigned char)i);
			CHECK_EQ(p[i][sz[i] - 1], (unsigned char)i);
			kfree(p[i]);
			p[i] = NULL;
			continue;
		}
		sz[i] = 1 + (rng() % 8 ? rng() % 2048 : rng() % 20000);
		p[i] = n % 3 ? kmalloc(sz[i]) : kzalloc(sz[i]);
		CHECK(p[i] != NULL);
		if (n % 3 == 0)
			CHECK_EQ(p[i][sz[i] - 1], 0);
		p[i][0] = p[i][sz[i] - 1] = (unsigned char)i;
	}
	for (unsigned i = 0; i < SLOTS; i++) {
		kfree(p[i]);
		p[i] = NULL;
	}
	usage(&o1, &b1);
	CHECK_EQ(o1, o0);
	CHECK_EQ(b1, b0);
	CHECK_EQ(zone->free_pages + 64 > zone->total_pages, 1);	/* empty slabs returned */
}

struct find_arg {
	const char *name;
	struct kmem_cache_stats st;
	int seen;
};

static void find_cache(const struct kmem_cache_stats *st, void *arg)
{
	struct find_arg *f = arg;

	if (!strcmp(st->name, f->name)) {
		f->st = *st;
		f->seen++;
	}
}

static struct find_arg stats_of(const char *name)
{
	struct find_arg f = { .name = name };

	kmem_cache_for_each(find_cache, &f);
	return f;
}

static void test_named_cache(void)
{
	enum { N = 500 };
	struct kmem_cache *c = kmem_cache_create("test-cache", 100, 64);
	void *objs[N];
	struct find_arg f;

	CHECK(c != NULL);
	for (unsigned i = 0; i < N; i++) {
		unsigned char *o = kmem_cache_zalloc(c);

		CHECK(o != NULL);
		CHECK_EQ((uintptr_t)o % 64, 0);
		CHECK_EQ(o[0] | o[99], 0);
		memset(o, 0xab, 100);
		objs[i] = o;
	}
	f = stats_of("test-cache");
	CHECK_EQ(f.seen, 1);
	CHECK_EQ(f.st.obj_size, 128);
	CHECK_EQ(f.st.objs_in_use, N);
	CHECK_EQ(f.st.bytes_in_use, N * 128);
	CHECK(f.st.slabs >= N / 32);
	CHECK_EQ(kmem_cache_destroy(c), -EBUSY);
	for (unsigned n = N; n > 0; n--) {
		unsigned i = rng() % n;

		kmem_cache_free(c, objs[i]);
		objs[i] = objs[n - 1];
	}
	f = stats_of("test-cache");
	CHECK_EQ(f.st.objs_in_use, 0);
	CHECK_EQ(f.st.allocs, N);
	CHECK_EQ(f.st.frees, N);
	CHECK(f.st.slabs <= 1);		/* one spare at most */
	CHECK_EQ(kmem_cache_destroy(c), 0);
	CHECK_EQ(stats_of("test-cache").seen, 0);
	CHECK(kmem_cache_create("too-big", 40000, 0) == NULL);
	CHECK(kmem_cache_create("bad-align", 64, 24) == NULL);
}

static void test_misuse(void)
{
	struct kmem_cache *a = kmem_cache_create("cache-a", 48, 0);
	struct kmem_cache *b = kmem_cache_create("cache-b", 48, 0);
	char *p = kmalloc(100), *q = kmem_cache_alloc(a), *big = kmalloc(20000);
	char local;

	kfree(p);
	EXPECT_BUG(kfree(p), "double free");
	EXPECT_BUG(kmem_cache_free(b, q), "belongs to cache cache-a");
	EXPECT_BUG(kfree(q + 8), "not an object start");
	EXPECT_BUG(kfree(&local), "not allocated");
	EXPECT_BUG(kfree(big + PAGE_SIZE), "not its start");
	kfree(big);
	EXPECT_BUG(kfree(big), "not allocated");
	kfree(q);			/* kfree takes named-cache objects too */
	kfree(NULL);
	kmem_cache_free(a, NULL);
	CHECK_EQ(kmem_cache_destroy(a), 0);
	CHECK_EQ(kmem_cache_destroy(b), 0);
}

/* A large block takes exactly its pages: 96 KiB is 24 pages, not 32. */
static void test_large_exact(void)
{
	uint64_t free_before = zone->free_pages;
	struct find_arg before = stats_of("kmalloc-large");
	char *a = kmalloc(96 << 10), *b = kmalloc(5 * PAGE_SIZE + 1);

	CHECK(a && b);
	CHECK_EQ(free_before - zone->free_pages, 24 + 6);
	CHECK_EQ(stats_of("kmalloc-large").st.bytes_in_use - before.st.bytes_in_use,
		 (24 + 6) * PAGE_SIZE);
	CHECK_EQ((uintptr_t)a & ((32 * PAGE_SIZE) - 1), 0);	/* its power of two's boundary */
	memset(a, 0x5a, 96 << 10);
	memset(b, 0xa5, 5 * PAGE_SIZE + 1);
	EXPECT_BUG(kfree(a + 8 * PAGE_SIZE), "not its start");
	kfree(a);
	kfree(b);
	CHECK_EQ(zone->free_pages, free_before);
	CHECK_EQ(stats_of("kmalloc-large").st.bytes_in_use, before.st.bytes_in_use);
}

static void test_failures(void)
{
	struct find_arg before = stats_of("kmalloc-large"), after;
	void *keep[200];
	unsigned n = 0;

	fail_pages = true;
	CHECK(kmalloc(10000) == NULL);
	/* a class with free objects left still serves without new pages */
	while (n < 200 && (keep[n] = kmalloc(2000)))
		n++;
	fail_pages = false;
	after = stats_of("kmalloc-large");
	CHECK_EQ(after.st.failures, before.st.failures + 1);
	CHECK(stats_of("kmalloc-2048").st.failures >= 1);
	CHECK(kmalloc(KMALLOC_MAX_SIZE + 1) == NULL);
	CHECK(kmalloc(SIZE_MAX) == NULL);
	while (n)
		kfree(keep[--n]);
}

int main(void)
{
	char *arena = aligned_alloc(PAGE_SIZE << BUDDY_MAX_ORDER, ARENA_SIZE);

	zone = buddy_zone_create((uintptr_t)arena, (uintptr_t)arena + ARENA_SIZE);
	slab_init();
	test_size_classes();
	test_random_pattern();
	test_named_cache();
	test_misuse();
	test_large_exact();
	test_failures();
	CHECK_EQ(lock_depth, 0);
	free(arena);
	return check_report();
}
