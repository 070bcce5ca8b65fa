/*
 * Slab caches for fixed-size objects, kmalloc on top of size classes.
 * Every cache keeps accounting (objects and bytes in use, slabs held) that
 * the stats page and the slab stress test read.  Thread, softirq and IRQ
 * context alike (interrupts are disabled inside).
 */
#ifndef SYNACK_KERNEL_MM_SLAB_H
#define SYNACK_KERNEL_MM_SLAB_H

#include <stddef.h>
#include <stdint.h>

struct kmem_cache;

struct kmem_cache *kmem_cache_create(const char *name, size_t size, size_t align);
void *kmem_cache_alloc(struct kmem_cache *c);
void *kmem_cache_zalloc(struct kmem_cache *c);
void kmem_cache_free(struct kmem_cache *c, void *obj);

void *kmalloc(size_t size);
void *kzalloc(size_t size);
void kfree(void *p);

struct kmem_cache_stats {
	const char *name;
	size_t obj_size;
	uint64_t objs_in_use;
	uint64_t bytes_in_use;
	uint64_t slabs;
	uint64_t allocs, frees, failures;
};
/* Calls fn for every cache, in creation order. */
void kmem_cache_for_each(void (*fn)(const struct kmem_cache_stats *st, void *arg), void *arg);

void slab_init(void);

#endif
