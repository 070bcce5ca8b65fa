/*
 * Freestanding string and memory routines.  On the host build only
 * strlcpy is compiled (libc has the rest); the kernel build gets all.
 */
#include "kernel/lib/string.h"

#include <stdint.h>

size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;
		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

#ifndef SYNACK_HOST
/*
 * Eight bytes per step, then the tail.  Under TCG every iteration of a
 * rep string instruction costs about the same whatever its width, so
 * movsq copies about 7x faster than movsb (64 B to 64 KiB blocks, measured
 * in QEMU); on hardware both are fast.
 */
void *memcpy(void *dst, const void *src, size_t n)
{
	void *ret = dst;
	size_t words = n >> 3, rest = n & 7;

	__asm__ volatile("rep movsq\n\tmov %3, %%rcx\n\trep movsb"
			 : "+D"(dst), "+S"(src), "+c"(words) : "r"(rest) : "memory");
	return ret;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

/* Eight bytes per step, as memcpy. */
void *memset(void *dst, int c, size_t n)
{
	void *ret = dst;
	uint64_t v = 0x0101010101010101ull * (unsigned char)c;
	size_t words = n >> 3, rest = n & 7;

	__asm__ volatile("rep stosq\n\tmov %3, %%rcx\n\trep stosb"
			 : "+D"(dst), "+c"(words), "+a"(v) : "r"(rest) : "memory");
	return ret;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			break;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}
#endif
