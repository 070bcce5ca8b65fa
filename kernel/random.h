/*
 * Kernel random numbers, cryptographic quality: a ChaCha20 generator
 * (kernel/lib/crng.c) seeded from RDSEED and RDRAND where CPUID reports
 * them and from TSC jitter always, so the API stays usable on CPUs without
 * either instruction.  Reseeded from the same sources every minute.
 * Users: TCP initial sequence numbers (RFC 6528, through siphash() in
 * kernel/lib/siphash.h with a key from here), ephemeral ports, DHCP xids.
 *
 * Any context (hard IRQ included): the state is updated with interrupts
 * off.  Usable before random_init(), which then happens on first use.
 */
#ifndef SYNACK_KERNEL_RANDOM_H
#define SYNACK_KERNEL_RANDOM_H

#include <stddef.h>
#include <stdint.h>

/* Seeds the generator and logs which sources it had; idempotent. */
void random_init(void);

void get_random_bytes(void *buf, size_t n);
uint32_t get_random_u32(void);
uint64_t get_random_u64(void);
/* Uniform in [0, ceil), without modulo bias; ceil must be non-zero. */
uint32_t get_random_u32_below(uint32_t ceil);

/* Mixes in data that differs between machines but is not secret (MAC
 * addresses, serial numbers), as Linux's add_device_randomness.  It can
 * only help: the pool never loses what it already had. */
void add_device_randomness(const void *buf, size_t n);

#endif
