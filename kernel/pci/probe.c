/*
 * Enumeration: from each root bus, every device slot and (for
 * multi-function devices) every function; a PCI-to-PCI bridge's secondary
 * bus is scanned recursively.  Bus numbers come from firmware; a bridge
 * whose secondary bus is not above its own is skipped, which also makes
 * the recursion terminate.  Devices live in a fixed table (enumeration
 * runs before anyone needs an allocator) and are never freed.
 *
 * Runs as a subsys initcall, so drivers (device initcalls) find the table
 * filled.  Also home to the small device-control helpers drivers call.
 */
#include "kernel/pci/pci.h"

#include <stdarg.h>

#include "kernel/errno.h"
#include "kernel/initcall.h"
#include "kernel/kernel.h"
#include "kernel/lib/format.h"
#include "kernel/mm/vm.h"
#include "kernel/pci/config.h"
#include "kernel/printk.h"

#define PCI_MAX_DEVICES	128
#define PCI_MAX_ROOTS	4

static struct pci_dev devices[PCI_MAX_DEVICES];
static int ndevices;

static const struct {
	uint16_t class;		/* base class << 8 | subclass */
	const char *name;
} class_names[] = {
	{ 0x0101, "ide" }, { 0x0106, "sata" }, { 0x0108, "nvme" },
	{ 0x0200, "ethernet" }, { 0x0300, "vga" }, { 0x0403, "audio" },
	{ 0x0600, "host bridge" }, { 0x0601, "isa bridge" }, { 0x0604, "pci bridge" },
	{ 0x0c03, "usb" }, { 0x0c05, "smbus" },
};

#define PCI_MAX_CAPS	48	/* 4-byte entries in the 192 bytes after the header */

static const struct {
	uint8_t id;
	const char *name;
} cap_names[] = {
	{ PCI_CAP_ID_PM, "pm" }, { PCI_CAP_ID_MSI, "msi" }, { PCI_CAP_ID_MSIX, "msix" },
	{ PCI_CAP_ID_EXP, "pcie" }, { PCI_CAP_ID_VNDR, "vndr" },
};

const char *pci_name(const struct pci_dev *dev, char *buf, size_t size)
{
	ksnprintf(buf, size, "%04x:%02x:%02x.%u", dev->segment, dev->bus,
		  PCI_SLOT(dev->devfn), PCI_FUNC(dev->devfn));
	return buf;
}

static const char *pci_class_name(uint32_t class)
{
	for (size_t i = 0; i < ARRAY_SIZE(class_names); i++)
		if (class_names[i].class == class >> 8)
			return class_names[i].name;
	return "other";
}

/* A console line built piecewise; output past the end is dropped. */
struct line {
	char buf[384];
	size_t len;
};

static void __attribute__((format(printf, 2, 3))) line_add(struct line *l, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(l->buf + l->len, sizeof(l->buf) - l->len, fmt, ap);
	va_end(ap);
	l->len = MIN(l->len + (size_t)n, sizeof(l->buf) - 1);
}

/* The capabilities drivers care about, with a count where there are several. */
static void line_add_caps(struct line *l, const struct pci_cap *caps, int ncaps)
{
	const char *sep = " caps";

	for (size_t i = 0; i < ARRAY_SIZE(cap_names); i++) {
		int count = 0;

		for (int k = 0; k < ncaps; k++)
			count += caps[k].id == cap_names[i].id;
		if (count == 1)
			line_add(l, "%s %s", sep, cap_names[i].name);
		else if (count > 1)
			line_add(l, "%s %s*%d", sep, cap_names[i].name, count);
		if (count)
			sep = "";
	}
}

/* One line per device: address, IDs, class, IRQ pin, BARs, capabilities. */
static void pci_print_dev(const struct pci_dev *dev, const struct pci_cap *caps, int ncaps)
{
	struct line l = { .len = 0 };
	char name[16];

	line_add(&l, "pci %s %04x:%04x class %06x (%s)", pci_name(dev, name, sizeof(name)),
		 dev->vendor, dev->device, dev->class, pci_class_name(dev->class));
	if (dev->irq_pin)
		line_add(&l, " INT%c line %u", 'A' + dev->irq_pin - 1, dev->irq_line);
	for (int i = 0; i < PCI_STD_NUM_BARS; i++) {
		const struct pci_bar *b = &dev->bar[i];

		if (!b->size)
			continue;
		line_add(&l, " bar%d %s%s %#lx/%#lx", i,
			 b->flags & PCI_BAR_IO ? "io" : b->flags & PCI_BAR_MEM64 ? "mem64" : "mem32",
			 b->flags & PCI_BAR_PREFETCH ? " pref" : "",
			 (unsigned long)b->base, (unsigned long)b->size);
	}
	line_add_caps(&l, caps, ncaps);
	pr_info("%s\n", l.buf);
}

/* Reads the identity and resources of a present function into a new
 * table entry; NULL when the table is full.  The header goes by dwords and
 * the capability list is walked once: under a hypervisor every config
 * access is an exit (250 before the ready line with QEMU's q35 and e1000,
 * 286 with virtio-net; 322 and 399 with a read per field and a walk per
 * capability ID). */
static struct pci_dev *pci_setup_dev(const struct pci_root *root, uint8_t bus, uint8_t devfn)
{
	struct pci_cap caps[PCI_MAX_CAPS];
	struct pci_dev *dev;
	uint32_t id, class_rev, hdr, intr, subsys;
	int ncaps;

	if (ndevices == PCI_MAX_DEVICES)
		return NULL;
	dev = &devices[ndevices++];
	*dev = (struct pci_dev){ .ops = root->ops, .segment = root->segment,
				 .bus = bus, .devfn = devfn };
	id = pci_read_config32(dev, PCI_VENDOR_ID);
	dev->vendor = (uint16_t)id;
	dev->device = (uint16_t)(id >> 16);
	class_rev = pci_read_config32(dev, PCI_CLASS_REVISION);
	dev->class = class_rev >> 8;
	dev->revision = (uint8_t)class_rev;
	hdr = pci_read_config32(dev, PCI_HEADER_TYPE & ~3u);
	dev->hdr_type = (uint8_t)(hdr >> 8 * (PCI_HEADER_TYPE & 3)) & PCI_HEADER_TYPE_MASK;
	intr = pci_read_config32(dev, PCI_INTERRUPT_LINE & ~3u);
	dev->irq_line = (uint8_t)(intr >> 8 * (PCI_INTERRUPT_LINE & 3));
	dev->irq_pin = (uint8_t)(intr >> 8 * (PCI_INTERRUPT_PIN & 3));
	if (dev->hdr_type == PCI_HEADER_TYPE_NORMAL) {
		subsys = pci_read_config32(dev, PCI_SUBSYSTEM_VENDOR_ID);
		dev->subsystem_vendor = (uint16_t)subsys;
		dev->subsystem_device = (uint16_t)(subsys >> 16);
	}
	pci_read_bases(dev);
	ncaps = pci_cap_list(dev, caps, PCI_MAX_CAPS);
	for (int i = ncaps - 1; i >= 0; i--) {		/* the first of each wins */
		if (caps[i].id == PCI_CAP_ID_MSI)
			dev->msi_cap = caps[i].pos;
		else if (caps[i].id == PCI_CAP_ID_MSIX)
			dev->msix_cap = caps[i].pos;
	}
	pci_print_dev(dev, caps, ncaps);
	return dev;
}

static void pci_scan_bus(const struct pci_root *root, uint8_t bus);

/* A present function: record it, and follow it if it is a bridge. */
static void pci_scan_function(const struct pci_root *root, uint8_t bus, uint8_t devfn)
{
	struct pci_dev *dev = pci_setup_dev(root, bus, devfn);
	uint8_t secondary;

	if (!dev) {
		pr_warn("pci: more than %d functions, ignoring the rest\n", PCI_MAX_DEVICES);
		return;
	}
	pci_bind_device(dev);
	if (dev->hdr_type != PCI_HEADER_TYPE_BRIDGE)
		return;
	secondary = pci_read_config8(dev, PCI_SECONDARY_BUS);
	if (secondary <= bus) {
		pr_warn("pci: bridge on bus %02x has no usable secondary bus (%02x)\n",
			bus, secondary);
		return;
	}
	pci_scan_bus(root, secondary);
}

static void pci_scan_bus(const struct pci_root *root, uint8_t bus)
{
	for (uint8_t slot = 0; slot < 32; slot++) {
		uint8_t nfn = 1;

		for (uint8_t fn = 0; fn < nfn; fn++) {
			uint8_t devfn = PCI_DEVFN(slot, fn);
			uint16_t vendor = (uint16_t)root->ops->read(root->segment, bus, devfn,
								    PCI_VENDOR_ID, 2);

			if (vendor == 0xffff || vendor == 0)
				continue;
			if (fn == 0 && (root->ops->read(root->segment, bus, devfn,
							PCI_HEADER_TYPE, 1) & PCI_HEADER_MULTI_FUNC))
				nfn = 8;
			pci_scan_function(root, bus, devfn);
		}
	}
}

static int pci_init(void)
{
	struct pci_root roots[PCI_MAX_ROOTS];
	int nroots = pci_config_init(roots, PCI_MAX_ROOTS);

	if (!nroots) {
		pr_warn("pci: no configuration mechanism, no PCI devices\n");
		return -ENODEV;
	}
	for (int i = 0; i < nroots; i++)
		pci_scan_bus(&roots[i], roots[i].bus);
	pr_info("pci: %d functions\n", ndevices);
	return 0;
}
subsys_initcall(pci_init);

void pci_for_each_dev(void (*fn)(struct pci_dev *dev, void *arg), void *arg)
{
	for (int i = 0; i < ndevices; i++)
		fn(&devices[i], arg);
}

int pci_enable_device(struct pci_dev *dev)
{
	uint16_t cmd = pci_read_config16(dev, PCI_COMMAND);

	for (int i = 0; i < PCI_STD_NUM_BARS; i++) {
		if (!dev->bar[i].size)
			continue;
		cmd |= dev->bar[i].flags & PCI_BAR_IO ? PCI_COMMAND_IO : PCI_COMMAND_MEMORY;
	}
	pci_write_config16(dev, PCI_COMMAND, cmd);
	return 0;
}

void pci_set_master(struct pci_dev *dev)
{
	uint16_t cmd = pci_read_config16(dev, PCI_COMMAND);

	pci_write_config16(dev, PCI_COMMAND, cmd | PCI_COMMAND_MASTER);
}

void pci_intx(struct pci_dev *dev, bool enable)
{
	uint16_t cmd = pci_read_config16(dev, PCI_COMMAND);

	if (enable)
		cmd &= (uint16_t)~PCI_COMMAND_INTX_DISABLE;
	else
		cmd |= PCI_COMMAND_INTX_DISABLE;
	pci_write_config16(dev, PCI_COMMAND, cmd);
}

void *pci_iomap(struct pci_dev *dev, int bar)
{
	struct pci_bar *b;

	if (bar < 0 || bar >= PCI_STD_NUM_BARS)
		return NULL;
	b = &dev->bar[bar];
	if (!b->size || (b->flags & PCI_BAR_IO))
		return NULL;
	if (!b->virt)
		b->virt = ioremap(b->base, (size_t)b->size);
	return b->virt;
}
