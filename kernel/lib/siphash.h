/*
 * SipHash-2-4 (Aumasson and Bernstein, 2012): a keyed 64-bit PRF, fast on
 * short inputs.  Made for hash-table keys and for RFC 6528 TCP initial
 * sequence numbers (a secret-keyed hash of the 4-tuple plus a clock):
 * without the key an off-path attacker cannot predict the output.
 */
#ifndef SYNACK_KERNEL_LIB_SIPHASH_H
#define SYNACK_KERNEL_LIB_SIPHASH_H

#include <stddef.h>
#include <stdint.h>

#define SIPHASH_KEY_SIZE 16

/* The paper's output as a number: its 8 output bytes read little-endian. */
uint64_t siphash(const void *data, size_t len, const uint8_t key[SIPHASH_KEY_SIZE]);

#endif
