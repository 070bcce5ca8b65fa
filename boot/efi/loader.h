/*
 * The GNU-EFI loader's internal interface.  BOOTX64.EFI loads synack.elf
 * from its own FAT volume, describes the machine in a struct boot_info
 * (boot/boot_info.h), exits boot services and jumps to the ELF entry with
 * %rdi = &boot_info.  Everything here runs with boot services available,
 * except efi_convert_memmap(), which runs after ExitBootServices.
 * Errors are printed to ConOut by the function that detects them.
 */
#ifndef SYNACK_BOOT_EFI_LOADER_H
#define SYNACK_BOOT_EFI_LOADER_H

#include <efi.h>
#include <efilib.h>

#include "boot/boot_info.h"

/* Reads the whole file `path` of the volume `root` into pool memory. */
EFI_STATUS efi_read_file(EFI_FILE_HANDLE root, CHAR16 *path, void **buf, UINTN *len);

/* Validates the ELF64 image in buf and copies its PT_LOAD segments to
 * their physical addresses (pages claimed with AllocateAddress). */
EFI_STATUS efi_load_elf(const void *buf, UINTN len, UINT64 *entry);

/* Fills bi->fb from the Graphics Output Protocol; leaves it zero if none. */
void efi_get_framebuffer(struct boot_framebuffer *fb);
/* Physical address of the ACPI 2.0 RSDP, else the 1.0 one, else 0. */
UINT64 efi_find_rsdp(void);

/* The firmware memory map as it stood when boot services were exited. */
struct efi_memmap {
	EFI_MEMORY_DESCRIPTOR *desc;
	UINTN size;		/* bytes used in desc */
	UINTN cap;		/* bytes allocated for desc */
	UINTN desc_size;	/* stride: firmware descriptors may grow */
};

/* Allocates room for the map, fetches it and exits boot services,
 * retrying with a fresh map key if the map changed in between. */
EFI_STATUS efi_exit_boot_services(EFI_HANDLE image, struct efi_memmap *map);
/* Sorts and converts the map into bi->mem, merging adjacent ranges of
 * the same type.  Makes no firmware calls. */
void efi_convert_memmap(struct efi_memmap *map, struct boot_info *bi);

#endif
