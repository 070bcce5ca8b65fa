/*
 * The incremental HTTP/1.1 request parser (http_parse.h has the contract).
 *
 * One byte at a time through a state machine (RFC 9112 2-6), except a
 * request body, which is skipped in bulk.  The parser keeps only what the
 * server reads: the method, the target (into req.path, normalized when
 * the request line ends), and the values of the few fields it acts on;
 * every other field line is checked and counted, never stored.
 *
 * Invariant: once state is P_ERROR or P_DONE, http_parse consumes nothing.
 *
 * Context: any; pure.
 */
#include "apps/http_parse.h"

#include "apps/http_util.h"
#include "kernel/lib/string.h"

enum parser_state {
	P_START,		/* before the method; empty lines are skipped */
	P_METHOD,
	P_TARGET,
	P_VERSION,
	P_LINE_LF,		/* CR seen at the end of the request line */
	P_FIELD_START,
	P_NAME,
	P_OWS,			/* after the colon */
	P_VALUE,
	P_FIELD_LF,
	P_END_LF,		/* CR of the empty line ending the fields */
	P_BODY,
	P_DONE,
	P_ERROR,
};

enum http_field {
	F_OTHER,
	F_HOST,
	F_CONNECTION,
	F_CONTENT_LENGTH,
	F_TRANSFER_ENCODING,
	F_IF_NONE_MATCH,
	F_RANGE,
	F_IF_RANGE,
};

static const char *const field_names[] = {
	[F_HOST] = "host",
	[F_CONNECTION] = "connection",
	[F_CONTENT_LENGTH] = "content-length",
	[F_TRANSFER_ENCODING] = "transfer-encoding",
	[F_IF_NONE_MATCH] = "if-none-match",
	[F_RANGE] = "range",
	[F_IF_RANGE] = "if-range",
};

/* Methods of the IANA registry's common set: a known method other than
 * GET and HEAD gets 405 with Allow, anything else 501 (RFC 9110 9.1). */
static const char *const known_methods[] = {
	"POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH",
};

#define EMPTY_LINES_MAX	8		/* CR/LF bytes skipped before a request */

void http_parser_init(struct http_parser *p)
{
	/* req.path and the value buffers need no clearing: their lengths
	 * are tracked, and they are terminated when written. */
	memset(p, 0, offsetof(struct http_parser, req));
	p->req.method = HTTP_UNKNOWN;
	p->req.minor = 1;
	p->req.keep_alive = false;
	p->req.has_inm = p->req.has_range = p->req.has_if_range = false;
	p->req.path[0] = p->req.inm[0] = p->req.range[0] = p->req.if_range[0] = '\0';
	p->state = P_START;
}

static int fail(struct http_parser *p, int status)
{
	p->state = P_ERROR;
	p->status = status;
	return -1;
}

/* RFC 9110 5.6.2: tchar. */
static bool is_tchar(unsigned char c)
{
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return true;
	return c && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static enum http_method method_classify(const struct http_parser *p)
{
	if (p->method_len > HTTP_METHOD_MAX)
		return HTTP_UNKNOWN;
	/* Methods are case-sensitive (RFC 9110 9.1). */
	if (!strcmp(p->method, "GET"))
		return HTTP_GET;
	if (!strcmp(p->method, "HEAD"))
		return HTTP_HEAD;
	for (size_t i = 0; i < sizeof(known_methods) / sizeof(known_methods[0]); i++)
		if (!strcmp(p->method, known_methods[i]))
			return HTTP_OTHER;
	return HTTP_UNKNOWN;
}

/* Turns an absolute-form target (RFC 9112 3.2.2) into its path: the
 * authority is dropped (it replaces Host, which the server ignores). */
static int target_absolute_to_path(struct http_parser *p)
{
	char *t = p->req.path;
	size_t end, rest;

	if (!http_token_eq(t, 7, "http://"))
		return -1;
	for (end = 7; end < p->target_len && !strchr("/?", t[end]); end++)
		if (t[end] == '@')
			return -1;	/* userinfo: RFC 9110 4.2.4 */
	if (end == 7)
		return -1;
	p->absolute_form = true;
	rest = p->target_len - end;
	if (rest && t[end] == '/') {
		memmove(t, t + end, rest);
		p->target_len = rest;
	} else {
		memmove(t + 1, t + end, rest);	/* "http://h?q" is "/?q" */
		t[0] = '/';
		p->target_len = rest + 1;
	}
	return 0;
}

/* The target becomes the normalized path: origin-form or absolute-form;
 * the query is dropped (no resource reads one), a fragment is invalid. */
static int target_finish(struct http_parser *p)
{
	char *t = p->req.path;
	size_t len;

	t[p->target_len] = '\0';
	if (t[0] != '/' && target_absolute_to_path(p))
		return -1;
	for (len = 0; len < p->target_len; len++) {
		if (t[len] == '#')
			return -1;
		if (t[len] == '?')
			break;
	}
	return http_path_normalize(t, len) < 0 ? -1 : 0;
}

/* RFC 9112 3: method SP request-target SP HTTP-version; the checks run
 * in order syntax, version, method, target. */
static int request_line_done(struct http_parser *p)
{
	const char *v = p->version;

	if (p->version_len != 8 || memcmp(v, "HTTP/", 5) || v[5] < '0' || v[5] > '9' ||
	    v[6] != '.' || v[7] < '0' || v[7] > '9')
		return fail(p, 400);
	if (v[5] != '1')
		return fail(p, 505);
	p->req.minor = v[7] == '0' ? 0 : 1;
	p->req.method = method_classify(p);
	if (p->req.method == HTTP_UNKNOWN)
		return fail(p, 501);
	if (p->req.method == HTTP_OTHER)
		return fail(p, 405);
	if (target_finish(p))
		return fail(p, 400);
	p->state = P_FIELD_START;
	return 0;
}

/* "close" and "keep-alive" among the Connection options (RFC 9112 9.3). */
static void connection_options(struct http_parser *p, const char *v)
{
	while (*v) {
		size_t n = 0;

		while (*v == ' ' || *v == '\t' || *v == ',')
			v++;
		while (v[n] && v[n] != ',' && v[n] != ' ' && v[n] != '\t')
			n++;
		if (http_token_eq(v, n, "close"))
			p->conn_close = true;
		else if (http_token_eq(v, n, "keep-alive"))
			p->conn_keep_alive = true;
		v += n;
	}
}

static int content_length(struct http_parser *p, const char *v)
{
	uint64_t n;

	if (!http_parse_u64(v, strlen(v), &n))
		return fail(p, 400);
	/* RFC 9112 6.3: differing lengths mean the framing is unknown */
	if (p->has_length && n != p->content_length)
		return fail(p, 400);
	p->has_length = true;
	p->content_length = n;
	return 0;
}

/* Acts on a complete field line whose value (trimmed) was kept. */
static int field_done(struct http_parser *p)
{
	if (p->value) {
		while (p->value_len && (p->value[p->value_len - 1] == ' ' ||
					p->value[p->value_len - 1] == '\t'))
			p->value_len--;
		p->value[p->value_len] = '\0';
	}
	switch (p->field) {
	case F_HOST:
		p->hosts++;
		break;
	case F_CONNECTION:
		connection_options(p, p->scratch);
		break;
	case F_CONTENT_LENGTH:
		if (content_length(p, p->scratch))
			return -1;
		break;
	case F_TRANSFER_ENCODING:
		p->chunked_or_te = true;
		break;
	case F_IF_NONE_MATCH:
		p->req.has_inm = true;
		break;
	case F_RANGE:
		if (p->req.has_range)
			return fail(p, 400);	/* not a list field */
		p->req.has_range = true;
		break;
	case F_IF_RANGE:
		p->req.has_if_range = true;
		break;
	}
	p->state = P_FIELD_START;
	return 0;
}

/* Where the value of the field just named goes; the colon was seen. */
static void field_named(struct http_parser *p)
{
	p->field = F_OTHER;
	for (int f = F_HOST; f <= F_IF_RANGE; f++)
		if (p->name_len <= HTTP_NAME_MAX &&
		    http_token_eq(p->name, p->name_len, field_names[f]))
			p->field = f;
	p->value_len = 0;
	switch (p->field) {
	case F_CONNECTION:
	case F_CONTENT_LENGTH:
		p->value = p->scratch;
		break;
	case F_IF_NONE_MATCH:
		/* a list field: a second line continues the list */
		p->value = p->req.inm;
		p->value_len = strlen(p->req.inm);
		if (p->value_len && p->value_len + 1 <= HTTP_VALUE_MAX)
			p->req.inm[p->value_len++] = ',';
		break;
	case F_RANGE:
		p->value = p->req.range;
		break;
	case F_IF_RANGE:
		p->value = p->req.if_range;
		break;
	default:
		p->value = NULL;
	}
	p->state = P_OWS;
}

/* The empty line: the request is complete unless a body follows. */
static int fields_done(struct http_parser *p)
{
	/* RFC 9112 3.2: exactly one Host on 1.1, at most one on 1.0 */
	if (p->hosts > 1 || (p->req.minor == 1 && p->hosts == 0 && !p->absolute_form))
		return fail(p, 400);
	if (p->chunked_or_te)		/* RFC 9112 6.1, 6.3 */
		return fail(p, p->has_length ? 400 : 501);
	if (p->content_length > HTTP_BODY_MAX)
		return fail(p, 413);
	p->req.keep_alive = !p->conn_close && (p->req.minor == 1 || p->conn_keep_alive);
	p->body_left = p->content_length;
	p->state = p->body_left ? P_BODY : P_DONE;
	return p->body_left ? 0 : 1;
}

static int step_request_line(struct http_parser *p, unsigned char c)
{
	if (c != '\r' && c != '\n' && ++p->line_len > HTTP_LINE_MAX)
		return fail(p, 414);
	switch (p->state) {
	case P_START:
		if (c == '\r' || c == '\n')
			return ++p->method_len > EMPTY_LINES_MAX ? fail(p, 400) : 0;
		p->method_len = 0;
		p->state = P_METHOD;
		/* fall through */
	case P_METHOD:
		if (c == ' ' && p->method_len) {
			p->method[p->method_len > HTTP_METHOD_MAX ? 0 : p->method_len] = '\0';
			p->state = P_TARGET;
			return 0;
		}
		if (!is_tchar(c))
			return fail(p, 400);
		if (p->method_len < HTTP_METHOD_MAX)
			p->method[p->method_len] = (char)c;
		p->method_len++;
		return 0;
	case P_TARGET:
		if (c == ' ' && p->target_len) {
			p->state = P_VERSION;
			return 0;
		}
		if (c <= 0x20 || c >= 0x7f)
			return fail(p, 400);
		p->req.path[p->target_len++] = (char)c;
		return 0;
	default:			/* P_VERSION */
		if (c == '\r' || c == '\n') {
			p->state = c == '\r' ? P_LINE_LF : P_VERSION;
			return c == '\n' ? request_line_done(p) : 0;
		}
		if (p->version_len == sizeof(p->version) - 1)
			return fail(p, 400);
		p->version[p->version_len++] = (char)c;
		return 0;
	}
}

/* Field-line bytes: name, optional whitespace, value (RFC 9112 5). */
static int step_field(struct http_parser *p, unsigned char c)
{
	switch (p->state) {
	case P_NAME:
		if (c == ':') {
			field_named(p);
			return 0;
		}
		if (!is_tchar(c))	/* also whitespace before the colon: 5.1 */
			return fail(p, 400);
		if (p->name_len <= HTTP_NAME_MAX)
			p->name[p->name_len] = (char)c;
		p->name_len++;
		return 0;
	case P_OWS:
		if (c == ' ' || c == '\t')
			return 0;
		p->state = P_VALUE;
		/* fall through */
	default:			/* P_VALUE */
		if (c == '\r') {
			p->state = P_FIELD_LF;
			return 0;
		}
		if (c == '\n')
			return field_done(p);
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return fail(p, 400);
		if (!p->value)
			return 0;
		if (p->value_len == HTTP_VALUE_MAX)
			return fail(p, 431);
		p->value[p->value_len++] = (char)c;
		return 0;
	}
}

/* Whether c belongs to a field line (the limits count those bytes, line
 * ends included; the empty line ending the fields is not one). */
static bool in_field_line(const struct http_parser *p, unsigned char c)
{
	switch (p->state) {
	case P_FIELD_START:
		return c != '\r' && c != '\n';
	case P_NAME:
	case P_OWS:
	case P_VALUE:
	case P_FIELD_LF:
		return true;
	default:
		return false;
	}
}

/* Returns 1 when the request is complete, -1 on error, 0 otherwise. */
static int step(struct http_parser *p, unsigned char c)
{
	if (in_field_line(p, c) && ++p->hdr_bytes > HTTP_HEADERS_MAX)
		return fail(p, 431);
	switch (p->state) {
	case P_START:
	case P_METHOD:
	case P_TARGET:
	case P_VERSION:
		return step_request_line(p, c);
	case P_LINE_LF:
		if (c != '\n')
			return fail(p, 400);
		return request_line_done(p);
	case P_FIELD_START:
		if (c == '\r' || c == '\n') {
			p->state = P_END_LF;
			return c == '\n' ? fields_done(p) : 0;
		}
		/* obs-fold, or whitespace after the start line: 5.2, 2.2 */
		if (!is_tchar(c))
			return fail(p, 400);
		if (++p->fields > HTTP_FIELDS_MAX)
			return fail(p, 431);
		p->name_len = 0;
		p->state = P_NAME;
		return step_field(p, c);
	case P_FIELD_LF:
		return c == '\n' ? field_done(p) : fail(p, 400);
	case P_END_LF:
		return c == '\n' ? fields_done(p) : fail(p, 400);
	default:
		return step_field(p, c);
	}
}

enum http_parse_result http_parse(struct http_parser *p, const char *buf, size_t len,
				  size_t *used)
{
	size_t i = 0;

	while (i < len && p->state != P_DONE && p->state != P_ERROR) {
		if (p->state == P_BODY) {
			size_t n = len - i < p->body_left ? len - i : (size_t)p->body_left;

			i += n;
			p->body_left -= n;
			if (!p->body_left)
				p->state = P_DONE;
			continue;
		}
		if (step(p, (unsigned char)buf[i++]) < 0)
			break;
	}
	*used = i;
	if (p->state == P_ERROR)
		return HTTP_PARSE_ERROR;
	return p->state == P_DONE ? HTTP_PARSE_DONE : HTTP_PARSE_MORE;
}
