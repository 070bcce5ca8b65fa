/*
 * Kernel log: printk(level, fmt, ...) stamps each line with the uptime and
 * queues it for every registered console (serial, framebuffer), which show
 * it when the CPU is idle or after CONSOLE_LATE_NS at the latest (printk.c).
 * Lines above the `loglevel=` threshold are dropped.  Safe from any
 * context: output is serialized with interrupts disabled.
 */
#ifndef SYNACK_KERNEL_PRINTK_H
#define SYNACK_KERNEL_PRINTK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum log_level {
	LOG_EMERG = 0, LOG_ALERT, LOG_CRIT, LOG_ERR, LOG_WARN,
	LOG_NOTICE, LOG_INFO, LOG_DEBUG,
};

struct console {
	const char *name;
	/* Takes what the device accepts now of s and returns how much; with
	 * `wait`, waits for the device and takes all.  Interrupts are off. */
	size_t (*write)(const char *s, size_t len, bool wait);
	uint64_t tail;			/* ring position shown so far (printk.c) */
	struct console *next;
};

void console_register(struct console *con);
void console_unregister(struct console *con);
void printk(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Raw output to all consoles, no stamp, no level filter (panic, dumps). */
void console_write(const char *s, size_t len);
/* Everything queued to every console, waiting on the devices: before the
 * machine halts or leaves QEMU. */
void console_flush_all(void);
/* From the idle loop, interrupts on: one chunk per console without waiting
 * on a device.  True if that made progress and output still waits; false
 * also when a device is busy, so the idle loop halts until the next
 * interrupt instead of spinning on it. */
bool console_idle_flush(void);
/* From the tick: output that has waited CONSOLE_LATE_NS goes out now. */
void console_tick(void);
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
