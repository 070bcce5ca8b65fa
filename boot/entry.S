/*
 * The three ways into the kernel, all ending in boot_entry(path, info):
 *
 *   pvh_start32   QEMU -kernel through the Xen PVH ELF note: 32-bit protected
 *                 mode, paging off, %ebx = struct hvm_start_info.
 *   mb2_start32   GRUB multiboot2: 32-bit protected mode, %eax = magic,
 *                 %ebx = multiboot2 information.
 *   efi_start64   the GNU-EFI loader (ELF e_entry): 64-bit, UEFI identity
 *                 paging, %rdi = a filled struct boot_info.
 *
 * Every entry first reads the TSC into boot_entry_tsc (boot.c hands it to
 * kernel/time.c, which measures the boot from it), then builds and loads
 * the same identity map of the first 4 GiB (2 MiB pages, in .bss, built by a
 * loop: stored in .data it would be 24 KiB of the image),
 * the 32-bit ones on their way into long mode, the EFI one in place of the
 * firmware's tables, whose pages the memory map reports as usable.  The
 * kernel replaces this map with its own (kernel/mm/paging.c) once it has a
 * page allocator.
 */
#include "boot/boot_info.h"

#define MB2_HEADER_MAGIC	0xe85250d6
#define MB2_BOOTLOADER_MAGIC	0x36d76289
#define XEN_ELFNOTE_PHYS32_ENTRY 18

#define BOOT_STACK_SIZE		16384
#define BOOT_PD_PAGES		4	/* 4 x 512 x 2 MiB = 4 GiB */

/*
 * PML4[0] -> PDPT, PDPT[0..3] -> PD0..PD3, PDn: 512 x 2 MiB pages, every
 * other entry zero (the 32-bit entries cannot count on a zeroed .bss).
 * Only 32-bit register forms, so it assembles for either entry mode; the
 * tables lie below 4 GiB.  Clobbers eax, ecx, edi; needs DF clear.
 */
.macro BUILD_BOOT_MAP
	movl	$boot_pml4, %edi
	movl	$((2 + BOOT_PD_PAGES) * 4096 / 4), %ecx
	xorl	%eax, %eax
	rep stosl
	movl	$(boot_pdpt + 0x3), boot_pml4	/* present, writable */
	movl	$(boot_pd + 0x3), %eax
	movl	$boot_pdpt, %edi
1:	movl	%eax, (%edi)
	addl	$4096, %eax
	addl	$8, %edi
	cmpl	$(boot_pdpt + BOOT_PD_PAGES * 8), %edi
	jne	1b
	movl	$0x83, %eax			/* present, writable, 2 MiB */
	movl	$boot_pd, %edi
2:	movl	%eax, (%edi)
	addl	$(1 << 21), %eax
	addl	$8, %edi
	cmpl	$(boot_pd + BOOT_PD_PAGES * 4096), %edi
	jne	2b
.endm

	.section .multiboot2, "a"
	.balign 8
mb2_header:
	.long MB2_HEADER_MAGIC
	.long 0				/* i386 protected mode */
	.long mb2_header_end - mb2_header
	.long -(MB2_HEADER_MAGIC + 0 + (mb2_header_end - mb2_header))
	/* information request: cmdline, mmap, framebuffer, ACPI old and new */
	.balign 8
	.short 1, 1			/* optional */
	.long 8 + 5 * 4
	.long 1, 6, 8, 14, 15
	.balign 8
	/* entry address: e_entry is the 64-bit EFI entry, GRUB needs ours */
	.short 3, 0
	.long 12
	.long mb2_start32
	.balign 8
	/* framebuffer: any mode GRUB likes, optional */
	.short 5, 1
	.long 20
	.long 0, 0, 32
	.balign 8
	.short 0, 0
	.long 8
mb2_header_end:

	.section .note.Xen, "a", @note
	.balign 4
	.long 4
	.long 8
	.long XEN_ELFNOTE_PHYS32_ENTRY
	.asciz "Xen"
	.balign 4
	.quad pvh_start32

	.section .boot32, "ax"
	.code32
	.global pvh_start32
pvh_start32:
	rdtsc
	movl	%eax, boot_entry_tsc
	movl	%edx, boot_entry_tsc + 4
	cli
	movl	$BOOT_PATH_PVH, %ebp
	jmp	start32_common

	.global mb2_start32
mb2_start32:
	movl	%eax, %ecx		/* the loader's magic, before rdtsc takes %eax */
	rdtsc
	movl	%eax, boot_entry_tsc
	movl	%edx, boot_entry_tsc + 4
	cli
	cmpl	$MB2_BOOTLOADER_MAGIC, %ecx
	jne	halt32
	movl	$BOOT_PATH_MULTIBOOT2, %ebp

	/* %ebp = path, %ebx = the loader's information (both loaders put it there) */
start32_common:
	movl	$boot_stack_top, %esp
	cld
	BUILD_BOOT_MAP
	movl	%ebp, %edi
	movl	%ebx, %esi

	movl	%cr4, %eax
	orl	$(1 << 5), %eax		/* PAE */
	movl	%eax, %cr4
	movl	$boot_pml4, %eax
	movl	%eax, %cr3
	movl	$0xc0000080, %ecx	/* EFER: LME, NXE */
	rdmsr
	orl	$((1 << 8) | (1 << 11)), %eax
	wrmsr
	movl	%cr0, %eax
	orl	$((1 << 31) | 1), %eax	/* PG, PE */
	movl	%eax, %cr0
	lgdt	boot_gdt_ptr
	ljmp	$0x08, $start64

halt32:
	hlt
	jmp	halt32

	.code64
start64:
	movl	%edi, %edi		/* upper halves are undefined after the switch */
	movl	%esi, %esi
	jmp	load_segments

	.text
	.global efi_start64
efi_start64:
	rdtsc
	movl	%eax, boot_entry_tsc
	movl	%edx, boot_entry_tsc + 4
	cli
	cld
	movq	%rdi, %rsi
	BUILD_BOOT_MAP
	movl	$BOOT_PATH_EFI, %edi
	movq	$boot_stack_top, %rsp
	movq	$boot_pml4, %rax
	movq	%rax, %cr3
	movl	$0xc0000080, %ecx	/* EFER: NXE as on the 32-bit paths */
	rdmsr
	orl	$(1 << 11), %eax
	wrmsr
	lgdt	boot_gdt_ptr
	pushq	$0x08
	pushq	$load_segments
	lretq

	/* Every path, in long mode on boot_gdt's code segment. */
load_segments:
	movl	$0x10, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	xorl	%eax, %eax
	movl	%eax, %fs
	movl	%eax, %gs
	movq	$boot_stack_top, %rsp
	xorl	%ebp, %ebp		/* terminates backtraces */
	call	boot_entry
3:	hlt
	jmp	3b

	.section .rodata
	.balign 16
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff	/* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff	/* 0x10: data */
boot_gdt_end:
	.global boot_gdt_ptr
boot_gdt_ptr:
	.short boot_gdt_end - boot_gdt - 1
	.quad boot_gdt

	/* Written by the first instruction of each entry; .data, not .bss,
	 * so no zeroing of .bss can ever clear it. */
	.section .data
	.balign 8
	.global boot_entry_tsc
boot_entry_tsc:
	.quad 0

	.section .bss
	.balign 4096
	.global boot_stack_bottom, boot_stack_top
boot_stack_bottom:
	.skip BOOT_STACK_SIZE
boot_stack_top:
boot_pml4:
	.skip 4096
boot_pdpt:
	.skip 4096
boot_pd:
	.skip BOOT_PD_PAGES * 4096
