/*
 * TCP's side of the socket calls (tcp_prot): state changes, connect,
 * listen and accept, send and receive on byte buffers, shutdown, close,
 * options and readiness.  None of these sleeps: where a blocking socket
 * would wait they return -EAGAIN (connect: -EINPROGRESS) and the socket
 * layer waits for sk_data_ready / sk_write_space / sk_state_change.
 *
 * SO_LINGER with a positive time: the socket layer (inetsw.c) calls
 * shutdown, waits on sk_state_change until the state is FIN_WAIT2 or
 * CLOSE (everything acknowledged; a connection entering TIME_WAIT leaves
 * its sock CLOSED) or the time runs out, then close.
 * close itself aborts with RST when unread data is left (RFC 2525 2.17)
 * or SO_LINGER is on with zero time.
 *
 * Context: a thread inside lock_sock (the calls), softirq (state changes).
 */
#include "net/ipv4/tcp.h"

#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "net/ipv4/devinet.h"
#include "net/ipv4/inet_hashtables.h"
#include "net/ipv4/ip.h"
#include "net/ipv4/route.h"

static bool tcp_state_counts_estab(int state)
{
	return state == TCP_ESTABLISHED || state == TCP_CLOSE_WAIT;
}

void tcp_set_state(struct sock *sk, int state)
{
	int old = sk->sk_state;

	if (tcp_state_counts_estab(old) && !tcp_state_counts_estab(state)) {
		TCP_DEC_STATS(CurrEstab);
		if (state == TCP_CLOSE)
			TCP_INC_STATS(EstabResets);
	} else if (!tcp_state_counts_estab(old) && tcp_state_counts_estab(state)) {
		TCP_INC_STATS(CurrEstab);
	}
	if (state == TCP_CLOSE) {
		sock_hold(sk);
		inet_unhash(sk);
		inet_put_port(sk);
		sk->sk_state = (uint8_t)state;
		sock_put(sk);
		return;
	}
	sk->sk_state = (uint8_t)state;
}

void tcp_write_queue_purge(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	skb_queue_purge(&sk->sk_write_queue);
	sk->sk_wmem_queued = 0;
	tp->send_head = NULL;
	tp->packets_out = tp->sacked_out = tp->lost_out = tp->retrans_out = 0;
}

/* Moves to CLOSED for good: the caller holds a reference. */
void tcp_done(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	sock_hold(sk);
	if (sk->sk_state == TCP_SYN_SENT || sk->sk_state == TCP_SYN_RECV)
		TCP_INC_STATS(AttemptFails);
	tcp_set_state(sk, TCP_CLOSE);
	tcp_clear_xmit_timers(sk);
	tcp_write_queue_purge(sk);
	skb_queue_purge(&tp->out_of_order_queue);
	sk->sk_shutdown = SHUTDOWN_MASK;
	if (!sock_flag(sk, SOCK_DEAD))
		sk->sk_state_change(sk);
	sock_put(sk);
}

void tcp_init_sock_defaults(struct tcp_sock *tp)
{
	skb_queue_head_init(&tp->out_of_order_queue);
	tcp_init_xmit_timers(&tp->sk);
	tp->rto_us = (uint32_t)(TCP_TIMEOUT_INIT_NS / 1000);
	tp->mss_cache = TCP_MSS_DEFAULT;
	tp->advmss = TCP_MSS_DEFAULT;
	tp->snd_cwnd = TCP_INIT_CWND;
	tp->snd_ssthresh = 0x7fffffff;
	tp->reordering = 3;
	tp->keepalive_time_ns = TCP_KEEPIDLE_NS;
	tp->keepalive_intvl_ns = TCP_KEEPINTVL_NS;
	tp->keepalive_probes = TCP_KEEPCNT;
	tp->linger2_ns = TCP_FIN_TIMEOUT_NS;
	tp->ca_ops = &tcp_cubic;
}

static int tcp_v4_init_sock(struct sock *sk)
{
	tcp_init_sock_defaults(tcp_sk(sk));
	return 0;
}

static void tcp_v4_destroy_sock(struct sock *sk)
{
	skb_queue_purge(&tcp_sk(sk)->out_of_order_queue);
}

/* Everything both opens need once the peer's options are known. */
void tcp_init_transfer(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	tcp_init_cwnd(tp);
	if (tp->ca_ops->init)
		tp->ca_ops->init(tp);
	tcp_init_rcv_space(sk);
	tp->rcv_tstamp_ns = net_now_ns();
	if (sock_flag(sk, SOCK_KEEPOPEN))
		tcp_set_keepalive(sk, true);
}

static int tcp_v4_bind(struct sock *sk, uint32_t addr, uint16_t port)
{
	int err;

	if (sk->sk_state != TCP_CLOSE || sk->sk_num)
		return -EINVAL;
	if (addr && !inet_addr_local(addr))
		return -EADDRNOTAVAIL;
	sk->sk_rcv_saddr = sk->sk_saddr = addr;
	if (port)
		sk->sk_userlocks |= SOCK_BINDPORT_LOCK;
	err = inet_csk_get_port(sk, port);
	if (err) {
		sk->sk_rcv_saddr = sk->sk_saddr = 0;
		sk->sk_userlocks &= (uint8_t)~SOCK_BINDPORT_LOCK;
	}
	return err;
}

unsigned int tcp_choose_wscale(const struct sock *sk)
{
	/* the window is at most half the buffer (tcp_data.c) */
	uint32_t space = ((sk->sk_userlocks & SOCK_RCVBUF_LOCK) ? (uint32_t)sk->sk_rcvbuf
								 : SK_BUF_MAX) / 2;
	unsigned int s = 0;

	while ((space >> s) > 0xffff && s < TCP_MAX_WSCALE)
		s++;
	return s;
}

/* Sequence and window state for an active open. */
static void tcp_connect_init(struct sock *sk, const struct rtable *rt)
{
	struct tcp_sock *tp = tcp_sk(sk);
	uint32_t mss = rt->dst.mtu - IP_HDR_LEN - TCP_HDR_LEN;

	if (tp->user_mss && mss > tp->user_mss)
		mss = tp->user_mss;
	tp->advmss = (uint16_t)mss;
	tp->mss_cache = (uint16_t)(mss < TCP_MSS_DEFAULT ? mss : TCP_MSS_DEFAULT);
	tp->rcv_wscale = (uint8_t)tcp_choose_wscale(sk);
	tp->rcv_wnd = (uint32_t)sk->sk_rcvbuf / 2;
	tp->window_clamp = SK_BUF_MAX / 2;
	tp->iss = tcp_v4_init_seq(sk->sk_saddr, sk->sk_daddr, sk->sk_num, sk->sk_dport);
	tp->ts_offset = tcp_v4_init_ts_off(sk->sk_saddr, sk->sk_daddr);
	tp->snd_una = tp->snd_nxt = tp->write_seq = tp->snd_sml = tp->iss;
	tp->highest_sack = tp->iss;
	tp->rcv_nxt = tp->rcv_wup = tp->copied_seq = 0;
	tp->snd_wnd = 0;
}

static int tcp_v4_connect(struct sock *sk, uint32_t daddr, uint16_t dport)
{
	struct flowi4 fl = { .daddr = daddr, .saddr = sk->sk_rcv_saddr, .proto = IPPROTO_TCP };
	struct rtable *rt;
	int err;

	if (sk->sk_state == TCP_SYN_SENT)
		return -EALREADY;
	if (sk->sk_state != TCP_CLOSE)
		return -EISCONN;
	if (!dport || !daddr || ipv4_is_multicast(daddr) || ipv4_is_lbcast(daddr))
		return -EINVAL;
	err = ip_route_output(&fl, &rt);
	if (err)
		return err;
	sk->sk_saddr = rt->rt_src;
	if (!sk->sk_rcv_saddr)
		sk->sk_rcv_saddr = rt->rt_src;
	sk->sk_daddr = daddr;
	sk->sk_dport = dport;
	err = inet_hash_connect(sk);
	if (err) {
		dst_release(&rt->dst);
		sk->sk_daddr = 0;
		sk->sk_dport = 0;
		return err;
	}
	sk_dst_set(sk, &rt->dst);
	tcp_connect_init(sk, rt);
	tcp_set_state(sk, TCP_SYN_SENT);
	TCP_INC_STATS(ActiveOpens);
	err = tcp_send_syn(sk);
	if (err) {
		tcp_done(sk);
		return err;
	}
	return -EINPROGRESS;
}

static int tcp_v4_listen(struct sock *sk, int backlog)
{
	if (backlog < 1)
		backlog = 1;
	if (backlog > 4096)
		backlog = 4096;
	if (sk->sk_state == TCP_LISTEN) {
		sk->sk_max_ack_backlog = backlog;
		return 0;
	}
	if (sk->sk_state != TCP_CLOSE)
		return -EINVAL;
	if (!sk->sk_num && inet_csk_get_port(sk, 0))
		return -EADDRINUSE;
	sk->sk_max_ack_backlog = backlog;
	sk->sk_ack_backlog = 0;
	tcp_sk(sk)->advmss = 1460;
	sk->sk_state = TCP_LISTEN;
	inet_lhash_insert(sk);
	return 0;
}

static struct sock *tcp_v4_accept(struct sock *sk, int *err)
{
	struct tcp_sock *child;

	if (sk->sk_state != TCP_LISTEN) {
		*err = -EINVAL;
		return NULL;
	}
	child = tcp_accept_dequeue(tcp_sk(sk));
	if (!child) {
		*err = -EAGAIN;
		return NULL;
	}
	*err = 0;
	return &child->sk;
}

static int tcp_v4_hash(struct sock *sk)
{
	if (sk->sk_state == TCP_LISTEN)
		inet_lhash_insert(sk);
	else
		inet_ehash_insert(sk);
	return 0;
}

/* RFC 9293 3.10.4 CLOSE: which state sends our FIN (true) or none. */
static bool tcp_close_state(struct sock *sk)
{
	switch (sk->sk_state) {
	case TCP_ESTABLISHED:
	case TCP_SYN_RECV:
		tcp_set_state(sk, TCP_FIN_WAIT1);
		return true;
	case TCP_CLOSE_WAIT:
		tcp_set_state(sk, TCP_LAST_ACK);
		return true;
	default:
		return false;
	}
}

static void tcp_v4_shutdown(struct sock *sk, int how)
{
	how &= SHUTDOWN_MASK;
	if ((how & SEND_SHUTDOWN) && !(sk->sk_shutdown & SEND_SHUTDOWN)) {
		sk->sk_shutdown |= SEND_SHUTDOWN;
		if (tcp_close_state(sk))
			tcp_send_fin(sk);
	}
	sk->sk_shutdown |= (uint8_t)how;
	sk->sk_state_change(sk);
}

/* Abort: RST to the peer (if synchronized), then CLOSED. */
static void tcp_abort_close(struct sock *sk)
{
	if (sk->sk_state != TCP_SYN_SENT && sk->sk_state != TCP_CLOSE)
		tcp_send_active_reset(sk);
	tcp_done(sk);
}

static void tcp_v4_close(struct sock *sk, uint64_t linger_ns)
{
	bool unread = !skb_queue_empty(&sk->sk_receive_queue);

	(void)linger_ns;
	sk->sk_shutdown = SHUTDOWN_MASK;
	sock_orphan(sk);
	if (sk->sk_state == TCP_LISTEN) {
		tcp_set_state(sk, TCP_CLOSE);
		tcp_listen_stop(sk);
	} else if (sk->sk_state == TCP_SYN_SENT) {
		tcp_done(sk);
	} else if (unread && sk->sk_state != TCP_CLOSE) {
		NET_INC_STATS(TCPAbortOnClose);
		tcp_abort_close(sk);
	} else if (sock_flag(sk, SOCK_LINGER) && !sk->sk_lingertime_ns &&
		   sk->sk_state != TCP_CLOSE) {
		NET_INC_STATS(TCPAbortOnLinger);
		tcp_abort_close(sk);
	} else if (tcp_close_state(sk)) {
		tcp_send_fin(sk);
	} else if (sk->sk_state == TCP_FIN_WAIT2) {
		tcp_reset_keepalive_timer(sk, net_now_ns() + tcp_sk(sk)->linger2_ns);
	}
	skb_queue_purge(&sk->sk_receive_queue);
	sock_put(sk);
}

static int tcp_v4_disconnect(struct sock *sk, int flags)
{
	(void)flags;
	if (sk->sk_state == TCP_LISTEN) {
		tcp_set_state(sk, TCP_CLOSE);
		tcp_listen_stop(sk);
	} else if (sk->sk_state != TCP_CLOSE) {
		tcp_abort_close(sk);
	}
	skb_queue_purge(&sk->sk_receive_queue);
	sk->sk_shutdown = 0;
	sock_reset_flag(sk, SOCK_DONE);
	tcp_sk(sk)->copied_seq = tcp_sk(sk)->rcv_nxt;
	return 0;
}

/* Appends up to len bytes to the write queue; returns bytes taken. */
static size_t tcp_queue_data(struct sock *sk, const uint8_t *buf, size_t len)
{
	struct tcp_sock *tp = tcp_sk(sk);
	uint32_t goal = tcp_current_mss(sk);
	size_t copied = 0;

	while (copied < len) {
		struct sk_buff *skb = sk->sk_write_queue.prev;
		size_t n;

		if (!skb || !tp->send_head || skb->len >= goal ||
		    (TCP_SKB_CB(skb)->tcp_flags & (TCPHDR_SYN | TCPHDR_FIN)) ||
		    skb_tailroom(skb) == 0) {
			if (tcp_wspace(sk) <= 0)
				break;
			skb = alloc_skb(goal);
			if (!skb) {
				NET_INC_STATS(TCPOutNoMem);
				tcp_enter_memory_pressure(sk);
				break;
			}
			*TCP_SKB_CB(skb) = (struct tcp_skb_cb){ .seq = tp->write_seq,
								.end_seq = tp->write_seq };
			sk->sk_wmem_queued += (int)skb->truesize;
			skb_queue_tail(&sk->sk_write_queue, skb);
			if (!tp->send_head)
				tp->send_head = skb;
		}
		n = goal - skb->len;
		if (n > skb_tailroom(skb))
			n = skb_tailroom(skb);
		if (n > len - copied)
			n = len - copied;
		skb_put_data(skb, buf + copied, (unsigned int)n);
		TCP_SKB_CB(skb)->end_seq += (uint32_t)n;
		tp->write_seq += (uint32_t)n;
		copied += n;
	}
	return copied;
}

/* MSG_STATIC: appends up to len bytes of buf by reference, an skb of
 * at most an MSS each; returns bytes taken. */
static size_t tcp_queue_static(struct sock *sk, const uint8_t *buf, size_t len)
{
	struct tcp_sock *tp = tcp_sk(sk);
	uint32_t goal = tcp_current_mss(sk);
	size_t queued = 0;

	while (queued < len && tcp_wspace(sk) > 0) {
		unsigned int n = len - queued < goal ? (unsigned int)(len - queued) : goal;
		struct sk_buff *skb = alloc_skb_static(buf + queued, n);

		if (!skb) {
			NET_INC_STATS(TCPOutNoMem);
			tcp_enter_memory_pressure(sk);
			break;
		}
		*TCP_SKB_CB(skb) = (struct tcp_skb_cb){ .seq = tp->write_seq,
							.end_seq = tp->write_seq + n };
		sk->sk_wmem_queued += (int)skb->truesize;
		skb_queue_tail(&sk->sk_write_queue, skb);
		if (!tp->send_head)
			tp->send_head = skb;
		tp->write_seq += n;
		queued += n;
	}
	return queued;
}

static long tcp_v4_sendmsg(struct sock *sk, const void *buf, size_t len, int flags,
			   const struct sk_addr *to)
{
	size_t copied;

	(void)to;
	if (sk->sk_err)
		return sock_error(sk);
	if (sk->sk_shutdown & SEND_SHUTDOWN)
		return -EPIPE;
	if (sk->sk_state == TCP_SYN_SENT || sk->sk_state == TCP_SYN_RECV)
		return -EAGAIN;
	/* Linux's sk_stream_wait_connect: any other state that cannot send
	 * (never connected, listening, closed) is -EPIPE, not POSIX's
	 * -ENOTCONN; applications written for Linux test for EPIPE. */
	if (sk->sk_state != TCP_ESTABLISHED && sk->sk_state != TCP_CLOSE_WAIT)
		return -EPIPE;
	if (!len)
		return 0;
	if (flags & MSG_STATIC)
		copied = tcp_queue_static(sk, buf, len);
	else
		copied = tcp_queue_data(sk, buf, len);
	/* MSG_MORE holds the data back (as TCP_CORK would), unless the
	 * queue is full: then nothing else would push it. */
	if (!(flags & MSG_MORE) || copied < len)
		tcp_push(sk);
	return copied ? (long)copied : -EAGAIN;
}

/* Copies from the receive queue; consumes what it copies unless peek. */
static size_t tcp_copy_out(struct sock *sk, uint8_t *buf, size_t len, bool peek)
{
	struct tcp_sock *tp = tcp_sk(sk);
	uint32_t seq = tp->copied_seq;
	struct sk_buff *skb = skb_peek(&sk->sk_receive_queue);
	size_t copied = 0;

	while (skb && copied < len) {
		struct sk_buff *next = skb->next;
		uint32_t off = seq - TCP_SKB_CB(skb)->seq;
		size_t n = skb->len - off;

		if (n > len - copied)
			n = len - copied;
		memcpy(buf + copied, skb->data + off, n);
		copied += n;
		seq += (uint32_t)n;
		if (!peek && off + n == skb->len) {
			skb_unlink(skb, &sk->sk_receive_queue);
			kfree_skb(skb);
		}
		skb = next;
	}
	if (!peek)
		tp->copied_seq = seq;
	return copied;
}

static long tcp_v4_recvmsg(struct sock *sk, void *buf, size_t len, int flags,
			   struct sk_addr *from)
{
	size_t copied;

	if (sk->sk_state == TCP_LISTEN)
		return -ENOTCONN;
	if (from) {
		from->addr = sk->sk_daddr;
		from->port = sk->sk_dport;
	}
	copied = tcp_copy_out(sk, buf, len, flags & MSG_PEEK);
	if (copied) {
		if (!(flags & MSG_PEEK)) {
			tcp_rcv_space_adjust(sk);
			tcp_cleanup_rbuf(sk, (uint32_t)copied);
		}
		return (long)copied;
	}
	if (!len)
		return 0;
	if (sk->sk_err)
		return sock_error(sk);
	if (sock_flag(sk, SOCK_DONE) || (sk->sk_shutdown & RCV_SHUTDOWN))
		return 0;
	if (sk->sk_state == TCP_CLOSE)
		return -ENOTCONN;
	return -EAGAIN;
}

static unsigned int tcp_v4_poll(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	unsigned int mask = 0;

	if (sk->sk_state == TCP_LISTEN)
		return tp->accept_queue.accept_head ? SK_POLLIN | SK_POLLRDNORM : 0;
	if (sk->sk_err)
		mask |= SK_POLLERR;
	if (sk->sk_shutdown == SHUTDOWN_MASK || sk->sk_state == TCP_CLOSE)
		mask |= SK_POLLHUP;
	if (sk->sk_shutdown & RCV_SHUTDOWN)
		mask |= SK_POLLIN | SK_POLLRDNORM | SK_POLLRDHUP;
	if (sk->sk_state == TCP_SYN_SENT || sk->sk_state == TCP_SYN_RECV)
		return mask;
	if (!skb_queue_empty(&sk->sk_receive_queue))
		mask |= SK_POLLIN | SK_POLLRDNORM;
	if (sk->sk_shutdown & SEND_SHUTDOWN)
		mask |= SK_POLLOUT | SK_POLLWRNORM;
	else if (sk->sk_state != TCP_CLOSE && tcp_wspace(sk) >= sk->sk_sndbuf / 3)
		mask |= SK_POLLOUT | SK_POLLWRNORM;
	return mask;
}

static int tcp_v4_ioctl(struct sock *sk, int cmd, int *arg)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (sk->sk_state == TCP_LISTEN)
		return -EINVAL;
	if (cmd == SIOCINQ) {
		struct sk_buff *skb;
		uint32_t n = 0;

		skb_queue_walk(&sk->sk_receive_queue, skb)
			n += TCP_SKB_CB(skb)->end_seq - TCP_SKB_CB(skb)->seq;
		*arg = (int)(n - (skb_peek(&sk->sk_receive_queue) ?
				  tp->copied_seq - TCP_SKB_CB(skb_peek(&sk->sk_receive_queue))->seq : 0));
	} else if (cmd == SIOCOUTQ)
		*arg = (int)(tp->write_seq - tp->snd_una);
	else
		return -EINVAL;
	return 0;
}

static int tcp_setsockopt_int(struct sock *sk, int optname, int val)
{
	struct tcp_sock *tp = tcp_sk(sk);

	switch (optname) {
	case TCP_NODELAY:
		tp->nodelay = val != 0;
		if (tp->nodelay)
			tcp_push(sk);
		return 0;
	case TCP_MAXSEG:
		if (val && (val < (int)TCP_MIN_MSS || val > 32767))
			return -EINVAL;
		tp->user_mss = (uint16_t)val;
		return 0;
	case TCP_KEEPIDLE:
	case TCP_KEEPINTVL:
		if (val < 1 || val > 32767)
			return -EINVAL;
		*(optname == TCP_KEEPIDLE ? &tp->keepalive_time_ns : &tp->keepalive_intvl_ns) =
			(uint64_t)val * 1000000000ull;
		if (optname == TCP_KEEPIDLE && tp->keepalive_on)
			tcp_set_keepalive(sk, true);
		return 0;
	case TCP_KEEPCNT_OPT:
		if (val < 1 || val > 127)
			return -EINVAL;
		tp->keepalive_probes = (uint8_t)val;
		return 0;
	default:
		return -ENOPROTOOPT;
	}
}

static int tcp_v4_setsockopt(struct sock *sk, int level, int optname, const void *optval,
			     unsigned int optlen)
{
	int val;

	if (level != SOL_TCP)
		return -ENOPROTOOPT;
	if (optname == TCP_CONGESTION) {
		char name[TCP_CA_NAME_MAX] = { 0 };
		const struct tcp_congestion_ops *ca;

		memcpy(name, optval, optlen < sizeof(name) - 1 ? optlen : sizeof(name) - 1);
		ca = tcp_ca_find(name);
		if (!ca)
			return -ENOENT;
		tcp_set_congestion_control(tcp_sk(sk), ca);
		return 0;
	}
	if (optlen < sizeof(int))
		return -EINVAL;
	memcpy(&val, optval, sizeof(val));
	return tcp_setsockopt_int(sk, optname, val);
}

static int tcp_v4_getsockopt(struct sock *sk, int level, int optname, void *optval,
			     unsigned int *optlen)
{
	struct tcp_sock *tp = tcp_sk(sk);
	int val;

	if (level != SOL_TCP)
		return -ENOPROTOOPT;
	if (optname == TCP_CONGESTION) {
		size_t n = strlen(tp->ca_ops->name) + 1;

		if (*optlen < n)
			return -EINVAL;
		memcpy(optval, tp->ca_ops->name, n);
		*optlen = (unsigned int)n;
		return 0;
	}
	switch (optname) {
	case TCP_NODELAY: val = tp->nodelay; break;
	case TCP_MAXSEG: val = tp->user_mss ? tp->user_mss : tp->mss_cache; break;
	case TCP_KEEPIDLE: val = (int)(tp->keepalive_time_ns / 1000000000ull); break;
	case TCP_KEEPINTVL: val = (int)(tp->keepalive_intvl_ns / 1000000000ull); break;
	case TCP_KEEPCNT_OPT: val = tp->keepalive_probes; break;
	default: return -ENOPROTOOPT;
	}
	if (*optlen < sizeof(int))
		return -EINVAL;
	memcpy(optval, &val, sizeof(val));
	*optlen = sizeof(val);
	return 0;
}

const struct proto tcp_prot = {
	.name = "TCP",
	.obj_size = sizeof(struct tcp_sock),
	.init = tcp_v4_init_sock,
	.destroy = tcp_v4_destroy_sock,
	.close = tcp_v4_close,
	.connect = tcp_v4_connect,
	.disconnect = tcp_v4_disconnect,
	.listen = tcp_v4_listen,
	.accept = tcp_v4_accept,
	.ioctl = tcp_v4_ioctl,
	.setsockopt = tcp_v4_setsockopt,
	.getsockopt = tcp_v4_getsockopt,
	.sendmsg = tcp_v4_sendmsg,
	.recvmsg = tcp_v4_recvmsg,
	.bind = tcp_v4_bind,
	.backlog_rcv = tcp_v4_backlog_rcv,
	.hash = tcp_v4_hash,
	.unhash = inet_unhash,
	.get_port = inet_csk_get_port,
	.shutdown = tcp_v4_shutdown,
	.keepalive = tcp_set_keepalive,
	.poll = tcp_v4_poll,
};
