/*
 * ChaCha20 generator with fast key erasure (see crng.h).  The three uses
 * of the block function are kept apart by the nonce: mixing, drawing the
 * next key, and streaming output under the one-call key.
 */
#include "kernel/lib/crng.h"

#include "kernel/lib/string.h"

enum { NONCE_MIX = 1, NONCE_REKEY = 2, NONCE_STREAM = 3 };

void crng_wipe(void *p, size_t len)
{
	memset(p, 0, len);
	/* The asm claims to read *p, so the stores above cannot be dropped as
	 * dead even when p is a local about to go out of scope. */
	__asm__ volatile("" : : "r"(p) : "memory");
}

static uint32_t load_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* key, stream_key (NULL: not needed) <- halves of one block under key. */
static void crng_rekey(struct crng *c, uint32_t tag, uint32_t stream_key[CHACHA20_KEY_WORDS])
{
	const uint32_t nonce[CHACHA20_NONCE_WORDS] = { tag, 0, 0 };
	uint8_t block[CHACHA20_BLOCK_SIZE];

	chacha20_block(c->key, 0, nonce, block);
	for (int i = 0; i < CHACHA20_KEY_WORDS; i++) {
		c->key[i] = load_le32(block + 4 * i);
		if (stream_key)
			stream_key[i] = load_le32(block + 32 + 4 * i);
	}
	crng_wipe(block, sizeof(block));
}

void crng_mix(struct crng *c, const void *data, size_t len)
{
	const uint8_t *p = data;

	while (len) {
		uint8_t chunk[32] = { 0 };
		size_t n = len < sizeof(chunk) ? len : sizeof(chunk);

		memcpy(chunk, p, n);
		for (int i = 0; i < CHACHA20_KEY_WORDS; i++)
			c->key[i] ^= load_le32(chunk + 4 * i);
		crng_rekey(c, NONCE_MIX, NULL);
		crng_wipe(chunk, sizeof(chunk));
		p += n;
		len -= n;
	}
}

void crng_generate(struct crng *c, void *out, size_t n)
{
	static const uint32_t nonce[CHACHA20_NONCE_WORDS] = { NONCE_STREAM, 0, 0 };
	uint32_t stream_key[CHACHA20_KEY_WORDS];
	uint8_t block[CHACHA20_BLOCK_SIZE];
	uint8_t *dst = out;

	crng_rekey(c, NONCE_REKEY, stream_key);
	for (uint32_t ctr = 0; n; ctr++) {
		size_t take = n < sizeof(block) ? n : sizeof(block);

		chacha20_block(stream_key, ctr, nonce, block);
		memcpy(dst, block, take);
		dst += take;
		n -= take;
	}
	crng_wipe(block, sizeof(block));
	crng_wipe(stream_key, sizeof(stream_key));
}
