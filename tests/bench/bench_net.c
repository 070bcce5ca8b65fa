/*
 * Host microbenchmark of the network stack, for callgrind (tools/bench
 * --micro): the same stack the host tests use (lo + a fake Ethernet NIC at
 * 198.18.0.2, peer 198.18.0.1 already in the ARP cache), built -O2 without
 * sanitizers (tests/bench/meson.build).
 *
 *     bench_net SCENARIO COUNT
 *     bench_net --list
 *
 * runs COUNT packets of SCENARIO inside bench_measured(), the function
 * callgrind is told to count (--toggle-collect=bench_measured), after a
 * warm-up outside it, so Ir / COUNT is instructions per packet.  What one
 * "packet" includes: the fake driver's receive (skb allocation and the copy
 * a DMA would have made), the NAPI poll, the stack, the transmit into the
 * fake TX ring and freeing the sent skb as a TX completion would.
 *
 * Scenarios (one row each in tools/bench --micro):
 *   echo-56, echo-1400   ICMP echo request in, reply out; one interrupt
 *                        and softirq run per packet (the ping path)
 *   echo-56-batch64      the same, 64 requests per interrupt (NAPI batch)
 *   rx-56                an ICMP echo reply in and consumed: receive only
 *   http-get-index       one keep-alive GET / over loopback against the
 *                        apps/ HTTP server, client side included
 *                        (bench_http.c); the unit is a request
 *   http-conn-index      a new connection per GET / (HTTP/1.0, like ab
 *                        without -k): handshake, request, answer, the
 *                        server's close and the client's, both sides
 *                        counted; the unit is a connection
 *   bulk-64k             64 KiB written to a connection on the NIC (with
 *                        checksum offload, TSO and SG), sent and acked
 *                        (bench_bulk.c); the unit is 64 KiB
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/core/checksum.h"
#include "net/core/skbuff.h"
#include "net/ethernet/eth.h"
#include "net/ipv4/snmp.h"
#include "tests/bench/bench_bulk.h"
#include "tests/bench/bench_http.h"
#include "tests/host/net_fake_dev.h"
#include "tests/host/net_platform_host.h"
#include "tests/host/test_ipv4_util.h"

#define OURS	IPT_ADDR(198, 18, 0, 2)
#define PEER	IPT_ADDR(198, 18, 0, 1)
#define WARMUP	256

struct scenario {
	const char *name;
	const char *what;
	size_t payload;			/* ICMP data bytes */
	uint8_t icmp_type;		/* 8 echo request, 0 echo reply */
	unsigned int batch;		/* packets per interrupt */
	unsigned int replies;		/* frames sent per packet */
	bool (*setup)(struct ipt_env *env);	/* instead of frames: a custom unit */
	bool (*unit)(void);
};

static const struct scenario scenarios[] = {
	{ .name = "echo-56", .what = "ICMP echo 56 B, rx + tx, 1 per IRQ",
	  .payload = 56, .icmp_type = 8, .batch = 1, .replies = 1 },
	{ .name = "echo-1400", .what = "ICMP echo 1400 B, rx + tx, 1 per IRQ",
	  .payload = 1400, .icmp_type = 8, .batch = 1, .replies = 1 },
	{ .name = "echo-56-batch64", .what = "ICMP echo 56 B, rx + tx, 64 per IRQ",
	  .payload = 56, .icmp_type = 8, .batch = 64, .replies = 1 },
	{ .name = "rx-56", .what = "ICMP echo reply 56 B, rx only",
	  .payload = 56, .icmp_type = 0, .batch = 1, .replies = 0 },
	{ .name = "http-get-index", .what = "keep-alive GET / over loopback, client + server",
	  .replies = 1, .setup = bench_http_setup, .unit = bench_http_request },
	{ .name = "http-conn-index", .what = "new connection per GET / over loopback, client + server",
	  .replies = 1, .setup = bench_http_server_setup, .unit = bench_http_conn_request },
	{ .name = "bulk-64k", .what = "64 KiB sent on a TSO+SG NIC and acked",
	  .replies = 1, .setup = bench_bulk_setup, .unit = bench_bulk_unit },
};

static uint8_t frame[ETH_HLEN + 2048];
static size_t frame_len;
static unsigned long sent;

static void build_frame(const struct scenario *sc)
{
	uint8_t icmp[2048], ip[2048];
	struct ip4_hdr_info h = { .saddr = PEER, .daddr = OURS, .protocol = IPPROTO_ICMP,
				  .id = 1 };
	size_t ilen = ipt_build_echo(icmp, 0x5ac, 1, sc->payload), len;

	if (sc->icmp_type != 8) {		/* rewrite the type, redo the checksum */
		uint16_t c;

		icmp[0] = sc->icmp_type;
		icmp[2] = icmp[3] = 0;
		c = csum_fold(csum_partial(icmp, ilen, 0));
		memcpy(icmp + 2, &c, 2);	/* folded in memory order, like the sender */
	}
	len = ipt_build_ip(ip, h, icmp, ilen);
	frame_len = fake_frame(frame, ipt_our_mac, ipt_peer_mac, ETH_P_IP, ip, len);
}

/* n packets, `batch` to an interrupt; frees what the stack sent. */
static void run_packets(struct ipt_env *env, const struct scenario *sc, unsigned long n)
{
	struct sk_buff *skb;

	if (sc->unit) {
		while (n--)
			sent += sc->unit();
		return;
	}
	while (n) {
		unsigned int b = n < sc->batch ? (unsigned int)n : sc->batch;

		for (unsigned int i = 0; i < b; i++)
			fake_dev_inject(env->eth, frame, frame_len);
		n -= b;
		fake_dev_irq(env->eth);
		host_run_softirqs(0);
		while ((skb = ipt_pop(env)) != NULL) {
			sent++;
			kfree_skb(skb);
		}
	}
}

/* The only function callgrind counts (with everything it calls). */
__attribute__((noinline)) void bench_measured(struct ipt_env *env, const struct scenario *sc,
					      unsigned long n)
{
	run_packets(env, sc, n);
}

int main(int argc, char **argv)
{
	const struct scenario *sc = NULL;
	struct ipt_env env;
	unsigned long n, in_before;

	if (argc == 2 && !strcmp(argv[1], "--list")) {
		for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
			printf("%s\t%s\n", scenarios[i].name, scenarios[i].what);
		return 0;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: bench_net SCENARIO COUNT | --list\n");
		return 2;
	}
	for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
		if (!strcmp(argv[1], scenarios[i].name))
			sc = &scenarios[i];
	n = strtoul(argv[2], NULL, 10);
	if (!sc || !n) {
		fprintf(stderr, "bench_net: unknown scenario '%s' or bad count\n", argv[1]);
		return 2;
	}
	host_log_level(0);
	ipt_setup(&env, OURS, 24, 0);
	ipt_learn_peer(&env, PEER);
	if (sc->setup && !sc->setup(&env)) {
		fprintf(stderr, "bench_net: %s: setup failed\n", sc->name);
		return 1;
	}
	if (!sc->unit)
		build_frame(sc);
	run_packets(&env, sc, WARMUP);
	sent = 0;
	in_before = icmp_statistics.InMsgs;
	bench_measured(&env, sc, n);
	if (!sc->unit && (icmp_statistics.InMsgs - in_before != n || icmp_statistics.InErrors)) {
		fprintf(stderr, "bench_net: %s: ICMP took %lu of %lu packets, %lu errors\n",
			sc->name, (unsigned long)(icmp_statistics.InMsgs - in_before), n,
			(unsigned long)icmp_statistics.InErrors);
		return 1;
	}
	if (sent != n * sc->replies) {
		fprintf(stderr, "bench_net: %s: %lu packets in, %lu frames out (expected %lu)\n",
			sc->name, n, sent, n * sc->replies);
		return 1;
	}
	if (!sc->unit)			/* the HTTP connection stays open: no baseline */
		ipt_teardown(&env);
	printf("%s: %lu packets, %lu frames sent\n", sc->name, n, sent);
	return 0;
}
