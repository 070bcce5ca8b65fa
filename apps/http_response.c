/*
 * What a request is answered with (RFC 9110 semantics): routing to the
 * static table, /bytes/N, /metrics and /stats; conditional requests
 * (If-None-Match, 304), ranges (Range with If-Range, 206/416), error
 * answers with a short text body, and the head every answer carries
 * (Date, Server, Content-Length, Connection).
 *
 * The answer is only described here (c->resp); http_conn.c writes it.
 * An error body is small and goes into the head buffer behind the head,
 * so it leaves in the same write.
 *
 * Context: the application thread.
 */
#include <stdarg.h>

#include "apps/http_priv.h"
#include "apps/http_static.h"
#include "kernel/lib/format.h"
#include "kernel/lib/string.h"
#include "net/platform.h"

#define NSEC_PER_SEC	1000000000ull
#define BYTES_PREFIX	"/bytes/"
#define ALLOW_FIELD	"Allow: GET, HEAD\r\n"
#define TYPE_TEXT	"text/plain; charset=utf-8"

static const struct { int status; const char *reason; } reasons[] = {
	{ 200, "OK" }, { 206, "Partial Content" }, { 304, "Not Modified" },
	{ 400, "Bad Request" }, { 404, "Not Found" }, { 405, "Method Not Allowed" },
	{ 408, "Request Timeout" }, { 413, "Content Too Large" }, { 414, "URI Too Long" },
	{ 416, "Range Not Satisfiable" }, { 431, "Request Header Fields Too Large" },
	{ 500, "Internal Server Error" }, { 501, "Not Implemented" },
	{ 503, "Service Unavailable" }, { 505, "HTTP Version Not Supported" },
};

static const char *reason_phrase(int status)
{
	for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (reasons[i].status == status)
			return reasons[i].reason;
	return "Unknown";
}

static const char *server_date(struct http_server *s)
{
	uint64_t secs = s->cfg.boot_epoch + net_now_ns() / NSEC_PER_SEC;

	if (secs != s->date_secs || !s->date[0]) {
		http_date_format(s->date, secs);
		s->date_secs = secs;
	}
	return s->date;
}

static void head_add(struct http_resp *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Appends to the head; the head's fields are bounded, so it always fits
 * (an overflow would only cut the head, never run past it). */
static void head_add(struct http_resp *r, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(r->head + r->head_len, sizeof(r->head) - r->head_len, fmt, ap);
	va_end(ap);
	if (n > 0)
		r->head_len += (size_t)n < sizeof(r->head) - r->head_len ?
			       (size_t)n : sizeof(r->head) - r->head_len - 1;
}

/* Appends s (the fixed parts of a head, without formatting). */
static void head_put(struct http_resp *r, const char *s)
{
	size_t room = sizeof(r->head) - 1 - r->head_len, n = strlen(s);

	if (n > room)
		n = room;
	memcpy(r->head + r->head_len, s, n);
	r->head_len += n;
	r->head[r->head_len] = '\0';
}

static void head_put_u64(struct http_resp *r, uint64_t v)
{
	char buf[24], *p = buf + sizeof(buf) - 1;

	*p = '\0';
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	head_put(r, p);
}

/* The status line and the fields every answer has; type NULL: none.
 * Every answer builds these: plain copies, no format string. */
static void head_start(struct http_server *s, struct http_conn *c, int status,
		       const char *type, uint64_t length)
{
	struct http_resp *r = &c->resp;

	r->status = status;
	r->head_off = r->head_len = 0;
	head_put(r, "HTTP/1.1 ");
	head_put_u64(r, (uint64_t)status);
	head_put(r, " ");
	head_put(r, reason_phrase(status));
	head_put(r, "\r\nDate: ");
	head_put(r, server_date(s));
	head_put(r, "\r\nServer: synack\r\n");
	if (type) {
		head_put(r, "Content-Type: ");
		head_put(r, type);
		head_put(r, "\r\n");
	}
	if (status != 304) {
		head_put(r, "Content-Length: ");
		head_put_u64(r, length);
		head_put(r, "\r\n");
	}
}

/* The Connection field and the empty line. */
static void head_end(struct http_conn *c, unsigned int minor)
{
	if (c->resp.close)
		head_put(&c->resp, "Connection: close\r\n");
	else if (minor == 0)
		head_put(&c->resp, "Connection: keep-alive\r\n");	/* RFC 9112 9.3 */
	head_put(&c->resp, "\r\n");
}

static void count_status(struct http_server *s, int status)
{
	if (status >= 500)
		s->stats.Resp5xx++;
	else if (status >= 400)
		s->stats.Resp4xx++;
	else if (status >= 300)
		s->stats.Resp3xx++;
	else
		s->stats.Resp2xx++;
}

static void resp_reset(struct http_resp *r)
{
	http_resp_release(r);
	r->kind = BODY_NONE;
	r->data = NULL;
	r->off = r->len = 0;
}

void http_resp_release(struct http_resp *r)
{
	net_free(r->owned);
	r->owned = NULL;
}

/* An answer whose body is "<status> <reason>\n" (none for HEAD). */
static void respond_text(struct http_server *s, struct http_conn *c, int status,
			 const char *extra, bool head_only, unsigned int minor)
{
	char body[64];
	int n = ksnprintf(body, sizeof(body), "%d %s\n", status, reason_phrase(status));

	resp_reset(&c->resp);
	head_start(s, c, status, TYPE_TEXT, (uint64_t)n);
	if (extra)
		head_put(&c->resp, extra);
	head_end(c, minor);
	if (!head_only)
		head_put(&c->resp, body);
	count_status(s, status);
}

void http_respond_error(struct http_server *s, struct http_conn *c, int status, bool close)
{
	c->resp.close = c->resp.close || close;
	respond_text(s, c, status, status == 405 ? ALLOW_FIELD : NULL, false, 1);
}

void http_respond_overloaded(struct http_server *s, struct http_conn *c)
{
	c->resp.close = true;
	respond_text(s, c, 503, "Retry-After: 1\r\n", false, 1);
}

static void body_set(struct http_conn *c, enum http_body_kind kind, const char *data,
		     uint64_t len, bool head_only)
{
	c->resp.kind = head_only ? BODY_NONE : kind;
	c->resp.data = data;
	c->resp.len = head_only ? 0 : len;
}

/* RFC 9110 13.2.2: If-None-Match is evaluated before Range; If-Range
 * (14.3) keeps a Range only for a strong match of our tag. */
static void respond_file(struct http_server *s, struct http_conn *c,
			 const struct http_request *req, const struct http_file *f)
{
	bool head_only = req->method == HTTP_HEAD;
	uint64_t first = 0, last = f->len ? f->len - 1 : 0;
	enum http_range_result range = HTTP_RANGE_NONE;
	int status = 200;

	if (req->has_inm && http_etag_list_match(req->inm, f->etag))
		status = 304;
	else if (req->has_range && req->method == HTTP_GET &&
		 (!req->has_if_range || !strcmp(req->if_range, f->etag)))
		range = http_range_parse(req->range, f->len, &first, &last);
	if (range == HTTP_RANGE_UNSATISFIABLE) {
		char cr[64];

		ksnprintf(cr, sizeof(cr), "Content-Range: bytes */%zu\r\n", f->len);
		respond_text(s, c, 416, cr, head_only, req->minor);
		return;
	}
	if (range == HTTP_RANGE_OK)
		status = 206;
	head_start(s, c, status, status == 304 ? NULL : f->type,
		   f->len ? last - first + 1 : 0);
	head_put(&c->resp, "ETag: ");
	head_put(&c->resp, f->etag);
	head_put(&c->resp, "\r\nAccept-Ranges: bytes\r\n");
	if (status == 206)
		head_add(&c->resp, "Content-Range: bytes %llu-%llu/%zu\r\n",
			 (unsigned long long)first, (unsigned long long)last, f->len);
	head_end(c, req->minor);
	if (status != 304)
		body_set(c, BODY_MEM, (const char *)f->data + first, f->len ? last - first + 1 : 0,
			 head_only);
	count_status(s, status);
}

/* GET /bytes/N: N bytes of the pattern, never stored. */
static bool respond_bytes(struct http_server *s, struct http_conn *c,
			  const struct http_request *req)
{
	const char *n = req->path + sizeof(BYTES_PREFIX) - 1;
	uint64_t len;

	if (!http_parse_u64(n, strlen(n), &len))
		return false;
	head_start(s, c, 200, "application/octet-stream", len);
	head_put(&c->resp, "Cache-Control: no-store\r\n");
	head_end(c, req->minor);
	body_set(c, BODY_PATTERN, NULL, len, req->method == HTTP_HEAD);
	count_status(s, 200);
	return true;
}

/* /metrics and /stats: a body built now, owned by the answer. */
static void respond_dynamic(struct http_server *s, struct http_conn *c,
			    const struct http_request *req, const char *type,
			    char *(*build)(const struct http_server *s, size_t *len))
{
	size_t len;
	char *body = build(s, &len);

	if (!body) {
		s->stats.Errors++;
		respond_text(s, c, 503, "Retry-After: 1\r\n", req->method == HTTP_HEAD, req->minor);
		return;
	}
	head_start(s, c, 200, type, len);
	head_put(&c->resp, "Cache-Control: no-store\r\n");
	head_end(c, req->minor);
	c->resp.owned = body;
	body_set(c, BODY_MEM, body, len, req->method == HTTP_HEAD);
	count_status(s, 200);
}

void http_respond(struct http_server *s, struct http_conn *c, const struct http_request *req)
{
	const char *path = req->path;
	const struct http_file *f;

	resp_reset(&c->resp);
	c->resp.close = !req->keep_alive;
	if (!strcmp(path, "/metrics")) {
		respond_dynamic(s, c, req, "text/plain; version=0.0.4; charset=utf-8",
				http_stats_prometheus);
		return;
	}
	if (!strcmp(path, "/stats")) {
		respond_dynamic(s, c, req, "application/json", http_stats_json);
		return;
	}
	if (!strncmp(path, BYTES_PREFIX, sizeof(BYTES_PREFIX) - 1) && respond_bytes(s, c, req))
		return;
	f = http_static_lookup(path);
	if (f)
		respond_file(s, c, req, f);
	else
		respond_text(s, c, 404, NULL, req->method == HTTP_HEAD, req->minor);
}
