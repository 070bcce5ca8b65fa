/*
 * Linux-style initcalls: a subsystem or driver registers its init function
 * at a level, and kernel_main() runs them level by level (the linker
 * script sorts the .initcall.N sections).  Order within a level is link
 * order.  An initcall returns 0 or a negative errno; a failure is logged
 * and boot continues without that piece.
 */
#ifndef SYNACK_KERNEL_INITCALL_H
#define SYNACK_KERNEL_INITCALL_H

typedef int (*initcall_t)(void);

struct initcall {
	initcall_t fn;
	const char *name;
};

#define INITCALL_CORE	1	/* kernel infrastructure */
#define INITCALL_SUBSYS	4	/* buses, net core */
#define INITCALL_FS	5	/* protocol families */
#define INITCALL_DEVICE	6	/* drivers */
#define INITCALL_LATE	7	/* applications */

/* aligned(8): without it gcc gives these 16-byte objects 16-byte alignment,
 * and the padding that can put before the first one (the linker script
 * aligns __initcall_start to 8) would be read as an entry. */
#define __define_initcall(fn, level) \
	static const struct initcall __initcall_##fn \
	__attribute__((used, aligned(8), section(".initcall." #level))) = { fn, #fn }

#define core_initcall(fn)	__define_initcall(fn, 1)
#define subsys_initcall(fn)	__define_initcall(fn, 4)
#define fs_initcall(fn)		__define_initcall(fn, 5)
#define device_initcall(fn)	__define_initcall(fn, 6)
#define late_initcall(fn)	__define_initcall(fn, 7)

/* Runs every registered initcall in level order. */
void do_initcalls(void);

#endif
