/*
 * panic() and the compiler's stack-protector hook.  A panicking kernel
 * prints once, dumps a backtrace and halts; under QEMU with isa-debug-exit
 * it also leaves QEMU with status 3 so tests fail fast instead of timing out.
 */
#include "kernel/panic.h"

#include <stdarg.h>

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/backtrace.h"
#include "kernel/kernel.h"
#include "kernel/lib/format.h"
#include "kernel/printk.h"

uintptr_t __stack_chk_guard = 0x595e9fbd94fda766ull;

void halt_forever(void)
{
	irq_disable();
	console_flush_all();
	for (;;) {
		irq_disable();
		cpu_halt();
	}
}

void qemu_exit(uint8_t code)
{
	console_flush_all();
	outb(0xf4, code);
}

void panic(const char *fmt, ...)
{
	static int panicking;
	char msg[256];
	va_list ap;

	irq_disable();
	if (panicking++)
		halt_forever();
	va_start(ap, fmt);
	kvsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk(LOG_EMERG, "panic: %s\n", msg);
	backtrace_print((uintptr_t)__builtin_frame_address(0));
	kputs("synack: halted\n");
	qemu_exit(1);
	halt_forever();
}

void __stack_chk_fail(void) __attribute__((noreturn));
void __stack_chk_fail(void)
{
	panic("stack protector: stack smashed in %p",
	      __builtin_return_address(0));
}
