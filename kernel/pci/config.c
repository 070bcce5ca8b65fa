/*
 * Configuration-space access.  ECAM is preferred where the MCFG table
 * describes it: plain MMIO, the full 4 KiB per function (PCIe extended
 * capabilities), no port pair to serialize.  Otherwise the legacy
 * mechanism #1: write the address to 0xCF8, move data through 0xCFC..0xCFF
 * with interrupts off so the pair is never split by an IRQ handler.
 *
 * Each window is mapped uncached once with ioremap, covering only its
 * backed buses.  Boot-time setup, then any context.
 */
#include "kernel/pci/config.h"

#include "kernel/acpi/acpi.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/kernel.h"
#include "kernel/mm/vm.h"
#include "kernel/pci/mcfg.h"
#include "kernel/pci/pci.h"
#include "kernel/printk.h"

#define PCI_CONF_ADDR	0xcf8
#define PCI_CONF_DATA	0xcfc
#define PCI_CONF_ENABLE	0x80000000u
#define ECAM_MAX	4

static struct ecam_window {
	struct pci_ecam_region r;
	volatile uint8_t *virt;	/* maps bus start_bus at offset 0 */
} ecam[ECAM_MAX];
static int ecam_count;

static uint32_t legacy_addr(uint8_t bus, uint8_t devfn, uint16_t off)
{
	return PCI_CONF_ENABLE | (uint32_t)bus << 16 | (uint32_t)devfn << 8 | (off & 0xfc);
}

static uint32_t legacy_read(uint16_t seg, uint8_t bus, uint8_t devfn, uint16_t off, int size)
{
	unsigned long flags;
	uint32_t v;

	if (seg || off >= PCI_CFG_SPACE_SIZE)
		return ~0u;
	flags = irq_save();
	outl(PCI_CONF_ADDR, legacy_addr(bus, devfn, off));
	if (size == 1)
		v = inb(PCI_CONF_DATA + (off & 3));
	else if (size == 2)
		v = inw(PCI_CONF_DATA + (off & 2));
	else
		v = inl(PCI_CONF_DATA);
	irq_restore(flags);
	return v;
}

static void legacy_write(uint16_t seg, uint8_t bus, uint8_t devfn, uint16_t off, int size,
			 uint32_t v)
{
	unsigned long flags;

	if (seg || off >= PCI_CFG_SPACE_SIZE)
		return;
	flags = irq_save();
	outl(PCI_CONF_ADDR, legacy_addr(bus, devfn, off));
	if (size == 1)
		outb(PCI_CONF_DATA + (off & 3), (uint8_t)v);
	else if (size == 2)
		outw(PCI_CONF_DATA + (off & 2), (uint16_t)v);
	else
		outl(PCI_CONF_DATA, v);
	irq_restore(flags);
}

static const struct pci_ops legacy_ops = {
	.name = "legacy ports",
	.read = legacy_read,
	.write = legacy_write,
};

/* Address of (seg, bus, devfn, off) in a mapped window, NULL if none. */
static volatile void *ecam_addr(uint16_t seg, uint8_t bus, uint8_t devfn, uint16_t off)
{
	for (int i = 0; i < ecam_count; i++) {
		const struct ecam_window *w = &ecam[i];

		if (w->r.segment != seg || bus < w->r.start_bus || bus > w->r.end_bus)
			continue;
		return w->virt + ((uint64_t)(bus - w->r.start_bus) << PCI_ECAM_BUS_SHIFT) +
		       ((uint32_t)devfn << 12) + (off & 0xfff);
	}
	return NULL;
}

static uint32_t ecam_read(uint16_t seg, uint8_t bus, uint8_t devfn, uint16_t off, int size)
{
	volatile void *p = ecam_addr(seg, bus, devfn, off);

	if (!p)
		return ~0u;
	if (size == 1)
		return *(volatile uint8_t *)p;
	if (size == 2)
		return *(volatile uint16_t *)p;
	return *(volatile uint32_t *)p;
}

static void ecam_write(uint16_t seg, uint8_t bus, uint8_t devfn, uint16_t off, int size,
		       uint32_t v)
{
	volatile void *p = ecam_addr(seg, bus, devfn, off);

	if (!p)
		return;
	if (size == 1)
		*(volatile uint8_t *)p = (uint8_t)v;
	else if (size == 2)
		*(volatile uint16_t *)p = (uint16_t)v;
	else
		*(volatile uint32_t *)p = v;
}

static const struct pci_ops ecam_ops = {
	.name = "ECAM",
	.read = ecam_read,
	.write = ecam_write,
};

/* Maps the MCFG windows; returns how many are usable. */
static int ecam_init(void)
{
	const struct acpi_sdt_header *mcfg = acpi_find_table("MCFG");
	struct pci_ecam_region r[ECAM_MAX];
	int n = mcfg ? pci_mcfg_parse(mcfg, mcfg->length, r, ECAM_MAX) : 0;

	for (int i = 0; i < n; i++) {
		uint64_t start = r[i].base + ((uint64_t)r[i].start_bus << PCI_ECAM_BUS_SHIFT);
		size_t len = (size_t)(r[i].end_bus - r[i].start_bus + 1) << PCI_ECAM_BUS_SHIFT;
		void *virt = ioremap(start, len);

		if (!virt) {
			pr_warn("pci: cannot map ECAM at %#lx\n", (unsigned long)start);
			continue;
		}
		ecam[ecam_count++] = (struct ecam_window){ .r = r[i], .virt = virt };
		pr_info("pci: ECAM segment %u buses %02x-%02x at %#lx\n", r[i].segment,
			r[i].start_bus, r[i].end_bus, (unsigned long)start);
	}
	return ecam_count;
}

/* Mechanism #1 is there if the address register keeps its enable bit. */
static bool legacy_present(void)
{
	uint32_t saved = inl(PCI_CONF_ADDR);
	bool ok;

	outl(PCI_CONF_ADDR, PCI_CONF_ENABLE);
	ok = inl(PCI_CONF_ADDR) == PCI_CONF_ENABLE;
	outl(PCI_CONF_ADDR, saved);
	return ok;
}

int pci_config_init(struct pci_root *roots, int max)
{
	int n = 0;

	ecam_init();
	for (int i = 0; i < ecam_count && n < max; i++)
		roots[n++] = (struct pci_root){ &ecam_ops, ecam[i].r.segment, ecam[i].r.start_bus };
	if (n == 0 && max > 0 && legacy_present()) {
		roots[n++] = (struct pci_root){ &legacy_ops, 0, 0 };
		pr_info("pci: config space through legacy ports 0xcf8/0xcfc\n");
	}
	return n;
}
