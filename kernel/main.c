/*
 * kernel_main: the init order.  Each step may use everything above it.
 */
#include "boot/boot_info.h"
#include "kernel/acpi/acpi.h"
#include "kernel/arch/x86_64/irq.h"
#include "kernel/arch/x86_64/selftest.h"
#include "kernel/console/fbcon.h"
#include "kernel/console/selftest.h"
#include "kernel/console/serial.h"
#include "kernel/initcall.h"
#include "kernel/kernel.h"
#include "kernel/mm/page_alloc.h"
#include "kernel/mm/selftest.h"
#include "kernel/mm/slab.h"
#include "kernel/mm/vm.h"
#include "kernel/panic.h"
#include "kernel/params.h"
#include "kernel/printk.h"
#include "kernel/random.h"
#include "kernel/sched/sched.h"
#include "kernel/sched/selftest.h"
#include "kernel/softirq.h"
#include "kernel/time.h"
#include "kernel/timer.h"

static const char *boot_path_name(uint32_t path)
{
	switch (path) {
	case BOOT_PATH_PVH: return "pvh";
	case BOOT_PATH_MULTIBOOT2: return "multiboot2";
	case BOOT_PATH_EFI: return "efi";
	default: return "unknown";
	}
}

void kernel_main(const struct boot_info *bi)
{
	serial_console_init();		/* output first: everything after may need to report */
	arch_init();			/* GDT, TSS, IDT: from here a fault prints a report */
	params_init(bi->cmdline);	/* loglevel= and friends, before anyone logs much */
	serial_console_apply_params();	/* console=fb: the screen only */
	fbcon_init(bi);			/* a screen for PCs without a serial port (honors console=) */
	time_init();
	random_init();			/* TSC jitter needs the clock; before anything wants keys */
	page_alloc_init(bi);		/* usable RAM below 4 GiB, from the boot map */
	paging_init(bi);		/* own tables: W^X, NX, page 0 unmapped; then RAM above 4 GiB */
	slab_init();			/* kmem caches and kmalloc */
	acpi_init(bi->rsdp);		/* RSDP -> RSDT/XSDT; tables for interrupts and PCI */
	timers_init();			/* the timer wheel and TIMER softirq, before the first tick */
	sched_init();			/* the boot flow is the current task (idle from sched_start) */
	softirq_init();			/* ksoftirqd thread: needs kmalloc and kstack_alloc */
	interrupts_init();		/* MADT: LAPIC, IOAPIC, 8259 masked; interrupts on */
	lapic_timer_start();		/* HZ ticks into timer_tick() */
	do_initcalls();			/* subsystems (PCI enumeration), protocols, drivers, apps */
	pr_info("synack: booting via %s, cmdline \"%s\"\n", boot_path_name(bi->path), bi->cmdline);
	kputs("synack: boot ok\n");
	arch_selftest();		/* test=fault, test=ticks, test=irq */
	mm_selftest();			/* test=slab, test=guard */
	console_selftest();		/* test=console */
	sched_selftest();		/* test=sched */
	sched_start();			/* becomes the idle task: threads run from here */
}
