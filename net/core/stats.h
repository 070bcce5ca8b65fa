/*
 * SNMP-style MIB counters: one registry of named counter families that the
 * console, `netstat -s` and /metrics print without knowing them.
 *
 * A family is a struct made only of uint64_t counters, declared from an
 * X-macro list so the same list also yields the names:
 *
 *   #define FOO_MIB_LIST(X) X(InThings) X(OutThings)
 *   struct foo_mib { FOO_MIB_LIST(MIB_FIELD) };
 *   static const char *const foo_names[] = { FOO_MIB_LIST(MIB_NAME) };
 *   static struct mib foo_mib_entry = MIB_INIT("Foo", foo_names, &foo_stats);
 *   mib_register(&foo_mib_entry);
 *
 * names[i] labels the i-th counter of the struct (net/ipv4/snmp.h uses
 * the same convention).  mib_format prints a family the way
 * /proc/net/snmp does: a line of names, then a line of values.
 *
 * Context: registration at init; reads from any context (a torn 64-bit
 * read cannot happen on x86-64).
 */
#ifndef SYNACK_NET_CORE_STATS_H
#define SYNACK_NET_CORE_STATS_H

#include <stddef.h>
#include <stdint.h>

#define MIB_FIELD(name)	uint64_t name;
#define MIB_NAME(name)	#name,

struct mib {
	const char *family;		/* "Ip", "Softnet", ... */
	const char *const *names;	/* names[i] labels counter i */
	size_t count;
	const void *counters;		/* struct of count uint64_t */
	struct mib *next;		/* registry link */
};

#define MIB_INIT(fam, names_, counters_) { \
	.family = (fam), .names = (names_), \
	.count = sizeof(names_) / sizeof((names_)[0]), .counters = (counters_) }

/* Adds m to the registry (registration order); again is a no-op. */
void mib_register(struct mib *m);
void mib_unregister(struct mib *m);
const struct mib *mib_first(void);	/* iterate: m = m->next */
const struct mib *mib_find(const char *family);

uint64_t mib_value(const struct mib *m, size_t i);
/* Value of the counter called name, or -1 (as uint64) if there is none. */
uint64_t mib_lookup(const struct mib *m, const char *name);
/* "Fam: name1 name2\nFam: v1 v2\n", like snprintf (returns full length). */
int mib_format(const struct mib *m, char *buf, size_t len);

/* Names for the core's own counter structs (netdevice.h, skbuff.h,
 * netfilter.h, pcap.h), for callers that print one instance, e.g. a
 * device: struct mib m = MIB_INIT(dev->name, netdev_stats_names, &dev->stats). */
extern const char *const netdev_stats_names[24];
extern const char *const softnet_stat_names[6];
extern const char *const skb_accounting_names[5];
extern const char *const nf_stats_names[6];
extern const char *const pcap_stats_names[3];

/* Registers the core families: Softnet, Skb, Netfilter, Pcap. */
void net_core_mibs_register(void);

#endif
