/* The kernel's slab port (slab_port.h): page allocator, irq_save, panic. */
#include "kernel/mm/slab_port.h"

#include <stdarg.h>

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/lib/format.h"
#include "kernel/mm/page_alloc.h"
#include "kernel/panic.h"

void *slab_port_pages_alloc(unsigned order)
{
	return page_alloc_uninit(order);
}

void slab_port_pages_free(void *p, unsigned order)
{
	page_free(p, order);
}

void *slab_port_pages_alloc_run(size_t npages)
{
	return page_alloc_pages_uninit(npages);
}

void slab_port_pages_free_run(void *p, size_t npages)
{
	page_free_pages(p, npages);
}

void slab_port_set_owner(void *p, size_t npages, uintptr_t owner)
{
	page_set_owner(p, npages, owner);
}

uintptr_t slab_port_owner(const void *p)
{
	return page_owner(p);
}

unsigned long slab_port_lock(void)
{
	return irq_save();
}

void slab_port_unlock(unsigned long flags)
{
	irq_restore(flags);
}

void slab_port_bug(const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	panic("slab: %s", msg);
}
