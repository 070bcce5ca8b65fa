/*
 * sk_buff: one packet, and the queues that hold packets.
 *
 * Geometry (one linear buffer, and for a transmitted TCP payload maybe a
 * frag list):
 *
 *     head          data                 tail           end
 *      |  headroom   |   linear part      |  tailroom    | shared info |
 *
 * A nonlinear skb (only built for devices with NETIF_F_SG) continues after
 * tail with the linear parts of the skbs on frag_list, in order, linked by
 * next: len counts them all, data_len the frag list's share, so
 * skb_headlen() = tail - data.  The frag skbs are clones of write-queue
 * skbs: the payload is referenced, not copied, and stays alive while the
 * device holds the packet.  Headers are always in the linear part; skb_put
 * and skb_trim refuse a nonlinear skb, skb_pull stays inside the linear
 * part, skb_copy makes a linear copy.
 *
 * skb_reserve moves data and tail forward on an empty skb; skb_push grows
 * the packet at the front (a lower layer adds its header), skb_pull drops
 * bytes at the front (a layer consumes its header), skb_put grows it at the
 * back, skb_trim cuts it at the back.  A protocol that sends allocates
 * alloc_skb(MAX_HEADER + payload) and skb_reserve(skb, MAX_HEADER), so every
 * header below it fits without a copy; a driver allocates receive buffers
 * with netdev_alloc_skb, which reserves NET_SKB_PAD.
 *
 * Header positions (mac, network, transport) are offsets from head, so
 * they survive a reallocation; SKB_HDR_UNSET until a layer sets them.
 *
 * Sharing: skb_clone makes a second sk_buff over the same data buffer (the
 * buffer's dataref counts the users); both are then "cloned" and must not
 * write packet bytes.  A writer first calls skb_unshare (whole packet) or
 * skb_cow_head (headers only) to get private data.  skb_copy is a deep copy.
 * An skb over static memory (alloc_skb_static, ext_data) counts as cloned
 * for good, so the same calls copy it.
 *
 * OWNERSHIP RULE: a function that takes an skb and passes it on — transmit,
 * receive, enqueue, a protocol handler, kfree_skb — consumes it, on success
 * and on error; the caller must not touch it afterwards.  The one exception
 * is a driver's ndo_start_xmit returning NETDEV_TX_BUSY (netdevice.h).
 * Helpers that edit an skb in place (put/push/pull/trim/expand) do not.
 *
 * Accounting: every skb and data buffer is counted in skb_accounting();
 * tests compare it with a baseline taken before the traffic.
 *
 * Context: any, with bottom halves disabled or in softirq (one CPU).
 */
#ifndef SYNACK_NET_CORE_SKBUFF_H
#define SYNACK_NET_CORE_SKBUFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct net_device;
struct sk_buff;
struct sock;

/* Frags a nonlinear skb has at most (a GSO skb of 64 KiB in full-MSS
 * write-queue skbs); drivers with NETIF_F_SG size their rings for it. */
#define MAX_SKB_FRAGS	48

/* Room kept in front of received data so a driver's buffer is aligned. */
#define NET_SKB_PAD	64
/* Link layer (Ethernet 14 + virtio-net header 12, rounded) + IPv4 with
 * options (60) + TCP with options (60), rounded up to a cache line. */
#define LL_MAX_HEADER	32
#define MAX_HEADER	192

#define SKB_HDR_UNSET	0xffffffffu

/* skb->pkt_type: who the frame was addressed to (set by eth_type_trans). */
enum skb_pkt_type {
	PACKET_HOST,		/* to us */
	PACKET_BROADCAST,
	PACKET_MULTICAST,
	PACKET_OTHERHOST,	/* to someone else (promiscuous) */
	PACKET_OUTGOING,	/* a copy of a frame we send (taps) */
	PACKET_LOOPBACK,
};

/* skb->ip_summed: what is known about the transport checksum. */
enum skb_csum {
	CHECKSUM_NONE,		/* RX: not verified; TX: already complete */
	CHECKSUM_UNNECESSARY,	/* RX: the device verified it */
	CHECKSUM_PARTIAL,	/* TX: device (or dev layer) fills it in:
				 * sum from csum_start, store at
				 * csum_start + csum_offset */
};

/*
 * The route a packet follows.  net/ipv4 embeds this as the first member of
 * its route entry.  An skb holds one reference (skb_dst_set hands it over;
 * clones take another); the last dst_release calls destroy.
 */
struct dst_entry {
	struct net_device *dev;			/* output device */
	int (*input)(struct sk_buff *skb);	/* consumes skb */
	int (*output)(struct sk_buff *skb);	/* consumes skb */
	void (*destroy)(struct dst_entry *dst);	/* may be NULL (static entries) */
	unsigned int refcnt;
	unsigned int mtu;
};

static inline struct dst_entry *dst_hold(struct dst_entry *dst)
{
	dst->refcnt++;
	return dst;
}

static inline void dst_release(struct dst_entry *dst)
{
	if (dst && --dst->refcnt == 0 && dst->destroy)
		dst->destroy(dst);
}

struct sk_buff {
	struct sk_buff *next;		/* queue links: valid while on a queue */
	struct sk_buff *prev;
	struct net_device *dev;		/* arrived on / leaves through */
	struct sock *sk;		/* owning socket, opaque here */
	void (*destructor)(struct sk_buff *skb);	/* socket memory accounting */
	struct dst_entry *dst;		/* see skb_dst_set */
	uint64_t tstamp_ns;		/* arrival time (net_now_ns), 0 if unset */

	/* Private to the layer that owns the skb right now. */
	char cb[48] __attribute__((aligned(8)));

	unsigned int len;		/* tail - data */
	unsigned int truesize;		/* memory charged: struct + buffer */
	uint32_t priority;		/* qdisc band selection (TC_PRIO_*) */
	uint32_t mark;			/* free for netfilter/policy use */
	uint32_t mac_header;		/* offsets from head, or SKB_HDR_UNSET */
	uint32_t network_header;
	uint32_t transport_header;
	uint16_t protocol;		/* ethertype, network byte order */
	uint16_t csum_start;		/* CHECKSUM_PARTIAL: offset from head */
	uint16_t csum_offset;		/* ... of the checksum field from csum_start */
	uint16_t gso_size;		/* GSO: payload bytes per segment; 0: not GSO */
	uint16_t gso_segs;		/* GSO: segments the device makes of it */
	uint8_t pkt_type;		/* enum skb_pkt_type */
	uint8_t ip_summed;		/* enum skb_csum */
	bool cloned;			/* data may be shared with another skb */
	bool ext_data;			/* data is the caller's static memory
					 * (alloc_skb_static): read-only, never freed */
	unsigned int data_len;		/* bytes on frag_list (0: linear) */
	struct sk_buff *frag_list;	/* nonlinear payload, owned (see the top) */

	unsigned char *head;
	unsigned char *data;
	unsigned char *tail;
	unsigned char *end;
};

/* Global accounting, for tests and /metrics. */
struct skb_accounting {
	uint64_t skbs_alive;		/* sk_buff structs allocated, not freed */
	uint64_t data_alive;		/* data buffers allocated, not freed */
	uint64_t data_bytes;		/* bytes in those buffers */
	uint64_t allocs;		/* total sk_buff allocations */
	uint64_t alloc_failures;	/* allocations that returned NULL */
};
const struct skb_accounting *skb_accounting(void);

/* Allocation and release.  size is the data room (headroom included). */
struct sk_buff *alloc_skb(unsigned int size);
/* A receive buffer for dev: len bytes of room after NET_SKB_PAD. */
struct sk_buff *netdev_alloc_skb(struct net_device *dev, unsigned int len);
/* An skb whose data is len bytes at data, which the caller guarantees
 * stay valid and unchanged for the kernel's lifetime (static or const
 * memory): referenced, not copied, and never freed.  It counts as cloned
 * (skb_cloned), so every writer copies first; it has no headroom to push
 * into and no tailroom.  NULL on OOM. */
struct sk_buff *alloc_skb_static(const void *data, unsigned int len);
void kfree_skb(struct sk_buff *skb);		/* NULL is a no-op */
/* Same as kfree_skb; says "delivered", not "dropped" (drivers' TX reclaim). */
void consume_skb(struct sk_buff *skb);

struct sk_buff *skb_clone(struct sk_buff *skb);	/* shares data; NULL on OOM */
struct sk_buff *skb_copy(const struct sk_buff *skb);	/* private data, same geometry */
/* Returns skb itself if its data is private, else a private copy and frees
 * skb.  Consumes skb; NULL on OOM (skb freed). */
struct sk_buff *skb_unshare(struct sk_buff *skb);
/* Reallocates the buffer with nhead more headroom and ntail more tailroom;
 * the data becomes private.  0 or -ENOMEM (skb unchanged). */
int skb_expand_head(struct sk_buff *skb, unsigned int nhead, unsigned int ntail);
/* Makes the headers writable with at least headroom bytes in front of data.
 * 0 or -ENOMEM (skb unchanged). */
int skb_cow_head(struct sk_buff *skb, unsigned int headroom);

/* Drops the socket owner: runs the destructor, clears sk. */
void skb_orphan(struct sk_buff *skb);

static inline void skb_dst_set(struct sk_buff *skb, struct dst_entry *dst)
{
	dst_release(skb->dst);
	skb->dst = dst;
}

static inline struct dst_entry *skb_dst(const struct sk_buff *skb)
{
	return skb->dst;
}

/*
 * GSO (generic segmentation offload): one TCP/IPv4 skb, CHECKSUM_PARTIAL,
 * whose payload the device cuts into gso_segs segments of gso_size bytes
 * (the last may be shorter), each with copies of the headers: IP total
 * length and ID, TCP sequence number and checksum adjusted; FIN and PSH
 * only on the last.  Only devices with NETIF_F_TSO receive them.
 */
static inline bool skb_is_gso(const struct sk_buff *skb)
{
	return skb->gso_size != 0;
}

/* Marks skb CHECKSUM_PARTIAL: the device sums from start (bytes from data)
 * to the end and stores the result at start + off. */
static inline void skb_partial_csum_set(struct sk_buff *skb, unsigned int start, unsigned int off)
{
	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_start = (uint16_t)(skb->data - skb->head + start);
	skb->csum_offset = (uint16_t)off;
}

/* True if the data buffer is shared with another skb. */
bool skb_cloned(const struct sk_buff *skb);

static inline bool skb_is_nonlinear(const struct sk_buff *skb)
{
	return skb->data_len != 0;
}

/* Bytes in the linear part. */
static inline unsigned int skb_headlen(const struct sk_buff *skb)
{
	return skb->len - skb->data_len;
}

/* Appends frag (consumed; linear, not on a queue) to skb's frag list; the
 * caller keeps to MAX_SKB_FRAGS. */
void skb_add_frag(struct sk_buff *skb, struct sk_buff *frag);

/* Geometry. */
static inline unsigned int skb_headroom(const struct sk_buff *skb)
{
	return (unsigned int)(skb->data - skb->head);
}

static inline unsigned int skb_tailroom(const struct sk_buff *skb)
{
	if (skb->ext_data)
		return 0;
	return (unsigned int)(skb->end - skb->tail);
}

static inline unsigned char *skb_tail_pointer(const struct sk_buff *skb)
{
	return skb->tail;
}

/* Only on an empty skb: moves data and tail forward by len. */
void skb_reserve(struct sk_buff *skb, unsigned int len);
/* Appends len bytes; returns their start, or NULL (no change) if the
 * tailroom is short or skb is nonlinear. */
void *skb_put(struct sk_buff *skb, unsigned int len);
void *skb_put_data(struct sk_buff *skb, const void *src, unsigned int len);
void *skb_put_zero(struct sk_buff *skb, unsigned int len);
/* Prepends len bytes; returns the new data.  NULL if no headroom or
 * the data is static (alloc_skb_static). */
void *skb_push(struct sk_buff *skb, unsigned int len);
/* Removes len bytes at the front; returns the new data.  NULL (and no
 * change) if the linear part is shorter than len. */
void *skb_pull(struct sk_buff *skb, unsigned int len);
/* Cuts the packet to len bytes (no-op if already shorter, or nonlinear). */
void skb_trim(struct sk_buff *skb, unsigned int len);

/* True if the first len bytes at data are present in the linear part; call
 * it before casting data to a header. */
static inline bool skb_may_pull(const struct sk_buff *skb, unsigned int len)
{
	return len <= skb_headlen(skb);
}

/* Copies len bytes at offset (from data) out of the packet; 0 or -EFAULT. */
int skb_copy_bits(const struct sk_buff *skb, unsigned int offset, void *to,
		  unsigned int len);

/* Header offsets. */
static inline void skb_reset_mac_header(struct sk_buff *skb)
{
	skb->mac_header = (uint32_t)(skb->data - skb->head);
}

static inline void skb_reset_network_header(struct sk_buff *skb)
{
	skb->network_header = (uint32_t)(skb->data - skb->head);
}

static inline void skb_reset_transport_header(struct sk_buff *skb)
{
	skb->transport_header = (uint32_t)(skb->data - skb->head);
}

static inline void skb_set_network_header(struct sk_buff *skb, int offset)
{
	skb->network_header = (uint32_t)(skb->data - skb->head + offset);
}

static inline void skb_set_transport_header(struct sk_buff *skb, int offset)
{
	skb->transport_header = (uint32_t)(skb->data - skb->head + offset);
}

static inline bool skb_mac_header_was_set(const struct sk_buff *skb)
{
	return skb->mac_header != SKB_HDR_UNSET;
}

static inline bool skb_transport_header_was_set(const struct sk_buff *skb)
{
	return skb->transport_header != SKB_HDR_UNSET;
}

static inline unsigned char *skb_mac_header(const struct sk_buff *skb)
{
	return skb->head + skb->mac_header;
}

static inline unsigned char *skb_network_header(const struct sk_buff *skb)
{
	return skb->head + skb->network_header;
}

static inline unsigned char *skb_transport_header(const struct sk_buff *skb)
{
	return skb->head + skb->transport_header;
}

/* Offset of a header from data (negative once it has been pulled). */
static inline int skb_network_offset(const struct sk_buff *skb)
{
	return (int)(skb_network_header(skb) - skb->data);
}

static inline int skb_transport_offset(const struct sk_buff *skb)
{
	return (int)(skb_transport_header(skb) - skb->data);
}

/* Bytes from the MAC header to tail: the frame's linear part (the whole
 * frame unless nonlinear). */
static inline unsigned int skb_mac_len_to_tail(const struct sk_buff *skb)
{
	return (unsigned int)(skb->tail - skb_mac_header(skb));
}

/*
 * Queues: a doubly linked list, NULL at both ends; next is the first skb,
 * prev the last.  An skb is on at most one queue at a time.  Dequeue
 * returns NULL on an empty queue.
 */
struct sk_buff_head {
	struct sk_buff *next;		/* first */
	struct sk_buff *prev;		/* last */
	uint32_t qlen;
};

void skb_queue_head_init(struct sk_buff_head *list);
void skb_queue_head(struct sk_buff_head *list, struct sk_buff *skb);
void skb_queue_tail(struct sk_buff_head *list, struct sk_buff *skb);
struct sk_buff *skb_dequeue(struct sk_buff_head *list);
struct sk_buff *skb_dequeue_tail(struct sk_buff_head *list);
/* Removes skb, which must be on list. */
void skb_unlink(struct sk_buff *skb, struct sk_buff_head *list);
/* Frees every skb on the queue. */
void skb_queue_purge(struct sk_buff_head *list);

static inline uint32_t skb_queue_len(const struct sk_buff_head *list)
{
	return list->qlen;
}

static inline bool skb_queue_empty(const struct sk_buff_head *list)
{
	return list->next == NULL;
}

/* First skb without removing it, or NULL. */
static inline struct sk_buff *skb_peek(const struct sk_buff_head *list)
{
	return list->next;
}

/* Walks a queue; the body must not unlink skb. */
#define skb_queue_walk(queue, skb) \
	for ((skb) = (queue)->next; (skb); (skb) = (skb)->next)

#endif
