/*
 * ARP packet parse and emit (see arp_wire.h).
 *
 * Context: any; pure functions over caller buffers.
 */
#include "net/ipv4/arp_wire.h"

#include "kernel/lib/string.h"
#include "net/core/byteorder.h"

#define ARP_PRO_IP	0x0800

int arp_parse(const void *buf, size_t len, struct arp_info *info)
{
	const struct arp_eth_ipv4 *a = buf;
	uint16_t op;

	if (len < ARP_PKT_LEN)
		return -ARP_ERR_TRUNCATED;
	/* RFC 826, packet reception: "?Do I have the hardware type in
	 * ar$hrd? ... ?Do I speak the protocol in ar$pro?" */
	if (get_be16(&a->ar_hrd) != ARP_HW_ETHER || get_be16(&a->ar_pro) != ARP_PRO_IP ||
	    a->ar_hln != ARP_HLEN || a->ar_pln != 4)
		return -ARP_ERR_FORMAT;
	op = get_be16(&a->ar_op);
	if (op != ARPOP_REQUEST && op != ARPOP_REPLY)
		return -ARP_ERR_OP;
	info->op = op;
	memcpy(info->sha, a->ar_sha, ARP_HLEN);
	info->sip = get_be32(a->ar_sip);
	memcpy(info->tha, a->ar_tha, ARP_HLEN);
	info->tip = get_be32(a->ar_tip);
	return 0;
}

size_t arp_emit(const struct arp_info *info, void *buf)
{
	struct arp_eth_ipv4 *a = buf;

	put_be16(&a->ar_hrd, ARP_HW_ETHER);
	put_be16(&a->ar_pro, ARP_PRO_IP);
	a->ar_hln = ARP_HLEN;
	a->ar_pln = 4;
	put_be16(&a->ar_op, info->op);
	memcpy(a->ar_sha, info->sha, ARP_HLEN);
	put_be32(a->ar_sip, info->sip);
	memcpy(a->ar_tha, info->tha, ARP_HLEN);
	put_be32(a->ar_tip, info->tip);
	return ARP_PKT_LEN;
}
