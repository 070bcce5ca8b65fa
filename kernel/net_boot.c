/*
 * Brings the network stack up at boot, in initcall order:
 *   subsys  net core (softnet, NET_RX/NET_TX), loopback, `nf=` rules,
 *           `pcap=1` capture to COM2
 *   fs      IPv4 (routing, ARP, ICMP, IP, addresses) — inet_init
 *   device  NIC drivers probe and register their net_devices
 *   late    the first Ethernet device is opened and configured from
 *           `ip=ADDR/PREFIX` and `gw=ADDR`; then "synack: ready ip=..."
 * net/ itself never includes kernel headers; this file is the seam.
 */
#include "drivers/net/loopback.h"
#include "kernel/console/serial.h"
#include "kernel/errno.h"
#include "kernel/initcall.h"
#include "kernel/lib/cmdline.h"
#include "kernel/lib/format.h"
#include "kernel/params.h"
#include "kernel/printk.h"
#include "net/core/netdevice.h"
#include "net/core/netfilter.h"
#include "net/core/pcap.h"
#include "net/ethernet/eth.h"
#include "net/ipv4/af_inet.h"
#include "net/ipv4/devinet.h"
#include "net/ipv4/fib.h"

#define COM2 0x2f8

static void pcap_to_com2(void *ctx, const void *buf, size_t len)
{
	(void)ctx;
	serial_port_write(COM2, buf, len);
}

static void net_boot_pcap(void)
{
	if (!param_is("pcap", "1"))
		return;
	if (!serial_probe(COM2)) {
		pr_warn("pcap: no UART at COM2, capture off\n");
		return;
	}
	if (pcap_start(pcap_to_com2, NULL, 0) == 0)
		pr_info("pcap: capturing to COM2\n");
}

static void net_boot_netfilter(void)
{
	const char *spec = param_get("nf");
	char err[128];

	if (spec && nf_parse_rules(spec, err, sizeof(err)) < 0)
		pr_warn("nf: ignoring nf=%s: %s\n", spec, err);
}

static int net_core_boot(void)
{
	int err;

	net_dev_init();
	err = loopback_init();
	if (err)
		return err;
	net_boot_netfilter();
	net_boot_pcap();
	return 0;
}
subsys_initcall(net_core_boot);

static int net_inet_boot(void)
{
	return inet_init();
}
fs_initcall(net_inet_boot);

static struct net_device *first_ether_dev(void)
{
	for (struct net_device *dev = dev_first(); dev; dev = dev->next)
		if (!(dev->flags & IFF_LOOPBACK))
			return dev;
	return NULL;
}

static void format_ip(char *buf, size_t len, uint32_t a)
{
	ksnprintf(buf, len, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
}

static int net_config_gateway(struct net_device *dev)
{
	const char *gw = param_get("gw");
	struct fib_config cfg = { .dev = dev };
	int err;

	if (!gw)
		return 0;
	if (cmdline_parse_ipv4(gw, &cfg.gw)) {
		pr_warn("net: ignoring malformed gw=%s\n", gw);
		return -EINVAL;
	}
	err = fib_table_insert(&cfg);
	if (err)
		pr_warn("net: default route via %s: error %d\n", gw, err);
	return err;
}

static int net_config_boot(void)
{
	struct net_device *dev = first_ether_dev();
	const char *ip = param_get("ip");
	char mac[MAC_ADDR_STR_LEN], addr[16], line[96];
	uint32_t a;
	unsigned plen;
	int err;

	if (!dev) {
		pr_warn("net: no network device found\n");
		return -ENODEV;
	}
	err = dev_open(dev);
	if (err) {
		pr_err("net: %s: open failed (%d)\n", dev->name, err);
		return err;
	}
	if (!ip) {
		pr_warn("net: %s up without an address (no ip=)\n", dev->name);
		return 0;
	}
	if (cmdline_parse_ipv4_prefix(ip, &a, &plen)) {
		pr_warn("net: ignoring malformed ip=%s\n", ip);
		return -EINVAL;
	}
	err = inet_addr_add(dev, a, plen);
	if (err) {
		pr_err("net: %s: cannot add %s (%d)\n", dev->name, ip, err);
		return err;
	}
	net_config_gateway(dev);
	format_ip(addr, sizeof(addr), a);
	eth_addr_format(mac, dev->dev_addr);
	/* The stable line tools and tests wait for: unstamped, never filtered. */
	ksnprintf(line, sizeof(line), "synack: ready ip=%s/%u dev=%s mac=%s\n",
		  addr, plen, dev->name, mac);
	kputs(line);
	return 0;
}
late_initcall(net_config_boot);
