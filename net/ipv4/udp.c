/*
 * UDP (udp.h has the contracts): header parse/emit and checksum, the port
 * table, input (udp_rcv, udp_err), and the proto the socket layer calls.
 *
 * The table hashes sockets by local port; a chain holds every socket
 * bound to ports in that slot, and lookup scores them (a specific local
 * address, peer address or peer port that matches counts; one that does
 * not excludes the socket), so a connected socket beats a wildcard one.
 *
 * Invariants: a socket is on the table exactly while sk_num != 0; its
 * receive queue holds datagrams with the UDP header pulled and the
 * source in cb (struct udp_skb_cb), charged to sk_rmem_alloc.
 *
 * Context: softirq for input; proto calls run in a thread inside
 * lock_sock with bottom halves disabled for their stack work, and input
 * that finds the socket owned goes to its backlog.
 */
#include "net/ipv4/udp.h"

#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "net/core/byteorder.h"
#include "net/core/checksum.h"
#include "net/core/sock.h"
#include "net/core/stats.h"
#include "net/ipv4/datagram.h"
#include "net/ipv4/icmp.h"
#include "net/ipv4/ip.h"
#include "net/ipv4/protocol.h"
#include "net/ipv4/route.h"
#include "net/platform.h"

struct udp_mib udp_statistics;

#define UDP_INC_STATS(field)	(udp_statistics.field++)
#define UDP_MIB_NAME(name)	#name,

static const char *const udp_mib_names[] = { UDP_MIB_LIST(UDP_MIB_NAME) };
static struct mib udp_mib_entry = MIB_INIT("Udp", udp_mib_names, &udp_statistics);

static struct sk_node *udp_table[UDP_HTABLE_SIZE];

/* Where a queued datagram came from; replaces IPCB once looked up. */
struct udp_skb_cb {
	struct sk_addr from;
};
_Static_assert(sizeof(struct udp_skb_cb) <= sizeof(((struct sk_buff *)0)->cb), "udp cb");

static struct udp_skb_cb *UDP_SKB_CB(struct sk_buff *skb)
{
	return (struct udp_skb_cb *)skb->cb;
}

int udp_parse(const void *buf, size_t len, struct udp_info *info)
{
	const uint8_t *p = buf;

	if (len < UDP_HLEN)
		return -UDP_ERR_TRUNCATED;
	info->source = get_be16(p);
	info->dest = get_be16(p + 2);
	info->len = get_be16(p + 4);
	info->check = get_be16(p + 6);
	if (info->len < UDP_HLEN || info->len > len)
		return -UDP_ERR_LEN;
	return 0;
}

size_t udp_emit(const struct udp_info *info, void *buf)
{
	uint8_t *p = buf;

	put_be16(p, info->source);
	put_be16(p + 2, info->dest);
	put_be16(p + 4, info->len);
	put_be16(p + 6, 0);
	return UDP_HLEN;
}

uint16_t udp_csum(const void *uh, size_t len, uint32_t saddr, uint32_t daddr)
{
	uint16_t sum = csum_tcpudp_magic(htonl(saddr), htonl(daddr), (uint16_t)len, IPPROTO_UDP,
					 csum_partial(uh, len, 0));

	/* RFC 768: a computed zero is sent as all ones. */
	return sum ? sum : 0xffff;
}

static struct sk_node **udp_slot(uint16_t port)
{
	return &udp_table[port & (UDP_HTABLE_SIZE - 1)];
}

static bool udp_port_conflict(const struct sock *sk, uint16_t port)
{
	for (struct sk_node *n = *udp_slot(port); n; n = n->next) {
		const struct sock *sk2 = sk_from_node(n);

		if (sk2 == sk || sk2->sk_num != port)
			continue;
		if (sk->sk_reuse && sk2->sk_reuse)
			continue;
		if (!sk2->sk_rcv_saddr || !sk->sk_rcv_saddr || sk2->sk_rcv_saddr == sk->sk_rcv_saddr)
			return true;
	}
	return false;
}

/* inet_hash_connect's search in UDP: a random start, then the next free. */
static int udp_v4_get_port(struct sock *sk, uint16_t snum)
{
	if (!snum) {
		uint32_t n = UDP_PORT_HIGH - UDP_PORT_LOW + 1, off = net_random_u32() % n;
		uint32_t i;

		for (i = 0; i < n; i++) {
			uint16_t port = (uint16_t)(UDP_PORT_LOW + (off + i) % n);

			if (!udp_port_conflict(sk, port)) {
				snum = port;
				break;
			}
		}
		if (i == n)
			return -EADDRINUSE;
	} else if (udp_port_conflict(sk, snum)) {
		return -EADDRINUSE;
	}
	sk->sk_num = snum;
	sk_node_add(&sk->sk_node, udp_slot(snum));
	return 0;
}

static void udp_lib_unhash(struct sock *sk)
{
	sk_node_del(&sk->sk_node);
	sk->sk_num = 0;
}

static int udp_bind(struct sock *sk, uint32_t addr, uint16_t port)
{
	int err;

	net_bh_disable();
	sk->sk_rcv_saddr = addr;
	sk->sk_saddr = addr == INADDR_BROADCAST ? 0 : addr;
	err = udp_v4_get_port(sk, port);
	if (err) {
		sk->sk_rcv_saddr = 0;
		sk->sk_saddr = 0;
	}
	net_bh_enable();
	return err;
}

static int udp_lookup_score(const struct sock *sk, uint32_t saddr, uint16_t sport,
			    uint32_t daddr, uint16_t dport)
{
	int score = 1;

	if (sk->sk_num != dport)
		return -1;
	if (sk->sk_rcv_saddr) {
		if (sk->sk_rcv_saddr != daddr)
			return -1;
		score += 4;
	}
	if (sk->sk_daddr) {
		if (sk->sk_daddr != saddr)
			return -1;
		score += 4;
	}
	if (sk->sk_dport) {
		if (sk->sk_dport != sport)
			return -1;
		score += 4;
	}
	return score;
}

struct sock *__udp4_lib_lookup(uint32_t saddr, uint16_t sport, uint32_t daddr, uint16_t dport)
{
	struct sock *best = NULL;
	int best_score = 0;

	for (struct sk_node *n = *udp_slot(dport); n; n = n->next) {
		struct sock *sk = sk_from_node(n);
		int score = udp_lookup_score(sk, saddr, sport, daddr, dport);

		if (score > best_score) {
			best = sk;
			best_score = score;
		}
	}
	return best;
}

int udp_table_walk(int (*fn)(struct sock *sk, void *arg), void *arg)
{
	for (unsigned int i = 0; i < UDP_HTABLE_SIZE; i++) {
		for (struct sk_node *n = udp_table[i]; n; n = n->next) {
			int r = fn(sk_from_node(n), arg);

			if (r)
				return r;
		}
	}
	return 0;
}

/* Queues one datagram (header pulled, source in cb).  Consumes skb. */
static int udp_queue_rcv_skb(struct sock *sk, struct sk_buff *skb)
{
	if (sock_queue_rcv_skb(sk, skb)) {
		UDP_INC_STATS(RcvbufErrors);
		UDP_INC_STATS(InErrors);
		return -ENOMEM;
	}
	UDP_INC_STATS(InDatagrams);
	return 0;
}

static int udp_drop(struct sk_buff *skb)
{
	UDP_INC_STATS(InErrors);
	kfree_skb(skb);
	return 0;
}

static bool udp_csum_ok(struct sk_buff *skb, const struct udp_info *u,
			const struct ip4_hdr_info *ih)
{
	if (!u->check || skb->ip_summed == CHECKSUM_UNNECESSARY)
		return true;
	return csum_tcpudp_magic(htonl(ih->saddr), htonl(ih->daddr), u->len, IPPROTO_UDP,
				 csum_partial(skb->data, u->len, 0)) == 0;
}

int udp_rcv(struct sk_buff *skb)
{
	const struct ip4_hdr_info ih = IPCB(skb)->hdr;
	struct udp_info u;
	struct sock *sk;
	int err = udp_parse(skb->data, skb->len, &u);

	if (err) {
		if (err == -UDP_ERR_TRUNCATED)
			UDP_INC_STATS(InTruncated);
		else
			UDP_INC_STATS(InBadLen);
		return udp_drop(skb);
	}
	skb_trim(skb, u.len);
	if (!udp_csum_ok(skb, &u, &ih)) {
		UDP_INC_STATS(InCsumErrors);
		return udp_drop(skb);
	}
	sk = __udp4_lib_lookup(ih.saddr, u.source, ih.daddr, u.dest);
	if (!sk) {
		UDP_INC_STATS(NoPorts);
		icmp_send(skb, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 0);
		kfree_skb(skb);
		return 0;
	}
	skb_pull(skb, UDP_HLEN);
	UDP_SKB_CB(skb)->from.addr = ih.saddr;
	UDP_SKB_CB(skb)->from.port = u.source;
	if (!sock_owned_by_user(sk))
		return udp_queue_rcv_skb(sk, skb);
	if (sk_add_backlog(sk, skb, sk->sk_rcvbuf)) {
		UDP_INC_STATS(BacklogDrops);
		UDP_INC_STATS(InErrors);
		return -ENOBUFS;
	}
	return 0;
}

/* RFC 1122 4.1.3.3: errors go to the application; only hard ones
 * (icmp_err_convert) are reported on a connected socket, as Linux does
 * without IP_RECVERR. */
void udp_err(const struct icmp_err *err)
{
	const struct ip4_hdr_info *q = &err->quoted;
	uint16_t sport = get_be16(err->transport), dport = get_be16(err->transport + 2);
	struct sock *sk = __udp4_lib_lookup(q->daddr, dport, q->saddr, sport);
	bool fatal;
	int e;

	if (!sk) {
		UDP_INC_STATS(IcmpErrNoSocket);
		return;
	}
	e = icmp_err_convert(err->type, err->code, &fatal);
	if (!e || !fatal || sk->sk_state != TCP_ESTABLISHED) {
		UDP_INC_STATS(IcmpErrIgnored);
		return;
	}
	UDP_INC_STATS(IcmpErrDelivered);
	sk_set_error(sk, e);
}

/* Builds and sends one datagram; 0 or -errno.  Bottom halves disabled. */
static int udp_send_skb(struct sock *sk, const void *buf, size_t len, uint32_t daddr,
			uint16_t dport, bool connected)
{
	struct udp_info u = { .source = sk->sk_num, .dest = dport,
			      .len = (uint16_t)(UDP_HLEN + len) };
	struct ip_tx tx = { .protocol = IPPROTO_UDP };
	struct rtable *rt;
	struct sk_buff *skb;
	uint16_t check;
	uint8_t *uh;
	int err;

	if (sk->sk_wmem_alloc >= sk->sk_sndbuf) {
		UDP_INC_STATS(SndbufErrors);
		return -EAGAIN;
	}
	err = ip4_datagram_route(sk, daddr, connected, &rt);
	if (err)
		return err;
	skb = alloc_skb((unsigned int)(MAX_HEADER + UDP_HLEN + len));
	if (!skb) {
		dst_release(&rt->dst);
		UDP_INC_STATS(SndbufErrors);
		return -ENOBUFS;
	}
	skb_reserve(skb, MAX_HEADER);
	uh = skb_put(skb, (unsigned int)(UDP_HLEN + len));
	udp_emit(&u, uh);
	memcpy(uh + UDP_HLEN, buf, len);
	if ((rt->dst.dev->features & NETIF_F_CSUM_MASK) && IP_HDR_LEN + u.len <= rt->dst.mtu) {
		/* The device sums the datagram over the pseudo-header sum
		 * (not a fragmented one: no device sees it whole). */
		check = (uint16_t)~csum_tcpudp_magic(htonl(rt->rt_src), htonl(daddr), u.len,
						     IPPROTO_UDP, 0);
		skb_partial_csum_set(skb, 0, 6);
	} else {
		check = udp_csum(uh, u.len, rt->rt_src, daddr);
	}
	memcpy(uh + 6, &check, sizeof(check));
	skb_set_owner_w(skb, sk);
	err = ip_queue_xmit(skb, rt, &tx);
	if (err == -ENOBUFS)
		UDP_INC_STATS(SndbufErrors);
	if (!err)
		UDP_INC_STATS(OutDatagrams);
	return err;
}

static long udp_sendmsg(struct sock *sk, const void *buf, size_t len, int flags,
			const struct sk_addr *to)
{
	uint32_t daddr = sk->sk_daddr;
	uint16_t dport = sk->sk_dport;
	int err;

	(void)flags;
	if (len > UDP_MAX_PAYLOAD)
		return -EMSGSIZE;
	if (sk->sk_shutdown & SEND_SHUTDOWN)
		return -EPIPE;
	if (to) {
		daddr = to->addr;
		dport = to->port;
		if (!dport)
			return -EINVAL;
	} else if (sk->sk_state != TCP_ESTABLISHED) {
		return -EDESTADDRREQ;
	}
	net_bh_disable();
	err = sk->sk_num ? 0 : udp_v4_get_port(sk, 0);
	if (err)
		err = -EAGAIN;
	else
		err = udp_send_skb(sk, buf, len, daddr, dport, !to);
	net_bh_enable();
	return err ? err : (long)len;
}

static long udp_recvmsg(struct sock *sk, void *buf, size_t len, int flags,
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
		*from = UDP_SKB_CB(skb)->from;
	if (!(flags & MSG_PEEK)) {
		skb_unlink(skb, &sk->sk_receive_queue);
		consume_skb(skb);
	}
	net_bh_enable();
	return ret;
}

static int udp_connect(struct sock *sk, uint32_t daddr, uint16_t dport)
{
	struct flowi4 fl = { .daddr = daddr, .saddr = sk->sk_saddr, .proto = IPPROTO_UDP };
	struct rtable *rt;
	int err;

	if (!dport)
		return -EINVAL;
	net_bh_disable();
	err = ip_route_output(&fl, &rt);
	if (err)
		goto out;
	if (!sk->sk_num && udp_v4_get_port(sk, 0)) {
		dst_release(&rt->dst);
		err = -EAGAIN;
		goto out;
	}
	if (!sk->sk_saddr)
		sk->sk_saddr = rt->rt_src;
	if (!sk->sk_rcv_saddr)
		sk->sk_rcv_saddr = rt->rt_src;
	sk->sk_daddr = daddr;
	sk->sk_dport = dport;
	sk->sk_state = TCP_ESTABLISHED;
	sk_dst_set(sk, &rt->dst);
out:
	net_bh_enable();
	return err;
}

static int udp_disconnect(struct sock *sk, int flags)
{
	(void)flags;
	net_bh_disable();
	sk->sk_state = TCP_CLOSE;
	sk->sk_daddr = 0;
	sk->sk_dport = 0;
	sk_dst_reset(sk);
	net_bh_enable();
	return 0;
}

static void udp_lib_close(struct sock *sk, uint64_t linger_ns)
{
	(void)linger_ns;
	net_bh_disable();
	udp_lib_unhash(sk);
	sk->sk_state = TCP_CLOSE;
	sock_put(sk);
	net_bh_enable();
}

static void udp_shutdown(struct sock *sk, int how)
{
	sk->sk_shutdown |= (uint8_t)(how & SHUTDOWN_MASK);
}

const struct proto udp_prot = {
	.name = "UDP",
	.obj_size = sizeof(struct sock),
	.close = udp_lib_close,
	.connect = udp_connect,
	.disconnect = udp_disconnect,
	.sendmsg = udp_sendmsg,
	.recvmsg = udp_recvmsg,
	.bind = udp_bind,
	.backlog_rcv = udp_queue_rcv_skb,
	.unhash = udp_lib_unhash,
	.get_port = udp_v4_get_port,
	.shutdown = udp_shutdown,
	.poll = datagram_poll,
};

static const struct net_protocol udp_protocol = {
	.handler = udp_rcv,
	.err_handler = udp_err,
};

int udp_init(void)
{
	int err = inet_add_protocol(&udp_protocol, IPPROTO_UDP);

	if (err)
		return err;
	memset(&udp_statistics, 0, sizeof(udp_statistics));
	mib_register(&udp_mib_entry);
	return 0;
}

void udp_exit(void)
{
	mib_unregister(&udp_mib_entry);
	inet_del_protocol(&udp_protocol, IPPROTO_UDP);
}
