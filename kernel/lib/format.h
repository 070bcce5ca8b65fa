/*
 * printf-style formatting into a bounded buffer.  Supports the conversions
 * the kernel uses: %d %i %u %x %X %o %p %s %c %%, flags '-' '0' '+' ' ' '#',
 * width and precision (also '*'), length modifiers hh h l ll z t j.
 * Returns the length the full output would have (like C99 vsnprintf); the
 * buffer is always terminated when size > 0.
 */
#ifndef SYNACK_KERNEL_LIB_FORMAT_H
#define SYNACK_KERNEL_LIB_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
