/*
 * Kernel symbol table for backtraces.  The image is linked twice: the
 * first link's text symbols (nm) become a sorted table in section .ksyms
 * of the second, like Linux's kallsyms.  Text addresses do not move
 * between the two links because .ksyms sits after .text.
 */
#ifndef SYNACK_KERNEL_KSYMS_H
#define SYNACK_KERNEL_KSYMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Name of the function containing addr and the offset into it; NULL if unknown. */
const char *ksyms_lookup(uintptr_t addr, uintptr_t *offset);
/* "name+0xoff" or "?" into buf. */
void ksyms_format(char *buf, size_t size, uintptr_t addr);
/* True if a backtrace may read the word at addr without faulting. */
bool ksyms_addr_is_mapped(uintptr_t addr);

#endif
