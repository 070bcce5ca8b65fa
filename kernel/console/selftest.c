/*
 * test=console: the deferred console (printk.c) under the two loads that
 * bypass the idle loop.  First CONSOLE_TEST_LINES lines in a row, several
 * times the ring, from the boot flow (no idle until it ends): the writer
 * must wait for the device, and every line must come out whole and in
 * order.  Then a line, a busy wait of CONSOLE_TEST_SPIN_MS with interrupts
 * on, and a last line: the first must come out from the tick during the
 * spin, so the host sees the two well apart (tests/qemu/console.sh).
 */
#include "kernel/console/selftest.h"

#include "kernel/kernel.h"
#include "kernel/params.h"
#include "kernel/printk.h"
#include "kernel/time.h"

#define CONSOLE_TEST_LINES	1000
#define CONSOLE_TEST_SPIN_MS	1500

void console_selftest(void)
{
	uint64_t start;

	if (!param_is("test", "console"))
		return;
	for (unsigned int i = 1; i <= CONSOLE_TEST_LINES; i++)
		pr_info("console-test: line %u of %u, padded to be a longer line\n", i,
			CONSOLE_TEST_LINES);
	pr_info("console-test: spinning %u ms with interrupts on\n", CONSOLE_TEST_SPIN_MS);
	start = now_ns();
	while (now_ns() - start < CONSOLE_TEST_SPIN_MS * NSEC_PER_MSEC)
		cpu_relax();
	pr_info("console-test: done\n");
}
