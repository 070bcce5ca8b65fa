/*
 * Brings the network stack up at boot, in initcall order:
 *   subsys  net core (softnet, NET_RX/NET_TX), loopback, `nf=` rules,
 *           `pcap=1` capture to COM2
 *   fs      IPv4 (routing, ARP, ICMP, IP, addresses) — inet_init
 *   device  NIC drivers probe and register their net_devices
 *   late    the first Ethernet device is opened and configured from
 *           `ip=ADDR/PREFIX`, `gw=ADDR` and `route=DST/PREFIX@GW,...`;
 *           without ip=, the DHCP client (net/ipv4/dhcp.h) is started
 *           on it, route= is applied once it is bound and withdrawn
 *           when the lease's address goes (expiry, NAK).  Either way
 *           net_print_ready prints "synack: ready ip=..." when the
 *           address is configured.
 * net/ itself never includes kernel headers; this file is the seam.
 */
#include "drivers/net/loopback.h"
#include "kernel/console/serial.h"
#include "kernel/errno.h"
#include "kernel/initcall.h"
#include "kernel/lib/cmdline.h"
#include "kernel/lib/format.h"
#include "kernel/lib/string.h"
#include "kernel/kernel.h"
#include "kernel/params.h"
#include "kernel/printk.h"
#include "kernel/softirq.h"
#include "kernel/time.h"
#include "net/core/netdevice.h"
#include "net/core/netfilter.h"
#include "net/core/pcap.h"
#include "net/ethernet/eth.h"
#include "net/ipv4/af_inet.h"
#include "net/ipv4/devinet.h"
#include "net/ipv4/dhcp.h"
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

/* Adds dst/plen via gw (gw 0: default route when plen is 0). */
static int net_route_add(struct net_device *dev, uint32_t dst, unsigned plen, uint32_t gw)
{
	struct fib_config cfg = { .dst = dst, .plen = (uint8_t)plen, .gw = gw, .dev = dev,
				  .proto = RTPROT_BOOT };
	char a[16], g[16];
	int err = fib_table_insert(&cfg);

	if (err) {
		format_ip(a, sizeof(a), dst);
		format_ip(g, sizeof(g), gw);
		pr_warn("net: route %s/%u via %s: error %d\n", a, plen, g, err);
	}
	return err;
}

/* Deletes dst/plen via gw; it may already be gone with its network. */
static void net_route_del(struct net_device *dev, uint32_t dst, unsigned plen, uint32_t gw)
{
	struct fib_config cfg = { .dst = dst, .plen = (uint8_t)plen, .gw = gw, .dev = dev,
				  .proto = RTPROT_BOOT };

	fib_table_delete(&cfg);
}

/* route=DST/PREFIX@GW[,DST/PREFIX@GW...] added (or deleted); a malformed
 * item is skipped (reported when adding). */
static void net_config_routes(struct net_device *dev, bool add)
{
	const char *spec = param_get("route");
	char item[48];

	while (spec && *spec) {
		const char *end = strchr(spec, ',');
		size_t len = end ? (size_t)(end - spec) : strlen(spec);
		char *at;
		uint32_t dst, gw;
		unsigned plen;

		strlcpy(item, spec, MIN(len + 1, sizeof(item)));
		at = strchr(item, '@');
		if (len >= sizeof(item) || !at) {
			if (add)
				pr_warn("net: ignoring route \"%.*s\": expected DST/PREFIX@GW\n",
					(int)len, spec);
		} else if ((*at = '\0'), cmdline_parse_ipv4_prefix(item, &dst, &plen) ||
			   cmdline_parse_ipv4(at + 1, &gw)) {
			if (add)
				pr_warn("net: ignoring malformed route \"%.*s\"\n", (int)len, spec);
		} else if (add) {
			net_route_add(dev, dst, plen, gw);
		} else {
			net_route_del(dev, dst, plen, gw);
		}
		spec = end ? end + 1 : NULL;
	}
}

/* The stable line tools and tests wait for, the same for static and DHCP
 * configuration: unstamped, never filtered. */
static void net_print_ready(struct net_device *dev, uint32_t a, unsigned plen)
{
	char mac[MAC_ADDR_STR_LEN], addr[16], line[128];

	format_ip(addr, sizeof(addr), a);
	eth_addr_format(mac, dev->dev_addr);
	ksnprintf(line, sizeof(line), "synack: ready ip=%s/%u mac=%s nic=%s dev=%s boot_us=%lu\n",
		  addr, plen, mac, dev->driver ? dev->driver : "?", dev->name,
		  (unsigned long)time_since_boot_us());
	kputs(line);
}

/* DHCP bound a new address: static routes need its connected network. */
static void net_dhcp_bound(struct net_device *dev, const struct dhcp_lease *lease)
{
	net_config_routes(dev, true);
	net_print_ready(dev, lease->addr, lease->plen);
}

/* The lease's address goes: so do the routes through its network. */
static void net_dhcp_unbound(struct net_device *dev, const struct dhcp_lease *lease)
{
	(void)lease;
	net_config_routes(dev, false);
}

static int net_config_dhcp(struct net_device *dev)
{
	static const struct dhcp_params params = {
		.bound = net_dhcp_bound,
		.unbound = net_dhcp_unbound,
	};
	int err;

	if (param_get("gw"))
		pr_warn("net: gw= is ignored without ip=: the DHCP server names the router\n");
	pr_info("net: %s: no ip=, starting DHCP\n", dev->name);
	local_bh_disable();	/* the client's timer and receive run in softirq */
	err = dhcp_start(dev, &params);
	local_bh_enable();
	if (err)
		pr_err("net: %s: DHCP client: error %d\n", dev->name, err);
	return err;
}

/* ip=ADDR/PREFIX [gw=ADDR] [route=...]. */
static int net_config_static(struct net_device *dev, const char *ip)
{
	const char *g = param_get("gw");
	uint32_t a, gw = 0;
	unsigned plen;
	char addr[16];
	int err;

	/* params.c has already rejected malformed values; defensive. */
	if (cmdline_parse_ipv4_prefix(ip, &a, &plen) || (g && cmdline_parse_ipv4(g, &gw)))
		return -EINVAL;
	err = inet_addr_add(dev, a, plen);
	if (err) {
		format_ip(addr, sizeof(addr), a);
		pr_err("net: %s: cannot add %s/%u (%d)\n", dev->name, addr, plen, err);
		return err;
	}
	if (gw)
		net_route_add(dev, 0, 0, gw);
	net_config_routes(dev, true);
	net_print_ready(dev, a, plen);
	return 0;
}

static int net_config_boot(void)
{
	struct net_device *dev = first_ether_dev();
	const char *ip = param_get("ip");
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
	return ip ? net_config_static(dev, ip) : net_config_dhcp(dev);
}
late_initcall(net_config_boot);
