/*
 * Socket listing (inet_diag.h): walks the TCP tables (each listener
 * followed by the request socks of its SYN queue, then the timewait
 * table), then the UDP and raw tables, and turns each entry into a struct
 * sock_info.
 */
#include "net/ipv4/inet_diag.h"

#include "net/core/sock.h"
#include "net/ipv4/inet_hashtables.h"
#include "net/ipv4/ip.h"
#include "net/ipv4/raw.h"
#include "net/ipv4/tcp.h"
#include "net/ipv4/udp.h"

static const char *const sock_state_names[TCP_MAX_STATES] = {
	[TCP_ESTABLISHED] = "ESTABLISHED", [TCP_SYN_SENT] = "SYN_SENT",
	[TCP_SYN_RECV] = "SYN_RECV", [TCP_FIN_WAIT1] = "FIN_WAIT1",
	[TCP_FIN_WAIT2] = "FIN_WAIT2", [TCP_TIME_WAIT] = "TIME_WAIT", [TCP_CLOSE] = "CLOSE",
	[TCP_CLOSE_WAIT] = "CLOSE_WAIT", [TCP_LAST_ACK] = "LAST_ACK", [TCP_LISTEN] = "LISTEN",
	[TCP_CLOSING] = "CLOSING",
};

const char *sock_state_name(int state)
{
	if (state <= 0 || state >= TCP_MAX_STATES)
		return "?";
	return sock_state_names[state];
}

/* Receive and send queue sizes as ss shows them (inet_diag.h). */
static void sock_info_queues(struct sock_info *si, struct sock *sk)
{
	int in = 0, out = 0;

	if (sk->sk_type != SOCK_STREAM) {
		si->recv_q = (uint32_t)sk->sk_rmem_alloc;
		si->send_q = (uint32_t)sk->sk_wmem_alloc;
		return;
	}
	if (sk->sk_state == TCP_LISTEN) {
		si->recv_q = (uint32_t)sk->sk_ack_backlog;
		si->send_q = (uint32_t)sk->sk_max_ack_backlog;
		return;
	}
	if (sk->sk_prot->ioctl(sk, SIOCINQ, &in) == 0)
		si->recv_q = (uint32_t)in;
	if (sk->sk_prot->ioctl(sk, SIOCOUTQ, &out) == 0)
		si->send_q = (uint32_t)out;
}

void sock_info_fill(struct sock_info *si, struct sock *sk)
{
	bool raw = sk->sk_type == SOCK_RAW, dgram = sk->sk_type != SOCK_STREAM;

	*si = (struct sock_info){
		.protocol = raw ? IPPROTO_RAW : sk->sk_protocol,
		.state = sk->sk_state,
		.proto_name = raw ? "raw" : dgram ? "udp" : "tcp",
		.state_name = sock_state_name(sk->sk_state),
		.laddr = sk->sk_rcv_saddr,
		.lport = raw ? sk->sk_protocol : sk->sk_num,
		.raddr = sk->sk_daddr,
		.rport = sk->sk_dport,
	};
	if (dgram && sk->sk_state != TCP_ESTABLISHED)
		si->state_name = "UNCONN";
	sock_info_queues(si, sk);
}

/* The caller's callback and argument, carried through the table walks. */
struct sock_walk {
	int (*fn)(const struct sock_info *si, void *arg);
	void *arg;
};

static void reqsk_info_fill(struct sock_info *si, const struct request_sock *req)
{
	*si = (struct sock_info){
		.protocol = IPPROTO_TCP,
		.state = TCP_SYN_RECV,
		.proto_name = "tcp",
		.state_name = sock_state_name(TCP_SYN_RECV),
		.laddr = req->loc_addr,
		.lport = req->loc_port,
		.raddr = req->rmt_addr,
		.rport = req->rmt_port,
	};
}

/* A listener's pending connections, as Linux's inet_diag dumps them
 * (ss shows them as SYN-RECV). */
static int sock_walk_reqs(struct sock *sk, struct sock_walk *w)
{
	struct sock_info si;
	int r;

	for (const struct request_sock *req = tcp_sk(sk)->accept_queue.syn_head; req;
	     req = req->next) {
		reqsk_info_fill(&si, req);
		r = w->fn(&si, w->arg);
		if (r)
			return r;
	}
	return 0;
}

static int sock_walk_one(struct sock *sk, void *arg)
{
	struct sock_walk *w = arg;
	struct sock_info si;
	int r;

	sock_info_fill(&si, sk);
	r = w->fn(&si, w->arg);
	if (r || sk->sk_protocol != IPPROTO_TCP || sk->sk_state != TCP_LISTEN)
		return r;
	return sock_walk_reqs(sk, w);
}

static int sock_walk_tw(const struct tcp_timewait_sock *tw, void *arg)
{
	struct sock_walk *w = arg;
	struct sock_info si = {
		.protocol = IPPROTO_TCP,
		.state = TCP_TIME_WAIT,
		.proto_name = "tcp",
		.state_name = sock_state_name(TCP_TIME_WAIT),
		.laddr = tw->tw_rcv_saddr,
		.lport = tw->tw_num,
		.raddr = tw->tw_daddr,
		.rport = tw->tw_dport,
	};

	return w->fn(&si, w->arg);
}

int sock_for_each(int (*fn)(const struct sock_info *si, void *arg), void *arg)
{
	struct sock_walk w = { .fn = fn, .arg = arg };
	int r = inet_hash_walk(sock_walk_one, &w);

	if (!r)
		r = inet_twsk_walk(sock_walk_tw, &w);
	if (!r)
		r = udp_table_walk(sock_walk_one, &w);
	return r ? r : raw_table_walk(sock_walk_one, &w);
}
