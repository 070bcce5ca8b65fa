/*
 * Intel 8254x / 82574L register map and descriptor layouts: only what
 * drivers/net/e1000.c uses.  Section numbers refer to the "PCI/PCI-X Family
 * of Gigabit Ethernet Controllers Software Developer's Manual" (8254x SDM,
 * rev 4.0) unless marked 82574 (82574 GbE Controller Family Datasheet).
 * All registers are 32-bit little-endian MMIO in BAR0.
 */
#ifndef SYNACK_DRIVERS_NET_E1000_HW_H
#define SYNACK_DRIVERS_NET_E1000_HW_H

#include <stdint.h>

/* General registers (13.4). */
#define E1000_CTRL	0x0000
#define  E1000_CTRL_LRST	(1u << 3)	/* link reset (82544 and older) */
#define  E1000_CTRL_ASDE	(1u << 5)	/* auto speed detection */
#define  E1000_CTRL_SLU		(1u << 6)	/* set link up */
#define  E1000_CTRL_ILOS	(1u << 7)	/* invert loss-of-signal */
#define  E1000_CTRL_RST		(1u << 26)	/* global reset, self-clearing */
#define  E1000_CTRL_VME		(1u << 30)	/* VLAN mode */
#define  E1000_CTRL_PHY_RST	(1u << 31)
#define E1000_STATUS	0x0008
#define  E1000_STATUS_FD	(1u << 0)
#define  E1000_STATUS_LU	(1u << 1)	/* link up */
#define  E1000_STATUS_SPEED_SHIFT 6		/* 00 10, 01 100, 1x 1000 Mb/s */
#define  E1000_STATUS_SPEED_MASK (3u << 6)
#define E1000_EERD	0x0014
#define  E1000_EERD_START	(1u << 0)
/* 82540/82544-style EERD (13.4.4): address in 15:8, done in bit 4. */
#define  E1000_EERD_DONE	(1u << 4)
#define  E1000_EERD_ADDR_SHIFT	8
/* 82541/82547 and 82574 (82574 10.2.2.4): address in 15:2, done in bit 1. */
#define  E1000_EERD_DONE_V2	(1u << 1)
#define  E1000_EERD_ADDR_SHIFT_V2 2
#define  E1000_EERD_DATA_SHIFT	16

/* Interrupts (13.4.17-13.4.21).  ICR is clear-on-read on the 8254x, and on
 * the 82574 when MSI-X is off (82574 10.2.4.1). */
#define E1000_ICR	0x00c0
#define E1000_ITR	0x00c4	/* minimum gap between interrupts, 256 ns units */
#define E1000_IMS	0x00d0
#define E1000_IMC	0x00d8
#define  E1000_ICR_TXDW		(1u << 0)	/* TX descriptor written back */
#define  E1000_ICR_LSC		(1u << 2)	/* link status change */
#define  E1000_ICR_RXSEQ	(1u << 3)
#define  E1000_ICR_RXDMT0	(1u << 4)	/* RX ring below threshold */
#define  E1000_ICR_RXO		(1u << 6)	/* receiver overrun */
#define  E1000_ICR_RXT0		(1u << 7)	/* receive timer: frames arrived */

/* Receive (13.4.22, 13.4.27-13.4.33). */
#define E1000_RCTL	0x0100
#define  E1000_RCTL_EN		(1u << 1)
#define  E1000_RCTL_UPE		(1u << 3)	/* unicast promiscuous */
#define  E1000_RCTL_MPE		(1u << 4)	/* multicast promiscuous */
#define  E1000_RCTL_RDMTS_HALF	(0u << 8)	/* RXDMT0 at 1/2 of the ring free */
/* RCTL.MO stays 0: the multicast hash uses address bits 47:36. */
#define  E1000_RCTL_BAM		(1u << 15)	/* accept broadcast */
#define  E1000_RCTL_BSIZE_2048	(0u << 16)	/* with BSEX = 0 */
#define  E1000_RCTL_SECRC	(1u << 26)	/* strip the Ethernet CRC */
#define E1000_RDBAL	0x2800
#define E1000_RDBAH	0x2804
#define E1000_RDLEN	0x2808
#define E1000_RDH	0x2810
#define E1000_RDT	0x2818
#define E1000_RDTR	0x2820	/* RX delay timer */
#define E1000_RXCSUM	0x5000	/* RX checksum control (13.4.24) */
#define  E1000_RXCSUM_IPOFL	(1u << 8)	/* check IPv4 header checksums */
#define  E1000_RXCSUM_TUOFL	(1u << 9)	/* check TCP/UDP checksums */

/* Transmit (13.4.33-13.4.44). */
#define E1000_TCTL	0x0400
#define  E1000_TCTL_EN		(1u << 1)
#define  E1000_TCTL_PSP		(1u << 3)	/* pad short packets */
#define  E1000_TCTL_CT_SHIFT	4		/* collision threshold */
#define  E1000_TCTL_COLD_SHIFT	12		/* collision distance */
#define E1000_TIPG	0x0410
/* IEEE 802.3 inter-packet gap for copper (13.4.34): IPGT 10, IPGR1 8, IPGR2 6. */
#define  E1000_TIPG_COPPER	(10u | (8u << 10) | (6u << 20))
#define E1000_TDBAL	0x3800
#define E1000_TDBAH	0x3804
#define E1000_TDLEN	0x3808
#define E1000_TDH	0x3810
#define E1000_TDT	0x3818
#define E1000_TIDV	0x3820	/* TX interrupt delay */

/* Address filters (13.4.45-13.4.47). */
#define E1000_MTA	0x5200	/* 128 x 32-bit multicast hash table */
#define  E1000_MTA_WORDS	128
#define E1000_RAL0	0x5400
#define E1000_RAH0	0x5404
#define  E1000_RAH_AV		(1u << 31)	/* address valid */

/* Statistics (13.7): clear on read, saturating 32-bit counters. */
#define E1000_CRCERRS	0x4000	/* CRC errors */
#define E1000_ALGNERRC	0x4004	/* alignment errors */
#define E1000_RXERRC	0x400c	/* RX errors (symbol, sequence) */
#define E1000_MPC	0x4010	/* missed packets: RX FIFO full */
#define E1000_COLC	0x4028	/* collisions */
#define E1000_RLEC	0x4040	/* receive length errors */
#define E1000_RNBC	0x40a0	/* receive no buffers: the RX ring was empty */
#define E1000_RUC	0x40a4	/* runts */
#define E1000_ROC	0x40ac	/* oversize */

/* Legacy receive descriptor (3.2.3).  The 82574 still accepts this format
 * while RFCTL.EXSTEN is clear, its reset value (82574 7.1.4). */
struct e1000_rx_desc {
	uint64_t addr;
	uint16_t length;
	uint16_t csum;
	uint8_t status;
	uint8_t errors;
	uint16_t special;
} __attribute__((packed));
_Static_assert(sizeof(struct e1000_rx_desc) == 16, "legacy RX descriptor is 16 bytes");

#define E1000_RXD_STAT_DD	(1u << 0)	/* descriptor done */
#define E1000_RXD_STAT_EOP	(1u << 1)	/* end of packet */
#define E1000_RXD_STAT_IXSM	(1u << 2)	/* ignore the checksum bits */
#define E1000_RXD_STAT_UDPCS	(1u << 4)	/* UDP checksum checked (82574) */
#define E1000_RXD_STAT_TCPCS	(1u << 5)	/* TCP (8254x: or UDP) checksum checked */
/* Errors: CE, SE, SEQ, CXE, RXE drop the frame; TCPE/IPE are checksums. */
#define E1000_RXD_ERR_FRAME	0x97u
#define E1000_RXD_ERR_TCPE	(1u << 5)	/* TCP/UDP checksum bad */
#define E1000_RXD_ERR_IPE	(1u << 6)	/* IPv4 header checksum bad */

/* Legacy transmit descriptor (3.3.3). */
struct e1000_tx_desc {
	uint64_t addr;
	uint16_t length;
	uint8_t cso;
	uint8_t cmd;
	uint8_t status;
	uint8_t css;
	uint16_t special;
} __attribute__((packed));
_Static_assert(sizeof(struct e1000_tx_desc) == 16, "legacy TX descriptor is 16 bytes");

#define E1000_TXD_CMD_EOP	(1u << 0)	/* end of packet */
#define E1000_TXD_CMD_IFCS	(1u << 1)	/* insert FCS */
#define E1000_TXD_CMD_RS	(1u << 3)	/* report status (DD) */
#define E1000_TXD_STAT_DD	(1u << 0)

/* TCP/IP context descriptor (3.3.6): what the data descriptors after it
 * checksum and, with TSE, how they are segmented.  Offsets count from the
 * start of the frame; an end offset of 0 means the end of the packet. */
struct e1000_context_desc {
	uint8_t ipcss;			/* IP checksum start */
	uint8_t ipcso;			/* ... stored here */
	uint16_t ipcse;			/* ... last byte summed */
	uint8_t tucss;			/* TCP/UDP checksum start */
	uint8_t tucso;			/* ... stored here */
	uint16_t tucse;			/* ... last byte summed, 0: to the end */
	uint32_t cmd_len;		/* PAYLEN (TSO payload), DTYP, TUCMD */
	uint8_t status;
	uint8_t hdr_len;		/* TSO: header bytes repeated per segment */
	uint16_t mss;			/* TSO: payload bytes per segment */
} __attribute__((packed));
_Static_assert(sizeof(struct e1000_context_desc) == 16, "context descriptor is 16 bytes");

/* TCP/IP data descriptor (3.3.7): a buffer under the last context. */
struct e1000_data_desc {
	uint64_t addr;
	uint32_t cmd_len;		/* DTALEN, DTYP, DCMD */
	uint8_t status;
	uint8_t popts;			/* checksums to insert (first descriptor) */
	uint16_t special;
} __attribute__((packed));
_Static_assert(sizeof(struct e1000_data_desc) == 16, "data descriptor is 16 bytes");

/* cmd_len bits of context and data descriptors (3.3.6.1, 3.3.7.1). */
#define E1000_TXD_DTYP_D	(1u << 20)	/* data; 0 is a context */
#define E1000_TXD_EXT_EOP	(1u << 24)	/* data: end of packet */
#define E1000_TXD_CTX_TCP	(1u << 24)	/* context: TCP (else UDP) */
#define E1000_TXD_EXT_IFCS	(1u << 25)	/* data: insert FCS */
#define E1000_TXD_CTX_IP	(1u << 25)	/* context: IPv4 */
#define E1000_TXD_EXT_TSE	(1u << 26)	/* segmentation: in both */
#define E1000_TXD_EXT_RS	(1u << 27)	/* report status: in both */
#define E1000_TXD_EXT_DEXT	(1u << 29)	/* extended (not legacy) */
#define E1000_TXD_POPTS_IXSM	0x01u		/* insert the IP checksum */
#define E1000_TXD_POPTS_TXSM	0x02u		/* insert the TCP/UDP checksum */

#endif
