/*
 * The filter table behind NF_HOOK (interface, semantics and rule syntax:
 * netfilter.h).  The rule parser is netfilter_parse.c.
 *
 * Invariants: rules[0..nrules) are in insertion order; chain[h].policy is
 * NF_ACCEPT or NF_DROP; counters only grow until nf_flush.
 */
#include "net/core/netfilter.h"

#include "kernel/lib/string.h"
#include "net/core/byteorder.h"

#define IPPROTO_TCP	6
#define IPPROTO_UDP	17

static struct nf_rule rules[NF_MAX_RULES];
static unsigned int nrules;
static struct nf_chain chains[NF_INET_NUMHOOKS] = {
	[0 ... NF_INET_NUMHOOKS - 1] = { .policy = NF_ACCEPT },
};
static unsigned int hook_rules[NF_INET_NUMHOOKS];
static struct nf_stats nf_stats;

/* What the matcher could read of the packet. */
struct nf_pkt {
	bool ip;		/* a readable IPv4 header */
	bool ports;		/* TCP/UDP ports readable (first fragment) */
	uint8_t proto;
	uint32_t saddr, daddr;	/* network order */
	uint16_t sport, dport;	/* host order */
};

/* Reads the IPv4 header at skb->data without trusting any of it. */
static void nf_parse_ipv4(const struct sk_buff *skb, struct nf_pkt *p)
{
	const uint8_t *h = skb->data;
	unsigned int ihl, len = skb->len, tot;

	memset(p, 0, sizeof(*p));
	if (len < 20 || (h[0] >> 4) != 4)
		return;
	ihl = (h[0] & 0x0fu) * 4;
	tot = get_be16(h + 2);
	if (ihl < 20 || ihl > len || tot < ihl)
		return;
	if (tot < len)
		len = tot;	/* ignore link-layer padding */
	p->ip = true;
	p->proto = h[9];
	memcpy(&p->saddr, h + 12, 4);
	memcpy(&p->daddr, h + 16, 4);
	if ((p->proto == IPPROTO_TCP || p->proto == IPPROTO_UDP) &&
	    (get_be16(h + 6) & 0x1fff) == 0 && len >= ihl + 4) {
		p->ports = true;
		p->sport = get_be16(h + ihl);
		p->dport = get_be16(h + ihl + 2);
	}
}

static bool nf_dev_is(const struct net_device *dev, const char *name)
{
	return dev && !strncmp(dev->name, name, IFNAMSIZ);
}

static bool nf_ip_matches(const struct nf_rule *r, const struct nf_pkt *p)
{
	if ((r->match & NF_MATCH_PROTO) && p->proto != r->proto)
		return false;
	if ((r->match & NF_MATCH_SRC) && (p->saddr & r->src_mask) != r->src)
		return false;
	if ((r->match & NF_MATCH_DST) && (p->daddr & r->dst_mask) != r->dst)
		return false;
	if ((r->match & (NF_MATCH_SPORT | NF_MATCH_DPORT)) && !p->ports)
		return false;
	if ((r->match & NF_MATCH_SPORT) && (p->sport < r->sport_lo || p->sport > r->sport_hi))
		return false;
	if ((r->match & NF_MATCH_DPORT) && (p->dport < r->dport_lo || p->dport > r->dport_hi))
		return false;
	return true;
}

static bool nf_rule_matches(const struct nf_rule *r, const struct nf_pkt *p,
			    const struct net_device *in, const struct net_device *out)
{
	const uint8_t ip_tests = NF_MATCH_PROTO | NF_MATCH_SRC | NF_MATCH_DST |
				 NF_MATCH_SPORT | NF_MATCH_DPORT;

	if ((r->match & NF_MATCH_IIF) && !nf_dev_is(in, r->iif))
		return false;
	if ((r->match & NF_MATCH_OIF) && !nf_dev_is(out, r->oif))
		return false;
	if (!(r->match & ip_tests))
		return true;
	return p->ip && nf_ip_matches(r, p);
}

bool nf_hook_active(unsigned int hook)
{
	return hook < NF_INET_NUMHOOKS &&
	       (hook_rules[hook] || chains[hook].policy != NF_ACCEPT);
}

int nf_hook_slow(unsigned int pf, unsigned int hook, struct sk_buff *skb,
		 struct net_device *in, struct net_device *out)
{
	struct nf_chain *c;
	struct nf_pkt p;
	unsigned int i;
	int verdict;

	if (pf != NFPROTO_IPV4 || hook >= NF_INET_NUMHOOKS)
		return NF_ACCEPT;
	nf_parse_ipv4(skb, &p);
	if (!p.ip)
		nf_stats.unparsed++;
	for (i = 0; i < nrules; i++) {
		struct nf_rule *r = &rules[i];

		if (r->hook != hook || !nf_rule_matches(r, &p, in, out))
			continue;
		r->packets++;
		r->bytes += skb->len;
		verdict = r->verdict;
		goto out;
	}
	c = &chains[hook];
	c->policy_packets++;
	c->policy_bytes += skb->len;
	verdict = c->policy;
out:
	if (verdict == NF_DROP)
		nf_stats.dropped[hook]++;
	return verdict;
}

int nf_rule_add(const struct nf_rule *r)
{
	if (r->hook >= NF_INET_NUMHOOKS || r->verdict > NF_ACCEPT)
		return -EINVAL;
	if (nrules >= NF_MAX_RULES)
		return -ENOSPC;
	rules[nrules] = *r;
	rules[nrules].packets = rules[nrules].bytes = 0;
	nrules++;
	hook_rules[r->hook]++;
	return 0;
}

int nf_set_policy(unsigned int hook, unsigned int verdict)
{
	if (hook >= NF_INET_NUMHOOKS || verdict > NF_ACCEPT)
		return -EINVAL;
	chains[hook].policy = (uint8_t)verdict;
	return 0;
}

void nf_flush(void)
{
	unsigned int h;

	nrules = 0;
	memset(rules, 0, sizeof(rules));
	memset(&nf_stats, 0, sizeof(nf_stats));
	for (h = 0; h < NF_INET_NUMHOOKS; h++) {
		chains[h] = (struct nf_chain){ .policy = NF_ACCEPT };
		hook_rules[h] = 0;
	}
}

unsigned int nf_rule_count(void)
{
	return nrules;
}

const struct nf_rule *nf_rule_get(unsigned int i)
{
	return i < nrules ? &rules[i] : NULL;
}

const struct nf_chain *nf_chain_get(unsigned int hook)
{
	return hook < NF_INET_NUMHOOKS ? &chains[hook] : NULL;
}

const struct nf_stats *nf_get_stats(void)
{
	return &nf_stats;
}
