/*
 * Bad input: garbage frames, truncated and mutated headers, teardrop
 * overlaps and a reassembly memory exhaustion attempt; afterwards the
 * stack still answers ping, every queue drains with time, and skbs,
 * allocations and timers are back at their baseline.
 */
#include "kernel/errno.h"
#include "net/core/checksum.h"
#include "net/ethernet/eth.h"
#include "net/ipv4/arp.h"
#include "net/ipv4/icmp.h"
#include "net/ipv4/ip_fragment.h"
#include "net/ipv4/snmp.h"
#include "tests/host/check.h"
#include "tests/host/net_platform_host.h"
#include "tests/host/test_ipv4_util.h"

#define A IPT_ADDR
#define OURS	A(198, 18, 0, 2)
#define PEER	A(198, 18, 0, 1)

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint8_t buf[2048];

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)rng;
}

static void fill_random(uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)rnd();
}

/* An echo request to us, then one byte changed at random; half the time
 * the header checksum is fixed so the damage reaches deeper layers. */
static size_t mutated_echo(void)
{
	struct ip4_hdr_info h = { .saddr = PEER, .daddr = OURS, .protocol = IPPROTO_ICMP,
				  .id = (uint16_t)rnd() };
	uint8_t icmp[128];
	size_t len = ipt_build_ip(buf, h, icmp, ipt_build_echo(icmp, 1, 1, rnd() % 100));

	buf[rnd() % len] ^= (uint8_t)(1u << (rnd() % 8));
	if (rnd() & 1) {
		buf[10] = buf[11] = 0;
		((struct iphdr *)buf)->check = ip_fast_csum(buf, (buf[0] & 15u));
	}
	return len;
}

static bool ping_answered(struct ipt_env *env)
{
	struct ip4_hdr_info h = { .saddr = PEER, .daddr = OURS, .protocol = IPPROTO_ICMP,
				  .id = 4242 };
	uint8_t icmp[64];
	struct sk_buff *skb;
	const uint8_t *rep;
	bool ok = false;

	ipt_drain(env);
	ipt_inject_ip(env, buf, ipt_build_ip(buf, h, icmp, ipt_build_echo(icmp, 7, 7, 40)));
	while ((skb = ipt_pop(env)) != NULL) {
		struct ip4_hdr_info r;

		if (ipt_frame_ip(skb, &r, &rep) && r.protocol == IPPROTO_ICMP &&
		    rep[0] == ICMP_ECHOREPLY && r.daddr == PEER)
			ok = true;
		kfree_skb(skb);
	}
	return ok;
}

static void test_garbage(void)
{
	struct ipt_env env;

	ipt_setup(&env, OURS, 24, 0);
	ipt_learn_peer(&env, PEER);
	for (int i = 0; i < 3000; i++) {
		size_t len = rnd() % 1500;

		fill_random(buf, len);
		if (i % 3 == 0 && len >= 20)
			buf[0] = 0x45;		/* past the version check */
		ipt_inject(&env, ipt_our_mac, (i & 1) ? ETH_P_IP : ETH_P_ARP, buf, len);
		ipt_drain(&env);
	}
	for (int i = 0; i < 3000; i++) {
		ipt_inject_ip(&env, buf, mutated_echo());
		ipt_drain(&env);
	}
	CHECK(ip_statistics.InHdrErrors > 1000);
	CHECK(ping_answered(&env));
	host_clock_advance(31 * SEC);
	CHECK_EQ(ip_frag_nqueues(), 0);
	ipt_teardown(&env);
}

static void inject_frag(struct ipt_env *env, uint16_t id, size_t off, size_t len, bool mf)
{
	struct ip4_hdr_info h = { .saddr = PEER, .daddr = OURS, .protocol = IPPROTO_ICMP,
				  .id = id, .frag_off = (uint16_t)off, .mf = mf };
	uint8_t payload[1480];

	fill_random(payload, len);
	ipt_inject_ip(env, buf, ipt_build_ip(buf, h, payload, len));
}

static void test_teardrop_and_exhaustion(void)
{
	struct ipt_env env;

	ipt_setup(&env, OURS, 24, 0);
	ipt_learn_peer(&env, PEER);
	for (uint16_t id = 1; id <= 200; id++) {
		inject_frag(&env, id, 0, 24, true);
		inject_frag(&env, id, 16, 100, false);	/* classic teardrop */
	}
	CHECK_EQ(ip_statistics.ReasmOverlaps, 200);
	CHECK_EQ(ip_frag_nqueues(), 0);
	for (unsigned int i = 0; i < 5000; i++)
		inject_frag(&env, (uint16_t)(1000 + i), 8 * (rnd() % 1000), 1480, true);
	CHECK(ip_statistics.ReasmEvictions > 0);
	CHECK(ip_frag_mem() <= IPFRAG_HIGH_THRESH + 4096);
	CHECK(ping_answered(&env));
	host_clock_advance(31 * SEC);
	CHECK_EQ(ip_frag_nqueues(), 0);
	CHECK_EQ(ip_frag_mem(), 0);
	ipt_teardown(&env);
}

int main(void)
{
	test_garbage();
	test_teardrop_and_exhaustion();
	return check_report();
}
