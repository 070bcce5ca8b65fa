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

/* Where pci_cap_list keeps the entries a walk passes. */
struct cap_sink {
	struct pci_cap *caps;
	int max, n;
};

/* Walks from pos to the first entry whose ID is cap_id (-1: none is) and
 * returns its offset, 0 at the end.  With a sink, the entries passed on
 * the way are kept in it, up to its max (the walk ends there). */
static uint8_t cap_walk(const struct pci_dev *dev, uint8_t pos, int cap_id,
			struct cap_sink *sink)
{
	for (int ttl = PCI_FIND_CAP_TTL; ttl > 0; ttl--) {
		uint16_t ent;

		pos &= (uint8_t)~3;
		if (pos < 0x40 || (sink && sink->n == sink->max))
			return 0;
		ent = pci_read_config16(dev, pos);
		if ((ent & 0xff) == 0xff)
			return 0;
		if ((ent & 0xff) == cap_id)
			return pos;
		if (sink)
			sink->caps[sink->n++] = (struct pci_cap){ .pos = pos, .id = (uint8_t)ent };
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
	return cap_walk(dev, cap_list_start(dev), cap_id, NULL);
}

/* One walk where a caller wants several IDs (probe.c), not one per ID. */
int pci_cap_list(const struct pci_dev *dev, struct pci_cap *caps, int max)
{
	struct cap_sink sink = { caps, max, 0 };

	cap_walk(dev, cap_list_start(dev), -1, &sink);
	return sink.n;
}

uint8_t pci_find_next_capability(const struct pci_dev *dev, uint8_t pos, uint8_t cap_id)
{
	return cap_walk(dev, pci_read_config8(dev, pos + PCI_CAP_LIST_NEXT), cap_id, NULL);
}
