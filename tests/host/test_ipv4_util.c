/*
 * Shared helpers for the IPv4/ARP/ICMP host tests (test_ipv4_util.h).
 */
#include "tests/host/test_ipv4_util.h"

#include <stdlib.h>
#include <string.h>

#include "drivers/net/loopback.h"
#include "net/core/byteorder.h"
#include "net/core/checksum.h"
#include "net/ethernet/eth.h"
#include "net/ipv4/af_inet.h"
#include "net/ipv4/devinet.h"
#include "net/ipv4/fib.h"
#include "tests/host/check.h"
#include "tests/host/net_platform_host.h"

const uint8_t ipt_our_mac[6] = { 0x02, 0, 0, 0, 0, 0x01 };
const uint8_t ipt_peer_mac[6] = { 0x02, 0, 0, 0, 0, 0x99 };
const uint8_t ipt_bcast_mac[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static bool ipt_core_ready;
static struct skb_accounting ipt_skb_base;
static struct host_alloc_stats ipt_alloc_base;

void ipt_setup(struct ipt_env *env, uint32_t addr, unsigned int plen, uint32_t gw)
{
	if (!ipt_core_ready) {
		net_dev_init();
		ipt_core_ready = true;
	}
	host_platform_reset();
	ipt_skb_base = *skb_accounting();
	host_alloc_stats(&ipt_alloc_base);
	CHECK_EQ(loopback_init(), 0);
	env->eth = fake_dev_create(1);
	CHECK(env->eth != NULL);
	CHECK_EQ(inet_init(), 0);
	env->addr = addr;
	if (addr)
		CHECK_EQ(inet_addr_add(env->eth->dev, addr, plen), 0);
	if (gw) {
		struct fib_config cfg = { .gw = gw, .proto = RTPROT_BOOT };

		CHECK_EQ(fib_table_insert(&cfg), 0);
	}
	host_run_softirqs(0);
	ipt_drain(env);		/* the gratuitous ARP */
}

void ipt_teardown(struct ipt_env *env)
{
	struct host_alloc_stats st;
	const struct skb_accounting *a;

	host_run_softirqs(0);
	ipt_drain(env);
	inet_exit();
	fake_dev_destroy(env->eth);
	loopback_exit();
	host_run_softirqs(0);
	a = skb_accounting();
	CHECK_EQ(a->skbs_alive, ipt_skb_base.skbs_alive);
	CHECK_EQ(a->data_alive, ipt_skb_base.data_alive);
	host_alloc_stats(&st);
	CHECK_EQ(st.alloc_alive, ipt_alloc_base.alloc_alive);
	CHECK_EQ(st.cache_alive, ipt_alloc_base.cache_alive);
	CHECK_EQ(st.timers_pending, 0);
	host_platform_reset();
}

void ipt_inject(struct ipt_env *env, const uint8_t *dst_mac, uint16_t ethertype,
		const void *payload, size_t len)
{
	uint8_t *frame = malloc(ETH_HLEN + len);

	fake_frame(frame, dst_mac, ipt_peer_mac, ethertype, payload, len);
	fake_dev_inject(env->eth, frame, ETH_HLEN + len);
	free(frame);
	fake_dev_irq(env->eth);
	host_run_softirqs(0);
}

void ipt_inject_ip(struct ipt_env *env, const void *pkt, size_t len)
{
	ipt_inject(env, ipt_our_mac, ETH_P_IP, pkt, len);
}

void ipt_inject_arp(struct ipt_env *env, const struct arp_info *a, const uint8_t *dst_mac)
{
	uint8_t buf[ARP_PKT_LEN];

	arp_emit(a, buf);
	ipt_inject(env, dst_mac, ETH_P_ARP, buf, sizeof(buf));
}

size_t ipt_build_ip(uint8_t *buf, struct ip4_hdr_info h, const void *payload, size_t plen)
{
	h.tot_len = (uint16_t)(IP_HDR_LEN + plen);
	if (!h.ttl)
		h.ttl = 64;
	ip4_emit(&h, buf);
	memcpy(buf + IP_HDR_LEN, payload, plen);
	return IP_HDR_LEN + plen;
}

size_t ipt_build_echo(uint8_t *buf, uint16_t id, uint16_t seq, size_t plen)
{
	struct icmp_msg {
		uint8_t type, code;
		uint16_t csum;
		uint16_t id, seq;
	} __attribute__((packed)) *m = (void *)buf;
	uint32_t sum;

	m->type = 8;
	m->code = 0;
	m->csum = 0;
	put_be16(&m->id, id);
	put_be16(&m->seq, seq);
	for (size_t i = 0; i < plen; i++)
		buf[8 + i] = (uint8_t)(i * 7);
	sum = csum_partial(buf, 8 + plen, 0);
	m->csum = csum_fold(sum);
	return 8 + plen;
}

struct sk_buff *ipt_pop(struct ipt_env *env)
{
	return fake_dev_pop_tx(env->eth);
}

unsigned int ipt_tx_count(struct ipt_env *env)
{
	return skb_queue_len(&env->eth->tx);
}

unsigned int ipt_drain(struct ipt_env *env)
{
	unsigned int n = 0;
	struct sk_buff *skb;

	while ((skb = ipt_pop(env)) != NULL) {
		kfree_skb(skb);
		n++;
	}
	return n;
}

bool ipt_frame_arp(const struct sk_buff *skb, struct arp_info *a)
{
	if (skb->len < ETH_HLEN || get_be16(skb->data + 12) != ETH_P_ARP)
		return false;
	return arp_parse(skb->data + ETH_HLEN, skb->len - ETH_HLEN, a) == 0;
}

bool ipt_frame_ip(const struct sk_buff *skb, struct ip4_hdr_info *h, const uint8_t **payload)
{
	if (skb->len < ETH_HLEN || get_be16(skb->data + 12) != ETH_P_IP)
		return false;
	if (ip4_parse(skb->data + ETH_HLEN, skb->len - ETH_HLEN, h))
		return false;
	if (payload)
		*payload = skb->data + ETH_HLEN + h->hdr_len;
	return true;
}

void ipt_learn_peer(struct ipt_env *env, uint32_t peer_ip)
{
	struct arp_info a = { .op = ARPOP_REQUEST, .sip = peer_ip, .tip = env->addr };
	struct sk_buff *skb;

	memcpy(a.sha, ipt_peer_mac, 6);
	ipt_inject_arp(env, &a, ipt_bcast_mac);
	skb = ipt_pop(env);
	CHECK(skb != NULL);
	kfree_skb(skb);
}
