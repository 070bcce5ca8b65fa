/*
 * Intel e1000 driver: the 8254x PCI/PCI-X family (82540/82541/82544/82545/
 * 82546/82547, as real cards and as QEMU's e1000, e1000-82545em and
 * e1000-82544gc) and the PCIe 82574L (QEMU's e1000e), which still accepts
 * the 8254x legacy descriptors.  Register map: drivers/net/e1000_hw.h.
 *
 * Interface: a PCI driver registered from a device initcall; each bound
 * function becomes an Ethernet net_device ("eth%d").  Nothing else is
 * exported.
 *
 * Rings: 256 legacy RX descriptors, each with a preallocated skb of 1522
 * bytes: RCTL.BSIZE says 2048, but with RCTL.LPE off the device stores no
 * frame longer than 1522 bytes (VLAN tag included), so the buffer is sized
 * for that, as Linux's e1000 does, and fits the skb data cache (two per
 * page; 256 buffers past it would take 4 KiB each, 1 MiB in all).  256
 * legacy TX descriptors, one per skb (buffers are linear and memory is
 * identity mapped, so skb->data is the DMA address).  RX invariant: every
 * slot always holds a buffer; a frame is handed up only once a replacement
 * buffer is attached, otherwise it is dropped and its buffer reused
 * (rx_alloc_failed), so the ring can never drain because memory ran out.
 * The one slot before rx_next is the gap that keeps RDT != RDH on a full
 * ring.  TX: tx_clean..tx_next are in flight; one slot stays empty so
 * TDT == TDH means "idle".  A packet's skb sits in the slot of its last
 * descriptor, the only one that asks for status (RS): the device processes
 * descriptors in order, so that DD covers the packet's context and first
 * buffers too, and each status write the device is spared is work saved
 * (under QEMU, a DMA write in the vCPU thread per descriptor).
 *
 * Offloads (NETIF_F_IP_CSUM, NETIF_F_TSO): a CHECKSUM_PARTIAL skb goes as
 * TCP/IP data descriptors (3.3.7) under a context descriptor (3.3.6) that
 * names the checksum; the context stays in the device, so it is written
 * only when it changes.  A GSO skb gets a TSE context of its own (header
 * length, MSS, payload length) and its buffer in data descriptors of at
 * most E1000_TX_MAX_LEN bytes (NETIF_F_SG: a nonlinear skb's frags too,
 * frags that continue each other in memory sharing descriptors); the
 * device repeats the headers per segment and fixes IP length, IP ID,
 * sequence number and both checksums, for which the IP checksum must be
 * zero and the TCP one a pseudo-header sum without the length (3.5.1.2).
 * Receive (NETIF_F_RXCSUM): RXCSUM asks for IP and TCP/UDP checksum
 * checks, and a frame the device found good skips software verification
 * (QEMU's 8254x models set IXSM, "no word").
 *
 * Interrupts: MSI when the function has the capability (82574L), else
 * INTx, level-triggered through the IOAPIC.  INTx routing: the ACPI _PRT
 * is not parsed; the firmware's Interrupt Line register (legacy PIRQ
 * routing to an ISA IRQ, which QEMU's q35 and real chipsets also drive
 * into the IOAPIC input of that number) names the GSI.  The line must not
 * be shared with another active device: a vector has one handler.
 *
 * Context: the hard-IRQ handler reads ICR (which clears it), masks the
 * device (IMC), records the causes and schedules NAPI.  Everything else -
 * TX reclaim, receive, refill, link changes (carrier on/off), counters -
 * runs in the NAPI poll (NET_RX softirq), which unmasks (IMS) when done.
 * Transmit runs in softirq or with bottom halves disabled; on one CPU it
 * never overlaps the poll, so the rings need no lock.  Probe, open and stop
 * run in thread context.
 */
#include "drivers/net/e1000_hw.h"

#include "kernel/arch/x86_64/irq.h"
#include "kernel/errno.h"
#include "kernel/initcall.h"
#include "kernel/kernel.h"
#include "kernel/lib/format.h"
#include "kernel/lib/string.h"
#include "kernel/mm/page_alloc.h"
#include "kernel/pci/pci.h"
#include "kernel/printk.h"
#include "kernel/time.h"
#include "net/core/checksum.h"
#include "net/core/netdevice.h"
#include "net/core/stats.h"
#include "net/ethernet/eth.h"

#define E1000_RX_RING		256
#define E1000_TX_RING		256
#define E1000_RX_BUF_LEN	1522	/* longest frame with LPE off (RCTL.BSIZE_2048) */
#define E1000_TX_MAX_LEN	16288	/* legacy descriptor limit (3.3.3), and our data descriptors' */
#define E1000_IPPROTO_TCP	6	/* the pseudo-header of a TSO context */
/* A GSO skb at most: a context and its 64 KiB in data descriptors, one
 * more per part (linear part and MAX_SKB_FRAGS frags) for the ends. */
#define E1000_TX_MAX_DESCS	(1 + 1 + MAX_SKB_FRAGS + \
				 (65535 + E1000_TX_MAX_LEN - 1) / E1000_TX_MAX_LEN)
#define E1000_TX_WAKE		E1000_TX_MAX_DESCS	/* free slots to wake a stopped queue */
/* 20000 interrupts/s at most: 50 us between them, in 256 ns units (13.4.18). */
#define E1000_ITR_VALUE		195
#define E1000_IMS_ENABLE	(E1000_ICR_TXDW | E1000_ICR_LSC | E1000_ICR_RXSEQ | \
				 E1000_ICR_RXDMT0 | E1000_ICR_RXO | E1000_ICR_RXT0)

/* Model differences that matter to this driver. */
#define E1000_F_EERD_V2	0x1	/* EERD address at bit 2, done at bit 1 */
#define E1000_F_NO_EERD	0x2	/* 82544: no EERD, RAL/RAH hold the EEPROM MAC */
#define E1000_F_NO_ITR	0x4	/* 82544: no ITR register */
#define E1000_F_DUAL	0x8	/* 82546: function 1's MAC is function 0's ^ 1 */

struct e1000_model {
	const char *name;
	unsigned int flags;
};

static const struct e1000_model m82540 = { "82540", 0 };
static const struct e1000_model m82541 = { "82541", E1000_F_EERD_V2 };
static const struct e1000_model m82544 = { "82544", E1000_F_NO_EERD | E1000_F_NO_ITR };
static const struct e1000_model m82545 = { "82545", 0 };
static const struct e1000_model m82546 = { "82546", E1000_F_DUAL };
static const struct e1000_model m82547 = { "82547", E1000_F_EERD_V2 };
static const struct e1000_model m82574 = { "82574L", E1000_F_EERD_V2 };

/*
 * Driver counters for drops and events net_device_stats has no name for,
 * published as the MIB family "<dev>.e1000":
 *   rx_alloc_failed  frame dropped and its buffer reused: no skb to replace it
 *   rx_multi_desc    frame spanning descriptors (a giant): dropped
 *   rx_overrun_irqs  ICR.RXO events (ring overruns are counted in rx_over_errors)
 *   tx_busy          start_xmit found the ring full
 *   tx_oversize      skb too long for one descriptor, or in more parts than
 *                    E1000_TX_MAX_DESCS allows: dropped
 *   irq_none         interrupt with ICR 0 (not ours)
 */
#define E1000_XSTATS(X) \
	X(rx_alloc_failed) X(rx_multi_desc) X(rx_overrun_irqs) X(tx_busy) X(tx_oversize) \
	X(irq_none)

struct e1000_xstats {
	E1000_XSTATS(MIB_FIELD)
};

static const char *const e1000_xstats_names[] = { E1000_XSTATS(MIB_NAME) };

struct e1000 {
	volatile uint8_t *regs;
	struct net_device *ndev;
	struct pci_dev *pdev;
	const struct e1000_model *model;
	struct napi_struct napi;
	char pci_name[16];
	int vector;
	bool msi;
	uint32_t gsi;
	uint32_t irq_events;		/* ICR causes, hard IRQ -> poll */

	struct e1000_rx_desc *rx_ring;
	struct sk_buff *rx_skb[E1000_RX_RING];
	unsigned int rx_next;		/* next descriptor the device completes */
	bool rx_discard;		/* inside a multi-descriptor frame */

	struct e1000_tx_desc *tx_ring;
	struct sk_buff *tx_skb[E1000_TX_RING];
	unsigned int tx_next;		/* next free slot (TDT) */
	unsigned int tx_clean;		/* oldest slot in flight */
	uint32_t tx_csum_ctx;		/* checksum context in the device (tucss << 8 | tucso), 0: none */

	struct e1000_xstats xstats;
	char mib_family[IFNAMSIZ + 8];
	struct mib mib;
};

static inline uint32_t e1000_rd(const struct e1000 *e, uint32_t reg)
{
	return *(const volatile uint32_t *)(e->regs + reg);
}

static inline void e1000_wr(struct e1000 *e, uint32_t reg, uint32_t val)
{
	*(volatile uint32_t *)(e->regs + reg) = val;
}

/* x86 keeps stores in order and loads in order, and the UC doorbell write
 * is not reordered with earlier stores, so descriptor ordering against the
 * device only needs the compiler held back. */
static inline void e1000_dma_barrier(void)
{
	barrier();
}

static unsigned int e1000_tx_free(const struct e1000 *e)
{
	return E1000_TX_RING - 1 - ((e->tx_next - e->tx_clean) % E1000_TX_RING);
}

/* Global reset (SDM 14.9): quiesce DMA, set CTRL.RST, wait for it to clear,
 * mask everything.  -EIO if the device never comes back (or is gone).
 * The 10 ms for DMA in flight are waited only if a receiver or transmitter
 * was on (firmware's PXE, a previous open): a device fresh from power-on
 * has none, and boot is 10 ms shorter for it. */
static int e1000_reset(struct e1000 *e)
{
	bool dma_on = (e1000_rd(e, E1000_RCTL) & E1000_RCTL_EN) ||
		      (e1000_rd(e, E1000_TCTL) & E1000_TCTL_EN);

	e1000_wr(e, E1000_IMC, 0xffffffffu);
	e1000_wr(e, E1000_RCTL, 0);
	e1000_wr(e, E1000_TCTL, E1000_TCTL_PSP);
	(void)e1000_rd(e, E1000_STATUS);	/* flush the posted writes */
	if (dma_on)
		udelay(10000);
	e1000_wr(e, E1000_CTRL, e1000_rd(e, E1000_CTRL) | E1000_CTRL_RST);
	/* Registers must not be touched for a while after RST (14.9). */
	udelay(5000);
	for (int i = 0; i < 100; i++) {
		uint32_t ctrl = e1000_rd(e, E1000_CTRL);

		if (ctrl == 0xffffffffu)
			return -EIO;		/* master abort: the device is gone */
		if (!(ctrl & E1000_CTRL_RST)) {
			e1000_wr(e, E1000_IMC, 0xffffffffu);
			(void)e1000_rd(e, E1000_ICR);
			return 0;
		}
		udelay(1000);
	}
	return -EIO;
}

/* One EEPROM word through EERD (13.4.4); false on timeout or no EERD. */
static bool e1000_eeprom_read(struct e1000 *e, unsigned int word, uint16_t *out)
{
	bool v2 = e->model->flags & E1000_F_EERD_V2;
	uint32_t done = v2 ? E1000_EERD_DONE_V2 : E1000_EERD_DONE;
	unsigned int shift = v2 ? E1000_EERD_ADDR_SHIFT_V2 : E1000_EERD_ADDR_SHIFT;

	if (e->model->flags & E1000_F_NO_EERD)
		return false;
	e1000_wr(e, E1000_EERD, (word << shift) | E1000_EERD_START);
	for (int i = 0; i < 1000; i++) {
		uint32_t v = e1000_rd(e, E1000_EERD);

		if (v & done) {
			*out = (uint16_t)(v >> E1000_EERD_DATA_SHIFT);
			return true;
		}
		udelay(5);
	}
	return false;
}

/* MAC address: EEPROM words 0-2 (5.6.1), else RAL0/RAH0 (which the device
 * loads from the EEPROM at reset), else a random local address.  Returns
 * where it came from. */
static const char *e1000_read_mac(struct e1000 *e, uint8_t *mac)
{
	uint16_t w[3];
	uint32_t ral, rah;

	if (e1000_eeprom_read(e, 0, &w[0]) && e1000_eeprom_read(e, 1, &w[1]) &&
	    e1000_eeprom_read(e, 2, &w[2])) {
		for (int i = 0; i < 3; i++) {
			mac[2 * i] = (uint8_t)w[i];
			mac[2 * i + 1] = (uint8_t)(w[i] >> 8);
		}
		/* Dual-port parts store port A's address; B flips the last bit. */
		if ((e->model->flags & E1000_F_DUAL) && PCI_FUNC(e->pdev->devfn) == 1)
			mac[5] ^= 1;
		if (is_valid_ether_addr(mac))
			return "eeprom";
	}
	ral = e1000_rd(e, E1000_RAL0);
	rah = e1000_rd(e, E1000_RAH0);
	for (int i = 0; i < 4; i++)
		mac[i] = (uint8_t)(ral >> (8 * i));
	mac[4] = (uint8_t)rah;
	mac[5] = (uint8_t)(rah >> 8);
	if ((rah & E1000_RAH_AV) && is_valid_ether_addr(mac))
		return "ral";
	eth_random_addr(mac);
	return "random";
}

static void e1000_write_mac(struct e1000 *e, const uint8_t *mac)
{
	e1000_wr(e, E1000_RAL0, (uint32_t)mac[0] | (uint32_t)mac[1] << 8 |
		 (uint32_t)mac[2] << 16 | (uint32_t)mac[3] << 24);
	e1000_wr(e, E1000_RAH0, (uint32_t)mac[4] | (uint32_t)mac[5] << 8 | E1000_RAH_AV);
}

/* Carrier from STATUS.LU, with one log line per change. */
static void e1000_check_link(struct e1000 *e)
{
	static const unsigned int speeds[] = { 10, 100, 1000, 1000 };
	uint32_t status = e1000_rd(e, E1000_STATUS);
	bool up = status & E1000_STATUS_LU;

	if (up == netif_carrier_ok(e->ndev))
		return;
	if (up) {
		pr_info("%s: link up %u Mbps %s duplex\n", e->ndev->name,
			speeds[(status & E1000_STATUS_SPEED_MASK) >> E1000_STATUS_SPEED_SHIFT],
			status & E1000_STATUS_FD ? "full" : "half");
		netif_carrier_on(e->ndev);
	} else {
		pr_info("%s: link down\n", e->ndev->name);
		netif_carrier_off(e->ndev);
	}
}

/* Folds the clear-on-read hardware counters (13.7) into dev->stats. */
static void e1000_update_stats(struct e1000 *e)
{
	struct net_device_stats *s = &e->ndev->stats;
	uint32_t crc = e1000_rd(e, E1000_CRCERRS);
	uint32_t align = e1000_rd(e, E1000_ALGNERRC);
	uint32_t rxerr = e1000_rd(e, E1000_RXERRC);
	uint32_t rlec = e1000_rd(e, E1000_RLEC);

	s->rx_crc_errors += crc;
	s->rx_frame_errors += align;
	s->rx_length_errors += rlec;
	s->rx_errors += (uint64_t)crc + align + rxerr + rlec;
	s->rx_missed_errors += e1000_rd(e, E1000_MPC);
	s->rx_over_errors += e1000_rd(e, E1000_RNBC);
	s->collisions += e1000_rd(e, E1000_COLC);
	/* Runts and giants are already in RLEC; read them to keep them clear. */
	(void)e1000_rd(e, E1000_RUC);
	(void)e1000_rd(e, E1000_ROC);
}

static void e1000_get_stats(struct net_device *dev)
{
	e1000_update_stats(netdev_priv(dev));
}

/* Hard IRQ: read (and so clear) the causes, mask, defer to NAPI. */
static void e1000_intr(void *arg)
{
	struct e1000 *e = arg;
	uint32_t icr = e1000_rd(e, E1000_ICR);

	if (!icr) {
		e->xstats.irq_none++;
		return;
	}
	e1000_wr(e, E1000_IMC, 0xffffffffu);
	__atomic_fetch_or(&e->irq_events, icr, __ATOMIC_RELAXED);
	napi_schedule(&e->napi);
}

/* Gives slot i a fresh buffer. */
static void e1000_rx_attach(struct e1000 *e, unsigned int i, struct sk_buff *skb)
{
	e->rx_skb[i] = skb;
	e->rx_ring[i].addr = (uint64_t)(uintptr_t)skb->data;
	e->rx_ring[i].status = 0;
}

/* True if the completed descriptor's frame must be dropped (counted); its
 * buffer then stays in the ring. */
static bool e1000_rx_bad(struct e1000 *e, const struct e1000_rx_desc *d, uint8_t status)
{
	bool continuation = e->rx_discard;

	e->rx_discard = !(status & E1000_RXD_STAT_EOP);
	if (continuation || e->rx_discard) {
		/* LPE is off and buffers hold a full frame, so this is a giant. */
		if (!continuation) {
			e->xstats.rx_multi_desc++;
			e->ndev->stats.rx_length_errors++;
			e->ndev->stats.rx_errors++;
		}
		return true;
	}
	if (d->errors & E1000_RXD_ERR_FRAME) {
		e->ndev->stats.rx_errors++;
		return true;
	}
	if (d->length < ETH_HLEN || d->length > E1000_RX_BUF_LEN) {
		e->ndev->stats.rx_length_errors++;
		e->ndev->stats.rx_errors++;
		return true;
	}
	return false;
}

/* The device's word on the TCP/UDP checksum (3.2.9): checked and good
 * skips software verification; bad is counted and left to software (which
 * counts and drops it); IXSM or neither bit: no word. */
static void e1000_rx_csum(struct e1000 *e, struct sk_buff *skb, uint8_t status, uint8_t errors)
{
	if (status & E1000_RXD_STAT_IXSM)
		return;
	if (!(status & (E1000_RXD_STAT_TCPCS | E1000_RXD_STAT_UDPCS)))
		return;
	if (errors & (E1000_RXD_ERR_TCPE | E1000_RXD_ERR_IPE)) {
		e->ndev->stats.rx_csum_hw_bad++;
		return;
	}
	skb->ip_summed = CHECKSUM_UNNECESSARY;
	e->ndev->stats.rx_csum_offload++;
}

/* Hands up the frame in slot i if a replacement buffer can be attached. */
static void e1000_rx_one(struct e1000 *e, unsigned int i, uint8_t status)
{
	struct net_device *dev = e->ndev;
	struct e1000_rx_desc *d = &e->rx_ring[i];
	struct sk_buff *skb = e->rx_skb[i], *fresh;
	unsigned int len = d->length;
	uint8_t errors = d->errors;

	if (e1000_rx_bad(e, d, status))
		goto reuse;
	fresh = netdev_alloc_skb(dev, E1000_RX_BUF_LEN);
	if (!fresh) {
		e->xstats.rx_alloc_failed++;
		dev->stats.rx_dropped++;
		goto reuse;
	}
	e1000_rx_attach(e, i, fresh);
	skb_put(skb, len);
	e1000_rx_csum(e, skb, status, errors);
	skb->protocol = eth_type_trans(skb, dev);
	dev->stats.rx_packets++;
	dev->stats.rx_bytes += len;
	if (skb->pkt_type == PACKET_MULTICAST)
		dev->stats.multicast++;
	netif_receive_skb(skb);
	return;
reuse:
	d->status = 0;
}

/* Receives up to budget frames; returns how many descriptors completed. */
static int e1000_rx(struct e1000 *e, int budget)
{
	int done = 0;

	while (done < budget) {
		unsigned int i = e->rx_next;
		uint8_t status = READ_ONCE(e->rx_ring[i].status);

		if (!(status & E1000_RXD_STAT_DD))
			break;
		e1000_dma_barrier();	/* length and errors after DD */
		e1000_rx_one(e, i, status);
		e->rx_next = (i + 1) % E1000_RX_RING;
		done++;
	}
	if (done) {
		/* Slots up to rx_next - 1 are refilled; the gap moves with them. */
		e1000_dma_barrier();
		e1000_wr(e, E1000_RDT, (e->rx_next + E1000_RX_RING - 1) % E1000_RX_RING);
	}
	return done;
}

/* Frees transmitted skbs; wakes a stopped queue once there is room. */
static void e1000_tx_reclaim(struct e1000 *e)
{
	struct net_device *dev = e->ndev;
	unsigned int n = 0;

	while (e->tx_clean != e->tx_next) {
		unsigned int i = e->tx_clean;
		struct sk_buff *skb;

		/* A packet's context and first buffers have no skb and no DD. */
		while (i != e->tx_next && !e->tx_skb[i])
			i = (i + 1) % E1000_TX_RING;
		if (i == e->tx_next || !(READ_ONCE(e->tx_ring[i].status) & E1000_TXD_STAT_DD))
			break;
		skb = e->tx_skb[i];
		e->tx_clean = (i + 1) % E1000_TX_RING;
		dev->stats.tx_packets++;
		dev->stats.tx_bytes += skb->len;
		consume_skb(skb);
		e->tx_skb[i] = NULL;
		n++;
	}
	if (n && netif_queue_stopped(dev) && e1000_tx_free(e) >= E1000_TX_WAKE)
		netif_wake_queue(dev);
}

static int e1000_poll(struct napi_struct *napi, int budget)
{
	struct e1000 *e = container_of(napi, struct e1000, napi);
	uint32_t icr = __atomic_exchange_n(&e->irq_events, 0, __ATOMIC_RELAXED);
	int work;

	if (icr & E1000_ICR_LSC)
		e1000_check_link(e);
	if (icr & E1000_ICR_RXO) {
		e->xstats.rx_overrun_irqs++;
		e1000_update_stats(e);
	}
	e1000_tx_reclaim(e);
	work = e1000_rx(e, budget);
	if (work < budget && napi_complete_done(napi, work))
		e1000_wr(e, E1000_IMS, E1000_IMS_ENABLE);
	return work;
}

/*
 * A run of a packet's bytes that are contiguous in memory: a part (the
 * linear part or a frag) with the frags after it that start where it ends.
 * TCP's frags of one write are consecutive slices of one buffer, so a GSO
 * skb of 25 frags is mostly one run: a few descriptors of E1000_TX_MAX_LEN
 * instead of one per frag, each one a descriptor the device need not read.
 */
struct e1000_tx_run {
	const unsigned char *p;
	unsigned int len;
	unsigned int done;		/* packet bytes before this run */
	const struct sk_buff *next;	/* first frag after it */
};

static void e1000_tx_run_grow(struct e1000_tx_run *r, const struct sk_buff *f)
{
	for (; f && (!f->len || f->data == r->p + r->len); f = f->next)
		r->len += f->len;
	r->next = f;
}

static void e1000_tx_run_first(struct e1000_tx_run *r, const struct sk_buff *skb)
{
	*r = (struct e1000_tx_run){ .p = skb->data, .len = skb_headlen(skb) };
	e1000_tx_run_grow(r, skb->frag_list);
}

/* The run after r; false after the last. */
static bool e1000_tx_run_next(struct e1000_tx_run *r)
{
	const struct sk_buff *f = r->next;

	if (!f)
		return false;
	r->done += r->len;
	r->p = f->data;
	r->len = f->len;
	e1000_tx_run_grow(r, f->next);
	return true;
}

/* Data descriptors for skb's bytes: each run in pieces of at most
 * E1000_TX_MAX_LEN. */
static unsigned int e1000_tx_data_descs(const struct sk_buff *skb)
{
	struct e1000_tx_run r;
	unsigned int n = 0;

	e1000_tx_run_first(&r, skb);
	do
		n += (r.len + E1000_TX_MAX_LEN - 1) / E1000_TX_MAX_LEN;
	while (e1000_tx_run_next(&r));
	return n;
}

/* Descriptors skb takes: a context if one must be written, and its data. */
static unsigned int e1000_tx_descs(const struct e1000 *e, const struct sk_buff *skb)
{
	uint32_t ctx;

	if (skb_is_gso(skb))
		return 1 + e1000_tx_data_descs(skb);
	if (skb->ip_summed != CHECKSUM_PARTIAL)
		return e1000_tx_data_descs(skb);
	ctx = (uint32_t)(skb->csum_start - skb_headroom(skb)) << 8;
	ctx |= (skb->csum_start - skb_headroom(skb) + skb->csum_offset) & 0xff;
	return (ctx == e->tx_csum_ctx ? 0 : 1) + e1000_tx_data_descs(skb);
}

static unsigned int e1000_tx_take(struct e1000 *e)
{
	unsigned int i = e->tx_next;

	e->tx_next = (i + 1) % E1000_TX_RING;
	e->tx_ring[i].status = 0;
	return i;
}

/* The checksum context for a CHECKSUM_PARTIAL skb, if the device lacks it. */
static void e1000_tx_csum_ctx(struct e1000 *e, const struct sk_buff *skb)
{
	unsigned int css = skb->csum_start - skb_headroom(skb);
	uint32_t key = css << 8 | ((css + skb->csum_offset) & 0xff);
	struct e1000_context_desc *c;

	if (key == e->tx_csum_ctx)
		return;
	c = (struct e1000_context_desc *)&e->tx_ring[e1000_tx_take(e)];
	*c = (struct e1000_context_desc){
		.tucss = (uint8_t)css, .tucso = (uint8_t)(css + skb->csum_offset),
		.cmd_len = E1000_TXD_EXT_DEXT |
			   (skb->csum_offset == 16 ? E1000_TXD_CTX_TCP : 0),
	};
	e->tx_csum_ctx = key;
}

/* The TSE context for a GSO skb (TCP/IPv4: the core sends no other), with
 * the header fields the device expects (see the top).  0 or -ENOMEM. */
static int e1000_tx_tso_ctx(struct e1000 *e, struct sk_buff *skb)
{
	unsigned int ipcss = (unsigned int)skb_network_offset(skb);
	unsigned int tucss = skb->csum_start - skb_headroom(skb);
	unsigned int hdr_len;
	struct e1000_context_desc *c;
	uint32_t saddr, daddr;
	uint16_t check;
	uint8_t *th;

	if (skb_cow_head(skb, 0))
		return -ENOMEM;
	th = skb->data + tucss;
	hdr_len = tucss + (th[12] >> 4) * 4u;
	memcpy(&saddr, skb->data + ipcss + 12, 4);
	memcpy(&daddr, skb->data + ipcss + 16, 4);
	memset(skb->data + ipcss + 10, 0, 2);
	check = (uint16_t)~csum_tcpudp_magic(saddr, daddr, 0, E1000_IPPROTO_TCP, 0);
	memcpy(th + 16, &check, 2);
	c = (struct e1000_context_desc *)&e->tx_ring[e1000_tx_take(e)];
	*c = (struct e1000_context_desc){
		.ipcss = (uint8_t)ipcss, .ipcso = (uint8_t)(ipcss + 10),
		.ipcse = (uint16_t)(tucss - 1),
		.tucss = (uint8_t)tucss, .tucso = (uint8_t)(tucss + 16),
		.cmd_len = (skb->len - hdr_len) | E1000_TXD_EXT_DEXT |
			   E1000_TXD_EXT_TSE | E1000_TXD_CTX_TCP | E1000_TXD_CTX_IP,
		.hdr_len = (uint8_t)hdr_len, .mss = skb->gso_size,
	};
	e->tx_csum_ctx = 0;
	return 0;
}

/* One run of skb's bytes in data descriptors under the current context;
 * returns the slot of the last. */
static unsigned int e1000_tx_data_run(struct e1000 *e, const struct sk_buff *skb,
				      const struct e1000_tx_run *r)
{
	const unsigned char *p = r->p;
	unsigned int len = r->len, done = r->done;
	uint32_t cmd = E1000_TXD_DTYP_D | E1000_TXD_EXT_DEXT | E1000_TXD_EXT_IFCS |
		       (skb_is_gso(skb) ? E1000_TXD_EXT_TSE : 0);
	uint8_t popts = E1000_TXD_POPTS_TXSM | (skb_is_gso(skb) ? E1000_TXD_POPTS_IXSM : 0);
	unsigned int off = 0, i = 0;

	while (off < len) {
		unsigned int n = MIN(len - off, (unsigned int)E1000_TX_MAX_LEN);
		struct e1000_data_desc *d;

		i = e1000_tx_take(e);
		d = (struct e1000_data_desc *)&e->tx_ring[i];
		d->addr = (uint64_t)(uintptr_t)(p + off);
		d->popts = done + off ? 0 : popts;
		d->special = 0;
		off += n;
		d->cmd_len = n | cmd |
			     (done + off == skb->len ? E1000_TXD_EXT_EOP | E1000_TXD_EXT_RS : 0);
	}
	return i;
}

/* One run of a packet with its checksum done in a legacy descriptor (the
 * packet fits E1000_TX_MAX_LEN). */
static unsigned int e1000_tx_legacy_run(struct e1000 *e, const struct sk_buff *skb,
					const struct e1000_tx_run *r)
{
	unsigned int i = e1000_tx_take(e);
	struct e1000_tx_desc *d = &e->tx_ring[i];

	d->addr = (uint64_t)(uintptr_t)r->p;
	d->length = (uint16_t)r->len;
	d->cso = 0;
	d->css = 0;
	d->special = 0;
	d->cmd = E1000_TXD_CMD_IFCS |
		 (r->done + r->len == skb->len ? E1000_TXD_CMD_EOP | E1000_TXD_CMD_RS : 0);
	return i;
}

/* skb's bytes, run by run, each in the descriptors `put` writes (data
 * descriptors under the current context, or legacy ones for a packet with
 * its checksum done); returns the slot of the last. */
static unsigned int e1000_tx_runs(struct e1000 *e, const struct sk_buff *skb,
				  unsigned int (*put)(struct e1000 *, const struct sk_buff *,
						      const struct e1000_tx_run *))
{
	struct e1000_tx_run r;
	unsigned int last = 0;

	e1000_tx_run_first(&r, skb);
	do
		if (r.len)
			last = put(e, skb, &r);
	while (e1000_tx_run_next(&r));
	return last;
}

static enum netdev_tx e1000_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct e1000 *e = netdev_priv(dev);
	unsigned int last, descs = e1000_tx_descs(e, skb);

	if (skb->len == 0 || (skb->len > E1000_TX_MAX_LEN && !skb_is_gso(skb)) ||
	    descs > E1000_TX_MAX_DESCS) {
		e->xstats.tx_oversize++;
		dev->stats.tx_errors++;
		kfree_skb(skb);
		return NETDEV_TX_OK;
	}
	if (e1000_tx_free(e) < descs) {
		e->xstats.tx_busy++;
		netif_stop_queue(dev);
		return NETDEV_TX_BUSY;
	}
	if (skb_is_gso(skb) && e1000_tx_tso_ctx(e, skb)) {
		dev->stats.tx_dropped++;
		kfree_skb(skb);
		return NETDEV_TX_OK;
	}
	if (skb->ip_summed == CHECKSUM_PARTIAL) {
		if (!skb_is_gso(skb))
			e1000_tx_csum_ctx(e, skb);
		last = e1000_tx_runs(e, skb, e1000_tx_data_run);
	} else {
		last = e1000_tx_runs(e, skb, e1000_tx_legacy_run);
	}
	e->tx_skb[last] = skb;
	e1000_dma_barrier();
	e1000_wr(e, E1000_TDT, e->tx_next);
	if (e1000_tx_free(e) < E1000_TX_MAX_DESCS)
		netif_stop_queue(dev);
	return NETDEV_TX_OK;
}

/* Multicast hash with RCTL.MO = 0: address bits 47:36 (13.4.47). */
static unsigned int e1000_mta_hash(const uint8_t *addr)
{
	return ((addr[4] >> 4) | ((unsigned int)addr[5] << 4)) & 0xfff;
}

/* The multicast hash table from dev->mc_list. */
static void e1000_write_mta(struct e1000 *e)
{
	const struct net_device *dev = e->ndev;
	uint32_t mta[E1000_MTA_WORDS] = { 0 };

	for (unsigned int i = 0; i < dev->mc_count; i++) {
		unsigned int h = e1000_mta_hash(dev->mc_list[i]);

		mta[h >> 5] |= 1u << (h & 31);
	}
	for (unsigned int i = 0; i < E1000_MTA_WORDS; i++)
		e1000_wr(e, E1000_MTA + 4 * i, mta[i]);
}

/* rctl with the promiscuous bits dev->flags ask for. */
static uint32_t e1000_rctl_filter(const struct net_device *dev, uint32_t rctl)
{
	rctl &= ~(E1000_RCTL_UPE | E1000_RCTL_MPE);
	if (dev->flags & IFF_PROMISC)
		rctl |= E1000_RCTL_UPE | E1000_RCTL_MPE;
	else if (dev->flags & IFF_ALLMULTI)
		rctl |= E1000_RCTL_MPE;
	return rctl;
}

/* RCTL is written only when it changes: QEMU's 8254x models (not its
 * 82574L) hold every received frame back for 1 s after any RCTL write
 * (hw/net/e1000.c, flush_queue_timer), so rewriting the same value, as
 * dev_open's rx-mode call after ndo_open would, stalls receive for a
 * second at no gain on any device. */
static void e1000_set_rx_mode(struct net_device *dev)
{
	struct e1000 *e = netdev_priv(dev);
	uint32_t old = e1000_rd(e, E1000_RCTL), rctl = e1000_rctl_filter(dev, old);

	e1000_write_mta(e);
	if (rctl != old)
		e1000_wr(e, E1000_RCTL, rctl);
}

static int e1000_set_mac_address(struct net_device *dev, const uint8_t *addr)
{
	if (!is_valid_ether_addr(addr))
		return -EINVAL;
	ether_addr_copy(dev->dev_addr, addr);
	e1000_write_mac(netdev_priv(dev), addr);
	return 0;
}

static void e1000_free_rings(struct e1000 *e)
{
	for (unsigned int i = 0; i < E1000_RX_RING; i++) {
		kfree_skb(e->rx_skb[i]);
		e->rx_skb[i] = NULL;
	}
	for (unsigned int i = 0; i < E1000_TX_RING; i++) {
		kfree_skb(e->tx_skb[i]);
		e->tx_skb[i] = NULL;
	}
	if (e->rx_ring)
		page_free(e->rx_ring, 0);
	if (e->tx_ring)
		page_free(e->tx_ring, 0);
	e->rx_ring = NULL;
	e->tx_ring = NULL;
}

_Static_assert(E1000_RX_RING * sizeof(struct e1000_rx_desc) <= 4096, "RX ring fits a page");
_Static_assert(E1000_TX_RING * sizeof(struct e1000_tx_desc) <= 4096, "TX ring fits a page");

/* Rings in zeroed pages (the 128-byte alignment RDBA/TDBA need, 3.2.6),
 * every RX slot with a buffer. */
static __cold int e1000_alloc_rings(struct e1000 *e)
{
	e->rx_ring = page_alloc(0);
	e->tx_ring = page_alloc(0);
	if (!e->rx_ring || !e->tx_ring)
		goto err;
	for (unsigned int i = 0; i < E1000_RX_RING; i++) {
		struct sk_buff *skb = netdev_alloc_skb(e->ndev, E1000_RX_BUF_LEN);

		if (!skb)
			goto err;
		e1000_rx_attach(e, i, skb);
	}
	e->rx_next = 0;
	e->rx_discard = false;
	e->tx_next = 0;
	e->tx_clean = 0;
	e->tx_csum_ctx = 0;
	return 0;
err:
	e1000_free_rings(e);
	return -ENOMEM;
}

/* Programs a freshly reset device: link, address, rings, throttling. */
static __cold void e1000_configure(struct e1000 *e)
{
	uint32_t ctrl = e1000_rd(e, E1000_CTRL);

	ctrl &= ~(E1000_CTRL_LRST | E1000_CTRL_PHY_RST | E1000_CTRL_ILOS | E1000_CTRL_VME);
	e1000_wr(e, E1000_CTRL, ctrl | E1000_CTRL_SLU | E1000_CTRL_ASDE);
	e1000_write_mac(e, e->ndev->dev_addr);

	e1000_wr(e, E1000_RDBAL, (uint32_t)(uintptr_t)e->rx_ring);
	e1000_wr(e, E1000_RDBAH, (uint32_t)((uint64_t)(uintptr_t)e->rx_ring >> 32));
	e1000_wr(e, E1000_RDLEN, E1000_RX_RING * sizeof(struct e1000_rx_desc));
	e1000_wr(e, E1000_RDH, 0);
	e1000_wr(e, E1000_RDT, E1000_RX_RING - 1);
	e1000_wr(e, E1000_RDTR, 0);		/* ITR alone paces RX interrupts */
	e1000_wr(e, E1000_RXCSUM, E1000_RXCSUM_IPOFL | E1000_RXCSUM_TUOFL);

	e1000_wr(e, E1000_TDBAL, (uint32_t)(uintptr_t)e->tx_ring);
	e1000_wr(e, E1000_TDBAH, (uint32_t)((uint64_t)(uintptr_t)e->tx_ring >> 32));
	e1000_wr(e, E1000_TDLEN, E1000_TX_RING * sizeof(struct e1000_tx_desc));
	e1000_wr(e, E1000_TDH, 0);
	e1000_wr(e, E1000_TDT, 0);
	e1000_wr(e, E1000_TIDV, 0);
	e1000_wr(e, E1000_TIPG, E1000_TIPG_COPPER);
	if (!(e->model->flags & E1000_F_NO_ITR))
		e1000_wr(e, E1000_ITR, E1000_ITR_VALUE);

	e1000_wr(e, E1000_TCTL, E1000_TCTL_EN | E1000_TCTL_PSP |
		 (0x0fu << E1000_TCTL_CT_SHIFT) | (0x40u << E1000_TCTL_COLD_SHIFT));
	/* One RCTL write, filters included (see e1000_set_rx_mode). */
	e1000_write_mta(e);
	e1000_wr(e, E1000_RCTL, e1000_rctl_filter(e->ndev, E1000_RCTL_EN | E1000_RCTL_BAM |
						   E1000_RCTL_SECRC | E1000_RCTL_BSIZE_2048 |
						   E1000_RCTL_RDMTS_HALF));
}

static __cold int e1000_open(struct net_device *dev)
{
	struct e1000 *e = netdev_priv(dev);
	int err = e1000_alloc_rings(e);

	if (err)
		return err;
	e1000_configure(e);
	e->irq_events = 0;
	napi_enable(&e->napi);
	netif_start_queue(dev);
	e1000_check_link(e);
	(void)e1000_rd(e, E1000_ICR);
	e1000_wr(e, E1000_IMS, E1000_IMS_ENABLE);
	return 0;
}

static int e1000_stop(struct net_device *dev)
{
	struct e1000 *e = netdev_priv(dev);

	e1000_wr(e, E1000_IMC, 0xffffffffu);
	napi_disable(&e->napi);
	netif_carrier_off(dev);
	/* A reset stops DMA for good before the buffers go back. */
	if (e1000_reset(e))
		pr_err("%s: reset failed while stopping; rings kept\n", dev->name);
	else
		e1000_free_rings(e);
	return 0;
}

static const struct net_device_ops e1000_netdev_ops = {
	.ndo_open = e1000_open,
	.ndo_stop = e1000_stop,
	.ndo_start_xmit = e1000_xmit,
	.ndo_set_rx_mode = e1000_set_rx_mode,
	.ndo_set_mac_address = e1000_set_mac_address,
	.ndo_get_stats = e1000_get_stats,
};

/* MSI if the function has it, else INTx through the IOAPIC.  Writes a
 * description for the probe line into buf. */
static int e1000_setup_irq(struct e1000 *e, char *buf, size_t size)
{
	struct pci_dev *pdev = e->pdev;
	bool level, active_low;
	int err;

	e->vector = irq_alloc_vector(e1000_intr, e);
	if (e->vector < 0)
		return e->vector;
	if (pdev->msi_cap && pci_enable_msi(pdev, e->vector) == 0) {
		e->msi = true;
		ksnprintf(buf, size, "msi vector %#x", e->vector);
		return 0;
	}
	if (!pdev->irq_pin || pdev->irq_line == 0xff) {
		err = -ENODEV;
		goto err_free;
	}
	/* A PCI line is level-triggered, active low, whatever the ISA default. */
	e->gsi = pdev->irq_line < 16 ? irq_isa_to_gsi(pdev->irq_line, &level, &active_low)
				     : pdev->irq_line;
	err = ioapic_route_gsi(e->gsi, e->vector, true, true);
	if (err)
		goto err_free;
	pci_intx(pdev, true);
	ksnprintf(buf, size, "intx line %u gsi %u vector %#x", pdev->irq_line, e->gsi,
		  e->vector);
	return 0;
err_free:
	irq_free_vector(e->vector);
	return err;
}

static void e1000_netdev_setup(struct e1000 *e, struct net_device *dev)
{
	dev->driver = "e1000";
	dev->features = NETIF_F_IP_CSUM | NETIF_F_TSO | NETIF_F_RXCSUM | NETIF_F_SG;
	dev->netdev_ops = &e1000_netdev_ops;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = ETH_DATA_LEN;	/* RCTL.LPE stays off */
	netif_napi_add(dev, &e->napi, e1000_poll, NAPI_POLL_WEIGHT);
}

/* Publishes the driver counters and prints the probe line (tests match it). */
static void e1000_announce(struct e1000 *e, const char *mac_src, const char *irq_desc)
{
	struct net_device *dev = e->ndev;
	char mac[MAC_ADDR_STR_LEN];

	ksnprintf(e->mib_family, sizeof(e->mib_family), "%s.e1000", dev->name);
	e->mib = (struct mib)MIB_INIT(e->mib_family, e1000_xstats_names, &e->xstats);
	mib_register(&e->mib);
	pr_info("%s: e1000 %s %04x:%04x at %s, mac %s (%s), %s\n", dev->name, e->model->name,
		e->pdev->vendor, e->pdev->device, e->pci_name, eth_addr_format(mac, dev->dev_addr),
		mac_src, irq_desc);
}

static __cold int e1000_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	const struct e1000_model *model = (const struct e1000_model *)id->driver_data;
	struct net_device *dev;
	struct e1000 *e;
	char irq_desc[48];
	const char *mac_src;
	int err;

	pci_enable_device(pdev);
	pci_set_master(pdev);
	dev = alloc_etherdev(sizeof(struct e1000));
	if (!dev)
		return -ENOMEM;
	e = netdev_priv(dev);
	e->ndev = dev;
	e->pdev = pdev;
	e->model = model;
	pci_name(pdev, e->pci_name, sizeof(e->pci_name));
	e->regs = pci_iomap(pdev, 0);
	if (!e->regs) {
		pr_err("e1000 %s: BAR0 is not mappable memory; device ignored\n", e->pci_name);
		err = -ENXIO;
		goto err_free;
	}
	err = e1000_reset(e);
	if (err) {
		pr_err("e1000 %s: %s failed to reset (CTRL.RST stuck or device gone); device ignored\n",
		       e->pci_name, model->name);
		goto err_free;
	}
	mac_src = e1000_read_mac(e, dev->dev_addr);
	e1000_netdev_setup(e, dev);
	netif_carrier_off(dev);		/* open reads the real state */
	err = e1000_setup_irq(e, irq_desc, sizeof(irq_desc));
	if (err) {
		pr_err("e1000 %s: no usable interrupt (error %d); device ignored\n", e->pci_name, err);
		goto err_napi;
	}
	err = register_netdev(dev);
	if (err)
		goto err_irq;
	pdev->driver_data = e;
	e1000_announce(e, mac_src, irq_desc);
	return 0;

err_irq:
	if (e->msi)
		pci_disable_msi(pdev);
	else
		ioapic_mask_gsi(e->gsi, true);
	irq_free_vector(e->vector);
err_napi:
	netif_napi_del(&e->napi);
err_free:
	free_netdev(dev);
	return err;
}

#define E1000_ID(dev, model) \
	{ .vendor = 0x8086, .device = (dev), .driver_data = (uintptr_t)&(model) }

/* 8254x IDs from the SDM's device table (1.1), plus the 82574L. */
static const struct pci_device_id e1000_ids[] = {
	E1000_ID(0x100e, m82540), E1000_ID(0x1015, m82540), E1000_ID(0x1016, m82540),
	E1000_ID(0x1017, m82540), E1000_ID(0x101e, m82540),
	E1000_ID(0x1013, m82541), E1000_ID(0x1018, m82541), E1000_ID(0x1014, m82541),
	E1000_ID(0x1078, m82541), E1000_ID(0x1076, m82541), E1000_ID(0x1077, m82541),
	E1000_ID(0x107c, m82541),
	E1000_ID(0x1008, m82544), E1000_ID(0x1009, m82544), E1000_ID(0x100c, m82544),
	E1000_ID(0x100d, m82544),
	E1000_ID(0x100f, m82545), E1000_ID(0x1011, m82545), E1000_ID(0x1026, m82545),
	E1000_ID(0x1027, m82545), E1000_ID(0x1028, m82545),
	E1000_ID(0x1010, m82546), E1000_ID(0x1012, m82546), E1000_ID(0x101d, m82546),
	E1000_ID(0x1079, m82546), E1000_ID(0x107a, m82546), E1000_ID(0x107b, m82546),
	E1000_ID(0x1019, m82547), E1000_ID(0x101a, m82547), E1000_ID(0x1075, m82547),
	E1000_ID(0x10d3, m82574),
	{ 0 },
};

static struct pci_driver e1000_driver = {
	.name = "e1000",
	.id_table = e1000_ids,
	.probe = e1000_probe,
};

static int e1000_init(void)
{
	return pci_register_driver(&e1000_driver);
}
device_initcall(e1000_init);
