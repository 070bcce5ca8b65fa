/*
 * Interrupt vectors and the interrupt controllers (LAPIC, IOAPIC; the
 * legacy 8259 is masked).  Vectors 0-31 are exceptions, 32-47 stay unused
 * (where a spurious 8259 would land), device vectors 0x30-0xdf come from
 * irq_alloc_vector(), 0xf0 is the LAPIC timer, 0xff the LAPIC spurious
 * vector (kernel/arch/x86_64/vectors.h has the map).
 *
 * A handler runs in hard-IRQ context with interrupts off, between
 * irq_enter() and irq_exit() (kernel/softirq.h): it acknowledges its
 * device, schedules NAPI or raises a softirq, nothing else.  The LAPIC EOI
 * is sent when it returns, before irq_exit() runs pending softirqs.
 */
#ifndef SYNACK_KERNEL_ARCH_X86_64_IRQ_H
#define SYNACK_KERNEL_ARCH_X86_64_IRQ_H

#include <stdbool.h>
#include <stdint.h>

typedef void (*irq_handler_t)(void *arg);

/* A free device vector with `handler` attached; -ENOSPC when none is left. */
int irq_alloc_vector(irq_handler_t handler, void *arg);
void irq_free_vector(int vector);

/* Routes an IOAPIC input (a GSI, after MADT interrupt source overrides for
 * ISA IRQs) to `vector` on this CPU and unmasks it.  0, -ENODEV (no
 * IOAPIC serves the GSI) or -EINVAL (not a device vector). */
int ioapic_route_gsi(uint32_t gsi, int vector, bool level_triggered, bool active_low);
/* GSI an ISA IRQ is wired to, with its polarity/trigger from the MADT. */
uint32_t irq_isa_to_gsi(uint8_t isa_irq, bool *level, bool *active_low);
void ioapic_mask_gsi(uint32_t gsi, bool masked);

uint32_t lapic_id(void);
/* MSI address/data for delivering `vector` to this CPU (PCI layer uses it). */
void msi_compose(int vector, uint64_t *addr, uint32_t *data);

/* Times `vector` was taken (exceptions, device, spurious, unexpected). */
uint64_t irq_count(int vector);
/* Vectors taken that had no handler (counted and logged, never fatal). */
uint64_t irq_unexpected_count(void);

void arch_init(void);		/* GDT, TSS with IST stacks, IDT */
/* Guarded IST stacks; ACPI MADT -> LAPIC, IOAPIC (inputs masked); masks
 * the 8259; enables interrupts.  Needs paging_init() and acpi_init(). */
void interrupts_init(void);
/* Starts the HZ tick (TSC-deadline or calibrated periodic); each tick
 * calls timer_tick().  Needs interrupts_init() and time_init(). */
void lapic_timer_start(void);
/* lapic_timer.c, for lapic_timer_start(): the tick's handler, and the
 * first deadline of TSC-deadline mode. */
void lapic_timer_irq_install(void);
void lapic_timer_deadline_start(uint64_t tsc_cycles_per_tick);

#endif
