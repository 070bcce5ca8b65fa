/*
 * Static interface configuration (see ipconfig.h).
 *
 * Context: boot.
 */
#include "net/ipv4/ipconfig.h"

#include "net/ipv4/devinet.h"
#include "net/ipv4/fib.h"

static int ipconfig_add_route(uint32_t dst, uint8_t plen, uint32_t gw)
{
	struct fib_config rc = { .dst = dst, .plen = plen, .gw = gw, .proto = RTPROT_BOOT };

	return fib_table_insert(&rc);
}

int ipconfig_apply(struct net_device *dev, const struct ipconfig *cfg, int *failed)
{
	uint32_t addr = cfg->addr ? cfg->addr : IPCONFIG_DEFAULT_ADDR;
	uint8_t plen = cfg->addr ? cfg->plen : IPCONFIG_DEFAULT_PLEN;
	uint32_t gw = cfg->addr ? cfg->gw : IPCONFIG_DEFAULT_GW;
	int err;

	*failed = 0;
	err = inet_addr_add(dev, addr, plen);
	if (err)
		return err;
	*failed = 1;
	if (gw && (err = ipconfig_add_route(0, 0, gw)) != 0)
		return err;
	for (size_t i = 0; i < cfg->nroutes && i < IPCONFIG_MAX_ROUTES; i++) {
		const struct ipconfig_route *r = &cfg->routes[i];

		*failed = 2 + (int)i;
		err = ipconfig_add_route(r->dst, r->plen, r->gw);
		if (err)
			return err;
	}
	return 0;
}
