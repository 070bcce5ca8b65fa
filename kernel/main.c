/*
 * kernel_main: the init order.  Each step may use everything above it.
 */
#include "boot/boot_info.h"
#include "kernel/acpi/acpi.h"
#include "kernel/console/serial.h"
#include "kernel/kernel.h"
#include "kernel/panic.h"
#include "kernel/params.h"
#include "kernel/printk.h"
#include "kernel/random.h"
#include "kernel/time.h"

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
	params_init(bi->cmdline);	/* loglevel= and friends, before anyone logs much */
	time_init();
	random_init();			/* TSC jitter needs the clock; before anything wants keys */
	acpi_init(bi->rsdp);		/* RSDP -> RSDT/XSDT; tables for interrupts and PCI */
	pr_info("synack: booting via %s, cmdline \"%s\"\n", boot_path_name(bi->path), bi->cmdline);
	kputs("synack: boot ok\n");
	qemu_exit(0);
	halt_forever();
}
