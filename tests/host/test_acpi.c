/*
 * ACPI table validation (kernel/acpi/tables.c) and MADT parsing
 * (kernel/acpi/madt.c) over hand-built tables shaped like QEMU q35's.
 */
#include <stdint.h>

#include "kernel/acpi/acpi.h"
#include "kernel/acpi/madt.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "tests/host/check.h"

struct table {
	uint8_t b[512];
	size_t len;
};

static void put(struct table *t, const void *p, size_t n)
{
	memcpy(t->b + t->len, p, n);
	t->len += n;
}

static void put8(struct table *t, uint8_t v) { put(t, &v, 1); }
static void put16(struct table *t, uint16_t v) { put(t, &v, 2); }
static void put32(struct table *t, uint32_t v) { put(t, &v, 4); }

/* Sets length and checksum in the SDT header at the start of t. */
static void seal(struct table *t)
{
	struct acpi_sdt_header *h = (void *)t->b;

	h->length = (uint32_t)t->len;
	h->checksum = 0;
	h->checksum = (uint8_t)(0x100 - acpi_checksum(t->b, t->len));
}

static void madt_header(struct table *t, uint32_t lapic_addr, uint32_t flags)
{
	struct acpi_sdt_header h = { .signature = "APIC", .revision = 1 };

	t->len = 0;
	put(t, &h, sizeof(h));
	put32(t, lapic_addr);
	put32(t, flags);
}

static void madt_lapic(struct table *t, uint8_t uid, uint8_t id, uint32_t flags)
{
	put8(t, 0); put8(t, 8); put8(t, uid); put8(t, id); put32(t, flags);
}

static void madt_ioapic(struct table *t, uint8_t id, uint32_t addr, uint32_t gsi_base)
{
	put8(t, 1); put8(t, 12); put8(t, id); put8(t, 0); put32(t, addr); put32(t, gsi_base);
}

static void madt_override(struct table *t, uint8_t irq, uint32_t gsi, uint16_t flags)
{
	put8(t, 2); put8(t, 10); put8(t, 0); put8(t, irq); put32(t, gsi); put16(t, flags);
}

static void madt_lapic_nmi(struct table *t, uint8_t lint, uint16_t flags)
{
	put8(t, 4); put8(t, 6); put8(t, 0xff); put16(t, flags); put8(t, lint);
}

/* QEMU q35 with 2 CPUs, one of them disabled. */
static void build_q35(struct table *t)
{
	madt_header(t, 0xfee00000, 1);
	madt_lapic(t, 0, 0, 1);
	madt_lapic(t, 1, 1, 0);
	madt_ioapic(t, 0, 0xfec00000, 0);
	madt_override(t, 0, 2, 0);
	madt_override(t, 5, 5, 0xd);	/* level, active high */
	madt_override(t, 9, 9, 0xd);
	madt_override(t, 10, 10, 0xf);	/* level, active low */
	madt_lapic_nmi(t, 1, 0);
	seal(t);
}

static void test_madt_q35(void)
{
	struct table t;
	struct madt_info m;
	bool level, low;

	build_q35(&t);
	CHECK(acpi_sdt_valid(t.b, t.len, "APIC"));
	CHECK_EQ(madt_parse(t.b, t.len, &m), 0);
	CHECK_EQ(m.lapic_addr, 0xfee00000);
	CHECK(m.pcat_compat);
	CHECK_EQ(m.nr_cpus, 1);
	CHECK_EQ(m.nr_ioapics, 1);
	CHECK_EQ(m.ioapic[0].addr, 0xfec00000);
	CHECK_EQ(m.ioapic[0].gsi_base, 0);
	CHECK_EQ(m.nr_overrides, 4);
	CHECK_EQ(m.nmi_lint, 1);
	CHECK_EQ(m.skipped, 0);

	CHECK_EQ(madt_isa_irq(&m, 0, &level, &low), 2);
	CHECK(!level && !low);
	CHECK_EQ(madt_isa_irq(&m, 4, &level, &low), 4);	/* no override: identity, edge, high */
	CHECK(!level && !low);
	CHECK_EQ(madt_isa_irq(&m, 9, &level, &low), 9);
	CHECK(level && !low);
	CHECK_EQ(madt_isa_irq(&m, 10, &level, &low), 10);
	CHECK(level && low);
}

static void test_madt_lapic_addr_override(void)
{
	struct table t;
	struct madt_info m;
	uint64_t addr = 0x1fee00000ull;

	madt_header(&t, 0xfee00000, 0);
	put8(&t, 5); put8(&t, 12); put16(&t, 0); put(&t, &addr, 8);
	seal(&t);
	CHECK_EQ(madt_parse(t.b, t.len, &m), 0);
	CHECK_EQ(m.lapic_addr, 0x1fee00000ull);
	CHECK(!m.pcat_compat);
	CHECK_EQ(m.nmi_lint, -1);
}

static void test_madt_malformed(void)
{
	struct table t;
	struct madt_info m;

	build_q35(&t);
	/* Cut in the middle of the last entry. */
	CHECK_EQ(madt_parse(t.b, t.len - 3, &m), -EINVAL);
	CHECK_EQ(m.nr_ioapics, 0);
	CHECK_EQ(m.nr_overrides, 0);
	CHECK_EQ(madt_parse(t.b, 43, &m), -EINVAL);
	CHECK_EQ(madt_parse(NULL, 0, &m), -EINVAL);
	CHECK_EQ(m.nmi_lint, -1);

	/* An entry claiming length 0 would loop forever if accepted. */
	madt_header(&t, 0xfee00000, 1);
	put8(&t, 0); put8(&t, 0);
	CHECK_EQ(madt_parse(t.b, t.len, &m), -EINVAL);

	/* An I/O APIC entry too short for its fields. */
	madt_header(&t, 0xfee00000, 1);
	put8(&t, 1); put8(&t, 8); put32(&t, 0); put16(&t, 0);
	CHECK_EQ(madt_parse(t.b, t.len, &m), -EINVAL);

	/* Unknown entry types are skipped by their length. */
	madt_header(&t, 0xfee00000, 1);
	put8(&t, 0x7f); put8(&t, 4); put16(&t, 0);
	madt_ioapic(&t, 2, 0xfec01000, 24);
	CHECK_EQ(madt_parse(t.b, t.len, &m), 0);
	CHECK_EQ(m.nr_ioapics, 1);
	CHECK_EQ(m.ioapic[0].gsi_base, 24);
}

static void test_madt_limits(void)
{
	struct table t;
	struct madt_info m;

	madt_header(&t, 0xfee00000, 1);
	for (int i = 0; i < MADT_MAX_IOAPICS + 2; i++)
		madt_ioapic(&t, (uint8_t)i, 0xfec00000u + 0x1000u * (unsigned)i, 24u * (unsigned)i);
	put8(&t, 2); put8(&t, 10); put8(&t, 1); put8(&t, 3); put32(&t, 3); put16(&t, 0);
	CHECK_EQ(madt_parse(t.b, t.len, &m), 0);
	CHECK_EQ(m.nr_ioapics, MADT_MAX_IOAPICS);
	CHECK_EQ(m.nr_overrides, 0);	/* bus 1 is not ISA */
	CHECK_EQ(m.skipped, 3);
}

static void build_rsdp(struct acpi_rsdp *r, uint8_t revision)
{
	memset(r, 0, sizeof(*r));
	memcpy(r->signature, "RSD PTR ", 8);
	memcpy(r->oem_id, "BOCHS ", 6);
	r->revision = revision;
	r->rsdt_address = 0x7fe22e1;
	r->checksum = (uint8_t)(0x100 - acpi_checksum(r, ACPI_RSDP_V1_LEN));
	if (revision >= 2) {
		r->length = sizeof(*r);
		r->xsdt_address = 0x7fe2300;
		r->ext_checksum = (uint8_t)(0x100 - acpi_checksum(r, sizeof(*r)));
	}
}

static void test_rsdp(void)
{
	struct acpi_rsdp r;

	build_rsdp(&r, 0);
	CHECK(acpi_rsdp_valid(&r, ACPI_RSDP_V1_LEN));
	CHECK(!acpi_rsdp_valid(&r, ACPI_RSDP_V1_LEN - 1));
	r.rsdt_address ^= 1;
	CHECK(!acpi_rsdp_valid(&r, sizeof(r)));

	build_rsdp(&r, 2);
	CHECK(acpi_rsdp_valid(&r, sizeof(r)));
	CHECK(!acpi_rsdp_valid(&r, ACPI_RSDP_V1_LEN));	/* v2 needs its whole length */
	r.xsdt_address ^= 0x1000;			/* only the extended checksum covers it */
	CHECK(!acpi_rsdp_valid(&r, sizeof(r)));

	build_rsdp(&r, 0);
	r.signature[0] = 'X';
	CHECK(!acpi_rsdp_valid(&r, sizeof(r)));
}

static void test_sdt_valid(void)
{
	struct table t;

	build_q35(&t);
	CHECK(acpi_sdt_valid(t.b, t.len, NULL));
	CHECK(!acpi_sdt_valid(t.b, t.len, "MCFG"));
	CHECK(!acpi_sdt_valid(t.b, t.len - 1, "APIC"));	/* length beyond what is there */
	CHECK(!acpi_sdt_valid(t.b, 20, "APIC"));
	t.b[40] ^= 0x80;
	CHECK(!acpi_sdt_valid(t.b, t.len, "APIC"));	/* checksum */
}

int main(void)
{
	test_madt_q35();
	test_madt_lapic_addr_override();
	test_madt_malformed();
	test_madt_limits();
	test_rsdp();
	test_sdt_valid();
	return check_report();
}
