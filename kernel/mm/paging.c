/*
 * Page-table walks and edits on the live tables.  Tables are reached
 * through the identity map, so a table's physical address is its pointer.
 */
#include "kernel/mm/paging.h"

#include "kernel/arch/x86_64/cpu.h"

bool paging_is_mapped(uintptr_t va)
{
	const uint64_t *table = (const uint64_t *)(uintptr_t)(read_cr3() & PTE_ADDR_MASK);

	if (va >= (1ull << 47))
		return false;
	for (int level = 3; level >= 0; level--) {
		uint64_t e = table[(va >> (12 + 9 * level)) & 511];

		if (!(e & PTE_P))
			return false;
		if (level == 0 || (level <= 2 && (e & PTE_PS)))
			return true;
		table = (const uint64_t *)(uintptr_t)(e & PTE_ADDR_MASK);
	}
	return false;
}
