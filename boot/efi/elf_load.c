/*
 * Loads synack.elf: a statically linked x86-64 ELF64 executable whose
 * PT_LOAD segments go at their physical addresses (p_paddr; the kernel is
 * identity mapped at 1 MiB).  The whole span of the segments is claimed
 * from the firmware in one AllocateAddress call, so segments sharing a
 * page cannot collide, and the firmware will not hand those pages to
 * anyone else before ExitBootServices.
 */
#include "boot/efi/loader.h"

struct elf64_ehdr {
	UINT8 ident[16];
	UINT16 type, machine;
	UINT32 version;
	UINT64 entry, phoff, shoff;
	UINT32 flags;
	UINT16 ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
	UINT32 type, flags;
	UINT64 offset, vaddr, paddr, filesz, memsz, align;
};

_Static_assert(sizeof(struct elf64_ehdr) == 64, "ELF64 header layout");
_Static_assert(sizeof(struct elf64_phdr) == 56, "ELF64 program header layout");

#define ELF_CLASS64	2
#define ELF_DATA_LSB	1
#define ELF_ET_EXEC	2
#define ELF_EM_X86_64	62
#define ELF_PT_LOAD	1
#define PAGE_SIZE	4096ull

static EFI_STATUS elf_check_header(const struct elf64_ehdr *eh, UINTN len)
{
	if (len < sizeof(*eh) || eh->ident[0] != 0x7f || eh->ident[1] != 'E' ||
	    eh->ident[2] != 'L' || eh->ident[3] != 'F') {
		Print(L"synack-efi: synack.elf is not an ELF file\n");
		return EFI_LOAD_ERROR;
	}
	if (eh->ident[4] != ELF_CLASS64 || eh->ident[5] != ELF_DATA_LSB ||
	    eh->type != ELF_ET_EXEC || eh->machine != ELF_EM_X86_64) {
		Print(L"synack-efi: synack.elf is not an x86-64 ELF64 executable\n");
		return EFI_UNSUPPORTED;
	}
	if (eh->phentsize != sizeof(struct elf64_phdr) || eh->phnum == 0 ||
	    eh->phoff > len || (len - eh->phoff) / sizeof(struct elf64_phdr) < eh->phnum) {
		Print(L"synack-efi: synack.elf has a bad program header table\n");
		return EFI_LOAD_ERROR;
	}
	return EFI_SUCCESS;
}

/* Checks every PT_LOAD against the file and returns the page span they cover. */
static EFI_STATUS elf_load_span(const struct elf64_phdr *ph, UINT16 n, UINTN len,
				UINT64 *lo, UINT64 *hi)
{
	*lo = ~0ull;
	*hi = 0;
	for (UINT16 i = 0; i < n; i++) {
		if (ph[i].type != ELF_PT_LOAD)
			continue;
		if (ph[i].offset > len || len - ph[i].offset < ph[i].filesz ||
		    ph[i].filesz > ph[i].memsz || ph[i].paddr + ph[i].memsz < ph[i].paddr) {
			Print(L"synack-efi: synack.elf segment %d is malformed\n", i);
			return EFI_LOAD_ERROR;
		}
		if (ph[i].paddr < *lo)
			*lo = ph[i].paddr;
		if (ph[i].paddr + ph[i].memsz > *hi)
			*hi = ph[i].paddr + ph[i].memsz;
	}
	if (*hi <= *lo) {
		Print(L"synack-efi: synack.elf has nothing to load\n");
		return EFI_LOAD_ERROR;
	}
	*lo &= ~(PAGE_SIZE - 1);
	*hi = (*hi + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	return EFI_SUCCESS;
}

EFI_STATUS efi_load_elf(const void *buf, UINTN len, UINT64 *entry)
{
	const struct elf64_ehdr *eh = buf;
	const struct elf64_phdr *ph;
	EFI_PHYSICAL_ADDRESS lo;
	UINT64 hi;
	EFI_STATUS st;

	st = elf_check_header(eh, len);
	if (EFI_ERROR(st))
		return st;
	ph = (const void *)((const UINT8 *)buf + eh->phoff);
	st = elf_load_span(ph, eh->phnum, len, &lo, &hi);
	if (EFI_ERROR(st))
		return st;
	if (eh->entry < lo || eh->entry >= hi) {
		Print(L"synack-efi: synack.elf entry 0x%lx is outside its image\n", eh->entry);
		return EFI_LOAD_ERROR;
	}
	st = BS->AllocatePages(AllocateAddress, EfiLoaderData, (hi - lo) / PAGE_SIZE, &lo);
	if (EFI_ERROR(st)) {
		Print(L"synack-efi: cannot claim 0x%lx-0x%lx for the kernel: %r\n"
		      L"synack-efi: the firmware already uses part of that range\n", lo, hi, st);
		return st;
	}
	SetMem((void *)lo, hi - lo, 0);		/* covers every bss */
	for (UINT16 i = 0; i < eh->phnum; i++)
		if (ph[i].type == ELF_PT_LOAD)
			CopyMem((void *)ph[i].paddr, (const UINT8 *)buf + ph[i].offset,
				ph[i].filesz);
	Print(L"synack-efi: kernel at 0x%lx-0x%lx, entry 0x%lx\n", lo, hi, eh->entry);
	*entry = eh->entry;
	return EFI_SUCCESS;
}
