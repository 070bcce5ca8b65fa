/*
 * Capability list walk.  The list starts at the pointer in the header
 * (0x34, or 0x14 for CardBus) when the status register says it exists;
 * each entry is (id, next).  Pointers below 0x40 end the list, their low
 * two bits are reserved, and a TTL bounds the walk so a looping or
 * garbage list (all-ones reads from a vanished device) cannot hang boot.
 * Pure: config access through dev->ops only.
 */
#include "kernel/pci/pci.h"

/* 256-byte config space, 4-byte minimum entries after the 64-byte header. */
#define PCI_FIND_CAP_TTL	48

static uint8_t cap_walk(const struct pci_dev *dev, uint8_t pos, uint8_t cap_id)
{
	for (int ttl = PCI_FIND_CAP_TTL; ttl > 0; ttl--) {
		uint16_t ent;

		pos &= (uint8_t)~3;
		if (pos < 0x40)
			return 0;
		ent = pci_read_config16(dev, pos);
		if ((ent & 0xff) == 0xff)
			return 0;
		if ((ent & 0xff) == cap_id)
			return pos;
		pos = (uint8_t)(ent >> 8);
	}
	return 0;
}

/* The list's first pointer, 0 when the status says there is no list. */
static uint8_t cap_list_start(const struct pci_dev *dev)
{
	uint16_t ptr = dev->hdr_type == PCI_HEADER_TYPE_CARDBUS ?
		       PCI_CB_CAPABILITY_LIST : PCI_CAPABILITY_LIST;

	if (!(pci_read_config16(dev, PCI_STATUS) & PCI_STATUS_CAP_LIST))
		return 0;
	return pci_read_config8(dev, ptr);
}

uint8_t pci_find_capability(const struct pci_dev *dev, uint8_t cap_id)
{
	return cap_walk(dev, cap_list_start(dev), cap_id);
}

/* cap_walk's rules, every entry kept: one walk where a caller wants
 * several IDs (probe.c), not one per ID. */
int pci_cap_list(const struct pci_dev *dev, struct pci_cap *caps, int max)
{
	uint8_t pos = cap_list_start(dev);
	int n = 0;

	for (int ttl = PCI_FIND_CAP_TTL; ttl > 0 && n < max; ttl--) {
		uint16_t ent;

		pos &= (uint8_t)~3;
		if (pos < 0x40)
			break;
		ent = pci_read_config16(dev, pos);
		if ((ent & 0xff) == 0xff)
			break;
		caps[n++] = (struct pci_cap){ .pos = pos, .id = (uint8_t)ent };
		pos = (uint8_t)(ent >> 8);
	}
	return n;
}

uint8_t pci_find_next_capability(const struct pci_dev *dev, uint8_t pos, uint8_t cap_id)
{
	return cap_walk(dev, pci_read_config8(dev, pos + PCI_CAP_LIST_NEXT), cap_id);
}
