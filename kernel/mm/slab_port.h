/*
 * What the slab allocator needs from its surroundings: page blocks with an
 * owner word per page, a lock, and a way to die.  The kernel implements it
 * in kernel/mm/slab_port.c (page allocator, interrupts off, panic); the
 * host tests implement it over a heap buffer, so slab.c and kmalloc.c run
 * unchanged under ASan.
 */
#ifndef SYNACK_KERNEL_MM_SLAB_PORT_H
#define SYNACK_KERNEL_MM_SLAB_PORT_H

#include <stddef.h>
#include <stdint.h>

/* 2^order pages aligned to their size, contents undefined; NULL when none. */
void *slab_port_pages_alloc(unsigned order);
void slab_port_pages_free(void *p, unsigned order);
/* Exactly npages pages starting on the boundary of the power of two at or
 * above npages (the rest of that block stays free), contents undefined;
 * NULL when none.  Freed with the same npages. */
void *slab_port_pages_alloc_run(size_t npages);
void slab_port_pages_free_run(void *p, size_t npages);
/* Owner word of each of the npages pages at p; 0 = never set or freed. */
void slab_port_set_owner(void *p, size_t npages, uintptr_t owner);
uintptr_t slab_port_owner(const void *p);
/* Excludes every other user of the allocator (nests). */
unsigned long slab_port_lock(void);
void slab_port_unlock(unsigned long flags);
/* A detected misuse: report and never return. */
void slab_port_bug(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

#endif
