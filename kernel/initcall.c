/*
 * do_initcalls: runs the struct initcall entries the linker script gathers
 * between __initcall_start and __initcall_end, already sorted by level
 * (SORT(.initcall.*)).  A failing initcall is logged by name and boot goes
 * on without that piece.  Thread context, once, from kernel_main().
 */
#include "kernel/initcall.h"

#include "kernel/printk.h"

extern const struct initcall __initcall_start[], __initcall_end[];

void do_initcalls(void)
{
	for (const struct initcall *ic = __initcall_start; ic < __initcall_end; ic++) {
		int err;

		pr_debug("initcall: %s\n", ic->name);
		err = ic->fn();
		if (err)
			pr_err("initcall: %s failed: error %d\n", ic->name, err);
	}
}
