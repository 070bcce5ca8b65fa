/*
 * Kernel log: printk(level, fmt, ...) stamps each line with the uptime and
 * writes it to every registered console (serial, framebuffer).  Lines above
 * the `loglevel=` threshold are dropped.  Safe from any context: output is
 * serialized with interrupts disabled.
 */
#ifndef SYNACK_KERNEL_PRINTK_H
#define SYNACK_KERNEL_PRINTK_H

#include <stddef.h>

enum log_level {
	LOG_EMERG = 0, LOG_ALERT, LOG_CRIT, LOG_ERR, LOG_WARN,
	LOG_NOTICE, LOG_INFO, LOG_DEBUG,
};

struct console {
	const char *name;
	void (*write)(const char *s, size_t len);
	struct console *next;
};

void console_register(struct console *con);
void console_unregister(struct console *con);
void printk(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Raw output to all consoles, no stamp, no level filter (panic, dumps). */
void console_write(const char *s, size_t len);
void kputs(const char *s);
void printk_set_level(int level);
int printk_get_level(void);

#define pr_emerg(...)	printk(LOG_EMERG, __VA_ARGS__)
#define pr_err(...)	printk(LOG_ERR, __VA_ARGS__)
#define pr_warn(...)	printk(LOG_WARN, __VA_ARGS__)
#define pr_notice(...)	printk(LOG_NOTICE, __VA_ARGS__)
#define pr_info(...)	printk(LOG_INFO, __VA_ARGS__)
#define pr_debug(...)	printk(LOG_DEBUG, __VA_ARGS__)

#endif
