/*
 * test=console (selftest.c): a flood of lines several times the console
 * ring, then a line printed before a 1.5 s busy wait, then
 * "console-test: done".
 */
#ifndef SYNACK_KERNEL_CONSOLE_SELFTEST_H
#define SYNACK_KERNEL_CONSOLE_SELFTEST_H

void console_selftest(void);

#endif
