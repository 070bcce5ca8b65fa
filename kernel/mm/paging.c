/*
 * Page-table walks and edits (paging.h).  Tables come from the page
 * allocator (zeroed).  A table entry pointing to a lower table carries
 * P|W only: rights are decided at the leaves, which keeps splitting simple.
 */
#include "kernel/mm/paging.h"

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/errno.h"
#include "kernel/mm/page_alloc.h"

#define TABLE_FLAGS	(PTE_P | PTE_W)

static inline unsigned level_shift(int level)
{
	return PAGE_SHIFT + 9 * level;
}

static inline uint64_t *entry_table(uint64_t e)
{
	return (uint64_t *)(uintptr_t)(e & PTE_ADDR_MASK);
}

bool paging_is_mapped(uintptr_t va)
{
	const uint64_t *table = entry_table(read_cr3());

	if (va >= (1ull << 47))
		return false;
	for (int level = 3; level >= 0; level--) {
		uint64_t e = table[(va >> level_shift(level)) & 511];

		if (!(e & PTE_P))
			return false;
		if (level == 0 || (level <= 2 && (e & PTE_PS)))
			return true;
		table = entry_table(e);
	}
	return false;
}

/*
 * The table below entry e (at `level`), creating it if e is empty and
 * splitting e into 512 equal smaller leaves if it is a large page.
 */
static uint64_t *descend(uint64_t *e, int level)
{
	uint64_t *t;

	if ((*e & PTE_P) && !(*e & PTE_PS))
		return entry_table(*e);
	t = page_alloc(0);
	if (!t)
		return NULL;
	if (*e & PTE_P) {
		uint64_t leaf = *e, step = 1ull << level_shift(level - 1);
		/* a 4 KiB leaf has no PS bit (bit 7 is PAT there) */
		uint64_t bits = (leaf & ~PTE_ADDR_MASK) & (level == 1 ? ~PTE_PS : ~0ull);

		for (int i = 0; i < 512; i++)
			t[i] = ((leaf & PTE_ADDR_MASK) + i * step) | bits;
	}
	*e = (uintptr_t)t | TABLE_FLAGS;
	return t;
}

/* Maps one leaf at va (the largest allowed); returns its size, 0 on no memory. */
static uint64_t map_one(uint64_t *root, uintptr_t va, uint64_t pa, uint64_t left,
			uint64_t flags, unsigned max_level)
{
	uint64_t *table = root;

	for (int level = 3; ; level--) {
		uint64_t size = 1ull << level_shift(level);
		uint64_t *e = &table[(va >> level_shift(level)) & 511];
		bool fits = level == 0 || ((unsigned)level <= max_level &&
					   !((va | pa) & (size - 1)) && left >= size);

		/* a large leaf may replace a leaf, never a whole subtree */
		if (fits && (level == 0 || !(*e & PTE_P) || (*e & PTE_PS))) {
			*e = pa | flags | (level ? PTE_PS : 0);
			return size;
		}
		table = descend(e, level);
		if (!table)
			return 0;
	}
}

int paging_map(uint64_t *root, uintptr_t va, uint64_t pa, uint64_t len,
	       uint64_t flags, unsigned max_level)
{
	while (len) {
		uint64_t step = map_one(root, va, pa, len, flags, max_level);

		if (!step)
			return -ENOMEM;
		va += step;
		pa += step;
		len -= step;
	}
	return 0;
}

int paging_unmap_page(uint64_t *root, uintptr_t va)
{
	uint64_t *table = root;

	for (int level = 3; level > 0; level--) {
		uint64_t *e = &table[(va >> level_shift(level)) & 511];

		if (!(*e & PTE_P))
			return 0;
		table = descend(e, level);
		if (!table)
			return -ENOMEM;
	}
	table[(va >> PAGE_SHIFT) & 511] = 0;
	return 0;
}
