/*
 * Validation of ACPI structures over plain bytes: checksums, signatures,
 * lengths.  No memory mapping and no globals, so the host tests run it as
 * is (tests/host/test_acpi.c).
 */
#include "kernel/acpi/acpi.h"

#include "kernel/lib/string.h"

uint8_t acpi_checksum(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	while (len--)
		sum += *b++;
	return sum;
}

bool acpi_rsdp_valid(const void *p, size_t avail)
{
	const struct acpi_rsdp *rsdp = p;

	if (avail < ACPI_RSDP_V1_LEN || memcmp(rsdp->signature, "RSD PTR ", 8))
		return false;
	if (acpi_checksum(rsdp, ACPI_RSDP_V1_LEN))
		return false;
	if (rsdp->revision < 2)
		return true;
	/* ACPI 2.0+: the extended checksum covers the XSDT pointer too. */
	if (avail < sizeof(*rsdp) || rsdp->length < sizeof(*rsdp) || rsdp->length > avail)
		return false;
	return acpi_checksum(rsdp, rsdp->length) == 0;
}

bool acpi_sdt_valid(const void *p, size_t avail, const char *signature)
{
	const struct acpi_sdt_header *h = p;

	if (avail < sizeof(*h))
		return false;
	if (signature && memcmp(h->signature, signature, 4))
		return false;
	if (h->length < sizeof(*h) || h->length > avail)
		return false;
	return acpi_checksum(h, h->length) == 0;
}
