/*
 * Kernel address-space services on top of the identity map: stacks with an
 * unmapped guard page below them, MMIO mappings, and per-section rights.
 */
#ifndef SYNACK_KERNEL_MM_VM_H
#define SYNACK_KERNEL_MM_VM_H

#include <stddef.h>
#include <stdint.h>

struct boot_info;

/* Builds the kernel's own page tables (W^X sections, NX data) and loads CR3. */
void paging_init(const struct boot_info *bi);
/* A stack of `size` bytes (multiple of 4 KiB) whose page below is unmapped;
 * returns the base (lowest usable address), NULL on no memory. */
void *kstack_alloc(size_t size);
void kstack_free(void *base, size_t size);
/* Maps device memory uncached (PCD|PWT, NX); returns its virtual address. */
void *ioremap(uint64_t phys, size_t len);

#endif
