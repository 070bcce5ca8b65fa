/*
 * The HTTP request parser and its helpers (apps/http_parse.c,
 * apps/http_util.c), with no sockets: every status the parser decides,
 * each request fed whole and again one byte at a time (same outcome),
 * pipelined requests, every limit at exactly its boundary and one past,
 * path traversal attempts, Range edge cases, entity-tag lists, dates.
 */
#include <stdlib.h>

#include "apps/http_parse.h"
#include "apps/http_util.h"
#include "tests/host/check.h"

static struct http_parser P, Q;

/* The result of feeding s whole to P (status in P.status, *used bytes). */
static enum http_parse_result feed_whole(const char *s, size_t len, size_t *used)
{
	http_parser_init(&P);
	return http_parse(&P, s, len, used);
}

/* Feeds s to Q one byte at a time; the same parse as feed_whole. */
static enum http_parse_result feed_bytes(const char *s, size_t len, size_t *used)
{
	enum http_parse_result r = HTTP_PARSE_MORE;
	size_t i = 0, u;

	http_parser_init(&Q);
	while (i < len && r == HTTP_PARSE_MORE) {
		r = http_parse(&Q, s + i, 1, &u);
		i += u;
	}
	*used = i;
	return r;
}

/* status 0: the request must parse completely; otherwise its error. */
static void expect_len(const char *s, size_t len, int status, int line)
{
	size_t u1, u2;
	enum http_parse_result a = feed_whole(s, len, &u1), b = feed_bytes(s, len, &u2);
	int got = a == HTTP_PARSE_ERROR ? P.status : a == HTTP_PARSE_DONE ? 0 : -1;

	CHECK_EQ(a, b);
	CHECK_EQ(u1, u2);
	CHECK_EQ(P.status, Q.status);
	if (got != status)
		fprintf(stderr, "line %d: expected %d, got %d\n", line, status, got);
	CHECK_EQ(got, status);
	if (a == HTTP_PARSE_DONE)
		CHECK_STR(Q.req.path, P.req.path);
}

#define EXPECT(s, status) expect_len((s), strlen(s), (status), __LINE__)

static void test_basic(void)
{
	EXPECT("GET / HTTP/1.1\r\nHost: a\r\n\r\n", 0);
	CHECK_EQ(P.req.method, HTTP_GET);
	CHECK_EQ(P.req.minor, 1);
	CHECK(P.req.keep_alive);
	CHECK_STR(P.req.path, "/");
	EXPECT("HEAD /index.html HTTP/1.1\r\nHost: a\r\nUser-Agent: t\r\n\r\n", 0);
	CHECK_EQ(P.req.method, HTTP_HEAD);
	CHECK_STR(P.req.path, "/index.html");
	/* bare LF line ends are accepted (RFC 9112 2.2) */
	EXPECT("GET /x HTTP/1.1\nHost: a\n\n", 0);
	/* empty lines before a request are skipped, a flood of them is not */
	EXPECT("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", 0);
	EXPECT("\r\n\r\n\r\n\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", 400);
	/* incomplete */
	EXPECT("GET / HTTP/1.1\r\nHost: a\r\n", -1);
}

static void test_methods_versions(void)
{
	static const char *const not_allowed[] = { "POST", "PUT", "DELETE", "OPTIONS", "PATCH",
						   "TRACE", "CONNECT" };
	char buf[128];

	for (size_t i = 0; i < sizeof(not_allowed) / sizeof(not_allowed[0]); i++) {
		snprintf(buf, sizeof(buf), "%s / HTTP/1.1\r\nHost: a\r\n\r\n", not_allowed[i]);
		EXPECT(buf, 405);
	}
	EXPECT("BREW / HTTP/1.1\r\nHost: a\r\n\r\n", 501);
	EXPECT("get / HTTP/1.1\r\nHost: a\r\n\r\n", 501);	/* methods are case-sensitive */
	EXPECT("GETTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTT / HTTP/1.1\r\nHost: a\r\n\r\n", 501);
	EXPECT("GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505);
	EXPECT("GET / HTTP/0.9\r\nHost: a\r\n\r\n", 505);
	EXPECT("GET / HTTP/3.1\r\n\r\n", 505);
	EXPECT("GET / HTTP/1.2\r\nHost: a\r\n\r\n", 0);	/* answered as 1.1 */
	CHECK_EQ(P.req.minor, 1);
	EXPECT("GET / http/1.1\r\nHost: a\r\n\r\n", 400);
	EXPECT("GET / HTTP/1.1x\r\nHost: a\r\n\r\n", 400);
	EXPECT("GET / HTTP/11\r\nHost: a\r\n\r\n", 400);
	EXPECT("GET /\r\n\r\n", 400);			/* HTTP/0.9 form */
	EXPECT("GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400);
	EXPECT(" GET / HTTP/1.1\r\nHost: a\r\n\r\n", 400);
	EXPECT("GET / HTTP/1.1\rHost: a\r\n\r\n", 400);	/* bare CR */
}

static void test_host_and_keepalive(void)
{
	EXPECT("GET / HTTP/1.1\r\n\r\n", 400);			/* no Host on 1.1 */
	EXPECT("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400);
	EXPECT("GET / HTTP/1.0\r\nHost: a\r\nhost: a\r\n\r\n", 400);
	EXPECT("GET / HTTP/1.0\r\n\r\n", 0);			/* 1.0 needs none */
	CHECK(!P.req.keep_alive);
	CHECK_EQ(P.req.minor, 0);
	EXPECT("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", 0);
	CHECK(P.req.keep_alive);
	EXPECT("GET / HTTP/1.0\r\nConnection: Keep-Alive, close\r\n\r\n", 0);
	CHECK(!P.req.keep_alive);
	EXPECT("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", 0);
	CHECK(!P.req.keep_alive);
	EXPECT("GET / HTTP/1.1\r\nHost: a\r\nConnection: upgrade,  CLOSE \r\n\r\n", 0);
	CHECK(!P.req.keep_alive);
	EXPECT("GET / HTTP/1.1\r\nHost: a\r\nConnection: closed\r\n\r\n", 0);
	CHECK(P.req.keep_alive);
	EXPECT("GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive\r\n\r\n", 0);
	CHECK(P.req.keep_alive);
}

static void test_field_syntax(void)
{
	EXPECT("GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400);	/* space before colon */
	EXPECT("GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n  2\r\n\r\n", 400);	/* obs-fold */
	EXPECT("GET / HTTP/1.1\r\n Host: a\r\n\r\n", 400);
	expect_len("GET / HTTP/1.1\r\nHost: a\r\nX: a\0b\r\n\r\n", 35, 400, __LINE__);
	EXPECT("GET / HTTP/1.1\r\nHost: a\r\nX: a\x7f\r\n\r\n", 400);
	EXPECT("GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n", 400);
	EXPECT("GET / HTTP/1.1\r\nHost: a\r\nX\x01: a\r\n\r\n", 400);
	EXPECT("GET / HTTP/1.1\r\nHost: a\r\n: a\r\n\r\n", 400);
	EXPECT("GET / HTTP/1.1\r\nHost: a\r\nX:\r\nY:\t \r\n\r\n", 0);
	EXPECT("GET / HTTP/1.1\r\nHost: a\r\nX: caf\xc3\xa9\t\r\n\r\n", 0);	/* obs-text */
	EXPECT("GET / HTTP/1.1\r\nHost: a\r\n\r\r\n", 400);
}

static void test_bodies(void)
{
	const char *two = "GET /a HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello"
			  "GET /b HTTP/1.1\r\nHost: a\r\n\r\n";
	size_t used, first = strlen(two) - strlen("GET /b HTTP/1.1\r\nHost: a\r\n\r\n");

	EXPECT("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nab", -1);
	CHECK_EQ(feed_whole(two, strlen(two), &used), HTTP_PARSE_DONE);
	CHECK_EQ(used, first);
	CHECK_STR(P.req.path, "/a");
	CHECK_EQ(feed_bytes(two, strlen(two), &used), HTTP_PARSE_DONE);
	CHECK_EQ(used, first);
	CHECK_EQ(feed_whole(two + used, strlen(two) - used, &used), HTTP_PARSE_DONE);
	CHECK_STR(P.req.path, "/b");
	EXPECT("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n", 0);
	EXPECT("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: x\r\n\r\n", 400);
	EXPECT("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", 400);
	EXPECT("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400);
	EXPECT("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\nContent-Length: 0\r\n\r\n", 0);
	EXPECT("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999\r\n\r\n", 400);
	EXPECT("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1048577\r\n\r\n", 413);
	EXPECT("GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n", 501);
	EXPECT("GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n",
	       400);
}

static void test_pipelining(void)
{
	const char *reqs = "GET /1 HTTP/1.1\r\nHost: a\r\n\r\nHEAD /2 HTTP/1.1\r\nHost: a\r\n\r\n"
			   "GET /3 HTTP/1.0\r\n\r\nGET /4 HTTP/1.1\r\nHost: a\r\n\r\n";
	static const char *const paths[] = { "/1", "/2", "/3", "/4" };
	size_t off = 0, len = strlen(reqs), used;

	for (int i = 0; i < 4; i++) {
		CHECK_EQ(feed_whole(reqs + off, len - off, &used), HTTP_PARSE_DONE);
		CHECK_STR(P.req.path, paths[i]);
		off += used;
	}
	CHECK_EQ(off, len);
	CHECK_EQ(P.req.method, HTTP_GET);
}

/* A request whose request line is exactly n bytes (without CRLF). */
static char *line_of(size_t n)
{
	const char *pre = "GET /", *post = " HTTP/1.1";
	char *s = malloc(n + 64);
	size_t fill = n - strlen(pre) - strlen(post);

	strcpy(s, pre);
	memset(s + strlen(pre), 'a', fill);
	strcpy(s + strlen(pre) + fill, post);
	strcat(s, "\r\nHost: a\r\n\r\n");
	return s;
}

/* A request whose field lines total exactly n bytes, CRLFs included, in
 * fields lines: "Host: a\r\n" and filler fields. */
static char *fields_of(size_t n, unsigned int fields)
{
	char *s = malloc(n + 256), *p;
	size_t left = n - strlen("Host: a\r\n");

	strcpy(s, "GET / HTTP/1.1\r\nHost: a\r\n");
	p = s + strlen(s);
	for (unsigned int i = 1; i < fields; i++) {
		size_t len = i + 1 < fields ? left / (fields - i) : left;

		/* "X:" + value + CRLF; len >= 4 */
		memcpy(p, "X:", 2);
		memset(p + 2, 'v', len - 4);
		memcpy(p + len - 2, "\r\n", 2);
		p += len;
		left -= len;
	}
	strcpy(p, "\r\n");
	return s;
}

static void test_limits(void)
{
	char *s;
	char big[HTTP_VALUE_MAX + 64];

	s = line_of(HTTP_LINE_MAX);
	EXPECT(s, 0);
	free(s);
	s = line_of(HTTP_LINE_MAX + 1);
	EXPECT(s, 414);
	free(s);
	s = fields_of(HTTP_HEADERS_MAX, 20);
	EXPECT(s, 0);
	free(s);
	s = fields_of(HTTP_HEADERS_MAX + 1, 20);
	EXPECT(s, 431);
	free(s);
	s = fields_of(HTTP_FIELDS_MAX * 8, HTTP_FIELDS_MAX);
	EXPECT(s, 0);
	free(s);
	s = fields_of((HTTP_FIELDS_MAX + 1) * 8, HTTP_FIELDS_MAX + 1);
	EXPECT(s, 431);
	free(s);
	/* a kept value: at its limit, one past; an ignored one may be longer */
	snprintf(big, sizeof(big), "GET / HTTP/1.1\r\nHost: a\r\nRange: %0*d\r\n\r\n",
		 HTTP_VALUE_MAX, 0);
	EXPECT(big, 0);
	snprintf(big, sizeof(big), "GET / HTTP/1.1\r\nHost: a\r\nRange: %0*d\r\n\r\n",
		 HTTP_VALUE_MAX + 1, 0);
	EXPECT(big, 431);
	snprintf(big, sizeof(big), "GET / HTTP/1.1\r\nHost: a\r\nX-Other: %0*d\r\n\r\n",
		 HTTP_VALUE_MAX + 1, 0);
	EXPECT(big, 0);
}

/* target -> normalized path, or NULL for 400 */
static void expect_target(const char *target, const char *path, int line)
{
	char req[256];

	snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: a\r\n\r\n", target);
	expect_len(req, strlen(req), path ? 0 : 400, line);
	if (path && P.status == 0)
		CHECK_STR(P.req.path, path);
}

#define TARGET(t, p) expect_target((t), (p), __LINE__)

static void test_targets(void)
{
	TARGET("/a/b/c.html", "/a/b/c.html");
	TARGET("/a/../b", "/b");
	TARGET("/a/./b/./", "/a/b/");
	TARGET("//a//b/", "/a/b/");
	TARGET("/a/.", "/a/");
	TARGET("/a/b/..", "/a/");
	TARGET("/..", NULL);
	TARGET("/../x", NULL);
	TARGET("/a/../../x", NULL);
	TARGET("/%2e%2e/x", NULL);
	TARGET("/%2E%2e", NULL);
	TARGET("/a/%2e%2e/%2e/b", "/b");
	TARGET("/.%2e/etc/passwd", NULL);
	TARGET("/a%2f..%2f..%2fx", NULL);	/* encoded separators are refused */
	TARGET("/a%5c..%5cx", NULL);
	TARGET("/%00", NULL);
	TARGET("/a%00.html", NULL);
	TARGET("/%0a", NULL);
	TARGET("/%zz", NULL);
	TARGET("/%4", NULL);
	TARGET("/%", NULL);
	TARGET("/%41%42c", "/ABc");
	TARGET("/caf%C3%A9", "/caf\xc3\xa9");
	TARGET("/caf\xc3\xa9", NULL);			/* raw non-ASCII */
	TARGET("/?q=../../etc", "/");
	TARGET("/x?%00", "/x");
	TARGET("/x#frag", NULL);
	TARGET("*", NULL);
	TARGET("index.html", NULL);
	TARGET("http://example.com/a/../b?c", "/b");
	TARGET("HTTP://example.com", "/");
	TARGET("http://example.com?x", "/");
	TARGET("http://user@example.com/", NULL);
	TARGET("http:///x", NULL);
	TARGET("https://example.com/", NULL);
	/* absolute-form carries the authority: no Host needed (RFC 9112 3.2.2) */
	EXPECT("GET http://h/x HTTP/1.1\r\n\r\n", 0);
	CHECK_STR(P.req.path, "/x");
	EXPECT("GET http://h/x HTTP/1.1\r\nHost: h\r\n\r\n", 0);
}

static void test_conditional_fields(void)
{
	EXPECT("GET / HTTP/1.1\r\nHost: a\r\nIf-None-Match: \"a\"\r\nIf-None-Match: W/\"b\" \r\n"
	       "Range: bytes=0-1\r\nIf-Range: \"x\"\r\n\r\n", 0);
	CHECK(P.req.has_inm && P.req.has_range && P.req.has_if_range);
	CHECK_STR(P.req.inm, "\"a\",W/\"b\"");
	CHECK_STR(P.req.range, "bytes=0-1");
	CHECK_STR(P.req.if_range, "\"x\"");
	CHECK(http_etag_list_match(P.req.inm, "\"b\""));
	EXPECT("GET / HTTP/1.1\r\nHost: a\r\nRange: bytes=0-1\r\nRange: bytes=2-3\r\n\r\n", 400);
}

static void expect_range(const char *v, uint64_t size, enum http_range_result r, uint64_t first,
			 uint64_t last, int line)
{
	uint64_t f = 12345, l = 12345;
	enum http_range_result got = http_range_parse(v, size, &f, &l);

	if (got != r)
		fprintf(stderr, "line %d: range \"%s\"\n", line, v);
	CHECK_EQ(got, r);
	if (r == HTTP_RANGE_OK) {
		CHECK_EQ(f, first);
		CHECK_EQ(l, last);
	}
}

#define RANGE(v, size, r, f, l) expect_range((v), (size), (r), (f), (l), __LINE__)

static void test_ranges(void)
{
	RANGE("bytes=0-9", 100, HTTP_RANGE_OK, 0, 9);
	RANGE("bytes=90-", 100, HTTP_RANGE_OK, 90, 99);
	RANGE("bytes=-10", 100, HTTP_RANGE_OK, 90, 99);
	RANGE("bytes=-200", 100, HTTP_RANGE_OK, 0, 99);
	RANGE("bytes=99-99", 100, HTTP_RANGE_OK, 99, 99);
	RANGE("bytes=0-0", 1, HTTP_RANGE_OK, 0, 0);
	RANGE("bytes=50-1000", 100, HTTP_RANGE_OK, 50, 99);
	RANGE("bytes=0-99999999999999999999999", 100, HTTP_RANGE_OK, 0, 99);
	RANGE("BYTES=1-2", 100, HTTP_RANGE_OK, 1, 2);
	RANGE("bytes=100-", 100, HTTP_RANGE_UNSATISFIABLE, 0, 0);
	RANGE("bytes=100-200", 100, HTTP_RANGE_UNSATISFIABLE, 0, 0);
	RANGE("bytes=99999999999999999999999-", 100, HTTP_RANGE_UNSATISFIABLE, 0, 0);
	RANGE("bytes=-0", 100, HTTP_RANGE_UNSATISFIABLE, 0, 0);
	RANGE("bytes=0-", 0, HTTP_RANGE_UNSATISFIABLE, 0, 0);
	RANGE("bytes=-5", 0, HTTP_RANGE_UNSATISFIABLE, 0, 0);
	RANGE("bytes=5-2", 100, HTTP_RANGE_NONE, 0, 0);
	RANGE("bytes=0-9,20-29", 100, HTTP_RANGE_NONE, 0, 0);
	RANGE("items=0-9", 100, HTTP_RANGE_NONE, 0, 0);
	RANGE("bytes=", 100, HTTP_RANGE_NONE, 0, 0);
	RANGE("bytes=-", 100, HTTP_RANGE_NONE, 0, 0);
	RANGE("bytes=a-b", 100, HTTP_RANGE_NONE, 0, 0);
	RANGE("bytes=1", 100, HTTP_RANGE_NONE, 0, 0);
	RANGE("bytes = 1-2", 100, HTTP_RANGE_NONE, 0, 0);
	RANGE("bytes=1-2x", 100, HTTP_RANGE_NONE, 0, 0);
}

static void test_etags(void)
{
	const char *tag = "\"abc\"";

	CHECK(http_etag_list_match("\"abc\"", tag));
	CHECK(http_etag_list_match("W/\"abc\"", tag));	/* weak comparison */
	CHECK(http_etag_list_match("\"x\", \"abc\"", tag));
	CHECK(http_etag_list_match("*", tag));
	CHECK(!http_etag_list_match("\"abcd\"", tag));
	CHECK(!http_etag_list_match("abc", tag));
	CHECK(!http_etag_list_match("\"ab", tag));
	CHECK(!http_etag_list_match("", tag));
}

static void test_dates_numbers(void)
{
	char d[HTTP_DATE_LEN + 1];
	uint64_t v;

	http_date_format(d, 0);
	CHECK_STR(d, "Thu, 01 Jan 1970 00:00:00 GMT");
	http_date_format(d, 784111777);
	CHECK_STR(d, "Sun, 06 Nov 1994 08:49:37 GMT");
	http_date_format(d, 951782400);
	CHECK_STR(d, "Tue, 29 Feb 2000 00:00:00 GMT");
	http_date_format(d, 4102444799);
	CHECK_STR(d, "Thu, 31 Dec 2099 23:59:59 GMT");
	CHECK(http_parse_u64("18446744073709551615", 20, &v) && v == UINT64_MAX);
	CHECK(!http_parse_u64("18446744073709551616", 20, &v));
	CHECK(!http_parse_u64("", 0, &v));
	CHECK(!http_parse_u64("1x", 2, &v));
	CHECK(http_parse_u64("0042", 4, &v) && v == 42);
}

int main(void)
{
	test_basic();
	test_methods_versions();
	test_host_and_keepalive();
	test_field_syntax();
	test_bodies();
	test_pipelining();
	test_limits();
	test_targets();
	test_conditional_fields();
	test_ranges();
	test_etags();
	test_dates_numbers();
	return check_report();
}
