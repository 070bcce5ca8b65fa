/*
 * What the kernel needs from the firmware besides memory: the GOP
 * framebuffer (so a PC without a serial port still shows the console) and
 * the ACPI RSDP from the configuration table.
 */
#include "boot/efi/loader.h"

static EFI_GUID acpi20_guid = ACPI_20_TABLE_GUID;
static EFI_GUID acpi10_guid = ACPI_TABLE_GUID;

/* Bit position of the lowest set bit of a channel mask (0 if empty). */
static UINT8 mask_pos(UINT32 mask)
{
	UINT8 pos = 0;

	while (mask && !(mask & 1)) {
		mask >>= 1;
		pos++;
	}
	return pos;
}

static int fb_set_channels(struct boot_framebuffer *fb,
			   const EFI_GRAPHICS_OUTPUT_MODE_INFORMATION *info)
{
	switch (info->PixelFormat) {
	case PixelRedGreenBlueReserved8BitPerColor:
		fb->red_pos = 0, fb->green_pos = 8, fb->blue_pos = 16;
		return 1;
	case PixelBlueGreenRedReserved8BitPerColor:
		fb->red_pos = 16, fb->green_pos = 8, fb->blue_pos = 0;
		return 1;
	case PixelBitMask:
		fb->red_pos = mask_pos(info->PixelInformation.RedMask);
		fb->green_pos = mask_pos(info->PixelInformation.GreenMask);
		fb->blue_pos = mask_pos(info->PixelInformation.BlueMask);
		return 1;
	default:		/* PixelBltOnly: no linear framebuffer to hand over */
		return 0;
	}
}

void efi_get_framebuffer(struct boot_framebuffer *fb)
{
	EFI_GRAPHICS_OUTPUT_PROTOCOL *gop;
	EFI_STATUS st;

	st = BS->LocateProtocol(&GraphicsOutputProtocol, NULL, (void **)&gop);
	if (EFI_ERROR(st) || !gop->Mode || !gop->Mode->Info) {
		Print(L"synack-efi: no graphics output, serial console only\n");
		return;
	}
	if (!fb_set_channels(fb, gop->Mode->Info)) {
		Print(L"synack-efi: GOP has no linear framebuffer, serial console only\n");
		return;
	}
	/* GOP pixels are always 32 bits; PixelsPerScanLine includes padding. */
	fb->addr = gop->Mode->FrameBufferBase;
	fb->bpp = 32;
	fb->width = gop->Mode->Info->HorizontalResolution;
	fb->height = gop->Mode->Info->VerticalResolution;
	fb->pitch = gop->Mode->Info->PixelsPerScanLine * 4;
	Print(L"synack-efi: framebuffer %dx%d at 0x%lx\n", fb->width, fb->height, fb->addr);
}

UINT64 efi_find_rsdp(void)
{
	void *rsdp = NULL;

	if (EFI_ERROR(LibGetSystemConfigurationTable(&acpi20_guid, &rsdp)) &&
	    EFI_ERROR(LibGetSystemConfigurationTable(&acpi10_guid, &rsdp))) {
		Print(L"synack-efi: no ACPI RSDP in the configuration table\n");
		return 0;
	}
	return (UINT64)(UINTN)rsdp;
}
