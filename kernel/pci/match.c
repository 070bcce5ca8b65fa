/*
 * Driver ID matching, Linux's pci_match_one_device without the subsystem
 * fields: vendor and device (each may be PCI_ANY_ID) and the class bits
 * selected by class_mask.  Pure.
 */
#include "kernel/pci/pci.h"

static bool pci_id_matches(const struct pci_device_id *id, const struct pci_dev *dev)
{
	return (id->vendor == PCI_ANY_ID || id->vendor == dev->vendor) &&
	       (id->device == PCI_ANY_ID || id->device == dev->device) &&
	       !((id->class ^ dev->class) & id->class_mask);
}

const struct pci_device_id *pci_match_id(const struct pci_device_id *ids,
					 const struct pci_dev *dev)
{
	/* The table ends with an all-zero entry; vendor 0 is not a real ID. */
	for (; ids->vendor || ids->device || ids->class_mask; ids++)
		if (pci_id_matches(ids, dev))
			return ids;
	return NULL;
}
