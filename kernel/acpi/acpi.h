/*
 * ACPI table discovery.  acpi_init() finds the RSDP (from boot info, else
 * by scanning the EBDA and the BIOS area), validates the RSDT or XSDT and
 * remembers it; acpi_find_table() then returns any other table by its
 * four-character signature ("APIC" is the MADT, "MCFG", "HPET", ...).
 *
 * Tables are read in place through the identity map and are only returned
 * after their length and checksum have been verified.  Call acpi_init()
 * once at boot, before anything asks for a table.
 */
#ifndef SYNACK_KERNEL_ACPI_ACPI_H
#define SYNACK_KERNEL_ACPI_ACPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Header common to every system description table (ACPI 6.5, 5.2.6). */
struct acpi_sdt_header {
	char signature[4];
	uint32_t length;	/* whole table, header included */
	uint8_t revision;
	uint8_t checksum;	/* all `length` bytes sum to 0 */
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	uint32_t creator_id;
	uint32_t creator_revision;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_sdt_header) == 36, "ACPI SDT header is 36 bytes");

/* Root System Description Pointer (5.2.5); revision >= 2 adds the XSDT. */
struct acpi_rsdp {
	char signature[8];	/* "RSD PTR " */
	uint8_t checksum;	/* first 20 bytes */
	char oem_id[6];
	uint8_t revision;
	uint32_t rsdt_address;
	uint32_t length;	/* revision >= 2 */
	uint64_t xsdt_address;
	uint8_t ext_checksum;	/* all `length` bytes */
	uint8_t reserved[3];
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_rsdp) == 36, "ACPI RSDP is 36 bytes");

#define ACPI_RSDP_V1_LEN 20

/* Byte sum of `len` bytes; a valid table sums to 0. */
uint8_t acpi_checksum(const void *p, size_t len);
/* Signature and checksum(s) of an RSDP candidate of at most `avail` bytes. */
bool acpi_rsdp_valid(const void *p, size_t avail);
/* Signature, length (at least a header, at most `avail`) and checksum. */
bool acpi_sdt_valid(const void *p, size_t avail, const char *signature);

/* Finds the RSDP (bi_rsdp: the boot loader's pointer, 0 if none) and the
 * root table.  Returns 0, or -ENODEV when the machine has no usable ACPI. */
int acpi_init(uint64_t bi_rsdp);
/* First valid table with `signature` (4 chars), NULL if absent. */
const struct acpi_sdt_header *acpi_find_table(const char *signature);

#endif
