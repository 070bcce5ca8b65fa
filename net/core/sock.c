/*
 * struct sock lifetime, memory accounting, lock_sock/backlog and the
 * SOL_SOCKET options (sock.h has the contracts).
 *
 * Invariants: sk_rmem_alloc is the truesize sum of skbs owned for reading
 * (their destructor is sock_rfree); sk_wmem_alloc the sum of skbs owned
 * for writing (sock_wfree, each holding a reference); a sock is freed
 * exactly when sk_refcnt reaches zero.
 *
 * Context: softirq, or a thread inside lock_sock / with bottom halves
 * disabled.
 */
#include "net/core/sock.h"

#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "net/core/netdevice.h"
#include "net/platform.h"

static struct sk_accounting sk_acct;

const struct sk_accounting *sk_accounting(void)
{
	return &sk_acct;
}

void sock_def_wakeup(struct sock *sk)
{
	(void)sk;
}

void sock_init_data(struct sock *sk)
{
	skb_queue_head_init(&sk->sk_receive_queue);
	skb_queue_head_init(&sk->sk_write_queue);
	skb_queue_head_init(&sk->sk_backlog);
	sk->sk_rcvbuf = SK_RCVBUF_DEFAULT;
	sk->sk_sndbuf = SK_SNDBUF_DEFAULT;
	sk->sk_state = TCP_CLOSE;
	sk->sk_refcnt = 1;
	sk->sk_data_ready = sock_def_wakeup;
	sk->sk_write_space = sock_def_wakeup;
	sk->sk_state_change = sock_def_wakeup;
	sk->sk_error_report = sock_def_wakeup;
}

struct sock *sk_alloc(const struct proto *prot, uint16_t family, uint16_t type,
		      uint8_t protocol)
{
	struct sock *sk = net_alloc(prot->obj_size);

	if (!sk) {
		sk_acct.alloc_failures++;
		return NULL;
	}
	sk->sk_family = family;
	sk->sk_type = type;
	sk->sk_protocol = protocol;
	sk->sk_prot = prot;
	sock_init_data(sk);
	sk_acct.allocs++;
	sk_acct.socks_alive++;
	sk_acct.bytes_alive += prot->obj_size;
	if (prot->init && prot->init(sk)) {
		sock_put(sk);
		return NULL;
	}
	return sk;
}

static void sk_free(struct sock *sk)
{
	if (sk->sk_prot->destroy)
		sk->sk_prot->destroy(sk);
	skb_queue_purge(&sk->sk_receive_queue);
	skb_queue_purge(&sk->sk_write_queue);
	skb_queue_purge(&sk->sk_backlog);
	sk_dst_reset(sk);
	sk_acct.socks_alive--;
	sk_acct.bytes_alive -= sk->sk_prot->obj_size;
	net_free(sk);
}

void sock_put(struct sock *sk)
{
	if (--sk->sk_refcnt == 0)
		sk_free(sk);
}

void sock_orphan(struct sock *sk)
{
	sock_set_flag(sk, SOCK_DEAD);
	sk->sk_socket = NULL;
	sk->sk_wq = NULL;
	sk->sk_data_ready = sock_def_wakeup;
	sk->sk_write_space = sock_def_wakeup;
	sk->sk_state_change = sock_def_wakeup;
	sk->sk_error_report = sock_def_wakeup;
}

void lock_sock(struct sock *sk)
{
	net_bh_disable();
	sk->sk_owned = true;
	net_bh_enable();
}

void release_sock(struct sock *sk)
{
	struct sk_buff *skb;

	net_bh_disable();
	while ((skb = skb_dequeue(&sk->sk_backlog)) != NULL) {
		sk->sk_backlog_len -= (int)skb->truesize;
		sk->sk_prot->backlog_rcv(sk, skb);
	}
	sk->sk_owned = false;
	net_bh_enable();
}

int sk_add_backlog(struct sock *sk, struct sk_buff *skb, int limit)
{
	if (sk->sk_rmem_alloc + sk->sk_backlog_len + (int)skb->truesize > limit) {
		kfree_skb(skb);
		return -ENOBUFS;
	}
	sk->sk_backlog_len += (int)skb->truesize;
	skb_queue_tail(&sk->sk_backlog, skb);
	return 0;
}

static void sock_rfree(struct sk_buff *skb)
{
	skb->sk->sk_rmem_alloc -= (int)skb->truesize;
}

void skb_set_owner_r(struct sk_buff *skb, struct sock *sk)
{
	skb_orphan(skb);
	skb->sk = sk;
	skb->destructor = sock_rfree;
	sk->sk_rmem_alloc += (int)skb->truesize;
}

static void sock_wfree(struct sk_buff *skb)
{
	struct sock *sk = skb->sk;

	sk->sk_wmem_alloc -= (int)skb->truesize;
	if (!sock_flag(sk, SOCK_DEAD))
		sk->sk_write_space(sk);
	sock_put(sk);
}

void skb_set_owner_w(struct sk_buff *skb, struct sock *sk)
{
	skb_orphan(skb);
	sock_hold(sk);
	skb->sk = sk;
	skb->destructor = sock_wfree;
	sk->sk_wmem_alloc += (int)skb->truesize;
}

int sock_queue_rcv_skb(struct sock *sk, struct sk_buff *skb)
{
	if (sk->sk_rmem_alloc + (int)skb->truesize > sk->sk_rcvbuf) {
		kfree_skb(skb);
		return -ENOMEM;
	}
	skb_set_owner_r(skb, sk);
	skb_queue_tail(&sk->sk_receive_queue, skb);
	sk->sk_data_ready(sk);
	return 0;
}

int sock_error(struct sock *sk)
{
	int err = sk->sk_err;

	sk->sk_err = 0;
	return -err;
}

void sk_set_error(struct sock *sk, int err)
{
	sk->sk_err = err;
	sk->sk_error_report(sk);
}

struct dst_entry *sk_dst_get(const struct sock *sk)
{
	struct dst_entry *dst = sk->sk_dst_cache;

	if (dst && dst->dev && !(dst->dev->flags & IFF_UP))
		return NULL;
	return dst;
}

void sk_dst_set(struct sock *sk, struct dst_entry *dst)
{
	dst_release(sk->sk_dst_cache);
	sk->sk_dst_cache = dst;
}

void sk_dst_reset(struct sock *sk)
{
	sk_dst_set(sk, NULL);
}

static int sock_clamp_buf(int val)
{
	if (val > SK_BUF_MAX / 2)
		return SK_BUF_MAX;
	val *= 2;		/* room for skb overhead, as Linux doubles it */
	return val < SK_BUF_MIN ? SK_BUF_MIN : val;
}

static int sock_set_int(struct sock *sk, int optname, int val)
{
	switch (optname) {
	case SO_REUSEADDR:
		sk->sk_reuse = val != 0;
		return 0;
	case SO_KEEPALIVE:
		if (sk->sk_prot->keepalive)
			sk->sk_prot->keepalive(sk, val != 0);
		if (val)
			sock_set_flag(sk, SOCK_KEEPOPEN);
		else
			sock_reset_flag(sk, SOCK_KEEPOPEN);
		return 0;
	case SO_SNDBUF:
		sk->sk_userlocks |= SOCK_SNDBUF_LOCK;
		sk->sk_sndbuf = sock_clamp_buf(val);
		sk->sk_write_space(sk);
		return 0;
	case SO_RCVBUF:
		sk->sk_userlocks |= SOCK_RCVBUF_LOCK;
		sk->sk_rcvbuf = sock_clamp_buf(val);
		return 0;
	default:
		return -ENOPROTOOPT;
	}
}

/* A timeout option's value: a struct sock_timeval (POSIX; a negative time is
 * taken as the shortest wait, as Linux does, out-of-range microseconds
 * are -EDOM) or, in 8 bytes, nanoseconds.  0 = forever either way. */
static int sock_get_timeo(const void *optval, unsigned int optlen, uint64_t *ns)
{
	struct sock_timeval tv;

	if (optlen >= sizeof(tv)) {
		memcpy(&tv, optval, sizeof(tv));
		if (tv.tv_usec < 0 || tv.tv_usec >= 1000000)
			return -EDOM;
		if (tv.tv_sec < 0)
			*ns = 1;
		else if ((uint64_t)tv.tv_sec >= UINT64_MAX / 1000000000ull)
			*ns = 0;
		else
			*ns = (uint64_t)tv.tv_sec * 1000000000ull + (uint64_t)tv.tv_usec * 1000u;
		return 0;
	}
	if (optlen < sizeof(*ns))
		return -EINVAL;
	memcpy(ns, optval, sizeof(*ns));
	return 0;
}

int sock_setsockopt(struct sock *sk, int optname, const void *optval, unsigned int optlen)
{
	if (optname == SO_LINGER) {
		struct linger l;

		if (optlen < sizeof(l))
			return -EINVAL;
		memcpy(&l, optval, sizeof(l));
		if (l.l_onoff)
			sock_set_flag(sk, SOCK_LINGER);
		else
			sock_reset_flag(sk, SOCK_LINGER);
		sk->sk_lingertime_ns = l.l_linger > 0 ? (uint64_t)l.l_linger * 1000000000ull : 0;
		return 0;
	}
	if (optname == SO_RCVTIMEO || optname == SO_SNDTIMEO) {
		uint64_t ns;
		int err = sock_get_timeo(optval, optlen, &ns);

		if (!err)
			*(optname == SO_RCVTIMEO ? &sk->sk_rcvtimeo_ns : &sk->sk_sndtimeo_ns) = ns;
		return err;
	}
	if (optlen < sizeof(int))
		return -EINVAL;
	{
		int val;

		memcpy(&val, optval, sizeof(val));
		return sock_set_int(sk, optname, val);
	}
}

static int sock_get_int(struct sock *sk, int optname, int *val)
{
	switch (optname) {
	case SO_REUSEADDR: *val = sk->sk_reuse; return 0;
	case SO_TYPE: *val = sk->sk_type; return 0;
	case SO_ERROR: *val = -sock_error(sk); return 0;
	case SO_SNDBUF: *val = sk->sk_sndbuf; return 0;
	case SO_RCVBUF: *val = sk->sk_rcvbuf; return 0;
	case SO_KEEPALIVE: *val = sock_flag(sk, SOCK_KEEPOPEN); return 0;
	case SO_ACCEPTCONN: *val = sk->sk_state == TCP_LISTEN; return 0;
	default: return -ENOPROTOOPT;
	}
}

int sock_getsockopt(struct sock *sk, int optname, void *optval, unsigned int *optlen)
{
	if (optname == SO_LINGER) {
		struct linger l = { .l_onoff = sock_flag(sk, SOCK_LINGER),
				    .l_linger = (int)(sk->sk_lingertime_ns / 1000000000ull) };

		if (*optlen < sizeof(l))
			return -EINVAL;
		memcpy(optval, &l, sizeof(l));
		*optlen = sizeof(l);
		return 0;
	}
	if (optname == SO_RCVTIMEO || optname == SO_SNDTIMEO) {
		uint64_t ns = optname == SO_RCVTIMEO ? sk->sk_rcvtimeo_ns : sk->sk_sndtimeo_ns;
		/* Microseconds rounded up, so a set timeout never reads back 0. */
		uint64_t us = (ns + 999u) / 1000u;
		struct sock_timeval tv = { .tv_sec = (int64_t)(us / 1000000u),
				      .tv_usec = (int64_t)(us % 1000000u) };

		if (*optlen >= sizeof(tv)) {
			memcpy(optval, &tv, sizeof(tv));
			*optlen = sizeof(tv);
			return 0;
		}
		if (*optlen < sizeof(ns))
			return -EINVAL;
		memcpy(optval, &ns, sizeof(ns));
		*optlen = sizeof(ns);
		return 0;
	}
	{
		int val, err;

		if (*optlen < sizeof(int))
			return -EINVAL;
		err = sock_get_int(sk, optname, &val);
		if (err)
			return err;
		memcpy(optval, &val, sizeof(val));
		*optlen = sizeof(val);
		return 0;
	}
}
