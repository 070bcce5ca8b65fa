/*
 * The HTTP server's connections (http.h has the behaviour, http_priv.h
 * the states): accepting under the cap, reading and parsing, writing one
 * answer at a time with head and body coalesced into large writes,
 * lingering closes, and the deadlines behind the timeouts.
 *
 * Invariants: conns[fd] is the connection of descriptor fd and is freed
 * exactly when fd is closed; a connection is registered for EPOLLOUT
 * only while WRITING, otherwise for EPOLLIN; its deadline is always set
 * (what it means depends on the state).  Deadlines are checked by a scan
 * at most every TICK_NS, which bounds how late a timeout fires.
 *
 * Context: the application thread.
 */
#include "apps/http_priv.h"

#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "net/core/byteorder.h"
#include "net/eventpoll.h"
#include "net/platform.h"

#define TICK_NS		(250 * 1000 * 1000ull)
#define NSEC_PER_MSEC	1000000ull
#define READ_BUDGET	16		/* socket reads per event */
#define LOG_INFO	6

char http_pattern[HTTP_PATTERN_PERIOD + HTTP_CHUNK];
static const char *const http_mib_names[] = { HTTP_MIB_LIST(MIB_NAME) };

/* 63 printable bytes and a newline, repeated: easy to check by eye. */
void http_pattern_init(void)
{
	static const char alphabet[] =
		"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-";

	/* Made once: sockets may still reference it (MSG_STATIC). */
	if (http_pattern[0])
		return;
	for (size_t i = 0; i < sizeof(http_pattern); i++) {
		size_t k = i % HTTP_PATTERN_PERIOD;

		http_pattern[i] = k == HTTP_PATTERN_PERIOD - 1 ? '\n' : alphabet[k];
	}
}

static void conn_watch(struct http_server *s, struct http_conn *c, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data = { .fd = c->fd } };

	if (c->events != events && !sys_epoll_ctl(s->epfd, EPOLL_CTL_MOD, c->fd, &ev))
		c->events = events;
}

static struct http_rx *rx_get(struct http_server *s)
{
	struct http_rx *rx;

	if (!s->nspare)
		return net_alloc(sizeof(struct http_rx));
	rx = s->rx_spare[--s->nspare];
	rx->off = rx->len = 0;
	return rx;
}

static void rx_put(struct http_server *s, struct http_rx *rx)
{
	if (s->nspare < HTTP_RX_SPARE)
		s->rx_spare[s->nspare++] = rx;
	else
		net_free(rx);
}

static void conn_free(struct http_server *s, struct http_conn *c)
{
	s->conns[c->fd] = NULL;
	sys_close(c->fd);
	http_resp_release(&c->resp);
	if (c->rx) {
		rx_put(s, c->rx);
		s->nconns--;
	} else {
		s->nrejects--;
	}
	net_free(c);
	s->stats.Closed++;
}

/* Our side is done: shut it and wait for the peer's FIN (or linger_ns),
 * discarding what still arrives, so our last answer is not reset away. */
static void conn_linger(struct http_server *s, struct http_conn *c)
{
	sys_shutdown(c->fd, SHUT_WR);
	c->state = C_LINGER;
	c->deadline_ns = net_now_ns() + s->cfg.linger_ns;
	conn_watch(s, c, EPOLLIN | EPOLLRDHUP);
}

static void conn_idle(struct http_server *s, struct http_conn *c)
{
	c->state = C_READING;
	c->req_started = false;
	c->deadline_ns = net_now_ns() + s->cfg.idle_timeout_ns;
	http_parser_init(&c->rx->parser);
	conn_watch(s, c, EPOLLIN | EPOLLRDHUP);
}

/* The access log line of a written answer. */
static void conn_log(const struct http_conn *c)
{
	const uint8_t *a = (const uint8_t *)&c->peer;
	uint64_t us = (net_now_ns() - c->req_start_ns) / 1000;

	net_log(LOG_INFO, "http: %u.%u.%u.%u \"%s %s\" %d %llu %llu.%03llu ms\n",
		a[0], a[1], a[2], a[3], c->log_method[0] ? c->log_method : "-",
		c->log_path[0] ? c->log_path : "-", c->resp.status,
		(unsigned long long)c->resp.len, (unsigned long long)(us / 1000),
		(unsigned long long)(us % 1000));
}

/* Up to HTTP_CHUNK bytes of what is left to send: straight from the body
 * once the head is out, else head and body coalesced into scratch. */
static const char *resp_next(struct http_server *s, struct http_resp *r, size_t *n)
{
	uint64_t left = r->kind == BODY_NONE ? 0 : r->len - r->off;
	size_t head = r->head_len - r->head_off;
	size_t body = left < HTTP_CHUNK - head ? (size_t)left : HTTP_CHUNK - head;
	const char *src = NULL;

	if (body)
		src = r->kind == BODY_PATTERN ? http_pattern + r->off % HTTP_PATTERN_PERIOD :
						r->data + r->off;
	if (!head) {
		*n = body;
		return src;
	}
	memcpy(s->scratch, r->head + r->head_off, head);
	if (body)
		memcpy(s->scratch + head, src, body);
	*n = head + body;
	return s->scratch;
}

static void resp_advance(struct http_server *s, struct http_resp *r, size_t n)
{
	size_t head = r->head_len - r->head_off;

	if (n <= head) {
		r->head_off += n;
		return;
	}
	r->head_off = r->head_len;
	r->off += n - head;
	s->stats.BodyBytes += n - head;
}

static bool resp_done(const struct http_resp *r)
{
	return r->head_off == r->head_len && r->off == r->len;
}

/* Bytes of the answer not yet written. */
static uint64_t resp_left(const struct http_resp *r)
{
	return r->head_len - r->head_off + r->len - r->off;
}

/* Writes until the answer is out or the socket is full; then waits for
 * the next request, or starts the lingering close.  The last write of an
 * answer that closes the connection is held back (MSG_MORE) so the FIN
 * of the shutdown that follows rides on its segment.  True when input of
 * a pipelined request is already buffered (the caller parses it). */
static bool conn_writing(struct http_server *s, struct http_conn *c)
{
	while (!resp_done(&c->resp)) {
		size_t n;
		const char *p = resp_next(s, &c->resp, &n);
		bool last = (c->resp.close || !c->rx) && n == resp_left(&c->resp);
		/* The pattern never changes once made: TCP may reference it. */
		int stat = c->resp.kind == BODY_PATTERN && p != s->scratch ? MSG_STATIC : 0;
		long w = sys_send(c->fd, p, n, (last ? MSG_MORE : 0) | stat);

		if (w == -EAGAIN) {
			conn_watch(s, c, EPOLLOUT);
			return false;
		}
		if (w <= 0) {
			s->stats.Errors++;
			conn_free(s, c);
			return false;
		}
		resp_advance(s, &c->resp, (size_t)w);
		c->deadline_ns = net_now_ns() + s->cfg.send_timeout_ns;
	}
	conn_log(c);
	http_resp_release(&c->resp);
	if (c->resp.close || !c->rx) {
		conn_linger(s, c);
		return false;
	}
	conn_idle(s, c);
	return c->rx->off < c->rx->len;
}

/* Answers the request just parsed; true as conn_writing. */
static bool conn_answer(struct http_server *s, struct http_conn *c, enum http_parse_result r)
{
	struct http_parser *p = &c->rx->parser;
	size_t i;

	for (i = 0; i < HTTP_METHOD_MAX && p->method[i]; i++)
		c->log_method[i] = p->method[i];
	c->log_method[i] = '\0';
	c->log_path[0] = '\0';
	s->stats.Requests++;
	if (r == HTTP_PARSE_ERROR) {
		s->stats.ParseErrors++;
		http_respond_error(s, c, p->status, true);
	} else {
		strlcpy(c->log_path, p->req.path, sizeof(c->log_path));
		http_respond(s, c, &p->req);
	}
	c->state = C_WRITING;
	c->deadline_ns = net_now_ns() + s->cfg.send_timeout_ns;
	return conn_writing(s, c);
}

/* Parses buffered input, reading more while a request is incomplete. */
static void conn_reading(struct http_server *s, struct http_conn *c)
{
	struct http_rx *rx = c->rx;

	for (int reads = 0; reads <= READ_BUDGET;) {
		size_t used;
		enum http_parse_result r;
		long n;

		if (rx->off < rx->len) {
			if (!c->req_started) {
				c->req_started = true;
				c->req_start_ns = net_now_ns();
				c->deadline_ns = c->req_start_ns + s->cfg.header_timeout_ns;
			}
			r = http_parse(&rx->parser, rx->in + rx->off, rx->len - rx->off, &used);
			rx->off += used;
			if (r != HTTP_PARSE_MORE && !conn_answer(s, c, r))
				return;
			if (r != HTTP_PARSE_MORE)
				continue;	/* the next pipelined request */
		}
		n = sys_read(c->fd, rx->in, sizeof(rx->in));
		if (n == -EAGAIN)
			return;
		if (n <= 0) {		/* the peer closed (or failed) */
			if (n < 0)
				s->stats.Errors++;
			conn_free(s, c);
			return;
		}
		rx->off = 0;
		rx->len = (size_t)n;
		reads++;
	}
}

/* Discards input until the peer's FIN, then closes. */
static void conn_draining(struct http_server *s, struct http_conn *c)
{
	for (int i = 0; i < READ_BUDGET; i++) {
		long n = sys_read(c->fd, s->scratch, sizeof(s->scratch));

		if (n == -EAGAIN)
			return;
		if (n <= 0)
			break;
	}
	conn_free(s, c);
}

static struct http_conn *conn_new(struct http_server *s, int fd, bool reject)
{
	struct http_conn *c = net_alloc(sizeof(*c));
	struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP, .data = { .fd = fd } };

	if (!c)
		return NULL;
	if (!reject) {
		c->rx = rx_get(s);
		if (!c->rx)
			goto err_free;
	}
	if (sys_epoll_ctl(s->epfd, EPOLL_CTL_ADD, fd, &ev))
		goto err_free;
	c->fd = fd;
	c->events = ev.events;
	s->conns[fd] = c;
	if (reject)
		s->nrejects++;
	else
		s->nconns++;
	return c;

err_free:
	if (c->rx)
		rx_put(s, c->rx);
	net_free(c);
	return NULL;
}

/* One accepted connection from peer: served, rejected with a 503, or
 * closed. */
static void conn_accepted(struct http_server *s, int fd, uint32_t peer)
{
	bool reject = s->nconns >= s->cfg.max_conns;
	struct http_conn *c = NULL;
	int one = 1;

	if (!reject || s->nrejects < HTTP_REJECT_SLOTS)
		c = conn_new(s, fd, reject);
	if (!c) {
		sys_close(fd);
		s->stats.Refused++;
		return;
	}
	s->stats.Accepted++;
	c->peer = peer;
	/* an answer is written whole at once: do not hold its tail (Nagle) */
	sys_setsockopt(fd, SOL_TCP, TCP_NODELAY, &one, sizeof(one));
	if (!reject) {
		conn_idle(s, c);
		return;
	}
	s->stats.Overloaded++;
	c->req_start_ns = net_now_ns();
	http_respond_overloaded(s, c);
	c->state = C_WRITING;
	c->deadline_ns = net_now_ns() + s->cfg.send_timeout_ns;
	conn_writing(s, c);
}

static void server_accept(struct http_server *s)
{
	for (;;) {
		struct sockaddr_in peer = { 0 };
		socklen_t plen = sizeof(peer);
		int fd = sys_accept4(s->listen_fd, (struct sockaddr *)&peer, &plen, SOCK_NONBLOCK);

		if (fd == -EAGAIN)
			return;
		if (fd < 0) {
			s->stats.Errors++;
			return;
		}
		conn_accepted(s, fd, peer.sin_addr.s_addr);
	}
}

bool http_server_event(struct http_server *s, int fd, uint32_t events)
{
	struct http_conn *c;

	if (fd == s->listen_fd) {
		server_accept(s);
		return true;
	}
	if (fd < 0 || fd >= NET_NR_OPEN || !s->conns[fd])
		return false;
	c = s->conns[fd];
	if (events & EPOLLERR) {
		s->stats.Errors++;
		conn_free(s, c);
	} else if (c->state == C_READING) {
		conn_reading(s, c);
	} else if (c->state == C_WRITING) {
		if (conn_writing(s, c))
			conn_reading(s, c);
	} else {
		conn_draining(s, c);
	}
	return true;
}

int http_server_timeout_ms(const struct http_server *s)
{
	uint64_t now = net_now_ns();

	if (!s->nconns && !s->nrejects)
		return -1;
	if (s->next_tick_ns <= now)
		return 0;
	return (int)((s->next_tick_ns - now + NSEC_PER_MSEC - 1) / NSEC_PER_MSEC);
}

/* A connection whose deadline passed: what it was waiting for decides. */
static void conn_expired(struct http_server *s, struct http_conn *c)
{
	if (c->state == C_READING && c->req_started)
		s->stats.HeaderTimeouts++;	/* a slow client: slowloris */
	else if (c->state == C_READING)
		s->stats.IdleTimeouts++;
	else if (c->state == C_WRITING)
		s->stats.SendTimeouts++;
	conn_free(s, c);
}

void http_server_tick(struct http_server *s)
{
	uint64_t now = net_now_ns();

	if (now < s->next_tick_ns)
		return;
	s->next_tick_ns = now + TICK_NS;
	for (int fd = 0; fd < NET_NR_OPEN; fd++)
		if (s->conns[fd] && s->conns[fd]->deadline_ns <= now)
			conn_expired(s, s->conns[fd]);
}

void http_config_default(struct http_config *cfg)
{
	*cfg = (struct http_config){
		.port = HTTP_PORT,
		.max_conns = HTTP_MAX_CONNS,
		.header_timeout_ns = 10000 * NSEC_PER_MSEC,
		.idle_timeout_ns = 30000 * NSEC_PER_MSEC,
		.send_timeout_ns = 60000 * NSEC_PER_MSEC,
		.linger_ns = 2000 * NSEC_PER_MSEC,
	};
}

int http_server_start(struct http_server **out, int epfd, const struct http_config *cfg)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(cfg->port) };
	struct epoll_event ev = { .events = EPOLLIN };
	struct http_server *s = net_alloc(sizeof(*s));
	int one = 1, err;

	if (!s)
		return -ENOMEM;
	s->epfd = epfd;
	s->cfg = *cfg;
	s->mib = (struct mib)MIB_INIT("Http", http_mib_names, &s->stats);
	http_pattern_init();
	s->listen_fd = sys_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (s->listen_fd < 0) {
		err = s->listen_fd;
		goto err_free;
	}
	err = sys_setsockopt(s->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (!err)
		err = sys_bind(s->listen_fd, (struct sockaddr *)&a, sizeof(a));
	if (!err)
		err = sys_listen(s->listen_fd, HTTP_BACKLOG);
	ev.data.fd = s->listen_fd;
	if (!err)
		err = sys_epoll_ctl(epfd, EPOLL_CTL_ADD, s->listen_fd, &ev);
	if (err)
		goto err_close;
	mib_register(&s->mib);
	*out = s;
	return 0;

err_close:
	sys_close(s->listen_fd);
err_free:
	net_free(s);
	return err;
}

void http_server_stop(struct http_server *s)
{
	for (int fd = 0; fd < NET_NR_OPEN; fd++)
		if (s->conns[fd])
			conn_free(s, s->conns[fd]);
	while (s->nspare)
		net_free(s->rx_spare[--s->nspare]);
	mib_unregister(&s->mib);
	sys_close(s->listen_fd);
	net_free(s);
}

const struct http_stats *http_server_stats(const struct http_server *s)
{
	return &s->stats;
}

unsigned int http_server_conns(const struct http_server *s)
{
	return s->nconns;
}
