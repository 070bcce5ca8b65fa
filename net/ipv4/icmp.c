/*
 * ICMP (see icmp.h): wire parse/emit, receive, echo reply, errors with
 * RFC 1122's restrictions and a token-bucket rate limit, and delivery of
 * received errors to the transport's err_handler.
 *
 * Redirects and source quenches are counted and ignored (static routing;
 * RFC 6633 deprecates source quench); timestamp and address-mask requests
 * are counted and not answered (RFC 1122 makes both optional).
 *
 * Context: softirq, or a thread with bottom halves disabled.
 */
#include "net/ipv4/icmp.h"

#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "net/core/checksum.h"
#include "net/core/skbuff.h"
#include "net/ipv4/devinet.h"
#include "net/ipv4/ip.h"
#include "net/ipv4/protocol.h"
#include "net/ipv4/raw.h"
#include "net/ipv4/route.h"
#include "net/ipv4/snmp.h"
#include "net/platform.h"

#define ICMP_TOKEN_NS	(1000000000ull / ICMP_MSGS_PER_SEC)
#define IPTOS_PREC_INTERNETCONTROL	0xc0

static uint64_t icmp_tokens_ns = ICMP_MSGS_BURST * ICMP_TOKEN_NS;
static uint64_t icmp_tokens_stamp;
static void (*icmp_echo_reply_hook)(uint32_t saddr, uint16_t id, uint16_t seq, size_t len);

int icmp_parse(const void *buf, size_t len, struct icmp_info *info)
{
	const struct icmphdr *h = buf;

	if (len < ICMP_HDR_LEN)
		return -ICMP_ERR_TRUNCATED;
	/* RFC 792: "The checksum is the 16-bit ones's complement of the one's
	 * complement sum of the ICMP message starting with the ICMP Type." */
	if (csum_fold(csum_partial(buf, len, 0)) != 0)
		return -ICMP_ERR_CSUM;
	info->type = h->type;
	info->code = h->code;
	info->rest = get_be32(h->rest);
	return 0;
}

size_t icmp_emit(const struct icmp_info *info, void *buf, size_t len)
{
	struct icmphdr *h = buf;

	h->type = info->type;
	h->code = info->code;
	h->checksum = 0;
	put_be32(h->rest, info->rest);
	h->checksum = csum_fold(csum_partial(buf, len, 0));
	return ICMP_HDR_LEN;
}

bool icmp_is_error(uint8_t type)
{
	return type == ICMP_DEST_UNREACH || type == ICMP_SOURCE_QUENCH ||
	       type == ICMP_REDIRECT || type == ICMP_TIME_EXCEEDED ||
	       type == ICMP_PARAMETERPROB;
}

int icmp_err_convert(uint8_t type, uint8_t code, bool *fatal)
{
	*fatal = false;
	if (type == ICMP_TIME_EXCEEDED)
		return EHOSTUNREACH;
	if (type == ICMP_PARAMETERPROB)
		return EPROTO;
	if (type != ICMP_DEST_UNREACH)
		return 0;
	switch (code) {
	case ICMP_NET_UNREACH:
		return ENETUNREACH;
	case ICMP_PROT_UNREACH:
		*fatal = true;
		return ENOPROTOOPT;
	case ICMP_PORT_UNREACH:
		*fatal = true;
		return ECONNREFUSED;
	case ICMP_FRAG_NEEDED:
		return EMSGSIZE;
	case ICMP_NET_ANO:
	case ICMP_HOST_ANO:
	case ICMP_PKT_FILTERED:
		*fatal = true;
		return EACCES;
	default:
		return EHOSTUNREACH;
	}
}

static void icmp_count_out(uint8_t type)
{
	ICMP_INC_STATS(OutMsgs);
	icmpmsg_statistics.out_type[type]++;
	switch (type) {
	case ICMP_DEST_UNREACH: ICMP_INC_STATS(OutDestUnreachs); break;
	case ICMP_TIME_EXCEEDED: ICMP_INC_STATS(OutTimeExcds); break;
	case ICMP_PARAMETERPROB: ICMP_INC_STATS(OutParmProbs); break;
	case ICMP_ECHO: ICMP_INC_STATS(OutEchos); break;
	case ICMP_ECHOREPLY: ICMP_INC_STATS(OutEchoReps); break;
	default: break;
	}
}

/* Allocates an skb holding an ICMP message of len bytes (header zeroed,
 * payload copied from payload when given); data at the ICMP header. */
static struct sk_buff *icmp_alloc(size_t len, const void *payload)
{
	struct sk_buff *skb = alloc_skb((unsigned int)(MAX_HEADER + len));
	uint8_t *p;

	if (!skb) {
		ICMP_INC_STATS(ErrNotSentNoMem);
		return NULL;
	}
	skb_reserve(skb, MAX_HEADER);
	p = skb_put_zero(skb, (unsigned int)len);
	if (payload)
		memcpy(p + ICMP_HDR_LEN, payload, len - ICMP_HDR_LEN);
	return skb;
}

/* Checksums and sends a built message; consumes skb. */
static int icmp_push_reply(struct sk_buff *skb, const struct icmp_info *info,
			   uint32_t saddr, uint32_t daddr, uint8_t tos)
{
	struct ip_tx tx = { .protocol = IPPROTO_ICMP, .tos = tos };
	int err;

	icmp_emit(info, skb->data, skb->len);
	icmp_count_out(info->type);
	err = ip_send_to(skb, saddr, daddr, &tx);
	if (err)
		ICMP_INC_STATS(OutErrors);
	return err;
}

/* Token bucket: ICMP_MSGS_PER_SEC sustained, ICMP_MSGS_BURST at once. */
static bool icmp_ratelimit_ok(void)
{
	uint64_t now = net_now_ns();
	uint64_t cap = ICMP_MSGS_BURST * ICMP_TOKEN_NS;

	icmp_tokens_ns += now - icmp_tokens_stamp;
	icmp_tokens_stamp = now;
	if (icmp_tokens_ns > cap)
		icmp_tokens_ns = cap;
	if (icmp_tokens_ns < ICMP_TOKEN_NS)
		return false;
	icmp_tokens_ns -= ICMP_TOKEN_NS;
	return true;
}

/* RFC 1122 3.2.2: "An ICMP error message MUST NOT be sent as the result
 * of receiving: an ICMP error message, or a datagram destined to an IP
 * broadcast or IP multicast address, or a link-layer broadcast, or a
 * non-initial fragment, or a datagram whose source address does not
 * define a single host". */
static bool icmp_may_send(const struct sk_buff *skb, const struct ip4_hdr_info *h,
			  const uint8_t *iph, size_t avail)
{
	const struct rtable *rt = skb_rtable(skb);

	if ((rt && rt->rt_type == RTN_BROADCAST) || skb->pkt_type == PACKET_BROADCAST ||
	    skb->pkt_type == PACKET_MULTICAST || ipv4_is_multicast(h->daddr) ||
	    ipv4_is_lbcast(h->daddr) || ipv4_is_zeronet(h->saddr) ||
	    ipv4_is_multicast(h->saddr) || ipv4_is_lbcast(h->saddr)) {
		ICMP_INC_STATS(ErrNotSentBcast);
		return false;
	}
	if (h->frag_off) {
		ICMP_INC_STATS(ErrNotSentFrag);
		return false;
	}
	if (h->protocol == IPPROTO_ICMP &&
	    (avail <= h->hdr_len || icmp_is_error(iph[h->hdr_len]) ||
	     iph[h->hdr_len] > ICMP_ADDRESSREPLY)) {
		ICMP_INC_STATS(ErrNotSentAboutError);
		return false;
	}
	return true;
}

void icmp_send(const struct sk_buff *skb_in, uint8_t type, uint8_t code, uint32_t info)
{
	const struct ip4_hdr_info *h = &IPCB_const(skb_in)->hdr;
	const uint8_t *iph;
	size_t avail, quote;
	struct sk_buff *skb;
	struct icmp_info ic = { .type = type, .code = code };

	if (skb_in->network_header == SKB_HDR_UNSET)
		return;
	iph = skb_network_header(skb_in);
	avail = (size_t)(skb_in->tail - iph);
	if (!icmp_may_send(skb_in, h, iph, avail))
		return;
	if (!icmp_ratelimit_ok()) {
		ICMP_INC_STATS(OutRateLimited);
		return;
	}
	quote = avail < h->tot_len ? avail : h->tot_len;
	if (quote > ICMP_ERR_MAX_LEN - IP_HDR_LEN - ICMP_HDR_LEN)
		quote = ICMP_ERR_MAX_LEN - IP_HDR_LEN - ICMP_HDR_LEN;
	skb = icmp_alloc(ICMP_HDR_LEN + quote, iph);
	if (!skb)
		return;
	if (type == ICMP_DEST_UNREACH && code == ICMP_FRAG_NEEDED)
		ic.rest = info & 0xffff;	/* RFC 1191: next-hop MTU, low 16 bits */
	else if (type == ICMP_PARAMETERPROB)
		ic.rest = info << 24;		/* RFC 792: pointer, first octet */
	if (icmp_push_reply(skb, &ic, inet_addr_local(h->daddr) ? h->daddr : 0, h->saddr,
			    (uint8_t)((h->tos & 0x1e) | IPTOS_PREC_INTERNETCONTROL)) == -ENETUNREACH)
		ICMP_INC_STATS(ErrNotSentNoRoute);
}

static void icmp_echo(struct sk_buff *skb, const struct icmp_info *in)
{
	const struct ip4_hdr_info *h = &IPCB(skb)->hdr;
	struct icmp_info out = { .type = ICMP_ECHOREPLY, .rest = in->rest };
	struct sk_buff *reply;

	/* RFC 1122 3.2.2.6: "An ICMP Echo Request destined to an IP broadcast
	 * or IP multicast address MAY be silently discarded." */
	if (skb_rtable(skb) && skb_rtable(skb)->rt_type == RTN_BROADCAST) {
		ICMP_INC_STATS(InBcastEchoIgnored);
		return;
	}
	/* RFC 792: "The data received in the echo message must be returned
	 * in the echo reply message." */
	reply = icmp_alloc(skb->len, skb->data + ICMP_HDR_LEN);
	if (reply)
		icmp_push_reply(reply, &out, h->daddr, h->saddr, h->tos);
}

/* Passes a received error to the raw sockets and the transport of the
 * datagram it quotes. */
static void icmp_unreach(struct sk_buff *skb, const struct icmp_info *in)
{
	const uint8_t *quoted = skb->data + ICMP_HDR_LEN;
	size_t qlen = skb->len - ICMP_HDR_LEN;
	const struct net_protocol *prot;
	struct icmp_err e = { .type = in->type, .code = in->code };

	/* RFC 1122 3.2.2: the error quotes "the internet header and at least
	 * the first 8 data octets of the datagram that triggered the error". */
	if (ip4_parse_quoted(quoted, qlen, &e.quoted) || qlen < e.quoted.hdr_len + 8u) {
		ICMP_INC_STATS(InErrors);
		ICMP_INC_STATS(InTruncated);
		return;
	}
	if (in->type == ICMP_DEST_UNREACH && in->code == ICMP_FRAG_NEEDED)
		e.info = in->rest & 0xffff;
	else if (in->type == ICMP_PARAMETERPROB)
		e.info = in->rest >> 24;
	e.transport = quoted + e.quoted.hdr_len;
	e.transport_len = qlen - e.quoted.hdr_len;
	raw_icmp_error(&e);
	prot = inet_protocol(e.quoted.protocol);
	if (prot && prot->err_handler)
		prot->err_handler(&e);
}

static void icmp_echo_reply(struct sk_buff *skb, const struct icmp_info *in)
{
	if (icmp_echo_reply_hook)
		icmp_echo_reply_hook(IPCB(skb)->hdr.saddr, (uint16_t)(in->rest >> 16),
				     (uint16_t)in->rest, skb->len - ICMP_HDR_LEN);
}

static void icmp_dispatch(struct sk_buff *skb, const struct icmp_info *in)
{
	switch (in->type) {
	case ICMP_ECHO: ICMP_INC_STATS(InEchos); icmp_echo(skb, in); break;
	case ICMP_ECHOREPLY: ICMP_INC_STATS(InEchoReps); icmp_echo_reply(skb, in); break;
	case ICMP_DEST_UNREACH: ICMP_INC_STATS(InDestUnreachs); icmp_unreach(skb, in); break;
	case ICMP_TIME_EXCEEDED: ICMP_INC_STATS(InTimeExcds); icmp_unreach(skb, in); break;
	case ICMP_PARAMETERPROB: ICMP_INC_STATS(InParmProbs); icmp_unreach(skb, in); break;
	case ICMP_SOURCE_QUENCH: ICMP_INC_STATS(InSrcQuenchs); break;
	case ICMP_REDIRECT: ICMP_INC_STATS(InRedirects); break;
	case ICMP_TIMESTAMP: ICMP_INC_STATS(InTimestamps); break;
	case ICMP_TIMESTAMPREPLY: ICMP_INC_STATS(InTimestampReps); break;
	case ICMP_ADDRESS: ICMP_INC_STATS(InAddrMasks); break;
	case ICMP_ADDRESSREPLY: ICMP_INC_STATS(InAddrMaskReps); break;
	/* RFC 1122 3.2.2: "If an ICMP message of unknown type is received,
	 * it MUST be silently discarded." */
	default: ICMP_INC_STATS(InUnknownTypes); break;
	}
}

int icmp_rcv(struct sk_buff *skb)
{
	struct icmp_info in;
	int err;

	ICMP_INC_STATS(InMsgs);
	err = icmp_parse(skb->data, skb->len, &in);
	if (err) {
		ICMP_INC_STATS(InErrors);
		if (err == -ICMP_ERR_CSUM)
			ICMP_INC_STATS(InCsumErrors);
		else
			ICMP_INC_STATS(InTruncated);
		kfree_skb(skb);
		return -EINVAL;
	}
	icmpmsg_statistics.in_type[in.type]++;
	icmp_dispatch(skb, &in);
	consume_skb(skb);
	return 0;
}

int icmp_ping(uint32_t daddr, uint16_t id, uint16_t seq, size_t payload_len)
{
	struct icmp_info ic = { .type = ICMP_ECHO, .rest = (uint32_t)id << 16 | seq };
	struct sk_buff *skb;
	uint8_t *p;

	if (payload_len > IP_MAX_PACKET - IP_HDR_LEN - ICMP_HDR_LEN)
		return -EMSGSIZE;
	skb = icmp_alloc(ICMP_HDR_LEN + payload_len, NULL);
	if (!skb)
		return -ENOMEM;
	p = skb->data + ICMP_HDR_LEN;
	for (size_t i = 0; i < payload_len; i++)
		p[i] = (uint8_t)i;
	return icmp_push_reply(skb, &ic, 0, daddr, 0);
}

void icmp_set_echo_reply_hook(void (*fn)(uint32_t saddr, uint16_t id, uint16_t seq,
					 size_t len))
{
	icmp_echo_reply_hook = fn;
}

static const struct net_protocol icmp_protocol = {
	.handler = icmp_rcv,
};

int icmp_init(void)
{
	icmp_tokens_stamp = net_now_ns();
	icmp_tokens_ns = ICMP_MSGS_BURST * ICMP_TOKEN_NS;
	return inet_add_protocol(&icmp_protocol, IPPROTO_ICMP);
}

void icmp_exit(void)
{
	inet_del_protocol(&icmp_protocol, IPPROTO_ICMP);
	icmp_echo_reply_hook = NULL;
}
