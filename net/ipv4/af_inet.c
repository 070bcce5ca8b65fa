/*
 * IPv4 bring-up: inet_init registers the pieces in dependency order, as
 * Linux's inet_init does (the socket layer adds its inetsw here later).
 *
 *   ip_rt_init     FIB listeners: connected routes, dead routes on DOWN
 *   arp_init       neighbour table, ETH_P_ARP, gratuitous ARP listeners
 *   icmp_init      inet_protos[IPPROTO_ICMP]
 *   ip_init        IP IDs, ETH_P_IP
 *   devinet_init   address bookkeeping; replays devices already up, so
 *                  the loopback device gets 127.0.0.1/8 here at the latest
 *   tcp_init       inet_protos[IPPROTO_TCP], Tcp and TcpExt counters
 *   snmp_register  Ip and Icmp counters into the stats registry
 *   udp_init       inet_protos[IPPROTO_UDP], the Udp counters
 *   raw_init       the raw sockets' delivery tap, the Raw counters
 *   inetsw_init    the socket side: inetsw entries and sock_register
 *
 * Context: boot (an initcall, after net_dev_init), or a host test.
 */
#include "net/ipv4/af_inet.h"

#include "net/ipv4/arp.h"
#include "net/ipv4/devinet.h"
#include "net/ipv4/icmp.h"
#include "net/ipv4/inetsw.h"
#include "net/ipv4/ip.h"
#include "net/ipv4/ip_fragment.h"
#include "net/ipv4/raw.h"
#include "net/ipv4/route.h"
#include "net/ipv4/snmp.h"
#include "net/ipv4/tcp.h"
#include "net/ipv4/udp.h"

int inet_init(void)
{
	int err;

	err = ip_rt_init();
	if (err)
		return err;
	err = arp_init();
	if (err)
		goto err_rt;
	err = icmp_init();
	if (err)
		goto err_arp;
	err = ip_init();
	if (err)
		goto err_icmp;
	err = devinet_init();
	if (err)
		goto err_ip;
	err = tcp_init();
	if (err)
		goto err_devinet;
	snmp_register();
	err = udp_init();
	if (err)
		goto err_snmp;
	err = raw_init();
	if (err)
		goto err_udp;
	err = inetsw_init();
	if (err)
		goto err_raw;
	return 0;

err_raw:
	raw_exit();
err_udp:
	udp_exit();
err_snmp:
	snmp_unregister();
	tcp_exit();
err_devinet:
	devinet_exit();
err_ip:
	ip_exit();
err_icmp:
	icmp_exit();
err_arp:
	arp_exit();
err_rt:
	ip_rt_exit();
	return err;
}

void inet_exit(void)
{
	inetsw_exit();
	raw_exit();
	udp_exit();
	snmp_unregister();
	tcp_exit();
	devinet_exit();
	ip_exit();
	icmp_exit();
	ip_frag_flush();
	arp_exit();
	ip_rt_exit();
	snmp_reset();
}
