/*
 * Range sets (memrange.h).  Sets are small (a boot map has at most 128
 * entries), so every operation is a linear pass with memmove.
 */
#include "kernel/mm/memrange.h"

#include "boot/boot_info.h"
#include "kernel/errno.h"
#include "kernel/kernel.h"
#include "kernel/lib/string.h"
#include "kernel/mm/paging.h"

void memrange_init(struct memrange_set *s)
{
	s->n = 0;
}

static void remove_at(struct memrange_set *s, unsigned i, unsigned count)
{
	memmove(&s->r[i], &s->r[i + count], (s->n - i - count) * sizeof(s->r[0]));
	s->n -= count;
}

static int insert_at(struct memrange_set *s, unsigned i, uint64_t base, uint64_t end)
{
	if (s->n == MEMRANGE_MAX)
		return -ENOSPC;
	memmove(&s->r[i + 1], &s->r[i], (s->n - i) * sizeof(s->r[0]));
	s->r[i] = (struct mem_range){ base, end };
	s->n++;
	return 0;
}

int memrange_add(struct memrange_set *s, uint64_t base, uint64_t end)
{
	unsigned i = 0, j;

	if (base >= end)
		return 0;
	while (i < s->n && s->r[i].end < base)
		i++;
	/* r[i..j) overlap or touch [base, end): they collapse into one range */
	for (j = i; j < s->n && s->r[j].base <= end; j++) {
		base = MIN(base, s->r[j].base);
		end = MAX(end, s->r[j].end);
	}
	if (j == i)
		return insert_at(s, i, base, end);
	remove_at(s, i + 1, j - i - 1);
	s->r[i] = (struct mem_range){ base, end };
	return 0;
}

void memrange_subtract(struct memrange_set *s, uint64_t base, uint64_t end)
{
	unsigned i = 0;

	if (base >= end)
		return;
	while (i < s->n) {
		struct mem_range *r = &s->r[i];

		if (r->end <= base || r->base >= end) {
			i++;
		} else if (r->base < base && r->end > end) {
			uint64_t upper_end = r->end;

			r->end = base;
			/* full set: drop the upper piece rather than keep the hole */
			insert_at(s, i + 1, end, upper_end);
			return;
		} else if (r->base < base) {
			r->end = base;
			i++;
		} else if (r->end > end) {
			r->base = end;
			i++;
		} else {
			remove_at(s, i, 1);
		}
	}
}

void memrange_trim_to_pages(struct memrange_set *s)
{
	unsigned i = 0;

	while (i < s->n) {
		uint64_t base = ALIGN_UP(s->r[i].base, PAGE_SIZE);
		uint64_t end = ALIGN_DOWN(s->r[i].end, PAGE_SIZE);

		if (base >= end) {
			remove_at(s, i, 1);
			continue;
		}
		s->r[i] = (struct mem_range){ base, end };
		i++;
	}
}

/* Clamps base + len to the top of the address space. */
static uint64_t range_end(const struct boot_mem_range *m)
{
	return m->base + m->len < m->base ? UINT64_MAX : m->base + m->len;
}

void memrange_usable(struct memrange_set *s, const struct boot_info *bi,
		     uint64_t lo, uint64_t hi)
{
	memrange_init(s);
	for (uint32_t i = 0; i < bi->nmem; i++)
		if (bi->mem[i].type == BOOT_MEM_USABLE)
			memrange_add(s, bi->mem[i].base, range_end(&bi->mem[i]));
	for (uint32_t i = 0; i < bi->nmem; i++)
		if (bi->mem[i].type != BOOT_MEM_USABLE)
			memrange_subtract(s, bi->mem[i].base, range_end(&bi->mem[i]));
	memrange_subtract(s, 0, lo);
	memrange_subtract(s, hi, UINT64_MAX);
	memrange_trim_to_pages(s);
}
