/*
 * printk: format, stamp with uptime, fan out to consoles.  Interrupts are
 * disabled around the write so lines from IRQ context never interleave
 * with a thread's line mid-way (one CPU).
 */
#include "kernel/printk.h"

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/kernel.h"
#include "kernel/lib/format.h"
#include "kernel/lib/string.h"
#include "kernel/time.h"

static struct console *consoles;
static int log_level = LOG_INFO;

void console_register(struct console *con)
{
	struct console **pp = &consoles;

	while (*pp)
		pp = &(*pp)->next;
	con->next = NULL;
	*pp = con;
}

void console_unregister(struct console *con)
{
	for (struct console **pp = &consoles; *pp; pp = &(*pp)->next) {
		if (*pp == con) {
			*pp = con->next;
			return;
		}
	}
}

void console_write(const char *s, size_t len)
{
	unsigned long flags = irq_save();

	for (struct console *c = consoles; c; c = c->next)
		c->write(s, len);
	irq_restore(flags);
}

void kputs(const char *s)
{
	console_write(s, strlen(s));
}

void printk_set_level(int level)
{
	log_level = level;
}

int printk_get_level(void)
{
	return log_level;
}

void printk(int level, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	uint64_t ns = now_ns();
	int n;

	if (level > log_level)
		return;
	n = ksnprintf(line, sizeof(line), "[%5lu.%06lu] ",
		      (unsigned long)(ns / 1000000000u),
		      (unsigned long)(ns / 1000u % 1000000u));
	va_start(ap, fmt);
	kvsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	n = (int)strlen(line);
	if (n && line[n - 1] != '\n' && n < (int)sizeof(line) - 1)
		line[n++] = '\n';
	console_write(line, (size_t)n);
}
