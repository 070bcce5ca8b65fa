/*
 * The last firmware call: fetch the memory map, exit boot services with its
 * key, then (firmware gone) translate the map into boot_info's BOOT_MEM_*
 * ranges.  Memory the loader or boot services used becomes usable; the
 * kernel keeps its own image and copies boot_info before it allocates.
 */
#include "boot/efi/loader.h"

/* Room for descriptors the pool allocation itself may add to the map. */
#define MEMMAP_SLACK	16

static EFI_STATUS memmap_alloc(struct efi_memmap *map)
{
	UINTN key;
	UINT32 ver;
	EFI_STATUS st;

	map->cap = 0;
	st = BS->GetMemoryMap(&map->cap, NULL, &key, &map->desc_size, &ver);
	if (st != EFI_BUFFER_TOO_SMALL)
		return EFI_ERROR(st) ? st : EFI_LOAD_ERROR;
	map->cap += MEMMAP_SLACK * map->desc_size;
	return BS->AllocatePool(EfiLoaderData, map->cap, (void **)&map->desc);
}

EFI_STATUS efi_exit_boot_services(EFI_HANDLE image, struct efi_memmap *map)
{
	UINTN key;
	UINT32 ver;
	EFI_STATUS st;

	st = memmap_alloc(map);
	if (EFI_ERROR(st)) {
		Print(L"synack-efi: cannot get the memory map: %r\n", st);
		return st;
	}
	Print(L"synack-efi: exiting boot services\n");
	/* ExitBootServices fails with EFI_INVALID_PARAMETER when the map changed
	 * after GetMemoryMap (an event callback allocated); fetch it again. */
	for (int tries = 0; tries < 4; tries++) {
		map->size = map->cap;
		st = BS->GetMemoryMap(&map->size, map->desc, &key, &map->desc_size, &ver);
		if (EFI_ERROR(st))
			break;
		st = BS->ExitBootServices(image, key);
		if (st != EFI_INVALID_PARAMETER)
			break;
	}
	if (EFI_ERROR(st))
		Print(L"synack-efi: ExitBootServices failed: %r\n", st);
	return st;
}

static UINT32 efi_to_boot_type(UINT32 t)
{
	switch (t) {
	case EfiLoaderCode:
	case EfiLoaderData:
	case EfiBootServicesCode:
	case EfiBootServicesData:
	case EfiConventionalMemory:
		return BOOT_MEM_USABLE;
	case EfiACPIReclaimMemory:
		return BOOT_MEM_ACPI;
	case EfiACPIMemoryNVS:
		return BOOT_MEM_NVS;
	case EfiUnusableMemory:
		return BOOT_MEM_BAD;
	default:		/* runtime services, MMIO, reserved, persistent */
		return BOOT_MEM_RESERVED;
	}
}

static EFI_MEMORY_DESCRIPTOR *memmap_at(struct efi_memmap *map, UINTN i)
{
	return (EFI_MEMORY_DESCRIPTOR *)((UINT8 *)map->desc + i * map->desc_size);
}

/* Insertion sort by start address: UEFI does not promise an ordered map,
 * and merging needs neighbours next to each other.  Moves copy the
 * architected fields only; any vendor tail past them is never read. */
static void memmap_sort(struct efi_memmap *map)
{
	UINTN n = map->size / map->desc_size;

	for (UINTN i = 1; i < n; i++) {
		EFI_MEMORY_DESCRIPTOR d = *memmap_at(map, i);
		UINTN j = i;

		for (; j > 0 && memmap_at(map, j - 1)->PhysicalStart > d.PhysicalStart; j--)
			*memmap_at(map, j) = *memmap_at(map, j - 1);
		*memmap_at(map, j) = d;
	}
}

void efi_convert_memmap(struct efi_memmap *map, struct boot_info *bi)
{
	UINTN n = map->size / map->desc_size;

	memmap_sort(map);
	bi->nmem = 0;
	for (UINTN i = 0; i < n; i++) {
		const EFI_MEMORY_DESCRIPTOR *d = memmap_at(map, i);
		struct boot_mem_range *last = bi->nmem ? &bi->mem[bi->nmem - 1] : NULL;
		UINT32 type = efi_to_boot_type(d->Type);
		UINT64 len = d->NumberOfPages * EFI_PAGE_SIZE;

		if (last && last->type == type && last->base + last->len == d->PhysicalStart) {
			last->len += len;
			continue;
		}
		/* Past BOOT_MEMMAP_MAX the tail is dropped: memory the kernel
		 * never hears of stays unused, which is safe. */
		if (bi->nmem < BOOT_MEMMAP_MAX)
			bi->mem[bi->nmem++] = (struct boot_mem_range){
				.base = d->PhysicalStart, .len = len, .type = type,
			};
	}
}
