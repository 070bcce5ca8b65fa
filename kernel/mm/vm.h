/*
 * The kernel address space on top of paging.h: the identity map with W^X
 * kernel sections, stacks with an unmapped guard page below them, and MMIO
 * mappings.
 *
 * After paging_init() only RAM (every range of the boot map except bad
 * memory), the first MiB minus page 0, and the boot framebuffer are
 * mapped.  Device registers (LAPIC, IOAPIC, HPET, ECAM, PCI BARs) must go
 * through ioremap(); mappings made before paging_init() are recorded and
 * carried into the new tables, so early users need not care about order.
 */
#ifndef SYNACK_KERNEL_MM_VM_H
#define SYNACK_KERNEL_MM_VM_H

#include <stddef.h>
#include <stdint.h>

struct boot_info;

/*
 * Builds the kernel's own page tables and loads CR3: RAM RW+NX with the
 * largest pages alignment allows, the kernel image in 4 KiB pages (text
 * RX, rodata R+NX, data/bss RW+NX), page 0 unmapped.  Sets EFER.NXE and
 * CR0.WP, then gives RAM above 4 GiB to the page allocator.  Needs
 * page_alloc_init().
 */
void paging_init(const struct boot_info *bi);

/* A stack of `size` bytes (multiple of 4 KiB) whose page below is unmapped:
 * an overflow faults instead of corrupting memory.  Returns the base
 * (lowest usable address; the stack top is base + size), NULL on no memory. */
void *kstack_alloc(size_t size);
void kstack_free(void *base, size_t size);

/* Maps device memory uncached (PCD|PWT, NX) at its identity address, at
 * any physical address; NULL on no memory.  Before paging_init() only
 * addresses below 4 GiB (the boot map) are allowed. */
void *ioremap(uint64_t phys, size_t len);

#endif
