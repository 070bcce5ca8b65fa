/*
 * The HTTP server's internals, shared by its files: http_conn.c (sockets,
 * connection life, deadlines, writing), http_response.c (what a request
 * is answered with), http_stats.c (/metrics and /stats bodies).
 *
 * A connection is always in one state: READING (parsing; EPOLLIN),
 * WRITING (one answer pending; EPOLLOUT), LINGER (our side shut, input
 * discarded until the peer's FIN; EPOLLIN) or REJECT (a 503 over capacity,
 * then LINGER).  Only READING connections own receive state (struct
 * http_rx, the big part, allocated with the connection except for
 * rejected ones).
 *
 * Context: the application thread.
 */
#ifndef SYNACK_APPS_HTTP_PRIV_H
#define SYNACK_APPS_HTTP_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "apps/http.h"
#include "apps/http_parse.h"
#include "apps/http_util.h"
#include "net/core/stats.h"
#include "net/socket.h"

#define HTTP_IN_SIZE		2048		/* socket reads */
#define HTTP_RX_SPARE		4		/* receive states kept after close */
#define HTTP_HEAD_MAX		512		/* an answer's status line and fields */
#define HTTP_CHUNK		65536		/* bytes per socket write */
#define HTTP_PATTERN_PERIOD	64		/* /bytes/N: one line of the pattern */
#define HTTP_LOG_PATH		96		/* path bytes in the access log */

enum http_conn_state { C_READING, C_WRITING, C_LINGER };

enum http_body_kind {
	BODY_NONE,
	BODY_MEM,		/* data[0..len) */
	BODY_PATTERN,		/* byte k is http_pattern[k % HTTP_PATTERN_PERIOD] */
};

/* An answer: its head, then its body from off to len. */
struct http_resp {
	char head[HTTP_HEAD_MAX];
	size_t head_off, head_len;
	enum http_body_kind kind;
	const char *data;
	char *owned;			/* net_alloc'ed data, freed with the answer */
	uint64_t off, len;
	int status;
	bool close;			/* linger-close once written */
};

struct http_rx {
	struct http_parser parser;
	char in[HTTP_IN_SIZE];
	size_t off, len;		/* unparsed input in[off..len) */
};
/* Large allocations are power-of-two page blocks: keep this one at 16 KiB. */
_Static_assert(sizeof(struct http_rx) <= 16384, "receive state fits 16 KiB");

struct http_conn {
	int fd;
	enum http_conn_state state;
	uint32_t events;		/* registered with epoll */
	uint32_t peer;			/* address, network order (the log) */
	uint64_t deadline_ns;
	uint64_t req_start_ns;		/* first byte of the request being read */
	bool req_started;
	struct http_resp resp;
	char log_method[HTTP_METHOD_MAX + 1];
	char log_path[HTTP_LOG_PATH];
	struct http_rx *rx;		/* NULL for rejected connections */
};

struct http_server {
	int epfd, listen_fd;
	struct http_config cfg;
	unsigned int nconns, nrejects;
	struct http_stats stats;
	struct mib mib;			/* the Http family, over stats */
	struct http_conn *conns[NET_NR_OPEN];
	/* Receive states of closed connections, kept for the next ones: a
	 * new connection then costs no 16 KiB allocation and clearing. */
	struct http_rx *rx_spare[HTTP_RX_SPARE];
	unsigned int nspare;
	uint64_t next_tick_ns;
	uint64_t date_secs;		/* date caches the Date of this second */
	char date[HTTP_DATE_LEN + 1];
	char scratch[HTTP_CHUNK];	/* head and body coalesced for a write */
};

/* The pattern /bytes/N repeats, long enough for one write at any offset. */
extern char http_pattern[HTTP_PATTERN_PERIOD + HTTP_CHUNK];
void http_pattern_init(void);

/* http_response.c: fills c->resp for a parsed request, or for an error
 * status from the parser (which also closes the connection). */
void http_respond(struct http_server *s, struct http_conn *c, const struct http_request *req);
void http_respond_error(struct http_server *s, struct http_conn *c, int status, bool close);
/* The fixed 503 of a connection over capacity. */
void http_respond_overloaded(struct http_server *s, struct http_conn *c);
/* Frees what the answer owns. */
void http_resp_release(struct http_resp *r);

/* http_stats.c: the bodies of /metrics and /stats in a net_alloc'ed
 * buffer (*len bytes); NULL when memory is short. */
char *http_stats_prometheus(const struct http_server *s, size_t *len);
char *http_stats_json(const struct http_server *s, size_t *len);

#endif
