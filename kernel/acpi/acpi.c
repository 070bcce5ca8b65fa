/*
 * ACPI discovery in the running kernel: RSDP from the boot loader or the
 * legacy BIOS areas, then the XSDT (or RSDT) whose entries point at every
 * other table.  Tables are read in place (identity map); every access is
 * preceded by a page-table check so a bogus pointer from firmware is
 * skipped instead of faulting.  Runs once at boot, single-threaded.
 */
#include "kernel/acpi/acpi.h"

#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/mm/paging.h"
#include "kernel/printk.h"

#define ACPI_TABLE_MAX_LEN	(16u << 20)	/* sanity bound on a table's length */

static const struct acpi_sdt_header *root;	/* XSDT or RSDT */
static unsigned root_entry_size;		/* 8 for the XSDT, 4 for the RSDT */

/* True if every page of [pa, pa + len) is mapped. */
static bool phys_readable(uint64_t pa, size_t len)
{
	if (!len || pa + len < pa)
		return false;
	for (uint64_t page = pa & ~(PAGE_SIZE - 1); page < pa + len; page += PAGE_SIZE)
		if (!paging_is_mapped((uintptr_t)page))
			return false;
	return true;
}

/* The table at physical `pa` if it is mapped and valid, else NULL. */
static const struct acpi_sdt_header *sdt_at(uint64_t pa, const char *signature)
{
	const struct acpi_sdt_header *h = (const void *)(uintptr_t)pa;

	if (!pa || !phys_readable(pa, sizeof(*h)))
		return NULL;
	if (h->length > ACPI_TABLE_MAX_LEN || !phys_readable(pa, h->length))
		return NULL;
	return acpi_sdt_valid(h, h->length, signature) ? h : NULL;
}

/* Scans [base, base + len) on 16-byte boundaries, as the spec places it. */
static const struct acpi_rsdp *rsdp_scan(uint64_t base, size_t len)
{
	if (!phys_readable(base, len))
		return NULL;
	for (uint64_t pa = base; pa + ACPI_RSDP_V1_LEN <= base + len; pa += 16) {
		const void *p = (const void *)(uintptr_t)pa;
		if (acpi_rsdp_valid(p, (size_t)(base + len - pa)))
			return p;
	}
	return NULL;
}

/* BIOS data area word at 0x40e: the EBDA's real-mode segment. */
static uint64_t ebda_base(void)
{
	const volatile uint16_t *seg = (const volatile uint16_t *)0x40e;

	__asm__("" : "+r"(seg));	/* a fixed address is not an empty array, gcc */
	return (uint64_t)*seg << 4;
}

/* ACPI 6.5, 5.2.5.1: the first KiB of the EBDA, then 0xE0000-0xFFFFF. */
static const struct acpi_rsdp *rsdp_find(uint64_t bi_rsdp)
{
	const struct acpi_rsdp *rsdp;

	if (bi_rsdp && phys_readable(bi_rsdp, sizeof(*rsdp)) &&
	    acpi_rsdp_valid((const void *)(uintptr_t)bi_rsdp, sizeof(*rsdp)))
		return (const void *)(uintptr_t)bi_rsdp;
	if (bi_rsdp)
		pr_warn("acpi: boot loader's RSDP at %#lx is invalid, scanning\n",
			(unsigned long)bi_rsdp);
	if (phys_readable(0x40e, 2)) {
		uint64_t ebda = ebda_base();
		if (ebda >= 0x80000 && ebda < 0xa0000 && (rsdp = rsdp_scan(ebda, 1024)))
			return rsdp;
	}
	return rsdp_scan(0xe0000, 0x20000);
}

static uint64_t root_entry(unsigned i)
{
	const uint8_t *p = (const uint8_t *)(root + 1) + (size_t)i * root_entry_size;

	if (root_entry_size == 8) {
		uint64_t v;
		memcpy(&v, p, 8);	/* XSDT entries are not 8-byte aligned */
		return v;
	}
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

static unsigned root_entries(void)
{
	return (root->length - sizeof(*root)) / root_entry_size;
}

static void acpi_log_tables(void)
{
	for (unsigned i = 0; i < root_entries(); i++) {
		const struct acpi_sdt_header *h = sdt_at(root_entry(i), NULL);
		if (h)
			pr_debug("acpi: %.4s at %#lx len %u rev %u\n", h->signature,
				 (unsigned long)(uintptr_t)h, h->length, h->revision);
		else
			pr_debug("acpi: entry %u at %#lx invalid, ignored\n", i,
				 (unsigned long)root_entry(i));
	}
}

int acpi_init(uint64_t bi_rsdp)
{
	const struct acpi_rsdp *rsdp = rsdp_find(bi_rsdp);

	if (!rsdp) {
		pr_warn("acpi: no RSDP found\n");
		return -ENODEV;
	}
	if (rsdp->revision >= 2 && (root = sdt_at(rsdp->xsdt_address, "XSDT")))
		root_entry_size = 8;
	else if ((root = sdt_at(rsdp->rsdt_address, "RSDT")))
		root_entry_size = 4;
	if (!root) {
		pr_warn("acpi: RSDP at %p has no valid RSDT/XSDT\n", (const void *)rsdp);
		return -ENODEV;
	}
	pr_info("acpi: RSDP at %p rev %u, %.4s at %p with %u tables, OEM %.6s\n",
		(const void *)rsdp, rsdp->revision, root->signature, (const void *)root,
		root_entries(), rsdp->oem_id);
	acpi_log_tables();
	return 0;
}

const struct acpi_sdt_header *acpi_find_table(const char *signature)
{
	if (!root)
		return NULL;
	for (unsigned i = 0; i < root_entries(); i++) {
		const struct acpi_sdt_header *h = sdt_at(root_entry(i), signature);
		if (h)
			return h;
	}
	return NULL;
}
