/* SipHash-2-4 against the reference vectors: key 00..0f, message 00..len-1. */
#include <stdint.h>

#include "kernel/lib/siphash.h"
#include "tests/host/check.h"

static const struct {
	size_t len;
	uint64_t hash;
} vectors[] = {
	{ 0, 0x726fdb47dd0e0e31ull },
	{ 1, 0x74f839c593dc67fdull },
	{ 2, 0x0d6c8009d9a94f5aull },
	{ 3, 0x85676696d7fb7e2dull },
	{ 7, 0xab0200f58b01d137ull },
	{ 8, 0x93f5f5799a932462ull },
	{ 15, 0xa129ca6149be45e5ull },	/* the example in the paper, appendix A */
	{ 16, 0x3f2acc7f57c29bdbull },
	{ 63, 0x958a324ceb064572ull },
};

static void test_vectors(void)
{
	uint8_t key[SIPHASH_KEY_SIZE], msg[64];

	for (int i = 0; i < 16; i++)
		key[i] = (uint8_t)i;
	for (int i = 0; i < 64; i++)
		msg[i] = (uint8_t)i;
	for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++)
		CHECK(siphash(msg, vectors[i].len, key) == vectors[i].hash);
}

/* Unaligned input gives the same hash; a key bit changes it. */
static void test_alignment_and_key(void)
{
	uint8_t key[SIPHASH_KEY_SIZE] = { 0 }, buf[80];

	for (int i = 0; i < 64; i++)
		buf[i + 3] = (uint8_t)(i * 7);
	uint64_t h = siphash(buf + 3, 37, key);
	for (int i = 0; i < 37; i++)
		buf[i + 8] = (uint8_t)(i * 7);
	CHECK(siphash(buf + 8, 37, key) == h);
	key[15] ^= 0x80;
	CHECK(siphash(buf + 8, 37, key) != h);
}

int main(void)
{
	test_vectors();
	test_alignment_and_key();
	return check_report();
}
