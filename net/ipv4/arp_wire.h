/*
 * ARP packets for IPv4 over Ethernet (RFC 826): the wire layout, parse and
 * emit.  arp_parse validates once (hardware and protocol types and
 * lengths, opcode) and returns host-order fields; arp_emit is the mirror.
 *
 * Context: any; pure functions over caller buffers.
 */
#ifndef SYNACK_NET_IPV4_ARP_WIRE_H
#define SYNACK_NET_IPV4_ARP_WIRE_H

#include <stddef.h>
#include <stdint.h>

#define ARP_HW_ETHER	1
#define ARPOP_REQUEST	1
#define ARPOP_REPLY	2
#define ARP_HLEN	6	/* Ethernet address length */

struct arp_eth_ipv4 {
	uint16_t ar_hrd;		/* be16 hardware type */
	uint16_t ar_pro;		/* be16 protocol type */
	uint8_t ar_hln;
	uint8_t ar_pln;
	uint16_t ar_op;			/* be16 */
	uint8_t ar_sha[ARP_HLEN];
	uint8_t ar_sip[4];
	uint8_t ar_tha[ARP_HLEN];
	uint8_t ar_tip[4];
} __attribute__((packed));
_Static_assert(sizeof(struct arp_eth_ipv4) == 28, "ARP for Ethernet/IPv4 is 28 bytes");

#define ARP_PKT_LEN	28u

struct arp_info {
	uint16_t op;
	uint8_t sha[ARP_HLEN];
	uint32_t sip;			/* host order */
	uint8_t tha[ARP_HLEN];
	uint32_t tip;			/* host order */
};

enum arp_parse_err {
	ARP_ERR_TRUNCATED = 1,		/* fewer than 28 bytes */
	ARP_ERR_FORMAT,			/* not Ethernet/IPv4, or wrong lengths */
	ARP_ERR_OP,			/* neither request nor reply */
};

/* Returns 0 and fills info, or a negative enum arp_parse_err. */
int arp_parse(const void *buf, size_t len, struct arp_info *info);

/* Writes the 28-byte packet; returns ARP_PKT_LEN. */
size_t arp_emit(const struct arp_info *info, void *buf);

#endif
