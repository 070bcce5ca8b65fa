/*
 * Virtio PCI transports, modern and legacy (interface: virtio_pci.h).
 *
 * Modern registers are little-endian MMIO inside the BAR regions that the
 * vendor capabilities (struct virtio_pci_cap, 4.1.4) describe; legacy ones
 * are I/O ports in BAR0, in the guest's (little-endian) byte order.  The
 * first capability of each type whose BAR maps wins (4.1.4.1: a driver may
 * ignore ones it cannot use).  A modern device must offer VERSION_1.
 *
 * Ring barriers under QEMU's TCG: emulating one CPU, QEMU 7.2 (Debian 12's)
 * emits no host fence for the guest's fences or locked instructions (they
 * would only order guest CPUs against each other), yet the device model
 * runs in another host thread.  virtio_mb is then no barrier for the
 * device, and the event-index handshakes can lose a kick or an interrupt
 * for good.  Seen: a TX ring full of chains the device never looked at
 * (avail->idx 128 past the avail_event it sat waiting at, the TX queue
 * stopped, nothing sent any more).
 * A read of a device register does order us against the device model:
 * QEMU serves it under the lock the device model runs under.  So queues
 * add one (side-effect free) after virtio_mb when CPUID says TCG; on
 * hardware or KVM virtio_mb suffices and the read would only cost an exit.
 */
#include "drivers/net/virtio_pci.h"

#include "drivers/net/virtqueue.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/errno.h"
#include "kernel/kernel.h"
#include "kernel/pci/pci.h"
#include "kernel/time.h"

/* struct virtio_pci_cap (4.1.4). */
#define VIRTIO_PCI_CAP_CFG_TYPE		3
#define VIRTIO_PCI_CAP_BAR		4
#define VIRTIO_PCI_CAP_OFFSET		8
#define VIRTIO_PCI_CAP_LENGTH		12
#define VIRTIO_PCI_CAP_NOTIFY_MULT	16	/* virtio_pci_notify_cap only */
#define VIRTIO_PCI_CAP_COMMON_CFG	1
#define VIRTIO_PCI_CAP_NOTIFY_CFG	2
#define VIRTIO_PCI_CAP_ISR_CFG		3
#define VIRTIO_PCI_CAP_DEVICE_CFG	4

/* struct virtio_pci_common_cfg (4.1.4.3). */
#define VPC_DFSELECT		0x00
#define VPC_DF			0x04
#define VPC_GFSELECT		0x08
#define VPC_GF			0x0c
#define VPC_MSIX_CONFIG		0x10
#define VPC_STATUS		0x14
#define VPC_CFG_GENERATION	0x15
#define VPC_Q_SELECT		0x16
#define VPC_Q_SIZE		0x18
#define VPC_Q_MSIX		0x1a
#define VPC_Q_ENABLE		0x1c
#define VPC_Q_NOFF		0x1e
#define VPC_Q_DESC		0x20
#define VPC_Q_DRIVER		0x28
#define VPC_Q_DEVICE		0x30
#define VPC_COMMON_LEN		0x38

/* Legacy I/O register block (4.1.4.8, "Legacy Interfaces"). */
#define VPL_HOST_FEATURES	0x00
#define VPL_GUEST_FEATURES	0x04
#define VPL_QUEUE_PFN		0x08
#define VPL_QUEUE_NUM		0x0c
#define VPL_QUEUE_SEL		0x0e
#define VPL_QUEUE_NOTIFY	0x10
#define VPL_STATUS		0x12
#define VPL_ISR			0x13
#define VPL_MSIX_CONFIG		0x14	/* only while MSI-X is enabled */
#define VPL_MSIX_QUEUE		0x16
#define VPL_CONFIG		0x14	/* device config without MSI-X */
#define VPL_CONFIG_MSIX		0x18	/* ... and with it */
#define VPL_PFN_SHIFT		12

static inline uint8_t cr8(struct virtio_pci *vp, unsigned int off)
{
	return *(volatile uint8_t *)(vp->common + off);
}

static inline uint16_t cr16(struct virtio_pci *vp, unsigned int off)
{
	return *(volatile uint16_t *)(vp->common + off);
}

static inline uint32_t cr32(struct virtio_pci *vp, unsigned int off)
{
	return *(volatile uint32_t *)(vp->common + off);
}

static inline void cw8(struct virtio_pci *vp, unsigned int off, uint8_t v)
{
	*(volatile uint8_t *)(vp->common + off) = v;
}

static inline void cw16(struct virtio_pci *vp, unsigned int off, uint16_t v)
{
	*(volatile uint16_t *)(vp->common + off) = v;
}

static inline void cw32(struct virtio_pci *vp, unsigned int off, uint32_t v)
{
	*(volatile uint32_t *)(vp->common + off) = v;
}

/* 64-bit fields as two 32-bit halves, low first (4.1.3.1). */
static inline void cw64(struct virtio_pci *vp, unsigned int off, uint64_t v)
{
	cw32(vp, off, (uint32_t)v);
	cw32(vp, off + 4, (uint32_t)(v >> 32));
}

/* Maps the region a vendor capability at `cap` describes, if it lies in a
 * memory BAR and is at least min_len long. */
static volatile uint8_t *virtio_pci_map_cap(struct pci_dev *pdev, uint8_t cap, uint32_t min_len)
{
	uint8_t bar = pci_read_config8(pdev, cap + VIRTIO_PCI_CAP_BAR);
	uint32_t off = pci_read_config32(pdev, cap + VIRTIO_PCI_CAP_OFFSET);
	uint32_t len = pci_read_config32(pdev, cap + VIRTIO_PCI_CAP_LENGTH);
	uint8_t *base;

	if (bar >= PCI_STD_NUM_BARS || len < min_len ||
	    (uint64_t)off + len > pdev->bar[bar].size)
		return NULL;
	base = pci_iomap(pdev, bar);
	return base ? base + off : NULL;
}

/* Finds and maps the four modern structures; false if one is missing. */
static bool virtio_pci_find_modern(struct virtio_pci *vp)
{
	struct pci_dev *pdev = vp->pdev;
	uint8_t cap = pci_find_capability(pdev, PCI_CAP_ID_VNDR);

	for (; cap; cap = pci_find_next_capability(pdev, cap, PCI_CAP_ID_VNDR)) {
		uint8_t type = pci_read_config8(pdev, cap + VIRTIO_PCI_CAP_CFG_TYPE);

		if (type == VIRTIO_PCI_CAP_COMMON_CFG && !vp->common) {
			vp->common = virtio_pci_map_cap(pdev, cap, VPC_COMMON_LEN);
		} else if (type == VIRTIO_PCI_CAP_ISR_CFG && !vp->isr) {
			vp->isr = virtio_pci_map_cap(pdev, cap, 1);
		} else if (type == VIRTIO_PCI_CAP_DEVICE_CFG && !vp->device) {
			vp->device = virtio_pci_map_cap(pdev, cap, 1);
		} else if (type == VIRTIO_PCI_CAP_NOTIFY_CFG && !vp->notify_base) {
			vp->notify_base = virtio_pci_map_cap(pdev, cap, 2);
			vp->notify_mult = pci_read_config32(pdev, cap + VIRTIO_PCI_CAP_NOTIFY_MULT);
		}
	}
	return vp->common && vp->isr && vp->device && vp->notify_base;
}

__cold int virtio_pci_probe(struct virtio_pci *vp, struct pci_dev *pdev)
{
	*vp = (struct virtio_pci){ .pdev = pdev, .mb_by_read = cpu_hypervisor_is_tcg() };
	pci_enable_device(pdev);
	pci_set_master(pdev);
	if (virtio_pci_find_modern(vp)) {
		vp->modern = true;
		return 0;
	}
	/* Legacy: a transitional device's I/O BAR0 (a modern-only one has none). */
	if (pdev->device < 0x1040 && pdev->bar[0].size && (pdev->bar[0].flags & PCI_BAR_IO)) {
		vp->io = (uint16_t)pdev->bar[0].base;
		return 0;
	}
	return -ENODEV;
}

uint8_t virtio_pci_get_status(struct virtio_pci *vp)
{
	return vp->modern ? cr8(vp, VPC_STATUS) : inb(vp->io + VPL_STATUS);
}

static void virtio_pci_set_status(struct virtio_pci *vp, uint8_t status)
{
	if (vp->modern)
		cw8(vp, VPC_STATUS, status);
	else
		outb(vp->io + VPL_STATUS, status);
}

void virtio_pci_add_status(struct virtio_pci *vp, uint8_t bits)
{
	virtio_pci_set_status(vp, virtio_pci_get_status(vp) | bits);
}

int virtio_pci_reset(struct virtio_pci *vp)
{
	virtio_pci_set_status(vp, 0);
	/* 4.1.4.3.2: the reset is complete once status reads back 0. */
	for (int i = 0; i < 1000; i++) {
		if (virtio_pci_get_status(vp) == 0) {
			(void)virtio_pci_isr(vp);	/* drop a stale INTx */
			return 0;
		}
		udelay(100);
	}
	return -EIO;
}

static uint64_t virtio_pci_device_features(struct virtio_pci *vp)
{
	uint64_t f;

	if (!vp->modern)
		return inl(vp->io + VPL_HOST_FEATURES);
	cw32(vp, VPC_DFSELECT, 0);
	f = cr32(vp, VPC_DF);
	cw32(vp, VPC_DFSELECT, 1);
	return f | (uint64_t)cr32(vp, VPC_DF) << 32;
}

int virtio_pci_negotiate(struct virtio_pci *vp, uint64_t wanted)
{
	uint64_t f = virtio_pci_device_features(vp) & wanted;

	if (!vp->modern) {
		vp->features = f & 0xffffffffu;
		outl(vp->io + VPL_GUEST_FEATURES, (uint32_t)vp->features);
		return 0;
	}
	if (!((f >> VIRTIO_F_VERSION_1) & 1))
		return -EIO;
	vp->features = f;
	cw32(vp, VPC_GFSELECT, 0);
	cw32(vp, VPC_GF, (uint32_t)f);
	cw32(vp, VPC_GFSELECT, 1);
	cw32(vp, VPC_GF, (uint32_t)(f >> 32));
	virtio_pci_add_status(vp, VIRTIO_STATUS_FEATURES_OK);
	return (virtio_pci_get_status(vp) & VIRTIO_STATUS_FEATURES_OK) ? 0 : -EIO;
}

uint8_t virtio_pci_config8(struct virtio_pci *vp, unsigned int off)
{
	if (vp->modern)
		return *(volatile uint8_t *)(vp->device + off);
	return inb(vp->io + (vp->msix ? VPL_CONFIG_MSIX : VPL_CONFIG) + off);
}

uint16_t virtio_pci_config16(struct virtio_pci *vp, unsigned int off)
{
	if (vp->modern)
		return *(volatile uint16_t *)(vp->device + off);
	return inw(vp->io + (vp->msix ? VPL_CONFIG_MSIX : VPL_CONFIG) + off);
}

void virtio_pci_config_read(struct virtio_pci *vp, unsigned int off, void *buf,
			    unsigned int len)
{
	uint8_t *p = buf, gen;

	/* 4.1.4.3.1: a generation change means the bytes may be torn. */
	do {
		gen = vp->modern ? cr8(vp, VPC_CFG_GENERATION) : 0;
		for (unsigned int i = 0; i < len; i++)
			p[i] = virtio_pci_config8(vp, off + i);
	} while (vp->modern && gen != cr8(vp, VPC_CFG_GENERATION));
}

int virtio_pci_msix_enable(struct virtio_pci *vp)
{
	int n = pci_msix_enable(vp->pdev);

	if (n > 0)
		vp->msix = true;
	return n;
}

int virtio_pci_set_config_vector(struct virtio_pci *vp, uint16_t entry)
{
	uint16_t got;

	if (vp->modern) {
		cw16(vp, VPC_MSIX_CONFIG, entry);
		got = cr16(vp, VPC_MSIX_CONFIG);
	} else {
		outw(vp->io + VPL_MSIX_CONFIG, entry);
		got = inw(vp->io + VPL_MSIX_CONFIG);
	}
	return got == entry ? 0 : -EIO;
}

static void virtio_pci_notify_modern(struct virtqueue *vq)
{
	*(volatile uint16_t *)vq->notify_priv = vq->index;
}

static void virtio_pci_notify_legacy(struct virtqueue *vq)
{
	const struct virtio_pci *vp = vq->notify_priv;

	outw(vp->io + VPL_QUEUE_NOTIFY, vq->index);
}

/* Barriers by register read (see the top): the configuration generation
 * (modern) or the device status (legacy), neither of which a read changes. */
static void virtio_pci_mb_modern(struct virtqueue *vq)
{
	(void)*(volatile uint8_t *)vq->mb_priv;
}

static void virtio_pci_mb_legacy(struct virtqueue *vq)
{
	const struct virtio_pci *vp = vq->mb_priv;

	(void)inb(vp->io + VPL_STATUS);
}

static int virtio_pci_setup_modern(struct virtio_pci *vp, struct virtqueue *vq, uint16_t index,
				   uint16_t max_size, uint16_t msix_entry)
{
	uint16_t size;
	int err;

	cw16(vp, VPC_Q_SELECT, index);
	size = cr16(vp, VPC_Q_SIZE);
	if (!size)
		return -ENOENT;
	size = MIN(size, max_size);
	while (size & (size - 1))		/* split rings want a power of two */
		size &= (uint16_t)(size - 1);
	err = virtqueue_init(vq, index, size, virtio_has_feature(vp, VIRTIO_RING_F_EVENT_IDX));
	if (err)
		return err;
	cw16(vp, VPC_Q_SIZE, size);
	cw64(vp, VPC_Q_DESC, virtqueue_desc_addr(vq));
	cw64(vp, VPC_Q_DRIVER, virtqueue_avail_addr(vq));
	cw64(vp, VPC_Q_DEVICE, virtqueue_used_addr(vq));
	cw16(vp, VPC_Q_MSIX, msix_entry);
	if (cr16(vp, VPC_Q_MSIX) != msix_entry) {
		virtqueue_destroy(vq);
		return -EIO;
	}
	vq->notify = virtio_pci_notify_modern;
	vq->notify_priv = (void *)(vp->notify_base +
				   (uint32_t)cr16(vp, VPC_Q_NOFF) * vp->notify_mult);
	if (vp->mb_by_read) {
		vq->mb = virtio_pci_mb_modern;
		vq->mb_priv = (void *)(vp->common + VPC_CFG_GENERATION);
	}
	cw16(vp, VPC_Q_ENABLE, 1);
	return 0;
}

static int virtio_pci_setup_legacy(struct virtio_pci *vp, struct virtqueue *vq, uint16_t index,
				   uint16_t msix_entry)
{
	uint16_t size;
	int err;

	outw(vp->io + VPL_QUEUE_SEL, index);
	size = inw(vp->io + VPL_QUEUE_NUM);	/* fixed by the device */
	if (!size)
		return -ENOENT;
	err = virtqueue_init(vq, index, size, virtio_has_feature(vp, VIRTIO_RING_F_EVENT_IDX));
	if (err)
		return err;
	if (vp->msix) {
		outw(vp->io + VPL_MSIX_QUEUE, msix_entry);
		if (inw(vp->io + VPL_MSIX_QUEUE) != msix_entry) {
			virtqueue_destroy(vq);
			return -EIO;
		}
	}
	vq->notify = virtio_pci_notify_legacy;
	vq->notify_priv = vp;
	if (vp->mb_by_read) {
		vq->mb = virtio_pci_mb_legacy;
		vq->mb_priv = vp;
	}
	outl(vp->io + VPL_QUEUE_PFN, (uint32_t)(virtqueue_desc_addr(vq) >> VPL_PFN_SHIFT));
	return 0;
}

__cold int virtio_pci_setup_queue(struct virtio_pci *vp, struct virtqueue *vq, uint16_t index,
			   uint16_t max_size, uint16_t msix_entry)
{
	if (vp->modern)
		return virtio_pci_setup_modern(vp, vq, index, max_size, msix_entry);
	return virtio_pci_setup_legacy(vp, vq, index, msix_entry);
}

uint8_t virtio_pci_isr(struct virtio_pci *vp)
{
	return vp->modern ? *vp->isr : inb(vp->io + VPL_ISR);
}
