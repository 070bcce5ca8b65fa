/*
 * Raw IPv4 sockets (raw.h has the contracts): the table of raw socks by
 * protocol, the delivery tap ip_local_deliver runs, and the proto the
 * socket layer drives.
 *
 * Invariants: a raw sock is on raw_table[sk_protocol] from creation to
 * close (it receives without bind, as on Linux); sk_num stays 0.  Its
 * receive queue holds clones of received datagrams pushed back to the IP
 * header, the source in cb (struct raw_skb_cb), charged to sk_rmem_alloc.
 *
 * Context: softirq for input; proto calls run in a thread inside
 * lock_sock with bottom halves disabled for their stack work, and input
 * that finds the socket owned goes to its backlog.
 */
#include "net/ipv4/raw.h"

#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "net/core/sock.h"
#include "net/core/stats.h"
#include "net/ipv4/datagram.h"
#include "net/ipv4/icmp.h"
#include "net/ipv4/ip.h"
#include "net/ipv4/protocol.h"
#include "net/ipv4/route.h"
#include "net/platform.h"

struct raw_mib raw_statistics;

#define RAW_INC_STATS(field)	(raw_statistics.field++)
#define RAW_MIB_NAME(name)	#name,

static const char *const raw_mib_names[] = { RAW_MIB_LIST(RAW_MIB_NAME) };
static struct mib raw_mib_entry = MIB_INIT("Raw", raw_mib_names, &raw_statistics);

static struct sk_node *raw_table[256];

struct raw_sock {
	struct sock sk;			/* first */
	uint32_t icmp_filter;		/* ICMP_FILTER: bit n drops type n */
};

static struct raw_sock *raw_sk(struct sock *sk)
{
	return (struct raw_sock *)sk;
}

struct raw_skb_cb {
	struct sk_addr from;
};
_Static_assert(sizeof(struct raw_skb_cb) <= sizeof(((struct sk_buff *)0)->cb), "raw cb");

static struct raw_skb_cb *RAW_SKB_CB(struct sk_buff *skb)
{
	return (struct raw_skb_cb *)skb->cb;
}

int raw_table_walk(int (*fn)(struct sock *sk, void *arg), void *arg)
{
	for (unsigned int i = 0; i < 256; i++) {
		for (struct sk_node *n = raw_table[i]; n; n = n->next) {
			int r = fn(sk_from_node(n), arg);

			if (r)
				return r;
		}
	}
	return 0;
}

/* Linux's raw_v4_match: a bound local address or a connected peer must
 * be the datagram's. */
static bool raw_v4_match(const struct sock *sk, uint32_t saddr, uint32_t daddr)
{
	return (!sk->sk_daddr || sk->sk_daddr == saddr) &&
	       (!sk->sk_rcv_saddr || sk->sk_rcv_saddr == daddr);
}

/* Queues one datagram within SO_RCVBUF.  Consumes skb. */
static int raw_rcv_skb(struct sock *sk, struct sk_buff *skb)
{
	if (sock_queue_rcv_skb(sk, skb)) {
		RAW_INC_STATS(RcvbufErrors);
		return -ENOMEM;
	}
	RAW_INC_STATS(InDelivers);
	return 0;
}

/* Hands sk its own clone of skb, data back at the IP header. */
static void raw_rcv(struct sock *sk, struct sk_buff *skb, uint32_t saddr)
{
	struct sk_buff *clone = skb_clone(skb);

	if (!clone) {
		RAW_INC_STATS(InNoMem);
		return;
	}
	skb_push(clone, (unsigned int)(clone->data - skb_network_header(clone)));
	skb_dst_set(clone, NULL);
	RAW_SKB_CB(clone)->from = (struct sk_addr){ .addr = saddr };
	if (!sock_owned_by_user(sk))
		raw_rcv_skb(sk, clone);
	else if (sk_add_backlog(sk, clone, sk->sk_rcvbuf))
		RAW_INC_STATS(BacklogDrops);
}

/* Linux's icmp_filter: the socket's ICMP_FILTER mask names the types
 * (0-31) it does not want; higher types always pass. */
static bool raw_icmp_filtered(struct sock *sk, const struct sk_buff *skb)
{
	uint8_t type;

	if (sk->sk_protocol != IPPROTO_ICMP || !skb->len)
		return false;
	type = skb->data[0];
	return type < 32 && (raw_sk(sk)->icmp_filter & (1u << type));
}

static bool raw_local_deliver(struct sk_buff *skb, uint8_t protocol)
{
	const struct ip4_hdr_info h = IPCB(skb)->hdr;
	bool delivered = false;

	for (struct sk_node *n = raw_table[protocol]; n; n = n->next) {
		struct sock *sk = sk_from_node(n);

		if (!raw_v4_match(sk, h.saddr, h.daddr))
			continue;
		delivered = true;
		if (raw_icmp_filtered(sk, skb)) {
			RAW_INC_STATS(InFiltered);
			continue;
		}
		raw_rcv(sk, skb, h.saddr);
	}
	return delivered;
}

/* Linux's raw_err without IP_RECVERR: only a connected socket hears of
 * errors, and only of hard ones; they end its next call (sk_err). */
static void raw_err(struct sock *sk, const struct icmp_err *e)
{
	bool fatal;
	int err = icmp_err_convert(e->type, e->code, &fatal);

	if (!err || !fatal || sk->sk_state != TCP_ESTABLISHED) {
		RAW_INC_STATS(IcmpErrIgnored);
		return;
	}
	RAW_INC_STATS(IcmpErrDelivered);
	sk_set_error(sk, err);
}

void raw_icmp_error(const struct icmp_err *e)
{
	const struct ip4_hdr_info *q = &e->quoted;

	/* The quoted datagram went from us (its source) to the peer. */
	for (struct sk_node *n = raw_table[q->protocol]; n; n = n->next) {
		struct sock *sk = sk_from_node(n);

		if (raw_v4_match(sk, q->daddr, q->saddr))
			raw_err(sk, e);
	}
}

static int raw_sk_init(struct sock *sk)
{
	net_bh_disable();
	sk_node_add(&sk->sk_node, &raw_table[sk->sk_protocol]);
	net_bh_enable();
	return 0;
}

static void raw_close(struct sock *sk, uint64_t linger_ns)
{
	(void)linger_ns;
	net_bh_disable();
	sk_node_del(&sk->sk_node);
	sk->sk_state = TCP_CLOSE;
	sock_put(sk);
	net_bh_enable();
}

/* inet_bind checked that addr is ours (or any, or broadcast). */
static int raw_bind(struct sock *sk, uint32_t addr, uint16_t port)
{
	(void)port;
	net_bh_disable();
	sk->sk_rcv_saddr = addr;
	sk->sk_saddr = addr == INADDR_BROADCAST ? 0 : addr;
	net_bh_enable();
	return 0;
}

static int raw_connect(struct sock *sk, uint32_t daddr, uint16_t dport)
{
	struct rtable *rt;
	int err;

	(void)dport;
	net_bh_disable();
	sk_dst_reset(sk);
	err = ip4_datagram_route(sk, daddr, true, &rt);
	if (!err) {
		if (!sk->sk_saddr)
			sk->sk_saddr = rt->rt_src;
		if (!sk->sk_rcv_saddr)
			sk->sk_rcv_saddr = rt->rt_src;
		sk->sk_daddr = daddr;
		sk->sk_state = TCP_ESTABLISHED;
		dst_release(&rt->dst);
	}
	net_bh_enable();
	return err;
}

static int raw_disconnect(struct sock *sk, int flags)
{
	(void)flags;
	net_bh_disable();
	sk->sk_state = TCP_CLOSE;
	sk->sk_daddr = 0;
	sk_dst_reset(sk);
	net_bh_enable();
	return 0;
}

/* Builds and sends one datagram; 0 or -errno.  Bottom halves disabled. */
static int raw_send_skb(struct sock *sk, const void *buf, size_t len, uint32_t daddr,
			bool connected)
{
	struct ip_tx tx = { .protocol = sk->sk_protocol };
	struct rtable *rt;
	struct sk_buff *skb;
	int err;

	if (sk->sk_wmem_alloc >= sk->sk_sndbuf) {
		RAW_INC_STATS(SndbufErrors);
		return -EAGAIN;
	}
	err = ip4_datagram_route(sk, daddr, connected, &rt);
	if (err)
		return err;
	skb = alloc_skb((unsigned int)(MAX_HEADER + len));
	if (!skb) {
		dst_release(&rt->dst);
		RAW_INC_STATS(SndbufErrors);
		return -ENOBUFS;
	}
	skb_reserve(skb, MAX_HEADER);
	skb_put_data(skb, buf, (unsigned int)len);
	skb_set_owner_w(skb, sk);
	err = ip_queue_xmit(skb, rt, &tx);
	if (err)
		RAW_INC_STATS(OutErrors);
	else
		RAW_INC_STATS(OutDatagrams);
	return err;
}

static long raw_sendmsg(struct sock *sk, const void *buf, size_t len, int flags,
			const struct sk_addr *to)
{
	uint32_t daddr = sk->sk_daddr;
	int err;

	(void)flags;
	if (len > IP_MAX_PACKET - IP_HDR_LEN)
		return -EMSGSIZE;
	if (sk->sk_shutdown & SEND_SHUTDOWN)
		return -EPIPE;
	if (to)
		daddr = to->addr;
	else if (sk->sk_state != TCP_ESTABLISHED)
		return -EDESTADDRREQ;
	net_bh_disable();
	err = raw_send_skb(sk, buf, len, daddr, !to);
	net_bh_enable();
	return err ? err : (long)len;
}

static long raw_recvmsg(struct sock *sk, void *buf, size_t len, int flags,
			struct sk_addr *from)
{
	struct sk_buff *skb;
	long ret;

	net_bh_disable();
	skb = skb_peek(&sk->sk_receive_queue);
	if (!skb) {
		ret = sock_error(sk);
		if (!ret)
			ret = (sk->sk_shutdown & RCV_SHUTDOWN) ? 0 : -EAGAIN;
		net_bh_enable();
		return ret;
	}
	ret = skb->len < len ? skb->len : (long)len;
	skb_copy_bits(skb, 0, buf, (unsigned int)ret);
	if (from)
		*from = RAW_SKB_CB(skb)->from;
	if (!(flags & MSG_PEEK)) {
		skb_unlink(skb, &sk->sk_receive_queue);
		consume_skb(skb);
	}
	net_bh_enable();
	return ret;
}

static void raw_shutdown(struct sock *sk, int how)
{
	sk->sk_shutdown |= (uint8_t)(how & SHUTDOWN_MASK);
}

/* SOL_RAW ICMP_FILTER, on ICMP sockets only (Linux: -EOPNOTSUPP on
 * others).  A shorter buffer is -EINVAL (Linux copies a prefix). */
static int raw_setsockopt(struct sock *sk, int level, int optname, const void *optval,
			  unsigned int optlen)
{
	struct icmp_filter f;

	if (level != SOL_RAW || optname != ICMP_FILTER)
		return -ENOPROTOOPT;
	if (sk->sk_protocol != IPPROTO_ICMP)
		return -EOPNOTSUPP;
	if (optlen < sizeof(f))
		return -EINVAL;
	memcpy(&f, optval, sizeof(f));
	net_bh_disable();
	raw_sk(sk)->icmp_filter = f.data;
	net_bh_enable();
	return 0;
}

static int raw_getsockopt(struct sock *sk, int level, int optname, void *optval,
			  unsigned int *optlen)
{
	struct icmp_filter f;

	if (level != SOL_RAW || optname != ICMP_FILTER)
		return -ENOPROTOOPT;
	if (sk->sk_protocol != IPPROTO_ICMP)
		return -EOPNOTSUPP;
	if (*optlen < sizeof(f))
		return -EINVAL;
	f.data = raw_sk(sk)->icmp_filter;
	memcpy(optval, &f, sizeof(f));
	*optlen = sizeof(f);
	return 0;
}

const struct proto raw_prot = {
	.name = "RAW",
	.obj_size = sizeof(struct raw_sock),
	.init = raw_sk_init,
	.close = raw_close,
	.connect = raw_connect,
	.disconnect = raw_disconnect,
	.sendmsg = raw_sendmsg,
	.recvmsg = raw_recvmsg,
	.bind = raw_bind,
	.backlog_rcv = raw_rcv_skb,
	.shutdown = raw_shutdown,
	.setsockopt = raw_setsockopt,
	.getsockopt = raw_getsockopt,
	.poll = datagram_poll,
};

int raw_init(void)
{
	int err = inet_add_raw_tap(raw_local_deliver);

	if (err)
		return err;
	memset(&raw_statistics, 0, sizeof(raw_statistics));
	mib_register(&raw_mib_entry);
	return 0;
}

void raw_exit(void)
{
	mib_unregister(&raw_mib_entry);
	inet_del_raw_tap(raw_local_deliver);
}
