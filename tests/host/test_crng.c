/* ChaCha20 generator: construction, key erasure, mixing, exact lengths. */
#include <stdint.h>
#include <stdlib.h>

#include "kernel/lib/crng.h"
#include "tests/host/check.h"

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The output is the documented construction: block(key, 0, {2,0,0}) gives
 * next key | stream key; output is block(stream key, i, {3,0,0}). */
static void test_construction(void)
{
	struct crng c = { { 0 } };
	const uint32_t zero_key[8] = { 0 };
	const uint32_t rekey_nonce[3] = { 2, 0, 0 }, stream_nonce[3] = { 3, 0, 0 };
	uint8_t first[64], expect[2][64], out[100];
	uint32_t stream_key[8];

	chacha20_block(zero_key, 0, rekey_nonce, first);
	for (int i = 0; i < 8; i++)
		stream_key[i] = le32(first + 32 + 4 * i);
	chacha20_block(stream_key, 0, stream_nonce, expect[0]);
	chacha20_block(stream_key, 1, stream_nonce, expect[1]);

	crng_generate(&c, out, sizeof(out));
	CHECK(!memcmp(out, expect[0], 64));
	CHECK(!memcmp(out + 64, expect[1], 36));
	for (int i = 0; i < 8; i++)
		CHECK_EQ(c.key[i], le32(first + 4 * i));
}

static void test_erasure_and_determinism(void)
{
	struct crng a = { { 0 } }, b = { { 0 } };
	uint8_t x[32], y[32];

	crng_mix(&a, "seed", 4);
	crng_mix(&b, "seed", 4);
	CHECK(!memcmp(&a, &b, sizeof(a)));
	crng_generate(&a, x, sizeof(x));
	crng_generate(&b, y, sizeof(y));
	CHECK(!memcmp(x, y, sizeof(x)));
	/* Successive calls differ, and so does the key after each call. */
	struct crng before = a;
	crng_generate(&a, y, sizeof(y));
	CHECK(memcmp(x, y, sizeof(x)));
	CHECK(memcmp(&before, &a, sizeof(a)));
}

static void test_mix(void)
{
	struct crng a = { { 0 } }, b = { { 0 } }, c = { { 0 } };
	uint8_t big[100] = { 0 };

	crng_mix(&a, "seed", 4);
	crng_mix(&b, "seee", 4);
	CHECK(memcmp(&a, &b, sizeof(a)));
	/* A 100-byte input is folded in four chunks, the last one padded. */
	crng_mix(&c, big, sizeof(big));
	struct crng d = c;
	big[99] = 1;
	c = (struct crng){ { 0 } };
	crng_mix(&c, big, sizeof(big));
	CHECK(memcmp(&c, &d, sizeof(c)));
	/* Zero length changes nothing. */
	d = c;
	crng_mix(&c, big, 0);
	CHECK(!memcmp(&c, &d, sizeof(c)));
}

/* Odd lengths are written exactly (ASan guards the ends), and the bits
 * look balanced over a larger draw. */
static void test_lengths_and_balance(void)
{
	struct crng c = { { 0 } };
	static uint8_t buf[65536];
	long ones = 0;

	crng_mix(&c, "x", 1);
	for (size_t n = 0; n <= 130; n++) {
		uint8_t *p = malloc(n ? n : 1);
		crng_generate(&c, p, n);
		free(p);
	}
	crng_generate(&c, buf, sizeof(buf));
	for (size_t i = 0; i < sizeof(buf); i++)
		ones += __builtin_popcount(buf[i]);
	/* 524288 bits: mean 262144, sd 362; 10 sd either way. */
	CHECK(ones > 262144 - 3620 && ones < 262144 + 3620);
}

static void test_wipe(void)
{
	uint8_t b[16];

	memset(b, 0xaa, sizeof(b));
	crng_wipe(b, sizeof(b));
	for (int i = 0; i < 16; i++)
		CHECK_EQ(b[i], 0);
}

int main(void)
{
	test_construction();
	test_erasure_and_determinism();
	test_mix();
	test_lengths_and_balance();
	test_wipe();
	return check_report();
}
