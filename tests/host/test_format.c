/* kvsnprintf against the C library's snprintf on the conversions the kernel uses. */
#include <stdint.h>

#include "kernel/lib/format.h"
#include "kernel/lib/string.h"
#include "tests/host/check.h"

#define SAME(...) do { \
	char __k[128], __c[128]; \
	int __kn = ksnprintf(__k, sizeof(__k), __VA_ARGS__); \
	int __cn = snprintf(__c, sizeof(__c), __VA_ARGS__); \
	CHECK_STR(__k, __c); \
	CHECK_EQ(__kn, __cn); \
} while (0)

static void test_matches_libc(void)
{
	SAME("plain");
	SAME("%d %i %u", -42, 17, 4000000000u);
	SAME("%5d|%-5d|%05d|%+d|% d", 42, 42, 42, 42, 42);
	SAME("%x %X %#x %#o %o", 0xbeefu, 0xbeefu, 255u, 8u, 8u);
	SAME("%lu %ld %llx %zu", 18446744073709551615ul, -9223372036854775807l - 1,
	     0x123456789abcdefull, (size_t)12345);
	SAME("%hhd %hd %hhu", 300, 70000, 511);
	SAME("%s|%10s|%-10s|%.3s|%*s|%-*s|", "abc", "abc", "abc", "abcdef", 6, "x", 6, "y");
	SAME("%c%c%%", 'o', 'k');
	SAME("%.5d|%8.3d|%.0d|", 42, 7, 0);
	SAME("%p", (void *)0x1234);
	SAME("%08.3d|%-08d|", 5, 5);
}

/* C99 7.19.6.1 corners: '#' adds 0x only to a non-zero value; '+' and ' '
 * apply to signed conversions only; %c writes (and counts) a NUL too. */
static void test_c99_corners(void)
{
	SAME("%#x|%#X|%#o|%#.0o", 0u, 0u, 0u, 0u);
	SAME("%+u|% u|%+x|% X|%+o", 5u, 5u, 5u, 5u, 5u);
	SAME("a%cb", 0);
	SAME("%+d|% d|%+i", 0, -3, 7);
}

static void test_truncation(void)
{
	char buf[8];

	CHECK_EQ(ksnprintf(buf, sizeof(buf), "0123456789"), 10);
	CHECK_STR(buf, "0123456");
	CHECK_EQ(ksnprintf(buf, 1, "abc"), 3);
	CHECK_STR(buf, "");
	CHECK_EQ(ksnprintf(NULL, 0, "%d", 12345), 5);
	CHECK_EQ(ksnprintf(buf, sizeof(buf), "%s", (char *)NULL), 6);
	CHECK_STR(buf, "(null)");
}

static void test_strlcpy(void)
{
	char buf[4];

	CHECK_EQ(strlcpy(buf, "hello", sizeof(buf)), 5);
	CHECK_STR(buf, "hel");
	CHECK_EQ(strlcpy(buf, "", sizeof(buf)), 0);
	CHECK_STR(buf, "");
}

int main(void)
{
	test_matches_libc();
	test_c99_corners();
	test_truncation();
	test_strlcpy();
	return check_report();
}
