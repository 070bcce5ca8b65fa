/* Fatal errors: print the reason and a backtrace, then halt for good. */
#ifndef SYNACK_KERNEL_PANIC_H
#define SYNACK_KERNEL_PANIC_H

void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
/* Stops the CPU with interrupts off; never returns. */
void halt_forever(void) __attribute__((noreturn));

#define BUG_ON(cond) do { \
	if (__builtin_expect(!!(cond), 0)) \
		panic("BUG_ON(%s) at %s:%d", #cond, __FILE__, __LINE__); \
} while (0)

#endif
