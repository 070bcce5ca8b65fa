/*
 * The ChaCha20 block function (RFC 8439 section 2.3): 256-bit key, 32-bit
 * block counter, 96-bit nonce -> 64 bytes of keystream.  Pure integer
 * code; the kernel's random pool (kernel/lib/crng.c) is built on it.
 */
#ifndef SYNACK_KERNEL_LIB_CHACHA20_H
#define SYNACK_KERNEL_LIB_CHACHA20_H

#include <stdint.h>

#define CHACHA20_KEY_WORDS	8
#define CHACHA20_NONCE_WORDS	3
#define CHACHA20_BLOCK_SIZE	64

/* Key and nonce words are the RFC's little-endian reading of their bytes;
 * `out` is the serialized block. */
void chacha20_block(const uint32_t key[CHACHA20_KEY_WORDS], uint32_t counter,
		    const uint32_t nonce[CHACHA20_NONCE_WORDS],
		    uint8_t out[CHACHA20_BLOCK_SIZE]);

#endif
