/*
 * Internet checksum against a byte-at-a-time RFC 1071 reference: every
 * length 0..300 at every alignment 0..7 over random data, all-0xff data
 * (carry stress), split sums joined with csum_block_add at odd and even
 * offsets, the IPv4 header example, pseudo-header sums, and incremental
 * updates (RFC 1624) against recomputation.
 */
#include "net/core/checksum.h"

#include <stdlib.h>

#include "net/core/byteorder.h"
#include "tests/host/check.h"

/* RFC 1071 by the book: big-endian 16-bit words, odd byte padded. */
static uint16_t ref_csum(const uint8_t *p, size_t len)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Our folded result is in network order as stored; compare as a value. */
static uint16_t ours(const uint8_t *p, size_t len)
{
	return ntohs(csum_fold(csum_partial(p, len, 0)));
}

static void test_against_reference(void)
{
	static uint8_t buf[320], ones[320];
	size_t len, off;
	int bad = 0;

	srand(1);
	for (len = 0; len < sizeof(buf); len++)
		buf[len] = (uint8_t)rand();
	memset(ones, 0xff, sizeof(ones));
	for (off = 0; off < 8; off++) {
		for (len = 0; len + off <= 300; len++) {
			bad += ours(buf + off, len) != ref_csum(buf + off, len);
			bad += ours(ones + off, len) != ref_csum(ones + off, len);
		}
	}
	CHECK_EQ(bad, 0);
}

static void test_block_add(void)
{
	static uint8_t buf[999];
	size_t split;
	int bad = 0;

	for (split = 0; split < sizeof(buf); split++)
		buf[split] = (uint8_t)(split * 7 + 3);
	for (split = 0; split <= sizeof(buf); split += 37) {
		uint32_t a = csum_partial(buf, split, 0);
		uint32_t b = csum_partial(buf + split, sizeof(buf) - split, 0);

		bad += ntohs(csum_fold(csum_block_add(a, b, split))) !=
		       ref_csum(buf, sizeof(buf));
	}
	CHECK_EQ(bad, 0);
}

static void test_ip_header(void)
{
	/* A 20-byte IPv4 header; its checksum field is bytes 10-11. */
	uint8_t iph[20] = { 0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00,
			    0x40, 0x11, 0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01,
			    0xc0, 0xa8, 0x00, 0xc7 };
	uint16_t sum = ip_fast_csum(iph, 5);

	memcpy(iph + 10, &sum, 2);
	CHECK_EQ(iph[10], 0xb8);
	CHECK_EQ(iph[11], 0x61);
	CHECK_EQ(ip_fast_csum(iph, 5), 0);	/* verifies */
}

static void test_pseudo_header(void)
{
	/* UDP datagram 10.0.0.1:1234 -> 10.0.0.2:7, payload "hi!" */
	uint8_t pkt[12 + 11];
	uint32_t saddr = htonl(0x0a000001), daddr = htonl(0x0a000002);
	uint16_t sum;

	/* Reference: checksum over an explicit pseudo-header + datagram. */
	memcpy(pkt, &saddr, 4);
	memcpy(pkt + 4, &daddr, 4);
	pkt[8] = 0;
	pkt[9] = 17;
	put_be16(pkt + 10, 11);
	put_be16(pkt + 12, 1234);
	put_be16(pkt + 14, 7);
	put_be16(pkt + 16, 11);
	put_be16(pkt + 18, 0);
	memcpy(pkt + 20, "hi!", 3);

	sum = csum_tcpudp_magic(saddr, daddr, 11, 17, csum_partial(pkt + 12, 11, 0));
	CHECK_EQ(ntohs(sum), ref_csum(pkt, sizeof(pkt)));
	memcpy(pkt + 18, &sum, 2);
	CHECK_EQ(csum_tcpudp_magic(saddr, daddr, 11, 17, csum_partial(pkt + 12, 11, 0)), 0);
}

static void test_incremental(void)
{
	uint8_t iph[20] = { 0x45, 0, 0, 0x54, 0x12, 0x34, 0x40, 0, 64, 1, 0, 0,
			    198, 18, 0, 1, 198, 18, 0, 2 };
	uint16_t sum = ip_fast_csum(iph, 5), old, new_;
	uint32_t old4, new4;
	int ttl, bad = 0;

	memcpy(iph + 10, &sum, 2);
	/* Decrement the TTL all the way down, updating incrementally. */
	for (ttl = 64; ttl > 0; ttl--) {
		memcpy(&old, iph + 8, 2);
		iph[8]--;
		memcpy(&new_, iph + 8, 2);
		memcpy(&sum, iph + 10, 2);
		csum_replace2(&sum, old, new_);
		memcpy(iph + 10, &sum, 2);
		bad += ip_fast_csum(iph, 5) != 0;
	}
	/* Rewrite the destination address (NAT-style). */
	memcpy(&old4, iph + 16, 4);
	new4 = htonl(0xc0a80a0b);
	memcpy(iph + 16, &new4, 4);
	memcpy(&sum, iph + 10, 2);
	csum_replace4(&sum, old4, new4);
	memcpy(iph + 10, &sum, 2);
	bad += ip_fast_csum(iph, 5) != 0;
	CHECK_EQ(bad, 0);
	CHECK_EQ(csum_sub(csum_add(100, 23), 23), 100);
}

int main(void)
{
	test_against_reference();
	test_block_add();
	test_ip_header();
	test_pseudo_header();
	test_incremental();
	return check_report();
}
