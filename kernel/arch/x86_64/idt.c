/*
 * All 256 gates are present ring-0 interrupt gates, so every handler
 * starts with interrupts disabled and the dispatcher decides what a vector
 * means.  #DF, NMI and #MC switch to their IST stacks (gdt.c).
 */
#include "kernel/arch/x86_64/idt.h"

#include <stdint.h>

#include "kernel/arch/x86_64/gdt.h"
#include "kernel/arch/x86_64/trap.h"
#include "kernel/arch/x86_64/vectors.h"

#define GATE_INTERRUPT	0x8e	/* P, DPL0, 64-bit interrupt gate */

#define VECTOR_DOUBLE_FAULT	8
#define VECTOR_MACHINE_CHECK	18

struct idt_gate {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct idt_gate) == 16, "64-bit IDT gates are 16 bytes");

struct idt_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

static struct idt_gate idt[NR_VECTORS] __attribute__((aligned(16)));

static void idt_set_gate(int vector, uint8_t ist)
{
	uintptr_t handler = (uintptr_t)trap_stubs + (uintptr_t)vector * TRAP_STUB_SIZE;

	idt[vector] = (struct idt_gate){
		.offset_lo = handler & 0xffff,
		.selector = GDT_KERNEL_CS,
		.ist = ist,
		.type_attr = GATE_INTERRUPT,
		.offset_mid = (handler >> 16) & 0xffff,
		.offset_hi = (uint32_t)(handler >> 32),
	};
}

void idt_init(void)
{
	struct idt_ptr ptr = { sizeof(idt) - 1, (uintptr_t)idt };

	for (int v = 0; v < NR_VECTORS; v++)
		idt_set_gate(v, 0);
	idt_set_gate(VECTOR_DOUBLE_FAULT, IST_DOUBLE_FAULT);
	idt_set_gate(VECTOR_NMI, IST_NMI);
	idt_set_gate(VECTOR_MACHINE_CHECK, IST_MACHINE_CHECK);
	__asm__ volatile("lidt %0" : : "m"(ptr) : "memory");
}
