/*
 * Netfilter-style hooks with one small filter table.
 *
 * IPv4 calls NF_HOOK(NFPROTO_IPV4, hook, skb, in, out, okfn) at the five
 * points of seed 003's path, with skb->data at the IPv4 header:
 *   PRE_ROUTING  ip_rcv, before route input      (in set)
 *   LOCAL_IN     ip_local_deliver, after reassembly (in set)
 *   FORWARD      ip_forward                      (in and out set)
 *   LOCAL_OUT    ip_local_out, locally generated  (out set)
 *   POST_ROUTING ip_output, before fragmentation  (out set)
 * NF_HOOK returns okfn(skb) when the packet is accepted; when it is dropped
 * it frees skb and returns -EPERM.  Either way skb is consumed.
 *
 * Each hook has a chain of rules, tried in order; the first rule that
 * matches decides, and a packet no rule matches gets the chain's policy
 * (accept unless set).  Every rule and every policy counts packets and
 * bytes.  The matcher reads the IPv4 header itself, bounds-checked,
 * because at PRE_ROUTING ip_rcv has validated nothing yet: a packet too
 * short or malformed to read matches only rules that test nothing but
 * devices, and is counted in nf_stats.unparsed.  Ports are read only from
 * first fragments of TCP and UDP; rules with a port test do not match other
 * packets.
 *
 * Rule strings (the kernel's `nf=` parameter; rules are appended in order):
 *
 *   SPEC    := ITEM [',' ITEM]...
 *   ITEM    := VERDICT ':' CHAIN [':' MATCH]...     a rule
 *            | 'policy' ':' CHAIN ':' VERDICT      the chain's default
 *   VERDICT := 'accept' | 'drop'
 *   CHAIN   := 'pre' | 'in' | 'fwd' | 'out' | 'post'
 *   MATCH   := 'tcp' | 'udp' | 'icmp' | 'proto=' N          (0..255)
 *            | 'src=' A.B.C.D ['/' LEN] | 'dst=' A.B.C.D ['/' LEN]
 *            | 'sport=' P ['-' Q] | 'dport=' P ['-' Q]      (1..65535)
 *            | 'iif=' NAME | 'oif=' NAME
 *
 * e.g. nf=drop:in:tcp:dport=23,drop:in:src=198.18.0.9/32,policy:fwd:drop
 * Each kind of test may appear once per rule; a port test needs tcp or
 * udp.  Errors name the item and the offending text.
 *
 * Context: softirq or bottom halves disabled.
 */
#ifndef SYNACK_NET_CORE_NETFILTER_H
#define SYNACK_NET_CORE_NETFILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/errno.h"
#include "net/core/netdevice.h"

#define NFPROTO_IPV4	2

enum nf_inet_hooks {
	NF_INET_PRE_ROUTING,
	NF_INET_LOCAL_IN,
	NF_INET_FORWARD,
	NF_INET_LOCAL_OUT,
	NF_INET_POST_ROUTING,
	NF_INET_NUMHOOKS,
};

enum nf_verdict {
	NF_DROP = 0,
	NF_ACCEPT = 1,
};

#define NF_MAX_RULES	32

/* Which tests a rule makes (nf_rule.match). */
#define NF_MATCH_PROTO	0x01
#define NF_MATCH_SRC	0x02
#define NF_MATCH_DST	0x04
#define NF_MATCH_SPORT	0x08
#define NF_MATCH_DPORT	0x10
#define NF_MATCH_IIF	0x20
#define NF_MATCH_OIF	0x40

struct nf_rule {
	uint8_t hook;			/* enum nf_inet_hooks */
	uint8_t verdict;		/* enum nf_verdict */
	uint8_t match;			/* NF_MATCH_* */
	uint8_t proto;			/* IPPROTO_* */
	uint32_t src, src_mask;		/* network order */
	uint32_t dst, dst_mask;
	uint16_t sport_lo, sport_hi;	/* host order, inclusive */
	uint16_t dport_lo, dport_hi;
	char iif[IFNAMSIZ];
	char oif[IFNAMSIZ];
	uint64_t packets;		/* matched */
	uint64_t bytes;
};

struct nf_chain {
	uint8_t policy;			/* enum nf_verdict */
	uint64_t policy_packets;	/* got the policy: no rule matched */
	uint64_t policy_bytes;
};

struct nf_stats {
	uint64_t dropped[NF_INET_NUMHOOKS];	/* by rule or policy */
	uint64_t unparsed;		/* no readable IPv4 header */
};

/* Verdict for skb at hook (does not consume skb). */
int nf_hook_slow(unsigned int pf, unsigned int hook, struct sk_buff *skb,
		 struct net_device *in, struct net_device *out);
/* True if the chain could drop anything (has rules or a drop policy). */
bool nf_hook_active(unsigned int hook);

static inline int NF_HOOK(unsigned int pf, unsigned int hook, struct sk_buff *skb,
			  struct net_device *in, struct net_device *out,
			  int (*okfn)(struct sk_buff *skb))
{
	if (nf_hook_active(hook) && nf_hook_slow(pf, hook, skb, in, out) == NF_DROP) {
		kfree_skb(skb);
		return -EPERM;
	}
	return okfn(skb);
}

/* Table management.  nf_rule_add copies r with zeroed counters: 0,
 * -EINVAL (bad hook/verdict) or -ENOSPC (NF_MAX_RULES). */
int nf_rule_add(const struct nf_rule *r);
int nf_set_policy(unsigned int hook, unsigned int verdict);
/* Removes all rules and resets policies to accept and all counters. */
void nf_flush(void);
unsigned int nf_rule_count(void);
const struct nf_rule *nf_rule_get(unsigned int i);
const struct nf_chain *nf_chain_get(unsigned int hook);
const struct nf_stats *nf_get_stats(void);

/* Parses SPEC (grammar above) and adds its rules and policies; on error
 * nothing is added, -EINVAL is returned and err holds a message such as
 * "item 2 'drop:in:dprot=23': unknown match 'dprot=23'". */
int nf_parse_rules(const char *spec, char *err, size_t errlen);
/* Formats r in the same syntax (without counters); like snprintf. */
int nf_rule_format(const struct nf_rule *r, char *buf, size_t len);

#endif
