/*
 * `ip` for the console shell, after iproute2: addr (devices, flags, MTU,
 * MAC, IPv4 addresses, the DHCP lease and its DNS servers), link (the
 * same with per-device counters), route (show, add, del on the FIB) and
 * neigh (the ARP table with NUD states).
 *
 * Each command copies what it shows into a static snapshot with bottom
 * halves disabled, then prints from the copy, so softirqs are held off
 * only for the copy and a list cannot change under the printing.
 *
 * Context: the shell thread.
 */
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/shell/shell.h"
#include "kernel/softirq.h"
#include "net/core/neighbour.h"
#include "net/core/netdevice.h"
#include "net/ethernet/eth.h"
#include "net/ipv4/arp.h"
#include "net/ipv4/devinet.h"
#include "net/ipv4/dhcp.h"
#include "net/ipv4/fib.h"

#define SNAP_DEVS	8
#define SNAP_ADDRS	4
#define SNAP_ROUTES	64
#define SNAP_NEIGHS	64

struct dev_snap {
	char name[IFNAMSIZ];
	int ifindex;
	unsigned int flags, mtu;
	bool carrier;
	uint16_t type;
	uint8_t addr[MAX_ADDR_LEN], broadcast[MAX_ADDR_LEN];
	struct net_device_stats stats;
	unsigned int naddrs;
	struct { uint32_t local, broadcast; uint8_t plen; } addrs[SNAP_ADDRS];
	bool dhcp;			/* a DHCP lease is held: */
	enum dhcp_state dhcp_state;
	struct dhcp_lease lease;
	uint64_t now_ns;
};

struct route_snap {
	uint32_t dst, gw, prefsrc, metric;
	uint8_t plen, proto, flags;
	char dev[IFNAMSIZ];
};

struct neigh_snap {
	uint32_t key;
	uint8_t state;
	uint8_t ha[NEIGH_MAX_ADDR_LEN];
	char dev[IFNAMSIZ];
};

/* One snapshot at a time: the shell runs one command at a time. */
static union {
	struct { struct dev_snap d[SNAP_DEVS]; unsigned int n, more; } devs;
	struct { struct route_snap r[SNAP_ROUTES]; unsigned int n, more; } routes;
	struct { struct neigh_snap e[SNAP_NEIGHS]; unsigned int n, more; } neighs;
} snap;

static void dev_snap_one(struct dev_snap *d, struct net_device *dev)
{
	const struct in_device *idev = in_dev_get(dev);

	memset(d, 0, sizeof(*d));
	strlcpy(d->name, dev->name, sizeof(d->name));
	d->ifindex = dev->ifindex;
	d->flags = dev->flags;
	d->mtu = dev->mtu;
	d->carrier = netif_carrier_ok(dev);
	d->type = dev->type;
	memcpy(d->addr, dev->dev_addr, sizeof(d->addr));
	memcpy(d->broadcast, dev->broadcast, sizeof(d->broadcast));
	d->stats = *dev_get_stats(dev);
	for (const struct in_ifaddr *ifa = idev ? idev->ifa_list : NULL;
	     ifa && d->naddrs < SNAP_ADDRS; ifa = ifa->next) {
		d->addrs[d->naddrs].local = ifa->local;
		d->addrs[d->naddrs].broadcast = ifa->broadcast;
		d->addrs[d->naddrs].plen = ifa->prefixlen;
		d->naddrs++;
	}
	if (dhcp_get_lease(dev)) {
		d->dhcp = true;
		d->dhcp_state = dhcp_get_state(dev);
		d->lease = *dhcp_get_lease(dev);
		d->now_ns = net_now_ns();
	}
}

/* Copies the devices (only `name` if not NULL); -ENODEV if none matched. */
static int dev_snapshot(const char *name)
{
	snap.devs.n = snap.devs.more = 0;
	local_bh_disable();
	for (struct net_device *dev = dev_first(); dev; dev = dev->next) {
		if (name && strcmp(dev->name, name))
			continue;
		if (snap.devs.n < SNAP_DEVS)
			dev_snap_one(&snap.devs.d[snap.devs.n++], dev);
		else
			snap.devs.more++;
	}
	local_bh_enable();
	return snap.devs.n ? 0 : -ENODEV;
}

/* "2: eth0: <BROADCAST,...> mtu 1500 state UP" and the link/ether line. */
static void dev_print_head(const struct dev_snap *d)
{
	char flags[96], mac[MAC_ADDR_STR_LEN], brd[MAC_ADDR_STR_LEN];
	bool up = (d->flags & IFF_UP) && d->carrier;

	shell_format_ifflags(flags, sizeof(flags), d->flags, d->carrier);
	shell_printf("%d: %s: %s mtu %u state %s\n", d->ifindex, d->name, flags, d->mtu,
		     up ? "UP" : "DOWN");
	shell_printf("    link/%s %s brd %s\n", d->type == ARPHRD_LOOPBACK ? "loopback" : "ether",
		     eth_addr_format(mac, d->addr), eth_addr_format(brd, d->broadcast));
}

static void dev_print_more(void)
{
	if (snap.devs.more)
		shell_printf("(%u more devices not shown)\n", snap.devs.more);
}

/* "dhcp BOUND server A lease 120s valid_lft 97s t1 20s t2 40s" and the
 * DNS servers of the lease (option 6). */
static void dev_print_dhcp(const struct dev_snap *d)
{
	const struct dhcp_lease *l = &d->lease;
	char a[SHELL_IPV4_STR_LEN];
	unsigned long long left = 0;

	if (!d->dhcp)
		return;
	if (l->expire_ns > d->now_ns)
		left = (l->expire_ns - d->now_ns) / 1000000000ull;
	shell_printf("    dhcp %s server %s lease %us", dhcp_state_name(d->dhcp_state),
		     shell_format_ipv4(a, l->server), l->lease_s);
	if (l->expire_ns == UINT64_MAX)
		shell_printf(" valid_lft forever\n");
	else
		shell_printf(" valid_lft %llus t1 %us t2 %us\n", left, l->t1_s, l->t2_s);
	shell_printf("    dns");
	for (unsigned int i = 0; i < l->n_dns; i++)
		shell_printf(" %s", shell_format_ipv4(a, l->dns[i]));
	shell_printf("%s\n", l->n_dns ? "" : " none");
}

static int ip_addr_show(int argc, char **argv)
{
	char a[SHELL_IPV4_STR_LEN], b[SHELL_IPV4_STR_LEN];
	int err;

	if (argc > 1)
		return -EINVAL;
	err = dev_snapshot(argc ? argv[0] : NULL);
	if (err)
		return err;
	for (unsigned int i = 0; i < snap.devs.n; i++) {
		const struct dev_snap *d = &snap.devs.d[i];

		dev_print_head(d);
		for (unsigned int j = 0; j < d->naddrs; j++) {
			shell_printf("    inet %s/%u", shell_format_ipv4(a, d->addrs[j].local),
				     d->addrs[j].plen);
			if (d->addrs[j].broadcast)
				shell_printf(" brd %s", shell_format_ipv4(b, d->addrs[j].broadcast));
			shell_printf(" scope %s %s\n", d->flags & IFF_LOOPBACK ? "host" : "global",
				     d->name);
		}
		dev_print_dhcp(d);
	}
	dev_print_more();
	return 0;
}

static void dev_print_stats(const struct net_device_stats *s)
{
	shell_printf("    RX: %14s %10s %8s %8s %8s %8s\n",
		     "bytes", "packets", "errors", "dropped", "overrun", "mcast");
	shell_printf("        %14lu %10lu %8lu %8lu %8lu %8lu\n",
		     (unsigned long)s->rx_bytes, (unsigned long)s->rx_packets,
		     (unsigned long)s->rx_errors, (unsigned long)s->rx_dropped,
		     (unsigned long)s->rx_over_errors, (unsigned long)s->multicast);
	shell_printf("    RX errors: length %lu crc %lu frame %lu fifo %lu missed %lu nohandler %lu\n",
		     (unsigned long)s->rx_length_errors, (unsigned long)s->rx_crc_errors,
		     (unsigned long)s->rx_frame_errors, (unsigned long)s->rx_fifo_errors,
		     (unsigned long)s->rx_missed_errors, (unsigned long)s->rx_nohandler);
	shell_printf("    TX: %14s %10s %8s %8s %8s %8s\n",
		     "bytes", "packets", "errors", "dropped", "carrier", "collsns");
	shell_printf("        %14lu %10lu %8lu %8lu %8lu %8lu\n",
		     (unsigned long)s->tx_bytes, (unsigned long)s->tx_packets,
		     (unsigned long)s->tx_errors, (unsigned long)s->tx_dropped,
		     (unsigned long)s->tx_carrier_errors, (unsigned long)s->collisions);
	shell_printf("    TX errors: aborted %lu fifo %lu\n",
		     (unsigned long)s->tx_aborted_errors, (unsigned long)s->tx_fifo_errors);
	shell_printf("    offload: tx csum %lu gso %lu rx csum %lu hw-bad %lu\n",
		     (unsigned long)s->tx_csum_offload, (unsigned long)s->tx_gso_packets,
		     (unsigned long)s->rx_csum_offload, (unsigned long)s->rx_csum_hw_bad);
}

static int ip_link_show(int argc, char **argv)
{
	int err;

	if (argc > 1)
		return -EINVAL;
	err = dev_snapshot(argc ? argv[0] : NULL);
	if (err)
		return err;
	for (unsigned int i = 0; i < snap.devs.n; i++) {
		dev_print_head(&snap.devs.d[i]);
		dev_print_stats(&snap.devs.d[i].stats);
	}
	dev_print_more();
	return 0;
}

static int route_snap_one(const struct fib_route *r, void *arg)
{
	struct route_snap *s;

	(void)arg;
	if (snap.routes.n == SNAP_ROUTES) {
		snap.routes.more++;
		return 0;
	}
	s = &snap.routes.r[snap.routes.n++];
	s->dst = r->dst;
	s->plen = r->plen;
	s->gw = r->gw;
	s->prefsrc = r->prefsrc;
	s->metric = r->metric;
	s->proto = r->proto;
	s->flags = r->flags;
	strlcpy(s->dev, r->dev ? r->dev->name : "?", sizeof(s->dev));
	return 0;
}

static const char *route_proto_name(uint8_t proto)
{
	switch (proto) {
	case RTPROT_KERNEL:	return "kernel";
	case RTPROT_BOOT:	return "boot";
	case RTPROT_STATIC:	return "static";
	case RTPROT_DHCP:	return "dhcp";
	default:		return NULL;	/* unspecified: iproute2 prints none */
	}
}

/* "default via 10.0.2.2 dev eth0 proto boot" / "10.0.2.0/24 dev eth0 ... src". */
static void route_print(const struct route_snap *r)
{
	char dst[SHELL_IPV4_STR_LEN], gw[SHELL_IPV4_STR_LEN], src[SHELL_IPV4_STR_LEN];

	if (r->plen == 0)
		shell_puts("default");
	else
		shell_printf("%s/%u", shell_format_ipv4(dst, r->dst), r->plen);
	if (r->gw)
		shell_printf(" via %s", shell_format_ipv4(gw, r->gw));
	shell_printf(" dev %s", r->dev);
	if (route_proto_name(r->proto))
		shell_printf(" proto %s", route_proto_name(r->proto));
	if (!r->gw)
		shell_puts(" scope link");
	if (r->prefsrc)
		shell_printf(" src %s", shell_format_ipv4(src, r->prefsrc));
	if (r->metric)
		shell_printf(" metric %u", r->metric);
	shell_puts(r->flags & RTNH_F_DEAD ? " dead\n" : "\n");
}

static int ip_route_show(int argc, char **argv)
{
	(void)argv;
	if (argc)
		return -EINVAL;
	snap.routes.n = snap.routes.more = 0;
	local_bh_disable();
	fib_table_walk(route_snap_one, NULL);
	local_bh_enable();
	for (unsigned int i = 0; i < snap.routes.n; i++)
		route_print(&snap.routes.r[i]);
	if (snap.routes.more)
		shell_printf("(%u more routes not shown)\n", snap.routes.more);
	return 0;
}

/* ip route add|del: argv checked in full before the FIB is touched, so a
 * usage error changes nothing; the device is looked up by name with
 * bottom halves disabled, together with the change itself. */
static int ip_route_change(int argc, char **argv, bool add)
{
	struct shell_route_args ra;
	struct fib_config cfg;
	int err = 0;

	if (shell_parse_route(argc, argv, add, &ra))
		return -EINVAL;
	memset(&cfg, 0, sizeof(cfg));
	cfg.dst = ra.dst;
	cfg.plen = (uint8_t)ra.plen;
	cfg.gw = ra.gw;
	cfg.metric = ra.metric;
	cfg.proto = add ? RTPROT_STATIC : 0;	/* del, like ip(8): whoever added it */
	local_bh_disable();
	if (ra.dev[0] && !(cfg.dev = dev_get_by_name(ra.dev)))
		err = -ENODEV;
	else
		err = add ? fib_table_insert(&cfg) : fib_table_delete(&cfg);
	local_bh_enable();
	return err;
}

static int ip_route_add(int argc, char **argv)
{
	return ip_route_change(argc, argv, true);
}

static int ip_route_del(int argc, char **argv)
{
	return ip_route_change(argc, argv, false);
}

static int neigh_snap_one(const struct neighbour *n, void *arg)
{
	struct neigh_snap *s;

	(void)arg;
	if (snap.neighs.n == SNAP_NEIGHS) {
		snap.neighs.more++;
		return 0;
	}
	s = &snap.neighs.e[snap.neighs.n++];
	s->key = n->key;
	s->state = n->nud_state;
	memcpy(s->ha, n->ha, sizeof(s->ha));
	strlcpy(s->dev, n->dev ? n->dev->name : "?", sizeof(s->dev));
	return 0;
}

static int ip_neigh_show(int argc, char **argv)
{
	char a[SHELL_IPV4_STR_LEN], mac[MAC_ADDR_STR_LEN];

	(void)argv;
	if (argc)
		return -EINVAL;
	snap.neighs.n = snap.neighs.more = 0;
	local_bh_disable();
	neigh_for_each(&arp_tbl, neigh_snap_one, NULL);
	local_bh_enable();
	for (unsigned int i = 0; i < snap.neighs.n; i++) {
		const struct neigh_snap *e = &snap.neighs.e[i];

		shell_printf("%s dev %s", shell_format_ipv4(a, e->key), e->dev);
		if (e->state & NUD_VALID)
			shell_printf(" lladdr %s", eth_addr_format(mac, e->ha));
		shell_printf(" %s\n", neigh_state_name(e->state));
	}
	if (snap.neighs.more)
		shell_printf("(%u more entries not shown)\n", snap.neighs.more);
	return 0;
}

static const struct shell_cmd ip_addr_cmds[] = {
	{ .name = "show", .alias = "list", .args = "[DEV]",
	  .help = "devices: flags, MTU, MAC, IPv4 addresses", .run = ip_addr_show },
	{ .name = NULL },
};

static const struct shell_cmd ip_link_cmds[] = {
	{ .name = "show", .alias = "list", .args = "[DEV]",
	  .help = "devices with packet, byte, error and drop counters", .run = ip_link_show },
	{ .name = NULL },
};

static const struct shell_cmd ip_route_cmds[] = {
	{ .name = "show", .alias = "list", .args = "", .help = "the routing table",
	  .run = ip_route_show },
	{ .name = "add", .args = "PREFIX [via GW] [dev NAME] [metric N]",
	  .help = "add a route (PREFIX: A.B.C.D/N or default)", .run = ip_route_add },
	{ .name = "del", .alias = "delete", .args = "PREFIX [via GW] [dev NAME] [metric N]",
	  .help = "delete the first matching route", .run = ip_route_del },
	{ .name = NULL },
};

static const struct shell_cmd ip_neigh_cmds[] = {
	{ .name = "show", .alias = "list", .args = "", .help = "ARP entries and their states",
	  .run = ip_neigh_show },
	{ .name = NULL },
};

const struct shell_cmd shell_ip_cmds[] = {
	{ .name = "addr", .sub = ip_addr_cmds, .sub_default = true },
	{ .name = "link", .sub = ip_link_cmds, .sub_default = true },
	{ .name = "route", .sub = ip_route_cmds, .sub_default = true },
	{ .name = "neigh", .sub = ip_neigh_cmds, .sub_default = true },
	{ .name = NULL },
};
