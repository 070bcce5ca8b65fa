/*
 * Netfilter rules: parsing good and bad `nf=` strings (with the error
 * text), formatting back, and matching hand-built IPv4 packets through
 * NF_HOOK with per-rule and policy counters, including packets too short
 * or malformed to parse and non-first fragments.
 */
#include "net/core/netfilter.h"

#include "net/core/byteorder.h"
#include "tests/host/check.h"
#include "tests/host/net_fake_dev.h"
#include "tests/host/net_platform_host.h"

static char err[160];

static void expect_bad(const char *spec, const char *msg)
{
	unsigned int before = nf_rule_count();

	CHECK_EQ(nf_parse_rules(spec, err, sizeof(err)), -EINVAL);
	CHECK_STR(err, msg);
	CHECK_EQ(nf_rule_count(), before);	/* nothing half-added */
}

static void expect_format(unsigned int i, const char *want)
{
	char buf[128];

	CHECK(nf_rule_format(nf_rule_get(i), buf, sizeof(buf)) < (int)sizeof(buf));
	CHECK_STR(buf, want);
}

static void test_parse(void)
{
	nf_flush();
	CHECK_EQ(nf_parse_rules("drop:in:tcp:dport=23,drop:in:src=198.18.0.9/32", err,
				sizeof(err)), 0);
	CHECK_STR(err, "");
	CHECK_EQ(nf_rule_count(), 2);
	expect_format(0, "drop:in:tcp:dport=23");
	expect_format(1, "drop:in:src=198.18.0.9/32");

	CHECK_EQ(nf_parse_rules("accept:pre:udp:sport=1-1023:dport=7:dst=10.1.2.3/8:iif=eth0,"
				"drop:post:proto=47:oif=lo,accept:fwd:icmp,"
				"policy:fwd:drop,drop:out", err, sizeof(err)), 0);
	CHECK_EQ(nf_rule_count(), 6);
	expect_format(2, "accept:pre:udp:dst=10.0.0.0/8:sport=1-1023:dport=7:iif=eth0");
	expect_format(3, "drop:post:proto=47:oif=lo");
	expect_format(4, "accept:fwd:icmp");
	expect_format(5, "drop:out");
	CHECK_EQ(nf_chain_get(NF_INET_FORWARD)->policy, NF_DROP);
	CHECK_EQ(nf_chain_get(NF_INET_LOCAL_IN)->policy, NF_ACCEPT);
	CHECK(nf_chain_get(NF_INET_NUMHOOKS) == NULL);
	CHECK(nf_rule_get(6) == NULL);

	expect_bad("", "item 1 '': empty item ''");
	expect_bad("drop:in,", "trailing ',' in 'drop:in,'");
	expect_bad("drop:in,,drop:in", "item 2 '': empty item ''");
	expect_bad("drop:inn", "item 1 'drop:inn': unknown chain 'inn'");
	expect_bad("drop", "item 1 'drop': unknown chain ''");
	expect_bad("reject:in", "item 1 'reject:in': unknown verdict 'reject'");
	expect_bad("drop:in:tcp:dprot=23", "item 1 'drop:in:tcp:dprot=23': unknown match 'dprot=23'");
	expect_bad("drop:in:tcp:", "item 1 'drop:in:tcp:': trailing ':' in 'drop:in:tcp:'");
	expect_bad("drop:in:bogus", "item 1 'drop:in:bogus': unknown match 'bogus'");
	expect_bad("drop:in:tcp:dport=0", "item 1 'drop:in:tcp:dport=0': bad value in 'dport=0'");
	expect_bad("drop:in:tcp:dport=70000", "item 1 'drop:in:tcp:dport=70000': bad value in 'dport=70000'");
	expect_bad("drop:in:tcp:dport=30-20", "item 1 'drop:in:tcp:dport=30-20': bad value in 'dport=30-20'");
	expect_bad("drop:in:tcp:dport=2x", "item 1 'drop:in:tcp:dport=2x': bad value in 'dport=2x'");
	expect_bad("drop:in:dport=23", "item 1 'drop:in:dport=23': port test without tcp or udp in 'drop:in:dport=23'");
	expect_bad("drop:in:icmp:dport=23", "item 1 'drop:in:icmp:dport=23': port test without tcp or udp in 'drop:in:icmp:dport=23'");
	expect_bad("drop:in:tcp:udp", "item 1 'drop:in:tcp:udp': repeated test 'udp'");
	expect_bad("drop:in:src=1.2.3.4/33", "item 1 'drop:in:src=1.2.3.4/33': bad value in 'src=1.2.3.4/33'");
	expect_bad("drop:in:src=1.2.3", "item 1 'drop:in:src=1.2.3': bad value in 'src=1.2.3'");
	expect_bad("drop:in:src=1.2.3.4.", "item 1 'drop:in:src=1.2.3.4.': bad value in 'src=1.2.3.4.'");
	expect_bad("drop:in:src=1.2.3.256", "item 1 'drop:in:src=1.2.3.256': bad value in 'src=1.2.3.256'");
	expect_bad("drop:in:src=1.2.3.4/", "item 1 'drop:in:src=1.2.3.4/': bad value in 'src=1.2.3.4/'");
	expect_bad("drop:in:proto=256", "item 1 'drop:in:proto=256': bad value in 'proto=256'");
	expect_bad("drop:in:iif=", "item 1 'drop:in:iif=': bad value in 'iif='");
	expect_bad("drop:in:iif=abcdefghijklmnop", "item 1 'drop:in:iif=abcdefghijklmnop': bad value in 'iif=abcdefghijklmnop'");
	expect_bad("policy:in:reject", "item 1 'policy:in:reject': policy needs accept or drop, got 'reject'");
	expect_bad("policy:in", "item 1 'policy:in': policy needs accept or drop, got ''");
	expect_bad("drop:in:tcp,drop:in:udp,drop:in:nope",
		   "item 3 'drop:in:nope': unknown match 'nope'");

	/* The table has a fixed size. */
	nf_flush();
	for (unsigned int i = 0; i < NF_MAX_RULES; i++)
		CHECK_EQ(nf_parse_rules("drop:in:icmp", err, sizeof(err)), 0);
	expect_bad("drop:in:tcp", "item 1 'drop:in:tcp': too many rules at 'drop:in:tcp'");
	struct nf_rule r = { .hook = NF_INET_LOCAL_IN };
	CHECK_EQ(nf_rule_add(&r), -ENOSPC);
	r.hook = NF_INET_NUMHOOKS;
	CHECK_EQ(nf_rule_add(&r), -EINVAL);
	CHECK_EQ(nf_set_policy(NF_INET_NUMHOOKS, NF_DROP), -EINVAL);
	CHECK_EQ(nf_set_policy(NF_INET_LOCAL_IN, 7), -EINVAL);
	nf_flush();
	CHECK_EQ(nf_rule_count(), 0);
}

/* An IPv4 packet (with an 8-byte L4 header) at skb->data. */
static struct sk_buff *ip_packet(uint8_t proto, uint32_t src, uint32_t dst,
				 uint16_t sport, uint16_t dport, uint16_t frag_off)
{
	struct sk_buff *skb = alloc_skb(128);
	uint8_t *h = skb_put_zero(skb, 28);

	h[0] = 0x45;
	put_be16(h + 2, 28);
	put_be16(h + 6, frag_off);
	h[8] = 64;
	h[9] = proto;
	put_be32(h + 12, src);
	put_be32(h + 16, dst);
	put_be16(h + 20, sport);
	put_be16(h + 22, dport);
	return skb;
}

static unsigned int delivered;

static int okfn(struct sk_buff *skb)
{
	delivered++;
	kfree_skb(skb);
	return 0;
}

/* Runs skb through hook; 1 if it reached okfn, 0 if dropped. */
static int hook(unsigned int h, struct sk_buff *skb, struct net_device *in,
		struct net_device *out)
{
	unsigned int before = delivered;
	int rc = NF_HOOK(NFPROTO_IPV4, h, skb, in, out, okfn);

	CHECK_EQ(rc, delivered > before ? 0 : -EPERM);
	return (int)(delivered - before);
}

static void test_match(void)
{
	struct fake_dev *fd = fake_dev_create(1);
	struct net_device *eth = fd->dev;
	const uint32_t bad_host = 0xc6120009, peer = 0xc6120001, me = 0xc6120002;
	struct sk_buff *skb;

	nf_flush();
	CHECK(!nf_hook_active(NF_INET_LOCAL_IN));
	CHECK_EQ(nf_parse_rules("drop:in:tcp:dport=23,drop:in:src=198.18.0.9/32,"
				"accept:in:udp:dport=7-9:iif=eth0,drop:in:udp,"
				"drop:pre:iif=lo", err, sizeof(err)), 0);
	CHECK(nf_hook_active(NF_INET_LOCAL_IN));
	CHECK(!nf_hook_active(NF_INET_FORWARD));

	CHECK_EQ(hook(NF_INET_LOCAL_IN, ip_packet(6, peer, me, 4000, 23, 0), eth, NULL), 0);
	CHECK_EQ(hook(NF_INET_LOCAL_IN, ip_packet(6, peer, me, 4000, 80, 0), eth, NULL), 1);
	CHECK_EQ(hook(NF_INET_LOCAL_IN, ip_packet(1, bad_host, me, 0, 0, 0), eth, NULL), 0);
	CHECK_EQ(hook(NF_INET_LOCAL_IN, ip_packet(17, peer, me, 5, 8, 0), eth, NULL), 1);
	CHECK_EQ(hook(NF_INET_LOCAL_IN, ip_packet(17, peer, me, 5, 8, 0), NULL, NULL), 0);
	CHECK_EQ(hook(NF_INET_LOCAL_IN, ip_packet(17, peer, me, 5, 53, 0), eth, NULL), 0);
	/* A non-first fragment has no ports: the dport rule cannot match. */
	CHECK_EQ(hook(NF_INET_LOCAL_IN, ip_packet(6, peer, me, 4000, 23, 0x0010), eth, NULL), 1);
	/* Hooks are independent: the same packet passes PRE_ROUTING. */
	CHECK_EQ(hook(NF_INET_PRE_ROUTING, ip_packet(6, peer, me, 4000, 23, 0), eth, NULL), 1);

	CHECK_EQ(nf_rule_get(0)->packets, 1);
	CHECK_EQ(nf_rule_get(0)->bytes, 28);
	CHECK_EQ(nf_rule_get(1)->packets, 1);
	CHECK_EQ(nf_rule_get(2)->packets, 1);
	CHECK_EQ(nf_rule_get(3)->packets, 2);
	CHECK_EQ(nf_chain_get(NF_INET_LOCAL_IN)->policy_packets, 2);
	CHECK_EQ(nf_chain_get(NF_INET_PRE_ROUTING)->policy_packets, 1);
	CHECK_EQ(nf_get_stats()->dropped[NF_INET_LOCAL_IN], 4);

	/* Garbage: only device-only rules can match it. */
	skb = alloc_skb(64);
	memset(skb_put(skb, 10), 0x45, 10);
	CHECK_EQ(hook(NF_INET_LOCAL_IN, skb, eth, NULL), 1);
	skb = ip_packet(6, peer, me, 1, 23, 0);
	skb->data[0] = 0x4f;			/* ihl 60 > length */
	CHECK_EQ(hook(NF_INET_LOCAL_IN, skb, eth, NULL), 1);
	skb = ip_packet(6, peer, me, 1, 23, 0);
	put_be16(skb->data + 2, 22);		/* total length cuts the ports */
	CHECK_EQ(hook(NF_INET_LOCAL_IN, skb, eth, NULL), 1);
	CHECK_EQ(nf_get_stats()->unparsed, 2);
	skb = alloc_skb(64);
	skb_put_zero(skb, 3);
	CHECK_EQ(hook(NF_INET_PRE_ROUTING, skb, eth, NULL), 1);
	skb = alloc_skb(64);
	skb_put_zero(skb, 3);
	CHECK_EQ(hook(NF_INET_PRE_ROUTING, skb, NULL, NULL), 1);

	/* A drop policy. */
	CHECK_EQ(nf_parse_rules("policy:out:drop,accept:out:dst=198.18.0.0/15", err, sizeof(err)), 0);
	CHECK_EQ(hook(NF_INET_LOCAL_OUT, ip_packet(17, me, peer, 1, 2, 0), NULL, eth), 1);
	CHECK_EQ(hook(NF_INET_LOCAL_OUT, ip_packet(17, me, 0x08080808, 1, 2, 0), NULL, eth), 0);
	CHECK_EQ(nf_chain_get(NF_INET_LOCAL_OUT)->policy_packets, 1);

	/* Only IPv4 is filtered; nf_hook_slow leaves the skb to its caller. */
	skb = ip_packet(17, me, 1, 1, 2, 0);
	CHECK_EQ(nf_hook_slow(10, NF_INET_LOCAL_OUT, skb, NULL, eth), NF_ACCEPT);
	CHECK_EQ(nf_hook_slow(NFPROTO_IPV4, NF_INET_LOCAL_OUT, skb, NULL, eth), NF_DROP);
	kfree_skb(skb);
	nf_flush();
	fake_dev_destroy(fd);
}

int main(void)
{
	struct skb_accounting base;

	net_dev_init();
	kfree_skb(alloc_skb(1));
	base = *skb_accounting();
	test_parse();
	test_match();
	CHECK_EQ(skb_accounting()->skbs_alive, base.skbs_alive);
	return check_report();
}
