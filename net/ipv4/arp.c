/*
 * ARP: the neighbour table's protocol half for IPv4 over Ethernet (see
 * arp.h).  The state machine lives in net/core/neighbour.c; this file
 * builds and sends ARP packets, receives them, and sets up entries that
 * need no resolution (broadcast, multicast, devices without ARP).
 *
 * Context: softirq, or a thread with bottom halves disabled.
 */
#include "net/ipv4/arp.h"

#include "kernel/errno.h"
#include "net/core/byteorder.h"
#include "net/core/stats.h"
#include "net/ethernet/eth.h"
#include "net/ipv4/arp_wire.h"
#include "net/ipv4/devinet.h"
#include "net/ipv4/ip.h"

#define SEC_NS	1000000000ull

struct neigh_table arp_tbl;
struct arp_stats arp_statistics;

static const struct neigh_parms arp_parms = {
	.base_reachable_ns = 30 * SEC_NS,
	.retrans_ns = 1 * SEC_NS,
	.delay_probe_ns = 5 * SEC_NS,
	.gc_stale_ns = 60 * SEC_NS,
	.gc_interval_ns = 30 * SEC_NS,
	.ucast_probes = 3,
	.mcast_probes = 3,
	.unres_qlen_bytes = 212992,	/* room for a 64 KiB datagram's fragments */
	.gc_thresh = 1024,
};

int arp_send(uint16_t op, uint32_t dest_ip, struct net_device *dev, uint32_t src_ip,
	     const uint8_t *dest_hw, const uint8_t *target_hw)
{
	static const uint8_t zero_hw[ETH_ALEN];
	struct arp_info a = { .op = op, .sip = src_ip, .tip = dest_ip };
	struct sk_buff *skb = alloc_skb(MAX_HEADER + ARP_PKT_LEN);

	if (!skb) {
		arp_statistics.tx_nomem++;
		return -ENOMEM;
	}
	skb_reserve(skb, MAX_HEADER);
	ether_addr_copy(a.sha, dev->dev_addr);
	ether_addr_copy(a.tha, target_hw ? target_hw : zero_hw);
	arp_emit(&a, skb_put(skb, ARP_PKT_LEN));
	skb_reset_network_header(skb);
	skb->dev = dev;
	skb->protocol = htons(ETH_P_ARP);
	if (dev_hard_header(skb, dev, ETH_P_ARP, dest_hw, NULL, skb->len) < 0) {
		arp_statistics.tx_nomem++;
		kfree_skb(skb);
		return -EINVAL;
	}
	return dev_queue_xmit(skb);
}

/* Source address for a probe: the source of the packet waiting, if it is
 * ours, else the device's address for that subnet. */
static uint32_t arp_probe_saddr(const struct neighbour *n, const struct sk_buff *skb)
{
	if (skb && skb->network_header != SKB_HDR_UNSET) {
		uint32_t saddr = get_be32(&ip_hdr(skb)->saddr);

		if (inet_ifa_byaddr(saddr))
			return saddr;
	}
	return inet_select_addr(n->dev, n->key);
}

static void arp_solicit(struct neighbour *n, const struct sk_buff *skb)
{
	/* In PROBE the cached address is still valid: ask it directly. */
	const uint8_t *dest_hw = (n->nud_state & NUD_VALID) ? n->ha : NULL;

	arp_statistics.tx_requests++;
	arp_send(ARPOP_REQUEST, n->key, n->dev, arp_probe_saddr(n, skb), dest_hw, NULL);
}

static int arp_hard_header(struct sk_buff *skb, struct net_device *dev, const uint8_t *ha)
{
	int ret = dev_hard_header(skb, dev, ETH_P_IP, ha, NULL, skb->len);

	return ret < 0 ? ret : 0;
}

/* RFC 1112 6.4: a group address maps to 01-00-5E plus its low 23 bits. */
static void arp_mc_map(uint32_t addr, uint8_t *ha)
{
	ha[0] = 0x01;
	ha[1] = 0x00;
	ha[2] = 0x5e;
	ha[3] = (uint8_t)((addr >> 16) & 0x7f);
	ha[4] = (uint8_t)(addr >> 8);
	ha[5] = (uint8_t)addr;
}

static void arp_constructor(struct neighbour *n)
{
	struct net_device *dev = n->dev;

	if (dev->flags & (IFF_NOARP | IFF_LOOPBACK)) {
		n->nud_state = NUD_NOARP;
		memcpy(n->ha, dev->dev_addr, sizeof(n->ha));
	} else if (inet_addr_bcast(dev, n->key)) {
		n->nud_state = NUD_NOARP;
		memcpy(n->ha, dev->broadcast, sizeof(n->ha));
	} else if (ipv4_is_multicast(n->key)) {
		n->nud_state = NUD_NOARP;
		arp_mc_map(n->key, n->ha);
	}
}

static const struct neigh_ops arp_neigh_ops = {
	.solicit = arp_solicit,
	.hard_header = arp_hard_header,
	.constructor = arp_constructor,
	.queue_xmit = dev_queue_xmit,
};

struct neighbour *arp_neigh_lookup(uint32_t nexthop, struct net_device *dev)
{
	return neigh_lookup_or_create(&arp_tbl, nexthop, dev);
}

static void arp_gratuitous(struct net_device *dev, uint32_t addr)
{
	if (!netif_running(dev) || (dev->flags & (IFF_NOARP | IFF_LOOPBACK)))
		return;
	/* RFC 5227 3: an announcement is a request with sender and target
	 * IP both the announced address. */
	arp_statistics.tx_gratuitous++;
	arp_send(ARPOP_REQUEST, addr, dev, addr, NULL, NULL);
}

static void arp_announce_dev(struct net_device *dev)
{
	const struct in_device *idev = in_dev_get(dev);

	if (!idev)
		return;
	for (const struct in_ifaddr *ifa = idev->ifa_list; ifa; ifa = ifa->next)
		arp_gratuitous(dev, ifa->local);
}

/* RFC 826 / RFC 1122 2.3.2.1: addresses no host may claim. */
static bool arp_martian(const struct arp_info *a)
{
	return ipv4_is_multicast(a->sip) || ipv4_is_lbcast(a->sip) ||
	       ipv4_is_loopback(a->sip) || ipv4_is_multicast(a->tip) ||
	       ipv4_is_loopback(a->tip) || !is_valid_ether_addr(a->sha);
}

static bool arp_parse_skb(struct sk_buff *skb, struct arp_info *a)
{
	switch (arp_parse(skb->data, skb->len, a)) {
	case 0:
		return true;
	case -ARP_ERR_TRUNCATED:
		arp_statistics.drop_truncated++;
		return false;
	case -ARP_ERR_FORMAT:
		arp_statistics.drop_format++;
		return false;
	default:
		arp_statistics.drop_op++;
		return false;
	}
}

/* A request for one of our addresses: learn the sender (unless it is a
 * probe from 0.0.0.0, RFC 5227 2.1.1) and answer. */
static void arp_process_request(const struct arp_info *a, struct net_device *dev)
{
	arp_statistics.rx_requests++;
	if (a->sip != INADDR_ANY)
		neigh_event_ns(&arp_tbl, a->sha, a->sip, dev);
	arp_statistics.tx_replies++;
	arp_send(ARPOP_REPLY, a->sip, dev, a->tip, a->sha, a->sha);
}

/* RFC 826: "If the pair <protocol type, sender protocol address> is
 * already in my translation table, update the sender hardware address
 * field of the entry with the new information in the packet."  A reply
 * unicast to us confirms reachability; anything else only refreshes. */
static void arp_process_update(const struct arp_info *a, struct sk_buff *skb,
			       struct net_device *dev)
{
	struct neighbour *n = neigh_lookup(&arp_tbl, a->sip, dev);
	uint8_t state = NUD_STALE;

	if (!n)
		return;
	if (a->op == ARPOP_REPLY && skb->pkt_type == PACKET_HOST)
		state = NUD_REACHABLE;
	neigh_update(n, a->sha, state, NEIGH_UPDATE_F_OVERRIDE);
}

static bool arp_tip_is_ours(uint32_t tip)
{
	return !ipv4_is_loopback(tip) && inet_ifa_byaddr(tip) != NULL;
}

int arp_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
	    struct net_device *orig_dev)
{
	struct arp_info a;

	(void)pt;
	(void)orig_dev;
	arp_statistics.rx++;
	if (dev->flags & IFF_NOARP) {
		arp_statistics.drop_noarp++;
		goto drop;
	}
	if (skb->pkt_type == PACKET_OTHERHOST) {
		arp_statistics.drop_otherhost++;
		goto drop;
	}
	if (!arp_parse_skb(skb, &a))
		goto drop;
	if (arp_martian(&a)) {
		arp_statistics.drop_martian++;
		goto drop;
	}
	if (inet_ifa_byaddr(a.sip) && !ether_addr_equal(a.sha, dev->dev_addr))
		arp_statistics.addr_conflicts++;
	if (a.op == ARPOP_REQUEST && arp_tip_is_ours(a.tip)) {
		arp_process_request(&a, dev);
	} else {
		if (a.op == ARPOP_REPLY)
			arp_statistics.rx_replies++;
		else
			arp_statistics.rx_other++;
		arp_process_update(&a, skb, dev);
	}
	consume_skb(skb);
	return NET_RX_SUCCESS;
drop:
	kfree_skb(skb);
	return NET_RX_DROP;
}

static int arp_inetaddr_event(struct notifier_block *nb, unsigned long event, void *data)
{
	const struct in_ifaddr *ifa = data;

	(void)nb;
	if (event == INETADDR_UP)
		arp_gratuitous(ifa->idev->dev, ifa->local);
	return NOTIFY_DONE;
}

static int arp_netdev_event(struct notifier_block *nb, unsigned long event, void *data)
{
	struct net_device *dev = data;

	(void)nb;
	switch (event) {
	case NETDEV_CHANGEADDR:
		neigh_ifdown(&arp_tbl, dev);
		arp_announce_dev(dev);
		break;
	case NETDEV_CHANGE:
		if (netif_carrier_ok(dev))
			arp_announce_dev(dev);
		break;
	case NETDEV_UP:
		arp_announce_dev(dev);
		break;
	case NETDEV_DOWN:
	case NETDEV_UNREGISTER:
		neigh_ifdown(&arp_tbl, dev);
		break;
	default:
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block arp_inetaddr_notifier = {
	.notifier_call = arp_inetaddr_event,
};

static struct notifier_block arp_netdev_notifier = {
	.notifier_call = arp_netdev_event,
};

static struct packet_type arp_packet_type = {
	.func = arp_rcv,
};

#define ARP_STATS_NAME(name) #name,
static const char *const arp_stats_names[] = { ARP_STATS_LIST(ARP_STATS_NAME) };
_Static_assert(sizeof(arp_stats_names) / sizeof(arp_stats_names[0]) ==
	       sizeof(struct arp_stats) / sizeof(uint64_t), "one name per ARP counter");
static struct mib arp_mib_entry = MIB_INIT("Arp", arp_stats_names, &arp_statistics);
static struct mib arp_cache_mib_entry = MIB_INIT("ArpCache", neigh_stats_names, &arp_tbl.stats);

int arp_init(void)
{
	int err;

	memset(&arp_statistics, 0, sizeof(arp_statistics));
	neigh_table_init(&arp_tbl, &arp_neigh_ops, &arp_parms);
	err = register_inetaddr_notifier(&arp_inetaddr_notifier);
	if (err)
		goto err_tbl;
	err = register_netdevice_notifier(&arp_netdev_notifier);
	if (err)
		goto err_inetaddr;
	arp_packet_type.type = htons(ETH_P_ARP);
	dev_add_pack(&arp_packet_type);
	mib_register(&arp_mib_entry);
	mib_register(&arp_cache_mib_entry);
	return 0;

err_inetaddr:
	unregister_inetaddr_notifier(&arp_inetaddr_notifier);
err_tbl:
	neigh_table_clear(&arp_tbl);
	return err;
}

void arp_exit(void)
{
	mib_unregister(&arp_cache_mib_entry);
	mib_unregister(&arp_mib_entry);
	dev_remove_pack(&arp_packet_type);
	unregister_netdevice_notifier(&arp_netdev_notifier);
	unregister_inetaddr_notifier(&arp_inetaddr_notifier);
	neigh_table_clear(&arp_tbl);
}
