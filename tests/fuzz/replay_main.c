/*
 * A main() for fuzz targets when libFuzzer is not available (gcc builds):
 * runs each file named on the command line through LLVMFuzzerTestOneInput,
 * or, with no arguments, a fixed series of pseudo-random inputs built
 * around well-formed Ethernet/IPv4 headers so they get past the first
 * checks.  A crash, sanitizer report or abort fails the test.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t rng = 0x243f6a8885a308d3ull;

static uint32_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)rng;
}

static int replay_file(const char *path)
{
	static uint8_t buf[1 << 17];
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f) {
		perror(path);
		return 1;
	}
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, n);
	return 0;
}

/* Byte 0: path; then an Ethernet header, often IPv4, then noise, with a
 * few bytes flipped. */
static size_t random_input(uint8_t *buf, size_t max)
{
	size_t len = 1 + next() % (next() % 8 ? 120 : max - 1), i;

	for (i = 0; i < len; i++)
		buf[i] = (uint8_t)next();
	if (len > 15 && next() % 4) {
		memcpy(buf + 1, "\x02\x00\x00\x00\x00\x01", 6);	/* the NIC's MAC */
		buf[13] = 0x08;
		buf[14] = next() % 8 ? 0x00 : 0x06;
		if (len > 35) {
			buf[15] = (uint8_t)(0x40 | (next() % 16));
			buf[24] = (uint8_t[]){ 1, 6, 17, 47 }[next() % 4];
			buf[27] = 10;
		}
	}
	return len;
}

int main(int argc, char **argv)
{
	static uint8_t buf[70000];
	int i, rc = 0;

	if (argc > 1) {
		for (i = 1; i < argc; i++)
			rc |= replay_file(argv[i]);
		return rc;
	}
	for (i = 0; i < 20000; i++)
		LLVMFuzzerTestOneInput(buf, random_input(buf, sizeof(buf)));
	printf("20000 inputs\n");
	return 0;
}
