/*
 * The console shell: a kernel thread that reads lines from the serial
 * console (interrupt driven where IRQ4 can be routed, else polled), edits
 * them as typed (shell_line.c), and runs them through the command table
 * below (shell_dispatch in shell_parse.c).  A bad command prints usage and
 * runs nothing.  Started by a late initcall; runs once the scheduler does.
 *
 * Context: the "shell" kernel thread; output via console_write.
 */
#include "kernel/shell/shell.h"

#include <stdarg.h>

#include "kernel/console/serial.h"
#include "kernel/errno.h"
#include "kernel/initcall.h"
#include "kernel/kernel.h"
#include "kernel/lib/format.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "kernel/sched/sched.h"
#include "kernel/shell/shell_line.h"

#define SHELL_POLL_NS	(10 * NSEC_PER_MSEC)	/* input poll period without IRQ4 */

static int shell_help(int argc, char **argv);

static const struct shell_cmd shell_cmds[] = {
	{ .name = "help", .args = "", .help = "this list", .run = shell_help },
	{ .name = "ip", .sub = shell_ip_cmds },
	{ .name = "netstat", .args = "-s [FAMILY...]",
	  .help = "protocol counters (every MIB family, or those named)", .run = shell_netstat },
	{ .name = "nf", .sub = shell_nf_cmds, .sub_default = true },
	{ .name = "ss", .args = "[-tuwan]",
	  .help = "TCP, UDP and raw sockets: state, queues, addresses", .run = shell_ss },
	{ .name = "stats", .args = "", .help = "memory, skbs, softirqs, irqs, uptime",
	  .run = shell_stats },
	{ .name = "pcap", .sub = shell_pcap_cmds },
	{ .name = "reboot", .args = "", .help = "reset the machine", .run = shell_reboot },
	{ .name = NULL },
};

void shell_write(const char *s, size_t len)
{
	if (len)
		console_write(s, len);
}

void shell_puts(const char *s)
{
	shell_write(s, strlen(s));
}

void shell_printf(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	shell_write(line, MIN((size_t)n, sizeof(line) - 1));
}

/* Usage lines of c and everything below it, each prefixed by path. */
static void shell_print_usage(const char *path, const struct shell_cmd *c, bool with_help)
{
	char full[64], line[128];

	ksnprintf(full, sizeof(full), "%s%s%s", path, *path ? " " : "", c->name);
	if (c->sub) {
		for (const struct shell_cmd *s = c->sub; s->name; s++)
			shell_print_usage(full, s, with_help);
		return;
	}
	if (!with_help) {
		shell_printf("usage: %s%s%s\n", full, *c->args ? " " : "", c->args);
		return;
	}
	ksnprintf(line, sizeof(line), "%s%s%s", full, *c->args ? " " : "", c->args);
	shell_printf("  %-50s  %s\n", line, c->help);
}

static int shell_help(int argc, char **argv)
{
	(void)argv;
	if (argc)
		return -EINVAL;
	shell_puts("commands:\n");
	for (const struct shell_cmd *c = shell_cmds; c->name; c++)
		shell_print_usage("", c, true);
	return 0;
}

/* Usage of the entry m ended at, under the names of the entries above it. */
static void shell_print_match_usage(const struct shell_match *m)
{
	char path[64] = "";
	size_t off = 0;

	for (int i = 0; i + 1 < m->depth; i++)
		off += ksnprintf(path + off, sizeof(path) - off, "%s%s", i ? " " : "",
				 m->path[i]->name);
	shell_print_usage(path, m->path[m->depth - 1], false);
}

static void shell_exec(char *line)
{
	char *argv[SHELL_MAX_ARGS];
	struct shell_match m;
	int argc = shell_tokenize(line, argv, SHELL_MAX_ARGS);
	int err;

	if (argc == 0)
		return;
	if (argc < 0) {
		shell_printf("error: more than %d words\n", SHELL_MAX_ARGS);
		return;
	}
	err = shell_dispatch(shell_cmds, argc, argv, &m);
	if (err == -ENOENT && m.depth == 0) {
		shell_printf("unknown command '%s'\n", argv[0]);
		shell_help(0, NULL);
	} else if (err == -EINVAL) {
		shell_print_match_usage(&m);
	} else if (err < 0) {
		shell_printf("%s: error: %s (%d)\n", argv[0], shell_strerror(err), err);
	}
}

static struct wait_queue shell_rx_wq = WAIT_QUEUE_INIT;
static bool shell_rx_irq;

/* IRQ4 handler hook: input arrived. */
static void shell_rx_notify(void)
{
	wake_up(&shell_rx_wq);
}

static unsigned char shell_getc(void)
{
	int c = -1;

	if (shell_rx_irq) {
		wait_event(shell_rx_wq, (c = serial_getc()) >= 0);
		return (unsigned char)c;
	}
	while ((c = serial_getc()) < 0)
		sleep_ns(SHELL_POLL_NS);
	return (unsigned char)c;
}

static void shell_thread(void *arg)
{
	static struct shell_line line;
	char echo[SHELL_ECHO_MAX];
	size_t echo_len;

	(void)arg;
	shell_line_reset(&line);
	shell_puts(SHELL_PROMPT);
	for (;;) {
		enum shell_line_event ev = shell_line_feed(&line, shell_getc(), echo, &echo_len);

		shell_write(echo, echo_len);
		if (ev == SHELL_LINE_MORE)
			continue;
		if (ev == SHELL_LINE_DONE)
			shell_exec(line.buf);
		shell_line_reset(&line);
		shell_puts(SHELL_PROMPT);
	}
}

static int shell_init(void)
{
	int err = serial_rx_irq_enable(shell_rx_notify);

	if (err == -ENODEV) {
		pr_info("shell: no serial console, shell off\n");
		return 0;
	}
	shell_rx_irq = err == 0;
	if (err)
		pr_warn("shell: serial IRQ unavailable (%d), polling input\n", err);
	if (!kthread_create("shell", shell_thread, NULL))
		return -ENOMEM;
	return 0;
}
late_initcall(shell_init);
