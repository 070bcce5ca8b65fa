/*
 * The ACPI MCFG table (PCI Firmware Specification 3.x, 4.1.2): one entry
 * per ECAM window.  An entry's base address is where bus 0 of its segment
 * would be; bus b's 1 MiB of config space is at base + (b << 20), and only
 * start_bus..end_bus are backed.  Parsing is pure (host-tested).
 */
#ifndef SYNACK_KERNEL_PCI_MCFG_H
#define SYNACK_KERNEL_PCI_MCFG_H

#include <stddef.h>
#include <stdint.h>

#define PCI_ECAM_BUS_SHIFT	20	/* 32 devices x 8 functions x 4 KiB */

struct pci_ecam_region {
	uint64_t base;		/* physical address of bus 0 */
	uint16_t segment;
	uint8_t start_bus, end_bus;
};

/* Reads up to `max` well-formed entries (non-zero base, start <= end) of
 * the MCFG table at `table` (`len` bytes, already checksummed); returns
 * how many were stored. */
int pci_mcfg_parse(const void *table, size_t len, struct pci_ecam_region *out, int max);

#endif
