/*
 * The bodies of GET /metrics (Prometheus text format 0.0.4) and GET
 * /stats (JSON): uptime, every MIB family of the registry printed
 * generically (a layer that registers a family appears without this file
 * knowing it), per-device counters, and what the kernel side collects
 * (memory, slab caches, skbs, softirqs; http_stats.h), and every socket
 * the stack holds as `ss -tuan` lists them (net/ipv4/inet_diag.h:
 * listeners, request socks, established, TIME_WAIT, UDP; with states and
 * queues).  /stats adds the interface addresses with the DHCP lease (its
 * DNS servers), and the route and neighbour tables.
 *
 * Stack state is read with bottom halves disabled while it is formatted
 * (into memory only, so the sections stay short).  A body is built into
 * a buffer that grows once if the first guess was small.
 *
 * Context: the application thread.
 */
#include <stdarg.h>

#include "apps/http_priv.h"
#include "apps/http_stats.h"
#include "kernel/lib/format.h"
#include "kernel/lib/string.h"
#include "net/core/byteorder.h"
#include "net/core/neighbour.h"
#include "net/core/netdevice.h"
#include "net/core/stats.h"
#include "net/ethernet/eth.h"
#include "net/ipv4/arp.h"
#include "net/ipv4/devinet.h"
#include "net/ipv4/dhcp.h"
#include "net/ipv4/fib.h"
#include "net/ipv4/inet_diag.h"
#include "net/platform.h"

#define BODY_GUESS	(64 * 1024)
#define BODY_MAX	(2 * 1024 * 1024)
#define NSEC_PER_SEC	1000000000ull
#define SOCKETS_MAX	512		/* /stats lists at most this many */

struct sbuf {
	char *p;
	size_t len, cap;
};

static void sb_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Past cap, only len grows: the caller retries with a larger buffer. */
static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(b->len < b->cap ? b->p + b->len : NULL,
		       b->len < b->cap ? b->cap - b->len : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		b->len += (size_t)n;
}

static const char *ip_str(char *buf, uint32_t addr_net)
{
	const uint8_t *a = (const uint8_t *)&addr_net;

	ksnprintf(buf, 16, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
	return buf;
}

static struct http_sys_stats *sys_collect(const struct http_server *s)
{
	struct http_sys_stats *st;

	if (!s->cfg.sys_stats)
		return NULL;
	st = net_alloc(sizeof(*st));
	if (st)
		s->cfg.sys_stats(st);
	return st;
}

/* Sockets */

/* The kinds of socket counted in /metrics, by sock_info.proto_name. */
static const char *const sock_kinds[] = { "tcp", "udp", "raw" };
#define SOCK_KINDS	(sizeof(sock_kinds) / sizeof(sock_kinds[0]))

/* sock_for_each's walk into a body: at most SOCKETS_MAX listed, the rest
 * counted; for /metrics also the count per protocol and state. */
struct sock_ctx {
	struct sbuf *b;
	unsigned int n, more;
	bool prom;
	unsigned int count[SOCK_KINDS][TCP_MAX_STATES];
};

static int sock_one(const struct sock_info *si, void *arg)
{
	struct sock_ctx *x = arg;
	char la[16], ra[16];

	for (size_t k = 0; k < SOCK_KINDS; k++)
		if (!strcmp(si->proto_name, sock_kinds[k]) && si->state < TCP_MAX_STATES)
			x->count[k][si->state]++;
	if (x->n == SOCKETS_MAX) {
		x->more++;
		return 0;
	}
	ip_str(la, htonl(si->laddr));
	ip_str(ra, htonl(si->raddr));
	if (x->prom)
		sb_printf(x->b, "synack_socket_queue_bytes{proto=\"%s\",state=\"%s\",local=\"%s:%u\","
			  "peer=\"%s:%u\",queue=\"recv\"} %u\n"
			  "synack_socket_queue_bytes{proto=\"%s\",state=\"%s\",local=\"%s:%u\","
			  "peer=\"%s:%u\",queue=\"send\"} %u\n",
			  si->proto_name, si->state_name, la, si->lport, ra, si->rport, si->recv_q,
			  si->proto_name, si->state_name, la, si->lport, ra, si->rport, si->send_q);
	else
		sb_printf(x->b, "%s{\"proto\":\"%s\",\"state\":\"%s\",\"local\":\"%s:%u\","
			  "\"remote\":\"%s:%u\",\"recv_q\":%u,\"send_q\":%u}", x->n ? "," : "",
			  si->proto_name, si->state_name, la, si->lport, ra, si->rport,
			  si->recv_q, si->send_q);
	x->n++;
	return 0;
}

/* Prometheus */

static void prom_help(struct sbuf *b, const char *name, const char *type, const char *help)
{
	sb_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void prom_mibs(struct sbuf *b)
{
	prom_help(b, "synack_snmp", "untyped",
		  "SNMP-style MIB counters of every layer by family and counter "
		  "(counters, and a few gauges such as Tcp CurrEstab).");
	net_bh_disable();
	for (const struct mib *m = mib_first(); m; m = m->next)
		for (size_t i = 0; i < m->count; i++)
			sb_printf(b, "synack_snmp{family=\"%s\",counter=\"%s\"} %llu\n",
				  m->family, m->names[i], (unsigned long long)mib_value(m, i));
	net_bh_enable();
}

static void prom_devices(struct sbuf *b)
{
	prom_help(b, "synack_netdev", "counter", "Per-device counters (rtnl_link_stats64 names).");
	net_bh_disable();
	for (struct net_device *dev = dev_first(); dev; dev = dev->next) {
		const struct net_device_stats *st = dev_get_stats(dev);
		struct mib m = MIB_INIT(dev->name, netdev_stats_names, st);

		for (size_t i = 0; i < m.count; i++)
			sb_printf(b, "synack_netdev{device=\"%s\",counter=\"%s\"} %llu\n",
				  dev->name, m.names[i], (unsigned long long)mib_value(&m, i));
	}
	prom_help(b, "synack_netdev_up", "gauge", "1 if the device is administratively up.");
	for (struct net_device *dev = dev_first(); dev; dev = dev->next)
		sb_printf(b, "synack_netdev_up{device=\"%s\"} %d\n", dev->name,
			  netif_running(dev) ? 1 : 0);
	net_bh_enable();
}

static void prom_sys(struct sbuf *b, const struct http_sys_stats *st)
{
	static const char *const slab_fields[] = { "objects", "bytes", "slabs" };

	prom_help(b, "synack_memory_pages", "gauge",
		  "4 KiB pages: the kernel image, and the page allocator's total, used and free.");
	sb_printf(b, "synack_memory_pages{state=\"image\"} %llu\n"
		  "synack_memory_pages{state=\"total\"} %llu\nsynack_memory_pages{state=\"used\"} %llu\n"
		  "synack_memory_pages{state=\"free\"} %llu\n", (unsigned long long)st->pages_image,
		  (unsigned long long)st->pages_total,
		  (unsigned long long)(st->pages_total - st->pages_free),
		  (unsigned long long)st->pages_free);
	prom_help(b, "synack_memory_slab_bytes", "gauge",
		  "Bytes in use in every slab cache and kmalloc-large.");
	sb_printf(b, "synack_memory_slab_bytes %llu\n", (unsigned long long)st->slab_bytes);
	prom_help(b, "synack_skbs", "gauge", "sk_buffs alive.");
	sb_printf(b, "synack_skbs %llu\n", (unsigned long long)st->skbs_alive);
	prom_help(b, "synack_skb_data_bytes", "gauge", "Bytes in the data buffers of live sk_buffs.");
	sb_printf(b, "synack_skb_data_bytes %llu\n", (unsigned long long)st->skb_data_bytes);
	for (size_t f = 0; f < 3; f++) {
		char name[40];

		ksnprintf(name, sizeof(name), "synack_slab_%s", slab_fields[f]);
		prom_help(b, name, "gauge", "Slab cache usage.");
		for (unsigned int i = 0; i < st->ncaches; i++) {
			const struct http_sys_cache *c = &st->caches[i];
			uint64_t v = f == 0 ? c->objs : f == 1 ? c->bytes : c->slabs;

			sb_printf(b, "%s{cache=\"%s\"} %llu\n", name, c->name, (unsigned long long)v);
		}
	}
	prom_help(b, "synack_slab_allocs_total", "counter", "Slab allocations per cache.");
	for (unsigned int i = 0; i < st->ncaches; i++)
		sb_printf(b, "synack_slab_allocs_total{cache=\"%s\"} %llu\n", st->caches[i].name,
			  (unsigned long long)st->caches[i].allocs);
	prom_help(b, "synack_softirq_runs_total", "counter", "Softirq handler runs.");
	for (unsigned int i = 0; i < st->nsoftirqs; i++)
		sb_printf(b, "synack_softirq_runs_total{softirq=\"%s\"} %llu\n",
			  st->softirqs[i].name, (unsigned long long)st->softirqs[i].runs);
	prom_help(b, "synack_softirq_time_nanoseconds_total", "counter",
		  "Time spent in softirq handlers.");
	for (unsigned int i = 0; i < st->nsoftirqs; i++)
		sb_printf(b, "synack_softirq_time_nanoseconds_total{softirq=\"%s\"} %llu\n",
			  st->softirqs[i].name, (unsigned long long)st->softirqs[i].time_ns);
	prom_help(b, "synack_softirq_deferred_total", "counter",
		  "Times the softirq budget ran out and ksoftirqd took over.");
	sb_printf(b, "synack_softirq_deferred_total %llu\n",
		  (unsigned long long)st->softirq_deferred);
}

static void prom_sockets(struct sbuf *b)
{
	struct sock_ctx x = { .b = b, .prom = true };
	prom_help(b, "synack_socket_queue_bytes", "gauge",
		  "Each socket's queues as ss shows them (listeners: accept queue and backlog).");
	net_bh_disable();
	sock_for_each(sock_one, &x);
	net_bh_enable();
	prom_help(b, "synack_sockets", "gauge", "Sockets by protocol and state, all of them.");
	for (size_t k = 0; k < SOCK_KINDS; k++)
		for (int st = 1; st < TCP_MAX_STATES; st++)
			if (x.count[k][st])
				sb_printf(b, "synack_sockets{proto=\"%s\",state=\"%s\"} %u\n",
					  sock_kinds[k], k && st != TCP_ESTABLISHED ?
					  "UNCONN" : sock_state_name(st), x.count[k][st]);
	prom_help(b, "synack_sockets_not_listed", "gauge",
		  "Sockets past the per-socket listing's limit.");
	sb_printf(b, "synack_sockets_not_listed %u\n", x.more);
}

static void prom_build(const struct http_server *s, const struct http_sys_stats *st,
		       struct sbuf *b)
{
	uint64_t up = net_now_ns();

	prom_help(b, "synack_uptime_seconds", "gauge", "Time since boot.");
	sb_printf(b, "synack_uptime_seconds %llu.%03llu\n", (unsigned long long)(up / NSEC_PER_SEC),
		  (unsigned long long)(up % NSEC_PER_SEC / 1000000));
	prom_help(b, "synack_http_connections", "gauge", "Open HTTP connections being served.");
	sb_printf(b, "synack_http_connections %u\n", s->nconns);
	prom_mibs(b);
	prom_devices(b);
	prom_sockets(b);
	if (st)
		prom_sys(b, st);
}

/* JSON */

static void json_mibs(struct sbuf *b)
{
	const char *sep = "";

	sb_printf(b, "\"snmp\":{");
	net_bh_disable();
	for (const struct mib *m = mib_first(); m; m = m->next, sep = ",") {
		sb_printf(b, "%s\"%s\":{", sep, m->family);
		for (size_t i = 0; i < m->count; i++)
			sb_printf(b, "%s\"%s\":%llu", i ? "," : "", m->names[i],
				  (unsigned long long)mib_value(m, i));
		sb_printf(b, "}");
	}
	net_bh_enable();
	sb_printf(b, "}");
}

struct ifa_ctx {
	struct sbuf *b;
	const struct net_device *dev;
	const char *sep;
};

static int json_ifa_one(const struct in_ifaddr *ifa, void *arg)
{
	struct ifa_ctx *x = arg;
	char a[16];

	if (ifa->idev->dev != x->dev)
		return 0;
	sb_printf(x->b, "%s\"%s/%u\"", x->sep, ip_str(a, htonl(ifa->local)), ifa->prefixlen);
	x->sep = ",";
	return 0;
}

/* The lease DHCP holds on dev, if any: where it came from, its times and
 * the DNS servers it named (option 6). */
static void json_dhcp(struct sbuf *b, const struct net_device *dev)
{
	const struct dhcp_lease *l = dhcp_get_lease(dev);
	uint64_t now = net_now_ns();
	char a[16];

	if (!l)
		return;
	sb_printf(b, ",\"dhcp\":{\"state\":\"%s\",\"server\":\"%s\"",
		  dhcp_state_name(dhcp_get_state(dev)), ip_str(a, htonl(l->server)));
	sb_printf(b, ",\"router\":\"%s\",\"lease_s\":%u,\"t1_s\":%u,\"t2_s\":%u",
		  ip_str(a, htonl(l->router)), l->lease_s, l->t1_s, l->t2_s);
	if (l->expire_ns != UINT64_MAX)
		sb_printf(b, ",\"expires_in_s\":%llu",
			  (unsigned long long)(l->expire_ns > now ? (l->expire_ns - now) / NSEC_PER_SEC : 0));
	sb_printf(b, ",\"dns\":[");
	for (unsigned int i = 0; i < l->n_dns; i++)
		sb_printf(b, "%s\"%s\"", i ? "," : "", ip_str(a, htonl(l->dns[i])));
	sb_printf(b, "]}");
}

static void json_devices(struct sbuf *b)
{
	char mac[MAC_ADDR_STR_LEN];

	sb_printf(b, "\"devices\":[");
	net_bh_disable();
	for (struct net_device *dev = dev_first(); dev; dev = dev->next) {
		const struct net_device_stats *st = dev_get_stats(dev);
		struct mib m = MIB_INIT(dev->name, netdev_stats_names, st);
		struct ifa_ctx x = { .b = b, .dev = dev, .sep = "" };

		sb_printf(b, "%s{\"name\":\"%s\",\"ifindex\":%d,\"mtu\":%u,\"up\":%s,\"carrier\":%s,"
			  "\"mac\":\"%s\",\"addresses\":[", dev == dev_first() ? "" : ",", dev->name,
			  dev->ifindex, dev->mtu, netif_running(dev) ? "true" : "false",
			  netif_carrier_ok(dev) ? "true" : "false", eth_addr_format(mac, dev->dev_addr));
		inet_ifa_for_each(json_ifa_one, &x);
		sb_printf(b, "]");
		json_dhcp(b, dev);
		sb_printf(b, ",\"stats\":{");
		for (size_t i = 0; i < m.count; i++)
			sb_printf(b, "%s\"%s\":%llu", i ? "," : "", m.names[i],
				  (unsigned long long)mib_value(&m, i));
		sb_printf(b, "}}");
	}
	net_bh_enable();
	sb_printf(b, "]");
}

static int json_route_one(const struct fib_route *r, void *arg)
{
	struct ifa_ctx *x = arg;
	char d[16], g[16];

	sb_printf(x->b, "%s{\"dst\":\"%s/%u\",\"gw\":\"%s\",\"dev\":\"%s\",\"metric\":%u,"
		  "\"proto\":%u,\"dead\":%s,\"lookups\":%llu}", x->sep, ip_str(d, htonl(r->dst)),
		  r->plen, ip_str(g, htonl(r->gw)), r->dev ? r->dev->name : "",
		  r->metric, r->proto, r->flags & RTNH_F_DEAD ? "true" : "false",
		  (unsigned long long)r->lookups);
	x->sep = ",";
	return 0;
}

static int json_neigh_one(const struct neighbour *n, void *arg)
{
	struct ifa_ctx *x = arg;
	char a[16], mac[MAC_ADDR_STR_LEN];

	sb_printf(x->b, "%s{\"ip\":\"%s\",\"dev\":\"%s\",\"mac\":\"%s\",\"state\":\"%s\"}", x->sep,
		  ip_str(a, htonl(n->key)), n->dev ? n->dev->name : "",
		  n->nud_state & NUD_VALID ? eth_addr_format(mac, n->ha) : "",
		  neigh_state_name(n->nud_state));
	x->sep = ",";
	return 0;
}

static void json_tables(struct sbuf *b)
{
	struct ifa_ctx x = { .b = b, .sep = "" };

	sb_printf(b, "\"routes\":[");
	net_bh_disable();
	fib_table_walk(json_route_one, &x);
	sb_printf(b, "],\"neighbours\":[");
	x.sep = "";
	neigh_for_each(&arp_tbl, json_neigh_one, &x);
	net_bh_enable();
	sb_printf(b, "]");
}

/* Every socket the stack holds, as `ss -tuan` lists them (inet_diag.h). */
static void json_sockets(struct sbuf *b)
{
	struct sock_ctx x = { .b = b };

	sb_printf(b, "\"sockets\":[");
	net_bh_disable();
	sock_for_each(sock_one, &x);
	net_bh_enable();
	sb_printf(b, "],\"sockets_not_listed\":%u", x.more);
}

static void json_sys(struct sbuf *b, const struct http_sys_stats *st)
{
	sb_printf(b, ",\"memory\":{\"image_pages\":%llu,\"pages_total\":%llu,\"pages_used\":%llu,"
		  "\"pages_free\":%llu,\"slab_objects\":%llu,\"slab_bytes\":%llu,\"skbs\":%llu,"
		  "\"skb_data_bytes\":%llu},\"slab\":[", (unsigned long long)st->pages_image,
		  (unsigned long long)st->pages_total,
		  (unsigned long long)(st->pages_total - st->pages_free),
		  (unsigned long long)st->pages_free, (unsigned long long)st->slab_objs,
		  (unsigned long long)st->slab_bytes, (unsigned long long)st->skbs_alive,
		  (unsigned long long)st->skb_data_bytes);
	for (unsigned int i = 0; i < st->ncaches; i++) {
		const struct http_sys_cache *c = &st->caches[i];

		sb_printf(b, "%s{\"cache\":\"%s\",\"obj_size\":%llu,\"objects\":%llu,\"bytes\":%llu,"
			  "\"slabs\":%llu,\"allocs\":%llu,\"frees\":%llu,\"failures\":%llu}",
			  i ? "," : "", c->name, (unsigned long long)c->obj_size,
			  (unsigned long long)c->objs, (unsigned long long)c->bytes,
			  (unsigned long long)c->slabs, (unsigned long long)c->allocs,
			  (unsigned long long)c->frees, (unsigned long long)c->failures);
	}
	sb_printf(b, "],\"softirqs\":[");
	for (unsigned int i = 0; i < st->nsoftirqs; i++)
		sb_printf(b, "%s{\"name\":\"%s\",\"runs\":%llu,\"time_ns\":%llu}", i ? "," : "",
			  st->softirqs[i].name, (unsigned long long)st->softirqs[i].runs,
			  (unsigned long long)st->softirqs[i].time_ns);
	sb_printf(b, "],\"softirq_deferred\":%llu,\"ksoftirqd_runs\":%llu",
		  (unsigned long long)st->softirq_deferred, (unsigned long long)st->ksoftirqd_runs);
}

static void json_build(const struct http_server *s, const struct http_sys_stats *st,
		       struct sbuf *b)
{
	sb_printf(b, "{\"uptime_ns\":%llu,\"http\":{\"connections\":%u,\"rejecting\":%u},",
		  (unsigned long long)net_now_ns(), s->nconns, s->nrejects);
	json_devices(b);
	sb_printf(b, ",");
	json_mibs(b);
	sb_printf(b, ",");
	json_tables(b);
	sb_printf(b, ",");
	json_sockets(b);
	if (st)
		json_sys(b, st);
	sb_printf(b, "}\n");
}

/* Builds a body, growing the buffer once if the guess was too small. */
static char *stats_body(const struct http_server *s, size_t *len,
			void (*build)(const struct http_server *s,
				      const struct http_sys_stats *st, struct sbuf *b))
{
	struct http_sys_stats *st = sys_collect(s);
	struct sbuf b = { .cap = BODY_GUESS };

	for (int attempt = 0; attempt < 2; attempt++) {
		b.p = net_alloc(b.cap);
		b.len = 0;
		if (!b.p)
			break;
		build(s, st, &b);
		if (b.len < b.cap)
			break;
		net_free(b.p);
		b.p = NULL;
		b.cap = b.len * 2 > BODY_MAX ? BODY_MAX : b.len * 2;
	}
	net_free(st);
	*len = b.len;
	return b.p;
}

char *http_stats_prometheus(const struct http_server *s, size_t *len)
{
	return stats_body(s, len, prom_build);
}

char *http_stats_json(const struct http_server *s, size_t *len)
{
	return stats_body(s, len, json_build);
}
