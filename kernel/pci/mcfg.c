/*
 * MCFG parsing: a 36-byte ACPI header, 8 reserved bytes, then 16-byte
 * entries { u64 base; u16 segment; u8 start_bus; u8 end_bus; u32 rsvd }.
 * Fields are read bytewise: the table sits at any alignment.
 */
#include "kernel/pci/mcfg.h"

#define ACPI_SDT_HEADER_SIZE	36
#define MCFG_ENTRIES_OFFSET	(ACPI_SDT_HEADER_SIZE + 8)
#define MCFG_ENTRY_SIZE		16

static uint64_t load_le(const uint8_t *p, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

int pci_mcfg_parse(const void *table, size_t len, struct pci_ecam_region *out, int max)
{
	const uint8_t *t = table;
	int n = 0;

	for (size_t off = MCFG_ENTRIES_OFFSET; off + MCFG_ENTRY_SIZE <= len && n < max;
	     off += MCFG_ENTRY_SIZE) {
		struct pci_ecam_region r = {
			.base = load_le(t + off, 8),
			.segment = (uint16_t)load_le(t + off + 8, 2),
			.start_bus = t[off + 10],
			.end_bus = t[off + 11],
		};

		if (r.base && r.start_bus <= r.end_bus)
			out[n++] = r;
	}
	return n;
}
