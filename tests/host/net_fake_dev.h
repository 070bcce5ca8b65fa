/*
 * A fake Ethernet NIC for host tests of net/core, in the style of a
 * packetdrill target: frames the stack transmits land on a tx queue the
 * test inspects; frames the test injects sit on an "RX ring" until a fake
 * interrupt schedules NAPI and the poll hands them to netif_receive_skb.
 *
 * tx_ring_space models the TX ring: each sent frame uses one slot; at zero
 * the driver stops its queue, and fake_dev_tx_reclaim frees slots and
 * wakes it, as a real driver does from its NAPI poll.
 */
#ifndef SYNACK_TESTS_HOST_NET_FAKE_DEV_H
#define SYNACK_TESTS_HOST_NET_FAKE_DEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/core/netdevice.h"

struct fake_dev {
	struct net_device *dev;
	struct napi_struct napi;
	struct sk_buff_head tx;		/* frames "on the wire", oldest first */
	struct sk_buff_head rx_ring;	/* injected, not yet polled */
	int tx_ring_space;		/* < 0: unlimited */
	bool answer_busy;		/* ndo_start_xmit returns BUSY when full */
	bool irq_enabled;
	unsigned int polls;
	unsigned int rearms;		/* napi_complete_done said re-arm */
	unsigned int rx_mode_calls;
	uint64_t poll_cost_ns;		/* fake time each polled frame takes */
};

/* Allocates, registers and opens an Ethernet device with MAC
 * 02:00:00:00:00:<last>; NULL on failure. */
struct fake_dev *fake_dev_create(uint8_t last);
void fake_dev_destroy(struct fake_dev *fd);

/* Puts a copy of the frame on the RX ring (no interrupt yet). */
void fake_dev_inject(struct fake_dev *fd, const void *frame, size_t len);
/* The hard IRQ: masks interrupts and schedules NAPI (if they were on). */
void fake_dev_irq(struct fake_dev *fd);
/* Frees n TX ring slots and wakes the queue if the driver stopped it. */
void fake_dev_tx_reclaim(struct fake_dev *fd, int n);
/* Removes and returns the oldest transmitted frame (caller frees). */
struct sk_buff *fake_dev_pop_tx(struct fake_dev *fd);

/* Builds an Ethernet frame: dst, src (6 bytes), ethertype, payload. */
size_t fake_frame(uint8_t *buf, const uint8_t *dst, const uint8_t *src,
		  uint16_t ethertype, const void *payload, size_t plen);

#endif
