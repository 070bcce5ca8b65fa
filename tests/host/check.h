/*
 * Minimal host unit-test harness.  CHECK* record a failure with file:line
 * and keep going; a test program ends with `return check_report();`, which
 * prints a summary and returns non-zero if anything failed.  Test programs
 * run under ASan + UBSan (tests/host/meson.build), so a memory error fails
 * the test too.
 */
#ifndef SYNACK_TESTS_HOST_CHECK_H
#define SYNACK_TESTS_HOST_CHECK_H

#include <stdio.h>
#include <string.h>

/* One pair of counters per test program, shared by every file linked into
 * it (weak definitions merge), so a CHECK failing in a helper file such as
 * test_tcp_util.c fails the test as well. */
__attribute__((weak)) int check_total, check_failed;

#define CHECK(cond) do { \
	check_total++; \
	if (!(cond)) { \
		check_failed++; \
		fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
	} \
} while (0)

#define CHECK_EQ(a, b) do { \
	long long __a = (long long)(a), __b = (long long)(b); \
	check_total++; \
	if (__a != __b) { \
		check_failed++; \
		fprintf(stderr, "%s:%d: %s == %s failed: %lld != %lld\n", \
			__FILE__, __LINE__, #a, #b, __a, __b); \
	} \
} while (0)

#define CHECK_STR(a, b) do { \
	const char *__a = (a), *__b = (b); \
	check_total++; \
	if (!__a || !__b || strcmp(__a, __b)) { \
		check_failed++; \
		fprintf(stderr, "%s:%d: %s == \"%s\" failed: got \"%s\"\n", \
			__FILE__, __LINE__, #a, __b ? __b : "(null)", __a ? __a : "(null)"); \
	} \
} while (0)

static inline int check_report(void)
{
	printf("%d checks, %d failed\n", check_total, check_failed);
	return check_failed ? 1 : 0;
}

#endif
