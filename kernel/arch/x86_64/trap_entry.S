/*
 * Interrupt and exception entry.  One 16-byte stub per vector pushes a
 * zero error code where the CPU does not push one (so every frame has the
 * same shape), pushes its vector number and jumps to trap_common, which
 * saves the GPRs as a struct trap_frame (trap.h) and calls trap_dispatch.
 *
 * The CPU aligns %rsp to 16 before pushing its frame in long mode; the 22
 * words of a trap frame keep that alignment for the C call.  All gates are
 * interrupt gates, so the handler starts with interrupts off.
 */

/* Vectors for which the CPU pushes an error code: #DF #TS #NP #SS #GP #PF #AC #CP #VC #SX */
#define HAS_ERROR_CODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || \
			   (v) == 21 || (v) == 29 || (v) == 30)

	.text
	.balign 16
	.global trap_stubs
trap_stubs:
	/* .org places stub n at trap_stubs + 16 n, int3-padded; it fails
	 * to assemble ("move .org backwards") if a stub outgrows 16 bytes. */
	.set vec, 0
	.rept 256
	.org	trap_stubs + vec * 16, 0xcc
	.if HAS_ERROR_CODE(vec) == 0
	pushq	$0
	.endif
	pushq	$vec
	jmp	trap_common
	.set vec, vec + 1
	.endr
	.org	trap_stubs + 256 * 16, 0xcc

	.global trap_common
trap_common:
	cld				/* the C ABI wants DF clear */
	pushq	%rax
	pushq	%rbx
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%rbp
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, %rdi
	call	trap_dispatch
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rbp
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rbx
	popq	%rax
	addq	$16, %rsp		/* vector and error code */
	iretq

	.section .note.GNU-stack, "", @progbits
