/*
 * Split virtqueue mechanics (interface and context: virtqueue.h).
 *
 * Invariants: free descriptors form a list through desc[].next starting at
 * free_head (num_free of them); a chain in flight keeps its cookie in
 * cookies[head] and nowhere else; avail_idx - last_used never exceeds
 * size.  The device only sees avail->idx move in virtqueue_kick, after the
 * ring entries are written.
 */
#include "drivers/net/virtqueue.h"

#include "kernel/errno.h"
#include "kernel/kernel.h"
#include "kernel/mm/page_alloc.h"
#include "kernel/mm/slab.h"

#define VRING_ALIGN	4096	/* legacy used-ring alignment (2.7, "Legacy Interfaces") */

static size_t vring_avail_bytes(uint16_t size)
{
	return sizeof(struct vring_avail) + sizeof(uint16_t) * (size + 1u);
}

static size_t vring_used_offset(uint16_t size)
{
	return ALIGN_UP(sizeof(struct vring_desc) * size + vring_avail_bytes(size),
			(size_t)VRING_ALIGN);
}

static size_t vring_used_bytes(uint16_t size)
{
	return sizeof(struct vring_used) + sizeof(struct vring_used_elem) * size +
	       sizeof(uint16_t);
}

/* avail->ring[size]: the used index at which the driver wants an interrupt. */
static volatile uint16_t *vring_used_event(struct virtqueue *vq)
{
	return &vq->avail->ring[vq->size];
}

/* After used->ring[size]: the avail index at which the device wants a kick. */
static volatile uint16_t *vring_avail_event(struct virtqueue *vq)
{
	return (volatile uint16_t *)&vq->used->ring[vq->size];
}

/* Our ring stores before our ring loads, as the device sees them. */
static void virtqueue_mb(struct virtqueue *vq)
{
	virtio_mb();
	if (vq->mb)
		vq->mb(vq);
}

int virtqueue_init(struct virtqueue *vq, uint16_t index, uint16_t size, bool event_idx)
{
	size_t bytes;

	if (!size || (size & (size - 1)) || size > VIRTQUEUE_MAX_SIZE)
		return -EINVAL;
	bytes = vring_used_offset(size) + vring_used_bytes(size);
	*vq = (struct virtqueue){ .index = index, .size = size, .event_idx = event_idx };
	vq->mem_pages = (bytes + 4095) / 4096;
	vq->mem = page_alloc_pages(vq->mem_pages);
	vq->cookies = kzalloc(sizeof(void *) * size);
	if (!vq->mem || !vq->cookies) {
		virtqueue_destroy(vq);
		return -ENOMEM;
	}
	vq->desc = vq->mem;
	vq->avail = (struct vring_avail *)((char *)vq->mem + sizeof(struct vring_desc) * size);
	vq->used = (struct vring_used *)((char *)vq->mem + vring_used_offset(size));
	for (uint16_t i = 0; i + 1 < size; i++)
		vq->desc[i].next = i + 1;
	vq->num_free = size;
	return 0;
}

void virtqueue_destroy(struct virtqueue *vq)
{
	if (vq->mem)
		page_free_pages(vq->mem, vq->mem_pages);
	kfree(vq->cookies);
	vq->mem = NULL;
	vq->cookies = NULL;
}

uint64_t virtqueue_desc_addr(const struct virtqueue *vq)
{
	return (uint64_t)(uintptr_t)vq->desc;
}

uint64_t virtqueue_avail_addr(const struct virtqueue *vq)
{
	return (uint64_t)(uintptr_t)vq->avail;
}

uint64_t virtqueue_used_addr(const struct virtqueue *vq)
{
	return (uint64_t)(uintptr_t)vq->used;
}

int virtqueue_add(struct virtqueue *vq, const struct vq_buf *bufs, unsigned int n, void *cookie)
{
	uint16_t head = vq->free_head, i = head;

	if (!n || !cookie)
		return -EINVAL;
	if (vq->num_free < n)
		return -ENOSPC;
	/* The free list already links the descriptors in the order we use them. */
	for (unsigned int k = 0; k < n; k++) {
		struct vring_desc *d = &vq->desc[i];

		d->addr = (uint64_t)(uintptr_t)bufs[k].addr;
		d->len = bufs[k].len;
		d->flags = (uint16_t)((bufs[k].writable ? VRING_DESC_F_WRITE : 0) |
				      (k + 1 < n ? VRING_DESC_F_NEXT : 0));
		i = d->next;
	}
	vq->free_head = i;
	vq->num_free = (uint16_t)(vq->num_free - n);
	vq->cookies[head] = cookie;
	vq->avail->ring[vq->avail_idx & (vq->size - 1)] = head;
	vq->avail_idx++;
	return 0;
}

void virtqueue_kick(struct virtqueue *vq)
{
	uint16_t old = vq->kicked_idx, new = vq->avail_idx;
	bool need;

	if (old == new)
		return;
	virtio_dma_barrier();		/* ring entries before the index (2.7.13) */
	WRITE_ONCE(vq->avail->idx, new);
	virtqueue_mb(vq);		/* index visible before we read suppression */
	if (vq->event_idx) {
		uint16_t event = *vring_avail_event(vq);

		/* 2.7.10: notify iff avail_event lies in [old, new). */
		need = (uint16_t)(new - event - 1) < (uint16_t)(new - old);
	} else {
		need = !(READ_ONCE(vq->used->flags) & VRING_USED_F_NO_NOTIFY);
	}
	vq->kicked_idx = new;
	if (need) {
		vq->kicks++;
		vq->notify(vq);
	} else {
		vq->kicks_suppressed++;
	}
}

/* Returns the chain at head to the free list. */
static void virtqueue_free_chain(struct virtqueue *vq, uint16_t head)
{
	uint16_t i = head, n = 1;

	while (vq->desc[i].flags & VRING_DESC_F_NEXT) {
		i = vq->desc[i].next;
		n++;
	}
	vq->desc[i].next = vq->free_head;
	vq->free_head = head;
	vq->num_free = (uint16_t)(vq->num_free + n);
	vq->cookies[head] = NULL;
}

uint16_t virtqueue_pending(const struct virtqueue *vq)
{
	return (uint16_t)(READ_ONCE(vq->used->idx) - vq->last_used);
}

void *virtqueue_get_buf(struct virtqueue *vq, uint32_t *len)
{
	while (vq->last_used != READ_ONCE(vq->used->idx)) {
		struct vring_used_elem *e;
		uint32_t head;
		void *cookie;

		virtio_dma_barrier();	/* the entry after the index that covers it */
		e = &vq->used->ring[vq->last_used & (vq->size - 1)];
		head = e->id;
		vq->last_used++;
		/* A device that names a chain we never gave it is ignored. */
		if (head >= vq->size || !vq->cookies[head])
			continue;
		cookie = vq->cookies[head];
		*len = e->len;
		virtqueue_free_chain(vq, (uint16_t)head);
		return cookie;
	}
	return NULL;
}

void *virtqueue_detach_unused(struct virtqueue *vq)
{
	for (uint16_t i = 0; i < vq->size; i++) {
		void *cookie = vq->cookies[i];

		if (cookie) {
			virtqueue_free_chain(vq, i);
			return cookie;
		}
	}
	return NULL;
}

void virtqueue_disable_cb(struct virtqueue *vq)
{
	/* With EVENT_IDX the flags must stay 0 (2.7.10); a stale used_event
	 * already holds interrupts back. */
	if (!vq->event_idx)
		vq->avail->flags |= VRING_AVAIL_F_NO_INTERRUPT;
}

bool virtqueue_enable_cb(struct virtqueue *vq)
{
	if (vq->event_idx)
		*vring_used_event(vq) = vq->last_used;
	else
		vq->avail->flags &= (uint16_t)~VRING_AVAIL_F_NO_INTERRUPT;
	virtqueue_mb(vq);		/* re-armed before we look for stragglers */
	return vq->last_used != READ_ONCE(vq->used->idx);
}
