/*
 * Internet checksum (interface and conventions: checksum.h).
 *
 * csum_partial adds the buffer 8 bytes at a time into a 64-bit accumulator
 * with end-around carry, which is the ones' complement sum of its 16-bit
 * words in memory order (RFC 1071 section 2(B): the sum may be computed on
 * wider words and folded).  Loads go through memcpy, so any alignment is
 * fine and the compiler emits plain 64-bit loads; no vector registers.
 */
#include "net/core/checksum.h"

#include "kernel/lib/string.h"
#include "net/core/byteorder.h"

static inline uint64_t add64(uint64_t sum, uint64_t w)
{
	sum += w;
	return sum + (sum < w);
}

static uint32_t fold64(uint64_t sum)
{
	sum = (sum & 0xffffffffu) + (sum >> 32);
	sum = (sum & 0xffffffffu) + (sum >> 32);
	return (uint32_t)sum;
}

uint32_t csum_partial(const void *buf, size_t len, uint32_t sum)
{
	const unsigned char *p = buf;
	uint64_t acc = sum, w0, w1, w2, w3;

	for (; len >= 32; p += 32, len -= 32) {
		memcpy(&w0, p, 8);
		memcpy(&w1, p + 8, 8);
		memcpy(&w2, p + 16, 8);
		memcpy(&w3, p + 24, 8);
		acc = add64(acc, w0);
		acc = add64(acc, w1);
		acc = add64(acc, w2);
		acc = add64(acc, w3);
	}
	for (; len >= 8; p += 8, len -= 8) {
		memcpy(&w0, p, 8);
		acc = add64(acc, w0);
	}
	if (len) {
		/* The tail, zero-padded: an odd last byte lands in the
		 * first half of its 16-bit word, as RFC 1071 pads it. */
		w0 = 0;
		memcpy(&w0, p, len);
		acc = add64(acc, w0);
	}
	return fold64(acc);
}

uint16_t ip_fast_csum(const void *iph, unsigned int ihl)
{
	return csum_fold(csum_partial(iph, (size_t)ihl * 4, 0));
}

uint32_t csum_tcpudp_nofold(uint32_t saddr, uint32_t daddr, uint16_t len,
			    uint8_t proto, uint32_t sum)
{
	uint64_t acc = sum;

	acc += saddr;
	acc += daddr;
	acc += htons(len);
	acc += htons(proto);	/* the word {zero, protocol} as it sits in memory */
	return fold64(acc);
}

/* RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'). */
void csum_replace2(uint16_t *sum, uint16_t old, uint16_t new_)
{
	uint32_t s = (uint16_t)~*sum;

	s += (uint16_t)~old;
	s += new_;
	*sum = csum_fold(s);
}

void csum_replace4(uint16_t *sum, uint32_t old, uint32_t new_)
{
	uint32_t s = (uint16_t)~*sum;

	s += (uint16_t)~(old & 0xffff);
	s += (uint16_t)~(old >> 16);
	s += new_ & 0xffff;
	s += new_ >> 16;
	*sum = csum_fold(s);
}
