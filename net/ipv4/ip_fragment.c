/*
 * IPv4 reassembly (see ip_fragment.h for the policy).
 *
 * Each queue sits on a hash chain (lookup) and on an age-ordered list
 * (eviction takes the oldest).  A queued fragment keeps its whole skb;
 * its place in the queue (offset, end, next) lives in skb->cb after the
 * IP layer's IPCB.  Completion copies the fragments into one linear skb.
 *
 * Context: softirq.
 */
#include "net/ipv4/ip_fragment.h"

#include "kernel/lib/string.h"
#include "net/core/checksum.h"
#include "net/core/skbuff.h"
#include "net/ipv4/icmp.h"
#include "net/ipv4/ip.h"
#include "net/ipv4/snmp.h"
#include "net/platform.h"

#define IPQ_HASH_SIZE	64u
#define IPQ_FIRST_IN	0x1
#define IPQ_LAST_IN	0x2

struct ipq {
	struct ipq *hash_next;
	struct ipq *age_next, *age_prev;	/* oldest at age_head */
	uint32_t saddr, daddr;
	uint16_t id;
	uint8_t protocol;
	uint8_t flags;
	uint32_t len;			/* payload length, known once LAST_IN */
	uint32_t meat;			/* payload bytes received */
	unsigned int mem;		/* truesize of the fragments held */
	struct sk_buff *fragments;	/* sorted by offset, disjoint */
	struct net_timer timer;
};

struct ipfrag_skb_cb {
	struct inet_skb_parm ip;
	struct sk_buff *next_frag;
	uint32_t offset, end;		/* payload bytes [offset, end) */
};
_Static_assert(sizeof(struct ipfrag_skb_cb) <= sizeof(((struct sk_buff *)0)->cb),
	       "fragment cb fits skb->cb");

static inline struct ipfrag_skb_cb *FRAG_CB(struct sk_buff *skb)
{
	return (struct ipfrag_skb_cb *)skb->cb;
}

static struct ipq *ipq_hash[IPQ_HASH_SIZE];
static struct ipq *age_head, *age_tail;
static size_t ipfrag_mem, ipfrag_nqueues;

static unsigned int ipq_hashfn(uint32_t saddr, uint32_t daddr, uint16_t id, uint8_t proto)
{
	uint64_t h = ((uint64_t)saddr << 32 | daddr) ^ ((uint64_t)id << 8 | proto);

	h *= 0x9e3779b97f4a7c15ull;
	return (unsigned int)(h >> 58) % IPQ_HASH_SIZE;
}

static void ipq_unlink(struct ipq *q)
{
	struct ipq **pp = &ipq_hash[ipq_hashfn(q->saddr, q->daddr, q->id, q->protocol)];

	while (*pp != q)
		pp = &(*pp)->hash_next;
	*pp = q->hash_next;
	if (q->age_prev)
		q->age_prev->age_next = q->age_next;
	else
		age_head = q->age_next;
	if (q->age_next)
		q->age_next->age_prev = q->age_prev;
	else
		age_tail = q->age_prev;
}

/* Frees q and its fragments (the caller counted why). */
static void ipq_kill(struct ipq *q)
{
	struct sk_buff *skb = q->fragments;

	net_timer_del(&q->timer);
	ipq_unlink(q);
	while (skb) {
		struct sk_buff *next = FRAG_CB(skb)->next_frag;

		kfree_skb(skb);
		skb = next;
	}
	ipfrag_mem -= q->mem;
	ipfrag_nqueues--;
	net_free(q);
}

static void ipq_fail(struct ipq *q)
{
	IP_INC_STATS(ReasmFails);
	ipq_kill(q);
}

static void ip_expire(struct net_timer *t)
{
	struct ipq *q = (struct ipq *)((char *)t - offsetof(struct ipq, timer));

	IP_INC_STATS(ReasmTimeout);
	/* RFC 792: time exceeded code 1 only if fragment zero arrived; it
	 * is then first on the list. */
	if (q->flags & IPQ_FIRST_IN)
		icmp_send(q->fragments, ICMP_TIME_EXCEEDED, ICMP_EXC_FRAGTIME, 0);
	ipq_fail(q);
}

/* Drops the oldest queues until memory is below the low threshold. */
static void ip_evictor(void)
{
	while (ipfrag_mem > IPFRAG_LOW_THRESH && age_head) {
		IP_INC_STATS(ReasmEvictions);
		ipq_fail(age_head);
	}
}

static struct ipq *ip_find(const struct ip4_hdr_info *h)
{
	unsigned int hash = ipq_hashfn(h->saddr, h->daddr, h->id, h->protocol);
	struct ipq *q;

	for (q = ipq_hash[hash]; q; q = q->hash_next)
		if (q->saddr == h->saddr && q->daddr == h->daddr && q->id == h->id &&
		    q->protocol == h->protocol)
			return q;
	q = net_alloc(sizeof(*q));
	if (!q)
		return NULL;
	q->saddr = h->saddr;
	q->daddr = h->daddr;
	q->id = h->id;
	q->protocol = h->protocol;
	q->hash_next = ipq_hash[hash];
	ipq_hash[hash] = q;
	q->age_prev = age_tail;
	if (age_tail)
		age_tail->age_next = q;
	else
		age_head = q;
	age_tail = q;
	ipfrag_nqueues++;
	net_timer_init(&q->timer, ip_expire);
	net_timer_mod(&q->timer, net_now_ns() + IPFRAG_TIMEOUT_NS);
	return q;
}

enum frag_verdict { FRAG_QUEUED, FRAG_DROP, FRAG_KILL };

/* Checks the fragment's extent against what the queue knows about the
 * datagram's length; updates that knowledge. */
static enum frag_verdict ip_frag_check_len(struct ipq *q, const struct ip4_hdr_info *h,
					   uint32_t offset, uint32_t end)
{
	if (end == offset) {
		IP_INC_STATS(ReasmBadLen);
		return FRAG_DROP;
	}
	if (!h->mf) {
		/* The last fragment fixes the length; nothing may lie past
		 * it, and a second last fragment must agree. */
		if (end < q->len || ((q->flags & IPQ_LAST_IN) && end != q->len)) {
			IP_INC_STATS(ReasmBadLen);
			return FRAG_KILL;
		}
		q->flags |= IPQ_LAST_IN;
		q->len = end;
		return FRAG_QUEUED;
	}
	/* RFC 791 3.2: fragments other than the last carry "a multiple of
	 * 8 octets" of data. */
	if (end & 7) {
		IP_INC_STATS(ReasmBadLen);
		return FRAG_DROP;
	}
	if (end > q->len) {
		if (q->flags & IPQ_LAST_IN) {
			IP_INC_STATS(ReasmBadLen);
			return FRAG_KILL;
		}
		q->len = end;
	}
	return FRAG_QUEUED;
}

/* Inserts skb in offset order; a partial overlap kills the queue, an
 * exact repeat is dropped. */
static enum frag_verdict ip_frag_insert(struct ipq *q, struct sk_buff *skb,
					uint32_t offset, uint32_t end)
{
	struct sk_buff **pp = &q->fragments;

	for (; *pp; pp = &FRAG_CB(*pp)->next_frag) {
		const struct ipfrag_skb_cb *f = FRAG_CB(*pp);

		if (f->offset >= end)
			break;
		if (f->end <= offset)
			continue;
		if (f->offset == offset && f->end == end) {
			IP_INC_STATS(ReasmDuplicates);
			return FRAG_DROP;
		}
		IP_INC_STATS(ReasmOverlaps);
		return FRAG_KILL;
	}
	FRAG_CB(skb)->offset = offset;
	FRAG_CB(skb)->end = end;
	FRAG_CB(skb)->next_frag = *pp;
	*pp = skb;
	return FRAG_QUEUED;
}

static enum frag_verdict ip_frag_queue(struct ipq *q, struct sk_buff *skb)
{
	const struct ip4_hdr_info *h = &IPCB(skb)->hdr;
	uint32_t offset = h->frag_off;
	uint32_t end = offset + h->tot_len - h->hdr_len;
	enum frag_verdict v;

	v = ip_frag_check_len(q, h, offset, end);
	if (v != FRAG_QUEUED)
		return v;
	v = ip_frag_insert(q, skb, offset, end);
	if (v != FRAG_QUEUED)
		return v;
	if (offset == 0)
		q->flags |= IPQ_FIRST_IN;
	q->meat += end - offset;
	q->mem += skb->truesize;
	ipfrag_mem += skb->truesize;
	return FRAG_QUEUED;
}

/* Builds the whole datagram from a complete queue; NULL on failure. */
static struct sk_buff *ip_frag_reasm(struct ipq *q)
{
	struct sk_buff *first = q->fragments;
	unsigned int hlen = IPCB(first)->hdr.hdr_len;
	struct sk_buff *skb;
	struct iphdr *iph;

	if (hlen + q->len > IP_MAX_PACKET) {
		IP_INC_STATS(ReasmBadLen);
		return NULL;
	}
	skb = alloc_skb(NET_SKB_PAD + hlen + q->len);
	if (!skb) {
		IP_INC_STATS(ReasmNoMem);
		return NULL;
	}
	skb_reserve(skb, NET_SKB_PAD);
	skb_put_data(skb, first->data, hlen);
	for (struct sk_buff *f = first; f; f = FRAG_CB(f)->next_frag)
		skb_put_data(skb, f->data + IPCB(f)->hdr.hdr_len,
			     FRAG_CB(f)->end - FRAG_CB(f)->offset);
	skb_reset_network_header(skb);
	iph = ip_hdr(skb);
	put_be16(&iph->tot_len, (uint16_t)(hlen + q->len));
	put_be16(&iph->frag_off, (uint16_t)(get_be16(&iph->frag_off) & IP_DF));
	iph->check = 0;
	iph->check = ip_fast_csum(iph, hlen / 4);
	*IPCB(skb) = *IPCB(first);
	IPCB(skb)->hdr.tot_len = (uint16_t)(hlen + q->len);
	IPCB(skb)->hdr.mf = false;
	IPCB(skb)->hdr.frag_off = 0;
	skb->dev = first->dev;
	skb->pkt_type = first->pkt_type;
	skb->protocol = first->protocol;
	skb->tstamp_ns = first->tstamp_ns;
	if (skb_dst(first))
		skb_dst_set(skb, dst_hold(skb_dst(first)));
	return skb;
}

struct sk_buff *ip_defrag(struct sk_buff *skb)
{
	struct sk_buff *whole;
	struct ipq *q;

	IP_INC_STATS(ReasmReqds);
	if (ipfrag_mem > IPFRAG_HIGH_THRESH)
		ip_evictor();
	q = ip_find(&IPCB(skb)->hdr);
	if (!q) {
		IP_INC_STATS(ReasmNoMem);
		IP_INC_STATS(ReasmFails);
		kfree_skb(skb);
		return NULL;
	}
	switch (ip_frag_queue(q, skb)) {
	case FRAG_DROP:
		kfree_skb(skb);
		return NULL;
	case FRAG_KILL:
		kfree_skb(skb);
		ipq_fail(q);
		return NULL;
	case FRAG_QUEUED:
		break;
	}
	if (q->flags != (IPQ_FIRST_IN | IPQ_LAST_IN) || q->meat != q->len)
		return NULL;
	whole = ip_frag_reasm(q);
	if (!whole) {
		ipq_fail(q);
		return NULL;
	}
	IP_INC_STATS(ReasmOKs);
	ipq_kill(q);
	return whole;
}

size_t ip_frag_mem(void)
{
	return ipfrag_mem;
}

size_t ip_frag_nqueues(void)
{
	return ipfrag_nqueues;
}

void ip_frag_flush(void)
{
	while (age_head)
		ipq_kill(age_head);
}
