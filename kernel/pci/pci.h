/*
 * PCI: the bus as drivers see it.
 *
 * Enumeration runs once as a subsys initcall (kernel/pci/probe.c): every
 * function reachable from the root buses, through bridges, becomes a
 * struct pci_dev with its IDs, class, decoded BARs and MSI/MSI-X
 * capability offsets, and gets one console line.  Bus numbers and BAR
 * addresses are the firmware's; nothing is reassigned.
 *
 * Drivers register a struct pci_driver from a device initcall; each
 * unbound device whose IDs match the driver's table is handed to probe()
 * (kernel/pci/driver.c).  A driver then typically calls pci_enable_device,
 * pci_set_master, pci_iomap for its MMIO BAR, and pci_enable_msi or the
 * pci_msix_* calls with vectors from irq_alloc_vector().
 *
 * Configuration space goes through a struct pci_ops chosen at init: ECAM
 * (memory-mapped, from the ACPI MCFG table) when present, else the legacy
 * 0xCF8/0xCFC ports.  The pure helpers (BAR decoding, capability walk, ID
 * matching) only use dev->ops, so host tests give them a fake config space.
 *
 * Context: thread context at boot for enumeration, binding and setup.
 * Config accessors are safe anywhere (the legacy port pair is used with
 * interrupts off).
 */
#ifndef SYNACK_KERNEL_PCI_PCI_H
#define SYNACK_KERNEL_PCI_PCI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/pci/pci_regs.h"

#define PCI_DEVFN(dev, fn)	((uint8_t)(((dev) << 3) | (fn)))
#define PCI_SLOT(devfn)		(((devfn) >> 3) & 0x1f)
#define PCI_FUNC(devfn)		((devfn) & 0x07)
#define PCI_ANY_ID		0xffff

/* Config-space access for one segment; reads of absent functions return
 * all ones.  `size` is 1, 2 or 4 and `off` is aligned to it. */
struct pci_ops {
	const char *name;
	uint32_t (*read)(uint16_t seg, uint8_t bus, uint8_t devfn, uint16_t off, int size);
	void (*write)(uint16_t seg, uint8_t bus, uint8_t devfn, uint16_t off, int size,
		      uint32_t val);
};

#define PCI_BAR_IO		0x1
#define PCI_BAR_MEM64		0x2
#define PCI_BAR_PREFETCH	0x4

struct pci_bar {
	uint64_t base;		/* bus address, equal to the CPU physical address here */
	uint64_t size;		/* 0: BAR not implemented (or upper half of a 64-bit one) */
	uint32_t flags;		/* PCI_BAR_* */
	void *virt;		/* pci_iomap's mapping, NULL until then */
};

struct pci_driver;

struct pci_dev {
	const struct pci_ops *ops;
	uint16_t segment;
	uint8_t bus, devfn;
	uint16_t vendor, device;
	uint16_t subsystem_vendor, subsystem_device;
	uint32_t class;		/* base class << 16 | subclass << 8 | prog-if */
	uint8_t revision;
	uint8_t hdr_type;	/* PCI_HEADER_TYPE_*, multi-function bit cleared */
	uint8_t irq_pin;	/* 0 none, 1-4 INTA#-INTD# */
	uint8_t irq_line;	/* firmware's legacy routing (8259 numbering), 0xff unknown */
	struct pci_bar bar[PCI_STD_NUM_BARS];
	uint8_t msi_cap, msix_cap;	/* config offsets, 0 when absent */
	uint16_t msix_size;		/* table entries, valid once MSI-X is enabled */
	volatile uint8_t *msix_table;	/* mapped by pci_msix_enable */
	volatile uint8_t *msix_pba;
	const struct pci_driver *driver;
	void *driver_data;
};

struct pci_device_id {
	uint16_t vendor, device;	/* PCI_ANY_ID matches anything */
	uint32_t class, class_mask;	/* (dev->class ^ class) & class_mask == 0 */
	uintptr_t driver_data;		/* for the driver: model flags and the like */
};

struct pci_driver {
	const char *name;
	/* Ends with an all-zero entry. */
	const struct pci_device_id *id_table;
	/* 0 binds the device to this driver; a negative errno leaves it free. */
	int (*probe)(struct pci_dev *dev, const struct pci_device_id *id);
	struct pci_driver *next;	/* registry link, owned by driver.c */
};

static inline uint32_t pci_read_config32(const struct pci_dev *d, uint16_t off)
{
	return d->ops->read(d->segment, d->bus, d->devfn, off, 4);
}

static inline uint16_t pci_read_config16(const struct pci_dev *d, uint16_t off)
{
	return (uint16_t)d->ops->read(d->segment, d->bus, d->devfn, off, 2);
}

static inline uint8_t pci_read_config8(const struct pci_dev *d, uint16_t off)
{
	return (uint8_t)d->ops->read(d->segment, d->bus, d->devfn, off, 1);
}

static inline void pci_write_config32(const struct pci_dev *d, uint16_t off, uint32_t v)
{
	d->ops->write(d->segment, d->bus, d->devfn, off, 4, v);
}

static inline void pci_write_config16(const struct pci_dev *d, uint16_t off, uint16_t v)
{
	d->ops->write(d->segment, d->bus, d->devfn, off, 2, v);
}

static inline void pci_write_config8(const struct pci_dev *d, uint16_t off, uint8_t v)
{
	d->ops->write(d->segment, d->bus, d->devfn, off, 1, v);
}

/* Pure helpers (bar.c, cap.c, match.c). */

/* Sizes and decodes the BARs of a type 0 or type 1 header into dev->bar[]
 * (memory and I/O decoding are off meanwhile, then restored). */
void pci_read_bases(struct pci_dev *dev);
/* Offset of the first capability `cap_id`, 0 if none. */
uint8_t pci_find_capability(const struct pci_dev *dev, uint8_t cap_id);
/* Offset of the next capability `cap_id` after the one at `pos`, 0 if none:
 * iterates every instance (virtio has several PCI_CAP_ID_VNDR). */
uint8_t pci_find_next_capability(const struct pci_dev *dev, uint8_t pos, uint8_t cap_id);
/* Every capability in list order, in one walk (at most max; the count
 * found, up to max). */
struct pci_cap {
	uint8_t pos, id;
};
int pci_cap_list(const struct pci_dev *dev, struct pci_cap *caps, int max);
/* The first entry of `ids` that matches `dev`, NULL if none. */
const struct pci_device_id *pci_match_id(const struct pci_device_id *ids,
					 const struct pci_dev *dev);

/* Device control (probe.c). */

/* Turns on memory and I/O decoding for the BARs the device has. */
int pci_enable_device(struct pci_dev *dev);
/* Lets the device master the bus (DMA, and MSI writes). */
void pci_set_master(struct pci_dev *dev);
/* Enables (true) or disables the legacy INTx pin. */
void pci_intx(struct pci_dev *dev, bool enable);
/* Uncached mapping of memory BAR `bar` (made once, then reused); NULL for
 * an I/O or absent BAR. */
void *pci_iomap(struct pci_dev *dev, int bar);
/* "0000:00:02.0" into buf (at least 13 bytes); returns buf. */
const char *pci_name(const struct pci_dev *dev, char *buf, size_t size);
/* Calls fn for every enumerated device, in bus order. */
void pci_for_each_dev(void (*fn)(struct pci_dev *dev, void *arg), void *arg);

/* MSI and MSI-X (msi.c).  Vectors come from irq_alloc_vector(); each is
 * delivered to this CPU through msi_compose().  Enabling either turns the
 * INTx pin off. */

/* Single-message MSI for `vector`; -ENODEV without the capability. */
int pci_enable_msi(struct pci_dev *dev, int vector);
void pci_disable_msi(struct pci_dev *dev);
/* Per-vector masking; false if the function does not implement it. */
bool pci_msi_mask(struct pci_dev *dev, bool masked);
/* Maps the table and PBA, masks every entry, enables MSI-X; returns the
 * number of entries or a negative errno. */
int pci_msix_enable(struct pci_dev *dev);
/* Points `entry` at `vector` and unmasks it. */
int pci_msix_set_vector(struct pci_dev *dev, unsigned int entry, int vector);
void pci_msix_mask(struct pci_dev *dev, unsigned int entry, bool masked);
bool pci_msix_pending(const struct pci_dev *dev, unsigned int entry);
void pci_msix_disable(struct pci_dev *dev);

/* Driver registry (driver.c).  Binds the new driver to every matching
 * unbound device already enumerated; enumeration binds later devices. */
int pci_register_driver(struct pci_driver *drv);
/* Offers an unbound device to every registered driver (enumeration's hook). */
void pci_bind_device(struct pci_dev *dev);

#endif
