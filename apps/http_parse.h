/*
 * HTTP/1.1 request parsing (RFC 9112): an incremental, allocation-free
 * state machine that takes bytes in any split (one at a time included)
 * and yields one request at a time, plus the pure helpers the server
 * needs to answer it (path normalization, Range, entity tags, dates).
 *
 * The helpers the parser and the server share (path normalization,
 * Range, entity tags, dates, numbers) are in http_util.h.
 *
 * Interface: http_parser_init, then http_parse(p, buf, len, &used) until
 * it returns HTTP_PARSE_DONE (p->req is complete; bytes after `used` are
 * the next pipelined request: re-init and feed them) or HTTP_PARSE_ERROR
 * (p->status is the status to answer with, and the connection must close
 * after that answer: the framing is lost).
 *
 * Limits (checked as the bytes arrive, so memory stays bounded): the
 * request line HTTP_LINE_MAX bytes without its CRLF (414 beyond), the
 * field lines HTTP_HEADERS_MAX bytes with their line ends and at most
 * HTTP_FIELDS_MAX fields (431 beyond), a field the server reads at most
 * HTTP_VALUE_MAX bytes (431 beyond), a request body at most
 * HTTP_BODY_MAX bytes (413 beyond; it is read and discarded).
 *
 * What the parser decides (RFC 9112 / RFC 9110 sections beside the code):
 * 400 for syntax errors, a missing or repeated Host on HTTP/1.1, bad or
 * conflicting Content-Length, and any target that does not normalize
 * inside the content root; 501 for methods it does not know and for
 * transfer-coded request bodies; 405 for known methods other than GET and
 * HEAD; 505 for versions other than HTTP/1.x (1.x above 1.1 is answered
 * as 1.1, RFC 9110 2.5).
 *
 * Context: any; pure (no I/O, no allocation, no clock).
 */
#ifndef SYNACK_APPS_HTTP_PARSE_H
#define SYNACK_APPS_HTTP_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HTTP_LINE_MAX		8192
#define HTTP_HEADERS_MAX	16384
#define HTTP_FIELDS_MAX		100
#define HTTP_VALUE_MAX		1024
#define HTTP_BODY_MAX		(1u << 20)
#define HTTP_METHOD_MAX		16
#define HTTP_NAME_MAX		32

enum http_method {
	HTTP_GET,
	HTTP_HEAD,
	HTTP_OTHER,		/* known (POST, PUT ...): 405 */
	HTTP_UNKNOWN,		/* 501 */
};

enum http_parse_result {
	HTTP_PARSE_MORE,	/* everything consumed, the request is incomplete */
	HTTP_PARSE_DONE,
	HTTP_PARSE_ERROR,
};

struct http_request {
	enum http_method method;
	unsigned int minor;		/* HTTP/1.minor, 0 or 1 */
	bool keep_alive;		/* the connection persists after the answer */
	bool has_inm, has_range, has_if_range;
	char path[HTTP_LINE_MAX + 1];	/* decoded, normalized, starts with '/' */
	char inm[HTTP_VALUE_MAX + 1];	/* If-None-Match */
	char range[HTTP_VALUE_MAX + 1];
	char if_range[HTTP_VALUE_MAX + 1];
};

struct http_parser {
	int state;
	int status;			/* the answer's status after an error */
	size_t line_len;		/* request line bytes so far */
	size_t hdr_bytes;		/* field line bytes so far */
	unsigned int fields;
	char method[HTTP_METHOD_MAX + 1];
	size_t method_len;
	size_t target_len;		/* into req.path */
	char version[9];
	size_t version_len;
	char name[HTTP_NAME_MAX + 1];
	size_t name_len;
	int field;			/* enum http_field of the current line */
	char *value;			/* where the current value is kept, or NULL */
	size_t value_len;
	char scratch[HTTP_VALUE_MAX + 1];	/* values read at the line end */
	unsigned int hosts;
	bool absolute_form;		/* the target carried the authority */
	bool conn_close, conn_keep_alive, has_length, chunked_or_te;
	uint64_t content_length, body_left;
	struct http_request req;
};

void http_parser_init(struct http_parser *p);
/* Consumes bytes of buf (at most len) and reports how many in *used. */
enum http_parse_result http_parse(struct http_parser *p, const char *buf, size_t len,
				  size_t *used);

#endif
