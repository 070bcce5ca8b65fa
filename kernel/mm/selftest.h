/*
 * Memory-management self tests selected by `test=` on the command line,
 * run by kernel_main() once mm is up:
 *   test=slab   kmalloc/slab stress; prints the accounting before and after
 *               and "slab-stress: ok baseline=B after=A ..." when objects
 *               and bytes in use return to their baseline
 *   test=guard  writes just below a kstack_alloc() stack: the guard page
 *               must raise a page fault (the trap handler's dump follows)
 */
#ifndef SYNACK_KERNEL_MM_SELFTEST_H
#define SYNACK_KERNEL_MM_SELFTEST_H

void mm_selftest(void);

#endif
