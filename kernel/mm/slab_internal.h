/*
 * Slab allocator internals shared by slab.c (caches) and kmalloc.c (size
 * classes).  Not for use outside kernel/mm.
 *
 * A slab is a block of 2^order pages from the port, naturally aligned,
 * starting with struct slab and its allocation bitmap, then the objects
 * at first_offset (aligned to the cache's alignment).  Every page of a
 * slab has the slab header as its port owner word, which is how a bare
 * pointer finds its slab; page-block kmallocs tag their pages with an odd
 * owner word instead (slab headers are page aligned, so never odd).
 *
 * A slab with free objects and some in use is on its cache's partial
 * list; a full slab is on no list; an empty slab is kept as the cache's
 * one spare or returned to the port.
 */
#ifndef SYNACK_KERNEL_MM_SLAB_INTERNAL_H
#define SYNACK_KERNEL_MM_SLAB_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/mm/slab.h"

#define SLAB_MAGIC	0x51ab0c0dU
#define SLAB_MAX_ORDER	3

struct slab {
	uint32_t magic;
	uint16_t inuse, total;
	struct kmem_cache *cache;
	struct slab *next, *prev;	/* partial list */
	void *freelist;			/* free objects, linked through their first word */
	uint64_t used[];		/* bit i: object i is allocated */
};

struct kmem_cache {
	const char *name;
	size_t size;			/* object stride, a multiple of align */
	size_t align;
	unsigned order;			/* slab = 2^order pages */
	unsigned objs_per_slab;
	size_t first_offset;
	struct slab *partial;
	struct slab *spare;		/* one empty slab kept against alloc/free churn */
	uint64_t objs_in_use, slabs, allocs, frees, failures;
	struct kmem_cache *next;	/* creation order */
};

/* Sets up c (storage provided by the caller) and links it; false if the
 * object cannot fit a slab. */
bool kmem_cache_setup(struct kmem_cache *c, const char *name, size_t size, size_t align);
/* Frees obj whose page owner word is `owner` (a slab header).  Checks that
 * it belongs to `expect` unless that is NULL.  Called with the lock held. */
void slab_free_owned(uintptr_t owner, void *obj, const struct kmem_cache *expect);
/* kmalloc.c: stats of the page-block allocations, and setup of the classes. */
void kmalloc_large_stats(struct kmem_cache_stats *st);
void kmalloc_init(void);

#endif
