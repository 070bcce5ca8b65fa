/*
 * Slab caches (slab.h, layout in slab_internal.h).  Allocation takes the
 * first object of the first partial slab, else the spare empty slab, else
 * a new slab from the port; all O(1).  Freeing finds the slab through the
 * page owner word, checks the pointer is an allocated object start of the
 * expected cache (the per-slab bitmap makes double frees exact), and
 * returns empty slabs beyond the one spare.
 */
#include "kernel/mm/slab_internal.h"

#include "kernel/errno.h"
#include "kernel/kernel.h"
#include "kernel/lib/string.h"
#include "kernel/mm/paging.h"
#include "kernel/mm/slab_port.h"

static struct kmem_cache cache_cache;	/* holds every created struct kmem_cache */
static struct kmem_cache *caches;
static struct kmem_cache **caches_tail = &caches;
static bool slab_ready;

static size_t header_size(unsigned objs)
{
	return sizeof(struct slab) + (objs + 63) / 64 * sizeof(uint64_t);
}

/* How many objects of `size` (aligned to `align`) fit `bytes` after the header. */
static unsigned objs_fitting(size_t bytes, size_t size, size_t align)
{
	unsigned n = (bytes - sizeof(struct slab)) / size;

	while (n && ALIGN_UP(header_size(n), align) + n * size > bytes)
		n--;
	return n;
}

bool kmem_cache_setup(struct kmem_cache *c, const char *name, size_t size, size_t align)
{
	unsigned order, n = 0;
	unsigned long flags;

	if (!align)
		align = 8;
	if (align & (align - 1) || align > PAGE_SIZE || size > (PAGE_SIZE << SLAB_MAX_ORDER))
		return false;
	align = MAX(align, sizeof(void *));
	size = ALIGN_UP(MAX(size, sizeof(void *)), align);
	/* the smallest slab that wastes at most 1/8 of itself */
	for (order = 0; order <= SLAB_MAX_ORDER; order++) {
		size_t bytes = PAGE_SIZE << order;

		n = objs_fitting(bytes, size, align);
		if (n && ((bytes - n * size) * 8 <= bytes || order == SLAB_MAX_ORDER))
			break;
	}
	if (!n)
		return false;
	*c = (struct kmem_cache){ .name = name, .size = size, .align = align,
		.order = order, .objs_per_slab = n,
		.first_offset = ALIGN_UP(header_size(n), align) };
	flags = slab_port_lock();
	*caches_tail = c;
	caches_tail = &c->next;
	slab_port_unlock(flags);
	return true;
}

static struct slab *slab_new(struct kmem_cache *c)
{
	struct slab *s = slab_port_pages_alloc(c->order);
	char *obj;

	if (!s)
		return NULL;
	/* the port's pages are not zeroed; a new slab's objects always were */
	memset(s, 0, PAGE_SIZE << c->order);
	s->magic = SLAB_MAGIC;
	s->total = c->objs_per_slab;
	s->cache = c;
	/* thread the free list from the top so objects go out in address order */
	obj = (char *)s + c->first_offset + (size_t)c->objs_per_slab * c->size;
	for (unsigned i = 0; i < c->objs_per_slab; i++) {
		obj -= c->size;
		*(void **)obj = s->freelist;
		s->freelist = obj;
	}
	slab_port_set_owner(s, 1u << c->order, (uintptr_t)s);
	c->slabs++;
	return s;
}

static void slab_release(struct kmem_cache *c, struct slab *s)
{
	s->magic = 0;
	c->slabs--;
	slab_port_pages_free(s, c->order);
}

static void partial_push(struct kmem_cache *c, struct slab *s)
{
	s->prev = NULL;
	s->next = c->partial;
	if (c->partial)
		c->partial->prev = s;
	c->partial = s;
}

static void partial_del(struct kmem_cache *c, struct slab *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		c->partial = s->next;
	if (s->next)
		s->next->prev = s->prev;
	s->next = s->prev = NULL;
}

static unsigned obj_index(const struct kmem_cache *c, const struct slab *s, const void *obj)
{
	return ((const char *)obj - (const char *)s - c->first_offset) / c->size;
}

void *kmem_cache_alloc(struct kmem_cache *c)
{
	unsigned long flags = slab_port_lock();
	struct slab *s = c->partial;
	unsigned i;
	void *obj;

	if (!s) {
		s = c->spare ? c->spare : slab_new(c);
		c->spare = NULL;
		if (!s) {
			c->failures++;
			slab_port_unlock(flags);
			return NULL;
		}
		partial_push(c, s);
	}
	obj = s->freelist;
	s->freelist = *(void **)obj;
	i = obj_index(c, s, obj);
	s->used[i / 64] |= 1ull << (i % 64);
	if (++s->inuse == s->total)
		partial_del(c, s);
	c->objs_in_use++;
	c->allocs++;
	slab_port_unlock(flags);
	return obj;
}

void *kmem_cache_zalloc(struct kmem_cache *c)
{
	void *obj = kmem_cache_alloc(c);

	if (obj)
		memset(obj, 0, c->size);
	return obj;
}

/* The slab of obj, after checking obj is an allocated object start in it. */
static struct slab *checked_slab(uintptr_t owner, const void *obj, const struct kmem_cache *expect)
{
	struct slab *s = (struct slab *)owner;
	const struct kmem_cache *c;
	const char *start;
	unsigned i;

	if (!owner || (owner & 1) || s->magic != SLAB_MAGIC)
		slab_port_bug("free of %p: not allocated (double free?) or not from a slab", obj);
	c = s->cache;
	if (expect && c != expect)
		slab_port_bug("free of %p to cache %s: it belongs to cache %s", obj,
			      expect->name, c->name);
	start = (const char *)s + c->first_offset;
	i = obj_index(c, s, obj);
	if ((const char *)obj < start || ((const char *)obj - start) % c->size || i >= s->total)
		slab_port_bug("free of %p: not an object start in cache %s", obj, c->name);
	if (!(s->used[i / 64] & (1ull << (i % 64))))
		slab_port_bug("double free of %p in cache %s", obj, c->name);
	return s;
}

void slab_free_owned(uintptr_t owner, void *obj, const struct kmem_cache *expect)
{
	struct slab *s = checked_slab(owner, obj, expect);
	struct kmem_cache *c = s->cache;
	unsigned i = obj_index(c, s, obj);

	s->used[i / 64] &= ~(1ull << (i % 64));
	*(void **)obj = s->freelist;
	s->freelist = obj;
	if (s->inuse-- == s->total)
		partial_push(c, s);
	c->objs_in_use--;
	c->frees++;
	if (s->inuse == 0) {
		partial_del(c, s);
		if (c->spare)
			slab_release(c, s);
		else
			c->spare = s;
	}
}

void kmem_cache_free(struct kmem_cache *c, void *obj)
{
	unsigned long flags;

	if (!obj)
		return;
	flags = slab_port_lock();
	slab_free_owned(slab_port_owner(obj), obj, c);
	slab_port_unlock(flags);
}

struct kmem_cache *kmem_cache_create(const char *name, size_t size, size_t align)
{
	struct kmem_cache *c;

	if (!slab_ready)
		slab_port_bug("kmem_cache_create(%s) before slab_init", name);
	c = kmem_cache_alloc(&cache_cache);
	if (c && !kmem_cache_setup(c, name, size, align)) {
		kmem_cache_free(&cache_cache, c);
		c = NULL;
	}
	return c;
}

int kmem_cache_destroy(struct kmem_cache *c)
{
	unsigned long flags = slab_port_lock();
	struct kmem_cache **pp = &caches;

	if (c->objs_in_use) {
		slab_port_unlock(flags);
		return -EBUSY;
	}
	if (c->spare)
		slab_release(c, c->spare);
	while (*pp != c)
		pp = &(*pp)->next;
	*pp = c->next;
	if (caches_tail == &c->next)
		caches_tail = pp;
	slab_port_unlock(flags);
	kmem_cache_free(&cache_cache, c);
	return 0;
}

void kmem_cache_for_each(void (*fn)(const struct kmem_cache_stats *st, void *arg), void *arg)
{
	unsigned long flags = slab_port_lock();
	struct kmem_cache_stats st;

	for (const struct kmem_cache *c = caches; c; c = c->next) {
		st = (struct kmem_cache_stats){ .name = c->name, .obj_size = c->size,
			.objs_in_use = c->objs_in_use, .bytes_in_use = c->objs_in_use * c->size,
			.slabs = c->slabs, .allocs = c->allocs, .frees = c->frees,
			.failures = c->failures };
		fn(&st, arg);
	}
	kmalloc_large_stats(&st);
	fn(&st, arg);
	slab_port_unlock(flags);
}

static void add_usage(const struct kmem_cache_stats *st, void *arg)
{
	uint64_t *sum = arg;

	sum[0] += st->objs_in_use;
	sum[1] += st->bytes_in_use;
}

void slab_usage(uint64_t *objs, uint64_t *bytes)
{
	uint64_t sum[2] = { 0, 0 };

	kmem_cache_for_each(add_usage, sum);
	*objs = sum[0];
	*bytes = sum[1];
}

void slab_init(void)
{
	if (!kmem_cache_setup(&cache_cache, "kmem_cache", sizeof(struct kmem_cache), 0))
		slab_port_bug("cannot set up the kmem_cache cache");
	kmalloc_init();
	slab_ready = true;
}
