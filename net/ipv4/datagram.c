/*
 * Datagram socket helpers shared by UDP and raw sockets (datagram.h):
 * output routes and readiness.
 */
#include "net/ipv4/datagram.h"

#include "net/core/sock.h"
#include "net/ipv4/route.h"

int ip4_datagram_route(struct sock *sk, uint32_t daddr, bool connected, struct rtable **rtp)
{
	struct flowi4 fl = { .daddr = daddr, .saddr = sk->sk_saddr, .proto = sk->sk_protocol };
	struct dst_entry *dst = connected ? sk_dst_get(sk) : NULL;
	int err;

	if (dst) {
		*rtp = (struct rtable *)dst_hold(dst);
		return 0;
	}
	err = ip_route_output(&fl, rtp);
	if (!err && connected)
		sk_dst_set(sk, dst_hold(&(*rtp)->dst));
	return err;
}

unsigned int datagram_poll(struct sock *sk)
{
	unsigned int mask = 0;

	if (!skb_queue_empty(&sk->sk_receive_queue))
		mask |= SK_POLLIN | SK_POLLRDNORM;
	if (sk->sk_err)
		mask |= SK_POLLERR;
	if (sk->sk_shutdown & RCV_SHUTDOWN)
		mask |= SK_POLLIN | SK_POLLRDNORM | SK_POLLRDHUP;
	if (sk->sk_shutdown == SHUTDOWN_MASK)
		mask |= SK_POLLHUP;
	if (sk->sk_wmem_alloc < sk->sk_sndbuf)
		mask |= SK_POLLOUT | SK_POLLWRNORM;
	return mask;
}
