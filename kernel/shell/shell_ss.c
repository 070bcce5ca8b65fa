/*
 * `ss [-tuwan]`: every TCP, UDP and raw socket, like Linux's `ss -tuwan`
 * (Netid, State, Recv-Q, Send-Q, local and peer address:port, a raw
 * socket's port being its IP protocol; the queues as net/ipv4/inet_diag.h
 * defines them).  -t, -u and -w limit the list to those kinds; -a and -n
 * are accepted and always in effect (all states, numeric addresses).  Up to SS_MAX sockets are copied with bottom halves
 * disabled, then printed; a last line counts the rest.
 *
 * Context: the shell thread.
 */
#include "kernel/errno.h"
#include "kernel/lib/format.h"
#include "kernel/shell/shell.h"
#include "kernel/softirq.h"
#include "net/ipv4/inet_diag.h"
#include "net/ipv4/ip.h"
#include "net/ipv4/raw.h"

#define SS_MAX	128
#define SS_ALL	7u	/* every ss_kind bit */

/* The copy one `ss` prints from. */
static struct {
	struct sock_info si[SS_MAX];
	unsigned int n;
	unsigned int more;	/* sockets past SS_MAX */
	uint32_t kinds;		/* ss_kind(si->protocol) bits to list */
} ss_snap;

/* One bit per kind: tcp, udp, raw (sock_info.protocol IPPROTO_RAW). */
static uint32_t ss_kind(uint8_t protocol)
{
	return protocol == IPPROTO_TCP ? 1u : protocol == IPPROTO_UDP ? 2u : 4u;
}

static int ss_copy_one(const struct sock_info *si, void *arg)
{
	(void)arg;
	if (!(ss_snap.kinds & ss_kind(si->protocol)))
		return 0;
	if (ss_snap.n < SS_MAX)
		ss_snap.si[ss_snap.n++] = *si;
	else
		ss_snap.more++;
	return 0;
}

/* "a.b.c.d:port" (port "*" when 0, as ss prints it) into buf. */
static void ss_addr(char *buf, size_t size, uint32_t addr, uint16_t port)
{
	char p[8] = "*";

	if (port)
		ksnprintf(p, sizeof(p), "%u", port);
	ksnprintf(buf, size, "%u.%u.%u.%u:%s", addr >> 24, (addr >> 16) & 0xff,
		  (addr >> 8) & 0xff, addr & 0xff, p);
}

/* Parses the optional flag word into ss_snap.kinds; 0 or -EINVAL. */
static int ss_flags(int argc, char **argv)
{
	ss_snap.kinds = SS_ALL;
	if (argc == 0)
		return 0;
	if (argc > 1 || argv[0][0] != '-' || !argv[0][1])
		return -EINVAL;
	ss_snap.kinds = 0;
	for (const char *c = argv[0] + 1; *c; c++) {
		if (*c == 't')
			ss_snap.kinds |= ss_kind(IPPROTO_TCP);
		else if (*c == 'u')
			ss_snap.kinds |= ss_kind(IPPROTO_UDP);
		else if (*c == 'w')
			ss_snap.kinds |= ss_kind(IPPROTO_RAW);
		else if (*c != 'a' && *c != 'n')
			return -EINVAL;
	}
	if (!ss_snap.kinds)
		ss_snap.kinds = SS_ALL;
	return 0;
}

int shell_ss(int argc, char **argv)
{
	char local[24], peer[24];

	if (ss_flags(argc, argv))
		return -EINVAL;
	ss_snap.n = 0;
	ss_snap.more = 0;
	local_bh_disable();
	sock_for_each(ss_copy_one, NULL);
	local_bh_enable();
	shell_printf("%-5s %-11s %6s %6s %-21s %s\n", "Netid", "State", "Recv-Q", "Send-Q",
		     "Local Address:Port", "Peer Address:Port");
	for (unsigned int i = 0; i < ss_snap.n; i++) {
		const struct sock_info *si = &ss_snap.si[i];

		ss_addr(local, sizeof(local), si->laddr, si->lport);
		ss_addr(peer, sizeof(peer), si->raddr, si->rport);
		shell_printf("%-5s %-11s %6u %6u %-21s %s\n", si->proto_name, si->state_name,
			     si->recv_q, si->send_q, local, peer);
	}
	if (ss_snap.more)
		shell_printf("(%u more sockets not shown)\n", ss_snap.more);
	return 0;
}
