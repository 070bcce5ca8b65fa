/*
 * MSI and MSI-X programming.  The address/data pair for a vector comes
 * from msi_compose() (LAPIC of this CPU); this file only places it where
 * the capability says.
 *
 * MSI: one message (multi-message would need aligned vector blocks),
 * programmed with the capability disabled, then enabled.  MSI-X: the table
 * and PBA live in BARs mapped through pci_iomap; the function is enabled
 * with its function-mask bit set while every entry is masked, then the
 * function mask is dropped, so no entry fires before a driver points it
 * at a vector.  Table accesses are aligned dword MMIO, as the spec needs.
 * Both turn INTx off.  Thread context (driver probe/teardown).
 */
#include "kernel/arch/x86_64/irq.h"
#include "kernel/errno.h"
#include "kernel/pci/pci.h"

static inline void mmio_write32(volatile uint8_t *base, uint32_t off, uint32_t v)
{
	*(volatile uint32_t *)(base + off) = v;
}

static inline uint32_t mmio_read32(const volatile uint8_t *base, uint32_t off)
{
	return *(const volatile uint32_t *)(base + off);
}

int pci_enable_msi(struct pci_dev *dev, int vector)
{
	uint8_t cap = dev->msi_cap;
	uint16_t flags;
	uint64_t addr;
	uint32_t data;

	if (!cap)
		return -ENODEV;
	flags = pci_read_config16(dev, cap + PCI_MSI_FLAGS);
	msi_compose(vector, &addr, &data);
	if ((addr >> 32) && !(flags & PCI_MSI_FLAGS_64BIT))
		return -EINVAL;
	flags &= (uint16_t)~(PCI_MSI_FLAGS_ENABLE | PCI_MSI_FLAGS_QSIZE);
	pci_write_config16(dev, cap + PCI_MSI_FLAGS, flags);
	pci_write_config32(dev, cap + PCI_MSI_ADDRESS_LO, (uint32_t)addr);
	if (flags & PCI_MSI_FLAGS_64BIT) {
		pci_write_config32(dev, cap + PCI_MSI_ADDRESS_HI, (uint32_t)(addr >> 32));
		pci_write_config16(dev, cap + PCI_MSI_DATA_64, (uint16_t)data);
	} else {
		pci_write_config16(dev, cap + PCI_MSI_DATA_32, (uint16_t)data);
	}
	pci_msi_mask(dev, false);
	pci_intx(dev, false);
	pci_write_config16(dev, cap + PCI_MSI_FLAGS, flags | PCI_MSI_FLAGS_ENABLE);
	return 0;
}

void pci_disable_msi(struct pci_dev *dev)
{
	uint16_t flags;

	if (!dev->msi_cap)
		return;
	flags = pci_read_config16(dev, dev->msi_cap + PCI_MSI_FLAGS);
	pci_write_config16(dev, dev->msi_cap + PCI_MSI_FLAGS,
			   flags & (uint16_t)~PCI_MSI_FLAGS_ENABLE);
}

bool pci_msi_mask(struct pci_dev *dev, bool masked)
{
	uint16_t flags;
	uint16_t mask_off;
	uint32_t bits;

	if (!dev->msi_cap)
		return false;
	flags = pci_read_config16(dev, dev->msi_cap + PCI_MSI_FLAGS);
	if (!(flags & PCI_MSI_FLAGS_MASKBIT))
		return false;
	mask_off = dev->msi_cap + (flags & PCI_MSI_FLAGS_64BIT ? PCI_MSI_MASK_64 : PCI_MSI_MASK_32);
	/* One message enabled: bit 0 is its mask. */
	bits = pci_read_config32(dev, mask_off);
	pci_write_config32(dev, mask_off, masked ? bits | 1 : bits & ~1u);
	return true;
}

/* Maps the BAR region a table/PBA register (BIR + offset) points at,
 * checking that `len` bytes fit in the BAR. */
static volatile uint8_t *msix_map(struct pci_dev *dev, uint16_t reg, uint32_t len)
{
	uint32_t v = pci_read_config32(dev, dev->msix_cap + reg);
	int bir = v & PCI_MSIX_BIR_MASK;
	uint32_t off = v & PCI_MSIX_OFFSET_MASK;
	uint8_t *base;

	if (bir >= PCI_STD_NUM_BARS || off + (uint64_t)len > dev->bar[bir].size)
		return NULL;
	base = pci_iomap(dev, bir);
	return base ? base + off : NULL;
}

int pci_msix_enable(struct pci_dev *dev)
{
	uint8_t cap = dev->msix_cap;
	uint16_t flags, size;

	if (!cap)
		return -ENODEV;
	flags = pci_read_config16(dev, cap + PCI_MSIX_FLAGS);
	size = (flags & PCI_MSIX_FLAGS_QSIZE) + 1;
	pci_enable_device(dev);		/* the table is behind memory decoding */
	dev->msix_table = msix_map(dev, PCI_MSIX_TABLE, (uint32_t)size * PCI_MSIX_ENTRY_SIZE);
	dev->msix_pba = msix_map(dev, PCI_MSIX_PBA, ((size + 63u) / 64) * 8);
	if (!dev->msix_table || !dev->msix_pba)
		return -ENXIO;
	dev->msix_size = size;
	pci_write_config16(dev, cap + PCI_MSIX_FLAGS,
			   flags | PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL);
	for (unsigned int i = 0; i < size; i++)
		pci_msix_mask(dev, i, true);
	pci_intx(dev, false);
	pci_write_config16(dev, cap + PCI_MSIX_FLAGS,
			   (flags | PCI_MSIX_FLAGS_ENABLE) & (uint16_t)~PCI_MSIX_FLAGS_MASKALL);
	return size;
}

void pci_msix_mask(struct pci_dev *dev, unsigned int entry, bool masked)
{
	uint32_t off = entry * PCI_MSIX_ENTRY_SIZE + PCI_MSIX_ENTRY_VECTOR_CTRL;
	uint32_t ctrl;

	if (entry >= dev->msix_size)
		return;
	ctrl = mmio_read32(dev->msix_table, off);
	if (masked)
		ctrl |= PCI_MSIX_ENTRY_CTRL_MASKBIT;
	else
		ctrl &= ~(uint32_t)PCI_MSIX_ENTRY_CTRL_MASKBIT;
	mmio_write32(dev->msix_table, off, ctrl);
}

int pci_msix_set_vector(struct pci_dev *dev, unsigned int entry, int vector)
{
	uint32_t off = entry * PCI_MSIX_ENTRY_SIZE;
	uint64_t addr;
	uint32_t data;

	if (entry >= dev->msix_size)
		return -EINVAL;
	msi_compose(vector, &addr, &data);
	pci_msix_mask(dev, entry, true);
	mmio_write32(dev->msix_table, off + PCI_MSIX_ENTRY_LOWER_ADDR, (uint32_t)addr);
	mmio_write32(dev->msix_table, off + PCI_MSIX_ENTRY_UPPER_ADDR, (uint32_t)(addr >> 32));
	mmio_write32(dev->msix_table, off + PCI_MSIX_ENTRY_DATA, data);
	pci_msix_mask(dev, entry, false);
	return 0;
}

bool pci_msix_pending(const struct pci_dev *dev, unsigned int entry)
{
	if (entry >= dev->msix_size)
		return false;
	return (mmio_read32(dev->msix_pba, (entry / 32) * 4) >> (entry % 32)) & 1;
}

void pci_msix_disable(struct pci_dev *dev)
{
	uint16_t flags;

	if (!dev->msix_cap || !dev->msix_size)
		return;
	for (unsigned int i = 0; i < dev->msix_size; i++)
		pci_msix_mask(dev, i, true);
	flags = pci_read_config16(dev, dev->msix_cap + PCI_MSIX_FLAGS);
	pci_write_config16(dev, dev->msix_cap + PCI_MSIX_FLAGS,
			   flags & (uint16_t)~PCI_MSIX_FLAGS_ENABLE);
	dev->msix_size = 0;
}
