/* The legacy 8259 pair: remapped out of the exception range, then masked. */
#ifndef SYNACK_KERNEL_ARCH_X86_64_PIC_H
#define SYNACK_KERNEL_ARCH_X86_64_PIC_H

void pic_disable(void);

#endif
