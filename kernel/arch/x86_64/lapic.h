/*
 * Local APIC (xAPIC, memory mapped) internals shared by the arch code:
 * register offsets, access, EOI, self-IPI.  The public face is irq.h
 * (lapic_id, msi_compose, lapic_timer_start).
 */
#ifndef SYNACK_KERNEL_ARCH_X86_64_LAPIC_H
#define SYNACK_KERNEL_ARCH_X86_64_LAPIC_H

#include <stdbool.h>
#include <stdint.h>

#define LAPIC_ID		0x020
#define LAPIC_VERSION		0x030
#define LAPIC_TPR		0x080
#define LAPIC_EOI		0x0b0
#define LAPIC_SVR		0x0f0
#define LAPIC_ISR		0x100	/* 8 registers, 0x10 apart */
#define LAPIC_ESR		0x280
#define LAPIC_ICR_LOW		0x300
#define LAPIC_LVT_CMCI		0x2f0
#define LAPIC_LVT_TIMER		0x320
#define LAPIC_LVT_THERMAL	0x330
#define LAPIC_LVT_PERF		0x340
#define LAPIC_LVT_LINT0		0x350
#define LAPIC_LVT_LINT1		0x360
#define LAPIC_LVT_ERROR		0x370
#define LAPIC_TIMER_INIT	0x380
#define LAPIC_TIMER_CURRENT	0x390
#define LAPIC_TIMER_DIVIDE	0x3e0

#define LVT_MASKED		(1u << 16)
#define LVT_LEVEL		(1u << 15)
#define LVT_ACTIVE_LOW		(1u << 13)
#define LVT_DELIVERY_NMI	(4u << 8)
#define LVT_TIMER_PERIODIC	(1u << 17)
#define LVT_TIMER_TSC_DEADLINE	(2u << 17)

/*
 * Enables this CPU's local APIC at the address its APIC_BASE MSR reports:
 * spurious vector 0xff, error vector, all LVTs masked except the LINT pin
 * the MADT wires to NMI (nmi_lint < 0: LINT1, the PC convention).
 */
void lapic_init(int nmi_lint, uint16_t nmi_flags);
bool lapic_present(void);

uint32_t lapic_read(uint32_t reg);
void lapic_write(uint32_t reg, uint32_t val);
void lapic_eoi(void);
/* Is `vector` in service (delivered by the LAPIC, EOI not yet sent)? */
bool lapic_in_service(int vector);
/* Raises `vector` on this CPU through the LAPIC, like a device would. */
void lapic_send_self_ipi(int vector);

#endif
