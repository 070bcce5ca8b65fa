/*
 * The one normalized description of the machine that every boot path
 * (PVH, multiboot2 from GRUB, the GNU-EFI loader) hands to kernel_main().
 * Fixed-size and self-contained: the EFI loader fills it before it exits
 * boot services, the 32-bit entries have it filled from their loader's
 * native tables.  All addresses are physical.
 */
#ifndef SYNACK_BOOT_BOOT_INFO_H
#define SYNACK_BOOT_BOOT_INFO_H

#define BOOT_INFO_MAGIC    0x53594e41434b4249ull   /* "SYNACKBI" */
#define BOOT_MEMMAP_MAX    128
#define BOOT_CMDLINE_MAX   1024

#define BOOT_PATH_PVH        1
#define BOOT_PATH_MULTIBOOT2 2
#define BOOT_PATH_EFI        3

#ifndef __ASSEMBLER__
#include <stdint.h>

enum boot_mem_type {
	BOOT_MEM_USABLE = 1,
	BOOT_MEM_RESERVED = 2,
	BOOT_MEM_ACPI = 3,	/* ACPI tables, reclaimable once parsed */
	BOOT_MEM_NVS = 4,
	BOOT_MEM_BAD = 5,
};

struct boot_mem_range {
	uint64_t base;
	uint64_t len;
	uint32_t type;		/* enum boot_mem_type */
	uint32_t pad;
};

struct boot_framebuffer {
	uint64_t addr;		/* 0: none */
	uint32_t pitch;		/* bytes per scan line */
	uint32_t width, height;
	uint8_t bpp;		/* 32 or 24 */
	uint8_t red_pos, green_pos, blue_pos;
	uint32_t pad;
};

struct boot_info {
	uint64_t magic;
	uint32_t path;		/* BOOT_PATH_* */
	uint32_t nmem;
	struct boot_mem_range mem[BOOT_MEMMAP_MAX];
	char cmdline[BOOT_CMDLINE_MAX];
	struct boot_framebuffer fb;
	uint64_t rsdp;		/* physical address of the ACPI RSDP, 0 if unknown */
	uint64_t efi_system_table;	/* EFI path only, informational */
	uint64_t entry_tsc;	/* TSC at the loader's first instruction; 0: take the kernel entry's */
};

#endif /* __ASSEMBLER__ */
#endif
