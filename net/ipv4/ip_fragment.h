/*
 * IPv4 reassembly (ip_defrag), as in Linux's ip_fragment.c: one queue per
 * (saddr, daddr, id, protocol) holding the fragments sorted by offset.
 *
 * Policy (RFC 791 with RFC 5722's rule applied to IPv4, as Linux does):
 *  - a fragment that repeats an earlier one exactly (same offset and end)
 *    is a duplicate: it is dropped and the queue kept;
 *  - any other overlap discards the whole datagram (teardrop-style
 *    rewrites never reach a transport);
 *  - a non-last fragment whose data is not a multiple of 8 bytes, an empty
 *    fragment, or lengths that contradict the last fragment: the fragment
 *    (bad length) or the queue (contradiction) is dropped;
 *  - a queue lives IPFRAG_TIMEOUT_NS from its first fragment; on expiry,
 *    if fragment zero arrived, an ICMP time exceeded (reassembly) goes to
 *    the sender (RFC 792: "If fragment zero is not available then no time
 *    exceeded need be sent at all");
 *  - fragments in all queues may hold at most IPFRAG_HIGH_THRESH bytes
 *    (skb truesize); past it, the oldest queues are evicted down to
 *    IPFRAG_LOW_THRESH (Linux's ip_evictor).
 * Counters: ReasmReqds per fragment, ReasmOKs, ReasmFails (with the split
 * ReasmOverlaps, ReasmBadLen, ReasmEvictions, ReasmNoMem, ReasmTimeout),
 * ReasmDuplicates.
 *
 * Context: softirq (ip_local_deliver, timers).
 */
#ifndef SYNACK_NET_IPV4_IP_FRAGMENT_H
#define SYNACK_NET_IPV4_IP_FRAGMENT_H

#include <stddef.h>
#include <stdint.h>

struct sk_buff;

#define IPFRAG_TIMEOUT_NS	(30ull * 1000000000ull)
#define IPFRAG_HIGH_THRESH	(4u << 20)
#define IPFRAG_LOW_THRESH	(3u << 20)

/*
 * Takes a fragment (IPCB set, data at its IPv4 header).  Returns the
 * reassembled datagram (a new skb, IPCB describing a whole datagram) when
 * this fragment completes it, else NULL: the fragment was queued or
 * dropped.  Consumes skb either way.
 */
struct sk_buff *ip_defrag(struct sk_buff *skb);

/* Bytes (truesize) held by all queues, and the number of queues. */
size_t ip_frag_mem(void);
size_t ip_frag_nqueues(void);

/* Drops every queue (no ICMP); for shutdown and tests. */
void ip_frag_flush(void);

#endif
