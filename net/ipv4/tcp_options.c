/*
 * TCP options: parse the options of one received header once, with every
 * length checked against the header, and write ours.
 *
 * Parse rules (RFC 9293 3.1, 3.7.1; RFC 7323 2.2, 3.2; RFC 2018 2, 3):
 * EOL ends the list; NOP is one byte; every other option has a length
 * byte of at least 2 that must not run past the header (-1: the segment
 * is dropped).  An option with the wrong length for its kind is ignored
 * (RFC 9293: "be prepared to handle ... illegal option length" by not
 * using it).  MSS, window scale and SACK-permitted count only on a SYN.
 *
 * Write layout: MSS, then SACK-permitted + timestamps (or NOP NOP +
 * timestamps), window scale, then SACK blocks, each padded to 32 bits
 * with NOPs, so the header length stays a multiple of four.
 *
 * Context: any (pure functions).
 */
#include "net/ipv4/tcp.h"

#include "net/core/byteorder.h"

static void tcp_parse_sack(const uint8_t *p, uint8_t optlen, struct tcp_options_received *rx)
{
	unsigned int n;

	/* RFC 2018 3: "Length: Variable", 8 bytes per block plus 2. */
	if (optlen < 10 || (optlen - 2) % 8)
		return;
	n = (unsigned int)(optlen - 2) / 8;
	if (n > TCP_MAX_SACKS)
		n = TCP_MAX_SACKS;
	for (unsigned int i = 0; i < n; i++) {
		rx->sacks[i].start_seq = get_be32(p + 2 + 8 * i);
		rx->sacks[i].end_seq = get_be32(p + 6 + 8 * i);
	}
	rx->num_sacks = (uint8_t)n;
}

static void tcp_parse_one(const uint8_t *p, uint8_t optlen, bool syn,
			  struct tcp_options_received *rx)
{
	switch (p[0]) {
	case TCPOPT_MSS:
		if (optlen == 4 && syn) {
			rx->saw_mss = true;
			rx->mss = get_be16(p + 2);
		}
		break;
	case TCPOPT_WINDOW:
		if (optlen == 3 && syn) {
			rx->saw_wscale = true;
			/* RFC 7323 2.3: a shift above 14 is used as 14. */
			rx->snd_wscale = p[2] > TCP_MAX_WSCALE ? TCP_MAX_WSCALE : p[2];
		}
		break;
	case TCPOPT_SACK_PERM:
		if (optlen == 2 && syn)
			rx->sack_ok = true;
		break;
	case TCPOPT_TIMESTAMP:
		if (optlen == 10) {
			rx->saw_tstamp = true;
			rx->rcv_tsval = get_be32(p + 2);
			rx->rcv_tsecr = get_be32(p + 6);
		}
		break;
	case TCPOPT_SACK:
		tcp_parse_sack(p, optlen, rx);
		break;
	default:
		break;
	}
}

int tcp_parse_options(const uint8_t *opt, size_t len, bool syn, struct tcp_options_received *rx)
{
	size_t i = 0;

	*rx = (struct tcp_options_received){ 0 };
	while (i < len) {
		uint8_t kind = opt[i], optlen;

		if (kind == TCPOPT_EOL)
			break;
		if (kind == TCPOPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= len)
			return -1;
		optlen = opt[i + 1];
		if (optlen < 2 || i + optlen > len)
			return -1;
		tcp_parse_one(opt + i, optlen, syn, rx);
		i += optlen;
	}
	return 0;
}

size_t tcp_options_size(const struct tcp_out_options *o)
{
	size_t n = 0;
	unsigned int blocks = o->num_sacks + (o->dsack ? 1u : 0u);

	if (o->mss)
		n += 4;
	if (o->tstamp)
		n += 12;		/* SACK-permitted rides in its NOPs */
	else if (o->sack_perm)
		n += 4;
	if (o->wscale >= 0)
		n += 4;
	if (blocks) {
		if (blocks > TCP_MAX_SACKS - (o->tstamp ? 1u : 0u))
			blocks = TCP_MAX_SACKS - (o->tstamp ? 1u : 0u);
		n += 4 + 8 * blocks;
	}
	return n;
}

static uint8_t *tcp_write_sacks(uint8_t *p, const struct tcp_out_options *o)
{
	unsigned int max = TCP_MAX_SACKS - (o->tstamp ? 1u : 0u);
	unsigned int blocks = o->num_sacks + (o->dsack ? 1u : 0u), i = 0;

	if (!blocks)
		return p;
	if (blocks > max)
		blocks = max;
	*p++ = TCPOPT_NOP;
	*p++ = TCPOPT_NOP;
	*p++ = TCPOPT_SACK;
	*p++ = (uint8_t)(2 + 8 * blocks);
	if (o->dsack) {		/* RFC 2883: the D-SACK block goes first */
		put_be32(p, o->dsack->start_seq);
		put_be32(p + 4, o->dsack->end_seq);
		p += 8;
		blocks--;
	}
	for (; i < blocks; i++, p += 8) {
		put_be32(p, o->sacks[i].start_seq);
		put_be32(p + 4, o->sacks[i].end_seq);
	}
	return p;
}

void tcp_options_write(uint8_t *p, const struct tcp_out_options *o)
{
	if (o->mss) {
		p[0] = TCPOPT_MSS;
		p[1] = 4;
		put_be16(p + 2, o->mss);
		p += 4;
	}
	if (o->tstamp) {
		p[0] = o->sack_perm ? TCPOPT_SACK_PERM : TCPOPT_NOP;
		p[1] = o->sack_perm ? 2 : TCPOPT_NOP;
		p[2] = TCPOPT_TIMESTAMP;
		p[3] = 10;
		put_be32(p + 4, o->tsval);
		put_be32(p + 8, o->tsecr);
		p += 12;
	} else if (o->sack_perm) {
		p[0] = TCPOPT_NOP;
		p[1] = TCPOPT_NOP;
		p[2] = TCPOPT_SACK_PERM;
		p[3] = 2;
		p += 4;
	}
	if (o->wscale >= 0) {
		p[0] = TCPOPT_NOP;
		p[1] = TCPOPT_WINDOW;
		p[2] = 3;
		p[3] = (uint8_t)o->wscale;
		p += 4;
	}
	tcp_write_sacks(p, o);
}
