/* The IDT: one interrupt gate per vector, pointing at trap_entry.S stubs. */
#ifndef SYNACK_KERNEL_ARCH_X86_64_IDT_H
#define SYNACK_KERNEL_ARCH_X86_64_IDT_H

/* Fills all 256 gates (IST stacks for #DF, NMI, #MC) and loads the IDT. */
void idt_init(void);

#endif
