/*
 * The bodies of GET /metrics (Prometheus text format 0.0.4) and GET
 * /stats (JSON): uptime, every MIB family of the registry printed
 * generically (a layer that registers a family appears without this file
 * knowing it), per-device counters, and what the kernel side collects
 * (memory pages, slab caches, softirqs; http_stats.h).  /stats adds the
 * interface addresses, route and neighbour tables and the open sockets
 * with their states.
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

	prom_help(b, "synack_memory_pages", "gauge", "4 KiB pages of RAM, total and free.");
	sb_printf(b, "synack_memory_pages{state=\"total\"} %llu\nsynack_memory_pages{state=\"free\"} %llu\n",
		  (unsigned long long)st->pages_total, (unsigned long long)st->pages_free);
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
		sb_printf(b, "],\"stats\":{");
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

/* One descriptor's socket, like a line of `ss`; false if fd is not one. */
static bool json_socket_one(struct sbuf *b, int fd, const char *sep)
{
	struct sockaddr_in l = { 0 }, r = { 0 };
	socklen_t ll = sizeof(l), rl = sizeof(r);
	int err, state, type, rq, wq;
	struct socket *sock = sockfd_lookup(fd, &err);
	char la[16], ra[16];

	if (!sock)
		return false;
	net_bh_disable();
	state = sock->sk ? sock->sk->sk_state : TCP_CLOSE;
	type = sock->type;
	rq = sock->sk ? sock->sk->sk_rmem_alloc : 0;
	wq = sock->sk ? sock->sk->sk_wmem_queued : 0;
	net_bh_enable();
	sock_put_socket(sock);
	sys_getsockname(fd, (struct sockaddr *)&l, &ll);
	sys_getpeername(fd, (struct sockaddr *)&r, &rl);
	sb_printf(b, "%s{\"fd\":%d,\"proto\":\"%s\",\"state\":\"%s\",\"local\":\"%s:%u\","
		  "\"remote\":\"%s:%u\",\"rmem\":%d,\"wmem_queued\":%d}", sep, fd,
		  type == SOCK_STREAM ? "tcp" : type == SOCK_DGRAM ? "udp" : "raw",
		  sock_state_name(state),
		  ip_str(la, l.sin_addr.s_addr), ntohs(l.sin_port), ip_str(ra, r.sin_addr.s_addr),
		  ntohs(r.sin_port), rq, wq);
	return true;
}

static void json_sockets(struct sbuf *b)
{
	unsigned int n = 0, more = 0;

	sb_printf(b, "\"sockets\":[");
	for (int fd = 0; fd < NET_NR_OPEN; fd++) {
		if (!fd_is_open(fd))
			continue;
		if (n == SOCKETS_MAX)
			more++;
		else if (json_socket_one(b, fd, n ? "," : ""))
			n++;
	}
	sb_printf(b, "],\"sockets_not_listed\":%u", more);
}

static void json_sys(struct sbuf *b, const struct http_sys_stats *st)
{
	sb_printf(b, ",\"memory\":{\"pages_total\":%llu,\"pages_free\":%llu},\"slab\":[",
		  (unsigned long long)st->pages_total, (unsigned long long)st->pages_free);
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
