/*
 * PCI configuration-space backends, internal to kernel/pci: ECAM windows
 * from the ACPI MCFG table, and the legacy 0xCF8/0xCFC port pair (segment
 * 0, first 256 bytes only).  pci_config_init() picks per root bus and
 * reports the roots enumeration starts from.
 */
#ifndef SYNACK_KERNEL_PCI_CONFIG_H
#define SYNACK_KERNEL_PCI_CONFIG_H

#include <stdint.h>

struct pci_ops;

struct pci_root {
	const struct pci_ops *ops;
	uint16_t segment;
	uint8_t bus;		/* first bus: enumeration recurses from here */
};

/* Fills up to `max` roots; returns how many (0: no config mechanism). */
int pci_config_init(struct pci_root *roots, int max);

#endif
