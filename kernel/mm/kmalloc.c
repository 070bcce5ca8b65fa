/*
 * kmalloc on the slab caches (slab.h): power-of-two size classes from
 * KMALLOC_MIN_SIZE to KMALLOC_MAX_CACHE_SIZE, each aligned to its size;
 * anything larger is a run of exactly as many pages as it needs (the tail
 * of the power-of-two block it was cut from stays free: 96 KiB takes 24
 * pages, not 32), whose pages carry an odd owner word (LARGE_TAG) that
 * records the run's length for kfree.
 */
#include "kernel/mm/slab_internal.h"

#include "kernel/kernel.h"
#include "kernel/lib/string.h"
#include "kernel/mm/paging.h"
#include "kernel/mm/slab_port.h"

#define NR_CLASSES	9	/* 16, 32, ... 4096 */
#define LARGE_TAG(npages) (((uintptr_t)(npages) << 1) | 1)

_Static_assert((KMALLOC_MIN_SIZE << (NR_CLASSES - 1)) == KMALLOC_MAX_CACHE_SIZE,
	       "size classes must end at KMALLOC_MAX_CACHE_SIZE");

static struct kmem_cache classes[NR_CLASSES];
static const char *const class_names[NR_CLASSES] = {
	"kmalloc-16", "kmalloc-32", "kmalloc-64", "kmalloc-128", "kmalloc-256",
	"kmalloc-512", "kmalloc-1024", "kmalloc-2048", "kmalloc-4096",
};

static struct {
	uint64_t blocks, pages, allocs, frees, failures;
} large;

void kmalloc_init(void)
{
	for (unsigned i = 0; i < NR_CLASSES; i++)
		if (!kmem_cache_setup(&classes[i], class_names[i], KMALLOC_MIN_SIZE << i,
				      KMALLOC_MIN_SIZE << i))
			slab_port_bug("cannot set up %s", class_names[i]);
}

static void *kmalloc_large(size_t size)
{
	size_t npages = (size + PAGE_SIZE - 1) / PAGE_SIZE;
	unsigned long flags;
	void *p = NULL;

	/* outside the lock: the page allocator disables interrupts itself */
	if (size <= KMALLOC_MAX_SIZE)
		p = slab_port_pages_alloc_run(npages);
	flags = slab_port_lock();
	if (p) {
		slab_port_set_owner(p, npages, LARGE_TAG(npages));
		large.blocks++;
		large.pages += npages;
		large.allocs++;
	} else {
		large.failures++;
	}
	slab_port_unlock(flags);
	return p;
}

void *kmalloc(size_t size)
{
	unsigned i = 0;

	if (size > KMALLOC_MAX_CACHE_SIZE)
		return kmalloc_large(size);
	if (!classes[0].size)
		slab_port_bug("kmalloc(%zu) before slab_init", size);
	while ((size_t)(KMALLOC_MIN_SIZE << i) < size)
		i++;
	return kmem_cache_alloc(&classes[i]);
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

/* Called with the lock held; owner is p's LARGE_TAG. */
static void kfree_large(void *p, uintptr_t owner)
{
	size_t npages = owner >> 1, align = PAGE_SIZE;

	/* A run starts on the boundary of its power of two (slab_port.h). */
	while (align < npages * PAGE_SIZE)
		align <<= 1;
	if ((uintptr_t)p & (align - 1))
		slab_port_bug("kfree(%p): inside a %zu KiB kmalloc block, not its start", p,
			      npages * PAGE_SIZE >> 10);
	large.blocks--;
	large.pages -= npages;
	large.frees++;
	slab_port_pages_free_run(p, npages);
}

void kfree(void *p)
{
	unsigned long flags;
	uintptr_t owner;

	if (!p)
		return;
	flags = slab_port_lock();
	owner = slab_port_owner(p);
	if (owner & 1)
		kfree_large(p, owner);
	else
		slab_free_owned(owner, p, NULL);
	slab_port_unlock(flags);
}

void kmalloc_large_stats(struct kmem_cache_stats *st)
{
	*st = (struct kmem_cache_stats){ .name = "kmalloc-large",
		.objs_in_use = large.blocks, .bytes_in_use = large.pages * PAGE_SIZE,
		.allocs = large.allocs, .frees = large.frees, .failures = large.failures };
}
