/*
 * MADT walk (ACPI 6.5, 5.2.12): a 44-byte header (the common SDT header,
 * the local APIC address and flags), then variable-length entries
 * {u8 type, u8 length, ...}.  Fields are read with memcpy: entries are
 * packed and unaligned.  Pure logic, shared with the host tests.
 */
#include "kernel/acpi/madt.h"

#include "kernel/acpi/acpi.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"

#define MADT_HEADER_LEN		44
#define MADT_PCAT_COMPAT	1u

enum madt_entry_type {
	MADT_LAPIC = 0,
	MADT_IOAPIC = 1,
	MADT_OVERRIDE = 2,
	MADT_LAPIC_NMI = 4,
	MADT_LAPIC_ADDR = 5,
	MADT_X2APIC = 9,
};

/* Entry lengths below which a type's fields are not all present. */
#define MADT_LAPIC_LEN		8
#define MADT_IOAPIC_LEN		12
#define MADT_OVERRIDE_LEN	10
#define MADT_LAPIC_NMI_LEN	6
#define MADT_LAPIC_ADDR_LEN	12
#define MADT_X2APIC_LEN		16

/* MPS INTI flags: polarity bits 1:0, trigger mode bits 3:2 (3 = low / level). */
#define INTI_POLARITY(f)	((f) & 3u)
#define INTI_TRIGGER(f)		(((f) >> 2) & 3u)

static uint16_t get16(const uint8_t *p)
{
	uint16_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

static void madt_add_ioapic(struct madt_info *m, const uint8_t *e)
{
	if (m->nr_ioapics == MADT_MAX_IOAPICS) {
		m->skipped++;
		return;
	}
	m->ioapic[m->nr_ioapics++] = (struct madt_ioapic){
		.id = e[2], .addr = get32(e + 4), .gsi_base = get32(e + 8),
	};
}

static void madt_add_override(struct madt_info *m, const uint8_t *e)
{
	/* Bus 0 is ISA, the only bus ACPI defines overrides for. */
	if (e[2] != 0 || m->nr_overrides == MADT_MAX_OVERRIDES) {
		m->skipped++;
		return;
	}
	m->override[m->nr_overrides++] = (struct madt_override){
		.source = e[3], .gsi = get32(e + 4), .flags = get16(e + 8),
	};
}

/* One entry of at least the type's minimum length; -EINVAL otherwise. */
static int madt_entry(struct madt_info *m, const uint8_t *e)
{
	static const uint8_t min_len[] = {
		[MADT_LAPIC] = MADT_LAPIC_LEN, [MADT_IOAPIC] = MADT_IOAPIC_LEN,
		[MADT_OVERRIDE] = MADT_OVERRIDE_LEN, [MADT_LAPIC_NMI] = MADT_LAPIC_NMI_LEN,
		[MADT_LAPIC_ADDR] = MADT_LAPIC_ADDR_LEN, [MADT_X2APIC] = MADT_X2APIC_LEN,
	};
	uint8_t type = e[0];

	if (type < sizeof(min_len) && e[1] < min_len[type])
		return -EINVAL;
	switch (type) {
	case MADT_LAPIC:	/* flags: bit 0 enabled, bit 1 online capable */
		m->nr_cpus += (get32(e + 4) & 3u) != 0;
		break;
	case MADT_X2APIC:
		m->nr_cpus += (get32(e + 8) & 3u) != 0;
		break;
	case MADT_IOAPIC:
		madt_add_ioapic(m, e);
		break;
	case MADT_OVERRIDE:
		madt_add_override(m, e);
		break;
	case MADT_LAPIC_NMI:	/* processor UID 0xff means all processors */
		m->nmi_flags = get16(e + 3);
		m->nmi_lint = e[5];
		break;
	case MADT_LAPIC_ADDR:
		memcpy(&m->lapic_addr, e + 4, sizeof(m->lapic_addr));
		break;
	}
	return 0;
}

static int madt_reset(struct madt_info *out)
{
	memset(out, 0, sizeof(*out));
	out->nmi_lint = -1;
	return -EINVAL;
}

int madt_parse(const void *table, size_t len, struct madt_info *out)
{
	const uint8_t *t = table;

	madt_reset(out);
	if (!t || len < MADT_HEADER_LEN)
		return -EINVAL;
	out->lapic_addr = get32(t + 36);
	out->pcat_compat = get32(t + 40) & MADT_PCAT_COMPAT;
	for (size_t off = MADT_HEADER_LEN; off < len;) {
		const uint8_t *e = t + off;

		if (len - off < 2 || e[1] < 2 || e[1] > len - off || madt_entry(out, e) < 0)
			return madt_reset(out);
		off += e[1];
	}
	return 0;
}

uint32_t madt_isa_irq(const struct madt_info *m, uint8_t irq, bool *level, bool *active_low)
{
	*level = false;
	*active_low = false;
	for (unsigned i = 0; i < m->nr_overrides; i++) {
		const struct madt_override *o = &m->override[i];

		if (o->source != irq)
			continue;
		/* 0 "conforms to the bus": ISA is edge, active high. */
		*level = INTI_TRIGGER(o->flags) == 3;
		*active_low = INTI_POLARITY(o->flags) == 3;
		return o->gsi;
	}
	return irq;
}
