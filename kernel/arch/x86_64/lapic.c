/*
 * Local APIC bring-up in xAPIC mode through its MMIO page (0xfee00000 on
 * PCs, mapped uncached with ioremap()).  If firmware left the
 * APIC in x2APIC mode it is switched back through the disabled state, the
 * only transition the SDM allows.  Also composes MSI messages, which are
 * writes into this APIC's address window.  One CPU.
 */
#include "kernel/arch/x86_64/lapic.h"

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/irq.h"
#include "kernel/arch/x86_64/vectors.h"
#include "kernel/kernel.h"
#include "kernel/mm/vm.h"
#include "kernel/panic.h"
#include "kernel/printk.h"

#define APIC_BASE_EXTD		(1ull << 10)	/* x2APIC mode */
#define APIC_BASE_ENABLE	(1ull << 11)
#define APIC_BASE_ADDR_MASK	0x000ffffffffff000ull
#define SVR_ENABLE		(1u << 8)
#define ICR_DELIVERY_PENDING	(1u << 12)
#define ICR_ASSERT		(1u << 14)
#define ICR_DEST_SELF		(1u << 18)

#define LAPIC_MMIO_SIZE		4096
#define MSI_ADDR_BASE		0xfee00000u
#define MSI_ADDR_DEST_SHIFT	12

static volatile uint32_t *lapic_mmio;

uint32_t lapic_read(uint32_t reg)
{
	return lapic_mmio[reg / 4];
}

void lapic_write(uint32_t reg, uint32_t val)
{
	lapic_mmio[reg / 4] = val;
}

bool lapic_present(void)
{
	return lapic_mmio != NULL;
}

void lapic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

bool lapic_in_service(int vector)
{
	if (!lapic_mmio)
		return false;
	return (lapic_read(LAPIC_ISR + 0x10u * ((unsigned)vector / 32)) >> (vector % 32)) & 1;
}

void lapic_send_self_ipi(int vector)
{
	lapic_write(LAPIC_ICR_LOW, ICR_DEST_SELF | ICR_ASSERT | ((uint32_t)vector & 0xff));
	while (lapic_read(LAPIC_ICR_LOW) & ICR_DELIVERY_PENDING)
		cpu_relax();
}

uint32_t lapic_id(void)
{
	return lapic_read(LAPIC_ID) >> 24;
}

void msi_compose(int vector, uint64_t *addr, uint32_t *data)
{
	/* Physical destination, no redirection hint; fixed delivery, edge. */
	*addr = MSI_ADDR_BASE | (lapic_id() << MSI_ADDR_DEST_SHIFT);
	*data = (uint32_t)vector & 0xff;
}

static void lapic_error(void *arg)
{
	static unsigned reported;
	uint32_t esr;

	(void)arg;
	lapic_write(LAPIC_ESR, 0);	/* latch the errors into ESR */
	esr = lapic_read(LAPIC_ESR);
	if (reported++ < 8)
		pr_err("lapic: error interrupt, ESR %#x\n", esr);
}

static uint64_t lapic_enable_xapic(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);

	if (base & APIC_BASE_EXTD)
		wrmsr(MSR_APIC_BASE, base & ~(APIC_BASE_EXTD | APIC_BASE_ENABLE));
	base = (base & ~APIC_BASE_EXTD) | APIC_BASE_ENABLE;
	wrmsr(MSR_APIC_BASE, base);
	return base & APIC_BASE_ADDR_MASK;
}

/* LVT entries that exist on this APIC (version register, max LVT index). */
static void lapic_mask_lvts(void)
{
	unsigned max_lvt = (lapic_read(LAPIC_VERSION) >> 16) & 0xff;

	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | VECTOR_LAPIC_TIMER);
	lapic_write(LAPIC_LVT_LINT0, LVT_MASKED);
	lapic_write(LAPIC_LVT_LINT1, LVT_MASKED);
	if (max_lvt >= 4)
		lapic_write(LAPIC_LVT_PERF, LVT_MASKED);
	if (max_lvt >= 5)
		lapic_write(LAPIC_LVT_THERMAL, LVT_MASKED);
	if (max_lvt >= 6)
		lapic_write(LAPIC_LVT_CMCI, LVT_MASKED);
}

__cold void lapic_init(int nmi_lint, uint16_t nmi_flags)
{
	uint64_t phys = lapic_enable_xapic();
	uint32_t nmi_lvt = LVT_DELIVERY_NMI;

	lapic_mmio = ioremap(phys, LAPIC_MMIO_SIZE);
	if (!lapic_mmio)
		panic("lapic: cannot map its registers at %#lx", (unsigned long)phys);
	lapic_write(LAPIC_SVR, SVR_ENABLE | VECTOR_SPURIOUS);
	lapic_mask_lvts();
	/* NMIs are edge triggered; only the polarity comes from the MADT. */
	if ((nmi_flags & 3u) == 3)
		nmi_lvt |= LVT_ACTIVE_LOW;
	lapic_write(nmi_lint == 0 ? LAPIC_LVT_LINT0 : LAPIC_LVT_LINT1, nmi_lvt);
	irq_install_fixed(VECTOR_LAPIC_ERROR, lapic_error, NULL);
	lapic_write(LAPIC_LVT_ERROR, VECTOR_LAPIC_ERROR);
	lapic_write(LAPIC_ESR, 0);	/* back-to-back writes clear stale errors */
	lapic_write(LAPIC_ESR, 0);
	lapic_write(LAPIC_TPR, 0);	/* accept every priority class */
	lapic_eoi();			/* drop anything firmware left in service */
	pr_info("lapic: id %u at %#lx, version %#x\n", lapic_id(), (unsigned long)phys,
		lapic_read(LAPIC_VERSION) & 0xff);
}
