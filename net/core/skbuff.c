/*
 * sk_buff allocation, sharing and geometry (interface and rules: skbuff.h).
 *
 * Memory: the struct comes from the "skbuff_head" cache; the data buffer
 * from the "skbuff_data" cache when it fits SKB_DATA_CACHE_SIZE (every
 * Ethernet-sized frame) and from net_alloc_uninit otherwise (loopback's
 * 64 KiB frames, GSO skbs, reassembled datagrams): never zeroed, as the
 * cache's buffers are not.  A struct skb_shared_info sits at `end`
 * and counts the sk_buffs that point at the buffer (dataref).
 *
 * Invariants: head <= data <= tail <= end; len == tail - data + data_len,
 * data_len the sum of the frag list's lengths; a buffer is freed exactly
 * when its dataref drops to zero (static data, ext_data: never), a frag
 * list with the skb that owns it;
 * skb_acct counts every live struct and buffer.
 */
#include "net/core/skbuff.h"

#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "net/platform.h"

struct skb_shared_info {
	uint32_t dataref;	/* sk_buffs using this buffer */
	uint32_t size;		/* bytes allocated, shared info included */
};

#define SKB_DATA_ALIGN(x)	(((x) + 15u) & ~15u)
/* Two buffers and a slab allocator's header share a 4 KiB page, so the
 * cache grows a page at a time (a 2 KiB object would need 16 KiB slabs,
 * hard to find in a small, fragmented memory); the room left still holds
 * an Ethernet frame after NET_SKB_PAD, or a full TCP segment after
 * MAX_HEADER. */
#define SKB_DATA_CACHE_SIZE	1984u
#define SKB_MAX_ALLOC		(1u << 20)	/* larger requests are bugs: refused */

static struct skb_accounting skb_acct;
static struct net_cache *skb_head_cache;
static struct net_cache *skb_data_cache;

const struct skb_accounting *skb_accounting(void)
{
	return &skb_acct;
}

static struct skb_shared_info *skb_shinfo(const struct sk_buff *skb)
{
	return (struct skb_shared_info *)(void *)skb->end;
}

static bool skb_caches_ready(void)
{
	if (!skb_head_cache)
		skb_head_cache = net_cache_create("skbuff_head", sizeof(struct sk_buff));
	if (!skb_data_cache)
		skb_data_cache = net_cache_create("skbuff_data", SKB_DATA_CACHE_SIZE);
	return skb_head_cache && skb_data_cache;
}

/* A buffer with at least size bytes of data room; *room gets the usable size. */
static unsigned char *skb_data_alloc(unsigned int size, unsigned int *room)
{
	unsigned int total = SKB_DATA_ALIGN(size) + (unsigned int)sizeof(struct skb_shared_info);
	unsigned char *buf;
	struct skb_shared_info *sh;

	if (total <= SKB_DATA_CACHE_SIZE) {
		total = SKB_DATA_CACHE_SIZE;
		buf = net_cache_alloc(skb_data_cache);
	} else {
		buf = net_alloc_uninit(total);
	}
	if (!buf)
		return NULL;
	*room = total - (unsigned int)sizeof(struct skb_shared_info);
	sh = (struct skb_shared_info *)(void *)(buf + *room);
	sh->dataref = 1;
	sh->size = total;
	skb_acct.data_alive++;
	skb_acct.data_bytes += total;
	return buf;
}

static void skb_data_release(struct sk_buff *skb)
{
	struct skb_shared_info *sh = skb_shinfo(skb);
	uint32_t size;

	if (skb->ext_data)
		return;
	size = sh->size;
	if (--sh->dataref)
		return;
	if (size == SKB_DATA_CACHE_SIZE)
		net_cache_free(skb_data_cache, skb->head);
	else
		net_free(skb->head);
	skb_acct.data_alive--;
	skb_acct.data_bytes -= size;
}

static struct sk_buff *skb_head_alloc(void)
{
	struct sk_buff *skb = net_cache_alloc(skb_head_cache);

	if (!skb) {
		skb_acct.alloc_failures++;
		return NULL;
	}
	skb_acct.allocs++;
	skb_acct.skbs_alive++;
	return skb;
}

static void skb_head_free(struct sk_buff *skb)
{
	net_cache_free(skb_head_cache, skb);
	skb_acct.skbs_alive--;
}

/* A cleared skb head with no buffer yet, for a buffer of size bytes;
 * NULL (counted) when size is too large or nothing can be had. */
static struct sk_buff *skb_new(unsigned int size)
{
	struct sk_buff *skb;

	if (size > SKB_MAX_ALLOC || !skb_caches_ready()) {
		skb_acct.alloc_failures++;
		return NULL;
	}
	skb = skb_head_alloc();
	if (!skb)
		return NULL;
	memset(skb, 0, sizeof(*skb));
	skb->mac_header = skb->network_header = skb->transport_header = SKB_HDR_UNSET;
	return skb;
}

struct sk_buff *alloc_skb(unsigned int size)
{
	struct sk_buff *skb = skb_new(size);
	unsigned int room;

	if (!skb)
		return NULL;
	skb->head = skb_data_alloc(size, &room);
	if (!skb->head) {
		skb_head_free(skb);
		skb_acct.alloc_failures++;
		return NULL;
	}
	skb->data = skb->tail = skb->head;
	skb->end = skb->head + room;
	skb->truesize = (unsigned int)sizeof(*skb) + skb_shinfo(skb)->size;
	return skb;
}

struct sk_buff *alloc_skb_static(const void *data, unsigned int len)
{
	struct sk_buff *skb = skb_new(len);

	if (!skb)
		return NULL;
	/* Writers are kept out by skb_cloned, skb_tailroom and skb_push. */
	skb->head = skb->data = (unsigned char *)(uintptr_t)data;
	skb->tail = skb->end = skb->head + len;
	skb->len = len;
	skb->ext_data = true;
	/* Charged as if owned, so a send buffer still bounds bytes queued. */
	skb->truesize = (unsigned int)sizeof(*skb) + len;
	return skb;
}

struct sk_buff *netdev_alloc_skb(struct net_device *dev, unsigned int len)
{
	struct sk_buff *skb = alloc_skb(len + NET_SKB_PAD);

	if (!skb)
		return NULL;
	skb_reserve(skb, NET_SKB_PAD);
	skb->dev = dev;
	return skb;
}

void skb_orphan(struct sk_buff *skb)
{
	if (skb->destructor)
		skb->destructor(skb);
	skb->destructor = NULL;
	skb->sk = NULL;
}

static void skb_free_frag_list(struct sk_buff *frag)
{
	while (frag) {
		struct sk_buff *next = frag->next;

		kfree_skb(frag);
		frag = next;
	}
}

void kfree_skb(struct sk_buff *skb)
{
	if (!skb)
		return;
	skb_orphan(skb);
	skb_dst_set(skb, NULL);
	skb_free_frag_list(skb->frag_list);
	skb_data_release(skb);
	skb_head_free(skb);
}

void consume_skb(struct sk_buff *skb)
{
	kfree_skb(skb);
}

bool skb_cloned(const struct sk_buff *skb)
{
	return skb->ext_data || (skb->cloned && skb_shinfo(skb)->dataref > 1);
}

/* Clones of the frags from frag on, linked in order; NULL on OOM (none
 * left allocated) and for an empty list. */
static struct sk_buff *skb_clone_frag_list(struct sk_buff *frag, bool *oom)
{
	struct sk_buff *first = NULL, **link = &first;

	for (; frag; frag = frag->next) {
		struct sk_buff *n = skb_clone(frag);

		if (!n) {
			skb_free_frag_list(first);
			*oom = true;
			return NULL;
		}
		*link = n;
		link = &n->next;
	}
	return first;
}

struct sk_buff *skb_clone(struct sk_buff *skb)
{
	struct sk_buff *n = skb_head_alloc();
	bool oom = false;

	if (!n)
		return NULL;
	*n = *skb;
	n->next = n->prev = NULL;
	n->sk = NULL;
	n->destructor = NULL;
	n->frag_list = skb_clone_frag_list(skb->frag_list, &oom);
	if (oom) {
		skb_head_free(n);
		return NULL;
	}
	if (n->dst)
		dst_hold(n->dst);
	if (!skb->ext_data)
		skb_shinfo(skb)->dataref++;
	skb->cloned = n->cloned = true;
	return n;
}

void skb_add_frag(struct sk_buff *skb, struct sk_buff *frag)
{
	struct sk_buff **link = &skb->frag_list;

	while (*link)
		link = &(*link)->next;
	frag->next = frag->prev = NULL;
	*link = frag;
	skb->len += frag->len;
	skb->data_len += frag->len;
}

/* Copies the metadata a deep copy keeps: everything but links, owner and
 * buffer pointers.  Header offsets stay valid because geometry is kept. */
static void skb_copy_header(struct sk_buff *n, const struct sk_buff *old)
{
	n->dev = old->dev;
	n->dst = old->dst ? dst_hold(old->dst) : NULL;
	n->tstamp_ns = old->tstamp_ns;
	memcpy(n->cb, old->cb, sizeof(n->cb));
	n->priority = old->priority;
	n->mark = old->mark;
	n->mac_header = old->mac_header;
	n->network_header = old->network_header;
	n->transport_header = old->transport_header;
	n->protocol = old->protocol;
	n->csum_start = old->csum_start;
	n->csum_offset = old->csum_offset;
	n->gso_size = old->gso_size;
	n->gso_segs = old->gso_segs;
	n->pkt_type = old->pkt_type;
	n->ip_summed = old->ip_summed;
}

struct sk_buff *skb_copy(const struct sk_buff *skb)
{
	unsigned int headroom = skb_headroom(skb);
	struct sk_buff *n = alloc_skb((unsigned int)(skb->end - skb->head) + skb->data_len);

	if (!n)
		return NULL;
	skb_reserve(n, headroom);
	memcpy(n->head, skb->head, headroom);
	skb_copy_bits(skb, 0, skb_put(n, skb->len), skb->len);
	skb_copy_header(n, skb);
	return n;
}

struct sk_buff *skb_unshare(struct sk_buff *skb)
{
	struct sk_buff *n;

	if (!skb_cloned(skb))
		return skb;
	n = skb_copy(skb);
	kfree_skb(skb);
	return n;
}

static void skb_shift_offset(uint32_t *off, unsigned int delta)
{
	if (*off != SKB_HDR_UNSET)
		*off += delta;
}

int skb_expand_head(struct sk_buff *skb, unsigned int nhead, unsigned int ntail)
{
	unsigned int used = (unsigned int)(skb->tail - skb->head);
	unsigned int size = (unsigned int)(skb->end - skb->head);
	unsigned int data_off = skb_headroom(skb);
	unsigned char *buf;
	unsigned int room;

	if (nhead > SKB_MAX_ALLOC || ntail > SKB_MAX_ALLOC ||
	    size + nhead + ntail > SKB_MAX_ALLOC)
		return -ENOMEM;
	buf = skb_data_alloc(size + nhead + ntail, &room);
	if (!buf)
		return -ENOMEM;
	memcpy(buf + nhead, skb->head, used);
	skb_data_release(skb);
	skb->head = buf;
	skb->data = buf + nhead + data_off;
	skb->tail = skb->data + skb_headlen(skb);
	skb->end = buf + room;
	skb->cloned = skb->ext_data = false;
	skb->truesize = (unsigned int)sizeof(*skb) + skb_shinfo(skb)->size;
	skb_shift_offset(&skb->mac_header, nhead);
	skb_shift_offset(&skb->network_header, nhead);
	skb_shift_offset(&skb->transport_header, nhead);
	if (skb->ip_summed == CHECKSUM_PARTIAL)
		skb->csum_start = (uint16_t)(skb->csum_start + nhead);
	return 0;
}

int skb_cow_head(struct sk_buff *skb, unsigned int headroom)
{
	unsigned int have = skb_headroom(skb);
	unsigned int delta = headroom > have ? SKB_DATA_ALIGN(headroom - have) : 0;

	if (!delta && !skb_cloned(skb))
		return 0;
	return skb_expand_head(skb, delta, 0);
}

void skb_reserve(struct sk_buff *skb, unsigned int len)
{
	if (skb->len || len > skb_tailroom(skb))
		return;
	skb->data += len;
	skb->tail += len;
}

void *skb_put(struct sk_buff *skb, unsigned int len)
{
	unsigned char *old = skb->tail;

	if (len > skb_tailroom(skb) || skb_is_nonlinear(skb))
		return NULL;
	skb->tail += len;
	skb->len += len;
	return old;
}

void *skb_put_data(struct sk_buff *skb, const void *src, unsigned int len)
{
	void *p = skb_put(skb, len);

	if (p)
		memcpy(p, src, len);
	return p;
}

void *skb_put_zero(struct sk_buff *skb, unsigned int len)
{
	void *p = skb_put(skb, len);

	if (p)
		memset(p, 0, len);
	return p;
}

void *skb_push(struct sk_buff *skb, unsigned int len)
{
	if (len > skb_headroom(skb) || skb->ext_data)
		return NULL;
	skb->data -= len;
	skb->len += len;
	return skb->data;
}

void *skb_pull(struct sk_buff *skb, unsigned int len)
{
	if (len > skb_headlen(skb))
		return NULL;
	skb->data += len;
	skb->len -= len;
	return skb->data;
}

void skb_trim(struct sk_buff *skb, unsigned int len)
{
	if (len >= skb->len || skb_is_nonlinear(skb))
		return;
	skb->len = len;
	skb->tail = skb->data + len;
}

int skb_copy_bits(const struct sk_buff *skb, unsigned int offset, void *to,
		  unsigned int len)
{
	const struct sk_buff *frag = skb->frag_list;
	const unsigned char *p = skb->data;
	unsigned int n = skb_headlen(skb);
	unsigned char *dst = to;

	if (offset > skb->len || len > skb->len - offset)
		return -EFAULT;
	for (;;) {
		if (offset < n) {
			unsigned int take = n - offset < len ? n - offset : len;

			memcpy(dst, p + offset, take);
			dst += take;
			len -= take;
			offset = 0;
		} else {
			offset -= n;
		}
		if (!len)
			return 0;
		p = frag->data;		/* the check above keeps len within the frags */
		n = frag->len;
		frag = frag->next;
	}
}

void skb_queue_head_init(struct sk_buff_head *list)
{
	list->next = list->prev = NULL;
	list->qlen = 0;
}

void skb_queue_head(struct sk_buff_head *list, struct sk_buff *skb)
{
	skb->prev = NULL;
	skb->next = list->next;
	if (list->next)
		list->next->prev = skb;
	else
		list->prev = skb;
	list->next = skb;
	list->qlen++;
}

void skb_queue_tail(struct sk_buff_head *list, struct sk_buff *skb)
{
	skb->next = NULL;
	skb->prev = list->prev;
	if (list->prev)
		list->prev->next = skb;
	else
		list->next = skb;
	list->prev = skb;
	list->qlen++;
}

void skb_unlink(struct sk_buff *skb, struct sk_buff_head *list)
{
	if (skb->prev)
		skb->prev->next = skb->next;
	else
		list->next = skb->next;
	if (skb->next)
		skb->next->prev = skb->prev;
	else
		list->prev = skb->prev;
	skb->next = skb->prev = NULL;
	list->qlen--;
}

struct sk_buff *skb_dequeue(struct sk_buff_head *list)
{
	struct sk_buff *skb = list->next;

	if (skb)
		skb_unlink(skb, list);
	return skb;
}

struct sk_buff *skb_dequeue_tail(struct sk_buff_head *list)
{
	struct sk_buff *skb = list->prev;

	if (skb)
		skb_unlink(skb, list);
	return skb;
}

void skb_queue_purge(struct sk_buff_head *list)
{
	struct sk_buff *skb;

	while ((skb = skb_dequeue(list)) != NULL)
		kfree_skb(skb);
}
