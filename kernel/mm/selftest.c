/*
 * test=slab and test=guard (selftest.h).  Thread context at boot.  The
 * stress is deterministic (a fixed xorshift seed), so a failure replays.
 * Every object carries a tag derived from its slot at both ends; a tag
 * that changed means two live allocations overlapped.
 */
#include "kernel/mm/selftest.h"

#include "kernel/errno.h"
#include "kernel/kernel.h"
#include "kernel/lib/string.h"
#include "kernel/mm/page_alloc.h"
#include "kernel/mm/paging.h"
#include "kernel/mm/slab.h"
#include "kernel/mm/vm.h"
#include "kernel/params.h"
#include "kernel/printk.h"

#define STRESS_SLOTS	4096
#define STRESS_ROUNDS	4
#define CACHE_ROUNDS	24
#define CACHE_OBJS	300
#define GUARD_STACK	16384

struct stress_slot {
	uint8_t *p;
	size_t size;
};

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Mostly small objects, some up to a page, a few page blocks. */
static size_t stress_size(void)
{
	unsigned pick = rng() % 100;

	if (pick < 70)
		return 1 + rng() % 512;
	if (pick < 95)
		return 513 + rng() % (KMALLOC_MAX_CACHE_SIZE - 512);
	return KMALLOC_MAX_CACHE_SIZE + 1 + rng() % 28000;
}

static int slot_fill(struct stress_slot *s, unsigned i)
{
	s->size = stress_size();
	s->p = kmalloc(s->size);
	if (!s->p)
		return -ENOMEM;
	s->p[0] = s->p[s->size - 1] = (uint8_t)(i * 31 + 7);
	return 0;
}

static int slot_free(struct stress_slot *s, unsigned i)
{
	int bad = s->p[0] != (uint8_t)(i * 31 + 7) || s->p[s->size - 1] != (uint8_t)(i * 31 + 7);

	kfree(s->p);
	s->p = NULL;
	return bad ? -EFAULT : 0;
}

/* Fill every slot, free and refill random halves, then free all in random order. */
static int stress_kmalloc(struct stress_slot *slots)
{
	int err = 0;

	for (unsigned round = 0; round < STRESS_ROUNDS && !err; round++) {
		for (unsigned i = 0; i < STRESS_SLOTS && !err; i++)
			err = slot_fill(&slots[i], i);
		for (unsigned n = 0; n < STRESS_SLOTS / 2 && !err; n++) {
			unsigned i = rng() % STRESS_SLOTS;

			if (slots[i].p)
				err = slot_free(&slots[i], i);
			if (!err)
				err = slot_fill(&slots[i], i);
		}
		for (unsigned n = 0; n < STRESS_SLOTS * 4 && !err; n++) {
			unsigned i = rng() % STRESS_SLOTS;

			if (slots[i].p)
				err = slot_free(&slots[i], i);
		}
		for (unsigned i = 0; i < STRESS_SLOTS; i++)
			if (slots[i].p && slot_free(&slots[i], i))
				err = -EFAULT;
	}
	return err;
}

/* Short-lived caches of odd sizes and alignments, as drivers and protocols make. */
static int stress_caches(void **objs)
{
	static const size_t aligns[] = { 0, 8, 16, 64, 256 };

	for (unsigned round = 0; round < CACHE_ROUNDS; round++) {
		size_t align = aligns[rng() % ARRAY_SIZE(aligns)];
		struct kmem_cache *c = kmem_cache_create("stress", 1 + rng() % 1500, align);

		if (!c)
			return -ENOMEM;
		for (unsigned i = 0; i < CACHE_OBJS; i++) {
			uint8_t *o = kmem_cache_zalloc(c);

			if (!o || (align && (uintptr_t)o % align) || o[0])
				return -EFAULT;
			o[0] = 1;
			objs[i] = o;
		}
		if (kmem_cache_destroy(c) != -EBUSY)
			return -EFAULT;
		for (unsigned n = CACHE_OBJS; n > 0; n--) {
			unsigned i = rng() % n;

			kmem_cache_free(c, objs[i]);
			objs[i] = objs[n - 1];
		}
		if (kmem_cache_destroy(c))
			return -EFAULT;
	}
	return 0;
}

static void print_cache(const struct kmem_cache_stats *st, void *arg)
{
	pr_info("  %-14s %-5s size %5zu objs %6lu bytes %8lu slabs %4lu allocs %7lu frees %7lu fail %lu\n",
		st->name, (const char *)arg, st->obj_size, (unsigned long)st->objs_in_use,
		(unsigned long)st->bytes_in_use, (unsigned long)st->slabs,
		(unsigned long)st->allocs, (unsigned long)st->frees, (unsigned long)st->failures);
}

static void slab_stress(void)
{
	uint64_t objs0, bytes0, objs1, bytes1;
	struct stress_slot *slots = kzalloc(STRESS_SLOTS * sizeof(*slots));
	void **objs = kzalloc(CACHE_OBJS * sizeof(void *));
	int err;

	if (!slots || !objs) {
		pr_err("slab-stress: FAIL no memory for the test itself\n");
		return;
	}
	kmem_cache_for_each(print_cache, "pre");
	slab_usage(&objs0, &bytes0);
	err = stress_kmalloc(slots);
	if (!err)
		err = stress_caches(objs);
	slab_usage(&objs1, &bytes1);
	kmem_cache_for_each(print_cache, "post");
	if (err || objs0 != objs1 || bytes0 != bytes1)
		pr_err("slab-stress: FAIL err=%d baseline=%lu after=%lu objs_baseline=%lu objs_after=%lu\n",
		       err, (unsigned long)bytes0, (unsigned long)bytes1,
		       (unsigned long)objs0, (unsigned long)objs1);
	else
		pr_info("slab-stress: ok baseline=%lu after=%lu objs_baseline=%lu objs_after=%lu\n",
			(unsigned long)bytes0, (unsigned long)bytes1,
			(unsigned long)objs0, (unsigned long)objs1);
	kfree(objs);
	kfree(slots);
}

/* A freed stack gets its guard page back; a fresh one faults below its base. */
static void guard_test(void)
{
	char *a = kstack_alloc(GUARD_STACK), *b;
	volatile uint64_t *below;

	if (!a) {
		pr_err("guard-test: FAIL no memory\n");
		return;
	}
	kstack_free(a, GUARD_STACK);
	if (!paging_is_mapped((uintptr_t)a - PAGE_SIZE)) {
		pr_err("guard-test: FAIL kstack_free did not restore the guard mapping\n");
		return;
	}
	b = kstack_alloc(GUARD_STACK);
	if (!b) {
		pr_err("guard-test: FAIL no memory\n");
		return;
	}
	below = (volatile uint64_t *)(b - sizeof(uint64_t));
	pr_info("guard-test: stack %p-%p, guard mapped=%d, stack mapped=%d\n", b,
		b + GUARD_STACK, paging_is_mapped((uintptr_t)below),
		paging_is_mapped((uintptr_t)b));
	pr_info("guard-test: writing to %p, expect a page fault\n", (void *)below);
	*below = 0x5a5a5a5a5a5a5a5aull;
	pr_err("guard-test: FAIL the write to %p did not fault\n", (void *)below);
}

void mm_selftest(void)
{
	if (param_is("test", "slab"))
		slab_stress();
	else if (param_is("test", "guard"))
		guard_test();
}
