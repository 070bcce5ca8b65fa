/*
 * I/O APIC redirection.  Each I/O APIC serves the GSIs from its MADT base
 * up to its pin count (version register); a GSI is routed by writing its
 * 64-bit redirection entry: vector, polarity, trigger, mask in the low
 * word, destination APIC ID in the high word (physical mode, this CPU).
 * Registers are reached through an index/data pair (IOREGSEL at +0x00,
 * IOWIN at +0x10), so every access runs with interrupts off.  The
 * register window is mapped uncached with ioremap().
 */
#include "kernel/arch/x86_64/ioapic.h"

#include "kernel/acpi/madt.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/irq.h"
#include "kernel/arch/x86_64/vectors.h"
#include "kernel/errno.h"
#include "kernel/mm/vm.h"
#include "kernel/printk.h"

#define IOAPIC_MMIO_SIZE	0x20
#define IOAPIC_REG_VERSION	0x01
#define IOAPIC_REG_REDIR(pin)	(0x10 + 2 * (pin))	/* low word; high is +1 */

#define REDIR_MASKED		(1u << 16)
#define REDIR_LEVEL		(1u << 15)
#define REDIR_ACTIVE_LOW	(1u << 13)

struct ioapic {
	volatile uint32_t *mmio;
	uint32_t gsi_base;
	unsigned nr_pins;
};

static struct ioapic ioapics[MADT_MAX_IOAPICS];
static unsigned nr_ioapics;
static struct madt_info madt_copy;	/* ISA overrides for irq_isa_to_gsi() */

static uint32_t ioapic_read(const struct ioapic *io, uint32_t reg)
{
	unsigned long flags = irq_save();
	uint32_t v;

	io->mmio[0] = reg;
	v = io->mmio[4];
	irq_restore(flags);
	return v;
}

static void ioapic_write(const struct ioapic *io, uint32_t reg, uint32_t val)
{
	unsigned long flags = irq_save();

	io->mmio[0] = reg;
	io->mmio[4] = val;
	irq_restore(flags);
}

/* The I/O APIC serving `gsi` and the pin it arrives on. */
static const struct ioapic *ioapic_for_gsi(uint32_t gsi, unsigned *pin)
{
	for (unsigned i = 0; i < nr_ioapics; i++) {
		const struct ioapic *io = &ioapics[i];

		if (gsi >= io->gsi_base && gsi - io->gsi_base < io->nr_pins) {
			*pin = gsi - io->gsi_base;
			return io;
		}
	}
	return NULL;
}

int ioapic_route_gsi(uint32_t gsi, int vector, bool level_triggered, bool active_low)
{
	unsigned pin;
	const struct ioapic *io = ioapic_for_gsi(gsi, &pin);
	uint32_t low = (uint32_t)vector;	/* fixed delivery, physical destination */

	if (!io)
		return -ENODEV;
	if (vector < VECTOR_DEVICE_FIRST || vector >= VECTOR_SPURIOUS)
		return -EINVAL;
	if (level_triggered)
		low |= REDIR_LEVEL;
	if (active_low)
		low |= REDIR_ACTIVE_LOW;
	/* Destination first, unmasking low word last. */
	ioapic_write(io, IOAPIC_REG_REDIR(pin) + 1, lapic_id() << 24);
	ioapic_write(io, IOAPIC_REG_REDIR(pin), low);
	pr_debug("ioapic: gsi %u -> vector %#x (%s, active %s)\n", gsi, vector,
		 level_triggered ? "level" : "edge", active_low ? "low" : "high");
	return 0;
}

void ioapic_mask_gsi(uint32_t gsi, bool masked)
{
	unsigned pin;
	const struct ioapic *io = ioapic_for_gsi(gsi, &pin);
	uint32_t low;

	if (!io)
		return;
	low = ioapic_read(io, IOAPIC_REG_REDIR(pin));
	low = masked ? low | REDIR_MASKED : low & ~REDIR_MASKED;
	ioapic_write(io, IOAPIC_REG_REDIR(pin), low);
}

uint32_t irq_isa_to_gsi(uint8_t isa_irq, bool *level, bool *active_low)
{
	return madt_isa_irq(&madt_copy, isa_irq, level, active_low);
}

void ioapic_init(const struct madt_info *madt)
{
	madt_copy = *madt;
	for (unsigned i = 0; i < madt->nr_ioapics; i++) {
		struct ioapic *io = &ioapics[nr_ioapics];

		io->mmio = ioremap(madt->ioapic[i].addr, IOAPIC_MMIO_SIZE);
		if (!io->mmio) {
			pr_err("ioapic: cannot map %#x, its GSIs stay unrouted\n",
			       madt->ioapic[i].addr);
			continue;
		}
		io->gsi_base = madt->ioapic[i].gsi_base;
		io->nr_pins = ((ioapic_read(io, IOAPIC_REG_VERSION) >> 16) & 0xff) + 1;
		for (unsigned pin = 0; pin < io->nr_pins; pin++)
			ioapic_write(io, IOAPIC_REG_REDIR(pin), REDIR_MASKED);
		pr_info("ioapic: id %u at %#x, gsi %u-%u\n", madt->ioapic[i].id,
			madt->ioapic[i].addr, io->gsi_base, io->gsi_base + io->nr_pins - 1);
		nr_ioapics++;
	}
}
