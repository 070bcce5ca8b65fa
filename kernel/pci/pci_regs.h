/*
 * PCI configuration-space layout (PCI Local Bus 3.0, PCI Express Base):
 * the common header, type 0 (device) and type 1 (bridge) fields, and the
 * capabilities the kernel uses.  Register names follow Linux's
 * include/uapi/linux/pci_regs.h so a reader of either finds the other.
 */
#ifndef SYNACK_KERNEL_PCI_PCI_REGS_H
#define SYNACK_KERNEL_PCI_PCI_REGS_H

#define PCI_CFG_SPACE_SIZE	256
#define PCI_CFG_SPACE_EXP_SIZE	4096

#define PCI_VENDOR_ID		0x00
#define PCI_DEVICE_ID		0x02
#define PCI_COMMAND		0x04
#define  PCI_COMMAND_IO		0x0001
#define  PCI_COMMAND_MEMORY	0x0002
#define  PCI_COMMAND_MASTER	0x0004
#define  PCI_COMMAND_INTX_DISABLE 0x0400
#define PCI_STATUS		0x06
#define  PCI_STATUS_CAP_LIST	0x0010
#define PCI_CLASS_REVISION	0x08	/* revision in bits 7:0, class code above */
#define PCI_HEADER_TYPE		0x0e
#define  PCI_HEADER_TYPE_MASK	0x7f
#define  PCI_HEADER_TYPE_NORMAL	0
#define  PCI_HEADER_TYPE_BRIDGE	1
#define  PCI_HEADER_TYPE_CARDBUS 2
#define  PCI_HEADER_MULTI_FUNC	0x80
#define PCI_BASE_ADDRESS_0	0x10
#define  PCI_BASE_ADDRESS_SPACE_IO	0x01
#define  PCI_BASE_ADDRESS_MEM_TYPE_MASK	0x06
#define  PCI_BASE_ADDRESS_MEM_TYPE_64	0x04
#define  PCI_BASE_ADDRESS_MEM_PREFETCH	0x08
#define  PCI_BASE_ADDRESS_MEM_MASK	(~0x0fu)
#define  PCI_BASE_ADDRESS_IO_MASK	(~0x03u)
#define PCI_SUBSYSTEM_VENDOR_ID	0x2c
#define PCI_SUBSYSTEM_ID	0x2e
#define PCI_CAPABILITY_LIST	0x34
#define PCI_INTERRUPT_LINE	0x3c
#define PCI_INTERRUPT_PIN	0x3d	/* 0 none, 1-4 INTA#-INTD# */

/* Type 1 (PCI-to-PCI bridge) header. */
#define PCI_PRIMARY_BUS		0x18
#define PCI_SECONDARY_BUS	0x19
#define PCI_SUBORDINATE_BUS	0x1a
#define PCI_CB_CAPABILITY_LIST	0x14	/* type 2 (CardBus) keeps it here */

#define PCI_STD_NUM_BARS	6	/* type 0; a bridge has 2 */
#define PCI_BRIDGE_NUM_BARS	2

/* Capability IDs. */
#define PCI_CAP_ID_PM		0x01
#define PCI_CAP_ID_MSI		0x05
#define PCI_CAP_ID_VNDR		0x09	/* vendor specific: virtio's transport */
#define PCI_CAP_ID_EXP		0x10
#define PCI_CAP_ID_MSIX		0x11
#define PCI_CAP_LIST_ID		0
#define PCI_CAP_LIST_NEXT	1

/* MSI capability: 32-bit form is addr, data, [mask, pending]; the 64-bit
 * form inserts the upper address dword after the lower one. */
#define PCI_MSI_FLAGS		0x02
#define  PCI_MSI_FLAGS_ENABLE	0x0001
#define  PCI_MSI_FLAGS_QMASK	0x000e	/* log2 of the vectors it can use */
#define  PCI_MSI_FLAGS_QSIZE	0x0070	/* log2 of the vectors enabled */
#define  PCI_MSI_FLAGS_64BIT	0x0080
#define  PCI_MSI_FLAGS_MASKBIT	0x0100	/* per-vector masking */
#define PCI_MSI_ADDRESS_LO	0x04
#define PCI_MSI_ADDRESS_HI	0x08	/* 64-bit form only */
#define PCI_MSI_DATA_32		0x08
#define PCI_MSI_MASK_32		0x0c
#define PCI_MSI_DATA_64		0x0c
#define PCI_MSI_MASK_64		0x10

/* MSI-X capability and its table in a BAR. */
#define PCI_MSIX_FLAGS		0x02
#define  PCI_MSIX_FLAGS_QSIZE	0x07ff	/* table size - 1 */
#define  PCI_MSIX_FLAGS_MASKALL	0x4000
#define  PCI_MSIX_FLAGS_ENABLE	0x8000
#define PCI_MSIX_TABLE		0x04
#define PCI_MSIX_PBA		0x08
#define  PCI_MSIX_BIR_MASK	0x7	/* which BAR */
#define  PCI_MSIX_OFFSET_MASK	(~0x7u)
#define PCI_MSIX_ENTRY_SIZE	16
#define PCI_MSIX_ENTRY_LOWER_ADDR	0x0
#define PCI_MSIX_ENTRY_UPPER_ADDR	0x4
#define PCI_MSIX_ENTRY_DATA		0x8
#define PCI_MSIX_ENTRY_VECTOR_CTRL	0xc
#define  PCI_MSIX_ENTRY_CTRL_MASKBIT	0x1

#endif
