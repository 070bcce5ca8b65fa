/*
 * The neighbour table and its reachability state machine (see
 * neighbour.h for the states, timers and lifetime rules).
 *
 * Each entry has one timer, armed while its state is in NUD_IN_TIMER; the
 * handler decides the next state from the confirmed/used timestamps, so
 * a reply or a packet never needs to touch the timer except to start it.
 *
 * Context: softirq (timers, receive), or a thread with bottom halves
 * disabled (output).
 */
#include "net/core/neighbour.h"

#include "kernel/errno.h"
#include "kernel/lib/string.h"

#define neigh_of_timer(t) \
	((struct neighbour *)((char *)(t) - offsetof(struct neighbour, timer)))
#define tbl_of_gc_timer(t) \
	((struct neigh_table *)((char *)(t) - offsetof(struct neigh_table, gc_timer)))

const char *const neigh_stats_names[13] = {
	"allocs", "destroys", "lookups", "hits", "res_failed", "unres_discards",
	"queue_overflows", "hh_failures", "periodic_gc_runs", "forced_gc_runs",
	"table_fulls", "alloc_failures", "probes_sent",
};
_Static_assert(sizeof(struct neigh_statistics) == sizeof(neigh_stats_names) / sizeof(char *) *
	       sizeof(uint64_t), "one name per neighbour counter");

static unsigned int neigh_hash(uint32_t key, const struct net_device *dev)
{
	uint64_t h = ((uint64_t)key ^ ((uintptr_t)dev >> 4)) * 0x9e3779b97f4a7c15ull;

	return (unsigned int)(h >> 58) % NEIGH_HASH_SIZE;
}

/* RFC 4861 6.3.2: ReachableTime is "a uniformly distributed random value
 * between MIN_RANDOM_FACTOR and MAX_RANDOM_FACTOR times BaseReachableTime"
 * (0.5 and 1.5). */
static uint64_t neigh_rand_reach_time(uint64_t base)
{
	if (base == 0)
		return 0;
	return base / 2 + (uint64_t)net_random_u32() * base / 0x100000000ull;
}

static void neigh_drop_queue(struct neighbour *n)
{
	struct sk_buff *skb;

	while ((skb = skb_dequeue(&n->arp_queue)) != NULL) {
		n->tbl->stats.unres_discards++;
		kfree_skb(skb);
	}
	n->arp_queue_bytes = 0;
}

static void neigh_free(struct neighbour *n)
{
	net_timer_del(&n->timer);
	neigh_drop_queue(n);
	n->tbl->stats.destroys++;
	n->tbl->entries--;
	net_free(n);
}

/* Unlinks and frees the entries pick() selects; returns how many. */
static unsigned int neigh_reap(struct neigh_table *tbl,
			       bool (*pick)(const struct neighbour *n, const void *arg),
			       const void *arg)
{
	unsigned int freed = 0;

	for (unsigned int i = 0; i < NEIGH_HASH_SIZE; i++) {
		struct neighbour **pp = &tbl->hash[i];

		while (*pp) {
			struct neighbour *n = *pp;

			if (pick(n, arg)) {
				*pp = n->next;
				neigh_free(n);
				freed++;
			} else {
				pp = &n->next;
			}
		}
	}
	return freed;
}

static bool neigh_pick_stale(const struct neighbour *n, const void *arg)
{
	uint64_t now = *(const uint64_t *)arg;

	if (n->nud_state & (NUD_PERMANENT | NUD_IN_TIMER))
		return false;
	return n->nud_state == NUD_FAILED || n->used_ns + n->tbl->parms.gc_stale_ns <= now;
}

static bool neigh_pick_idle(const struct neighbour *n, const void *arg)
{
	(void)arg;
	return !(n->nud_state & (NUD_PERMANENT | NUD_IN_TIMER));
}

static bool neigh_pick_dev(const struct neighbour *n, const void *arg)
{
	return arg == NULL || (const void *)n->dev == arg;
}

void neigh_periodic_gc(struct neigh_table *tbl)
{
	uint64_t now = net_now_ns();

	tbl->stats.periodic_gc_runs++;
	if (now >= tbl->reachable_drawn_ns + NEIGH_REACHABLE_REDRAW_NS) {
		tbl->reachable_ns = neigh_rand_reach_time(tbl->parms.base_reachable_ns);
		tbl->reachable_drawn_ns = now;
	}
	neigh_reap(tbl, neigh_pick_stale, &now);
}

static void neigh_gc_timer(struct net_timer *t)
{
	struct neigh_table *tbl = tbl_of_gc_timer(t);

	neigh_periodic_gc(tbl);
	net_timer_mod(&tbl->gc_timer, net_now_ns() + tbl->parms.gc_interval_ns);
}

void neigh_table_init(struct neigh_table *tbl, const struct neigh_ops *ops,
		      const struct neigh_parms *parms)
{
	memset(tbl, 0, sizeof(*tbl));
	tbl->ops = ops;
	tbl->parms = *parms;
	tbl->reachable_ns = neigh_rand_reach_time(parms->base_reachable_ns);
	tbl->reachable_drawn_ns = net_now_ns();
	net_timer_init(&tbl->gc_timer, neigh_gc_timer);
	net_timer_mod(&tbl->gc_timer, net_now_ns() + parms->gc_interval_ns);
}

void neigh_table_clear(struct neigh_table *tbl)
{
	net_timer_del(&tbl->gc_timer);
	neigh_reap(tbl, neigh_pick_dev, NULL);
}

void neigh_ifdown(struct neigh_table *tbl, struct net_device *dev)
{
	neigh_reap(tbl, neigh_pick_dev, dev);
}

struct neighbour *neigh_lookup(struct neigh_table *tbl, uint32_t key,
			       const struct net_device *dev)
{
	tbl->stats.lookups++;
	for (struct neighbour *n = tbl->hash[neigh_hash(key, dev)]; n; n = n->next) {
		if (n->key == key && n->dev == dev) {
			tbl->stats.hits++;
			return n;
		}
	}
	return NULL;
}

static void neigh_timer_handler(struct net_timer *t);

static struct neighbour *neigh_alloc(struct neigh_table *tbl, uint32_t key,
				     struct net_device *dev)
{
	struct neighbour *n;

	if (tbl->entries >= tbl->parms.gc_thresh) {
		tbl->stats.forced_gc_runs++;
		if (neigh_reap(tbl, neigh_pick_idle, NULL) == 0) {
			tbl->stats.table_fulls++;
			return NULL;
		}
	}
	n = net_alloc(sizeof(*n));
	if (!n) {
		tbl->stats.alloc_failures++;
		return NULL;
	}
	n->tbl = tbl;
	n->dev = dev;
	n->key = key;
	n->nud_state = NUD_NONE;
	n->updated_ns = n->used_ns = net_now_ns();
	net_timer_init(&n->timer, neigh_timer_handler);
	skb_queue_head_init(&n->arp_queue);
	tbl->stats.allocs++;
	tbl->entries++;
	return n;
}

struct neighbour *neigh_lookup_or_create(struct neigh_table *tbl, uint32_t key,
					 struct net_device *dev)
{
	struct neighbour *n = neigh_lookup(tbl, key, dev);
	unsigned int h;

	if (n)
		return n;
	n = neigh_alloc(tbl, key, dev);
	if (!n)
		return NULL;
	if (tbl->ops->constructor)
		tbl->ops->constructor(n);
	h = neigh_hash(key, dev);
	n->next = tbl->hash[h];
	tbl->hash[h] = n;
	return n;
}

static void neigh_set_state(struct neighbour *n, uint8_t state, uint64_t timer_at)
{
	n->nud_state = state;
	n->updated_ns = net_now_ns();
	if (state & NUD_IN_TIMER)
		net_timer_mod(&n->timer, timer_at);
	else
		net_timer_del(&n->timer);
}

static void neigh_xmit(struct neighbour *n, struct sk_buff *skb)
{
	if (n->tbl->ops->hard_header(skb, n->dev, n->ha) < 0) {
		n->tbl->stats.hh_failures++;
		kfree_skb(skb);
		return;
	}
	n->tbl->ops->queue_xmit(skb);
}

static void neigh_flush_queue(struct neighbour *n)
{
	struct sk_buff *skb;

	while ((skb = skb_dequeue(&n->arp_queue)) != NULL) {
		n->arp_queue_bytes -= skb->truesize;
		neigh_xmit(n, skb);
	}
}

static void neigh_probe(struct neighbour *n)
{
	n->probes++;
	n->tbl->stats.probes_sent++;
	n->tbl->ops->solicit(n, skb_peek(&n->arp_queue));
}

static void neigh_fail(struct neighbour *n)
{
	n->tbl->stats.res_failed++;
	neigh_set_state(n, NUD_FAILED, 0);
	neigh_drop_queue(n);
}

/* The REACHABLE and DELAY timer decisions; returns the next deadline or 0. */
static uint64_t neigh_timer_confirm(struct neighbour *n, uint64_t now)
{
	const struct neigh_parms *p = &n->tbl->parms;
	uint64_t reach = n->tbl->reachable_ns;

	if (n->nud_state == NUD_REACHABLE) {
		if (now < n->confirmed_ns + reach)
			return n->confirmed_ns + reach;
		if (now < n->used_ns + p->delay_probe_ns) {
			n->nud_state = NUD_DELAY;
			return now + p->delay_probe_ns;
		}
		neigh_set_state(n, NUD_STALE, 0);
		return 0;
	}
	/* DELAY: confirmed while we waited? */
	if (now < n->confirmed_ns + p->delay_probe_ns) {
		n->nud_state = NUD_REACHABLE;
		return n->confirmed_ns + reach;
	}
	n->nud_state = NUD_PROBE;
	n->probes = 0;
	return now;
}

static void neigh_timer_handler(struct net_timer *t)
{
	struct neighbour *n = neigh_of_timer(t);
	const struct neigh_parms *p = &n->tbl->parms;
	uint64_t now = net_now_ns();
	uint64_t next = 0;
	unsigned int max;

	if (n->nud_state & (NUD_REACHABLE | NUD_DELAY))
		next = neigh_timer_confirm(n, now);
	if (n->nud_state & (NUD_INCOMPLETE | NUD_PROBE)) {
		max = n->nud_state == NUD_INCOMPLETE ? p->mcast_probes : p->ucast_probes;
		if (n->probes >= max) {
			neigh_fail(n);
			return;
		}
		neigh_probe(n);
		next = now + p->retrans_ns;
	}
	if (next) {
		n->updated_ns = now;
		net_timer_mod(&n->timer, next);
	}
}

int neigh_update(struct neighbour *n, const uint8_t *lladdr, uint8_t new_state,
		 unsigned int flags)
{
	uint8_t old = n->nud_state;
	uint64_t now = net_now_ns();
	bool changed;

	if ((old & (NUD_NOARP | NUD_PERMANENT)) && !(flags & NEIGH_UPDATE_F_ADMIN))
		return -EPERM;
	if (!(new_state & NUD_VALID)) {
		if (new_state == NUD_FAILED)
			neigh_fail(n);
		else
			neigh_set_state(n, new_state, now);
		return 0;
	}
	if (!lladdr) {
		if (!(old & NUD_VALID))
			return -EINVAL;
		lladdr = n->ha;
	}
	changed = !(old & NUD_VALID) || memcmp(lladdr, n->ha, sizeof(n->ha)) != 0;
	if (changed && (old & NUD_VALID) && !(flags & NEIGH_UPDATE_F_OVERRIDE))
		return 0;
	/* The same address heard again does not demote a better state. */
	if (!changed && new_state == NUD_STALE)
		new_state = old;
	memcpy(n->ha, lladdr, sizeof(n->ha));
	if (new_state & NUD_CONNECTED)
		n->confirmed_ns = now;
	if (new_state != old || new_state == NUD_REACHABLE)
		neigh_set_state(n, new_state, now + n->tbl->reachable_ns);
	if (!(old & NUD_VALID))
		neigh_flush_queue(n);
	return 0;
}

struct neighbour *neigh_event_ns(struct neigh_table *tbl, const uint8_t *lladdr,
				 uint32_t key, struct net_device *dev)
{
	struct neighbour *n = neigh_lookup_or_create(tbl, key, dev);

	if (n)
		neigh_update(n, lladdr, NUD_STALE, NEIGH_UPDATE_F_OVERRIDE);
	return n;
}

/* Queues skb on an unresolved entry, pushing out the oldest packets when
 * the byte limit would be passed. */
static void neigh_enqueue(struct neighbour *n, struct sk_buff *skb)
{
	unsigned int limit = n->tbl->parms.unres_qlen_bytes;

	if (skb->truesize > limit) {
		n->tbl->stats.unres_discards++;
		kfree_skb(skb);
		return;
	}
	while (n->arp_queue_bytes + skb->truesize > limit) {
		struct sk_buff *old = skb_dequeue(&n->arp_queue);

		n->arp_queue_bytes -= old->truesize;
		n->tbl->stats.unres_discards++;
		n->tbl->stats.queue_overflows++;
		kfree_skb(old);
	}
	skb_queue_tail(&n->arp_queue, skb);
	n->arp_queue_bytes += skb->truesize;
}

/* Returns true if skb may be sent now; otherwise consumes it (queued
 * while resolution runs). */
static bool neigh_event_send(struct neighbour *n, struct sk_buff *skb)
{
	const struct neigh_parms *p = &n->tbl->parms;
	uint64_t now = net_now_ns();

	n->used_ns = now;
	if (n->nud_state & (NUD_CONNECTED | NUD_DELAY | NUD_PROBE))
		return true;
	if (n->nud_state == NUD_STALE) {
		neigh_set_state(n, NUD_DELAY, now + p->delay_probe_ns);
		return true;
	}
	if (!(n->nud_state & NUD_INCOMPLETE)) {
		/* NONE or FAILED: start a resolution round. */
		neigh_set_state(n, NUD_INCOMPLETE, now + p->retrans_ns);
		n->probes = 0;
		neigh_enqueue(n, skb);
		neigh_probe(n);
		return false;
	}
	neigh_enqueue(n, skb);
	return false;
}

int neigh_resolve_output(struct neighbour *n, struct sk_buff *skb)
{
	if (!neigh_event_send(n, skb))
		return 0;
	neigh_xmit(n, skb);
	return 0;
}

int neigh_output(struct neighbour *n, struct sk_buff *skb)
{
	if (n->nud_state & NUD_CONNECTED) {
		n->used_ns = net_now_ns();
		neigh_xmit(n, skb);
		return 0;
	}
	return neigh_resolve_output(n, skb);
}

int neigh_for_each(struct neigh_table *tbl,
		   int (*fn)(const struct neighbour *n, void *arg), void *arg)
{
	for (unsigned int i = 0; i < NEIGH_HASH_SIZE; i++) {
		for (const struct neighbour *n = tbl->hash[i]; n; n = n->next) {
			int ret = fn(n, arg);

			if (ret)
				return ret;
		}
	}
	return 0;
}

const char *neigh_state_name(uint8_t nud_state)
{
	switch (nud_state) {
	case NUD_NONE: return "NONE";
	case NUD_INCOMPLETE: return "INCOMPLETE";
	case NUD_REACHABLE: return "REACHABLE";
	case NUD_STALE: return "STALE";
	case NUD_DELAY: return "DELAY";
	case NUD_PROBE: return "PROBE";
	case NUD_FAILED: return "FAILED";
	case NUD_NOARP: return "NOARP";
	case NUD_PERMANENT: return "PERMANENT";
	default: return "?";
	}
}
