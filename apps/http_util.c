/*
 * Pure helpers of the HTTP server (http_util.h has the contracts).
 *
 * Path normalization runs on the decoded bytes, so "%2e%2e" is ".." and
 * is treated as one; a decoded '/' or '\\' is refused rather than made a
 * separator, so every segment boundary is one the client wrote plainly.
 *
 * Context: any.
 */
#include "apps/http_util.h"

#include "kernel/lib/string.h"

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static char ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

bool http_token_eq(const char *a, size_t len, const char *b)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!b[i] || ascii_lower(a[i]) != ascii_lower(b[i]))
			return false;
	return b[i] == '\0';
}

/* Decodes one byte of the path at p[*r] (an escape takes three); -1 for a
 * bad escape or a byte no path segment may hold. */
static int path_decode_one(const char *p, size_t len, size_t *r)
{
	int c = (unsigned char)p[*r];

	if (c == '%') {
		int hi = *r + 2 < len ? hex_value(p[*r + 1]) : -1;
		int lo = hi >= 0 ? hex_value(p[*r + 2]) : -1;

		if (lo < 0)
			return -1;
		c = hi << 4 | lo;
		*r += 3;
	} else {
		*r += 1;
	}
	if (c < 0x20 || c == 0x7f || c == '/' || c == '\\')
		return -1;
	return c;
}

int http_path_normalize(char *p, size_t len)
{
	size_t r = 0, w = 0;
	bool dir = false;

	if (len == 0 || p[0] != '/')
		return -1;
	while (r < len) {
		size_t slash = w, seg, n;

		r++;			/* p[r] was '/' */
		p[w++] = '/';
		seg = w;
		while (r < len && p[r] != '/') {
			int c = path_decode_one(p, len, &r);

			if (c < 0)
				return -1;
			p[w++] = (char)c;
		}
		n = w - seg;
		dir = n == 0 || (n == 1 && p[seg] == '.') ||
		      (n == 2 && p[seg] == '.' && p[seg + 1] == '.');
		if (!dir)
			continue;
		w = slash;
		if (n == 2) {
			if (w == 0)
				return -1;	/* ".." above the root */
			while (p[--w] != '/')
				;
		}
	}
	if (dir || w == 0)
		p[w++] = '/';
	p[w] = '\0';
	return (int)w;
}

bool http_parse_u64(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;

	if (len == 0 || len > 20)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned int d = (unsigned int)(s[i] - '0');

		if (d > 9 || v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

/* Digits at *s: their value saturated at UINT64_MAX; false if none. */
static bool range_number(const char **s, uint64_t *v)
{
	const char *start = *s;

	*v = 0;
	while (**s >= '0' && **s <= '9') {
		unsigned int d = (unsigned int)(**s - '0');

		*v = *v > (UINT64_MAX - d) / 10 ? UINT64_MAX : *v * 10 + d;
		(*s)++;
	}
	return *s != start;
}

/* RFC 9110 14.1.1: range-unit "=" range-set; only a set of one range is
 * served (several: the whole body, which 14.2 allows). */
enum http_range_result http_range_parse(const char *v, uint64_t size, uint64_t *first,
					uint64_t *last)
{
	uint64_t a = 0, b = UINT64_MAX;
	bool suffix;

	if (!http_token_eq(v, 6, "bytes="))	/* the unit is case-insensitive */
		return HTTP_RANGE_NONE;
	v += 6;
	suffix = *v == '-';
	if (!suffix && !range_number(&v, &a))
		return HTTP_RANGE_NONE;
	if (*v++ != '-')
		return HTTP_RANGE_NONE;
	if ((suffix || (*v >= '0' && *v <= '9')) && !range_number(&v, &b))
		return HTTP_RANGE_NONE;
	while (*v == ' ' || *v == '\t')
		v++;
	if (*v)
		return HTTP_RANGE_NONE;		/* several ranges, or junk */
	if (suffix) {
		/* suffix-range: the last b bytes; 0 of them is unsatisfiable */
		if (b == 0 || size == 0)
			return HTTP_RANGE_UNSATISFIABLE;
		*first = b >= size ? 0 : size - b;
		*last = size - 1;
		return HTTP_RANGE_OK;
	}
	if (b < a)
		return HTTP_RANGE_NONE;		/* invalid: last-pos < first-pos */
	if (a >= size)
		return HTTP_RANGE_UNSATISFIABLE;
	*first = a;
	*last = b >= size ? size - 1 : b;
	return HTTP_RANGE_OK;
}

/* The opaque-tag of one list member at *s (W/ dropped); moves *s past it.
 * Returns its length, 0 if the member is malformed. */
static size_t etag_member(const char **s, const char **tag)
{
	const char *q = *s;

	if (q[0] == 'W' && q[1] == '/')
		q += 2;
	if (*q != '"')
		return 0;
	*tag = q++;
	while (*q && *q != '"')
		q++;
	if (*q != '"')
		return 0;
	*s = q + 1;
	return (size_t)(*s - *tag);
}

bool http_etag_list_match(const char *list, const char *etag)
{
	size_t elen = strlen(etag);
	const char *s = list;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '*')
		return true;
	while (*s) {
		const char *tag;
		size_t n;

		while (*s == ' ' || *s == '\t' || *s == ',')
			s++;
		if (!*s)
			break;
		n = etag_member(&s, &tag);
		if (n == 0)
			return false;
		if (n == elen && !memcmp(tag, etag, n))
			return true;
	}
	return false;
}

/* Civil date of days since 1970-01-01 (proleptic Gregorian): the era is
 * the 400-year cycle, counted from 0000-03-01 so the leap day ends a year. */
static void civil_from_days(uint64_t days, unsigned int *y, unsigned int *m, unsigned int *d)
{
	uint64_t z = days + 719468, era = z / 146097, doe = z - era * 146097;
	uint64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	uint64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	uint64_t mp = (5 * doy + 2) / 153;

	*d = (unsigned int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (unsigned int)(yoe + era * 400 + (*m <= 2));
}

static void put2(char *p, unsigned int v)
{
	p[0] = (char)('0' + v / 10 % 10);
	p[1] = (char)('0' + v % 10);
}

/* RFC 9110 5.6.7: IMF-fixdate, e.g. "Sun, 06 Nov 1994 08:49:37 GMT". */
void http_date_format(char *buf, uint64_t secs)
{
	static const char days[] = "ThuFriSatSunMonTueWed";	/* 1970-01-01 was a Thursday */
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	uint64_t day = secs / 86400, sod = secs % 86400;
	unsigned int y, m, d;

	civil_from_days(day, &y, &m, &d);
	memcpy(buf, &days[day % 7 * 3], 3);
	memcpy(buf + 3, ", ", 2);
	put2(buf + 5, d);
	buf[7] = ' ';
	memcpy(buf + 8, &months[(m - 1) * 3], 3);
	buf[11] = ' ';
	put2(buf + 12, y / 100);
	put2(buf + 14, y % 100);
	buf[16] = ' ';
	put2(buf + 17, (unsigned int)(sod / 3600));
	buf[19] = ':';
	put2(buf + 20, (unsigned int)(sod / 60 % 60));
	buf[22] = ':';
	put2(buf + 23, (unsigned int)(sod % 60));
	memcpy(buf + 25, " GMT", 5);
}
