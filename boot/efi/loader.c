/*
 * BOOTX64.EFI: the GNU-EFI loader for synack.  From the root of the volume
 * it was loaded from it reads \synack.elf and an optional \cmdline.txt,
 * then hands the kernel a struct boot_info (memory map, command line, GOP
 * framebuffer, RSDP) at the ELF entry (efi_start64 in boot/entry.S) with
 * %rdi pointing at it.  Progress and errors go to the UEFI console; on an
 * error the loader returns to the firmware, which tries the next boot
 * option.
 */
#include "boot/efi/loader.h"

#define KERNEL_PATH	L"\\synack.elf"
#define CMDLINE_PATH	L"\\cmdline.txt"
#define ERROR_PAUSE_US	5000000		/* time to read an error before the firmware moves on */

typedef void (*kernel_entry_fn)(struct boot_info *bi);

static EFI_STATUS open_own_volume(EFI_HANDLE image, EFI_FILE_HANDLE *root)
{
	EFI_LOADED_IMAGE *li;
	EFI_STATUS st;

	st = BS->HandleProtocol(image, &LoadedImageProtocol, (void **)&li);
	if (EFI_ERROR(st)) {
		Print(L"synack-efi: no loaded-image protocol: %r\n", st);
		return st;
	}
	*root = LibOpenRoot(li->DeviceHandle);
	if (!*root) {
		Print(L"synack-efi: cannot open the boot volume's file system\n");
		return EFI_NOT_FOUND;
	}
	return EFI_SUCCESS;
}

/* cmdline.txt is one line of text; line breaks become spaces, trailing
 * blanks are dropped.  Absent, the kernel runs on its built-in defaults. */
static void read_cmdline(EFI_FILE_HANDLE root, struct boot_info *bi)
{
	char *text;
	UINTN len, n = 0;

	if (EFI_ERROR(efi_read_file(root, CMDLINE_PATH, (void **)&text, &len))) {
		Print(L"synack-efi: no cmdline.txt, using the kernel's defaults\n");
		return;
	}
	for (UINTN i = 0; i < len && text[i] && n < BOOT_CMDLINE_MAX - 1; i++) {
		char c = text[i];

		bi->cmdline[n++] = (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
	}
	while (n && bi->cmdline[n - 1] == ' ')
		n--;
	bi->cmdline[n] = '\0';
	FreePool(text);
	Print(L"synack-efi: cmdline \"%a\"\n", bi->cmdline);
}

static EFI_STATUS load_kernel(EFI_FILE_HANDLE root, UINT64 *entry)
{
	void *elf;
	UINTN len;
	EFI_STATUS st;

	st = efi_read_file(root, KERNEL_PATH, &elf, &len);
	if (EFI_ERROR(st)) {
		Print(L"synack-efi: cannot read %s: %r\n", KERNEL_PATH, st);
		return st;
	}
	Print(L"synack-efi: read synack.elf, %ld bytes\n", len);
	st = efi_load_elf(elf, len, entry);
	FreePool(elf);
	return st;
}

/* Below 4 GiB: the kernel reads it under its boot identity map, which
 * covers only the first 4 GiB. */
static EFI_STATUS alloc_boot_info(struct boot_info **bi)
{
	EFI_PHYSICAL_ADDRESS addr = 0xffffffffull;
	UINTN pages = (sizeof(**bi) + EFI_PAGE_SIZE - 1) / EFI_PAGE_SIZE;
	EFI_STATUS st;

	st = BS->AllocatePages(AllocateMaxAddress, EfiLoaderData, pages, &addr);
	if (EFI_ERROR(st))
		return st;
	*bi = (struct boot_info *)(UINTN)addr;
	SetMem(*bi, sizeof(**bi), 0);
	return EFI_SUCCESS;
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	struct boot_info *bi;
	struct efi_memmap map;
	EFI_FILE_HANDLE root;
	UINT64 entry;
	EFI_STATUS st;
	uint32_t tsc_lo, tsc_hi;

	/* Boot time counts from here (kernel/time.c). */
	__asm__ volatile("rdtsc" : "=a"(tsc_lo), "=d"(tsc_hi));
	InitializeLib(image, systab);
	Print(L"synack-efi: loading synack\n");
	st = alloc_boot_info(&bi);
	if (EFI_ERROR(st)) {
		Print(L"synack-efi: out of memory for boot info: %r\n", st);
		goto err;
	}
	bi->magic = BOOT_INFO_MAGIC;
	bi->path = BOOT_PATH_EFI;
	bi->efi_system_table = (UINT64)(UINTN)systab;
	bi->entry_tsc = (UINT64)tsc_hi << 32 | tsc_lo;
	st = open_own_volume(image, &root);
	if (EFI_ERROR(st))
		goto err;
	read_cmdline(root, bi);
	st = load_kernel(root, &entry);
	root->Close(root);
	if (EFI_ERROR(st))
		goto err;
	efi_get_framebuffer(&bi->fb);
	bi->rsdp = efi_find_rsdp();
	st = efi_exit_boot_services(image, &map);
	if (EFI_ERROR(st))
		goto err;
	efi_convert_memmap(&map, bi);
	((kernel_entry_fn)(UINTN)entry)(bi);
	for (;;)		/* the kernel never returns; nothing is left to return to */
		__asm__ volatile("cli; hlt");
err:
	Print(L"synack-efi: boot failed: %r\n", st);
	BS->Stall(ERROR_PAUSE_US);
	return st;
}
