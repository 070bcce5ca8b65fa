/*
 * The loopback device "lo": what it sends it receives, through netif_rx and
 * the NET_RX softirq, never touching a NIC (seed 004's "does 127.0.0.1 go
 * through the NIC?").  ipv4 routes local destinations through loopback_dev.
 */
#ifndef SYNACK_DRIVERS_NET_LOOPBACK_H
#define SYNACK_DRIVERS_NET_LOOPBACK_H

struct net_device;

#define LOOPBACK_MTU	65536u

extern struct net_device *loopback_dev;

/* Registers and opens "lo"; 0 or -errno.  After net_dev_init. */
int loopback_init(void);
/* Unregisters and frees it (host tests start each case afresh). */
void loopback_exit(void);

#endif
