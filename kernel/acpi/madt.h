/*
 * MADT ("APIC" table) parsing: the local APIC address, the I/O APICs with
 * their GSI ranges, ISA interrupt source overrides and the LINT pin wired
 * to NMI.  madt_parse() works on a byte buffer and keeps no state, so the
 * host tests feed it hand-built tables; the interrupt setup code
 * (kernel/arch/x86_64) owns the resulting struct madt_info.
 */
#ifndef SYNACK_KERNEL_ACPI_MADT_H
#define SYNACK_KERNEL_ACPI_MADT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MADT_MAX_IOAPICS	8
#define MADT_MAX_OVERRIDES	16	/* one per ISA IRQ at most */

struct madt_ioapic {
	uint8_t id;
	uint32_t addr;		/* physical MMIO base */
	uint32_t gsi_base;	/* GSI of its input 0 */
};

/* ISA IRQ `source` arrives on `gsi`; flags are MPS INTI flags. */
struct madt_override {
	uint8_t source;
	uint32_t gsi;
	uint16_t flags;
};

struct madt_info {
	uint64_t lapic_addr;	/* after any 64-bit address override */
	bool pcat_compat;	/* a legacy 8259 pair is present */
	unsigned nr_cpus;	/* enabled (or online-capable) local APICs */
	unsigned nr_ioapics;
	struct madt_ioapic ioapic[MADT_MAX_IOAPICS];
	unsigned nr_overrides;
	struct madt_override override[MADT_MAX_OVERRIDES];
	int nmi_lint;		/* LINT pin (0/1) wired to NMI, -1 if not given */
	uint16_t nmi_flags;	/* its MPS INTI flags */
	unsigned skipped;	/* entries beyond the fixed arrays */
};

/*
 * Parses a whole MADT (`len` bytes, header included; checksum already
 * verified).  Returns 0, or -EINVAL if there is no table (NULL) or it or
 * an entry is truncated; *out then describes no I/O APICs, no overrides.
 */
int madt_parse(const void *table, size_t len, struct madt_info *out);

/* GSI and polarity/trigger of ISA IRQ `irq`: identity, edge, active high
 * unless an override says otherwise. */
uint32_t madt_isa_irq(const struct madt_info *m, uint8_t irq, bool *level, bool *active_low);

#endif
