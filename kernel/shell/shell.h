/*
 * The console shell's internal interface: output helpers every command
 * file uses, and the command groups each file contributes to the table in
 * shell.c (shell_ip.c: ip; shell_net.c: netstat, nf, pcap; shell_ss.c:
 * ss; shell_stats.c: stats; shell_reboot.c: reboot).
 *
 * Output goes straight to the consoles (console_write), never through
 * printk, so loglevel= does not hide it.  Commands run in the shell
 * thread.  They read stack state in short sections with bottom halves
 * disabled, copying what they need, and print after local_bh_enable():
 * writing to a 115200-baud UART is far too slow to hold softirqs off for.
 */
#ifndef SYNACK_KERNEL_SHELL_SHELL_H
#define SYNACK_KERNEL_SHELL_SHELL_H

#include <stddef.h>

#include "kernel/shell/shell_parse.h"

#define SHELL_PROMPT	"synack> "

void shell_write(const char *s, size_t len);
void shell_puts(const char *s);
/* Formats into a line buffer (lines longer than 256 bytes are cut). */
void shell_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Sub-tables and entry points of the command files. */
extern const struct shell_cmd shell_ip_cmds[];
extern const struct shell_cmd shell_nf_cmds[];
extern const struct shell_cmd shell_pcap_cmds[];
int shell_netstat(int argc, char **argv);
int shell_ss(int argc, char **argv);
int shell_stats(int argc, char **argv);
int shell_reboot(int argc, char **argv);

#endif
