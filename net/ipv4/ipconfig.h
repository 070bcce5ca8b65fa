/*
 * Static IPv4 configuration of one interface, as the kernel command line
 * gives it (ip=ADDR/PREFIX, gw=ADDR, route=DST/PREFIX@GW,...; the kernel
 * parses the strings with kernel/lib/cmdline.h and fills struct ipconfig).
 * Without an address the QEMU user-networking default applies:
 * 10.0.2.15/24 via 10.0.2.2.
 *
 * Context: boot, after inet_init and once the device is registered.
 */
#ifndef SYNACK_NET_IPV4_IPCONFIG_H
#define SYNACK_NET_IPV4_IPCONFIG_H

#include <stddef.h>
#include <stdint.h>

struct net_device;

#define IPCONFIG_MAX_ROUTES	8

#define IPCONFIG_DEFAULT_ADDR	0x0a00020fu	/* 10.0.2.15 */
#define IPCONFIG_DEFAULT_PLEN	24u
#define IPCONFIG_DEFAULT_GW	0x0a000202u	/* 10.0.2.2 */

struct ipconfig_route {
	uint32_t dst;
	uint8_t plen;
	uint32_t gw;
};

struct ipconfig {
	uint32_t addr;			/* 0: the QEMU default (and its gateway) */
	uint8_t plen;
	uint32_t gw;			/* 0: no default route */
	struct ipconfig_route routes[IPCONFIG_MAX_ROUTES];
	size_t nroutes;
};

/*
 * Adds the address, the default route and the static routes to dev (boot
 * protocol, so `ip route` shows where they came from).  Stops at the first
 * failure and returns its negative errno; *failed then says which step
 * (0 address, 1 gateway, 2 + i route i).  0 on success.
 */
int ipconfig_apply(struct net_device *dev, const struct ipconfig *cfg, int *failed);

#endif
