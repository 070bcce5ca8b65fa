/*
 * The bulk scenario (bench_bulk.h): a peer that acknowledges everything
 * as soon as it is sent, with a 64 KiB window, so the congestion window
 * grows to its limit and every write goes out in GSO skbs.  What a unit
 * counts: the copy out of the writer's buffer, building and sending the
 * segments, freeing them (TX completion), and the ACK's receive path.
 */
#include "tests/bench/bench_bulk.h"

#include "net/core/netdevice.h"
#include "tests/host/net_fake_dev.h"
#include "tests/host/test_tcp_util.h"

#define BULK_UNIT	65536u

static struct ipt_env *bulk_env;
static struct tcpt_conn bulk_conn;
static uint8_t bulk_buf[BULK_UNIT];

bool bench_bulk_setup(struct ipt_env *env)
{
	int one = 1;

	for (unsigned int i = 0; i < BULK_UNIT; i++)
		bulk_buf[i] = (uint8_t)(i % 63 + '0');
	bulk_env = env;
	if (!tcpt_passive_open(env, tcpt_listen(80, 4), 40000, &bulk_conn))
		return false;
	env->eth->dev->features = NETIF_F_HW_CSUM | NETIF_F_TSO | NETIF_F_SG;
	return !tcp_prot.setsockopt(bulk_conn.sk, SOL_TCP, TCP_NODELAY, &one, sizeof(one));
}

bool bench_bulk_unit(void)
{
	struct tcp_sock *tp = tcp_sk(bulk_conn.sk);
	size_t done = 0;
	unsigned int rounds = 0;

	while (done < BULK_UNIT && rounds++ < 64) {
		long n = tcpt_send(bulk_conn.sk, bulk_buf + done, BULK_UNIT - done);

		if (n > 0)
			done += (size_t)n;
		ipt_drain(bulk_env);
		bulk_conn.our_seq = tp->snd_nxt;
		tcpt_peer_ack(bulk_env, &bulk_conn);
	}
	while (tp->packets_out && rounds++ < 128) {
		ipt_drain(bulk_env);
		bulk_conn.our_seq = tp->snd_nxt;
		tcpt_peer_ack(bulk_env, &bulk_conn);
	}
	ipt_drain(bulk_env);
	return done == BULK_UNIT && !tp->packets_out;
}
