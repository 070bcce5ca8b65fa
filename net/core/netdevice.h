/*
 * net_device: the device-independent face of a network interface, and the
 * core's receive and transmit entry points (dev.c, napi.c, sch_generic.c).
 *
 * A driver: dev = alloc_etherdev(sizeof(struct my_priv)); fills dev->netdev_ops
 * (a const table), dev_addr, mtu; netif_napi_add(dev, &priv->napi, poll,
 * NAPI_POLL_WEIGHT); register_netdev(dev).  Its hard IRQ handler masks the
 * device's interrupts and calls napi_schedule; its poll builds skbs, calls
 * eth_type_trans and netif_receive_skb (at most budget of them), reclaims TX
 * descriptors (netif_wake_queue when it stopped the queue), and when it did
 * less than budget calls napi_complete_done and re-arms its interrupts.
 * Drivers count rx/tx packets and bytes and their own errors in dev->stats;
 * the core counts what it drops (rx_nohandler, rx_dropped, tx_dropped) and
 * multicast.
 *
 * A protocol: dev_add_pack(&packet_type{ .type = htons(ETH_P_IP), .func })
 * to receive; dev_queue_xmit(skb) with skb->dev set and the link header
 * built (dev_hard_header) to send; a notifier on the netdev chain for
 * NETDEV_UP/DOWN/CHANGE/CHANGEADDR/REGISTER/UNREGISTER.
 *
 * Ownership: every function here that takes an skb consumes it (skbuff.h),
 * except ndo_start_xmit returning NETDEV_TX_BUSY: then the driver did not
 * take the skb and the core requeues it.
 *
 * Context: napi_schedule from any context, hard IRQ included (it and the
 * NAPI poll list are guarded by net_irq_save); everything else, including
 * netif_rx, netif_wake_queue and carrier changes, in softirq or with bottom
 * halves disabled (drivers reclaim TX and read link state in their NAPI
 * poll).  One CPU: all per-CPU state is in softnet_data.
 */
#ifndef SYNACK_NET_CORE_NETDEVICE_H
#define SYNACK_NET_CORE_NETDEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/core/notifier.h"
#include "net/core/skbuff.h"

struct Qdisc;
struct net_device;

#define IFNAMSIZ	16
#define MAX_ADDR_LEN	6	/* Ethernet only */

/* dev->type (ARP hardware types). */
#define ARPHRD_ETHER	1
#define ARPHRD_LOOPBACK	772

/* dev->flags (user-visible interface flags, Linux values). */
#define IFF_UP		0x1
#define IFF_BROADCAST	0x2
#define IFF_LOOPBACK	0x8
#define IFF_NOARP	0x80
#define IFF_PROMISC	0x100
#define IFF_ALLMULTI	0x200
#define IFF_MULTICAST	0x1000
#define IFF_RUNNING	0x40	/* up and carrier present (read-only: core keeps it) */

/* dev->priv_flags. */
#define IFF_NO_QUEUE	0x1	/* no qdisc: dev_queue_xmit calls the driver directly */

/*
 * dev->features: offloads the device does on transmit and receive.  The
 * core never hands a device what it cannot do: dev_queue_xmit completes a
 * CHECKSUM_PARTIAL checksum in software for a device without a checksum
 * feature, drops (tx_dropped) a GSO skb for one without NETIF_F_TSO,
 * which TCP never builds (it asks the route's device first), and makes a
 * linear copy of a nonlinear skb (skbuff.h) for one without NETIF_F_SG.
 */
#define NETIF_F_IP_CSUM	0x1	/* TX: TCP/UDP over IPv4 checksums (CHECKSUM_PARTIAL) */
#define NETIF_F_HW_CSUM	0x2	/* TX: any checksum at csum_start/csum_offset */
#define NETIF_F_TSO	0x4	/* TX: TCP over IPv4 segmentation (gso_size), with checksums */
#define NETIF_F_RXCSUM	0x8	/* RX: the device verifies TCP/UDP checksums */
#define NETIF_F_SG	0x10	/* TX: nonlinear skbs (the frag list in place) */
#define NETIF_F_CSUM_MASK	(NETIF_F_IP_CSUM | NETIF_F_HW_CSUM)

/* ndo_start_xmit results. */
enum netdev_tx {
	NETDEV_TX_OK = 0,	/* skb taken (sent, or dropped and counted) */
	NETDEV_TX_BUSY = 0x10,	/* ring full: skb NOT taken; stop the queue first */
};

/* netif_receive_skb / netif_rx results. */
#define NET_RX_SUCCESS	0
#define NET_RX_DROP	1

/* Per-device counters; names follow Linux's rtnl_link_stats64. */
struct net_device_stats {
	uint64_t rx_packets;
	uint64_t tx_packets;
	uint64_t rx_bytes;
	uint64_t tx_bytes;
	uint64_t rx_errors;
	uint64_t tx_errors;
	uint64_t rx_dropped;		/* core: device down, backlog full, no memory */
	uint64_t tx_dropped;		/* core: device down, qdisc full, noqueue busy */
	uint64_t multicast;		/* core: multicast frames received */
	uint64_t collisions;
	uint64_t rx_length_errors;	/* runts, giants */
	uint64_t rx_over_errors;	/* RX ring overrun: no free descriptor */
	uint64_t rx_crc_errors;
	uint64_t rx_frame_errors;
	uint64_t rx_fifo_errors;
	uint64_t rx_missed_errors;	/* device-reported missed packets */
	uint64_t tx_aborted_errors;
	uint64_t tx_carrier_errors;
	uint64_t tx_fifo_errors;
	uint64_t rx_nohandler;		/* core: no protocol for the ethertype */
	/* Offloads in use (not in Linux's struct; ethtool -S names). */
	uint64_t tx_csum_offload;	/* core: CHECKSUM_PARTIAL handed to the device */
	uint64_t tx_gso_packets;	/* core: GSO skbs handed to the device */
	uint64_t rx_csum_offload;	/* driver: checksum verified by the device */
	uint64_t rx_csum_hw_bad;	/* driver: device saw a bad checksum (software checks again) */
};

struct net_device_ops {
	int (*ndo_open)(struct net_device *dev);	/* 0 or -errno */
	int (*ndo_stop)(struct net_device *dev);
	enum netdev_tx (*ndo_start_xmit)(struct sk_buff *skb, struct net_device *dev);
	void (*ndo_set_rx_mode)(struct net_device *dev);	/* flags/mc list changed */
	int (*ndo_set_mac_address)(struct net_device *dev, const uint8_t *addr);
	int (*ndo_change_mtu)(struct net_device *dev, unsigned int mtu);
	/* Folds device-held counters into dev->stats before they are read. */
	void (*ndo_get_stats)(struct net_device *dev);
};

/* Link-layer header construction (Ethernet: eth_header_ops). */
struct header_ops {
	/* Pushes the header; daddr/saddr NULL mean broadcast/dev address.
	 * Returns the header length, or -errno. */
	int (*create)(struct sk_buff *skb, struct net_device *dev, uint16_t type,
		      const uint8_t *daddr, const uint8_t *saddr, unsigned int len);
	/* Copies the source hardware address of a received frame; its length. */
	int (*parse)(const struct sk_buff *skb, uint8_t *haddr);
};

/* NAPI: one receive context polled from NET_RX. */
#define NAPI_POLL_WEIGHT	64

enum napi_state {
	NAPI_STATE_SCHED = 0x1,		/* on the poll list or being polled */
	NAPI_STATE_DISABLE = 0x2,	/* napi_schedule is refused */
};

struct napi_struct {
	struct napi_struct *poll_next;	/* softnet_data poll list */
	struct napi_struct *dev_next;	/* dev->napi_list */
	/* Processes at most budget packets, returns how many. */
	int (*poll)(struct napi_struct *napi, int budget);
	struct net_device *dev;
	int weight;
	unsigned int state;		/* enum napi_state bits */
};

/* Multicast addresses the device must accept (ndo_set_rx_mode reads it). */
#define NETDEV_MC_MAX	16

struct net_device {
	char name[IFNAMSIZ];
	int ifindex;			/* > 0, unique; assigned at register */
	unsigned int flags;		/* IFF_* */
	unsigned int priv_flags;	/* IFF_NO_QUEUE */
	unsigned int features;		/* NETIF_F_*: set by the driver before register */
	unsigned int mtu, min_mtu, max_mtu;
	uint16_t type;			/* ARPHRD_* */
	uint16_t hard_header_len;	/* link header the core pushes (ETH_HLEN) */
	uint16_t needed_headroom;	/* extra room the driver wants in front */
	uint8_t addr_len;
	uint8_t dev_addr[MAX_ADDR_LEN];
	uint8_t broadcast[MAX_ADDR_LEN];
	uint8_t mc_list[NETDEV_MC_MAX][MAX_ADDR_LEN];
	unsigned int mc_count;
	unsigned int tx_queue_len;	/* qdisc limit */

	const char *driver;		/* driver name for logs and stats ("e1000") */
	const struct net_device_ops *netdev_ops;
	const struct header_ops *header_ops;
	struct net_device_stats stats;

	void *ip_ptr;			/* owned by net/ipv4 (in_device) */

	/* Core-private from here on. */
	struct net_device *next;	/* dev_base list, registration order */
	struct napi_struct *napi_list;
	struct Qdisc *qdisc;		/* NULL: IFF_NO_QUEUE */
	struct net_device *tx_sched_next;	/* softnet_data output queue */
	bool registered;
	bool carrier;
	bool tx_stopped;		/* netif_stop_queue */
	bool tx_scheduled;		/* on the output queue */
	unsigned char priv[] __attribute__((aligned(16)));
};

static inline void *netdev_priv(struct net_device *dev)
{
	return dev->priv;
}

/* Allocation: a zeroed device with priv_size bytes of driver state; name may
 * contain "%d" (filled at register with the first free number). */
struct net_device *alloc_netdev(size_t priv_size, const char *name,
				void (*setup)(struct net_device *dev));
void free_netdev(struct net_device *dev);	/* only when unregistered */

/* Registration: 0 or -EEXIST (name taken) / -EINVAL / -ENOMEM.  Attaches
 * the default qdisc and sends NETDEV_REGISTER. */
int register_netdev(struct net_device *dev);
/* Closes the device if up, sends NETDEV_UNREGISTER, frees its queues. */
void unregister_netdev(struct net_device *dev);

struct net_device *dev_get_by_name(const char *name);
struct net_device *dev_get_by_index(int ifindex);
struct net_device *dev_first(void);	/* iterate: dev = dev->next */

/* Administrative state: IFF_UP, ndo_open/ndo_stop, NETDEV_UP/DOWN. */
int dev_open(struct net_device *dev);	/* 0 if already up, or -errno */
void dev_close(struct net_device *dev);
int dev_set_mtu(struct net_device *dev, unsigned int mtu);	/* NETDEV_CHANGEMTU */
int dev_set_mac_address(struct net_device *dev, const uint8_t *addr);	/* NETDEV_CHANGEADDR */
void dev_set_promiscuity(struct net_device *dev, bool on);	/* ndo_set_rx_mode */
/* 0, -EEXIST (already there), -ENOSPC. */
int dev_mc_add(struct net_device *dev, const uint8_t *addr);
int dev_mc_del(struct net_device *dev, const uint8_t *addr);	/* 0 or -ENOENT */
/* Folds driver counters (ndo_get_stats) and returns dev->stats. */
const struct net_device_stats *dev_get_stats(struct net_device *dev);

/* Carrier: drivers report link state; IFF_RUNNING follows UP && carrier,
 * and a change sends NETDEV_CHANGE. */
void netif_carrier_on(struct net_device *dev);
void netif_carrier_off(struct net_device *dev);

static inline bool netif_carrier_ok(const struct net_device *dev)
{
	return dev->carrier;
}

static inline bool netif_running(const struct net_device *dev)
{
	return dev->flags & IFF_UP;
}

/* Transmit queue flow control.  A driver stops the queue when its ring is
 * full and wakes it from TX reclaim; waking schedules NET_TX to drain the
 * qdisc. */
static inline void netif_stop_queue(struct net_device *dev)
{
	dev->tx_stopped = true;
}

static inline bool netif_queue_stopped(const struct net_device *dev)
{
	return dev->tx_stopped;
}

void netif_start_queue(struct net_device *dev);	/* in ndo_open: no softirq */
void netif_wake_queue(struct net_device *dev);
/* Puts dev on the NET_TX output queue (its qdisc has work). */
void netif_schedule_queue(struct net_device *dev);

/* Netdev notifier chain; data is the struct net_device *. */
enum netdev_event {
	NETDEV_UP = 1,
	NETDEV_DOWN,
	NETDEV_CHANGE,		/* carrier or flags */
	NETDEV_CHANGEADDR,
	NETDEV_CHANGEMTU,
	NETDEV_REGISTER,
	NETDEV_UNREGISTER,
};
int register_netdevice_notifier(struct notifier_block *nb);
int unregister_netdevice_notifier(struct notifier_block *nb);

/* Protocol handlers by ethertype; ETH_P_ALL taps see every frame (a clone,
 * both directions: TX copies have pkt_type PACKET_OUTGOING). */
#define ETH_P_ALL	0x0003

struct packet_type {
	uint16_t type;			/* network byte order: htons(ETH_P_IP) */
	struct net_device *dev;		/* NULL: any device */
	/* Consumes skb; data is at the network header (mac header set). */
	int (*func)(struct sk_buff *skb, struct net_device *dev,
		    struct packet_type *pt, struct net_device *orig_dev);
	void *priv;
	struct packet_type *next;	/* core-private */
};
void dev_add_pack(struct packet_type *pt);
void dev_remove_pack(struct packet_type *pt);

/* Receive. */
int netif_receive_skb(struct sk_buff *skb);	/* softirq: NET_RX_SUCCESS/DROP */
int netif_rx(struct sk_buff *skb);		/* any context: to the backlog */

void netif_napi_add(struct net_device *dev, struct napi_struct *napi,
		    int (*poll)(struct napi_struct *, int), int weight);
void netif_napi_del(struct napi_struct *napi);
void napi_enable(struct napi_struct *napi);
/* Takes napi off the poll list and refuses further schedules. */
void napi_disable(struct napi_struct *napi);
/* True if the caller won the right to schedule napi (it was idle). */
bool napi_schedule_prep(struct napi_struct *napi);
void __napi_schedule(struct napi_struct *napi);

static inline void napi_schedule(struct napi_struct *napi)
{
	if (napi_schedule_prep(napi))
		__napi_schedule(napi);
}

/* Called by poll when work_done < budget: napi leaves the poll list.
 * Returns true if the driver should now re-enable its interrupts. */
bool napi_complete_done(struct napi_struct *napi, int work_done);

/* Transmit: skb->dev set, link header built.  0, or -ENETDOWN / -ENOBUFS
 * (dropped and counted).  Consumes skb. */
int dev_queue_xmit(struct sk_buff *skb);
/* Fills in a CHECKSUM_PARTIAL skb's checksum in software (dev_queue_xmit,
 * for devices without a checksum feature); consumes skb, returns it
 * (possibly unshared) or NULL. */
struct sk_buff *skb_checksum_help(struct sk_buff *skb);
/* Builds the link header through dev->header_ops; length or -errno. */
int dev_hard_header(struct sk_buff *skb, struct net_device *dev, uint16_t type,
		    const uint8_t *daddr, const uint8_t *saddr, unsigned int len);

/* Per-CPU receive/transmit state (one instance: one CPU). */
#define NET_RX_BUDGET		300
#define NET_RX_TIME_LIMIT_NS	2000000ull
#define NETDEV_MAX_BACKLOG	1000

struct softnet_stat {
	uint64_t processed;		/* frames through netif_receive_skb */
	uint64_t dropped;		/* netif_rx: backlog full */
	uint64_t time_squeeze;		/* net_rx_action out of budget or time */
	uint64_t unknown_ethertype;	/* no ptype_base handler (all devices) */
	uint64_t tap_clone_failures;	/* a tap missed a frame: no memory */
	uint64_t rx_dev_down;		/* frames for a device that is down */
};

struct softnet_data {
	struct napi_struct *poll_head;	/* scheduled NAPI, FIFO */
	struct napi_struct *poll_tail;
	struct net_device *output_head;	/* devices for NET_TX, FIFO */
	struct net_device *output_tail;
	struct sk_buff_head input_pkt_queue;	/* netif_rx backlog */
	struct napi_struct backlog;
	struct softnet_stat stat;
};

extern struct softnet_data softnet_data;

/* The NET_RX and NET_TX softirq actions (the platform calls them). */
void net_rx_action(void);
void net_tx_action(void);

/* Initialises softnet_data; call once before any device registers. */
void net_dev_init(void);

#endif
