/*
 * Whole-file reads from the loader's FAT volume (Simple File System
 * protocol).  The kernel image and cmdline.txt are small, so each is read
 * into one pool buffer that stays allocated until ExitBootServices.
 */
#include "boot/efi/loader.h"

EFI_STATUS efi_read_file(EFI_FILE_HANDLE root, CHAR16 *path, void **buf, UINTN *len)
{
	EFI_FILE_HANDLE f;
	EFI_FILE_INFO *info;
	EFI_STATUS st;
	UINTN size;

	st = root->Open(root, &f, path, EFI_FILE_MODE_READ, 0);
	if (EFI_ERROR(st))
		return st;
	info = LibFileInfo(f);
	if (!info) {
		st = EFI_DEVICE_ERROR;
		goto err_close;
	}
	size = info->FileSize;
	FreePool(info);
	/* One spare byte so text files can be NUL-terminated by the caller. */
	st = BS->AllocatePool(EfiLoaderData, size + 1, buf);
	if (EFI_ERROR(st))
		goto err_close;
	*len = size;
	st = f->Read(f, len, *buf);
	if (!EFI_ERROR(st) && *len != size)
		st = EFI_END_OF_FILE;
	if (EFI_ERROR(st))
		FreePool(*buf);
err_close:
	f->Close(f);
	return st;
}
