/*
 * SipHash-2-4: four 64-bit lanes initialised from the key, two SipRounds
 * per 8-byte message word, the last word carrying the length in its top
 * byte, then four finalization rounds.  Input is read bytewise, so any
 * alignment works.
 */
#include "kernel/lib/siphash.h"

static inline uint64_t rotl64(uint64_t v, int n)
{
	return v << n | v >> (64 - n);
}

static uint64_t load_le64(const uint8_t *p, size_t n)
{
	uint64_t v = 0;

	for (size_t i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static void sipround(uint64_t v[4])
{
	v[0] += v[1]; v[1] = rotl64(v[1], 13); v[1] ^= v[0]; v[0] = rotl64(v[0], 32);
	v[2] += v[3]; v[3] = rotl64(v[3], 16); v[3] ^= v[2];
	v[0] += v[3]; v[3] = rotl64(v[3], 21); v[3] ^= v[0];
	v[2] += v[1]; v[1] = rotl64(v[1], 17); v[1] ^= v[2]; v[2] = rotl64(v[2], 32);
}

static void absorb(uint64_t v[4], uint64_t m)
{
	v[3] ^= m;
	sipround(v);
	sipround(v);
	v[0] ^= m;
}

uint64_t siphash(const void *data, size_t len, const uint8_t key[SIPHASH_KEY_SIZE])
{
	const uint8_t *p = data;
	uint64_t k0 = load_le64(key, 8), k1 = load_le64(key + 8, 8);
	/* "somepseudorandomlygeneratedbytes" */
	uint64_t v[4] = {
		k0 ^ 0x736f6d6570736575ull, k1 ^ 0x646f72616e646f6dull,
		k0 ^ 0x6c7967656e657261ull, k1 ^ 0x7465646279746573ull,
	};
	size_t tail = len & 7;

	for (const uint8_t *end = p + (len - tail); p < end; p += 8)
		absorb(v, load_le64(p, 8));
	absorb(v, load_le64(p, tail) | (uint64_t)(len & 0xff) << 56);
	v[2] ^= 0xff;
	for (int i = 0; i < 4; i++)
		sipround(v);
	return v[0] ^ v[1] ^ v[2] ^ v[3];
}
