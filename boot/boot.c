/*
 * Normalizes what each loader hands over into one struct boot_info and
 * calls kernel_main().  Runs first thing in long mode on the boot stack,
 * with the loader's tables still intact under the 4 GiB identity map.
 */
#include "boot/boot_info.h"
#include "kernel/kernel.h"
#include "kernel/time.h"
#include "kernel/lib/string.h"

static struct boot_info boot_info;

/* Stored by the first instruction of every entry in entry.S. */
extern uint64_t boot_entry_tsc;

/* Xen PVH start_info, as QEMU fills it (version >= 1 has the memory map). */
struct hvm_start_info {
	uint32_t magic;
	uint32_t version;
	uint32_t flags;
	uint32_t nr_modules;
	uint64_t modlist_paddr;
	uint64_t cmdline_paddr;
	uint64_t rsdp_paddr;
	uint64_t memmap_paddr;
	uint32_t memmap_entries;
	uint32_t reserved;
};

struct hvm_memmap_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
	uint32_t reserved;
};

#define HVM_START_MAGIC 0x336ec578

static uint32_t e820_to_boot_type(uint32_t t)
{
	switch (t) {
	case 1: return BOOT_MEM_USABLE;
	case 3: return BOOT_MEM_ACPI;
	case 4: return BOOT_MEM_NVS;
	case 5: return BOOT_MEM_BAD;
	default: return BOOT_MEM_RESERVED;
	}
}

static void add_range(struct boot_info *bi, uint64_t base, uint64_t len, uint32_t type)
{
	if (bi->nmem < BOOT_MEMMAP_MAX && len)
		bi->mem[bi->nmem++] = (struct boot_mem_range){ base, len, type, 0 };
}

static void copy_cmdline(struct boot_info *bi, const char *s)
{
	if (s)
		strlcpy(bi->cmdline, s, sizeof(bi->cmdline));
}

static void parse_pvh(struct boot_info *bi, const struct hvm_start_info *si)
{
	if (si->magic != HVM_START_MAGIC)
		return;
	copy_cmdline(bi, (const char *)(uintptr_t)si->cmdline_paddr);
	bi->rsdp = si->rsdp_paddr;
	if (si->version >= 1) {
		const struct hvm_memmap_entry *e =
			(const void *)(uintptr_t)si->memmap_paddr;
		for (uint32_t i = 0; i < si->memmap_entries; i++)
			add_range(bi, e[i].addr, e[i].size, e820_to_boot_type(e[i].type));
	}
}

/* Multiboot2 information: a u32 total size, a u32 reserved, then 8-byte
 * aligned tags {u32 type, u32 size, payload}. */
struct mb2_tag {
	uint32_t type;
	uint32_t size;
};

enum {
	MB2_TAG_END = 0, MB2_TAG_CMDLINE = 1, MB2_TAG_MMAP = 6,
	MB2_TAG_FRAMEBUFFER = 8, MB2_TAG_ACPI_OLD = 14, MB2_TAG_ACPI_NEW = 15,
	MB2_TAG_EFI64 = 12,
};

static void parse_mb2_mmap(struct boot_info *bi, const struct mb2_tag *t)
{
	const uint8_t *p = (const uint8_t *)t;
	uint32_t entry_size = *(const uint32_t *)(p + 8);

	if (entry_size < 24)
		return;
	for (uint32_t off = 16; off + entry_size <= t->size; off += entry_size) {
		const uint8_t *e = p + off;
		add_range(bi, *(const uint64_t *)e, *(const uint64_t *)(e + 8),
			  e820_to_boot_type(*(const uint32_t *)(e + 16)));
	}
}

static void parse_mb2_fb(struct boot_info *bi, const struct mb2_tag *t)
{
	const uint8_t *p = (const uint8_t *)t;
	uint8_t fb_type = p[29];

	if (fb_type != 1)	/* only direct RGB; EGA text and indexed are ignored */
		return;
	bi->fb.addr = *(const uint64_t *)(p + 8);
	bi->fb.pitch = *(const uint32_t *)(p + 16);
	bi->fb.width = *(const uint32_t *)(p + 20);
	bi->fb.height = *(const uint32_t *)(p + 24);
	bi->fb.bpp = p[28];
	bi->fb.red_pos = p[32];
	bi->fb.green_pos = p[34];
	bi->fb.blue_pos = p[36];
}

static void parse_mb2(struct boot_info *bi, const uint8_t *mbi)
{
	uint32_t total = *(const uint32_t *)mbi;

	for (uint32_t off = 8; off + sizeof(struct mb2_tag) <= total;) {
		const struct mb2_tag *t = (const void *)(mbi + off);

		if (t->type == MB2_TAG_END || t->size < sizeof(*t))
			break;
		switch (t->type) {
		case MB2_TAG_CMDLINE:
			copy_cmdline(bi, (const char *)(t + 1));
			break;
		case MB2_TAG_MMAP:
			parse_mb2_mmap(bi, t);
			break;
		case MB2_TAG_FRAMEBUFFER:
			parse_mb2_fb(bi, t);
			break;
		case MB2_TAG_ACPI_OLD:
			if (!bi->rsdp)
				bi->rsdp = (uintptr_t)(t + 1);
			break;
		case MB2_TAG_ACPI_NEW:
			bi->rsdp = (uintptr_t)(t + 1);
			break;
		case MB2_TAG_EFI64:
			bi->efi_system_table = *(const uint64_t *)(t + 1);
			break;
		}
		off += (t->size + 7) & ~7u;
	}
}

/*
 * The RSDP from a multiboot2 tag lives inside the information structure,
 * which the kernel may reuse as free memory; copy it somewhere stable.
 */
static uint8_t rsdp_copy[36] __attribute__((aligned(16)));

/*
 * The EFI loader's struct, copied before anything can reuse its memory.
 * e_entry is where any ELF loader jumps, so trust only a struct that
 * carries our magic and lies in the boot identity map; otherwise boot on
 * with an empty description (path "unknown"), which mm reports loudly.
 */
static void copy_efi(struct boot_info *bi, uintptr_t info)
{
	const struct boot_info *src = (const void *)info;

	if (info && info <= (1ull << 32) - sizeof(*src) && src->magic == BOOT_INFO_MAGIC)
		memcpy(bi, src, sizeof(*bi));
	else
		bi->magic = BOOT_INFO_MAGIC;
	if (bi->nmem > BOOT_MEMMAP_MAX)
		bi->nmem = BOOT_MEMMAP_MAX;
	bi->cmdline[BOOT_CMDLINE_MAX - 1] = '\0';
}

void boot_entry(uint32_t path, uintptr_t info)
{
	struct boot_info *bi = &boot_info;

	if (path == BOOT_PATH_EFI) {
		copy_efi(bi, info);
	} else {
		bi->magic = BOOT_INFO_MAGIC;
		bi->path = path;
		if (path == BOOT_PATH_PVH)
			parse_pvh(bi, (const void *)info);
		else
			parse_mb2(bi, (const void *)info);
		if (path == BOOT_PATH_MULTIBOOT2 && bi->rsdp) {
			memcpy(rsdp_copy, (const void *)(uintptr_t)bi->rsdp, sizeof(rsdp_copy));
			bi->rsdp = (uintptr_t)rsdp_copy;
		}
	}
	if (!bi->entry_tsc)
		bi->entry_tsc = boot_entry_tsc;
	time_set_boot_tsc(bi->entry_tsc);
	kernel_main(bi);
}
