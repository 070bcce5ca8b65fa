/*
 * Split virtqueues (virtio 1.x section 2.7), shared by the virtio drivers.
 *
 * A virtqueue owns one block of zeroed, identity-mapped pages laid out as
 * the legacy interface requires (descriptor table, available ring, then
 * the used ring on the next 4 KiB boundary), which the modern interface
 * accepts too.  The driver adds buffer chains with virtqueue_add (each
 * chain carries an opaque cookie, returned by virtqueue_get_buf when the
 * device has used the chain), publishes them and notifies the device with
 * virtqueue_kick, which honours notification suppression: with
 * VIRTIO_RING_F_EVENT_IDX the device's avail_event, else used->flags.
 *
 * Interrupt suppression: virtqueue_disable_cb asks the device for no
 * interrupts (with EVENT_IDX that needs no write at all: used_event stays
 * behind the used index, so the device's next interrupt condition is never
 * met until virtqueue_enable_cb moves it), and virtqueue_enable_cb re-arms
 * and returns true if used buffers arrived meanwhile, in which case the
 * caller must poll again rather than wait for an interrupt.
 *
 * Barriers: both handshakes above are store-then-load against the device
 * (publish avail->idx, then read avail_event; write used_event, then read
 * used->idx) and need a full barrier between the two, or a kick or an
 * interrupt is lost for good.  virtio_mb is one for the CPU; a transport
 * whose device may not see it as one adds its own (vq->mb).
 *
 * Context: add/kick/get_buf/enable_cb from one context at a time (the
 * driver's softirq or thread side; on one CPU that is serialized by bottom
 * halves); disable_cb also from the hard-IRQ handler.
 */
#ifndef SYNACK_DRIVERS_NET_VIRTQUEUE_H
#define SYNACK_DRIVERS_NET_VIRTQUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Ring layouts (2.7.5, 2.7.6, 2.7.8); all fields little-endian. */
struct vring_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};
_Static_assert(sizeof(struct vring_desc) == 16, "virtq descriptor is 16 bytes");

#define VRING_DESC_F_NEXT	1	/* chain continues at next */
#define VRING_DESC_F_WRITE	2	/* device writes this buffer */

struct vring_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[];		/* then uint16_t used_event */
};

#define VRING_AVAIL_F_NO_INTERRUPT	1

struct vring_used_elem {
	uint32_t id;			/* head of the used chain */
	uint32_t len;			/* bytes written into it */
};

struct vring_used {
	uint16_t flags;
	uint16_t idx;
	struct vring_used_elem ring[];	/* then uint16_t avail_event */
};

#define VRING_USED_F_NO_NOTIFY	1

/* Largest queue this code sets up (the descriptor free list is 16-bit). */
#define VIRTQUEUE_MAX_SIZE	1024

/* One buffer of a chain: device-readable unless writable. */
struct vq_buf {
	const void *addr;
	uint32_t len;
	bool writable;
};

struct virtqueue {
	uint16_t index;			/* queue number within the device */
	uint16_t size;			/* entries, a power of two */
	bool event_idx;			/* VIRTIO_RING_F_EVENT_IDX negotiated */
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
	void **cookies;			/* per head descriptor */
	uint16_t free_head;		/* free descriptors, chained through next */
	uint16_t num_free;
	uint16_t avail_idx;		/* our copy of avail->idx */
	uint16_t kicked_idx;		/* avail_idx when the device last heard from us */
	uint16_t last_used;		/* next used entry to consume */
	/* The transport's doorbell for this queue. */
	void (*notify)(struct virtqueue *vq);
	void *notify_priv;
	/* The transport's barrier after virtio_mb, or NULL (see the top). */
	void (*mb)(struct virtqueue *vq);
	void *mb_priv;
	uint64_t kicks;			/* notifications sent */
	uint64_t kicks_suppressed;	/* notifications the device did not need */
	void *mem;			/* ring pages */
	size_t mem_pages;
};

/* Allocates and lays out a queue of `size` entries (a power of two, at
 * most VIRTQUEUE_MAX_SIZE).  0, -EINVAL or -ENOMEM. */
int virtqueue_init(struct virtqueue *vq, uint16_t index, uint16_t size, bool event_idx);
/* Frees the rings; cookies still queued are the caller's to drop first. */
void virtqueue_destroy(struct virtqueue *vq);

/* Physical (= virtual) addresses of the three parts, for the transport. */
uint64_t virtqueue_desc_addr(const struct virtqueue *vq);
uint64_t virtqueue_avail_addr(const struct virtqueue *vq);
uint64_t virtqueue_used_addr(const struct virtqueue *vq);

/* Queues a chain of n buffers for the device (not yet published); cookie
 * must not be NULL.  0 or -ENOSPC (fewer than n free descriptors). */
int virtqueue_add(struct virtqueue *vq, const struct vq_buf *bufs, unsigned int n, void *cookie);
/* Publishes what was added and notifies the device if it wants to hear. */
void virtqueue_kick(struct virtqueue *vq);
/* Entries added since the last virtqueue_kick: the device cannot see them. */
static inline uint16_t virtqueue_unpublished(const struct virtqueue *vq)
{
	return (uint16_t)(vq->avail_idx - vq->kicked_idx);
}
/* Next used chain's cookie and written length; NULL when none is pending.
 * Its descriptors are free again. */
void *virtqueue_get_buf(struct virtqueue *vq, uint32_t *len);
/* Used chains waiting to be collected. */
uint16_t virtqueue_pending(const struct virtqueue *vq);
/* Removes a chain the device never used (teardown after reset); NULL when
 * none is left. */
void *virtqueue_detach_unused(struct virtqueue *vq);

void virtqueue_disable_cb(struct virtqueue *vq);
bool virtqueue_enable_cb(struct virtqueue *vq);

/* A full barrier: orders our stores before our loads, as event-index
 * checks need (x86 only reorders a later load before an earlier store). */
static inline void virtio_mb(void)
{
	__asm__ volatile("lock; addl $0, 0(%%rsp)" ::: "memory", "cc");
}

/* Descriptor and index updates against the device: x86 keeps stores in
 * order and loads in order, so only the compiler must be held back. */
static inline void virtio_dma_barrier(void)
{
	__asm__ volatile("" ::: "memory");
}

#endif
