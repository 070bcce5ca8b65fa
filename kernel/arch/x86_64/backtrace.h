/* Frame-pointer backtraces with symbol names from the embedded ksyms table. */
#ifndef SYNACK_KERNEL_ARCH_X86_64_BACKTRACE_H
#define SYNACK_KERNEL_ARCH_X86_64_BACKTRACE_H

#include <stdint.h>

/* Walks saved %rbp links starting at `rbp`, printing "  [<addr>] sym+off". */
void backtrace_print(uintptr_t rbp);

#endif
