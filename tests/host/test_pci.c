/*
 * PCI pure helpers over a fake configuration space: BAR sizing and
 * decoding, capability walks, MCFG parsing, driver ID matching.  The fake
 * function behaves like hardware where it matters: BAR registers keep
 * their read-only low bits and only the address bits the BAR implements
 * are writable.
 */
#include <stdint.h>

#include "kernel/pci/mcfg.h"
#include "kernel/pci/pci.h"
#include "tests/host/check.h"

static struct {
	uint8_t cfg[PCI_CFG_SPACE_EXP_SIZE];
	uint32_t bar_mask[PCI_STD_NUM_BARS];	/* writable bits; 0: not a BAR */
	int bar_probe_while_decoding;		/* all-ones BAR writes with decode on */
} fake;

static uint32_t fake_get(uint16_t off, int size)
{
	uint32_t v = 0;

	for (int i = 0; i < size; i++)
		v |= (uint32_t)fake.cfg[off + i] << (8 * i);
	return v;
}

static void fake_put(uint16_t off, int size, uint32_t v)
{
	for (int i = 0; i < size; i++)
		fake.cfg[off + i] = (uint8_t)(v >> (8 * i));
}

static uint32_t fake_read(uint16_t seg, uint8_t bus, uint8_t devfn, uint16_t off, int size)
{
	(void)seg, (void)bus, (void)devfn;
	return fake_get(off, size);
}

static void fake_write(uint16_t seg, uint8_t bus, uint8_t devfn, uint16_t off, int size,
		       uint32_t v)
{
	(void)seg, (void)bus, (void)devfn;
	if (off >= PCI_BASE_ADDRESS_0 && off < PCI_BASE_ADDRESS_0 + 24 && size == 4) {
		uint32_t mask = fake.bar_mask[(off - PCI_BASE_ADDRESS_0) / 4];

		if (v == ~0u && (fake_get(PCI_COMMAND, 2) &
				 (PCI_COMMAND_IO | PCI_COMMAND_MEMORY)))
			fake.bar_probe_while_decoding++;
		v = (v & mask) | (fake_get(off, 4) & ~mask);
	}
	fake_put(off, size, v);
}

static const struct pci_ops fake_ops = { "fake", fake_read, fake_write };

static struct pci_dev fake_dev(uint8_t hdr_type)
{
	memset(&fake, 0, sizeof(fake));
	fake_put(PCI_HEADER_TYPE, 1, hdr_type);
	return (struct pci_dev){ .ops = &fake_ops, .hdr_type = hdr_type };
}

static void set_bar(int i, uint32_t value, uint32_t mask)
{
	fake_put((uint16_t)(PCI_BASE_ADDRESS_0 + 4 * i), 4, value);
	fake.bar_mask[i] = mask;
}

static void test_bars(void)
{
	struct pci_dev d = fake_dev(PCI_HEADER_TYPE_NORMAL);
	uint8_t before[64];

	fake_put(PCI_COMMAND, 2, PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	set_bar(0, 0xfeb80000, 0xfffe0000);		/* mem32, 128 KiB */
	set_bar(1, 0x0000c001, 0x0000ffc0);		/* io, 64 bytes, 16-bit decoder */
	set_bar(2, 0x0000000c, 0xffffc000);		/* mem64 prefetchable, 16 KiB */
	set_bar(3, 0x00000008, 0xffffffff);		/*   at 0x8_0000_0000 */
	set_bar(4, 0, 0);				/* not implemented */
	set_bar(5, 0xe0000008, 0xf0000000);		/* mem32 prefetchable, 256 MiB */
	memcpy(before, fake.cfg, sizeof(before));

	pci_read_bases(&d);
	CHECK_EQ(d.bar[0].base, 0xfeb80000);
	CHECK_EQ(d.bar[0].size, 0x20000);
	CHECK_EQ(d.bar[0].flags, 0);
	CHECK_EQ(d.bar[1].base, 0xc000);
	CHECK_EQ(d.bar[1].size, 0x40);
	CHECK_EQ(d.bar[1].flags, PCI_BAR_IO);
	CHECK_EQ(d.bar[2].base, 0x800000000ll);
	CHECK_EQ(d.bar[2].size, 0x4000);
	CHECK_EQ(d.bar[2].flags, PCI_BAR_MEM64 | PCI_BAR_PREFETCH);
	CHECK_EQ(d.bar[3].size, 0);
	CHECK_EQ(d.bar[4].size, 0);
	CHECK_EQ(d.bar[4].base, 0);
	CHECK_EQ(d.bar[5].base, 0xe0000000);
	CHECK_EQ(d.bar[5].size, 0x10000000);
	CHECK_EQ(d.bar[5].flags, PCI_BAR_PREFETCH);
	/* Sizing happened with decoding off, and left the header as it was. */
	CHECK_EQ(fake.bar_probe_while_decoding, 0);
	CHECK(!memcmp(before, fake.cfg, sizeof(before)));
}

/* A 64-bit BAR large enough that its size lives in the upper dword. */
static void test_bar_huge(void)
{
	struct pci_dev d = fake_dev(PCI_HEADER_TYPE_NORMAL);

	set_bar(0, 0x0000000c, 0x00000000);
	set_bar(1, 0x00000010, 0xfffffff0);		/* 64 GiB at 0x10_0000_0000 */
	pci_read_bases(&d);
	CHECK_EQ(d.bar[0].base, 0x1000000000ll);
	CHECK_EQ(d.bar[0].size, 0x1000000000ll);
}

/* A 64-bit type in the last BAR has no upper half: sized from the low one. */
static void test_bar_64_at_end(void)
{
	struct pci_dev d = fake_dev(PCI_HEADER_TYPE_NORMAL);

	set_bar(5, 0xc0000004, 0xfff00000);
	pci_read_bases(&d);
	CHECK_EQ(d.bar[5].base, 0xc0000000);
	CHECK_EQ(d.bar[5].size, 0x100000);
	CHECK_EQ(d.bar[5].flags, 0);
}

/* A bridge has two BARs; the bus numbers behind them stay untouched. */
static void test_bridge_bars(void)
{
	struct pci_dev d = fake_dev(PCI_HEADER_TYPE_BRIDGE);

	set_bar(0, 0xfe000000, 0xfffff000);
	fake_put(PCI_PRIMARY_BUS, 4, 0x00050100);	/* primary 0, secondary 1, sub 5 */
	fake.bar_mask[2] = 0xffffffff;			/* would clobber if probed */
	pci_read_bases(&d);
	CHECK_EQ(d.bar[0].size, 0x1000);
	CHECK_EQ(d.bar[1].size, 0);
	CHECK_EQ(d.bar[2].size, 0);
	CHECK_EQ(fake_get(PCI_PRIMARY_BUS, 4), 0x00050100);
}

static void test_cardbus_no_bars(void)
{
	struct pci_dev d = fake_dev(PCI_HEADER_TYPE_CARDBUS);

	set_bar(0, 0xfe000000, 0xfffff000);
	pci_read_bases(&d);
	CHECK_EQ(d.bar[0].size, 0);
}

static void put_cap(uint8_t pos, uint8_t id, uint8_t next)
{
	fake.cfg[pos] = id;
	fake.cfg[pos + 1] = next;
}

static void test_caps(void)
{
	struct pci_dev d = fake_dev(PCI_HEADER_TYPE_NORMAL);
	uint8_t found[4];
	int n = 0;

	fake_put(PCI_STATUS, 2, PCI_STATUS_CAP_LIST);
	fake.cfg[PCI_CAPABILITY_LIST] = 0x40;
	put_cap(0x40, PCI_CAP_ID_PM, 0x50);
	put_cap(0x50, PCI_CAP_ID_VNDR, 0x63);		/* reserved low bits set */
	put_cap(0x60, PCI_CAP_ID_MSIX, 0x70);
	put_cap(0x70, PCI_CAP_ID_VNDR, 0x84);
	put_cap(0x84, PCI_CAP_ID_VNDR, 0x00);

	CHECK_EQ(pci_find_capability(&d, PCI_CAP_ID_PM), 0x40);
	CHECK_EQ(pci_find_capability(&d, PCI_CAP_ID_MSIX), 0x60);
	CHECK_EQ(pci_find_capability(&d, PCI_CAP_ID_MSI), 0);
	for (uint8_t pos = pci_find_capability(&d, PCI_CAP_ID_VNDR); pos && n < 4;
	     pos = pci_find_next_capability(&d, pos, PCI_CAP_ID_VNDR))
		found[n++] = pos;
	CHECK_EQ(n, 3);
	CHECK_EQ(found[0], 0x50);
	CHECK_EQ(found[1], 0x70);
	CHECK_EQ(found[2], 0x84);
	CHECK_EQ(pci_find_next_capability(&d, 0x40, PCI_CAP_ID_MSIX), 0x60);

	/* The whole list in one walk, in order; cut at max. */
	struct pci_cap caps[8];
	static const uint8_t pos[5] = { 0x40, 0x50, 0x60, 0x70, 0x84 };
	static const uint8_t ids[5] = { PCI_CAP_ID_PM, PCI_CAP_ID_VNDR, PCI_CAP_ID_MSIX,
					PCI_CAP_ID_VNDR, PCI_CAP_ID_VNDR };

	CHECK_EQ(pci_cap_list(&d, caps, 8), 5);
	for (int i = 0; i < 5; i++) {
		CHECK_EQ(caps[i].pos, pos[i]);
		CHECK_EQ(caps[i].id, ids[i]);
	}
	CHECK_EQ(pci_cap_list(&d, caps, 2), 2);
	CHECK_EQ(caps[1].pos, 0x50);

	/* No list without the status bit. */
	fake_put(PCI_STATUS, 2, 0);
	CHECK_EQ(pci_find_capability(&d, PCI_CAP_ID_PM), 0);
	CHECK_EQ(pci_cap_list(&d, caps, 8), 0);
}

static void test_caps_malformed(void)
{
	struct pci_dev d = fake_dev(PCI_HEADER_TYPE_NORMAL);

	fake_put(PCI_STATUS, 2, PCI_STATUS_CAP_LIST);
	/* A loop ends by TTL. */
	fake.cfg[PCI_CAPABILITY_LIST] = 0x40;
	put_cap(0x40, PCI_CAP_ID_PM, 0x50);
	put_cap(0x50, PCI_CAP_ID_VNDR, 0x40);
	CHECK_EQ(pci_find_capability(&d, PCI_CAP_ID_MSI), 0);
	struct pci_cap caps[64];
	CHECK_EQ(pci_cap_list(&d, caps, 64), 48);	/* the TTL, then it stops */
	CHECK_EQ(pci_cap_list(&d, caps, 4), 4);
	/* A pointer into the header ends the list. */
	put_cap(0x50, PCI_CAP_ID_VNDR, 0x3c);
	CHECK_EQ(pci_find_capability(&d, PCI_CAP_ID_MSI), 0);
	/* All-ones (a vanished device) ends it too. */
	memset(fake.cfg + 0x40, 0xff, 0xc0);
	CHECK_EQ(pci_find_capability(&d, PCI_CAP_ID_MSI), 0);
}

static void test_caps_cardbus(void)
{
	struct pci_dev d = fake_dev(PCI_HEADER_TYPE_CARDBUS);

	fake_put(PCI_STATUS, 2, PCI_STATUS_CAP_LIST);
	fake.cfg[PCI_CB_CAPABILITY_LIST] = 0x80;
	fake.cfg[PCI_CAPABILITY_LIST] = 0x40;
	put_cap(0x40, PCI_CAP_ID_MSI, 0);
	put_cap(0x80, PCI_CAP_ID_PM, 0);
	CHECK_EQ(pci_find_capability(&d, PCI_CAP_ID_PM), 0x80);
	CHECK_EQ(pci_find_capability(&d, PCI_CAP_ID_MSI), 0);
}

static void put_le(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put_mcfg_entry(uint8_t *t, int i, uint64_t base, uint16_t seg, uint8_t s, uint8_t e)
{
	uint8_t *p = t + 44 + 16 * i;

	put_le(p, base, 8);
	put_le(p + 8, seg, 2);
	p[10] = s;
	p[11] = e;
}

static void test_mcfg(void)
{
	uint8_t t[44 + 16 * 4 + 8] = { 0 };
	struct pci_ecam_region r[4];

	put_mcfg_entry(t, 0, 0xb0000000, 0, 0, 255);
	put_mcfg_entry(t, 1, 0, 1, 0, 255);		/* no base: skipped */
	put_mcfg_entry(t, 2, 0xc0000000, 2, 10, 5);	/* start > end: skipped */
	put_mcfg_entry(t, 3, 0x4000000000ull, 3, 16, 31);
	/* The last 8 bytes are a truncated entry and must be ignored. */
	CHECK_EQ(pci_mcfg_parse(t, sizeof(t), r, 4), 2);
	CHECK_EQ(r[0].base, 0xb0000000);
	CHECK_EQ(r[0].segment, 0);
	CHECK_EQ(r[0].end_bus, 255);
	CHECK_EQ(r[1].base, 0x4000000000ll);
	CHECK_EQ(r[1].segment, 3);
	CHECK_EQ(r[1].start_bus, 16);
	CHECK_EQ(r[1].end_bus, 31);
	CHECK_EQ(pci_mcfg_parse(t, sizeof(t), r, 1), 1);
	CHECK_EQ(pci_mcfg_parse(t, 44, r, 4), 0);
	CHECK_EQ(pci_mcfg_parse(t, 20, r, 4), 0);
}

static void test_match(void)
{
	static const struct pci_device_id ids[] = {
		{ .vendor = 0x8086, .device = 0x100e, .driver_data = 1 },
		{ .vendor = 0x1af4, .device = PCI_ANY_ID, .class = 0x020000,
		  .class_mask = 0xffff00, .driver_data = 2 },
		{ .vendor = PCI_ANY_ID, .device = PCI_ANY_ID, .class = 0x010600,
		  .class_mask = 0xffff00, .driver_data = 3 },
		{ 0 }
	};
	struct pci_dev e1000 = { .vendor = 0x8086, .device = 0x100e, .class = 0x020000 };
	struct pci_dev vnet = { .vendor = 0x1af4, .device = 0x1041, .class = 0x020000 };
	struct pci_dev vblk = { .vendor = 0x1af4, .device = 0x1042, .class = 0x010000 };
	struct pci_dev ahci = { .vendor = 0x8086, .device = 0x2922, .class = 0x010601 };

	CHECK_EQ(pci_match_id(ids, &e1000)->driver_data, 1);
	CHECK_EQ(pci_match_id(ids, &vnet)->driver_data, 2);
	CHECK(pci_match_id(ids, &vblk) == NULL);
	CHECK_EQ(pci_match_id(ids, &ahci)->driver_data, 3);
	CHECK(pci_match_id(&ids[3], &e1000) == NULL);
}

int main(void)
{
	test_bars();
	test_bar_huge();
	test_bar_64_at_end();
	test_bridge_bars();
	test_cardbus_no_bars();
	test_caps();
	test_caps_malformed();
	test_caps_cardbus();
	test_mcfg();
	test_match();
	return check_report();
}
