/* I/O APIC set-up from the MADT; routing is in irq.h (ioapic_route_gsi...). */
#ifndef SYNACK_KERNEL_ARCH_X86_64_IOAPIC_H
#define SYNACK_KERNEL_ARCH_X86_64_IOAPIC_H

struct madt_info;

/* Records the MADT's I/O APICs and ISA overrides, masks every input. */
void ioapic_init(const struct madt_info *madt);

#endif
