/*
 * Virtio over PCI: the two transports behind one interface (virtio 1.x
 * section 4.1).
 *
 * Modern (virtio 1.0, 4.1.4): common, notify, ISR and device configuration
 * structures found through vendor-specific capabilities, in memory BARs.
 * Legacy (4.1.4.8 and "Legacy Interfaces"): one I/O BAR0 register block,
 * 32 feature bits, fixed queue sizes, 4 KiB-aligned rings by page number.
 * A transitional device (1af4:1000-103f) offers both; the modern one is
 * preferred whenever its capabilities are present and mappable.
 *
 * Use: virtio_pci_probe, virtio_pci_reset, add ACKNOWLEDGE|DRIVER,
 * virtio_pci_negotiate, (MSI-X vectors), virtio_pci_setup_queue per queue,
 * read the device config, add DRIVER_OK.
 *
 * Context: thread context (probe, open, stop), except virtio_pci_isr (hard
 * IRQ), the queue doorbell (wherever the queue is kicked) and the config
 * reads (softirq, on a configuration change).
 */
#ifndef SYNACK_DRIVERS_NET_VIRTIO_PCI_H
#define SYNACK_DRIVERS_NET_VIRTIO_PCI_H

#include <stdbool.h>
#include <stdint.h>

struct pci_dev;
struct virtqueue;

/* Device status bits (2.1). */
#define VIRTIO_STATUS_ACKNOWLEDGE	1
#define VIRTIO_STATUS_DRIVER		2
#define VIRTIO_STATUS_DRIVER_OK		4
#define VIRTIO_STATUS_FEATURES_OK	8
#define VIRTIO_STATUS_NEEDS_RESET	64
#define VIRTIO_STATUS_FAILED		128

/* Device-independent feature bits (6). */
#define VIRTIO_F_ANY_LAYOUT		27	/* legacy: header may share a buffer */
#define VIRTIO_RING_F_EVENT_IDX		29
#define VIRTIO_F_VERSION_1		32

/* ISR status bits (4.1.4.5). */
#define VIRTIO_ISR_QUEUE		0x1
#define VIRTIO_ISR_CONFIG		0x2

/* "No vector" for MSI-X vector registers (4.1.5.1.2). */
#define VIRTIO_MSI_NO_VECTOR		0xffff

struct virtio_pci {
	struct pci_dev *pdev;
	bool modern;
	bool msix;			/* MSI-X enabled: legacy config moves to 24 */
	/* Modern: mapped capability structures. */
	volatile uint8_t *common;
	volatile uint8_t *isr;
	volatile uint8_t *device;
	volatile uint8_t *notify_base;
	uint32_t notify_mult;
	/* Legacy: I/O port base of BAR0. */
	uint16_t io;
	uint64_t features;		/* negotiated */
	/* Queues order ring stores before ring loads with a register read
	 * too (virtio_pci.c says why): set under QEMU's TCG. */
	bool mb_by_read;
};

/* Chooses the transport and maps it.  0 or -ENODEV (neither usable). */
int virtio_pci_probe(struct virtio_pci *vp, struct pci_dev *pdev);
/* Writes status 0 and waits for the device to acknowledge (4.1.4.3.2):
 * 0, or -EIO if it never does. */
int virtio_pci_reset(struct virtio_pci *vp);
uint8_t virtio_pci_get_status(struct virtio_pci *vp);
void virtio_pci_add_status(struct virtio_pci *vp, uint8_t bits);
/* Offers wanted & device features, and (modern) sets FEATURES_OK and
 * checks it stuck (3.1.1).  The result is in vp->features.  0 or -EIO. */
int virtio_pci_negotiate(struct virtio_pci *vp, uint64_t wanted);

static inline bool virtio_has_feature(const struct virtio_pci *vp, unsigned int bit)
{
	return (vp->features >> bit) & 1;
}

/* Device configuration space, byte and 16-bit reads (little-endian). */
uint8_t virtio_pci_config8(struct virtio_pci *vp, unsigned int off);
uint16_t virtio_pci_config16(struct virtio_pci *vp, unsigned int off);
/* Copies len bytes, retrying while the config generation changes. */
void virtio_pci_config_read(struct virtio_pci *vp, unsigned int off, void *buf,
			    unsigned int len);

/* Enables MSI-X on the function (before queues are set up).  Returns the
 * number of table entries or a negative errno. */
int virtio_pci_msix_enable(struct virtio_pci *vp);
/* Points the device's configuration-change interrupt at MSI-X entry
 * `entry` (VIRTIO_MSI_NO_VECTOR for none); -EIO if the device refuses. */
int virtio_pci_set_config_vector(struct virtio_pci *vp, uint16_t entry);

/* Sets up queue `index` with at most max_size entries (the device may fix
 * the size), its MSI-X entry (or VIRTIO_MSI_NO_VECTOR), and enables it.
 * 0, -ENOENT (no such queue), -ENOMEM, -EIO (vector refused). */
int virtio_pci_setup_queue(struct virtio_pci *vp, struct virtqueue *vq, uint16_t index,
			   uint16_t max_size, uint16_t msix_entry);
/* Reads (and so clears) the ISR status: VIRTIO_ISR_* bits. */
uint8_t virtio_pci_isr(struct virtio_pci *vp);

#endif
