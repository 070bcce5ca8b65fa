/*
 * The trap frame every vector's entry stub builds on the interrupted stack
 * (trap_entry.S), and the C entry points it calls.  Layout, lowest address
 * first: the GPRs pushed by trap_common, the vector and error code pushed
 * by the per-vector stub (0 when the CPU supplies none), then the frame
 * the CPU pushed.  Changing the order means changing trap_entry.S.
 */
#ifndef SYNACK_KERNEL_ARCH_X86_64_TRAP_H
#define SYNACK_KERNEL_ARCH_X86_64_TRAP_H

#include <stdint.h>

struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector;
	uint64_t error_code;
	uint64_t rip, cs, rflags, rsp, ss;	/* pushed by the CPU */
};
_Static_assert(sizeof(struct trap_frame) == 22 * 8, "trap_entry.S pushes 22 words");

/* 256 entry stubs, TRAP_STUB_SIZE bytes apart, starting at trap_stubs. */
#define TRAP_STUB_SIZE 16
extern const char trap_stubs[];

/* Called by trap_common for every vector, interrupts off. */
void trap_dispatch(struct trap_frame *tf);
/* Vectors 0-31 (irq.c hands them to traps.c). */
void exception_handle(struct trap_frame *tf);

#endif
