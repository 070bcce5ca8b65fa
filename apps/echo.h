/*
 * The echo service (RFC 862): TCP and UDP on one port, served from one
 * epoll loop over non-blocking sockets, written against the socket API
 * only (net/socket.h, net/eventpoll.h) so the same code runs in the
 * kernel thread (echo_main.c) and in host tests.
 *
 * TCP: reads of up to ECHO_BUF_SIZE bytes go to one buffer of the server
 * and straight back out; only what a write does not take is copied to a
 * buffer of the connection's own, reading stops and the connection waits
 * for EPOLLOUT (the peer's window is the backpressure).  An idle
 * connection so holds no buffer.  A remainder that cannot be kept closes
 * the connection (NoMemCloses).  EOF or an error closes the connection
 * once nothing is pending.  At most
 * ECHO_MAX_CONNS connections; beyond that new ones are accepted and
 * closed at once (counted as Refused).  UDP: each datagram goes back to
 * its sender; one the send buffer cannot take is dropped (SendDrops).
 *
 * Context: one thread.
 */
#ifndef SYNACK_APPS_ECHO_H
#define SYNACK_APPS_ECHO_H

#include <stdbool.h>
#include <stdint.h>

#define ECHO_PORT	7
#define ECHO_MAX_CONNS	1100
#define ECHO_BUF_SIZE	8192		/* bytes per read */
#define ECHO_BACKLOG	1024

#define ECHO_MIB_LIST(X) \
	X(Accepted) X(Refused) X(Closed) X(TcpInBytes) X(TcpOutBytes) \
	X(UdpDatagrams) X(SendDrops) X(NoMemCloses) X(Errors)

#define ECHO_MIB_FIELD(name) uint64_t name;
struct echo_stats {
	ECHO_MIB_LIST(ECHO_MIB_FIELD)
};

struct echo_server;

/* Opens the sockets on port (UDP always; TCP if the stack has it) and
 * the epoll instance.  0 or -errno. */
int echo_server_start(struct echo_server **out, uint16_t port);
/* One round: waits up to timeout_ms (-1: forever) for events and serves
 * them.  Returns the number of events handled or -errno. */
int echo_server_poll(struct echo_server *s, int timeout_ms);
/* Closes every socket and frees the server. */
void echo_server_stop(struct echo_server *s);
const struct echo_stats *echo_server_stats(const struct echo_server *s);
unsigned int echo_server_conns(const struct echo_server *s);

/* Another service on the same loop (the HTTP server, apps/http.h): it
 * registers its descriptors on echo_server_epfd(s); each round waits no
 * longer than its timeout_ms (-1: no deadline), hands it the events of
 * descriptors echo does not own, then calls its tick. */
struct echo_guest {
	bool (*event)(void *ctx, int fd, uint32_t events);
	int (*timeout_ms)(void *ctx);
	void (*tick)(void *ctx);
	void *ctx;
};
int echo_server_epfd(const struct echo_server *s);
void echo_server_set_guest(struct echo_server *s, const struct echo_guest *g);

#endif
