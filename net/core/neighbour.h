/*
 * The neighbour subsystem: a table mapping (device, next-hop address) to a
 * link-layer address, with Linux's reachability state machine (NUD) and a
 * bounded queue of packets waiting for resolution.  ARP (net/ipv4/arp.c)
 * is its one protocol; it supplies the table's ops and feeds it replies.
 *
 * States and transitions (timers in brackets):
 *   NONE -> INCOMPLETE        first packet: solicit by broadcast, queue it
 *   INCOMPLETE -> INCOMPLETE  [retrans] re-solicit, up to mcast_probes times
 *   INCOMPLETE -> FAILED      probes used up: queued packets dropped, counted
 *   INCOMPLETE -> REACHABLE   reply: address learned, queue flushed
 *   REACHABLE -> STALE        [reachable_time] no confirmation, not used lately
 *   REACHABLE -> DELAY        [reachable_time] no confirmation, used lately
 *   STALE -> DELAY            a packet is sent (with the cached address)
 *   DELAY -> REACHABLE        [delay_probe] confirmed meanwhile
 *   DELAY -> PROBE            [delay_probe] unicast probe
 *   PROBE -> PROBE            [retrans] up to ucast_probes unicast probes
 *   PROBE -> FAILED           probes used up
 *   PROBE/DELAY/STALE -> REACHABLE   reply confirms
 *   FAILED -> INCOMPLETE      a new packet restarts resolution
 * A request addressed to us creates or refreshes the sender's entry as
 * STALE (neigh_event_ns); a changed link-layer address also goes STALE.
 * NOARP entries (broadcast, loopback, devices without ARP) never change.
 *
 * reachable_time is drawn uniformly from [base/2, 3*base/2) (RFC 4861 6.3.2)
 * and redrawn by the first periodic gc 300 s later (as Linux does).  gc
 * runs every gc_interval: it deletes FAILED entries and STALE/NONE entries unused for gc_stale_time; when the
 * table reaches gc_thresh entries a forced gc runs first, and creation
 * fails (table_fulls) if nothing could be freed.
 *
 * Lifetime: entries belong to the table.  Callers use a neighbour pointer
 * only within the current softirq or bh-disabled section (there is no
 * route cache holding one), so there is no reference count; gc and flush
 * stop an entry's timer before freeing it.
 *
 * Ownership: neigh_output, neigh_resolve_output and neigh_event_send
 * consume the skb.
 *
 * Context: softirq, or a thread with bottom halves disabled.
 */
#ifndef SYNACK_NET_CORE_NEIGHBOUR_H
#define SYNACK_NET_CORE_NEIGHBOUR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/core/skbuff.h"
#include "net/platform.h"

struct net_device;
struct neighbour;

enum nud_state {
	NUD_NONE = 0x00,
	NUD_INCOMPLETE = 0x01,
	NUD_REACHABLE = 0x02,
	NUD_STALE = 0x04,
	NUD_DELAY = 0x08,
	NUD_PROBE = 0x10,
	NUD_FAILED = 0x20,
	NUD_NOARP = 0x40,
	NUD_PERMANENT = 0x80,
};

#define NUD_IN_TIMER	(NUD_INCOMPLETE | NUD_REACHABLE | NUD_DELAY | NUD_PROBE)
#define NUD_VALID	(NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE | NUD_PROBE | \
			 NUD_STALE | NUD_DELAY)
#define NUD_CONNECTED	(NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE)

#define NEIGH_MAX_ADDR_LEN	6
#define NEIGH_HASH_SIZE		64u
#define NEIGH_REACHABLE_REDRAW_NS	(300ull * 1000000000ull)

struct neigh_parms {
	uint64_t base_reachable_ns;	/* 30 s */
	uint64_t retrans_ns;		/* 1 s between probes */
	uint64_t delay_probe_ns;	/* 5 s in DELAY before probing */
	uint64_t gc_stale_ns;		/* 60 s unused before gc may take it */
	uint64_t gc_interval_ns;	/* 30 s between periodic gc runs */
	unsigned int ucast_probes;	/* 3 */
	unsigned int mcast_probes;	/* 3 */
	unsigned int unres_qlen_bytes;	/* bytes queued per unresolved entry */
	unsigned int gc_thresh;		/* hard cap on entries */
};

/* Why packets and entries went away, and what the table did. */
struct neigh_statistics {
	uint64_t allocs;
	uint64_t destroys;
	uint64_t lookups;
	uint64_t hits;
	uint64_t res_failed;		/* resolutions that ended in FAILED */
	uint64_t unres_discards;	/* packets dropped unresolved */
	uint64_t queue_overflows;	/* queued packets pushed out by newer ones */
	uint64_t hh_failures;		/* link header could not be built */
	uint64_t periodic_gc_runs;
	uint64_t forced_gc_runs;
	uint64_t table_fulls;		/* creations refused at gc_thresh */
	uint64_t alloc_failures;
	uint64_t probes_sent;
};

/* Names of the neigh_statistics counters, in order (net/core/stats.h). */
extern const char *const neigh_stats_names[13];

/* Per-protocol operations (ARP fills them). */
struct neigh_ops {
	/* Sends a probe for n; skb is the packet that triggered it or NULL.
	 * Does not consume skb. */
	void (*solicit)(struct neighbour *n, const struct sk_buff *skb);
	/* Prepends the link-layer header for dst_ha; 0 or negative errno. */
	int (*hard_header)(struct sk_buff *skb, struct net_device *dev,
			   const uint8_t *dst_ha);
	/* Sets up a new entry: NOARP state and address for broadcast or
	 * devices without resolution; leaves NONE otherwise. */
	void (*constructor)(struct neighbour *n);
	/* Hands a finished frame to the device; consumes skb. */
	int (*queue_xmit)(struct sk_buff *skb);
};

struct neigh_table {
	const char *id;
	const struct neigh_ops *ops;
	struct neigh_parms parms;
	struct neigh_statistics stats;
	struct neighbour *hash[NEIGH_HASH_SIZE];
	unsigned int entries;
	uint64_t reachable_ns;		/* current randomized reachable time */
	uint64_t reachable_drawn_ns;	/* when it was drawn */
	struct net_timer gc_timer;
};

struct neighbour {
	struct neighbour *next;		/* hash chain */
	struct neigh_table *tbl;
	struct net_device *dev;
	uint32_t key;			/* next hop, host byte order */
	uint8_t nud_state;
	uint8_t ha[NEIGH_MAX_ADDR_LEN];
	unsigned int probes;		/* probes sent in this round */
	uint64_t confirmed_ns;		/* last reachability confirmation */
	uint64_t updated_ns;		/* last state change */
	uint64_t used_ns;		/* last packet sent through it */
	struct net_timer timer;
	struct sk_buff_head arp_queue;
	unsigned int arp_queue_bytes;
};

/* Sets up tbl with ops and parms and starts its gc timer. */
void neigh_table_init(struct neigh_table *tbl, const struct neigh_ops *ops,
		      const struct neigh_parms *parms);
/* Frees every entry (queued packets dropped and counted) and stops gc. */
void neigh_table_clear(struct neigh_table *tbl);

struct neighbour *neigh_lookup(struct neigh_table *tbl, uint32_t key,
			       const struct net_device *dev);
/* Returns the entry for (key, dev), creating it if absent; NULL if the
 * table is full or memory is short (both counted). */
struct neighbour *neigh_lookup_or_create(struct neigh_table *tbl, uint32_t key,
					 struct net_device *dev);

/* Flags for neigh_update. */
#define NEIGH_UPDATE_F_OVERRIDE	0x1	/* a different lladdr replaces the old */
#define NEIGH_UPDATE_F_ADMIN	0x2	/* may touch NOARP/PERMANENT entries */

/*
 * Moves n to state new with link-layer address lladdr (NULL: keep).  The
 * state machine of the header comment applies; a move to a valid state
 * from an invalid one sends the queued packets.  Returns 0 or -EPERM
 * (a NOARP/PERMANENT entry without F_ADMIN).
 */
int neigh_update(struct neighbour *n, const uint8_t *lladdr, uint8_t new_state,
		 unsigned int flags);

/* A request from (key, lladdr) addressed to us: create or refresh the
 * entry as STALE.  Returns the entry or NULL. */
struct neighbour *neigh_event_ns(struct neigh_table *tbl, const uint8_t *lladdr,
				 uint32_t key, struct net_device *dev);

/*
 * Output for a packet whose next hop is n.  If n has a usable address the
 * packet gets its link header and goes to ops->queue_xmit; otherwise it
 * is queued while resolution runs (or dropped and counted).  Returns 0 or
 * a negative errno; the skb is consumed either way.
 */
int neigh_resolve_output(struct neighbour *n, struct sk_buff *skb);

/* Fast path when n is CONNECTED, else neigh_resolve_output.  Consumes skb. */
int neigh_output(struct neighbour *n, struct sk_buff *skb);

/* Deletes every entry on dev (device down or address change). */
void neigh_ifdown(struct neigh_table *tbl, struct net_device *dev);

/* Runs a gc pass now (tests, and the periodic timer). */
void neigh_periodic_gc(struct neigh_table *tbl);

/* Calls fn for each entry (ip neigh); stops if fn returns non-zero. */
int neigh_for_each(struct neigh_table *tbl,
		   int (*fn)(const struct neighbour *n, void *arg), void *arg);

const char *neigh_state_name(uint8_t nud_state);

#endif
