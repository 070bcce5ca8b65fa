/*
 * Arch bring-up in two steps.  arch_init() gives the CPU its own GDT, TSS
 * and IDT, so from then on any exception produces a report instead of a
 * triple fault; it needs nothing but the console.  interrupts_init() runs
 * once paging and ACPI are up: it moves the IST stacks onto guarded
 * stacks, reads the MADT, masks the 8259, enables the local APIC, masks
 * every I/O APIC input and turns interrupts on: nothing can fire until a
 * driver routes a vector or the timer starts.
 */
#include "kernel/acpi/acpi.h"
#include "kernel/acpi/madt.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/gdt.h"
#include "kernel/arch/x86_64/idt.h"
#include "kernel/arch/x86_64/ioapic.h"
#include "kernel/arch/x86_64/irq.h"
#include "kernel/arch/x86_64/lapic.h"
#include "kernel/arch/x86_64/pic.h"
#include "kernel/mm/vm.h"
#include "kernel/printk.h"

void arch_init(void)
{
	gdt_init();
	idt_init();
}

/* An overflowing #DF/NMI/#MC handler then faults on the guard page. */
static void ist_stacks_guard(void)
{
	for (int ist = 1; ist <= IST_COUNT; ist++) {
		void *base = kstack_alloc(IST_STACK_SIZE);

		if (!base) {
			pr_warn("arch: no memory for guarded IST stacks, keeping static ones\n");
			return;
		}
		tss_set_ist(ist, (uintptr_t)base + IST_STACK_SIZE);
	}
}

static void madt_read(struct madt_info *madt)
{
	const struct acpi_sdt_header *h = acpi_find_table("APIC");

	if (madt_parse(h, h ? h->length : 0, madt) == 0) {
		pr_info("madt: %u cpu(s), %u ioapic(s), %u isa override(s)%s\n",
			madt->nr_cpus, madt->nr_ioapics, madt->nr_overrides,
			madt->pcat_compat ? ", 8259 present" : "");
		if (madt->skipped)
			pr_warn("madt: %u entries beyond the table limits ignored\n",
				madt->skipped);
		return;
	}
	pr_warn("madt: %s; local APIC only, no I/O APIC routing\n",
		h ? "malformed" : "not found");
}

void interrupts_init(void)
{
	struct madt_info madt;

	ist_stacks_guard();
	madt_read(&madt);
	/* Unconditionally: harmless without an 8259, and firmware may omit PCAT_COMPAT. */
	pic_disable();
	lapic_init(madt.nmi_lint, madt.nmi_flags);
	ioapic_init(&madt);
	irq_enable();
}
