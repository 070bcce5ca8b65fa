/*
 * The IPv4 routing table: a list sorted longest prefix first, searched by
 * a linear scan.  See fib.h for the interface and invariants.
 *
 * Context: softirq, or a thread with bottom halves disabled.
 */
#include "net/ipv4/fib.h"

#include "kernel/errno.h"
#include "net/platform.h"

static struct fib_route *fib_head;
static size_t fib_nr;

/* True if a sorts before b: longer prefix, then lower metric. */
static bool fib_before(const struct fib_route *a, const struct fib_route *b)
{
	if (a->plen != b->plen)
		return a->plen > b->plen;
	return a->metric < b->metric;
}

static const struct fib_route *fib_match(uint32_t dst, bool onlink_only)
{
	for (const struct fib_route *r = fib_head; r; r = r->next) {
		if (r->flags & RTNH_F_DEAD)
			continue;
		if (onlink_only && r->gw)
			continue;
		if (inet_prefix_match(dst, r->dst, r->plen))
			return r;
	}
	return NULL;
}

static struct fib_route **fib_find_slot(const struct fib_route *nr)
{
	struct fib_route **pp = &fib_head;

	while (*pp && !fib_before(nr, *pp))
		pp = &(*pp)->next;
	return pp;
}

static bool fib_exists(const struct fib_config *cfg)
{
	for (const struct fib_route *r = fib_head; r; r = r->next)
		if (r->dst == cfg->dst && r->plen == cfg->plen && r->metric == cfg->metric)
			return true;
	return false;
}

/* Fills in the device of a gateway route from the connected route that
 * covers the gateway (Linux's fib_check_nh, reduced). */
static int fib_check_nh(const struct fib_config *cfg, struct net_device **dev)
{
	const struct fib_route *via;

	*dev = cfg->dev;
	if (!cfg->gw)
		return *dev ? 0 : -EINVAL;
	via = fib_match(cfg->gw, true);
	if (!via)
		return -ENETUNREACH;
	if (*dev && via->dev != *dev)
		return -ENETUNREACH;
	*dev = via->dev;
	return 0;
}

int fib_table_insert(const struct fib_config *cfg)
{
	struct fib_route *r, **pp;
	struct net_device *dev;
	int err;

	if (cfg->plen > 32 || (cfg->dst & ~inet_make_mask(cfg->plen)))
		return -EINVAL;
	err = fib_check_nh(cfg, &dev);
	if (err)
		return err;
	if (fib_exists(cfg))
		return -EEXIST;
	r = net_alloc(sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->dst = cfg->dst;
	r->plen = cfg->plen;
	r->proto = cfg->proto;
	r->gw = cfg->gw;
	r->prefsrc = cfg->prefsrc;
	r->metric = cfg->metric;
	r->dev = dev;
	pp = fib_find_slot(r);
	r->next = *pp;
	*pp = r;
	fib_nr++;
	return 0;
}

static bool fib_config_match(const struct fib_route *r, const struct fib_config *cfg)
{
	if (r->dst != cfg->dst || r->plen != cfg->plen)
		return false;
	if (cfg->gw && r->gw != cfg->gw)
		return false;
	if (cfg->dev && r->dev != cfg->dev)
		return false;
	if (cfg->proto && r->proto != cfg->proto)
		return false;
	return !cfg->metric || r->metric == cfg->metric;
}

int fib_table_delete(const struct fib_config *cfg)
{
	for (struct fib_route **pp = &fib_head; *pp; pp = &(*pp)->next) {
		struct fib_route *r = *pp;

		if (!fib_config_match(r, cfg))
			continue;
		*pp = r->next;
		net_free(r);
		fib_nr--;
		return 0;
	}
	return -ENOENT;
}

int fib_lookup(uint32_t dst, struct fib_result *res)
{
	struct fib_route *r = (struct fib_route *)fib_match(dst, false);

	if (!r)
		return -ENETUNREACH;
	r->lookups++;
	res->route = r;
	res->dev = r->dev;
	res->nexthop = r->gw ? r->gw : dst;
	res->prefsrc = r->prefsrc;
	return 0;
}

int fib_table_walk(int (*fn)(const struct fib_route *r, void *arg), void *arg)
{
	for (const struct fib_route *r = fib_head; r; r = r->next) {
		int ret = fn(r, arg);

		if (ret)
			return ret;
	}
	return 0;
}

void fib_sync_dev(struct net_device *dev, bool up)
{
	for (struct fib_route *r = fib_head; r; r = r->next) {
		if (r->dev != dev)
			continue;
		if (up)
			r->flags &= (uint8_t)~RTNH_F_DEAD;
		else
			r->flags |= RTNH_F_DEAD;
	}
}

static void fib_flush_if(struct net_device *dev, bool all)
{
	struct fib_route **pp = &fib_head;

	while (*pp) {
		struct fib_route *r = *pp;

		if (all || r->dev == dev) {
			*pp = r->next;
			net_free(r);
			fib_nr--;
		} else {
			pp = &r->next;
		}
	}
}

void fib_flush_dev(struct net_device *dev)
{
	fib_flush_if(dev, false);
}

void fib_flush(void)
{
	fib_flush_if(NULL, true);
}

size_t fib_count(void)
{
	return fib_nr;
}
