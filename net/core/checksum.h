/*
 * The Internet checksum (RFC 1071): ones' complement sum of 16-bit words.
 *
 * Sums are carried unfolded as uint32_t ("wsum") between calls and folded
 * to the 16-bit complemented result with csum_fold, which is stored in the
 * header as is (memcpy, no byte swap).  Because the ones' complement sum is
 * byte-order independent, all arithmetic is on words as they sit in memory:
 * addresses and lengths are passed in network order and the result is in
 * network order.
 *
 * Verifying: a correct header or segment sums (with its checksum field) to
 * zero after folding, i.e. csum_fold(csum_partial(hdr, len, 0)) == 0.
 *
 * Context: any; pure functions.
 */
#ifndef SYNACK_NET_CORE_CHECKSUM_H
#define SYNACK_NET_CORE_CHECKSUM_H

#include <stddef.h>
#include <stdint.h>

/* Adds len bytes at buf (any alignment, any length) to sum.  An odd final
 * byte counts as the high-order byte of a word padded with zero. */
uint32_t csum_partial(const void *buf, size_t len, uint32_t sum);

/* Folds a 32-bit sum to 16 bits and complements it. */
static inline uint16_t csum_fold(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Ones' complement addition of two unfolded sums. */
static inline uint32_t csum_add(uint32_t a, uint32_t b)
{
	uint32_t r = a + b;
	return r + (r < b);
}

static inline uint32_t csum_sub(uint32_t a, uint32_t b)
{
	return csum_add(a, ~b);
}

/* Adds the sum of a block that started at byte offset within the whole:
 * a block at an odd offset has its bytes in the other halves of words. */
static inline uint32_t csum_block_add(uint32_t sum, uint32_t sum2, size_t offset)
{
	if (offset & 1)
		sum2 = (sum2 << 8 & 0xff00ff00u) | (sum2 >> 8 & 0x00ff00ffu);
	return csum_add(sum, sum2);
}

/* IPv4 header checksum over ihl 32-bit words (result in network order;
 * 0 when verifying a correct header). */
uint16_t ip_fast_csum(const void *iph, unsigned int ihl);

/* Pseudo-header sum for TCP/UDP over IPv4 (RFC 793, 768): saddr and daddr
 * in network order, len and proto in host order, plus sum. */
uint32_t csum_tcpudp_nofold(uint32_t saddr, uint32_t daddr, uint16_t len,
			    uint8_t proto, uint32_t sum);

static inline uint16_t csum_tcpudp_magic(uint32_t saddr, uint32_t daddr, uint16_t len,
					 uint8_t proto, uint32_t sum)
{
	return csum_fold(csum_tcpudp_nofold(saddr, daddr, len, proto, sum));
}

/* Incremental update (RFC 1624, eqn. 3) of the checksum field *sum when a
 * 16-bit or 32-bit field changes from old to new (all in network order). */
void csum_replace2(uint16_t *sum, uint16_t old, uint16_t new_);
void csum_replace4(uint16_t *sum, uint32_t old, uint32_t new_);

#endif
