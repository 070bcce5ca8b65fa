/*
 * IPv4 header parse and emit (see ip.h): the one place that reads or
 * writes the fields of an IPv4 header and converts their byte order,
 * plus the lenient decoder for headers quoted in ICMP errors.
 *
 * Context: any; pure functions over caller buffers.
 */
#include "net/ipv4/ip.h"

#include "kernel/lib/string.h"
#include "net/core/checksum.h"

static void ip4_decode(const struct iphdr *h, struct ip4_hdr_info *info)
{
	uint16_t frag = get_be16(&h->frag_off);

	info->hdr_len = (uint8_t)((h->ver_ihl & 0x0f) * 4);
	info->tos = h->tos;
	info->tot_len = get_be16(&h->tot_len);
	info->id = get_be16(&h->id);
	info->frag_off = (uint16_t)((frag & IP_OFFSET) << 3);
	info->df = (frag & IP_DF) != 0;
	info->mf = (frag & IP_MF) != 0;
	info->ttl = h->ttl;
	info->protocol = h->protocol;
	info->saddr = get_be32(&h->saddr);
	info->daddr = get_be32(&h->daddr);
}

/* Version and header length, shared by ip4_parse and ip4_parse_quoted;
 * 0 with *ihl set, or -IP4_ERR_*. */
static int ip4_check_head(const struct iphdr *h, size_t len, size_t *ihl)
{
	if (len < IP_HDR_LEN)
		return -IP4_ERR_TRUNCATED;
	/* RFC 791 3.1: "Version: 4 bits ... 4" */
	if ((h->ver_ihl >> 4) != 4)
		return -IP4_ERR_VERSION;
	/* RFC 791 3.1: "the minimum value for a correct header is 5" */
	*ihl = (size_t)(h->ver_ihl & 0x0f) * 4;
	if (*ihl < IP_HDR_LEN || *ihl > len)
		return -IP4_ERR_IHL;
	return 0;
}

int ip4_parse(const void *buf, size_t len, struct ip4_hdr_info *info)
{
	const struct iphdr *h = buf;
	size_t ihl;
	int err = ip4_check_head(h, len, &ihl);

	if (err)
		return err;
	/* RFC 1122 3.2.1.2: "A host MUST verify the IP header checksum on
	 * every received datagram and silently discard every datagram that
	 * has a bad checksum."  Checked before trusting any other field. */
	if (ip_fast_csum(buf, (unsigned int)ihl / 4) != 0)
		return -IP4_ERR_CSUM;
	ip4_decode(h, info);
	if (info->tot_len < ihl || info->tot_len > len)
		return -IP4_ERR_LEN;
	/* RFC 791 3.1, Flags: "Bit 0: reserved, must be zero"; and the last
	 * fragment byte must fit a 65535-byte datagram. */
	if ((get_be16(&h->frag_off) & IP_CE) ||
	    (uint32_t)info->frag_off + info->tot_len - ihl > IP_MAX_PACKET)
		return -IP4_ERR_FRAG;
	return 0;
}

size_t ip4_emit(const struct ip4_hdr_info *info, void *buf)
{
	struct iphdr *h = buf;
	uint16_t frag = (uint16_t)(info->frag_off >> 3);

	if (info->df)
		frag |= IP_DF;
	if (info->mf)
		frag |= IP_MF;
	h->ver_ihl = 0x45;
	h->tos = info->tos;
	put_be16(&h->tot_len, info->tot_len);
	put_be16(&h->id, info->id);
	put_be16(&h->frag_off, frag);
	h->ttl = info->ttl;
	h->protocol = info->protocol;
	h->check = 0;
	put_be32(&h->saddr, info->saddr);
	put_be32(&h->daddr, info->daddr);
	h->check = ip_fast_csum(h, IP_HDR_LEN / 4);
	return IP_HDR_LEN;
}

int ip4_parse_quoted(const void *buf, size_t len, struct ip4_hdr_info *info)
{
	const struct iphdr *h = buf;
	size_t ihl;
	int err = ip4_check_head(h, len, &ihl);

	if (err)
		return err;
	ip4_decode(h, info);
	if (info->tot_len < ihl)
		return -IP4_ERR_LEN;
	return 0;
}
