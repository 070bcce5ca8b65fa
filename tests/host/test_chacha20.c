/* ChaCha20 block function against RFC 8439 test vectors (2.3.2, A.1). */
#include <stdint.h>

#include "kernel/lib/chacha20.h"
#include "tests/host/check.h"

static void hex(char *dst, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sprintf(dst + 2 * i, "%02x", p[i]);
}

static void check_block(const uint32_t key[8], uint32_t counter, const uint32_t nonce[3],
			const char *expect)
{
	uint8_t out[CHACHA20_BLOCK_SIZE];
	char got[2 * CHACHA20_BLOCK_SIZE + 1];

	chacha20_block(key, counter, nonce, out);
	hex(got, out, sizeof(out));
	CHECK_STR(got, expect);
}

/* Section 2.3.2: key 00:01:..:1f, nonce 00:00:00:09:00:00:00:4a:00:00:00:00. */
static void test_rfc8439_2_3_2(void)
{
	const uint32_t key[8] = {
		0x03020100, 0x07060504, 0x0b0a0908, 0x0f0e0d0c,
		0x13121110, 0x17161514, 0x1b1a1918, 0x1f1e1d1c,
	};
	const uint32_t nonce[3] = { 0x09000000, 0x4a000000, 0x00000000 };

	check_block(key, 1, nonce,
		    "10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e"
		    "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e");
}

/* Appendix A.1, test vectors #1 and #2: all-zero key and nonce. */
static void test_rfc8439_a_1(void)
{
	const uint32_t key[8] = { 0 };
	const uint32_t nonce[3] = { 0 };

	check_block(key, 0, nonce,
		    "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7"
		    "da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586");
	check_block(key, 1, nonce,
		    "9f07e7be5551387a98ba977c732d080dcb0f29a048e3656912c6533e32ee7aed"
		    "29b721769ce64e43d57133b074d839d531ed1f28510afb45ace10a1f4b794d6f");
}

int main(void)
{
	test_rfc8439_2_3_2();
	test_rfc8439_a_1();
	return check_report();
}
