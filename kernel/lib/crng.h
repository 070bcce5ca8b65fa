/*
 * A ChaCha20-based cryptographic generator in the style of Linux's crng,
 * with fast key erasure: each generate call draws one block from the
 * current key, keeps half of it as the next key and uses the other half as
 * a one-call stream key, so a state captured later cannot reproduce output
 * already handed out.  Entropy is folded into the key with crng_mix().
 *
 * Pure and single-threaded: the caller (kernel/random.c) provides entropy
 * and serializes access.  Output quality is only as good as what was
 * mixed in; the struct starts all zero and is then fully predictable.
 */
#ifndef SYNACK_KERNEL_LIB_CRNG_H
#define SYNACK_KERNEL_LIB_CRNG_H

#include <stddef.h>
#include <stdint.h>

#include "kernel/lib/chacha20.h"

struct crng {
	uint32_t key[CHACHA20_KEY_WORDS];
};

/* Folds `len` bytes into the key: XOR in 32 bytes at a time, each followed
 * by a rekey through the block function, so every input bit reaches every
 * key bit and the old key is gone. */
void crng_mix(struct crng *c, const void *data, size_t len);
/* Fills `out` with `n` bytes (below 256 GiB: one 32-bit block counter). */
void crng_generate(struct crng *c, void *out, size_t n);
/* Overwrites `len` bytes with zeros in a way the compiler keeps. */
void crng_wipe(void *p, size_t len);

#endif
