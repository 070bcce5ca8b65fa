/*
 * Interrupt vectors and the interrupt controllers (LAPIC, IOAPIC; the
 * legacy 8259 is masked).  Vectors 0-31 are exceptions, 32-47 stay unused
 * (where a spurious 8259 would land), device vectors come from
 * irq_alloc_vector(), 0xff is the LAPIC spurious vector.
 *
 * A handler runs in hard-IRQ context between irq_enter() and irq_exit()
 * (which runs pending softirqs) with the EOI already sent: it acknowledges
 * its device, schedules NAPI or raises a softirq, nothing else.
 */
#ifndef SYNACK_KERNEL_ARCH_X86_64_IRQ_H
#define SYNACK_KERNEL_ARCH_X86_64_IRQ_H

#include <stdbool.h>
#include <stdint.h>

typedef void (*irq_handler_t)(void *arg);

/* A free vector with `handler` attached; negative errno when none is left. */
int irq_alloc_vector(irq_handler_t handler, void *arg);
void irq_free_vector(int vector);

/* Routes an IOAPIC input (a GSI, after MADT interrupt source overrides for
 * ISA IRQs) to `vector` on this CPU. */
int ioapic_route_gsi(uint32_t gsi, int vector, bool level_triggered, bool active_low);
/* GSI an ISA IRQ is wired to, with its polarity/trigger from the MADT. */
uint32_t irq_isa_to_gsi(uint8_t isa_irq, bool *level, bool *active_low);
void ioapic_mask_gsi(uint32_t gsi, bool masked);

uint32_t lapic_id(void);
/* MSI address/data for delivering `vector` to this CPU (PCI layer uses it). */
void msi_compose(int vector, uint64_t *addr, uint32_t *data);

/* Exceptions, spurious and unexpected vectors seen so far. */
uint64_t irq_count(int vector);
uint64_t irq_unexpected_count(void);

void arch_init(void);		/* GDT, TSS with IST stacks, IDT */
void interrupts_init(void);	/* ACPI MADT -> LAPIC, IOAPIC; masks the 8259 */

#endif
