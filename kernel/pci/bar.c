/*
 * BAR decoding: each base address register is sized the standard way
 * (write all ones, read back which address bits stuck, restore) with the
 * function's memory and I/O decoding off, so the probe value never
 * decodes as an address on the bus.  Pure: config access goes through
 * dev->ops only (host-tested with a fake config space).
 */
#include "kernel/pci/pci.h"

/* Lowest set bit: a BAR's size is the first address bit it implements. */
static uint64_t lowest_bit(uint64_t mask)
{
	return mask & (~mask + 1);
}

/* Writes all ones to the BAR dword at `off`, returns what stuck, restores
 * `orig`. */
static uint32_t bar_probe(struct pci_dev *dev, uint16_t off, uint32_t orig)
{
	uint32_t stuck;

	pci_write_config32(dev, off, ~0u);
	stuck = pci_read_config32(dev, off);
	pci_write_config32(dev, off, orig);
	return stuck;
}

/* Decodes BAR i into dev->bar[i]; returns the registers it used (2 for
 * the two halves of a 64-bit memory BAR). */
static int pci_read_bar(struct pci_dev *dev, int i, int nbars)
{
	uint16_t off = (uint16_t)(PCI_BASE_ADDRESS_0 + 4 * i);
	uint32_t orig = pci_read_config32(dev, off);
	uint32_t stuck = bar_probe(dev, off, orig);
	struct pci_bar *bar = &dev->bar[i];
	uint64_t mask;
	int used = 1;

	*bar = (struct pci_bar){ 0 };
	if (orig & PCI_BASE_ADDRESS_SPACE_IO) {
		/* 16-bit decoders read the upper half back as zero; the lowest
		 * stuck bit is the size either way. */
		bar->flags = PCI_BAR_IO;
		bar->base = orig & PCI_BASE_ADDRESS_IO_MASK;
		mask = stuck & PCI_BASE_ADDRESS_IO_MASK;
	} else {
		bar->base = orig & PCI_BASE_ADDRESS_MEM_MASK;
		mask = stuck & PCI_BASE_ADDRESS_MEM_MASK;
		if ((orig & PCI_BASE_ADDRESS_MEM_TYPE_MASK) == PCI_BASE_ADDRESS_MEM_TYPE_64 &&
		    i + 1 < nbars) {
			uint32_t orig_hi = pci_read_config32(dev, off + 4);

			bar->base |= (uint64_t)orig_hi << 32;
			mask |= (uint64_t)bar_probe(dev, off + 4, orig_hi) << 32;
			bar->flags = PCI_BAR_MEM64;
			dev->bar[i + 1] = (struct pci_bar){ 0 };
			used = 2;
		}
		if (orig & PCI_BASE_ADDRESS_MEM_PREFETCH)
			bar->flags |= PCI_BAR_PREFETCH;
	}
	bar->size = lowest_bit(mask);
	if (!bar->size)
		*bar = (struct pci_bar){ 0 };
	return used;
}

void pci_read_bases(struct pci_dev *dev)
{
	int nbars = dev->hdr_type == PCI_HEADER_TYPE_NORMAL ? PCI_STD_NUM_BARS :
		    dev->hdr_type == PCI_HEADER_TYPE_BRIDGE ? PCI_BRIDGE_NUM_BARS : 0;
	uint16_t cmd = pci_read_config16(dev, PCI_COMMAND);

	for (int i = 0; i < PCI_STD_NUM_BARS; i++)
		dev->bar[i] = (struct pci_bar){ 0 };
	if (!nbars)
		return;
	pci_write_config16(dev, PCI_COMMAND,
			   cmd & (uint16_t)~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY));
	for (int i = 0; i < nbars;)
		i += pci_read_bar(dev, i, nbars);
	pci_write_config16(dev, PCI_COMMAND, cmd);
}
