/*
 * Pure helpers of the HTTP server (http_util.c): target path
 * normalization, Range and entity-tag evaluation, IMF-fixdate, numbers.
 * Strings in, results out; no state.
 *
 * Context: any.
 */
#ifndef SYNACK_APPS_HTTP_UTIL_H
#define SYNACK_APPS_HTTP_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HTTP_DATE_LEN		29	/* "Sun, 06 Nov 1994 08:49:37 GMT" */

/* Percent-decodes and normalizes the path p[0..len) (p[0] == '/') in place
 * (RFC 3986 5.2.4 dot segments, but ".." above the root is an error, not
 * clamped): empty and "." segments go, ".." removes its predecessor; a
 * trailing '/' is kept.  Rejects bad escapes and decoded NUL, '/', '\\'
 * or control bytes.  Returns the new length (p is terminated) or -1. */
int http_path_normalize(char *p, size_t len);

enum http_range_result {
	HTTP_RANGE_NONE,	/* absent, not bytes, invalid or several: full body */
	HTTP_RANGE_OK,		/* *first..*last inclusive, inside the body */
	HTTP_RANGE_UNSATISFIABLE,	/* 416 */
};
/* One "bytes=" range (RFC 9110 14.1.2) against a body of size bytes. */
enum http_range_result http_range_parse(const char *v, uint64_t size, uint64_t *first,
					uint64_t *last);

/* If-None-Match (RFC 9110 13.1.2): "*" or a list holding etag under the
 * weak comparison. */
bool http_etag_list_match(const char *list, const char *etag);

/* IMF-fixdate of unix time secs into buf (HTTP_DATE_LEN + 1 bytes). */
void http_date_format(char *buf, uint64_t secs);

/* Decimal value of s[0..len), at most 20 digits, no sign; false if not a
 * number or above UINT64_MAX. */
bool http_parse_u64(const char *s, size_t len, uint64_t *out);

/* ASCII case-insensitive comparison of a[0..len) with the string b. */
bool http_token_eq(const char *a, size_t len, const char *b);

#endif
