/*
 * Packetdrill-style helpers for the TCP host tests: a fresh stack (lo +
 * eth0 198.18.0.2/24, peer 198.18.0.1 known by ARP), segments from the
 * peer built from a struct tcpt_seg (options, bad checksum, odd data
 * offsets) and injected as IPv4 frames, and segments the stack sent
 * popped off the fake NIC and decoded into the same struct.
 *
 * The expect helpers print what they got on a mismatch and return false,
 * so a test writes CHECK(tcpt_expect(...)) and the failure names its line.
 */
#ifndef SYNACK_TESTS_HOST_TEST_TCP_UTIL_H
#define SYNACK_TESTS_HOST_TEST_TCP_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/ipv4/tcp.h"
#include "tests/host/test_ipv4_util.h"

#define TCPT_OURS	IPT_ADDR(198, 18, 0, 2)
#define TCPT_PEER	IPT_ADDR(198, 18, 0, 1)

struct tcpt_seg {
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t win;
	const uint8_t *data;		/* payload (decoded: points into buf) */
	uint32_t len;
	uint16_t mss;			/* 0: no option */
	int wscale;			/* < 0: no option */
	bool sack_perm;
	bool ts;
	uint32_t tsval, tsecr;
	uint8_t nsacks;
	struct tcp_sack_block sacks[4];
	int doff;			/* header bytes; injection: 0 computes it */
	/* injection only */
	bool bad_csum;
	const uint8_t *raw_opts;	/* replaces the options when set */
	uint8_t raw_opts_len;
	uint8_t buf[2048];		/* decoded payload copy */
};

/* The peer's side of one connection. */
struct tcpt_conn {
	struct sock *sk;		/* our sock (child or connecting) */
	struct sock *listener;
	uint16_t our_port, peer_port;
	uint32_t peer_seq;		/* the peer's SND.NXT */
	uint32_t our_seq;		/* what the peer acks: our SND.NXT */
	uint16_t peer_win;
	bool ts;
	uint32_t peer_tsval;
	uint32_t our_tsval;		/* last TSval we sent (the peer echoes it) */
	uint8_t our_wscale;
};

void tcpt_setup(struct ipt_env *env);
void tcpt_teardown(struct ipt_env *env);

void tcpt_inject(struct ipt_env *env, const struct tcpt_seg *s);
/* Pops the next TCP segment we sent (skipping nothing); false if none. */
bool tcpt_pop(struct ipt_env *env, struct tcpt_seg *out);

bool tcpt_expect_at(const char *file, int line, struct ipt_env *env, uint8_t flags,
		    uint32_t seq, uint32_t ack, struct tcpt_seg *out);
/* Pops one segment and checks flags, seq and ack (ack ignored when the
 * segment has no ACK flag). */
#define tcpt_expect(env, flags, seq, ack, out) \
	tcpt_expect_at(__FILE__, __LINE__, env, flags, seq, ack, out)
bool tcpt_expect_none_at(const char *file, int line, struct ipt_env *env);
#define tcpt_expect_none(env) tcpt_expect_none_at(__FILE__, __LINE__, env)

/* A TCP sock bound to port (0: not bound). */
struct sock *tcpt_socket(uint16_t port);
/* Listener on port with backlog; the peer's 3-way handshake to it with
 * options (ts, wscale 7, sack, mss 1460); c->sk is the accepted child. */
struct sock *tcpt_listen(uint16_t port, int backlog);
bool tcpt_passive_open(struct ipt_env *env, struct sock *listener, uint16_t peer_port,
		       struct tcpt_conn *c);
/* The same with the peer's SACK-permitted and timestamps chosen. */
bool tcpt_passive_open_opts(struct ipt_env *env, struct sock *listener, uint16_t peer_port,
			    struct tcpt_conn *c, bool sack, bool ts);
/* connect() to the peer, the peer answers SYN-ACK (same options), we ACK. */
bool tcpt_active_open(struct ipt_env *env, uint16_t peer_port, struct tcpt_conn *c);

/* The peer sends len bytes (ACK|PSH) on c, or a pure ACK of our data. */
void tcpt_peer_send(struct ipt_env *env, struct tcpt_conn *c, const void *data, uint32_t len);
void tcpt_peer_ack(struct ipt_env *env, struct tcpt_conn *c);
/* A segment on c from the peer with the current seq/ack/window/ts. */
struct tcpt_seg tcpt_peer_seg(const struct tcpt_conn *c, uint8_t flags);

/* User calls through tcp_prot, with bottom halves handled as the socket
 * layer does. */
long tcpt_send(struct sock *sk, const void *buf, size_t len);
long tcpt_recv(struct sock *sk, void *buf, size_t len);
void tcpt_close(struct sock *sk);
/* tcpt_setup, then a connection from peer_port to a listener on port 80
 * of eth0, whose device then has features; false if it did not open. */
bool tcpt_open_with(struct ipt_env *env, struct tcpt_conn *c, uint16_t peer_port,
		    unsigned int features);
/* Closes c and its listener, drops what they sent, tcpt_teardown. */
void tcpt_close_all(struct ipt_env *env, struct tcpt_conn *c);

#endif
