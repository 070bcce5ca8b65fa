/*
 * `reboot`: resets the machine the ways a PC offers, each tried in turn
 * after the previous one had time to act: the keyboard controller's reset
 * line (command 0xFE to port 0x64), the ACPI reset register from the FADT,
 * and last a triple fault (an empty IDT and a breakpoint), which every x86
 * answers with a reset.  Under QEMU with -no-reboot, a reset ends QEMU.
 *
 * Context: the shell thread; never returns.
 */
#include "kernel/acpi/acpi.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/errno.h"
#include "kernel/kernel.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "kernel/shell/shell.h"
#include "kernel/time.h"

#define KBC_STATUS		0x64
#define KBC_STATUS_IBF		0x02	/* input buffer full: not ready for a command */
#define KBC_CMD_RESET		0xfe
#define RESET_SETTLE_US		50000

/* FADT (ACPI 6.5, 5.2.9) fields past the common header that reset needs. */
#define FADT_FLAGS_OFF		112
#define FADT_RESET_REG_OFF	116
#define FADT_RESET_VALUE_OFF	128
#define FADT_RESET_REG_SUP	(1u << 10)
#define ACPI_SPACE_SYSTEM_IO	1

struct acpi_gas {
	uint8_t space_id;
	uint8_t bit_width;
	uint8_t bit_offset;
	uint8_t access_size;
	uint64_t address;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_gas) == 12, "ACPI generic address is 12 bytes");

static void reset_kbc(void)
{
	for (int spin = 0; spin < 100000 && (inb(KBC_STATUS) & KBC_STATUS_IBF); spin++)
		cpu_relax();
	outb(KBC_STATUS, KBC_CMD_RESET);
}

/* Only an I/O-port reset register: a memory one would need a mapping made
 * with interrupts off, and the triple fault behind it always works. */
static void reset_acpi(void)
{
	const struct acpi_sdt_header *h = acpi_find_table("FACP");
	const uint8_t *fadt = (const uint8_t *)h;
	struct acpi_gas reg;
	uint32_t flags;

	if (!h || h->length <= FADT_RESET_VALUE_OFF)
		return;
	memcpy(&flags, fadt + FADT_FLAGS_OFF, sizeof(flags));
	memcpy(&reg, fadt + FADT_RESET_REG_OFF, sizeof(reg));
	if ((flags & FADT_RESET_REG_SUP) && reg.space_id == ACPI_SPACE_SYSTEM_IO &&
	    reg.address && reg.address <= 0xffff)
		outb((uint16_t)reg.address, fadt[FADT_RESET_VALUE_OFF]);
}

static void __attribute__((noreturn)) reset_triple_fault(void)
{
	static const struct { uint16_t limit; uint64_t base; } __attribute__((packed)) idtr;

	__asm__ volatile("lidt %0; int3" : : "m"(idtr) : "memory");
	for (;;)
		cpu_halt();
}

int shell_reboot(int argc, char **argv)
{
	(void)argv;
	if (argc)
		return -EINVAL;
	shell_puts("reboot: resetting\n");
	irq_disable();
	console_flush_all();
	reset_kbc();
	udelay(RESET_SETTLE_US);
	reset_acpi();
	udelay(RESET_SETTLE_US);
	reset_triple_fault();
}
