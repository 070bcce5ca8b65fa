/*
 * Fuzz target: raw frames into net/core's receive path.
 *
 * Each input is one frame.  The first byte picks the way in (a NAPI poll
 * on a fake NIC, netif_rx on the backlog, or a transmit on loopback that
 * comes back through NET_RX); the rest is the frame.  Registered: the pcap
 * tap (writing to a sink that discards), and an IPv4 handler that runs the
 * frame through NF_HOOK(PRE_ROUTING) with a rule set exercising every
 * match, so the netfilter header reader sees hostile input.  After each
 * input the skb accounting must be back at its baseline.
 *
 * Built with libFuzzer when the compiler is clang (tests/fuzz/meson.build),
 * otherwise linked with replay_main.c, which runs files or a fixed number
 * of pseudo-random inputs as a host test.
 */
#include <stdint.h>
#include <stdlib.h>

#include "drivers/net/loopback.h"
#include "net/core/byteorder.h"
#include "net/core/netdevice.h"
#include "net/core/netfilter.h"
#include "net/core/pcap.h"
#include "net/ethernet/eth.h"
#include "tests/host/net_fake_dev.h"
#include "tests/host/net_platform_host.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct fake_dev *nic;
static struct skb_accounting base;

static void discard(void *ctx, const void *buf, size_t len)
{
	(void)ctx;
	(void)buf;
	(void)len;
}

static int ip_okfn(struct sk_buff *skb)
{
	kfree_skb(skb);
	return 0;
}

static int ip_rcv_stub(struct sk_buff *skb, struct net_device *dev,
		       struct packet_type *pt, struct net_device *orig)
{
	(void)pt;
	(void)orig;
	return NF_HOOK(NFPROTO_IPV4, NF_INET_PRE_ROUTING, skb, dev, NULL, ip_okfn);
}

static struct packet_type ip_pt = { .func = ip_rcv_stub };

static void setup(void)
{
	char err[128];

	host_log_level(0);
	net_dev_init();
	if (loopback_init())
		abort();
	nic = fake_dev_create(1);
	if (!nic)
		abort();
	ip_pt.type = htons(ETH_P_IP);
	dev_add_pack(&ip_pt);
	if (pcap_start(discard, NULL, 128))
		abort();
	if (nf_parse_rules("drop:pre:tcp:dport=23-25,accept:pre:udp:sport=53:iif=eth0,"
			   "drop:pre:src=10.0.0.0/8,drop:pre:dst=192.168.1.1/32,"
			   "drop:pre:proto=47,policy:pre:accept", err, sizeof(err)))
		abort();
	kfree_skb(alloc_skb(1));
	base = *skb_accounting();
}

static void inject_tx_loopback(const uint8_t *frame, size_t len)
{
	struct sk_buff *skb = alloc_skb(MAX_HEADER + (unsigned int)len);

	if (!skb)
		return;
	skb_reserve(skb, MAX_HEADER);
	skb_put_data(skb, frame, (unsigned int)len);
	skb->dev = loopback_dev;
	skb->priority = len ? frame[0] : 0;
	dev_queue_xmit(skb);
}

static void inject_netif_rx(const uint8_t *frame, size_t len)
{
	struct sk_buff *skb = netdev_alloc_skb(nic->dev, (unsigned int)len);

	if (!skb)
		return;
	skb_put_data(skb, frame, (unsigned int)len);
	skb->protocol = eth_type_trans(skb, nic->dev);
	netif_rx(skb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	const struct skb_accounting *a;

	if (!ready) {
		setup();
		ready = true;
	}
	if (size < 1 || size > 70000)
		return 0;
	switch (data[0] % 3) {
	case 0:
		fake_dev_inject(nic, data + 1, size - 1);
		fake_dev_irq(nic);
		break;
	case 1:
		inject_netif_rx(data + 1, size - 1);
		break;
	default:
		inject_tx_loopback(data + 1, size - 1);
		break;
	}
	host_run_softirqs(0);
	if (fake_dev_pop_tx(nic))
		abort();	/* nothing here ever sends on the NIC */
	a = skb_accounting();
	if (a->skbs_alive != base.skbs_alive || a->data_bytes != base.data_bytes)
		abort();
	return 0;
}
