/*
 * Frame-pointer walk.  Every kernel function keeps %rbp (the build passes
 * -fno-omit-frame-pointer) and the entry code zeroes %rbp, so the chain
 * ends at 0.  A frame outside the kernel image or a non-increasing chain
 * stops the walk: a corrupt stack must not fault inside the fault handler.
 */
#include "kernel/arch/x86_64/backtrace.h"

#include "kernel/ksyms.h"
#include "kernel/printk.h"

#define BACKTRACE_MAX 32

void backtrace_print(uintptr_t rbp)
{
	kputs("backtrace:\n");
	for (int depth = 0; depth < BACKTRACE_MAX && rbp; depth++) {
		const uintptr_t *frame = (const uintptr_t *)rbp;
		uintptr_t ret, next;
		char line[160];

		if (rbp & 7 || !ksyms_addr_is_mapped(rbp))
			break;
		next = frame[0];
		ret = frame[1];
		if (!ret)
			break;
		ksyms_format(line, sizeof(line), ret);
		printk(LOG_EMERG, "  [<%016lx>] %s\n", (unsigned long)ret, line);
		if (next <= rbp)
			break;
		rbp = next;
	}
}
