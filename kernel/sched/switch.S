/*
 * void sched_switch(uint64_t *save_rsp, uint64_t next_rsp)
 *
 * The context of a switched-out kernel thread is its stack: the SysV
 * callee-saved registers are pushed on it and %rsp is stored in the task.
 * Caller-saved registers are already dead across the call, and kernel code
 * has no FPU/SSE state.  Interrupts are off (schedule() holds irq_save),
 * so the flags need no saving here.  A new thread's stack is built by
 * kthread_create() in the same shape, with kthread_entry as return address.
 */
	.text
	.global sched_switch
	.type	sched_switch, @function
sched_switch:
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, (%rdi)
	movq	%rsi, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	ret
	.size	sched_switch, . - sched_switch

	.section .note.GNU-stack, "", @progbits
