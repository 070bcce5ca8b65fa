/*
 * drivers/net/virtqueue.c against a scripted device that reads and writes
 * the rings as QEMU's does.  Checks chains, the free list and used order,
 * notification suppression (EVENT_IDX across the 16-bit wrap, and the
 * flags without it), and the two store-then-load handshakes: the device
 * acts at the transport barrier (vq->mb), where a device thread racing
 * with the guest lands, and the guest must publish before it and look
 * after it, or the kick / the interrupt is lost (the virtio-net wedge).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "drivers/net/virtqueue.h"
#include "kernel/errno.h"
#include "kernel/mm/page_alloc.h"
#include "kernel/mm/slab.h"
#include "tests/host/check.h"

void *page_alloc_pages(size_t npages)
{
	return calloc(npages, 4096);
}

void page_free_pages(void *p, size_t npages)
{
	(void)npages;
	free(p);
}

void *kzalloc(size_t size)
{
	return calloc(1, size);
}

void kfree(void *p)
{
	free(p);
}

#define QSIZE 16

static int kicks;
/* What the device does at the transport barrier, and what it saw there. */
static void (*at_mb)(struct virtqueue *vq);
static int mbs;

static void fake_notify(struct virtqueue *vq)
{
	(void)vq;
	kicks++;
}

static void fake_mb(struct virtqueue *vq)
{
	mbs++;
	if (at_mb)
		at_mb(vq);
}

static uint16_t *avail_event(struct virtqueue *vq)
{
	return (uint16_t *)&vq->used->ring[vq->size];
}

static uint16_t *used_event(struct virtqueue *vq)
{
	return &vq->avail->ring[vq->size];
}

static void setup(struct virtqueue *vq, bool event_idx)
{
	CHECK_EQ(virtqueue_init(vq, 1, QSIZE, event_idx), 0);
	vq->notify = fake_notify;
	vq->mb = fake_mb;
	kicks = mbs = 0;
	at_mb = NULL;
}

/* The device uses the next available chain, writing len bytes. */
static void device_use(struct virtqueue *vq, uint16_t *dev_avail, uint32_t len)
{
	uint16_t head = vq->avail->ring[*dev_avail & (vq->size - 1)];
	struct vring_used_elem *e = &vq->used->ring[vq->used->idx & (vq->size - 1)];

	e->id = head;
	e->len = len;
	(*dev_avail)++;
	vq->used->idx++;
}

static int add_one(struct virtqueue *vq, void *cookie)
{
	static char buf[2][64];
	struct vq_buf bufs[2] = { { buf[0], 12, false }, { buf[1], 64, true } };

	return virtqueue_add(vq, bufs, 2, cookie);
}

static void test_chains(void)
{
	struct virtqueue vq;
	int cookies[QSIZE];
	uint16_t dev_avail = 0;
	uint32_t len = 0;

	CHECK_EQ(virtqueue_init(&vq, 0, 12, true), -EINVAL);
	setup(&vq, true);
	for (int i = 0; i < QSIZE / 2; i++)
		CHECK_EQ(add_one(&vq, &cookies[i]), 0);
	CHECK_EQ(vq.num_free, 0);
	CHECK_EQ(add_one(&vq, &cookies[0]), -ENOSPC);
	CHECK_EQ(vq.avail->idx, 0);		/* nothing published before the kick */
	virtqueue_kick(&vq);
	CHECK_EQ(vq.avail->idx, QSIZE / 2);
	CHECK_EQ(kicks, 1);			/* avail_event 0 lies in [0, 8) */
	/* The device answers out of order: the third chain first. */
	dev_avail = 2;
	device_use(&vq, &dev_avail, 40);
	dev_avail = 0;
	device_use(&vq, &dev_avail, 7);
	CHECK_EQ(virtqueue_pending(&vq), 2);
	CHECK(virtqueue_get_buf(&vq, &len) == &cookies[2]);
	CHECK_EQ(len, 40);
	CHECK(virtqueue_get_buf(&vq, &len) == &cookies[0]);
	CHECK_EQ(len, 7);
	CHECK(virtqueue_get_buf(&vq, &len) == NULL);
	CHECK_EQ(vq.num_free, 4);
	/* Freed descriptors are reused; the rest come back on detach. */
	CHECK_EQ(add_one(&vq, &cookies[8]), 0);
	CHECK_EQ(add_one(&vq, &cookies[9]), 0);
	CHECK_EQ(vq.num_free, 0);
	for (int n = 0; n < QSIZE / 2; n++)
		CHECK(virtqueue_detach_unused(&vq) != NULL);
	CHECK(virtqueue_detach_unused(&vq) == NULL);
	CHECK_EQ(vq.num_free, QSIZE);
	virtqueue_destroy(&vq);
}

/* A device naming a chain it was never given is ignored. */
static void test_bogus_used(void)
{
	struct virtqueue vq;
	int cookie;
	uint32_t len;

	setup(&vq, true);
	CHECK_EQ(add_one(&vq, &cookie), 0);
	virtqueue_kick(&vq);
	vq.used->ring[0] = (struct vring_used_elem){ .id = 5, .len = 1 };
	vq.used->ring[1] = (struct vring_used_elem){ .id = QSIZE + 3, .len = 1 };
	vq.used->ring[2] = (struct vring_used_elem){ .id = 0, .len = 9 };
	vq.used->idx = 3;
	CHECK(virtqueue_get_buf(&vq, &len) == &cookie);
	CHECK_EQ(len, 9);
	CHECK(virtqueue_get_buf(&vq, &len) == NULL);
	virtqueue_destroy(&vq);
}

/* EVENT_IDX kicks: needed iff avail_event lies in [old, new), mod 2^16. */
static void test_kick_event_idx_wrap(void)
{
	static const struct { uint16_t old, event; int adds; bool kick; } cases[] = {
		{ 0xfffe, 0xfffe, 3, true },	/* first new entry */
		{ 0xfffe, 0x0000, 3, true },	/* past the wrap, inside */
		{ 0xfffe, 0x0001, 3, false },	/* == new: not yet */
		{ 0xfffe, 0xfffd, 3, false },	/* device behind: busy */
		{ 0x0005, 0x8000, 1, false },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct virtqueue vq;
		int cookie;

		setup(&vq, true);
		vq.avail_idx = vq.kicked_idx = vq.last_used = cases[i].old;
		*avail_event(&vq) = cases[i].event;
		for (int k = 0; k < cases[i].adds; k++)
			CHECK_EQ(add_one(&vq, &cookie), 0);
		virtqueue_kick(&vq);
		CHECK_EQ(vq.avail->idx, (uint16_t)(cases[i].old + cases[i].adds));
		CHECK_EQ(kicks, cases[i].kick);
		CHECK_EQ(vq.kicks + vq.kicks_suppressed, 1);
		virtqueue_kick(&vq);		/* nothing new: no notification */
		CHECK_EQ(vq.kicks + vq.kicks_suppressed, 1);
		while (virtqueue_detach_unused(&vq))
			;
		virtqueue_destroy(&vq);
	}
}

/*
 * The kick race.  The device has consumed up to `idle_at` and goes idle
 * there: it writes avail_event = idle_at, then (after its own barrier)
 * looks at avail->idx once more.  If its look comes before our index is
 * visible, only our reading avail_event after the barrier saves the kick.
 */
static uint16_t idle_at, seen_published;

static void device_goes_idle(struct virtqueue *vq)
{
	seen_published = vq->avail->idx;
	*avail_event(vq) = idle_at;
}

static void test_kick_race(void)
{
	struct virtqueue vq;
	int cookie;

	setup(&vq, true);
	CHECK_EQ(add_one(&vq, &cookie), 0);
	CHECK_EQ(add_one(&vq, &cookie), 0);
	virtqueue_kick(&vq);			/* avail 0 -> 2 */
	CHECK_EQ(kicks, 1);
	/* The device, still busy, trails: avail_event 1. */
	*avail_event(&vq) = 1;
	CHECK_EQ(add_one(&vq, &cookie), 0);
	idle_at = 2;				/* it finishes exactly as we publish 3 */
	at_mb = device_goes_idle;
	virtqueue_kick(&vq);
	CHECK_EQ(seen_published, 3);		/* published before the barrier */
	CHECK_EQ(kicks, 2);			/* and the fresh avail_event read after it */
	CHECK(mbs >= 1);
	while (virtqueue_detach_unused(&vq))
		;
	virtqueue_destroy(&vq);
}

/*
 * The interrupt race.  While interrupts are off (used_event stale) the
 * device uses one more buffer and, reading the old used_event, raises
 * nothing.  enable_cb must have written used_event before the barrier and
 * read used->idx after it, and so report the straggler.
 */
static uint16_t seen_used_event, dev_avail_race;

static void device_uses_one(struct virtqueue *vq)
{
	seen_used_event = *used_event(vq);
	device_use(vq, &dev_avail_race, 60);
}

static void test_enable_cb_race(void)
{
	struct virtqueue vq;
	int cookies[3];
	uint32_t len;

	setup(&vq, true);
	for (int i = 0; i < 3; i++)
		CHECK_EQ(add_one(&vq, &cookies[i]), 0);
	virtqueue_kick(&vq);
	dev_avail_race = 0;
	device_use(&vq, &dev_avail_race, 60);
	virtqueue_disable_cb(&vq);
	CHECK_EQ(vq.avail->flags, 0);		/* EVENT_IDX: flags stay 0 */
	CHECK(virtqueue_get_buf(&vq, &len) == &cookies[0]);
	at_mb = device_uses_one;
	CHECK(virtqueue_enable_cb(&vq));
	CHECK_EQ(seen_used_event, 1);		/* re-armed at last_used before the barrier */
	at_mb = NULL;
	CHECK(virtqueue_get_buf(&vq, &len) == &cookies[1]);
	CHECK(!virtqueue_enable_cb(&vq));	/* nothing left: wait for the interrupt */
	CHECK_EQ(*used_event(&vq), 2);
	while (virtqueue_detach_unused(&vq))
		;
	virtqueue_destroy(&vq);
}

/* Without EVENT_IDX: used->flags says whether to kick, avail->flags
 * whether to interrupt. */
static void test_flags(void)
{
	struct virtqueue vq;
	int cookie;

	setup(&vq, false);
	CHECK_EQ(add_one(&vq, &cookie), 0);
	virtqueue_kick(&vq);
	CHECK_EQ(kicks, 1);
	vq.used->flags = VRING_USED_F_NO_NOTIFY;
	CHECK_EQ(add_one(&vq, &cookie), 0);
	virtqueue_kick(&vq);
	CHECK_EQ(kicks, 1);
	CHECK_EQ(vq.kicks_suppressed, 1);
	virtqueue_disable_cb(&vq);
	CHECK_EQ(vq.avail->flags, VRING_AVAIL_F_NO_INTERRUPT);
	CHECK(!virtqueue_enable_cb(&vq));
	CHECK_EQ(vq.avail->flags, 0);
	while (virtqueue_detach_unused(&vq))
		;
	virtqueue_destroy(&vq);
}

int main(void)
{
	test_chains();
	test_bogus_used();
	test_kick_event_idx_wrap();
	test_kick_race();
	test_enable_cb_race();
	test_flags();
	return check_report();
}
