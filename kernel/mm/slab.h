/*
 * Slab caches for fixed-size objects, kmalloc on top of size classes.
 *
 * kmalloc sizes up to KMALLOC_MAX_CACHE_SIZE come from power-of-two caches
 * (kmalloc-16 .. kmalloc-4096) and are aligned to their class size;
 * larger ones are whole naturally aligned page blocks (up to 4 MiB).
 * kfree takes either, and also objects of named caches.  kmalloc(0)
 * returns a valid 16-byte object; kfree(NULL) does nothing.  kmalloc and
 * kmem_cache_alloc memory comes back uninitialised (whatever the last user
 * left; a new slab starts zeroed, a large block does not); kzalloc and
 * kmem_cache_zalloc zero it.
 *
 * Every cache keeps accounting (objects and bytes in use, slabs held,
 * alloc/free/failure counts) that the stats page and the slab stress test
 * read.  Thread, softirq and IRQ context alike (interrupts are disabled
 * inside).  Double frees, frees of foreign pointers and frees to the
 * wrong cache panic with the pointer and the cache names.
 */
#ifndef SYNACK_KERNEL_MM_SLAB_H
#define SYNACK_KERNEL_MM_SLAB_H

#include <stddef.h>
#include <stdint.h>

#define KMALLOC_MIN_SIZE	16
#define KMALLOC_MAX_CACHE_SIZE	4096
#define KMALLOC_MAX_SIZE	(4096ul << 10)	/* largest page block: 4 MiB */

struct kmem_cache;

/* `name` must outlive the cache (a string literal).  align: 0 for the
 * default (8), else a power of two.  NULL on no memory or an object too
 * large for a 32 KiB slab. */
struct kmem_cache *kmem_cache_create(const char *name, size_t size, size_t align);
/* 0, or -EBUSY (and nothing happens) while objects are still allocated. */
int kmem_cache_destroy(struct kmem_cache *c);
void *kmem_cache_alloc(struct kmem_cache *c);
void *kmem_cache_zalloc(struct kmem_cache *c);
void kmem_cache_free(struct kmem_cache *c, void *obj);

void *kmalloc(size_t size);
void *kzalloc(size_t size);
void kfree(void *p);

struct kmem_cache_stats {
	const char *name;
	size_t obj_size;	/* bytes per object; 0 for kmalloc-large */
	uint64_t objs_in_use;
	uint64_t bytes_in_use;
	uint64_t slabs;		/* slabs held (kmalloc-large: 0) */
	uint64_t allocs, frees, failures;
};
/*
 * Calls fn for every cache in creation order, then once for
 * "kmalloc-large" (the page-block allocations).  fn runs with interrupts
 * disabled and must not destroy caches.
 */
void kmem_cache_for_each(void (*fn)(const struct kmem_cache_stats *st, void *arg), void *arg);

/* Sums objects and bytes in use over every cache and kmalloc-large. */
void slab_usage(uint64_t *objs, uint64_t *bytes);

void slab_init(void);

#endif
