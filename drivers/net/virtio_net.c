/*
 * virtio-net driver (virtio 1.x section 5.1) over the modern or legacy PCI
 * transport (virtio_pci.h) with split virtqueues (virtqueue.h): one
 * receive and one transmit queue, no control queue.
 *
 * Interface: a PCI driver registered from a device initcall; each bound
 * function becomes an Ethernet net_device ("eth%d").
 *
 * Features: VERSION_1 (modern), MAC, STATUS (link state), MRG_RXBUF,
 * CSUM (the device completes CHECKSUM_PARTIAL transmit checksums:
 * NETIF_F_HW_CSUM), HOST_TSO4 with CSUM (the device segments GSO skbs:
 * NETIF_F_TSO), GUEST_CSUM (received frames come with DATA_VALID, or
 * NEEDS_CSUM: a partial checksum from the host's own stack, whose bytes
 * never crossed a wire; both skip software verification),
 * RING_EVENT_IDX, ANY_LAYOUT (legacy).  Without them the core hands us
 * neither.  The virtio_net_hdr is 12 bytes with VERSION_1
 * or MRG_RXBUF, else 10.
 *
 * Receive: every ring entry is one device-writable 1536-byte skb buffer
 * holding the header and the frame (12 + 1518 bytes at most: MTU 1500 and
 * a VLAN tag; two such buffers share a page).  A frame is handed up only
 * once a replacement buffer is posted, else it is dropped and its buffer posted
 * again (rx_alloc_failed), so the ring never drains for lack of memory.
 * With MRG_RXBUF a frame may span num_buffers entries; the extra buffers
 * are copied into the first skb and reposted.
 * Transmit: a descriptor chain per skb, the header (in skb->cb, the
 * driver's while it owns the skb), the linear part and one descriptor per
 * frag of a nonlinear skb (NETIF_F_SG); the skb, orphaned, is the chain's
 * cookie until the device returns it and xmit or the poll reclaims it
 * (the TX interrupt is armed only while the queue is stopped).
 *
 * Lifecycle: probe resets the device, negotiates to read the MAC and
 * resets it again; open brings it up (queues, vectors, DRIVER_OK, RX
 * buffers); stop resets it, which stops all DMA, and frees everything.
 *
 * Interrupts: MSI-X with three entries (0 configuration change, 1 receive,
 * 2 transmit) when the function offers enough, else INTx (level, through
 * the IOAPIC at the firmware's Interrupt Line; the _PRT is not parsed and
 * the line must not be shared) acknowledged by reading the ISR.
 *
 * Context: hard-IRQ handlers only suppress queue interrupts, note a
 * configuration change and schedule NAPI.  The NAPI poll (NET_RX softirq)
 * reclaims TX, receives, refills and follows link changes (carrier).
 * Transmit runs in softirq or with bottom halves disabled; on one CPU it
 * never overlaps the poll.  Probe, open and stop run in thread context.
 */
#include "drivers/net/virtio_pci.h"
#include "drivers/net/virtqueue.h"

#include "kernel/arch/x86_64/irq.h"
#include "kernel/errno.h"
#include "kernel/initcall.h"
#include "kernel/kernel.h"
#include "kernel/lib/format.h"
#include "kernel/lib/string.h"
#include "kernel/pci/pci.h"
#include "kernel/printk.h"
#include "net/core/checksum.h"
#include "net/core/netdevice.h"
#include "net/core/stats.h"
#include "net/ethernet/eth.h"

/* virtio-net feature bits (5.1.3). */
#define VIRTIO_NET_F_CSUM	0
#define VIRTIO_NET_F_GUEST_CSUM	1
#define VIRTIO_NET_F_MAC	5
#define VIRTIO_NET_F_HOST_TSO4	11
#define VIRTIO_NET_F_MRG_RXBUF	15
#define VIRTIO_NET_F_STATUS	16

/* struct virtio_net_config (5.1.4). */
#define VIRTIO_NET_CFG_MAC	0
#define VIRTIO_NET_CFG_STATUS	6
#define  VIRTIO_NET_S_LINK_UP	1

/* struct virtio_net_hdr (5.1.6). */
struct virtio_net_hdr {
	uint8_t flags;
	uint8_t gso_type;
	uint16_t hdr_len;
	uint16_t gso_size;
	uint16_t csum_start;
	uint16_t csum_offset;
	uint16_t num_buffers;		/* VERSION_1 or MRG_RXBUF only */
};
_Static_assert(sizeof(struct virtio_net_hdr) == 12, "virtio_net_hdr is 12 bytes");
_Static_assert(sizeof(struct virtio_net_hdr) <= sizeof(((struct sk_buff *)0)->cb),
	       "the TX header lives in skb->cb");

#define VIRTIO_NET_HDR_F_NEEDS_CSUM	1
#define VIRTIO_NET_HDR_F_DATA_VALID	2
#define VIRTIO_NET_HDR_GSO_NONE		0
#define VIRTIO_NET_HDR_GSO_TCPV4	1
#define VIRTIO_NET_HDR_LEN_LEGACY	10

#define VIRTNET_QUEUE_MAX	256
#define VIRTNET_RX_BUF_LEN	1536
/* A frame's chain at most: virtio-net header, linear part, frags. */
#define VIRTNET_TX_MAX_DESCS	(2 + MAX_SKB_FRAGS)
#define VIRTNET_TX_WAKE		VIRTNET_TX_MAX_DESCS	/* free descriptors to wake a stopped queue */
#define VIRTNET_RX_PUBLISH_BATCH	(VIRTNET_QUEUE_MAX / 8)	/* see virtnet_rx */
#define VIRTNET_RXQ		0
#define VIRTNET_TXQ		1

/* MSI-X table entries. */
enum { VIRTNET_VEC_CONFIG, VIRTNET_VEC_RX, VIRTNET_VEC_TX, VIRTNET_NVEC };

/*
 * Driver counters for drops and events net_device_stats has no name for,
 * published as the MIB family "<dev>.virtio":
 *   rx_alloc_failed  frame dropped and its buffer reposted: no skb to replace it
 *   rx_ring_empty    polls that found every posted RX buffer used (also in
 *                    rx_over_errors): the device had nowhere to put more
 *   rx_merge_failed  MRG_RXBUF frame that could not be joined: dropped
 *   tx_busy          start_xmit found the ring full
 *   irq_none         INTx with an empty ISR (not ours)
 * and the notifications each way, which under emulation are the costly
 * part of a packet (an exit to the device model each):
 *   rx_kicks, tx_kicks          doorbells rung after posting buffers
 *   rx_kicks_suppressed, tx_kicks_suppressed
 *                               doorbells the device said it did not need
 *   rx_irqs, tx_irqs            queue interrupts (MSI-X; INTx counts as rx)
 *   polls                       NAPI polls run
 */
#define VIRTNET_XSTATS(X) \
	X(rx_alloc_failed) X(rx_ring_empty) X(rx_merge_failed) X(tx_busy) X(irq_none) \
	X(rx_kicks) X(rx_kicks_suppressed) X(tx_kicks) X(tx_kicks_suppressed) \
	X(rx_irqs) X(tx_irqs) X(polls)

struct virtnet_xstats {
	VIRTNET_XSTATS(MIB_FIELD)
};

static const char *const virtnet_xstats_names[] = { VIRTNET_XSTATS(MIB_NAME) };

struct virtnet {
	struct virtio_pci vp;
	struct net_device *ndev;
	struct napi_struct napi;
	struct virtqueue rxq, txq;
	char pci_name[16];
	unsigned int hdr_len;
	bool mrg_rxbuf;
	bool running;			/* queues set up (between open and stop) */
	int vec[VIRTNET_NVEC];		/* MSI-X vectors, or vec[0] for INTx */
	uint32_t gsi;
	uint32_t config_changed;	/* hard IRQ -> poll */
	struct virtnet_xstats xstats;
	char mib_family[IFNAMSIZ + 8];
	struct mib mib;
};

static uint64_t virtnet_wanted_features(void)
{
	return 1ull << VIRTIO_NET_F_CSUM | 1ull << VIRTIO_NET_F_HOST_TSO4 |
	       1ull << VIRTIO_NET_F_GUEST_CSUM | 1ull << VIRTIO_NET_F_MAC |
	       1ull << VIRTIO_NET_F_MRG_RXBUF | 1ull << VIRTIO_NET_F_STATUS |
	       1ull << VIRTIO_RING_F_EVENT_IDX | 1ull << VIRTIO_F_ANY_LAYOUT |
	       1ull << VIRTIO_F_VERSION_1;
}

/* Reset, status handshake and feature negotiation (3.1.1 steps 1-6). */
static __cold int virtnet_negotiate(struct virtnet *vi)
{
	struct virtio_pci *vp = &vi->vp;
	int err = virtio_pci_reset(vp);

	if (err)
		return err;
	virtio_pci_add_status(vp, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	err = virtio_pci_negotiate(vp, virtnet_wanted_features());
	if (err) {
		virtio_pci_add_status(vp, VIRTIO_STATUS_FAILED);
		return err;
	}
	vi->mrg_rxbuf = virtio_has_feature(vp, VIRTIO_NET_F_MRG_RXBUF);
	vi->hdr_len = (vi->mrg_rxbuf || virtio_has_feature(vp, VIRTIO_F_VERSION_1))
		      ? sizeof(struct virtio_net_hdr) : VIRTIO_NET_HDR_LEN_LEGACY;
	return 0;
}

/* The offloads the negotiated features give the stack. */
static unsigned int virtnet_netdev_features(const struct virtio_pci *vp)
{
	unsigned int f = NETIF_F_SG;	/* descriptor chains: any device */

	if (virtio_has_feature(vp, VIRTIO_NET_F_CSUM)) {
		f |= NETIF_F_HW_CSUM;
		if (virtio_has_feature(vp, VIRTIO_NET_F_HOST_TSO4))
			f |= NETIF_F_TSO;
	}
	if (virtio_has_feature(vp, VIRTIO_NET_F_GUEST_CSUM))
		f |= NETIF_F_RXCSUM;
	return f;
}

/* Queues and vectors, then DRIVER_OK (3.1.1 steps 7-8). */
static int virtnet_start(struct virtnet *vi)
{
	struct virtio_pci *vp = &vi->vp;
	uint16_t no = VIRTIO_MSI_NO_VECTOR;
	int err = virtnet_negotiate(vi);

	if (err)
		return err;
	if (vp->msix && virtio_pci_set_config_vector(vp, VIRTNET_VEC_CONFIG)) {
		err = -EIO;
		goto err_fail;
	}
	err = virtio_pci_setup_queue(vp, &vi->rxq, VIRTNET_RXQ, VIRTNET_QUEUE_MAX,
				     vp->msix ? VIRTNET_VEC_RX : no);
	if (err)
		goto err_fail;
	err = virtio_pci_setup_queue(vp, &vi->txq, VIRTNET_TXQ, VIRTNET_QUEUE_MAX,
				     vp->msix ? VIRTNET_VEC_TX : no);
	if (err)
		goto err_rxq;
	virtio_pci_add_status(vp, VIRTIO_STATUS_DRIVER_OK);
	vi->running = true;
	return 0;

err_rxq:
	virtqueue_destroy(&vi->rxq);
err_fail:
	virtio_pci_add_status(vp, VIRTIO_STATUS_FAILED);
	return err;
}

/* Reset (no more DMA), then every buffer back and the rings freed.  If the
 * device will not reset, the buffers stay where the device can reach them. */
static void virtnet_teardown(struct virtnet *vi)
{
	struct sk_buff *skb;

	if (!vi->running)
		return;
	vi->running = false;
	if (virtio_pci_reset(&vi->vp)) {
		pr_err("%s: virtio-net device did not reset; its rings are abandoned\n",
		       vi->ndev->name);
		return;
	}
	while ((skb = virtqueue_detach_unused(&vi->rxq)))
		kfree_skb(skb);
	while ((skb = virtqueue_detach_unused(&vi->txq)))
		kfree_skb(skb);
	virtqueue_destroy(&vi->rxq);
	virtqueue_destroy(&vi->txq);
}

static void virtnet_check_link(struct virtnet *vi)
{
	struct virtio_pci *vp = &vi->vp;
	bool up = true;

	if (virtio_pci_get_status(vp) & VIRTIO_STATUS_NEEDS_RESET)
		pr_err("%s: virtio-net device needs a reset\n", vi->ndev->name);
	if (virtio_has_feature(vp, VIRTIO_NET_F_STATUS))
		up = virtio_pci_config16(vp, VIRTIO_NET_CFG_STATUS) & VIRTIO_NET_S_LINK_UP;
	if (up == netif_carrier_ok(vi->ndev))
		return;
	pr_info("%s: link %s\n", vi->ndev->name, up ? "up" : "down");
	if (up)
		netif_carrier_on(vi->ndev);
	else
		netif_carrier_off(vi->ndev);
}

/* virtqueue_kick, counted in the driver's xstats (the queue's own
 * counters restart with each open). */
static void virtnet_kick(struct virtqueue *vq, uint64_t *kicks, uint64_t *suppressed)
{
	uint64_t k = vq->kicks, s = vq->kicks_suppressed;

	virtqueue_kick(vq);
	*kicks += vq->kicks - k;
	*suppressed += vq->kicks_suppressed - s;
}

static void virtnet_kick_rx(struct virtnet *vi)
{
	virtnet_kick(&vi->rxq, &vi->xstats.rx_kicks, &vi->xstats.rx_kicks_suppressed);
}

/* Posts an empty skb as one receive buffer; the slot was just freed. */
static void virtnet_rx_post(struct virtnet *vi, struct sk_buff *skb)
{
	struct vq_buf buf = { skb->data, VIRTNET_RX_BUF_LEN, true };

	if (virtqueue_add(&vi->rxq, &buf, 1, skb))
		kfree_skb(skb);
}

/* Fills every free RX entry; -ENOMEM if not even one buffer could be had. */
static int virtnet_rx_fill(struct virtnet *vi)
{
	while (vi->rxq.num_free) {
		struct sk_buff *skb = netdev_alloc_skb(vi->ndev, VIRTNET_RX_BUF_LEN);

		if (!skb) {
			vi->xstats.rx_alloc_failed++;
			break;
		}
		virtnet_rx_post(vi, skb);
	}
	return vi->rxq.num_free == vi->rxq.size ? -ENOMEM : 0;
}

/* Reposts the remaining n buffers of a frame being dropped. */
static void virtnet_rx_drop_rest(struct virtnet *vi, unsigned int n)
{
	struct sk_buff *b;
	uint32_t len;

	while (n-- && (b = virtqueue_get_buf(&vi->rxq, &len)))
		virtnet_rx_post(vi, b);
}

/* MRG_RXBUF: appends the next n buffers to skb and reposts them.
 * 0, or -EIO (the frame is incomplete; the rest is reposted). */
static int virtnet_rx_merge(struct virtnet *vi, struct sk_buff *skb, unsigned int n)
{
	while (n--) {
		uint32_t len;
		struct sk_buff *b = virtqueue_get_buf(&vi->rxq, &len);

		if (!b)
			return -EIO;
		if (len > VIRTNET_RX_BUF_LEN ||
		    (skb_tailroom(skb) < len && skb_expand_head(skb, 0, len))) {
			virtnet_rx_post(vi, b);
			virtnet_rx_drop_rest(vi, n);
			return -EIO;
		}
		skb_put_data(skb, b->data, len);
		virtnet_rx_post(vi, b);
	}
	return 0;
}

/* What the header says about the checksum of the frame now at skb->data
 * (5.1.6.4).  A NEEDS_CSUM range outside the frame is counted and left to
 * software, which then finds the checksum bad. */
static void virtnet_rx_csum(struct virtnet *vi, struct sk_buff *skb,
			    const struct virtio_net_hdr *hdr)
{
	struct net_device *dev = vi->ndev;

	if (!(dev->features & NETIF_F_RXCSUM))
		return;
	if (hdr->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) {
		if ((unsigned int)hdr->csum_start + hdr->csum_offset + 2 > skb->len) {
			dev->stats.rx_csum_hw_bad++;
			return;
		}
	} else if (!(hdr->flags & VIRTIO_NET_HDR_F_DATA_VALID)) {
		return;
	}
	skb->ip_summed = CHECKSUM_UNNECESSARY;
	dev->stats.rx_csum_offload++;
}

/* One received frame starting in skb (len bytes with the header). */
static void virtnet_rx_frame(struct virtnet *vi, struct sk_buff *skb, uint32_t len)
{
	struct net_device *dev = vi->ndev;
	struct virtio_net_hdr hdr = { 0 };
	unsigned int extra = 0;
	struct sk_buff *fresh;

	memcpy(&hdr, skb->data, MIN((unsigned int)sizeof(hdr), len));
	/* Buffers that follow this one, bounded by what the ring can hold. */
	if (vi->mrg_rxbuf && len >= vi->hdr_len && hdr.num_buffers > 1)
		extra = MIN(hdr.num_buffers - 1u, (unsigned int)vi->rxq.size);

	if (len < vi->hdr_len + ETH_HLEN || len > VIRTNET_RX_BUF_LEN) {
		dev->stats.rx_length_errors++;
		dev->stats.rx_errors++;
		goto drop;
	}
	fresh = netdev_alloc_skb(dev, VIRTNET_RX_BUF_LEN);
	if (!fresh) {
		vi->xstats.rx_alloc_failed++;
		dev->stats.rx_dropped++;
		goto drop;
	}
	virtnet_rx_post(vi, fresh);
	skb_put(skb, len);
	if (extra && virtnet_rx_merge(vi, skb, extra)) {
		vi->xstats.rx_merge_failed++;
		dev->stats.rx_errors++;
		kfree_skb(skb);
		return;
	}
	skb_pull(skb, vi->hdr_len);
	len = skb->len;
	virtnet_rx_csum(vi, skb, &hdr);
	skb->protocol = eth_type_trans(skb, dev);
	dev->stats.rx_packets++;
	dev->stats.rx_bytes += len;
	if (skb->pkt_type == PACKET_MULTICAST)
		dev->stats.multicast++;
	netif_receive_skb(skb);
	return;
drop:
	virtnet_rx_post(vi, skb);
	virtnet_rx_drop_rest(vi, extra);
}

static int virtnet_rx(struct virtnet *vi, int budget)
{
	uint16_t posted = (uint16_t)(vi->rxq.size - vi->rxq.num_free);
	struct sk_buff *skb;
	uint32_t len;
	int done = 0;

	/* Every posted buffer used: the device had nowhere to put more. */
	if (posted && virtqueue_pending(&vi->rxq) >= posted) {
		vi->xstats.rx_ring_empty++;
		vi->ndev->stats.rx_over_errors++;
	}
	while (done < budget && (skb = virtqueue_get_buf(&vi->rxq, &len))) {
		virtnet_rx_frame(vi, skb, len);
		done++;
	}
	/* Refills are published in batches: each publication costs a
	 * barrier against the device (an exit under TCG), and with all the
	 * others still posted the device is never short meanwhile. */
	if (virtqueue_unpublished(&vi->rxq) >= VIRTNET_RX_PUBLISH_BATCH)
		virtnet_kick_rx(vi);
	return done;
}

static void virtnet_tx_reclaim(struct virtnet *vi)
{
	struct net_device *dev = vi->ndev;
	struct sk_buff *skb;
	uint32_t len;
	unsigned int n = 0;

	while ((skb = virtqueue_get_buf(&vi->txq, &len))) {
		dev->stats.tx_packets++;
		dev->stats.tx_bytes += skb->len;
		consume_skb(skb);
		n++;
	}
	if (n && netif_queue_stopped(dev) && vi->txq.num_free >= VIRTNET_TX_WAKE)
		netif_wake_queue(dev);
}

/*
 * TX interrupts stay off while the queue runs: each xmit and each poll
 * (an ACK's arrival, on a bulk send) reclaims what the device finished,
 * as Linux's virtio-net does without TX NAPI, and under emulation every
 * interrupt spared is an exit to the device model spared.  Only a stopped
 * queue needs one, to be woken; completions that came before it was
 * re-armed are reclaimed here.
 */
static void virtnet_tx_stop(struct virtnet *vi)
{
	netif_stop_queue(vi->ndev);
	while (netif_queue_stopped(vi->ndev) && virtqueue_enable_cb(&vi->txq))
		virtnet_tx_reclaim(vi);
}

static int virtnet_poll(struct napi_struct *napi, int budget)
{
	struct virtnet *vi = container_of(napi, struct virtnet, napi);
	int work;

	vi->xstats.polls++;
	if (__atomic_exchange_n(&vi->config_changed, 0, __ATOMIC_RELAXED))
		virtnet_check_link(vi);
	virtnet_tx_reclaim(vi);
	work = virtnet_rx(vi, budget);
	if (work < budget && napi_complete_done(napi, work)) {
		bool more = virtqueue_enable_cb(&vi->rxq);

		if (netif_queue_stopped(vi->ndev))
			more |= virtqueue_enable_cb(&vi->txq);
		if (more)
			napi_schedule(napi);
	}
	return work;
}

/* Builds the virtio_net_hdr in skb->cb (5.1.6.2): the checksum and, for
 * a GSO skb, the segmentation the device does (the core sends either only
 * when negotiated: dev->features).  hdr_len covers Ethernet, IP and TCP
 * headers; the TCP header starts at csum_start. */
static void virtnet_tx_prepare(struct sk_buff *skb)
{
	struct virtio_net_hdr *hdr = (struct virtio_net_hdr *)skb->cb;
	unsigned int start = skb->csum_start - skb_headroom(skb);

	*hdr = (struct virtio_net_hdr){ .gso_type = VIRTIO_NET_HDR_GSO_NONE };
	if (skb->ip_summed != CHECKSUM_PARTIAL)
		return;
	hdr->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	hdr->csum_start = (uint16_t)start;
	hdr->csum_offset = skb->csum_offset;
	if (skb_is_gso(skb)) {
		hdr->gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
		hdr->gso_size = skb->gso_size;
		hdr->hdr_len = (uint16_t)(start + (skb->data[start + 12] >> 4) * 4);
	}
}

/* The chain for skb in bufs: the header in skb->cb, the linear part, each
 * frag (NETIF_F_SG).  Returns the count, or 0 if more than
 * VIRTNET_TX_MAX_DESCS would be needed. */
static unsigned int virtnet_tx_bufs(struct virtnet *vi, struct sk_buff *skb, struct vq_buf *bufs)
{
	unsigned int n = 2;

	bufs[0] = (struct vq_buf){ skb->cb, vi->hdr_len, false };
	bufs[1] = (struct vq_buf){ skb->data, skb_headlen(skb), false };
	for (const struct sk_buff *f = skb->frag_list; f; f = f->next) {
		if (!f->len)
			continue;
		if (n == VIRTNET_TX_MAX_DESCS)
			return 0;
		bufs[n++] = (struct vq_buf){ f->data, f->len, false };
	}
	return n;
}

static enum netdev_tx virtnet_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct virtnet *vi = netdev_priv(dev);
	struct vq_buf bufs[VIRTNET_TX_MAX_DESCS];
	unsigned int n;

	virtnet_tx_reclaim(vi);
	n = virtnet_tx_bufs(vi, skb, bufs);
	if (!n || n > vi->txq.size) {
		dev->stats.tx_dropped++;
		kfree_skb(skb);
		return NETDEV_TX_OK;
	}
	if (vi->txq.num_free < n) {
		vi->xstats.tx_busy++;
		virtnet_tx_stop(vi);
		return NETDEV_TX_BUSY;
	}
	/* The ring may keep skb long after the wire has it (no interrupt
	 * reclaims it): its socket's send memory and reference go now. */
	skb_orphan(skb);
	virtnet_tx_prepare(skb);
	if (virtqueue_add(&vi->txq, bufs, n, skb)) {
		dev->stats.tx_dropped++;
		kfree_skb(skb);
		return NETDEV_TX_OK;
	}
	virtnet_kick(&vi->txq, &vi->xstats.tx_kicks, &vi->xstats.tx_kicks_suppressed);
	if (vi->txq.num_free < VIRTNET_TX_MAX_DESCS)
		virtnet_tx_stop(vi);
	return NETDEV_TX_OK;
}

static __cold int virtnet_open(struct net_device *dev)
{
	struct virtnet *vi = netdev_priv(dev);
	int err = virtnet_start(vi);

	if (err) {
		pr_err("%s: virtio-net device setup failed (error %d)\n", dev->name, err);
		return err;
	}
	err = virtnet_rx_fill(vi);
	if (err) {
		virtnet_teardown(vi);
		return err;
	}
	virtnet_kick_rx(vi);
	vi->config_changed = 0;
	napi_enable(&vi->napi);
	netif_start_queue(dev);
	virtnet_check_link(vi);
	virtqueue_disable_cb(&vi->txq);		/* see virtnet_tx_stop */
	if (virtqueue_enable_cb(&vi->rxq))
		napi_schedule(&vi->napi);
	return 0;
}

static int virtnet_stop(struct net_device *dev)
{
	struct virtnet *vi = netdev_priv(dev);

	napi_disable(&vi->napi);
	netif_carrier_off(dev);
	virtnet_teardown(vi);
	return 0;
}

static const struct net_device_ops virtnet_netdev_ops = {
	.ndo_open = virtnet_open,
	.ndo_stop = virtnet_stop,
	.ndo_start_xmit = virtnet_xmit,
};

static void virtnet_config_intr(void *arg)
{
	struct virtnet *vi = arg;

	__atomic_store_n(&vi->config_changed, 1, __ATOMIC_RELAXED);
	napi_schedule(&vi->napi);
}

static void virtnet_rx_intr(void *arg)
{
	struct virtnet *vi = arg;

	vi->xstats.rx_irqs++;
	virtqueue_disable_cb(&vi->rxq);
	napi_schedule(&vi->napi);
}

static void virtnet_tx_intr(void *arg)
{
	struct virtnet *vi = arg;

	vi->xstats.tx_irqs++;
	virtqueue_disable_cb(&vi->txq);
	napi_schedule(&vi->napi);
}

/* INTx: reading the ISR acknowledges and lowers the line (4.1.4.5). */
static void virtnet_intx_intr(void *arg)
{
	struct virtnet *vi = arg;
	uint8_t isr = virtio_pci_isr(&vi->vp);

	if (!isr) {
		vi->xstats.irq_none++;
		return;
	}
	if (!vi->running)
		return;
	if (isr & VIRTIO_ISR_QUEUE) {
		vi->xstats.rx_irqs++;
		virtqueue_disable_cb(&vi->rxq);
		virtqueue_disable_cb(&vi->txq);
	}
	if (isr & VIRTIO_ISR_CONFIG)
		__atomic_store_n(&vi->config_changed, 1, __ATOMIC_RELAXED);
	napi_schedule(&vi->napi);
}

static void virtnet_free_vectors(struct virtnet *vi)
{
	for (int i = 0; i < VIRTNET_NVEC; i++) {
		if (vi->vec[i] >= 0)
			irq_free_vector(vi->vec[i]);
		vi->vec[i] = -1;
	}
}

/* MSI-X entries 0-2 pointed at three fresh vectors. */
static int virtnet_setup_msix(struct virtnet *vi)
{
	static const irq_handler_t handlers[VIRTNET_NVEC] = {
		virtnet_config_intr, virtnet_rx_intr, virtnet_tx_intr,
	};
	struct pci_dev *pdev = vi->vp.pdev;
	int n = virtio_pci_msix_enable(&vi->vp);

	if (n < VIRTNET_NVEC)
		goto err;
	for (int i = 0; i < VIRTNET_NVEC; i++) {
		vi->vec[i] = irq_alloc_vector(handlers[i], vi);
		if (vi->vec[i] < 0 || pci_msix_set_vector(pdev, (unsigned int)i, vi->vec[i]))
			goto err;
	}
	return 0;
err:
	virtnet_free_vectors(vi);
	pci_msix_disable(pdev);
	vi->vp.msix = false;
	return -ENOSPC;
}

/* INTx through the IOAPIC: level-triggered, active low. */
static int virtnet_setup_intx(struct virtnet *vi)
{
	struct pci_dev *pdev = vi->vp.pdev;
	bool level, active_low;
	int err;

	if (!pdev->irq_pin || pdev->irq_line == 0xff)
		return -ENODEV;
	vi->vec[0] = irq_alloc_vector(virtnet_intx_intr, vi);
	if (vi->vec[0] < 0)
		return vi->vec[0];
	vi->gsi = pdev->irq_line < 16 ? irq_isa_to_gsi(pdev->irq_line, &level, &active_low)
				      : pdev->irq_line;
	err = ioapic_route_gsi(vi->gsi, vi->vec[0], true, true);
	if (err) {
		virtnet_free_vectors(vi);
		return err;
	}
	pci_intx(pdev, true);
	return 0;
}

static int virtnet_setup_irq(struct virtnet *vi, char *buf, size_t size)
{
	struct pci_dev *pdev = vi->vp.pdev;
	int err;

	for (int i = 0; i < VIRTNET_NVEC; i++)
		vi->vec[i] = -1;
	if (pdev->msix_cap && virtnet_setup_msix(vi) == 0) {
		ksnprintf(buf, size, "msix vectors %#x/%#x/%#x", vi->vec[0], vi->vec[1],
			  vi->vec[2]);
		return 0;
	}
	err = virtnet_setup_intx(vi);
	if (!err)
		ksnprintf(buf, size, "intx line %u gsi %u vector %#x", pdev->irq_line, vi->gsi,
			  vi->vec[0]);
	return err;
}

/* Negotiates once to read the MAC, then leaves the device reset. */
static int virtnet_read_mac(struct virtnet *vi, uint8_t *mac)
{
	int err = virtnet_negotiate(vi);

	if (err)
		return err;
	if (virtio_has_feature(&vi->vp, VIRTIO_NET_F_MAC))
		virtio_pci_config_read(&vi->vp, VIRTIO_NET_CFG_MAC, mac, ETH_ALEN);
	if (!is_valid_ether_addr(mac))
		eth_random_addr(mac);
	return virtio_pci_reset(&vi->vp);
}

static void virtnet_undo_irq(struct virtnet *vi)
{
	if (vi->vp.msix) {
		pci_msix_disable(vi->vp.pdev);
		vi->vp.msix = false;
	} else if (vi->vec[0] >= 0) {
		ioapic_mask_gsi(vi->gsi, true);
	}
	virtnet_free_vectors(vi);
}

/* Publishes the driver counters and prints the probe line (tests match it). */
static void virtnet_announce(struct virtnet *vi, const char *irq_desc)
{
	struct net_device *dev = vi->ndev;
	struct pci_dev *pdev = vi->vp.pdev;
	char mac[MAC_ADDR_STR_LEN];

	ksnprintf(vi->mib_family, sizeof(vi->mib_family), "%s.virtio", dev->name);
	vi->mib = (struct mib)MIB_INIT(vi->mib_family, virtnet_xstats_names, &vi->xstats);
	mib_register(&vi->mib);
	pr_info("%s: virtio-net %04x:%04x at %s (%s), mac %s, features %#llx, %s%s\n", dev->name,
		pdev->vendor, pdev->device, vi->pci_name, vi->vp.modern ? "modern" : "legacy",
		eth_addr_format(mac, dev->dev_addr), (unsigned long long)vi->vp.features,
		irq_desc, vi->vp.mb_by_read ? ", ring barriers by register read (TCG)" : "");
}

static __cold int virtnet_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct net_device *dev = alloc_etherdev(sizeof(struct virtnet));
	struct virtnet *vi;
	char irq_desc[64];
	int err;

	(void)id;
	if (!dev)
		return -ENOMEM;
	vi = netdev_priv(dev);
	vi->ndev = dev;
	pci_name(pdev, vi->pci_name, sizeof(vi->pci_name));
	err = virtio_pci_probe(&vi->vp, pdev);
	if (err) {
		pr_err("virtio-net %s: neither modern capabilities nor a legacy I/O BAR; device ignored\n",
		       vi->pci_name);
		goto err_free;
	}
	err = virtio_pci_reset(&vi->vp);
	if (err) {
		pr_err("virtio-net %s: device failed to reset (status never read 0); device ignored\n",
		       vi->pci_name);
		goto err_free;
	}
	err = virtnet_setup_irq(vi, irq_desc, sizeof(irq_desc));
	if (err) {
		pr_err("virtio-net %s: no usable interrupt (error %d); device ignored\n",
		       vi->pci_name, err);
		goto err_free;
	}
	err = virtnet_read_mac(vi, dev->dev_addr);
	if (err) {
		pr_err("virtio-net %s: feature negotiation failed (error %d); device ignored\n",
		       vi->pci_name, err);
		goto err_irq;
	}
	dev->driver = "virtio-net";
	dev->netdev_ops = &virtnet_netdev_ops;
	dev->features = virtnet_netdev_features(&vi->vp);
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = ETH_DATA_LEN;	/* one RX buffer per frame */
	netif_napi_add(dev, &vi->napi, virtnet_poll, NAPI_POLL_WEIGHT);
	netif_carrier_off(dev);		/* open reads the real state */
	err = register_netdev(dev);
	if (err)
		goto err_napi;
	pdev->driver_data = vi;
	virtnet_announce(vi, irq_desc);
	return 0;

err_napi:
	netif_napi_del(&vi->napi);
err_irq:
	virtnet_undo_irq(vi);
err_free:
	free_netdev(dev);
	return err;
}

/* Transitional (legacy-capable) and modern-only network devices (4.1.2). */
static const struct pci_device_id virtnet_ids[] = {
	{ .vendor = 0x1af4, .device = 0x1000, .class = 0x020000, .class_mask = 0xffff00 },
	{ .vendor = 0x1af4, .device = 0x1041 },
	{ 0 },
};

static struct pci_driver virtnet_driver = {
	.name = "virtio-net",
	.id_table = virtnet_ids,
	.probe = virtnet_probe,
};

static int virtnet_init(void)
{
	return pci_register_driver(&virtnet_driver);
}
device_initcall(virtnet_init);
