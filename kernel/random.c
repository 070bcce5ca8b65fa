/*
 * The kernel's random pool: one struct crng seeded from RDSEED, RDRAND and
 * TSC jitter, reseeded every RESEED_INTERVAL_NS, plus a 64-byte batch that
 * get_random_u32/u64 draw from so small requests cost a memcpy, not a
 * ChaCha20 block.  Consumed batch bytes are wiped (key erasure for them
 * too) and the batch is dropped at every reseed.  Interrupts are off while
 * the state is touched, which is all the locking one CPU needs.
 */
#include "kernel/random.h"

#include <stdbool.h>

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/kernel.h"
#include "kernel/lib/crng.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "kernel/time.h"

#define RESEED_INTERVAL_NS	(60 * NSEC_PER_SEC)
#define RDRAND_RETRIES		10	/* Intel SDM / DRNG guide: 10 tries */
#define RDSEED_RETRIES		100	/* RDSEED may underflow under load; back off */
#define HW_SEED_WORDS		4	/* 256 bits from each instruction */
#define JITTER_SAMPLES		64

static struct {
	struct crng crng;
	uint8_t batch[CHACHA20_BLOCK_SIZE];
	size_t batch_left;		/* unread bytes at the end of batch */
	uint64_t reseed_at_ns;
	bool seeded, has_rdrand, has_rdseed;
} rnd;

static bool rdrand64(uint64_t *v)
{
	for (int i = 0; i < RDRAND_RETRIES; i++) {
		uint8_t ok;

		__asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok) : : "cc");
		if (ok)
			return true;
	}
	return false;
}

static bool rdseed64(uint64_t *v)
{
	for (int i = 0; i < RDSEED_RETRIES; i++) {
		uint8_t ok;

		__asm__ volatile("rdseed %0; setc %1" : "=r"(*v), "=qm"(ok) : : "cc");
		if (ok)
			return true;
		cpu_relax();
	}
	return false;
}

static void random_detect_cpu(void)
{
	uint32_t a, b, c, d, max_leaf;

	cpuid(0, 0, &max_leaf, &b, &c, &d);
	cpuid(1, 0, &a, &b, &c, &d);
	rnd.has_rdrand = c & (1u << 30);
	if (max_leaf >= 7) {
		cpuid(7, 0, &a, &b, &c, &d);
		rnd.has_rdseed = b & (1u << 18);
	}
}

/* Mixes up to HW_SEED_WORDS words of `source`; returns how many it got. */
static int mix_hw(bool (*source)(uint64_t *))
{
	uint64_t w[HW_SEED_WORDS];
	int n = 0;

	while (n < HW_SEED_WORDS && source(&w[n]))
		n++;
	crng_mix(&rnd.crng, w, (size_t)n * sizeof(w[0]));
	crng_wipe(w, sizeof(w));
	return n;
}

/* Timing of a short data-dependent loop: the TSC deltas vary with cache,
 * pipeline and (in a VM) host scheduling state.  Each sample carries
 * little entropy, so many are taken and all of them are mixed in full. */
static void mix_jitter(int samples)
{
	uint64_t t[JITTER_SAMPLES];
	volatile uint64_t scratch[16] = { 0 };

	for (int i = 0; i < samples; i++) {
		uint64_t start = rdtsc();

		for (uint64_t j = 0; j < 8 + (start & 7); j++)
			scratch[(start ^ j) & 15] += start >> j;
		t[i] = rdtsc() ^ (start << 32);
	}
	crng_mix(&rnd.crng, t, (size_t)samples * sizeof(t[0]));
	crng_wipe(t, sizeof(t));
}

/* Gathers fresh input from every source; interrupts off. */
static void random_reseed(void)
{
	int seed_words = rnd.has_rdseed ? mix_hw(rdseed64) : 0;
	int rand_words = rnd.has_rdrand ? mix_hw(rdrand64) : 0;

	mix_jitter(JITTER_SAMPLES);
	crng_wipe(rnd.batch, sizeof(rnd.batch));
	rnd.batch_left = 0;
	rnd.reseed_at_ns = now_ns() + RESEED_INTERVAL_NS;
	if (!rnd.seeded)
		pr_info("random: seeded from rdseed %d/%d, rdrand %d/%d words, %d tsc jitter samples\n",
			seed_words, rnd.has_rdseed ? HW_SEED_WORDS : 0,
			rand_words, rnd.has_rdrand ? HW_SEED_WORDS : 0, JITTER_SAMPLES);
	rnd.seeded = true;
}

/* Seeds on first use and reseeds when due; interrupts off. */
static void random_prepare(void)
{
	if (!rnd.seeded) {
		random_detect_cpu();
		random_reseed();
	} else if (now_ns() >= rnd.reseed_at_ns) {
		random_reseed();
	}
}

void random_init(void)
{
	unsigned long flags = irq_save();

	random_prepare();
	irq_restore(flags);
}

void get_random_bytes(void *buf, size_t n)
{
	unsigned long flags = irq_save();

	random_prepare();
	crng_generate(&rnd.crng, buf, n);
	irq_restore(flags);
}

/* Copies n (at most the batch size) bytes out of the batch, refilling it. */
static void random_batch_take(void *out, size_t n)
{
	unsigned long flags = irq_save();
	uint8_t *src;

	random_prepare();
	if (rnd.batch_left < n) {
		crng_generate(&rnd.crng, rnd.batch, sizeof(rnd.batch));
		rnd.batch_left = sizeof(rnd.batch);
	}
	src = rnd.batch + sizeof(rnd.batch) - rnd.batch_left;
	memcpy(out, src, n);
	crng_wipe(src, n);
	rnd.batch_left -= n;
	irq_restore(flags);
}

uint32_t get_random_u32(void)
{
	uint32_t v;

	random_batch_take(&v, sizeof(v));
	return v;
}

uint64_t get_random_u64(void)
{
	uint64_t v;

	random_batch_take(&v, sizeof(v));
	return v;
}

/* Lemire's multiply-and-reject: the high half of x * ceil is uniform once
 * the low half's biased range [0, 2^32 mod ceil) is rejected. */
uint32_t get_random_u32_below(uint32_t ceil)
{
	uint64_t m = (uint64_t)get_random_u32() * ceil;

	if ((uint32_t)m < ceil) {
		uint32_t threshold = -ceil % ceil;

		while ((uint32_t)m < threshold)
			m = (uint64_t)get_random_u32() * ceil;
	}
	return (uint32_t)(m >> 32);
}

void add_device_randomness(const void *buf, size_t n)
{
	unsigned long flags = irq_save();

	crng_mix(&rnd.crng, buf, n);
	irq_restore(flags);
}
