/*
 * IPv4: the wire header, its parse and emit functions, and the entry points
 * of the input and output paths (ip_input.c, ip_output.c).
 *
 * Wire discipline: struct iphdr is the on-wire layout (network byte order
 * fields).  ip4_parse validates a header once and returns a decoded
 * struct ip4_hdr_info in host byte order; everything after it trusts the
 * info.  ip4_emit is the mirror.  Above these two functions IPv4
 * addresses are host-order uint32_t everywhere (routes, neighbours,
 * transports); sockets convert at their edge.
 *
 * Ownership: every function here that takes an skb consumes it.
 *
 * Context: softirq, or a thread with bottom halves disabled.
 */
#ifndef SYNACK_NET_IPV4_IP_H
#define SYNACK_NET_IPV4_IP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/core/byteorder.h"

#include "net/core/netdevice.h"
#include "net/core/skbuff.h"

struct rtable;

struct iphdr {
	uint8_t ver_ihl;	/* version << 4 | header length in words */
	uint8_t tos;
	uint16_t tot_len;
	uint16_t id;
	uint16_t frag_off;	/* flags << 13 | offset in 8-byte units */
	uint8_t ttl;
	uint8_t protocol;
	uint16_t check;
	uint32_t saddr;
	uint32_t daddr;
} __attribute__((packed));
_Static_assert(sizeof(struct iphdr) == 20, "IPv4 header is 20 bytes without options");

#define IP_HDR_LEN	20u
#define IP_MAX_HDR_LEN	60u
#define IP_MAX_PACKET	65535u
#define IP_DEFAULT_TTL	64u

#define IP_CE		0x8000u	/* "evil" bit, must be zero (RFC 791 reserved) */
#define IP_DF		0x4000u
#define IP_MF		0x2000u
#define IP_OFFSET	0x1fffu

#define IPPROTO_ICMP	1
#define IPPROTO_TCP	6
#define IPPROTO_UDP	17

#define INADDR_ANY		0x00000000u
#define INADDR_BROADCAST	0xffffffffu
#define INADDR_LOOPBACK		0x7f000001u

static inline bool ipv4_is_loopback(uint32_t a) { return (a >> 24) == 127; }
static inline bool ipv4_is_multicast(uint32_t a) { return (a >> 28) == 0xe; }
static inline bool ipv4_is_lbcast(uint32_t a) { return a == INADDR_BROADCAST; }
static inline bool ipv4_is_zeronet(uint32_t a) { return (a >> 24) == 0; }

/* A validated header, host byte order. */
struct ip4_hdr_info {
	uint8_t hdr_len;	/* bytes, 20..60 */
	uint8_t tos;
	uint16_t tot_len;	/* header + payload, <= the buffer */
	uint16_t id;
	uint16_t frag_off;	/* offset of the payload in bytes */
	bool df, mf;
	uint8_t ttl;
	uint8_t protocol;
	uint32_t saddr, daddr;
};

/* Each parse failure is its own reason, so each can be its own counter. */
enum ip4_parse_err {
	IP4_ERR_TRUNCATED = 1,	/* fewer than 20 bytes */
	IP4_ERR_VERSION,	/* version != 4 */
	IP4_ERR_IHL,		/* IHL < 5 or header beyond the buffer */
	IP4_ERR_LEN,		/* total length < IHL or beyond the buffer */
	IP4_ERR_CSUM,		/* header checksum does not verify */
	IP4_ERR_FRAG,		/* offset + payload beyond 65535, or evil bit */
};

/* Validates the header at buf (len bytes available).  Returns 0 and fills
 * info, or a negative enum ip4_parse_err.  Options are accepted and
 * skipped (hdr_len covers them). */
int ip4_parse(const void *buf, size_t len, struct ip4_hdr_info *info);

/* Decodes the IPv4 header quoted inside an ICMP error: version and IHL
 * are checked and the header must be present, but the quote may be cut
 * short of tot_len and the checksum is not verified.  Same returns. */
int ip4_parse_quoted(const void *buf, size_t len, struct ip4_hdr_info *info);

/* Writes a 20-byte header (no options) with its checksum from info
 * (hdr_len is taken as 20).  Returns the bytes written. */
size_t ip4_emit(const struct ip4_hdr_info *info, void *buf);

/*
 * The IP layer's view of a packet while it owns the skb: the parsed header
 * (ip_rcv fills it; ip_defrag refreshes it for a reassembled datagram).
 * Transports may reuse cb once they have read what they need.
 */
struct inet_skb_parm {
	struct ip4_hdr_info hdr;
};
_Static_assert(sizeof(struct inet_skb_parm) <= 48, "inet_skb_parm fits skb->cb");

static inline struct inet_skb_parm *IPCB(struct sk_buff *skb)
{
	return (struct inet_skb_parm *)skb->cb;
}

static inline const struct inet_skb_parm *IPCB_const(const struct sk_buff *skb)
{
	return (const struct inet_skb_parm *)skb->cb;
}

static inline struct iphdr *ip_hdr(const struct sk_buff *skb)
{
	return (struct iphdr *)skb_network_header(skb);
}

/* What a transport says about a datagram it sends. */
struct ip_tx {
	uint8_t protocol;
	uint8_t tos;
	uint8_t ttl;			/* 0: IP_DEFAULT_TTL */
	bool df;			/* don't fragment: too big is -EMSGSIZE */
};

/* Receive: the ETH_P_IP packet_type handler (registered by ip_init). */
int ip_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
	   struct net_device *orig_dev);
/* dst input of local and broadcast routes: reassembly, LOCAL_IN, then the
 * transport's handler from inet_protos[]. */
int ip_local_deliver(struct sk_buff *skb);

/*
 * Send: skb->data is at the transport header (headroom >= MAX_HEADER
 * minus what the transport used); rt comes from ip_route_output and its
 * reference passes to the skb (dst_hold first to keep one).  Builds the
 * IPv4 header from rt (addresses) and tx, then LOCAL_OUT, POST_ROUTING,
 * fragmentation above the MTU and neighbour output.  Returns 0 or a
 * negative errno (-EMSGSIZE: DF and too big, the sender also gets ICMP
 * fragmentation needed); consumes skb and the rt reference.
 */
int ip_queue_xmit(struct sk_buff *skb, struct rtable *rt, const struct ip_tx *tx);

/* Routes to daddr (source saddr, 0: choose) and sends as ip_queue_xmit.
 * Consumes skb. */
int ip_send_to(struct sk_buff *skb, uint32_t saddr, uint32_t daddr, const struct ip_tx *tx);

/* For a packet whose IPv4 header is built (network header set, skb->dst
 * set): NF LOCAL_OUT then dst output.  Consumes skb. */
int ip_local_out(struct sk_buff *skb);
/* dst output of every output route: NF POST_ROUTING, fragmentation,
 * neighbour.  Consumes skb. */
int ip_output(struct sk_buff *skb);

/* Seeds the IP ID counters and registers the ETH_P_IP handler. */
int ip_init(void);
void ip_exit(void);

#endif
