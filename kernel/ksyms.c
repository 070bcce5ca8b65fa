/*
 * Symbol lookup over the table tools/ksyms.py emits:
 *   u64 count; struct { u32 addr - __text_start; u32 name_off; } sym[count];
 *   char names[];
 * sorted by address.
 */
#include "kernel/ksyms.h"

#include "kernel/lib/format.h"
#include "kernel/mm/paging.h"

struct ksym {
	uint32_t text_off;
	uint32_t name_off;
};

extern const uint8_t __ksyms_start[], __ksyms_end[];
extern const uint8_t __text_start[], __text_end[];

const char *ksyms_lookup(uintptr_t addr, uintptr_t *offset)
{
	if (__ksyms_end - __ksyms_start < 8)
		return NULL;
	uint64_t count = *(const uint64_t *)__ksyms_start;
	const struct ksym *sym = (const void *)(__ksyms_start + 8);
	const char *names = (const char *)(sym + count);
	uint64_t lo = 0, hi = count;

	if (addr < (uintptr_t)__text_start || addr >= (uintptr_t)__text_end || !count)
		return NULL;
	uintptr_t off = addr - (uintptr_t)__text_start;
	while (hi - lo > 1) {	/* last symbol with sym.text_off <= off */
		uint64_t mid = lo + (hi - lo) / 2;
		if (sym[mid].text_off <= off)
			lo = mid;
		else
			hi = mid;
	}
	if (sym[lo].text_off > off)
		return NULL;
	*offset = off - sym[lo].text_off;
	return names + sym[lo].name_off;
}

void ksyms_format(char *buf, size_t size, uintptr_t addr)
{
	uintptr_t off;
	const char *name = ksyms_lookup(addr, &off);

	if (name)
		ksnprintf(buf, size, "%s+0x%lx", name, (unsigned long)off);
	else
		ksnprintf(buf, size, "?");
}

bool ksyms_addr_is_mapped(uintptr_t addr)
{
	return paging_is_mapped(addr);
}
