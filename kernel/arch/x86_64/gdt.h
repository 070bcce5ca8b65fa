/*
 * The kernel's GDT and TSS.  Selectors match the boot GDT (boot/entry.S)
 * so nothing changes meaning when gdt_init() switches tables.  The TSS
 * only carries the interrupt stack table: the kernel never leaves ring 0,
 * so rsp0 is unused.
 */
#ifndef SYNACK_KERNEL_ARCH_X86_64_GDT_H
#define SYNACK_KERNEL_ARCH_X86_64_GDT_H

#include <stdint.h>

#define GDT_KERNEL_CS	0x08
#define GDT_KERNEL_DS	0x10
#define GDT_TSS		0x18	/* a 16-byte system descriptor */

/* IST slots (1-7) used by the IDT: exceptions that must not trust %rsp. */
#define IST_DOUBLE_FAULT	1
#define IST_NMI			2
#define IST_MACHINE_CHECK	3
#define IST_COUNT		3
#define IST_STACK_SIZE		16384

/* Loads the GDT, reloads the segment registers and the task register;
 * the IST slots start on static stacks. */
void gdt_init(void);
/* Points IST slot `ist` (1-7) at a new stack; takes effect at the next
 * exception using it. */
void tss_set_ist(int ist, uintptr_t stack_top);

#endif
