/*
 * Vector layout, x86 priority classes being vector >> 4:
 *   0x00-0x1f  exceptions
 *   0x20-0x2f  where the 8259 was remapped before being masked; a spurious
 *              8259 interrupt lands here and is counted as unexpected
 *   0x30-0xdf  device vectors handed out by irq_alloc_vector()
 *   0xf0       LAPIC timer (a high class, so it is not held up by devices)
 *   0xfe       LAPIC error
 *   0xff       LAPIC spurious
 */
#ifndef SYNACK_KERNEL_ARCH_X86_64_VECTORS_H
#define SYNACK_KERNEL_ARCH_X86_64_VECTORS_H

#include "kernel/arch/x86_64/irq.h"

#define NR_VECTORS		256
#define NR_EXCEPTIONS		32
#define VECTOR_PIC_BASE		0x20
#define VECTOR_DEVICE_FIRST	0x30
#define VECTOR_DEVICE_LAST	0xdf
#define VECTOR_LAPIC_TIMER	0xf0
#define VECTOR_LAPIC_ERROR	0xfe
#define VECTOR_SPURIOUS		0xff

#define VECTOR_NMI		2

/* Attaches a handler to one of the fixed LAPIC vectors above. */
void irq_install_fixed(int vector, irq_handler_t handler, void *arg);

#endif
